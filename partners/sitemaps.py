from django.contrib.sitemaps import Sitemap

from .models import Partner


class PartnerSitemap(Sitemap):
    """Every published partner's page, in each language. Agreements and projects have no page
    of their own: they are on their parties' pages."""

    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return Partner.objects.published().only("slug", "updated_at", "publish_at").order_by("pk")

    def lastmod(self, partner):
        return partner.last_public_change
