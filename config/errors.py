"""The answer to a request that failed on our side: Keel's 500 page, which needs no database, or
the API's JSON 500 under /api/."""

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader

from programmes.api_errors import api_server_error, is_api_request
from programmes.request_id import current_request_id

log = logging.getLogger("keel.errors")

# Served when even the 500 template cannot be rendered.
_BARE_500 = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>Something went wrong · Keel</title></head><body><main><h1>Something went wrong</h1>"
    "<p>Keel could not answer this request. Try again in a minute; if it keeps happening, tell "
    "your Keel administrator{reference}.</p></main></body></html>"
)


def server_error(request: HttpRequest) -> HttpResponse:
    """Keel's 500 page. It is rendered without the request, so no context processor (and no
    database query) runs: the page still renders when the database is what failed. The API gets
    JSON instead of a page."""
    if is_api_request(request):
        return api_server_error()
    request_id = current_request_id()
    try:
        body = loader.get_template("500.html").render({"request_id": request_id})
    except Exception:
        log.exception("the 500 page could not be rendered")
        reference = f" and quote reference {request_id}" if request_id else ""
        body = _BARE_500.format(reference=reference)
    return HttpResponseServerError(body)
