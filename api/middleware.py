from publishing.caching import PublicPageCacheMiddleware

from .throttling import AnonymousRateThrottle


class CachedApiMiddleware(PublicPageCacheMiddleware):
    """API answers cached like pages, and served before Django REST framework starts (its
    dispatch costs more than the hit). A cached answer still counts towards the client's rate
    limit: over it, the API's views answer 429. Never marked for shared caches, which would let
    their copies escape the limit. One cached answer per Accept value: the schema answers YAML or
    JSON as asked, and a client that accepts no JSON gets its 406."""

    vary_on = ("Accept",)

    def covers(self, path: str) -> bool:
        return path.startswith("/api/")

    def may_serve_cached(self, request) -> bool:
        return AnonymousRateThrottle().allow_request(request, view=None)

    def respond(self, request):
        return self.get_response(request)
