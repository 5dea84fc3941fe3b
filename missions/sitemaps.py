from publishing.sitemaps import BilingualSitemap

from .models import Mission


class MissionSitemap(BilingualSitemap):
    """Every published mission's page, in each language (django.contrib.sitemaps `i18n`)."""

    def items(self):
        return Mission.objects.published().only("slug", "updated_at", "publish_at").order_by("pk")

    def lastmod(self, mission):
        return mission.last_public_change
