from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """DRF's per-address limit for anonymous clients (429 with Retry-After above it)."""

    def get_rate(self):
        # DRF copies the rates once, when its module is imported; reading them here follows a
        # changed setting (DJANGO_API_ANON_RATE in a test, say) without a restart.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
