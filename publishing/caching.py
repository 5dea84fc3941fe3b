"""Public pages and API answers cached whole with Django's cache framework, under one content
generation: a token in the database (ContentGeneration) that every change to content replaces in
its own transaction. Content models' signals call `bump()`; so must code writing content around
`save()` (a data migration, `QuerySet.update()`, raw SQL). The cache keeps a copy of the token,
checked against the database every CHECK_SECONDS and at the next scheduled `publish_at` or
`unpublish_at` (a scheduled moment passed is part of the generation), so a save made while the
cache was away, or a restored backup, shows once it answers again. Nothing stays cached longer
than PAGE_CACHE_SECONDS. A cache that does not answer (Redis has short timeouts) is left alone
for RETRY_SECONDS: pages render from the database meanwhile, and the outage is logged once.
"""

import hashlib
import logging
import time
import uuid
from contextlib import suppress
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.db import DatabaseError, transaction
from django.db.models import Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag

from .models import ContentGeneration, PublishableModel

logger = logging.getLogger(__name__)

GENERATION_KEY = "content-generation"
CHECK_SECONDS = 5
RETRY_SECONDS = 5


class Unavailable(Exception):
    pass


# copy_unsure: changes made while the cache was away could not forget its copy of the generation.
_outage = SimpleNamespace(retry_at=0.0, reported=False, copy_unsure=False)


def shared(method: str, *args):
    """`cache.<method>(*args)`; Unavailable at once while the cache is known to be away."""
    if time.monotonic() < _outage.retry_at:
        raise Unavailable
    try:
        result = getattr(cache, method)(*args)
    except Exception as error:  # each backend raises its own (redis.ConnectionError, TimeoutError, OSError…)
        _outage.retry_at = time.monotonic() + RETRY_SECONDS
        if not _outage.reported:
            _outage.reported = True
            logger.warning("The cache does not answer (%s): rendering from the database.", type(error).__name__)
        raise Unavailable from error
    if _outage.reported:
        _outage.reported, _outage.copy_unsure = False, True
        logger.warning("The cache answers again.")
    return result


class SharedOrLocal:
    """The shared cache's get and set, with this process's memory standing in while it is away
    (for the API's rate limit, which must go on counting)."""

    def get(self, *args):
        return self._either("get", *args)

    def set(self, *args):
        return self._either("set", *args)

    def _either(self, method, *args):
        try:
            return shared(method, *args)
        except Unavailable:
            return getattr(caches["local"], method)(*args)


def current_generation(copy: dict | None) -> str:
    """The generation responses are cached under now, given the cache's copy of it (None when
    it has none). Raises Unavailable."""
    now = time.time()
    if _outage.copy_unsure:
        copy, _outage.copy_unsure = None, False
    if copy and now < copy["check_at"]:
        return copy["value"]
    try:
        value, next_moment = _generation_in_database()
    except DatabaseError:
        if copy:
            return copy["value"]  # the database is away: the last generation seen still stands
        raise
    check_at = min(now + CHECK_SECONDS, next_moment or now + CHECK_SECONDS)
    shared("set", GENERATION_KEY, {"value": value, "check_at": check_at}, None)
    return value


def _generation_in_database() -> tuple[str, float | None]:
    """(the generation, when the next scheduled moment falls due as a Unix time or None), in one
    query: the token, and each publishable model's last passed and next scheduled moments."""
    now = timezone.now()
    moments = {}
    for model in apps.get_models():
        if issubclass(model, PublishableModel):
            for field in ("publish_at", "unpublish_at"):
                rows = model._base_manager.order_by().values(field)
                name = f"{model._meta.db_table}_{field}"
                moments[f"passed_{name}"] = Subquery(rows.filter(**{f"{field}__lte": now}).order_by(f"-{field}")[:1])
                moments[f"next_{name}"] = Subquery(rows.filter(**{f"{field}__gt": now}).order_by(field)[:1])
    rows = ContentGeneration.objects.filter(pk=1).values("token", **moments)
    row = rows.first()
    if row is None:  # no change to content yet (a new database)
        ContentGeneration.objects.create(pk=1)
        row = rows.get()
    passed = [moment for name, moment in row.items() if name.startswith("passed_") and moment]
    upcoming = [moment for name, moment in row.items() if name.startswith("next_") and moment]
    last = max(passed).timestamp() if passed else 0
    return f"{row['token']}.{last:.0f}", min(upcoming).timestamp() if upcoming else None


