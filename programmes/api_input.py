"""The API's one layer of input hygiene, in front of every view and the Alertmanager webhook:
JSON nests at most ``MAX_DEPTH`` levels and no text of a body carries a NUL character or a lone
surrogate (400, naming where, never echoing the bytes); the times a read asks about lie inside
``bounds.QUERY`` (``QueryDateTimeField``). With it: ids in paths are digits
(``api_router.ApiRouter``), and a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (Django's
``RequestDataTooBig``) is answered 413 by ``api_errors``. docs/api.md describes it all."""

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions, parsers, serializers
from rest_framework.utils import json as drf_json

from . import bounds

MAX_DEPTH = 32
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _where(path: tuple[str | int, ...]) -> str:
    if not path:
        return "the body"
    text = "".join(f"[{part}]" if isinstance(part, int) else f".{part[:40]}" for part in path)
    return f"`{text.lstrip('.')}`"


def _texts(data: Any) -> Iterator[tuple[tuple[str | int, ...], str, bool]]:
    """Every string in ``data`` with its path and whether it is a key; raises ``ParseError`` when
    ``data`` nests deeper than ``MAX_DEPTH``. Iterative, so no depth can exhaust the stack."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, Mapping | list | tuple) and len(path) >= MAX_DEPTH:
            raise exceptions.ParseError(f"The JSON body nests deeper than {MAX_DEPTH} levels.")
        if isinstance(value, str):
            yield path, value, False
        elif isinstance(value, Mapping):
            for key, item in value.items():
                yield path, str(key), True
                stack.append(((*path, str(key)), item))
        elif isinstance(value, list | tuple):
            stack.extend(((*path, index), item) for index, item in enumerate(value))


def refuse_unstorable_text(data: Any) -> None:
    """Raises ``ParseError`` for a NUL character or a lone surrogate anywhere in ``data`` (keys
    too): PostgreSQL cannot store the first, UTF-8 cannot encode the second."""
    for path, text, is_key in _texts(data):
        place = f"a key in {_where(path)}" if is_key else _where(path)
        place = place[0].upper() + place[1:]
        if "\x00" in text:
            raise exceptions.ParseError(
                f"{place} holds a NUL character (\\u0000), which Keel cannot store."
            )
        if _LONE_SURROGATE.search(text):
            raise exceptions.ParseError(
                f"{place} holds a lone surrogate (half of a UTF-16 pair, escaped "
                "on its own): text must be valid Unicode."
            )


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser behind the hygiene checks above."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
        except UnicodeDecodeError as error:
            raise exceptions.ParseError(
                f"The body is not valid {encoding}: byte {error.start} cannot be read."
            ) from None
        try:
            data = json.loads(
                text, parse_constant=drf_json.strict_constant if self.strict else None
            )
        except RecursionError:
            raise exceptions.ParseError(
                f"The JSON body nests deeper than {MAX_DEPTH} levels."
            ) from None
        except ValueError as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from None
        refuse_unstorable_text(data)
        return data


class FormParser(parsers.FormParser):
    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        data = super().parse(stream, media_type, parser_context)
        refuse_unstorable_text(dict(data.lists()))
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        parsed = super().parse(stream, media_type, parser_context)
        refuse_unstorable_text(dict(parsed.data.lists()))
        return parsed


class QueryDateTimeField(serializers.DateTimeField):
    """A time a read asks about (`since`, `until`, `start`, `end`): inside ``bounds.QUERY``."""

    def to_internal_value(self, value: Any) -> Any:
        moment = super().to_internal_value(value)
        why = bounds.refusal(moment, bounds.QUERY, timezone.now())
        if why:
            raise serializers.ValidationError(why)
        return moment
