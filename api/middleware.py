from publishing.caching import PublicPageCacheMiddleware

from .throttling import AnonymousRateThrottle


class CachedApiMiddleware(PublicPageCacheMiddleware):
    """API answers cached whole, like pages, and answered before Django REST framework starts:
    its dispatch, content negotiation and the rest of the middleware cost more than the hit.

    A cached answer still counts towards the client's rate limit (DRF's throttle). Over the limit,
    the request goes on to the API's views, which answer 429 with Retry-After. Not marked for
    shared HTTP caches: a proxy's copy would escape the limit."""

    # The schema answers in YAML or JSON as Accept asks, and a client accepting no JSON gets 406:
    # one cached answer per Accept value keeps both as the views give them.
    vary_on = ("Accept",)

    def covers(self, path: str) -> bool:
        return path.startswith("/api/")

    def may_serve_cached(self, request) -> bool:
        return AnonymousRateThrottle().allow_request(request, view=None)

    def respond(self, request):
        response = self.get_response(request)
        # Rendered by now: what the cache keeps is the answer as sent. DRF's Response would also
        # pickle its data (the serializer's records with their querysets), 150 times the answer's
        # size for a list, unpickled again on every hit.
        response.data = None
        return response
