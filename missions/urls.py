from django.urls import path

from . import views
from .feeds import MissionFeed

app_name = "missions"

urlpatterns = [
    path("", views.MissionListView.as_view(), name="list"),
    path("<slug:slug>/", views.MissionDetailView.as_view(), name="detail"),
    path("<slug:slug>/feed/", MissionFeed(), name="feed"),
    path("<slug:slug>/cite.bib", views.MissionCitationView.as_view(), name="citation"),
    path("<slug:slug>/preview/", views.MissionPreviewView.as_view(), name="preview"),
]