def bump(**kwargs) -> None:
    """Content changed: nothing cached before is served again, once the change is committed.
    Receiver of every content model's signals (bump_on_change); call it after writing content
    without them."""
    token = uuid.uuid4().hex
    # One UPDATE: every save of content comes through here.
    if not ContentGeneration.objects.filter(pk=1).update(token=token):
        ContentGeneration.objects.get_or_create(pk=1, defaults={"token": token})  # a new database
    # Forgotten now, for this transaction's own requests, and again once committed: a request
    # that read the database meanwhile may have put the old generation back.
    _forget_generation_copy()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_forget_generation_copy)


def forget_everything() -> None:
    """After a restore (docs/deploy.md): nothing cached before is served again, and the shared
    cache is emptied (its pages, API answers and rate-limit counts). Raises Unavailable when the
    cache does not answer: the new generation already keeps its old pages from being served."""
    bump()
    shared("clear")


def _forget_generation_copy() -> None:
    with suppress(Unavailable):  # else it is read again from the database within CHECK_SECONDS
        shared("delete", GENERATION_KEY)


def bump_on_change(app_config) -> None:
    """Every model of `app_config` (its content, sources, the links between them) bumps the generation."""
    for model in app_config.get_models():
        uid = f"bump-{model._meta.label}"
        post_save.connect(bump, sender=model, dispatch_uid=uid)
        post_delete.connect(bump, sender=model, dispatch_uid=uid)
        for field in model._meta.many_to_many:
            m2m_changed.connect(bump, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}")


def _response_key(request, vary_on: tuple[str, ...]) -> str:
    """One key per address and representation, whatever the generation: a newer response replaces
    an older one. The language and whether the client takes gzip always choose between them."""
    gzip = "gzip" if re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")) else ""
    line = "\n".join([request.build_absolute_uri(), getattr(request, "LANGUAGE_CODE", ""), gzip])
    line += "".join(f"\n{request.headers.get(name, '')}" for name in vary_on)
    return f"response:{hashlib.sha256(line.encode()).hexdigest()}"


def _shareable(response) -> bool:
    directives = {part.partition("=")[0].strip().lower() for part in response.get("Cache-Control", "").split(",")}
    no_sharing = directives & {"private", "no-store"}
    return response.status_code == 200 and not (response.streaming or response.cookies or no_sharing)


class PublicPageCacheMiddleware:
    """What anonymous visitors GET from the public pages: answered from the cache while the
    content generation it was rendered in is current, and marked as fit for a shared HTTP cache
    (nginx's, docs/deploy.md) for SHARED_CACHE_SECONDS; browsers ask again every time with the
    page's ETag (a 304 while it is unchanged). Never cached: the admin, previews, the API
    (api.middleware), media, health checks, anyone signed in, and any response but a plain 200.

    Not Django's CacheMiddleware, which keys a page on the raw Accept-Encoding header (a copy per
    way a browser writes it), fixes its key prefix at start-up (the generation is read per
    request), reads the cache twice per hit, and answers 500 when Redis hangs."""

    NOT_PAGES = ("/admin/", "/api/", "/media/", "/static/", "/healthz", "/readyz")
    # Request headers that choose between representations of one address, besides the language.
    vary_on: tuple[str, ...] = ()

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        anonymous = settings.SESSION_COOKIE_NAME not in request.COOKIES
        if not (request.method == "GET" and anonymous and self.covers(request.path)):
            return self.get_response(request)
        if settings.PAGE_CACHE_SECONDS <= 0:
            return self.respond(request)
        key = _response_key(request, self.vary_on)
        try:
            found = shared("get_many", [GENERATION_KEY, key])  # one round trip for both
            generation = current_generation(found.get(GENERATION_KEY))
        except (Unavailable, DatabaseError):  # the view answers: its 503 while the database is away
            return self.respond(request)
        entry = found.get(key)
        if entry and entry[0] == generation and self.may_serve_cached(request):
            response = HttpResponse(entry[3], status=entry[1])
            for name, value in entry[2]:
                response.headers[name] = value
            return response
        response = self.respond(request)
        if _shareable(response):
            set_response_etag(response)  # hashed once here, not on every 304 check
            entry = (generation, response.status_code, list(response.items()), response.content)
            with suppress(Unavailable):
                shared("set", key, entry, settings.PAGE_CACHE_SECONDS)
        return response

    def covers(self, path: str) -> bool:
        return not path.startswith(self.NOT_PAGES) and "/preview/" not in path

    def may_serve_cached(self, request) -> bool:
        return True

    def respond(self, request):
        response = self.get_response(request)
        if response.status_code == 200 and not response.cookies and not response.has_header("Cache-Control"):
            patch_cache_control(response, public=True, max_age=0, s_maxage=settings.SHARED_CACHE_SECONDS)
        return response
