"""Real server processes for tests: gunicorn serving the site on a free loopback port, against
the test process's own database, so that what a test writes the server reads and vice versa."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

from django.conf import settings
from django.db import connection


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


def wait_until_up(port: int, process: subprocess.Popen | None = None, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            fetch(port, "/healthz")
            return
        except OSError:
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"The server on port {port} exited with status {process.returncode}.") from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextlib.contextmanager
def gunicorn(environment: dict[str, str], *, workers: int = 1, log_file=subprocess.DEVNULL) -> Iterator[int]:
    """A gunicorn serving lunarportal on a free loopback port (yielded), stopped on exit."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "lunarportal.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--no-control-socket",
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=log_file,
        stderr=log_file,
    )
    try:
        wait_until_up(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
