"""How the API answers: JSON, and DRF's browsable HTML pages under the Content-Security-Policy."""

from collections.abc import Mapping
from typing import Any

from rest_framework.renderers import BrowsableAPIRenderer


class BrowsableAPIRendererUnderCSP(BrowsableAPIRenderer):
    """DRF's own HTML pages lay themselves out with style attributes. On those pages alone the
    policy lets style attributes apply (what django-csp's ``csp_update`` decorator does); scripts
    and style sheets stay Keel's own, so the inline <style> of Pygments' colours is left out."""

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> Any:
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_update = {"style-src-attr": ["'unsafe-inline'"]}
        return super().render(data, accepted_media_type, renderer_context)

    def get_context(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(*args, **kwargs)
        context["code_style"] = None
        return context
