"""Scratch sites for the data-safety tests: an empty database of the kind the suite runs on
(SQLite file, or a PostgreSQL database created here and dropped afterwards), a media folder, and
manage.py run as a real process against them."""

import contextlib
import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import environ
import psycopg
from django.conf import settings

PROJECT = Path(settings.BASE_DIR)
STEPS_WRITTEN = "manage_in_turn wrote: "


def suite_database() -> dict:
    """The database the suite was pointed at (DATABASE_URL), not pytest-django's test_ copy."""
    return environ.Env.db_url_config(os.environ.get("DATABASE_URL", "sqlite:///unused.sqlite3"))


def on_postgresql() -> bool:
    return suite_database()["ENGINE"] == "django.db.backends.postgresql"


def pg_environment() -> dict:
    """libpq's variables for pg_dump, pg_restore and psycopg: the suite's server and role."""
    db = suite_database()
    return {
        "PGHOST": db["HOST"] or "127.0.0.1",
        "PGPORT": str(db["PORT"] or 5432),
        "PGUSER": db["USER"],
        "PGPASSWORD": db["PASSWORD"],
    }


def _maintenance(sql: str) -> None:
    with psycopg.connect(dbname="postgres", autocommit=True, **_libpq_kwargs()) as connection:
        connection.execute(sql)


def _drop_database(name: str) -> None:
    """Drop a scratch database. Plain DROP first: PostgreSQL stops an autovacuum worker busy in it
    (after a test's large writes) and waits for it, where WITH (FORCE) refuses a role that is not
    a superuser ("must be a member of the role whose process is being terminated"). FORCE only for
    a connection a stopped command left behind."""
    try:
        _maintenance(f'DROP DATABASE IF EXISTS "{name}"')
    except psycopg.errors.ObjectInUse:
        _maintenance(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _libpq_kwargs() -> dict:
    env = pg_environment()
    return {"host": env["PGHOST"], "port": env["PGPORT"], "user": env["PGUSER"], "password": env["PGPASSWORD"]}


@dataclasses.dataclass
class Site:
    """One database and one media folder, driven through manage.py in a process of its own."""

    database_url: str
    media: Path
    name: str  # the database's name (PostgreSQL) or file (SQLite)
    variables: dict = dataclasses.field(default_factory=dict)  # more environment, replacing the defaults below

    def environment(self) -> dict:
        return {
            **os.environ,
            **(pg_environment() if self.database_url.startswith("postgres") else {}),
            "DATABASE_URL": self.database_url,
            "DJANGO_MEDIA_ROOT": str(self.media),
            "DJANGO_SERVE_MEDIA": "1",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_ALLOW_INSECURE": "1",  # plain http on loopback
            # Every page from this database: no page cache, and a cache of this process only
            # (CI's CACHE_URL names a Redis shared by both databases' renders).
            "CACHE_URL": "locmemcache://",
            "DJANGO_PAGE_CACHE_SECONDS": "0",
            "DJANGO_API_ANON_RATE": "100000/minute",
            "DJANGO_REQUEST_LOG_LEVEL": "WARNING",
            "PYTHONWARNINGS": "ignore::UserWarning",
            **self.variables,
        }

    def run(self, *command: str, check=True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            command, cwd=PROJECT, env=self.environment(), capture_output=True, text=True, timeout=600
        )
        if check and result.returncode:
            raise AssertionError(f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
        return result

    def manage(self, *args: str, check=True) -> subprocess.CompletedProcess:
        return self.run(sys.executable, "manage.py", *args, check=check)

    def shell(self, code: str) -> str:
        return self.manage("shell", "-v", "0", "-c", code).stdout

    def manage_in_turn(self, *steps: tuple[str, ...] | str) -> list[str]:
        """Several manage.py commands (a tuple of arguments each) or pieces of Python code (a
        string, as `shell -c` runs it), one after another in one process: starting Django costs
        as much as a short command. What each step wrote; the first failure stops the run.
        Content types are looked up afresh for each step, as a process of its own would."""
        code = f"""
import io, json
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
written = []
for step in {list(steps)!r}:
    ContentType.objects.clear_cache()
    output = io.StringIO()
    if isinstance(step, str):
        from contextlib import redirect_stdout
        with redirect_stdout(output):
            exec(step, {{}})
    else:
        call_command(*step, stdout=output)
    written.append(output.getvalue())
print({STEPS_WRITTEN!r} + json.dumps(written))
"""
        out = self.shell(code)
        return json.loads(out[out.rindex(STEPS_WRITTEN) + len(STEPS_WRITTEN) :])


@contextlib.contextmanager
def scratch_site(tmp: Path, label: str):
    """An empty database (no tables) and an empty media folder, removed afterwards."""
    media = tmp / f"{label}-media"
    media.mkdir()
    db = suite_database()
    if db["ENGINE"] != "django.db.backends.postgresql":
        path = tmp / f"{label}.sqlite3"
        yield Site(f"sqlite:///{path}", media, str(path))
        return
    # Named after the suite's database, the xdist worker and the process, so that no other run
    # or worker on the same server (each building its own module fixtures) can drop it midway.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"{db['NAME']}_{worker}_{os.getpid()}_{label}"
    _drop_database(name)
    _maintenance(f'CREATE DATABASE "{name}"')
    try:
        yield Site(
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}",
            media,
            name,
        )
    finally:
        _drop_database(name)
