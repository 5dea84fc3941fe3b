"""Anonymous clients are rate-limited politely: 429 with Retry-After, per client address."""

import pytest
from django.conf import settings
from django.test import override_settings

from api.throttling import AnonymousRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(AnonymousRateThrottle, "timer", lambda self: now[0])
    return now


@pytest.fixture
def three_per_minute(settings, clock):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"}}


def test_the_rate_comes_from_the_environment_setting(settings):
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"] == settings.API_ANON_RATE


def test_over_the_limit_a_client_gets_429_with_retry_after(client, three_per_minute, world):
    for _ in range(3):
        assert client.get("/api/v1/missions/").status_code == 200
    response = client.get("/api/v1/partners/pakistan/")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert int(response["Retry-After"]) == 60  # when the first of the three leaves the last minute
    assert "detail" in response.json()


def test_a_limited_client_is_served_again_when_the_minute_is_over(client, three_per_minute, clock, db):
    for _ in range(3):
        client.get("/api/v1/missions/")
    assert client.get("/api/v1/missions/").status_code == 429
    clock[0] += 60
    assert client.get("/api/v1/missions/").status_code == 200


def test_the_limit_is_per_client_address(client, three_per_minute, db):
    for _ in range(3):
        client.get("/api/v1/missions/", REMOTE_ADDR="192.0.2.1")
    assert client.get("/api/v1/missions/", REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get("/api/v1/missions/", REMOTE_ADDR="192.0.2.2").status_code == 200


def test_public_pages_and_csv_are_not_counted(client, three_per_minute, db):
    for _ in range(5):
        assert client.get("/en/missions/export.csv").status_code == 200
    assert client.get("/api/v1/missions/").status_code == 200


def test_a_made_up_forwarded_for_header_does_not_escape_the_limit(client, three_per_minute, db):
    for number in range(3):
        client.get("/api/v1/missions/", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    assert client.get("/api/v1/missions/", HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_while_the_cache_that_counts_is_down_the_limit_holds_per_process(client, three_per_minute, world):
    unreachable = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on port 9
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
    with override_settings(CACHES={**settings.CACHES, "default": unreachable}):
        statuses = [client.get("/api/v1/missions/").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
