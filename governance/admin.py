"""Django admin for governance, one module per noun."""

from . import readiness_admin, review_admin, stop_condition_admin  # noqa: F401  (importing registers them)
