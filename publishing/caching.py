"""Public pages and API responses cached whole, and forgotten the moment content changes.

Every cached entry carries the *content version*, a random token kept in the shared cache (Redis in
production). Any save or delete of content, and any change to its many-to-many links, replaces
the token, so every app server's next request misses and renders fresh: an entry stored under
another token is a miss. Scheduled publishing changes what is public without a save: the state
also records when the next `publish_at` or `unpublish_at` falls due, and the first request after
that moment replaces the token.

The token is replaced at once (nothing cached before the change is served again) and once more
when the transaction commits (nothing rendered from the old data while it was committing survives).
A cache that does not answer is skipped: pages are then rendered from the database every time.

Where entries live:
- Fragments (a record's page body, a list's content, cards, search results, facet counts: what
  costs queries) are shared by every app server through the shared cache, and each process keeps
  copies of those it used in its own memory (the "local" cache, least recently used out first).
- Whole pages and API responses live in the memory of the process that rendered them, made from
  those fragments (store()).

How a process learns the current token:
- With Redis, each change is also announced (publish/subscribe), and each process keeps the token
  until it hears of one (_VersionWatch). A page, or a fragment, this process holds is then
  served without any round trip to Redis.
- With other backends (local memory, files), each lookup reads the token, together with the
  shared entries it asks for, in one round trip (get_many).
"""

import hashlib
import logging
import os
import threading
import time
import uuid
from collections import OrderedDict
from contextlib import contextmanager, suppress
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip as ACCEPTS_GZIP
from django.utils import timezone
from django.utils.autoreload import file_changed
from django.utils.cache import patch_vary_headers
from django.utils.http import quote_etag
from isal import igzip

from publishing import release

logger = logging.getLogger(__name__)

STATE_KEY = "lunarportal:content-state"
CHANGES_CHANNEL = "lunarportal:content-changes"
# At most this long between two reads of the content version by a process that is told of
# changes (_VersionWatch): the bound on a missed announcement, for one read per second.
WATCH_LEASE_SECONDS = 1.0


class CacheUnavailable(Exception):
    pass


def _cache_call(method, *args):
    try:
        return getattr(cache, method)(*args)
    except Exception as error:  # each backend raises its own (redis.ConnectionError, OSError, …)
        logger.warning("Cache unavailable (%s): rendering from the database.", error.__class__.__name__)
        raise CacheUnavailable from error


def next_scheduled_change() -> float | None:
    """When the next publish_at or unpublish_at falls due, as a Unix time (None: nothing
    scheduled). One query: the future moments of every publishable model, earliest first."""
    from publishing.models import PublishableModel

    now = timezone.now()
    moments = [
        model._base_manager.filter(**{f"{field}__gt": now})
        .order_by()
        .annotate(moment=F(field))
        .values_list("moment", flat=True)
        for model in apps.get_models()
        if issubclass(model, PublishableModel)
        for field in ("publish_at", "unpublish_at")
    ]
    earliest = moments[0].union(*moments[1:], all=True).order_by("moment").first()
    return earliest.timestamp() if earliest else None


def _new_state() -> dict:
    state = {"version": uuid.uuid4().hex, "next_change": next_scheduled_change()}
    _cache_call("set", STATE_KEY, state, None)
    return state


def _fetch(keys: list[str]) -> tuple[str, dict]:
    """(current content version, {key: value} of the shared entries stored under it), in one round
    trip at most: none when changes are announced to this process and it holds copies of them all
    (or `keys` is empty)."""
    version = _watch.version()
    if version is not None:
        return version, _copies_or_shared(version, keys)
    found = _cache_call("get_many", [STATE_KEY, *keys])
    state = found.pop(STATE_KEY, None)
    if _outdated(state):
        return _new_state()["version"], {}  # a new token: nothing stored before it counts
    return state["version"], _values_under(state["version"], found)


def _outdated(state: dict | None) -> bool:
    """Whether `state` is missing, or a scheduled change has fallen due since it was made."""
    return state is None or bool(state["next_change"] and time.time() >= state["next_change"])


def _copies_or_shared(version: str, keys: list[str]) -> dict:
    """{key: value} of the entries under `version`: this process's copies first, then one read of
    the shared cache for the rest. What that read finds is copied here: an entry asked for twice
    is likely to be asked for again."""
    local = caches["local"]
    found = _values_under(version, local.get_many(keys))
    wanted = [key for key in keys if key not in found]
    if wanted:
        found.update(_first_parts.promote(wanted, version))
        wanted = [key for key in wanted if key not in found]
    if wanted:
        fetched = _values_under(version, _cache_call("get_many", wanted))
        local.set_many(_entries_under(version, fetched))
        found.update(fetched)
    return found


