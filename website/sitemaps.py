"""sitemap.xml's own section: the home page and the lists (missions and partners add their records)."""

from django.urls import reverse

from publishing.sitemaps import BilingualSitemap


class SectionSitemap(BilingualSitemap):
    def items(self):
        return ["home", "missions:list", "partners:list"]

    def location(self, name):
        return reverse(name)
