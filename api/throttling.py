from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from publishing.caching import SharedOrLocal


class AnonymousRateThrottle(AnonRateThrottle):
    """DRF's limit per client address, counted in the shared cache (every app server together),
    or in each process's memory while the shared cache does not answer."""

    cache = SharedOrLocal()

    def get_rate(self):
        # Read per request, not once at import as DRF does: a changed setting is followed at once.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        # No sign-in on the API: not reading request.user lets api.middleware count cached answers.
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
