"""Governance's writes, one module per noun."""
