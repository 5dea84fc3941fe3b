"""Structured request logs: path, status, duration and query count; never secrets."""

import json
import logging

import pytest

from tests.factories import make_mission
from website.logs import JsonFormatter

pytestmark = pytest.mark.django_db


def test_each_request_is_logged_as_one_json_object_without_query_string_or_cookies(client, caplog):
    make_mission()
    client.cookies["sessionid"] = "secret-session-key"
    with caplog.at_level(logging.INFO, logger="lunarportal.requests"):
        client.get("/en/missions/?q=password123")
    (record,) = [r for r in caplog.records if r.name == "lunarportal.requests"]
    entry = json.loads(JsonFormatter().format(record))
    assert entry["path"] == "/en/missions/" and entry["status"] == 200 and entry["method"] == "GET"
    assert entry["queries"] > 0 and entry["duration_ms"] >= 0
    line = JsonFormatter().format(record)
    assert "password123" not in line and "secret-session-key" not in line


def test_a_failed_login_logs_neither_the_password_nor_the_user_name(client, caplog):
    with caplog.at_level(logging.DEBUG):
        client.post("/admin/login/", {"username": "eddie", "password": "hunter2-very-secret"})
    text = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    assert "hunter2-very-secret" not in text


def test_health_checks_are_not_logged_at_info(client, caplog):
    with caplog.at_level(logging.INFO, logger="lunarportal.requests"):
        client.get("/healthz")
    assert not [r for r in caplog.records if r.name == "lunarportal.requests"]
