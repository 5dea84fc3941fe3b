"""sitemap.xml's own section: the home page, the lists, the figures and the picture pages (timeline, landing
sites, charts); missions and partners add their records."""

from django.urls import reverse

from publishing.sitemaps import BilingualSitemap


class SectionSitemap(BilingualSitemap):
    def items(self):
        return [
            "home",
            "figures",
            "missions:list",
            "missions:timeline",
            "missions:landing_sites",
            "partners:list",
            "partners:charts",
        ]

    def location(self, name):
        return reverse(name)
