"""What the OpenAPI schema says beyond what drf-spectacular infers: the error statuses each
operation can answer, with their bodies; read-only fields that can be null or blank because their
model field can; and times of day as the API writes them."""

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

# HH:MM, or HH:MM:SS with up to six decimals: what TimeField reads and writes. OpenAPI's `time`
# format is RFC 3339's full-time, which needs a UTC offset these local times do not have.
LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"
LOCAL_TIME = {"type": "string", "pattern": LOCAL_TIME_PATTERN, "example": "09:00"}


class ErrorSerializer(serializers.Serializer[Any]):
    """An error about the request as a whole."""

    detail = serializers.CharField()


class ValidationErrorSerializer(serializers.Serializer[Any]):
    """A refused request: each refused field's name with its messages (`non_field_errors` for
    the request as a whole, an item of a list under its position), or a `detail` when the body
    could not be read."""

    detail = serializers.CharField(required=False)


ERRORS: dict[str, tuple[str, type[serializers.Serializer[Any]] | None]] = {
    "400": ("The input is refused; nothing was saved.", ValidationErrorSerializer),
    "401": ("No credentials, or an invalid or revoked token.", ErrorSerializer),
    "403": ("You may not do this (or this token may not).", ErrorSerializer),
    "404": ("No such object, or none you may see; or a page past the end.", ErrorSerializer),
    "413": ("The body is larger than Keel reads.", ErrorSerializer),
    "414": ("The request line is longer than the web server reads (gunicorn: 4,094 bytes).", None),
    "415": ("The body's Content-Type is not JSON, a form or multipart.", ErrorSerializer),
    "429": ("Too many requests; see Retry-After.", ErrorSerializer),
}


def _model_fields_behind(field: Any) -> list[models.Field[Any, Any]]:
    """The model fields a ModelSerializer's field reads, along its dotted source; [] when it
    reads anything else (a method, a property, a reverse relation)."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or field.source == "*":
        return []
    chain = []
    for attribute in field.source_attrs:
        try:
            model_field = model._meta.get_field(attribute)
        except FieldDoesNotExist:
            return []
        if not getattr(model_field, "concrete", False):
            return []
        chain.append(model_field)
        model = model_field.related_model
    return chain


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with path ids that are digits declared integers, and each
    operation's error statuses: 400 for any input, 414 from the web server for an overlong URL,
    401 where credentials are read, 403 where they are required, 404 where the path names an
    object or the list is paginated, 413 and 415 where a body is read, 429 where the view is
    throttled."""

    def get_operation(
        self, path: str, path_regex: str, path_prefix: str, method: str, registry: Any
    ) -> dict[str, Any] | None:
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        for parameter in parameters:
            digits = parameter["schema"].get("pattern") == "^[0-9]+$"
            if parameter["in"] == "path" and (
                digits or f"(?P<{parameter['name']}>[0-9]+)" in path_regex
            ):
                parameter["schema"] = {"type": "integer", "minimum": 0}
        security = operation.get("security", [])
        codes = {"400", "414"}
        if any(security):
            codes.add("401")
            if {} not in security:
                codes.add("403")
        if any(p["in"] == "path" or p["name"] == "page" for p in parameters):
            codes.add("404")
        if "requestBody" in operation:
            codes |= {"413", "415"}
        if self.view.get_throttles():
            codes.add("429")
        responses = operation.setdefault("responses", {})
        for code in sorted(codes - set(responses)):
            description, serializer = ERRORS[code]
            responses[code] = {"description": description}
            if serializer is not None:
                component = self.resolve_serializer(serializer, "response")
                responses[code]["content"] = {"application/json": {"schema": component.ref}}
        return operation

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        # DRF drops allow_null and allow_blank from fields it makes read-only; the model says.
        chain = _model_fields_behind(field) if field.read_only else []
        if chain:
            if any(model_field.null for model_field in chain):
                field.allow_null = True
            if chain[-1].blank and isinstance(
                field, serializers.CharField | serializers.ChoiceField
            ):
                field.allow_blank = True
        schema: dict[str, Any] = super()._map_serializer_field(field, direction, bypass_extensions)
        return schema


class LocalTimeExtension(OpenApiSerializerFieldExtension):
    """A TimeField is a local time of day without an offset, e.g. `09:00` or `09:00:00`."""

    target_class = "rest_framework.fields.TimeField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        return dict(LOCAL_TIME)
