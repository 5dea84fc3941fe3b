"""Site-wide response headers Django has no setting for."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """Permissions-Policy on every response: browser features the portal never uses stay off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
