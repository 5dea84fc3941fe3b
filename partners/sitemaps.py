from publishing.sitemaps import BilingualSitemap

from .models import Partner


class PartnerSitemap(BilingualSitemap):
    """Every published partner's page, in each language. Agreements and projects have no page
    of their own: they are on their parties' pages."""

    def items(self):
        return Partner.objects.published().only("slug", "updated_at", "publish_at").order_by("pk")

    def lastmod(self, partner):
        return partner.last_public_change
