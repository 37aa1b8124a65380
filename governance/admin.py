"""Django admin for governance, one module per noun."""

from . import stop_condition_admin  # noqa: F401  (importing registers its admins)
