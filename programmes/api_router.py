"""The API's router: ids in paths are digits, so a non-integer id is a 404 on every route."""

from typing import Any

from rest_framework.routers import DefaultRouter


class ApiRouter(DefaultRouter):
    """DRF's router, with objects found by primary key addressed by digits only and programmes
    by slug characters only: `/api/v1/metrics/AAA/` is a 404 before any view runs."""

    LOOKUP_PATTERNS = {"pk": "[0-9]+", "slug": "[-a-zA-Z0-9_]+"}

    def get_lookup_regex(self, viewset: Any, lookup_prefix: str = "") -> str:
        field = getattr(viewset, "lookup_field", "pk")
        if field in self.LOOKUP_PATTERNS and not hasattr(viewset, "lookup_value_regex"):
            viewset = type(
                viewset.__name__, (viewset,), {"lookup_value_regex": self.LOOKUP_PATTERNS[field]}
            )
        return str(super().get_lookup_regex(viewset, lookup_prefix))
