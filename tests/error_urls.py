"""Keel's URLs plus one page that always fails, to see the 500 page."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config import urls

handler400 = urls.handler400
handler404 = urls.handler404
handler500 = urls.handler500


def broken_page(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("this page is broken on purpose")


urlpatterns = [path("broken/", broken_page), *urls.urlpatterns]
