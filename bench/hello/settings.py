"""Bare Django: nothing installed, no middleware, no database. Never deployed: loopback only."""

SECRET_KEY = "bench-hello-reference-only-served-on-loopback-never-deployed"  # noqa: S105 (signs nothing)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.hello.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_I18N = False
USE_TZ = True
WSGI_APPLICATION = "bench.hello.wsgi.application"
