from django.http import HttpRequest, HttpResponse


def sample_page(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(f"sample page of {slug}")
