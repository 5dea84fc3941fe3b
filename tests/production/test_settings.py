"""Start-up refuses what would be unsafe in production; `check --deploy` passes with production settings."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

STRONG_KEY = secrets.token_urlsafe(50)


def start_django(**environment):
    """Load the settings in a fresh interpreter, without the local .env, as a production server would."""
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "lunarportal.settings",
        "DJANGO_ENV_FILE": "/nonexistent",
        **environment,
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "key, message",
    [
        ("", "DJANGO_SECRET_KEY is required"),
        ("short-key", "too weak"),
        ("a" * 60, "too weak"),
        ("change-me-" + "x1y2z3" * 10, "placeholder"),
        # A name of its own: the key is random, and the parallel workers must collect the same tests.
        pytest.param("django-insecure-" + STRONG_KEY, "placeholder", id="django-insecure-strong-key-placeholder"),
    ],
)
def test_start_up_refuses_a_missing_or_weak_secret_key(key, message):
    result = start_django(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=key)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_start_up_accepts_a_strong_key():
    result = start_django(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stderr


def deploy_guide_environment() -> dict[str, str]:
    """The variables docs/deploy.md tells an operator to set on every app server, as written
    (the secret key, elided there, is a strong one)."""
    guide = (settings.BASE_DIR / "docs" / "deploy.md").read_text()
    block = guide.split("## Every app server", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    variables = {}
    for line in block.splitlines():
        name, _, value = line.partition("#")[0].strip().partition("=")
        variables[name] = value
    assert variables["DJANGO_SECRET_KEY"] == "…", "the guide names the key without giving one"
    return {**variables, "DJANGO_SECRET_KEY": STRONG_KEY}


def test_check_deploy_passes_with_the_deploy_guides_environment():
    """A server set up as docs/deploy.md says: its environment, and no .env (make install writes
    none: test_make_install_writes_no_local_settings)."""
    env = {"PATH": os.environ["PATH"], "DJANGO_ENV_FILE": "/nonexistent", **deploy_guide_environment()}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_redis_cache_url_gets_djangos_redis_backend_with_short_timeouts():
    """A Redis that hangs must cost a request a fraction of a second, not redis-py's default of
    waiting for ever (publishing.caching then leaves it alone for a few seconds)."""
    check = "from django.conf import settings; c = settings.CACHES['default']; print(c['BACKEND'], c['OPTIONS'])"
    chosen = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {check}"],
        env={**os.environ, "CACHE_URL": "redis://127.0.0.1:6379/0", "DJANGO_ENV_FILE": "/nonexistent"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert chosen.stdout.strip() == (
        "django.core.cache.backends.redis.RedisCache {'socket_connect_timeout': 0.25, 'socket_timeout': 0.25}"
    ), chosen.stderr


@pytest.mark.database  # PostgreSQL's own settings: it runs in the PostgreSQL pass only
@pytest.mark.django_db
def test_postgresql_connections_skip_the_jit_and_parallel_workers():
    """The portal's queries are short; the JIT's compile time (30 ms on a broad search) and
    parallel workers' start-up cost more than they save."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's settings (CI runs the suite on PostgreSQL too).")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), current_setting('max_parallel_workers_per_gather')")
        assert cursor.fetchone() == ("off", "0")


def test_a_database_url_may_bring_its_own_postgresql_options():
    check = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    url = "postgres://u:p@127.0.0.1:5432/db"
    loaded = {}
    for name, address in [("default", url), ("own", url + "?options=-c%20jit%3Don")]:
        result = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {check}"],
            env={**os.environ, "DATABASE_URL": address, "DJANGO_ENV_FILE": "/nonexistent"},
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=60,
        )
        loaded[name] = result.stdout.strip()
    assert loaded["default"] == "{'options': '-c jit=off -c max_parallel_workers_per_gather=0'}", loaded
    assert loaded["own"] == "{'options': '-c jit=on'}", loaded


@pytest.mark.parametrize(
    "weakened",
    [
        {"DJANGO_SECURE_SSL_REDIRECT": "0"},
        {"DJANGO_HSTS_SECONDS": "0"},
        {"DJANGO_SECURE_COOKIES": "0"},
        {"DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_HSTS_SECONDS": "0", "DJANGO_SECURE_COOKIES": "0"},
    ],
    ids=["no-redirect", "no-hsts", "insecure-cookies", "all-three"],
)
def test_start_up_with_debug_off_refuses_https_protection_turned_off(weakened):
    result = start_django(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=STRONG_KEY, **weakened)
    assert result.returncode != 0
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith("django.core.exceptions.ImproperlyConfigured: ")
    for name in weakened:
        assert f"{name}=0" in message
    assert "visitors' connections would not be protected by HTTPS" in message
    assert "DJANGO_ALLOW_INSECURE=1" in message


def test_a_plain_http_site_starts_when_asked_for_explicitly():
    """make run, the tests and the benchmark serve over plain http on loopback (.env.example)."""
    local = {"DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_HSTS_SECONDS": "0", "DJANGO_SECURE_COOKIES": "0"}
    result = start_django(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_ALLOW_INSECURE="1", **local)
    assert result.returncode == 0, result.stderr
    debugging = start_django(DJANGO_DEBUG="1", **local)
    assert debugging.returncode == 0, debugging.stderr


def make_dry_run(folder, target: str) -> str:
    """What `make <target>` would run in a fresh checkout (`make -n`: nothing is run)."""
    for name in ("Makefile", ".env.example", "requirements.txt", "requirements-dev.txt"):
        (folder / name).write_bytes((settings.BASE_DIR / name).read_bytes())
    result = subprocess.run(["make", "-n", target], cwd=folder, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("target", ["install", "install-dev"])
def test_make_install_writes_no_local_settings(tmp_path, target):
    """A server installed with `make install` (docs/deploy.md) must not inherit the local site's
    plain-http settings from a .env it did not ask for."""
    assert ".env" not in make_dry_run(tmp_path, target).replace(".env.example", "")


@pytest.mark.parametrize("target", ["run", "serve"])
def test_the_local_targets_write_local_settings(tmp_path, target):
    assert "Wrote .env" in make_dry_run(tmp_path, target)


def test_an_older_local_env_gains_new_variables_and_keeps_its_own(tmp_path):
    """A developer's .env written before .env.example gained a variable (DJANGO_ALLOW_INSECURE,
    without which the local site refuses to start) gets it at the next `make run`, with its own
    key and edits untouched."""
    make_dry_run(tmp_path, ".env")  # copies the Makefile and .env.example
    old = tmp_path / ".env"
    old.write_text("DJANGO_DEBUG=0\nDJANGO_SECRET_KEY=kept-key\nDJANGO_LOG_LEVEL=INFO\nDJANGO_SECURE_COOKIES=0\n")
    os.utime(old, (0, 0))  # older than .env.example, as after a pull
    result = subprocess.run(["make", ".env"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "DJANGO_ALLOW_INSECURE" in result.stdout
    lines = old.read_text().splitlines()
    assert "DJANGO_ALLOW_INSECURE=1" in lines
    assert lines[:4] == [
        "DJANGO_DEBUG=0",
        "DJANGO_SECRET_KEY=kept-key",
        "DJANGO_LOG_LEVEL=INFO",
        "DJANGO_SECURE_COOKIES=0",
    ]
    assert sum(line.startswith("DJANGO_SECRET_KEY=") for line in lines) == 1
    again = subprocess.run(["make", ".env"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert old.read_text().splitlines() == lines, again.stdout  # nothing added twice
