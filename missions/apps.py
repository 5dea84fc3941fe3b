from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "missions"
    verbose_name = _("Missions and payloads")

    def ready(self):
        from publishing.caching import invalidate_on_change

        invalidate_on_change(self)  # a change to any of this app's records forgets cached pages

        from search import index

        from .models import Mission, Payload

        index.register(Mission)
        index.register(Payload)
