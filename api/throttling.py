import logging

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """DRF's per-address limit for anonymous clients (429 with Retry-After above it)."""

    def allow_request(self, request, view):
        # The counts live in the cache; when it does not answer, serving beats refusing everyone.
        try:
            return super().allow_request(request, view)
        except Exception as error:  # each cache backend raises its own (redis.ConnectionError, …)
            logging.getLogger(__name__).warning("Rate limit skipped: cache unavailable (%s).", type(error).__name__)
            return True

    def get_rate(self):
        # DRF copies the rates once, when its module is imported; reading them here follows a
        # changed setting (DJANGO_API_ANON_RATE in a test, say) without a restart.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
