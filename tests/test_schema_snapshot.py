"""The API does not change by accident: the served schema (paths, operations, parameters, bodies,
answers and components) is compared with the snapshot in ``tests/schema_snapshot.json``.

A deliberate change of the API rewrites the snapshot: ``KEEL_WRITE_SCHEMA_SNAPSHOT=1 pytest
tests/test_schema_snapshot.py`` writes it and fails, so the new file is looked at and committed.
"""

import json
import os
from pathlib import Path
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

SNAPSHOT = Path(__file__).with_name("schema_snapshot.json")


def _is_choice_list(text: Any) -> bool:
    """An enum's description: one ``* `value` - Label`` line per choice."""
    return isinstance(text, str) and all(line.startswith("* `") for line in text.splitlines())


def _with_enums_as_sets(node: Any) -> Any:
    """The schema with every enum's values, and the description listing them, sorted: the order
    in which apps register their values (notification kinds) is not part of the contract, the
    values and their labels are."""
    if isinstance(node, dict):
        normalised: dict[str, Any] = {}
        for key, value in node.items():
            if key == "enum":
                normalised[key] = sorted(value, key=str)
            elif key == "description" and _is_choice_list(value):
                normalised[key] = "\n".join(sorted(value.splitlines()))
            else:
                normalised[key] = _with_enums_as_sets(value)
        return normalised
    if isinstance(node, list):
        return [_with_enums_as_sets(item) for item in node]
    return node


def served_schema() -> dict[str, Any]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return _with_enums_as_sets(json.loads(json.dumps(schema, default=str)))


def _differences(served: Any, snapshot: Any, where: str = "") -> list[str]:
    """Where the two schemas differ, as paths into them (``paths./api/v1/x/.get.responses``)."""
    if isinstance(served, dict) and isinstance(snapshot, dict):
        found = []
        for key in sorted(set(served) | set(snapshot), key=str):
            if key not in snapshot:
                found.append(f"{where}.{key}: new")
            elif key not in served:
                found.append(f"{where}.{key}: gone")
            else:
                found += _differences(served[key], snapshot[key], f"{where}.{key}")
        return found
    if served != snapshot:
        return [f"{where}: {served!r} (snapshot: {snapshot!r})"[:400]]
    return []


def _operations(schema: dict[str, Any]) -> list[str]:
    return sorted(
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    )


@pytest.mark.django_db
def test_the_api_schema_matches_its_snapshot():
    schema = served_schema()
    if os.environ.get("KEEL_WRITE_SCHEMA_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n")
        pytest.fail(f"snapshot written to {SNAPSHOT.name}: look at it and commit it")
    snapshot = json.loads(SNAPSHOT.read_text())
    assert _operations(schema) == _operations(snapshot)
    assert _differences(schema, snapshot) == []