def changes_are_announced() -> bool:
    """Whether the shared cache tells every process of each change (Redis: announce() and
    change_feed(), publishing.redis_cache); other backends are asked on every lookup."""
    return hasattr(cache, "announce")


class _VersionWatch:
    """This process's knowledge of the content version, kept without asking the shared cache on
    every request, where the cache announces each change (Redis publish/subscribe).

    A change deletes the state in the shared cache, then announces it on CHANGES_CHANNEL, and
    announce() returns only once Redis has written the news to every subscriber. Each request
    reads whatever announcements have already arrived on its process's subscription (no round
    trip) and, after one, reads the state again. So a change is seen by the first request that
    starts after it was made, on every app server, as when the state was read every time: the
    news is on its way to them before the editor's browser hears the change was saved.

    If the subscription drops, the state is read again (on a new subscription, or on the one
    redis-py reconnected by itself); and it is read at least every WATCH_LEASE_SECONDS, which
    bounds what a lost announcement could cost on a network that silently drops a connection.
    Backends without announce() (local memory, files) read the state with every lookup instead.
    """

    def __init__(self):
        self._lock = threading.Lock()  # a subscription is one connection: one thread at a time
        self._feed = self._state = None
        self._pid = os.getpid()
        self._read_at = 0.0

    def version(self) -> str | None:
        """The current content version, or None when changes are not announced to this process."""
        if not changes_are_announced():
            return None
        with self._lock:
            try:
                if self._feed is None or self._pid != os.getpid():  # a forked worker needs its own
                    self._start_over()
                    self._feed, self._pid = cache.change_feed(CHANGES_CHANNEL), os.getpid()
                if self._feed.changed() or time.monotonic() - self._read_at > WATCH_LEASE_SECONDS:
                    self._state = None
                if _outdated(self._state):
                    state = cache.get(STATE_KEY)
                    self._state = _new_state() if _outdated(state) else state
                    self._read_at = time.monotonic()
                return self._state["version"]
            except Exception as error:
                self._start_over()  # with a new subscription, on the next request
                if not isinstance(error, CacheUnavailable):  # already logged
                    logger.warning("Cache unavailable (%s): rendering from the database.", error.__class__.__name__)
                raise CacheUnavailable from error

    def forget(self) -> None:
        """Read the version again on the next request: this process has just changed it."""
        with self._lock:
            self._state = None

    def restart(self) -> None:
        """Subscribe again, and read the version, on the next request."""
        with self._lock:
            self._start_over()

    def _start_over(self) -> None:
        feed, self._feed, self._state = self._feed, None, None
        if feed is not None:
            with suppress(Exception):  # a broken connection, or the parent process's
                feed.close()


_watch = _VersionWatch()


def _values_under(version: str, entries: dict) -> dict:
    """{key: value} of the (version, value) `entries` stored under `version`."""
    return {key: entry[1] for key, entry in entries.items() if entry[0] == version}


def _entries_under(version: str, values: dict) -> dict:
    return {key: (version, value) for key, value in values.items()}


def _keep(version: str, values: dict) -> None:
    """Store each of `values` as computed under `version` (the token read before computing it:
    if content changed meanwhile, the current token already differs and the entry is never used)."""
    _cache_call("set_many", _entries_under(version, values), settings.PAGE_CACHE_SECONDS)


@receiver(setting_changed)
@receiver(file_changed)  # the development server keeps running when a template changes
def _forget_local_copies(**kwargs):
    """What each process keeps for itself depends on the code and the settings as well."""
    caches["local"].clear()
    _first_renders.clear()
    _first_parts.clear()
    _watch.restart()  # CACHES may name another shared cache


# The content version this request read with the page cache's lookup (PublicPageCacheMiddleware);
# None outside a page request, or when the cache did not answer.
_request_version: ContextVar[str | None] = ContextVar("lunarportal_content_version", default=None)


@contextmanager
def request_version(slot: tuple | None):
    """Within it, fragments are checked against the version of `slot` (from lookup())."""
    token = _request_version.set(slot[1] if slot else None)
    try:
        yield
    finally:
        _request_version.reset(token)


class _ChangeGroup:
    changed = False


# The group of changes_grouped() being run (None outside).
_change_group: ContextVar[_ChangeGroup | None] = ContextVar("lunarportal_change_group", default=None)


@contextmanager
def changes_grouped():
    """Within it, content changes make the app servers forget their pages once, when it ends,
    rather than twice per change (content_changed()): an import of 10,000 rows or a publish of
    200 selected items is one change for the caches, not 20,000 or 400 round trips and news to
    every process. Nothing within may serve a cached page expecting to see the changes."""
    if _change_group.get() is not None:  # within a group already: it announces for both
        yield
        return
    group = _ChangeGroup()
    token = _change_group.set(group)
    try:
        yield
    finally:
        _change_group.reset(token)
        if group.changed:  # failed or not: what was written before a rollback was seen by no one, but
            content_changed()  # the caches may hold pages rendered within, from the changes


