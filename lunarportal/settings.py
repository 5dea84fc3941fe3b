"""lunarportal settings: one module, driven by environment variables.

Defaults are the safe ones (debug off, secure cookies). `make run` and `make serve` (local) write a
`.env` from `.env.example` with a generated secret key; `make install` (production) writes none.
Production and CI set real environment variables, which always win over the file; the tests use
`.env.example` itself (tests/settings.py). `.env.example` lists every variable.
"""

import datetime
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from import_export.formats.base_formats import CSV, JSON, XLSX

BASE_DIR = Path(__file__).resolve().parent.parent


def check_secret_key(key: str) -> None:
    """Refuse to start with a secret key that protects nothing: missing, short, repetitive or a
    placeholder. The error says how to make a good one."""
    min_length, min_unique, placeholders = 50, 5, ("change-me", "django-insecure", "insecure", "secret")
    if not key:
        problem = "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off."
    elif len(key) < min_length or len(set(key)) < min_unique:
        problem = f"DJANGO_SECRET_KEY is too weak: use at least {min_length} random characters."
    elif key.lower().startswith(placeholders):
        problem = "DJANGO_SECRET_KEY is a placeholder, not a secret."
    else:
        return
    raise ImproperlyConfigured(
        f"{problem} Run `make run` once to write a local .env with a generated key, or set the variable to "
        "the output of: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )


def check_https_protection(*, redirect: bool, hsts_seconds: int, secure_cookies: bool, allowed: bool) -> None:
    """Refuse to serve with debug off while HTTPS protection is turned off, unless asked for
    explicitly (a site on plain http on loopback: make run, the tests, the benchmark). A local
    .env left on a server would otherwise turn it off without anyone noticing."""
    weakened = [
        name
        for name, off in [
            ("DJANGO_SECURE_SSL_REDIRECT=0", not redirect),
            ("DJANGO_HSTS_SECONDS=0", hsts_seconds <= 0),
            ("DJANGO_SECURE_COOKIES=0", not secure_cookies),
        ]
        if off
    ]
    if weakened and not allowed:
        raise ImproperlyConfigured(
            f"{', '.join(weakened)} with DJANGO_DEBUG off: visitors' connections would not be protected by "
            "HTTPS. In production leave these variables unset (HTTPS redirect, HSTS, secure cookies; check the "
            "environment and any .env file). For a site served over plain http on this machine only, set "
            "DJANGO_ALLOW_INSECURE=1."
        )


env = environ.Env()
# Real environment variables win over the file: CI and production never need one.
# DJANGO_ENV_FILE names another file (or none: a path that does not exist).
environ.Env.read_env(env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not DEBUG:
    check_secret_key(SECRET_KEY)  # a missing, short or placeholder key stops the start-up
elif not SECRET_KEY:
    SECRET_KEY = "insecure-local-development-key"  # DEBUG only, never served publicly

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# Origins (scheme://host) allowed to POST behind a proxy that changes the host: https://portal.example
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Before the admin, so that its admin classes and language fields are in place first.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_countries",
    "django_filters",
    "reversion",
    "reversion_compare",
    "django_prose_editor",
    "import_export",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from our static files (no CDN)
    "axes",
    "csp",
    "publishing",
    "search",
    "partners",
    "missions",
    "api",
    "website",
]

MIDDLEWARE = [
    # First: it times the whole request and counts its queries.
    "website.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, answering as usual while the database is down (staff sessions are renewed on every request).
    "website.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # 304 Not Modified when the browser's copy is still current, cached pages included.
    "django.middleware.http.ConditionalGetMiddleware",
    # After the language is known (it is part of the key); before everything that builds a page.
    "publishing.caching.PublicPageCacheMiddleware",
    "api.middleware.CachedApiMiddleware",
    # Inside the page cache: a page is compressed once, when it is rendered (Django pads the output
    # against BREACH); static files are compressed ahead of time by the storage below.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "website.middleware.PermissionsPolicyMiddleware",
    # A database that does not answer: the site's 503 page, or the API's JSON 503 under /api/.
    "website.middleware.DatabaseUnavailableMiddleware",
    # Last: it answers a locked-out login attempt before the admin sees it.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out user name and address is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "lunarportal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# Django's, minus the templates rendered for empty error lists (publishing/forms.py).
FORM_RENDERER = "publishing.forms.FormRenderer"

WSGI_APPLICATION = "lunarportal.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Keep connections between requests, checked before reuse: a restarted database is reconnected.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes on one file (make serve's workers, the browser tests' server beside the
    # test process): a transaction that reads, then writes, is refused at once ("database is
    # locked") when another process wrote meanwhile. Taking the write lock at BEGIN makes it wait
    # its turn instead, up to `timeout` seconds. Read-only views run outside a transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The portal's queries are short: compiling one with the JIT (30 ms for a search matching
    # every mission, more than running it) or starting parallel workers (a few ms, and cores
    # taken from the other requests) costs more than it saves. Measured on the benchmark data:
    # a partner page 73 → 45 ms, search 82 → 56 ms. Set per connection; a DATABASE_URL with its
    # own ?options= replaces this (behind PgBouncer, set them on the role: docs/deploy.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c jit=off -c max_parallel_workers_per_gather=0"
    )

# Redis in production (CACHE_URL=redis://…), shared by every app server; local memory otherwise.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis that hangs costs a request a fraction of a second, then publishing.caching leaves
    # it alone for a few seconds and pages render from the database.
    timeout = env.float("DJANGO_CACHE_TIMEOUT_SECONDS", default=0.25)
    CACHES["default"].setdefault("OPTIONS", {}).update(socket_connect_timeout=timeout, socket_timeout=timeout)
# The name of this release (a commit, a tag), given by the deploy: each release keeps its cached
# pages apart, so that pages rendered by the previous templates are never served by the next.
CACHES["default"]["KEY_PREFIX"] = env.str("DJANGO_RELEASE", default="")
# This process's memory: the API's rate limit counts there while the shared cache is away.
CACHES["local"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "lunarportal-local"}
# How long a public page or API answer stays in the cache at most; any change to content (and a
# scheduled publication falling due) replaces it sooner (publishing/caching.py). 0: no caching.
PAGE_CACHE_SECONDS = env.int("DJANGO_PAGE_CACHE_SECONDS", default=600)
# How long a shared HTTP cache in front of the app servers (nginx's proxy cache, docs/deploy.md)
# may answer with a public page before asking again: the delay before a change is seen through it.
SHARED_CACHE_SECONDS = env.int("DJANGO_SHARED_CACHE_SECONDS", default=30)

# Editors' "Needs review" list (publishing.models.PublishableQuerySet.needs_review): a fact whose
# source stated it longer ago than this many days is due to be checked again.
REVIEW_AFTER_DAYS = env.int("DJANGO_REVIEW_AFTER_DAYS", default=365)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Length rather than composition rules: 12 characters at least (shared/SECURITY.md AUTH-07), and
# a long passphrase of any characters is welcome.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]

# Content texts are translated field by field (each app's translation.py): English is the
# original every record has; a missing Chinese text falls back to it, and the page says so.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# Mission(summary="…") fills the English field, as code, demo content and imports expect.
MODELTRANSLATION_AUTO_POPULATE = "default"
# Slugs are made from the English name or title, whatever the editor's admin language.
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "en"
# Our English dates read "3 May 2024"; Chinese ones use Django's "2024年5月3日".
FORMAT_MODULE_PATH = ["lunarportal.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic gathers the files WhiteNoise serves (default: staticfiles/ in the project).
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "website.storage.StaticFilesStorage"},
}
# Country flags as SVG (static/flags/, from flag-icons): django-countries ships 16×11 GIFs only,
# blurred on any high-density screen.
COUNTRIES_FLAG_URL = "flags/{code}.svg"
# Uploaded media on S3-compatible object storage (django-storages) when a bucket is named, so that
# every app server sees the same files; otherwise on the local disk (MEDIA_ROOT).
MEDIA_BUCKET = env.str("DJANGO_MEDIA_BUCKET", default="")
if MEDIA_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_BUCKET,
            "endpoint_url": env.str("DJANGO_MEDIA_ENDPOINT_URL", default="") or None,  # AWS when empty
            "custom_domain": env.str("DJANGO_MEDIA_DOMAIN", default="") or None,  # a CDN or public host
            "region_name": env.str("DJANGO_MEDIA_REGION", default="") or None,
            "access_key": env.str("DJANGO_MEDIA_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("DJANGO_MEDIA_SECRET_ACCESS_KEY", default="") or None,
            "querystring_auth": False,  # published images are public: plain, cacheable URLs
            "file_overwrite": False,  # a second upload with the same name gets a name of its own
            "default_acl": None,  # the bucket's own policy decides
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }

MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
SERVE_MEDIA = env.bool("DJANGO_SERVE_MEDIA", default=DEBUG)

# Uploaded images: refused above these limits before Pillow decodes any pixel.
IMAGE_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000

# Comparing two versions in the admin (django-reversion-compare): a relation (a mission's launch
# vehicle) is changed when it points elsewhere, not whenever any other field of the version changed.
REVERSION_COMPARE_FOREIGN_OBJECTS_AS_ID = True

# Bulk import and export in the admin (django-import-export).
IMPORT_EXPORT_USE_TRANSACTIONS = True  # a file is imported whole or not at all
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# The library removes a leading "=" from exported cells. The resources' text widget goes further
# (partners/resources.py): text starting with =, +, -, @, a tab or a carriage return is exported
# behind an apostrophe, which an import takes off again.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_FORMATS = [CSV, XLSX, JSON]
# Importing needs the change permission (the admin also asks for add); exporting needs view.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# The read-only open-data API at /api/v1/ (api/). Everyone is anonymous there: no login, no
# session, so no CSRF exemption is needed; each client address gets API_ANON_RATE requests.
API_ANON_RATE = env.str("DJANGO_API_ANON_RATE", default="120/minute")
# How many reverse proxies in front of the site append to X-Forwarded-For. With 0 the limit goes
# by the connection's address; DRF's default (None) would trust any X-Forwarded-For a client sends,
# so that a made-up header would escape the limit.
API_NUM_PROXIES = env.int("DJANGO_API_NUM_PROXIES", default=0)
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_METADATA_CLASS": None,  # read-only: OPTIONS has nothing to describe (405)
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_ANON_RATE},
    "NUM_PROXIES": API_NUM_PROXIES,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StablePageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "api.schema.APIAutoSchema",
    "COERCE_DECIMAL_TO_STRING": False,  # coordinates as JSON numbers
    "URL_FORMAT_OVERRIDE": None,  # JSON only: `?format=` is an ordinary, ignored parameter, not a 404
}
SPECTACULAR_SETTINGS = {
    "TITLE": "lunarportal open data API",
    "DESCRIPTION": (
        "Published facts on China's lunar missions and their international partners, read-only. "
        "Lists take the same filters as the public pages and are paginated; anonymous clients are rate-limited."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # With deep links, each operation's path is a link inside the button that opens it: nested
    # controls, which keyboards and screen readers cannot tell apart (WCAG 4.1.2).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "ENUM_NAME_OVERRIDES": {
        "PartnerKind": "partners.models.Partner.Kind",
        "AgreementKind": "partners.models.Agreement.Kind",
        "ProjectKind": "partners.models.CooperationProject.Kind",
        "MissionStatus": "missions.models.Mission.Status",
        "DatePrecision": "publishing.models.DatePrecision",
    },
}

