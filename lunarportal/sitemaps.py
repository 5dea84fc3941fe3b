"""sitemap.xml: the home page, the lists and every published detail page, each in English and
Chinese with the other language and an x-default as alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from missions.sitemaps import MissionSitemap
from partners.sitemaps import PartnerSitemap


class SectionSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return ["home", "missions:list", "partners:list"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"sections": SectionSitemap, "missions": MissionSitemap, "partners": PartnerSitemap}
