"""Keel's URLs plus a page and an API path that always fail, to see the 500 answers."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config import urls

handler400 = urls.handler400
handler404 = urls.handler404
handler500 = urls.handler500


def broken_page(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("this page is broken on purpose")


urlpatterns = [
    path("broken/", broken_page),
    path("api/v1/broken/", broken_page),
    *urls.urlpatterns,
]
