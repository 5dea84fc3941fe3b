from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "missions"
    verbose_name = _("Missions and payloads")

    def ready(self):
        from publishing.caching import bump_on_change

        bump_on_change(self)  # a change to any of this app's records: cached pages are not served again

        from publishing import history
        from search import index

        from .models import LaunchSite, LaunchVehicle, Mission, Payload

        index.register(Mission)
        index.register(Payload)
        # A mission's page shows its payloads (also saved on their own), milestones, images and
        # sources: their public changes are the mission's.
        history.track(Mission, parts=("payloads", "milestones", "images", "sources"))
        for model in (LaunchVehicle, LaunchSite):
            post_save.connect(reindex_missions, sender=model, dispatch_uid=f"search:missions-of-{model._meta.label}")


def reindex_missions(sender, instance, raw=False, using="default", **kwargs):
    """A launch vehicle or site renamed: the missions it launched are found by its new names."""
    from search.index import index_object

    if not raw:
        for mission in instance.missions.select_related("launch_vehicle", "launch_site"):
            index_object(mission, using)
