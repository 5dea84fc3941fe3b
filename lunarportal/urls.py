from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "lunarportal editors"
admin.site.site_title = "lunarportal admin"
admin.site.index_title = "Content"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("missions/", include("missions.urls")),
    path("partners/", include("partners.urls")),
    path("admin/", admin.site.urls),
]

# Uploaded images in local development; production serves media from its own storage.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
