"""Governance's tables: one module per noun (stop conditions, reviews, readiness)."""
