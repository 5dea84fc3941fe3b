from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners, agreements and projects")

    def ready(self):
        from lunarportal import search

        from .models import Agreement, CooperationProject, Partner

        search.register(Partner)
        search.register(Agreement)
        search.register(CooperationProject)
