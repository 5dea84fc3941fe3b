from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from publishing.caching import SharedOrLocal


class AnonymousRateThrottle(AnonRateThrottle):
    """DRF's limit per client address (the API has no sign-in), counted in the shared cache so
    that every app server counts together; while the shared cache does not answer, each process
    counts in its own memory, and the limit still holds per process."""

    cache = SharedOrLocal()

    def get_rate(self):
        # DRF copies the rates once, when its module is imported; reading them here follows a
        # changed setting (DJANGO_API_ANON_RATE in a test, say) without a restart.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        # The API has no sign-in: every client is anonymous, known by its address. Not reading
        # request.user lets api.middleware count cached answers before authentication runs.
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
