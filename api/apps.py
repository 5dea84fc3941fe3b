from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """Open data: the read-only JSON API at /api/v1/ and the CSV exports of the public lists.

    An app of its own because it reads both `missions` and `partners`, which `partners` may not.
    """

    name = "api"
    verbose_name = _("Open data")
