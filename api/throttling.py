import logging

from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from publishing.redis_cache import RedisCache

logger = logging.getLogger(__name__)


class AnonymousRateThrottle(AnonRateThrottle):
    """A per-address limit for anonymous clients: at most N requests in each fixed window (a
    minute, say), then 429 with Retry-After until the window ends.

    Counted with the cache's atomic increment (Redis INCR in production): one small key per
    client and window, correct when several app servers count at once. DRF's own throttle keeps
    a list of every request's time, which each request reads, trims and writes back: its cost
    grows with the rate, and two servers writing at once lose counts.

    On Redis, a count below the limit does not wait for Redis's reply (RedisCache.count_in_window):
    one process enforces the limit exactly, and a client spreading its requests over N app
    processes gets at most N past it in a window, one per process, before every process refuses."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        try:
            count = self.count(f"{self.key}:{window}", ttl=self.duration + 1)
        except ValueError:  # the window's key expired between add and incr: a new window
            return True
        except Exception as error:  # each cache backend raises its own (redis.ConnectionError, …)
            # The counts live in the cache; when it does not answer, serving beats refusing everyone.
            logger.warning("Rate limit skipped: cache unavailable (%s).", type(error).__name__)
            return True
        return count <= self.num_requests

    def get_cache_key(self, request, view):
        # The API has no sign-in: every client is anonymous, known by its address. Not reading
        # request.user lets api.middleware count cached answers before authentication runs.
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def count(self, key: str, ttl: int) -> int:
        """This request's number in its window."""
        backend = caches["default"]  # DRF's `cache` is Django's proxy to it
        if isinstance(backend, RedisCache):
            # Below the limit a count need not wait for Redis's reply; from the limit on it does.
            return backend.count_in_window(key, ttl, wait_from=self.num_requests)
        backend.add(key, 0, ttl)
        return backend.incr(key)

    def wait(self):
        return max(self.window_ends - self.now, 1)

    def get_rate(self):
        # DRF copies the rates once, when its module is imported; reading them here follows a
        # changed setting (DJANGO_API_ANON_RATE in a test, say) without a restart.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
