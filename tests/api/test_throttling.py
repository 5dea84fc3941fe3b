"""Anonymous clients are rate-limited politely: 429 with Retry-After, per client address."""

import pytest
from django.conf import settings
from django.test import override_settings

from api.throttling import AnonymousRateThrottle

pytestmark = pytest.mark.django_db


# The limit counts per minute of the clock; the tests stand 20 seconds into a minute, so that
# no run straddles two minutes.
MINUTE_START = 1_800_000_000.0 - 1_800_000_000.0 % 60


@pytest.fixture
def clock(monkeypatch):
    now = [MINUTE_START + 20]
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
    assert int(response["Retry-After"]) == 40  # the rest of the minute
    assert "detail" in response.json()


def test_a_limited_client_is_served_again_when_the_minute_is_over(client, three_per_minute, clock, db):
    for _ in range(3):
        client.get("/api/v1/missions/")
    assert client.get("/api/v1/missions/").status_code == 429
    clock[0] += 40
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


@pytest.mark.skipif(
    "redis" not in settings.CACHES["default"]["BACKEND"].lower(),
    reason="Redis only (CI runs the suite with CACHE_URL=redis://…)",
)
def test_on_redis_each_window_of_counts_expires_with_the_window(client, three_per_minute, db):
    from django.core.cache import caches

    client.get("/api/v1/missions/")
    backend = caches["default"]
    redis = backend._cache.get_client(None)
    keys = [key for key in redis.keys("*") if b"throttle" in key]
    assert keys, "the request was not counted in Redis"
    assert all(0 < redis.ttl(key) <= 61 for key in keys)


def redis_cache(location: str) -> dict:
    """The portal's Redis backend (publishing.redis_cache, which counts with count_in_window)
    at `location`, giving up on a reply after 0.2 s."""
    return {
        "BACKEND": "publishing.redis_cache.RedisCache",
        "LOCATION": location,
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }


def test_the_api_still_answers_when_the_redis_that_counts_is_down(client, three_per_minute, world):
    with override_settings(CACHES={**settings.CACHES, "default": redis_cache("redis://127.0.0.1:9/0")}):
        statuses = [client.get("/api/v1/missions/").status_code for _ in range(5)]  # nothing listens on port 9
    assert statuses == [200] * 5  # serving beats refusing everyone; the limit counts again when Redis is back


@pytest.mark.skipif(
    "redis" not in settings.CACHES["default"]["BACKEND"].lower(),
    reason="Redis only (CI runs the suite with CACHE_URL=redis://…)",
)
def test_a_count_cut_short_by_a_slow_redis_leaves_the_next_counts_right():
    from django.core.cache import caches
    from redis.exceptions import TimeoutError

    with override_settings(CACHES={**settings.CACHES, "default": redis_cache(settings.CACHES["default"]["LOCATION"])}):
        backend = caches["default"]
        server = backend._cache.get_client(write=True)
        assert backend.count_in_window("throttle_anon_192.0.2.7:1", ttl=61) == 1
        server.execute_command("CLIENT", "PAUSE", 400, "WRITE")  # the next INCR waits past the 0.2 s timeout
        with pytest.raises(TimeoutError):
            backend.count_in_window("throttle_anon_192.0.2.7:1", ttl=61)
        server.execute_command("CLIENT", "UNPAUSE")
        # Each count reads its own reply: a late reply left on the connection would be read
        # by the next count instead, one behind the counter.
        count = backend.count_in_window("throttle_anon_192.0.2.7:1", ttl=61)
        assert count == int(server.get(backend.make_key("throttle_anon_192.0.2.7:1")))
        assert count in (2, 3)  # the INCR given up on counts only if Redis ran it


redis_only = pytest.mark.skipif(
    "redis" not in settings.CACHES["default"]["BACKEND"].lower(),
    reason="Redis only (CI runs the suite with CACHE_URL=redis://…)",
)


