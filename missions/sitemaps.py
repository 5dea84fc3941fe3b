from django.contrib.sitemaps import Sitemap

from .models import Mission


class MissionSitemap(Sitemap):
    """Every published mission's page, in each language (django.contrib.sitemaps `i18n`)."""

    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return Mission.objects.published().only("slug", "updated_at", "publish_at").order_by("pk")

    def lastmod(self, mission):
        return mission.last_public_change
