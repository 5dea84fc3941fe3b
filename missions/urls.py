from django.urls import path

from . import views
from .exports import MissionCSVView
from .feeds import MissionFeed

app_name = "missions"

# The fixed pages come before <slug>: a mission cannot be called "compare", "timeline" or "landing-sites".
urlpatterns = [
    path("", views.MissionListView.as_view(), name="list"),
    path("export.csv", MissionCSVView.as_view(), name="csv"),
    path("compare/", views.compare, name="compare"),
    path("timeline/", views.MissionTimelineView.as_view(), name="timeline"),
    path("landing-sites/", views.LandingSitesView.as_view(), name="landing_sites"),
    path("<slug:slug>/", views.MissionDetailView.as_view(), name="detail"),
    path("<slug:slug>/feed/", MissionFeed(), name="feed"),
    path("<slug:slug>/cite.bib", views.MissionCitationView.as_view(), name="citation"),
    path("<slug:slug>/preview/", views.MissionPreviewView.as_view(), name="preview"),
]
