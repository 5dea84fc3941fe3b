from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners, agreements and projects")

    def ready(self):
        from lunarportal.caching import invalidate_on_change

        invalidate_on_change(self)  # a change to any of this app's records forgets cached pages

        from lunarportal import search

        from .models import Agreement, CooperationProject, Partner

        search.register(Partner)
        search.register(Agreement)
        search.register(CooperationProject)
