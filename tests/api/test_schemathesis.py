"""Property-based run of every API operation against its own OpenAPI schema (schemathesis):
generated requests, valid and invalid, never get a 5xx, and every response matches the schema.

It runs in-process against the WSGI application, on the demo content plus drafts of every kind,
with a fixed number of examples and Hypothesis's derandomised mode, so CI runs the same cases
every time.
"""

import io

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from lunarportal.wsgi import application

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 30
# negative_data_rejection too: a request the schema calls invalid (a page_size beyond 100, an
# unknown status) is refused. As on the public pages' forms, an empty parameter (`status=`,
# `page=`) means "not given", which the schema says (allowEmptyValue).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def demo_content(world):
    call_command("load_demo_content", stdout=io.StringIO())


@pytest.fixture
def in_test_transaction():
    """Like Django's test client: the request does not close the database connection, which
    would end the test's transaction (and its data)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def no_rate_limit(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1000000/minute"}}


def run_operation(operation, mode: GenerationMode, checks: list):
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        # In-process WSGI calls get the bytes as sent: ask for them uncompressed, as curl does.
        case.call_and_validate(checks=checks, headers={"Accept-Encoding": "identity"})

    check()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_every_operation_conforms_to_the_schema(demo_content, in_test_transaction, no_rate_limit, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 12
    if mode == GenerationMode.NEGATIVE:
        # A slug or key is free text in the schema: no request to such a detail is invalid.
        operations = [operation for operation in operations if not {"{slug}", "{key}"} & set(operation.path.split("/"))]
    for operation in operations:
        run_operation(operation, mode, CHECKS)
