"""Governance's reads, one module per noun, each scoped by what the user may see."""
