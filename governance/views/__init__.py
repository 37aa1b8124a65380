"""Governance's pages, one module per noun."""
