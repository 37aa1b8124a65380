"""Governance's REST API, one module per noun."""
