"""Slack-compatible incoming webhooks: which URLs Keel will post to, and the posting itself."""

import fnmatch
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.conf import settings


def webhook_url_refusal(url: str) -> str | None:
    """Why Keel will not post to ``url``, or None when it may."""
    parts = urlsplit(url)
    allowed_schemes = {"https"} if settings.KEEL_WEBHOOK_REQUIRE_HTTPS else {"https", "http"}
    if parts.scheme not in allowed_schemes:
        return "A webhook URL must start with https://."
    if parts.username or parts.password:
        return "A webhook URL must not carry a user name or password."
    host = (parts.hostname or "").lower()
    patterns = settings.KEEL_WEBHOOK_ALLOWED_HOSTS
    if not any(fnmatch.fnmatchcase(host, pattern.lower()) for pattern in patterns):
        return (
            f"Keel does not post to “{host or url}”. Allowed webhook hosts: "
            f"{', '.join(patterns) or 'none'} (setting KEEL_WEBHOOK_ALLOWED_HOSTS)."
        )
    return None


@dataclass(frozen=True)
class SendResult:
    """How one delivery attempt went."""

    ok: bool
    retryable: bool = False
    detail: str = ""
    status_code: int | None = None
    retry_after_seconds: float | None = None


def post_to_webhook(url: str, payload: dict[str, Any]) -> SendResult:
    """Post ``payload`` as JSON. 2xx is sent; 429, 5xx and network trouble are worth retrying."""
    refusal = webhook_url_refusal(url)
    if refusal:
        return SendResult(ok=False, detail=refusal)
    timeout = httpx.Timeout(settings.KEEL_WEBHOOK_TIMEOUT_SECONDS)
    try:
        # Redirects are not followed: a redirect could lead off the allow-list.
        response = httpx.post(url, json=payload, timeout=timeout, follow_redirects=False)
    except httpx.TimeoutException:
        return SendResult(ok=False, retryable=True, detail="The webhook did not answer in time.")
    except httpx.HTTPError as error:
        return SendResult(ok=False, retryable=True, detail=f"Could not reach the webhook: {error}")
    code = response.status_code
    if 200 <= code < 300:
        return SendResult(ok=True, status_code=code, detail=f"Accepted ({code}).")
    answer = response.text.strip()[:200]
    if code == 429 or code >= 500:
        return SendResult(
            ok=False,
            retryable=True,
            status_code=code,
            detail=f"The webhook answered {code}: {answer}",
            retry_after_seconds=_retry_after(response),
        )
    return SendResult(
        ok=False, status_code=code, detail=f"The webhook refused the message ({code}): {answer}"
    )


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None
