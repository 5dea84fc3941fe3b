from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found


def not_found(request, exception=None):
    """The site's 404: JSON under /api/ (an address the API's URLs do not match at all, such as
    /api/v1/payloads/1.5/), the "page not found" page everywhere else."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return page_not_found(request, exception)
