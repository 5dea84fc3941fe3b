import pytest
from django.conf import settings
from django.db import connection

from tests.servers import SHARED_CACHE_SECONDS, gunicorn, server_environment


@pytest.fixture(scope="session")
def app_servers(django_db_setup):
    """Two app servers sharing one PostgreSQL and one Redis, as in production: started once for
    every test that needs them (tests/passes.py runs those on one worker)."""
    if connection.vendor != "postgresql" or "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        pytest.skip("Needs PostgreSQL and Redis (CI runs it with both: DATABASE_URL and CACHE_URL).")
    environment = server_environment(DJANGO_SHARED_CACHE_SECONDS=str(SHARED_CACHE_SECONDS))
    with gunicorn(environment) as first, gunicorn(environment) as second:
        yield [first, second]


@pytest.fixture
def two_app_servers(app_servers, transactional_db):
    """The two app servers' ports; the test's writes are committed, so that the servers see them."""
    return app_servers
