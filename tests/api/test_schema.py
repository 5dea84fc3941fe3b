"""The OpenAPI 3 schema is valid and complete, and generated without a single warning."""

import pytest
import yaml
from django.core.management import call_command
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

OPERATIONS = {
    f"/api/v1/{name}/{suffix}"
    for name, lookup in [
        ("missions", "{slug}"),
        ("payloads", "{id}"),
        ("partners", "{slug}"),
        ("agreements", "{slug}"),
        ("projects", "{slug}"),
        ("figures", "{key}"),
    ]
    for suffix in ["", f"{lookup}/"]
}


def test_the_schema_command_validates_without_warnings(tmp_path):
    # --fail-on-warn makes any warning (an unguessable filter type, a clashing enum name) fail.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_the_served_schema_is_valid_openapi_3_covering_every_endpoint(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == OPERATIONS
    for path, operations in schema["paths"].items():
        assert set(operations) == {"get"}, path  # read-only


def test_the_schema_documents_the_public_filters(client):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)

    def parameters(path):
        return {parameter["name"] for parameter in schema["paths"][path]["get"]["parameters"]}

    assert parameters("/api/v1/missions/") >= {
        "q",
        "status",
        "type",
        "side",
        "partner",
        "launch_date_after",
        "launch_date_before",
        "international",
        "page",
        "page_size",
    }
    assert parameters("/api/v1/partners/") >= {"q", "kind", "region", "ilrs", "page", "page_size"}
    assert parameters("/api/v1/payloads/") >= {"q", "partner", "mission"}
    assert parameters("/api/v1/agreements/") >= {"q", "partner", "kind"}
    assert parameters("/api/v1/projects/") >= {"q", "partner", "kind"}


def query_parameters(schema, path) -> dict[str, dict]:
    return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"] if p["in"] == "query"}


def test_the_schema_gives_the_bounds_of_page_and_page_size(client):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    for path in [path for path in OPERATIONS if path.endswith("s/")]:
        parameters = query_parameters(schema, path)
        assert parameters["page"]["schema"] == {"type": "integer", "minimum": 1}, path
        assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}, path


def test_the_schema_says_an_empty_query_parameter_is_accepted(client):
    """`status=` or `page=` means "not given", as on the public pages' forms."""
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    for path in [path for path in OPERATIONS if path.endswith("s/")]:
        for name, parameter in query_parameters(schema, path).items():
            assert parameter.get("allowEmptyValue") is True, (path, name)
