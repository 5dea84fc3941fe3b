from django.urls import path

from . import views
from .exports import PartnerCSVView
from .feeds import PartnerFeed

app_name = "partners"

urlpatterns = [
    path("", views.PartnerListView.as_view(), name="list"),
    path("export.csv", PartnerCSVView.as_view(), name="csv"),
    # Before <slug>: a partner cannot be called "charts".
    path("charts/", views.CooperationChartsView.as_view(), name="charts"),
    path("<slug:slug>/", views.PartnerDetailView.as_view(), name="detail"),
    path("<slug:slug>/feed/", PartnerFeed(), name="feed"),
    path("<slug:slug>/cite.bib", views.PartnerCitationView.as_view(), name="citation"),
    path("<slug:slug>/preview/", views.PartnerPreviewView.as_view(), name="preview"),
]
