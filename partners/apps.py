from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners, agreements and projects")

    def ready(self):
        from publishing.caching import invalidate_on_change

        invalidate_on_change(self)  # a change to any of this app's records forgets cached pages

        from search import index

        from .models import Agreement, CooperationProject, Partner

        index.register(Partner)
        index.register(Agreement)
        index.register(CooperationProject)
