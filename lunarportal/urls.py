from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from missions.sitemaps import MissionSitemap
from missions.views import site_picture
from partners.sitemaps import PartnerSitemap
from website import health, views
from website.feeds import LatestContentFeed
from website.sitemaps import SectionSitemap

admin.site.site_header = "lunarportal editors"
admin.site.site_title = "lunarportal admin"
admin.site.index_title = "Content"

# Public pages carry their language: /en/missions/, /zh-hans/missions/. A bare /missions/
# redirects to the visitor's language. The admin follows the browser's language instead.
# The open-data API has no language prefix: its addresses are for programs and must not move.
urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    # One sitemap and one robots.txt for the whole site, outside the language prefixes.
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"sections": SectionSitemap, "missions": MissionSitemap, "partners": PartnerSitemap}},
        name="sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    # The same picture in both languages: one address, outside the language prefixes.
    path(
        "pictures/missions/<slug:slug>/site-<str:key>-<int:width>.<str:extension>",
        site_picture,
        name="mission_site_picture",
    ),
    *i18n_patterns(
        path("", views.home, name="home"),
        path("feed/", LatestContentFeed(), name="feed"),
        path("search/", views.search, name="search"),
        path("figures/", views.figures, name="figures"),
        path("missions/", include("missions.urls")),
        path("partners/", include("partners.urls")),
    ),
]

handler400 = "website.errors.bad_request"
handler404 = "website.errors.not_found"

if settings.SERVE_MEDIA:
    # Uploaded images on a local site; production serves media from its own storage.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", views.media)]
