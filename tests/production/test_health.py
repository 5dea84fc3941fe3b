"""Health endpoints: what a load balancer asks before sending traffic to an app server."""

from contextlib import contextmanager

import pytest
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connection, connections

from tests.factories import make_mission

# A real Redis client aimed at a port where nothing listens: the cache server is down.
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def test_liveness_answers_without_touching_the_database(client):
    # No django_db mark: any database access here would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readiness_reports_database_and_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readiness_is_503_with_retry_after_when_the_cache_is_down(client, settings):
    settings.CACHES = {**settings.CACHES, **UNREACHABLE_REDIS}  # the shared cache; each process keeps its own
    try:
        response = client.get("/readyz")
    finally:
        caches["default"].close()
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "down"}
    assert response["Retry-After"] == "10"


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite is a file inside the app server: it cannot be down on its own.")


@contextmanager
def database_refusing_connections():
    """The database server refuses connections (nothing listens on the port it is told)."""
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT="9")
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.fixture
def database_down(transactional_db):
    needs_postgresql()
    with database_refusing_connections():
        yield


def test_readiness_is_503_when_the_database_is_down(client, database_down):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"
    assert response.json()["cache"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_public_pages_answer_503_while_the_database_is_down_and_recover(client, settings):
    """PostgreSQL stops answering (its port closed), then comes back: a friendly 503, then pages."""
    make_mission(name="Chang'e-6")
    needs_postgresql()
    settings.PAGE_CACHE_SECONDS = 0  # the database itself must answer each request
    with database_refusing_connections():
        down = client.get("/en/missions/")
    assert down.status_code == 503
    assert down["Retry-After"] == "30"
    assert "Back in a moment" in down.content.decode() and "Traceback" not in down.content.decode()
    back = client.get("/en/missions/")
    assert back.status_code == 200 and "Chang&#x27;e-6" in back.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_cached_page_is_still_served_while_the_database_is_down(client):
    """A cached page needs no database (the content generation's copy in the cache stands while
    the database does not answer), so it is answered while PostgreSQL is down."""
    needs_postgresql()
    make_mission(name="Chang'e-6", slug="chang-e-6")
    pages = ["/en/missions/chang-e-6/", "/en/search/?q=Chang%27e-6"]
    assert all(client.get(page).status_code == 200 for page in pages)
    with database_refusing_connections():
        answers = [client.get(page) for page in pages]
    for answer in answers:
        assert answer.status_code == 200 and "Chang&#x27;e-6" in answer.content.decode()


@contextmanager
def unreachable_database(tmp_path):
    """The default database as one that cannot be reached at all, on either engine: PostgreSQL on
    a port where nothing listens, SQLite in a folder that does not exist. The test's own
    connection is set aside rather than closed (closing an in-memory SQLite database loses it)."""
    real = connections[DEFAULT_DB_ALIAS]
    unreachable = dict(real.settings_dict)
    if real.vendor == "postgresql":
        unreachable.update(HOST="127.0.0.1", PORT="9")
    else:
        unreachable.update(NAME=str(tmp_path / "no-such-folder" / "db.sqlite3"))
    connections[DEFAULT_DB_ALIAS] = real.__class__(unreachable, DEFAULT_DB_ALIAS)
    try:
        yield
    finally:
        connections[DEFAULT_DB_ALIAS].close()
        connections[DEFAULT_DB_ALIAS] = real


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/api/v1/missions/", "/api/v1/missions/chang-e-6/", "/api/v1/partners/?q=PK"])
def test_api_clients_get_a_json_503_while_the_database_is_down(client, no_page_cache, tmp_path, address):
    """Like every other API error: JSON with a "detail", and when to try again."""
    with unreachable_database(tmp_path):
        response = client.get(address)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"} and response.json()["detail"]
    assert response["Retry-After"] == "30"


@pytest.mark.django_db
def test_the_apis_503_speaks_the_clients_language(client, no_page_cache, tmp_path):
    with unreachable_database(tmp_path):
        response = client.get("/api/v1/missions/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert response.status_code == 503
    assert response.json() == {"detail": "服务暂时不可用，请稍后再试。"}


@pytest.mark.django_db
def test_pages_keep_their_own_503_page_while_the_database_is_down(client, no_page_cache, tmp_path):
    with unreachable_database(tmp_path):
        response = client.get("/en/missions/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "Back in a moment" in response.content.decode()
    assert response["Retry-After"] == "30"


@pytest.mark.django_db
def test_signed_in_editors_get_the_same_answers_while_the_database_is_down(editor_client, tmp_path):
    """Each request of an editor renews the session, in the database: while it does not answer,
    the answer (the friendly 503: an editor gets no cached page) goes out without renewing it,
    never a 500, and the editor is still signed in afterwards."""
    make_mission(name="Chang'e-6", slug="chang-e-6")
    editor_client.raise_request_exception = False  # a crash is a 500 answer, as the editor would get it
    assert editor_client.get("/en/missions/chang-e-6/").status_code == 200
    with unreachable_database(tmp_path):
        page = editor_client.get("/en/missions/")
        api = editor_client.get("/api/v1/missions/")
    assert page.status_code == 503 and "Back in a moment" in page.content.decode()
    assert api.status_code == 503 and set(api.json()) == {"detail"}
    assert editor_client.get("/admin/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/en/missions/", "/zh-hans/partners/", "/api/v1/missions/"])
def test_with_no_copy_of_the_content_generation_the_answer_is_503_while_the_database_is_down(client, tmp_path, address):
    """With the page cache on and no copy of the content generation in it (a cache just started,
    emptied, or back from an outage), the cache asks the database which pages are current: the
    database down, the visitor gets the 503 and when to try again, not a server error."""
    with unreachable_database(tmp_path):
        response = client.get(address)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
