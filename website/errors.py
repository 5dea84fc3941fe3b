"""The site's 400, 404 and 503 pages, in JSON under /api/: errors that Django raises before or
outside the API's views (an address no API URL matches, too many query parameters, a database
that does not answer) still answer an API client in the API's own shape, {"detail": "…"}.
Everywhere else, the site's pages as before."""

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.defaults import bad_request as html_bad_request
from django.views.defaults import page_not_found


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception=None):
    if is_api(request):
        return JsonResponse({"detail": _("Bad request.")}, status=400)
    return html_bad_request(request, exception)


def not_found(request, exception=None):
    if is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return page_not_found(request, exception)


def database_unavailable(request):
    if is_api(request):
        return JsonResponse(
            {"detail": _("The service is unavailable for a moment. Please try again shortly.")}, status=503
        )
    # Static: rendering it needs no database.
    return HttpResponse(render_to_string("503.html"), status=503)
