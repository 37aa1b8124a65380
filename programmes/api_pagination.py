"""The API's pagination (``DEFAULT_PAGINATION_CLASS``), in a module of its own: DRF imports it
while ``rest_framework.generics`` is still loading."""

from typing import Any

from rest_framework.pagination import PageNumberPagination

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000


class PageNumbers(PageNumberPagination):
    """Every list of the API: ``page`` and ``page_size`` (50 unless asked, at most 1,000; a
    size out of range or not a number is the default or the largest)."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        bounds = {"page": (1, None), "page_size": (1, MAX_PAGE_SIZE)}
        for parameter in parameters:
            low, high = bounds[parameter["name"]]
            parameter["schema"]["minimum"] = low
            if high is not None:
                parameter["schema"]["maximum"] = high
        return parameters
