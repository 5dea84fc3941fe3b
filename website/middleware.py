"""Site-wide behaviour Django has no setting for: a header, and a calm answer when the database is down."""

import logging

from django.conf import settings
from django.contrib.sessions import middleware as sessions
from django.db import InterfaceError, OperationalError

from . import errors

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


class PermissionsPolicyMiddleware:
    """Permissions-Policy on every response: browser features the portal never uses stay off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class DatabaseUnavailableMiddleware:
    """A database that does not answer gets a friendly 503 with Retry-After, not a traceback.
    Nothing is kept: the next request connects afresh (CONN_HEALTH_CHECKS), so the site recovers
    by itself when the database is back."""

    # The site's 503 page, or the API's JSON under /api/.
    respond = staticmethod(errors.database_unavailable)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable: %s", exception.__class__.__name__, extra={"path": request.path})
        response = self.respond(request)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


class SessionMiddleware(sessions.SessionMiddleware):
    """Django's, for a database that may not answer. Every request of a signed-in editor renews
    the session (SESSION_SAVE_EVERY_REQUEST), which reads and writes the database after the
    response is made: while the database is down, the response (a page whose parts are cached,
    the 503 page) goes out as it is, the session not renewed this once."""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except (OperationalError, InterfaceError) as error:
            logger.error(
                "Session not renewed, database unavailable: %s", error.__class__.__name__, extra={"path": request.path}
            )
            return response
