from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "missions"
    verbose_name = _("Missions and payloads")

    def ready(self):
        from publishing.caching import bump_on_change

        bump_on_change(self)  # a change to any of this app's records: cached pages are not served again

        from publishing import history
        from search import index

        from .models import Mission, Payload

        index.register(Mission)
        index.register(Payload)
        # A mission's page shows its payloads (also saved on their own), milestones, images and
        # sources: their public changes are the mission's.
        history.track(Mission, parts=("payloads", "milestones", "images", "sources"))