@pytest.fixture
def app_server_caches():
    """Two app servers' Redis backends (as two processes have), sharing the suite's Redis, and a
    plain client of that Redis to look at the counters and pause it."""
    from publishing.redis_cache import RedisCache

    config = redis_cache(settings.CACHES["default"]["LOCATION"])
    first, second = (RedisCache(config["LOCATION"], {"OPTIONS": config["OPTIONS"]}) for _ in range(2))
    yield first, second, first._cache.get_client(write=True)
    first.clear()


@redis_only
def test_below_the_limit_a_count_answers_without_waiting_for_redis(app_server_caches):
    backend, _, server = app_server_caches
    key = "throttle_anon_192.0.2.8:1"
    assert [backend.count_in_window(key, ttl=61, wait_from=10) for _ in range(3)] == [1, 2, 3]
    server.execute_command("CLIENT", "PAUSE", 1000, "WRITE")  # a Redis that would take a second to answer
    try:
        # Answered at once (the socket timeout is 0.2 s): the count below the limit does not wait.
        assert backend.count_in_window(key, ttl=61, wait_from=10) == 4
    finally:
        server.execute_command("CLIENT", "UNPAUSE")
    # No count was lost, and from the limit on each count is Redis's own answer.
    assert backend.count_in_window(key, ttl=61, wait_from=5) == 5
    assert backend.count_in_window(key, ttl=61, wait_from=5) == 6 == int(server.get(backend.make_key(key)))


@redis_only
def test_a_client_spread_over_two_app_servers_gets_at_most_one_request_past_the_limit_on_each(app_server_caches):
    first, second, server = app_server_caches
    key = "throttle_anon_192.0.2.9:1"
    limit = 5
    admitted = [backend.count_in_window(key, ttl=61, wait_from=limit) <= limit for backend in [first, second] * 10]
    assert limit <= admitted.count(True) <= limit + 2
    assert admitted[-6:] == [False] * 6  # once each server has read a count past the limit, both refuse
    assert int(server.get(first.make_key(key))) == 20  # refused requests count too


@redis_only
def test_a_connection_lost_with_a_reply_unread_leaves_the_next_counts_right(app_server_caches):
    from redis.exceptions import ConnectionError

    backend, _, server = app_server_caches
    key = "throttle_anon_192.0.2.10:1"
    for _ in range(3):
        backend.count_in_window(key, ttl=61, wait_from=100)  # the last reply is still to be read
    server.client_kill_filter(_type="normal", skipme=True)
    counts = []
    for _ in range(3):
        try:
            counts.append(backend.count_in_window(key, ttl=61, wait_from=100))
        except ConnectionError:
            counts.append(None)  # the rate limit lets this request through (tested above)
    assert counts.count(None) <= 1
    # Not one behind: the count reads its own reply, not one left over from the lost connection.
    assert backend.count_in_window(key, ttl=61) == int(server.get(backend.make_key(key)))


@redis_only
def test_after_the_cache_is_cleared_counting_starts_again_from_one(app_server_caches):
    backend, _, _ = app_server_caches
    key = "throttle_anon_192.0.2.11:1"
    assert [backend.count_in_window(key, ttl=61, wait_from=100) for _ in range(3)] == [1, 2, 3]
    backend.clear()
    assert backend.count_in_window(key, ttl=61, wait_from=100) == 1


@redis_only
def test_a_flood_of_new_addresses_does_not_grow_what_a_process_remembers(app_server_caches, monkeypatch):
    from publishing.redis_cache import WindowCounter

    backend, _, _ = app_server_caches
    monkeypatch.setattr(WindowCounter, "REMEMBERED", 50)
    counter = backend._cache._window_counter
    for number in range(200):  # each address once: every count waits for Redis
        assert backend.count_in_window(f"throttle_anon_198.51.100.{number}:1", ttl=61, wait_from=100) == 1
    assert len(counter._counts) <= 50
