import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_openapi_schema_is_valid_and_generates_without_warnings(tmp_path):
    schema_file = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema_file))
    text = schema_file.read_text()
    assert text.startswith("openapi: 3")
    assert "/api/v1/programmes/{slug}/transition/" in text
    assert "/api/v1/auth/token/" in text


@pytest.mark.django_db
def test_the_schema_is_served(admin_client):
    response = admin_client.get("/api/schema/")
    assert response.status_code == 200
    assert b"openapi: 3" in response.content
