from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import views
from .docs import SwaggerUIView

app_name = "api"

# DefaultRouter for its root view: /api/v1/ lists the five collections' addresses.
router = DefaultRouter()
router.include_format_suffixes = False  # JSON only; no /missions.json twins
router.register("missions", views.MissionViewSet, basename="mission")
router.register("payloads", views.PayloadViewSet, basename="payload")
router.register("partners", views.PartnerViewSet, basename="partner")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("figures", views.FigureViewSet, basename="figure")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerUIView.as_view(), name="docs"),
    *router.urls,
]
