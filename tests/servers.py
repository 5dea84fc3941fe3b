"""Real server processes for tests: gunicorn serving the site on a free loopback port, against
the test process's own database, so that what a test writes the server reads and vice versa."""

import contextlib
import os
import subprocess
import urllib.request
from collections.abc import Iterator

from django.conf import settings
from django.db import connection

from bench import server
from bench.server import free_port  # noqa: F401 - for the tests that start a server of their own

# How long nginx answers from its cache in the proxy tests (DJANGO_SHARED_CACHE_SECONDS of the
# test app servers): short, so that a test sees a publish come through.
SHARED_CACHE_SECONDS = 2


def fetch(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.read().decode()


def database_url() -> str:
    """The test database, as a DATABASE_URL for a server process. On SQLite it must be a file
    (tests/browser/conftest.py moves the test database to one): another process cannot open
    the in-memory database."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            raise RuntimeError("A server process cannot share an in-memory SQLite database.")
        return f"sqlite:///{database['NAME']}"
    return (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    )


def server_environment(**variables: str) -> dict[str, str]:
    """The environment of a server process on the test database; `variables` add to it."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        **variables,
    }


@contextlib.contextmanager
def gunicorn(environment: dict[str, str], *, workers: int = 1, log_file=subprocess.DEVNULL) -> Iterator[int]:
    """A gunicorn serving lunarportal on a free loopback port (yielded), stopped on exit."""
    with server.gunicorn(environment, workers=workers, timeout=30, output=log_file) as running:
        yield running.port