def content_changed(**kwargs):
    """Signal receiver: forget every cached page now, and again once the change is committed."""
    if (group := _change_group.get()) is not None:
        group.changed = True
        return
    try:
        forget_everything()
    except CacheUnavailable:
        return
    transaction.on_commit(_forget_after_commit)


def _forget_after_commit():
    try:
        forget_everything()
    except CacheUnavailable:
        pass


def forget_everything():
    """Make every app server's next request miss: delete the content state, then tell every
    process that watches it (_VersionWatch). In that order, so that whoever hears the news reads
    the state after it was deleted."""
    _cache_call("delete", STATE_KEY)
    _watch.forget()  # this process: at once, whatever the network
    if changes_are_announced():
        _cache_call("announce", CHANGES_CHANNEL)


def invalidate_on_change(app_config):
    """Connect every model of `app_config` (its content, sources, links between them)."""
    for model in app_config.get_models():
        uid = f"content-changed-{model._meta.label}"
        post_save.connect(content_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(content_changed, sender=model, dispatch_uid=uid)
        for field in model._meta.many_to_many:
            m2m_changed.connect(content_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}")


def page_key(request, kind: str, vary_on: tuple[str, ...] = ()) -> str:
    """The key for this address (scheme, host, path and query) in this language, and for the
    values of the request headers `vary_on` (those the response's Vary names)."""
    request_line = "\n".join([request.build_absolute_uri(), *(request.headers.get(name, "") for name in vary_on)])
    address = hashlib.sha256(request_line.encode()).hexdigest()
    return f"lunarportal:{kind}:{request.LANGUAGE_CODE}:{address}"


class _FirstRenders:
    """Pages (or page parts) this process rendered that no one has asked for again yet, the oldest
    out first past `size`. One asked for again moves to the "local" cache, with the pages and
    parts in use. One-off addresses (a tracking parameter, a crawler sweeping through filters or
    records) thus only ever push out each other: without this, a burst of them pushed the home
    page and its parts out, and its next visitors waited for it to be rendered from the database
    (p99 0.5 s)."""

    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict[str, tuple] = OrderedDict()
        self._lock = threading.Lock()

    def put_many(self, entries: dict[str, tuple]) -> None:
        with self._lock:
            for key, entry in entries.items():
                self._entries[key] = entry
                self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def promote(self, keys: list[str], version: str) -> dict:
        """{key: value} of those of `keys` held, rendered under `version`: asked for again, they
        move to the "local" cache. Those of another version are dropped."""
        with self._lock:
            entries = {key: entry for key in keys if (entry := self._entries.pop(key, None)) is not None}
        values = _values_under(version, entries)
        caches["local"].set_many(_entries_under(version, values))
        return values

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_first_renders = _FirstRenders(size=500)
_first_parts = _FirstRenders(size=1000)  # remember_each()'s values; the shared cache has them too


def lookup(request, kind: str, vary_on: tuple[str, ...] = ()) -> tuple[tuple | None, object]:
    """(slot, cached value or None) for this request, from this process's own pages; the slot is
    what store() needs to keep the value once computed. (None, None) when the cache does not
    answer."""
    try:
        key = page_key(request, kind, vary_on)
        version, _ = _fetch([])
    except CacheUnavailable:
        return None, None
    entry = caches["local"].get(key)
    if entry is not None and entry[0] == version:
        return (key, version), entry[1]
    # Missing, or rendered before the last change: the page may have been rendered again since.
    return (key, version), _first_renders.promote([key], version).get(key)


def store(slot: tuple | None, value) -> None:
    """Keep a page in this process's memory only (first among _first_renders). What it costs to
    render is mostly in the fragments it is made of, which every app server shares (remember()):
    rendering it once per process costs less than the two round trips to the shared cache that
    sharing it would cost on every miss (0.4 ms of 1.8 ms for a filtered list on PostgreSQL
    and Redis)."""
    if slot is None:
        return
    key, version = slot
    _first_renders.put_many({key: (version, value)})


def remember(kind: str, meaning, compute):
    """The value of `compute()` for this content version, computed once and shared by every app
    server. `meaning` says what the value depends on besides content (a repr()-able value, such as
    a filter form's cleaned data); the address of the request does not matter, so visitors who ask
    the same question through different addresses share the answer."""
    return remember_each(kind, [meaning], lambda meaning: compute())[0]


def remember_each(kind: str, meanings: list, compute) -> list:
    """`compute(meaning)` for each meaning, cached under the content version, with one round trip
    to the cache for all of them (the cards of a list page, say): only the missing values are
    computed. Computed afresh when caching is off or the cache does not answer."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return [compute(meaning) for meaning in meanings]
    # The release is in each key: HTML made by other code (the app server not yet redeployed, or
    # the one before a deploy) is never used by this one.
    prefix = f"lunarportal:{kind}:{release.current()}"
    keys = [f"{prefix}:{hashlib.sha256(repr(meaning).encode()).hexdigest()}" for meaning in meanings]
    # Within a page request, the version read with the page is current: this process's copies first.
    version = _request_version.get()
    try:
        version, found = (version, _copies_or_shared(version, keys)) if version else _fetch(keys)
    except CacheUnavailable:
        return [compute(meaning) for meaning in meanings]
    missing = {key: compute(meaning) for key, meaning in zip(keys, meanings, strict=True) if key not in found}
    if missing:
        _first_parts.put_many(_entries_under(version, missing))
        try:
            _keep(version, missing)
        except CacheUnavailable:
            pass
    found.update(missing)
    return [found[key] for key in keys]


def cache_entry(response) -> tuple:
    """What the cache keeps of a rendered response: status, headers with an ETag, and the body
    compressed once. Nearly every client accepts gzip, and compressing a 200 KB page on every hit
    would cost more than the rest of the hit. No padding against BREACH is needed: cached
    responses are the same for everyone and hold no secret.

    A page is compressed on every miss, so with ISA-L (isal) at its level 1: for a 40 KB list,
    0.04 ms and 6.65 KB, where zlib takes 0.10 ms at level 2 (6.73 KB) and 0.25 ms at Django's
    level 6 (6.27 KB), a tenth of rendering the page. The output is gzip as any client reads it."""
    compressed = igzip.compress(response.content, compresslevel=1, mtime=0)
    if response.content:
        # The ETag hashes the compressed body, a fifth of the bytes to read: compression loses
        # nothing and, with no timestamp, the same page always compresses to the same bytes.
        response.headers["ETag"] = quote_etag(hashlib.md5(compressed, usedforsecurity=False).hexdigest())
    headers = [(name, value) for name, value in response.headers.items() if name != "Content-Length"]
    return response.status_code, headers, compressed


def cached_response(request, entry: tuple) -> HttpResponse:
    """The response a cache_entry() stands for, compressed for a client that accepts gzip."""
    status, headers, compressed = entry
    gzipped = bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
    body = compressed if gzipped else igzip.decompress(compressed)
    response = HttpResponse(body, status=status)
    for name, value in headers:
        response.headers[name] = value
    # CommonMiddleware, which sets it on other pages, is never reached by a cached one. Without
    # it the body travels in chunks, and a client cannot tell how much is left.
    response.headers["Content-Length"] = str(len(body))
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
        if response.get("ETag", "").startswith('"'):
            response.headers["ETag"] = "W/" + response["ETag"]  # as GZipMiddleware marks it
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


class PublicPageCacheMiddleware:
    """Serve anonymous GET requests for public pages from the cache while the content version
    they were rendered under is current.

    Not cached: the admin, previews, the API (api.middleware.CachedApiMiddleware, a subclass that
    also counts the rate limit), media, health checks, anyone with a session (staff see the same
    pages, but their responses may carry cookies), responses that set cookies, streamed ones (CSV
    exports) and anything but a 200.
    """

    kind = "page"
    # Request headers that choose between representations of one address, besides the language
    # (part of every key) and gzip (cached_response() serves both).
    vary_on = ()
    SKIPPED_PREFIXES = ("/admin/", "/api/", "/media/", "/static/", "/healthz", "/readyz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        slot, cached = lookup(request, self.kind, self.vary_on)
        if cached is not None and self.may_serve_cached(request):
            return cached_response(request, cached)
        with request_version(slot):
            response = self.get_response(request)
        if not self._cacheable_response(response):
            return response
        entry = cache_entry(response)
        store(slot, entry)
        # Answer from the entry too: the page is compressed once, for the cache and this client
        # alike, rather than again by GZipMiddleware on the way out.
        return cached_response(request, entry)

    def covers(self, path: str) -> bool:
        return not path.startswith(self.SKIPPED_PREFIXES) and "/preview/" not in path

    def may_serve_cached(self, request) -> bool:
        """Whether a cached response may answer this request; when not, the view answers it."""
        return True

    def _cacheable_request(self, request) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method == "GET"
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and self.covers(request.path)
        )

    @staticmethod
    def _cacheable_response(response) -> bool:
        return response.status_code == 200 and not response.streaming and not response.cookies