# Security headers and cookies. Defaults are production's; .env.example relaxes what a local
# http:// site needs (secure cookies, HTTPS redirect, HSTS), which with debug off also takes
# DJANGO_ALLOW_INSECURE=1 (check_https_protection).
SESSION_COOKIE_HTTPONLY = True
# Only staff have sessions (the public never signs in). A session ends after this long without a
# request, a working day by default: each request renews it (SESSION_SAVE_EVERY_REQUEST), so an
# editor at work is never signed out, and a session left open overnight is over.
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_IDLE_SECONDS", default=8 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (docs/deploy.md).
if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
if not DEBUG:
    check_https_protection(
        redirect=SECURE_SSL_REDIRECT,
        hsts_seconds=SECURE_HSTS_SECONDS,
        secure_cookies=SESSION_COOKIE_SECURE,
        allowed=env.bool("DJANGO_ALLOW_INSECURE", default=False),
    )
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# Declares the site fit for browsers' preload lists; being listed still takes the owner's request.
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS >= 31_536_000
# Health checks come from the load balancer over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): only our own scripts, styles, images and fonts; no inline
# code, except the admin's import map for the rich text editor, allowed by a per-response nonce
# (the header carries one only when a page used it: public pages never do).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # The rich text editor (Tiptap, inside django-prose-editor) adds its base styles as a <style>
        # element, always the same text: allowed by its hash. A library upgrade that changes it
        # shows up as a CSP error in tests/browser.
        "style-src": [SELF, "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# What the portal never asks the browser for, on any page.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    ]
)

# Admin login throttling (django-axes): after 5 failures for one user name from one address,
# that pair waits 15 minutes; other people and other addresses are not locked out.
AXES_FAILURE_LIMIT = env.int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# The client address as the app server sees it; behind a proxy, set the number of proxies.
AXES_IPWARE_PROXY_COUNT = env.int("DJANGO_API_NUM_PROXIES", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# One JSON object per line in production (DJANGO_LOG_FORMAT=json, the default with debug off);
# plain text for a person reading a terminal. Requests are logged at INFO (website/logs.py).
LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "website.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
    "loggers": {
        "lunarportal.requests": {"level": env.str("DJANGO_REQUEST_LOG_LEVEL", default="INFO")},
        # The request log above replaces Django's own per-request warnings (404s…).
        "django.request": {"level": "ERROR"},
    },
}
