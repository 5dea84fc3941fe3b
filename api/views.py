import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound

from missions.filters import MissionFilter
from partners.filters import PartnerListFilter

from . import selectors, serializers
from .filters import AgreementFilter, PayloadFilter, ProjectFilter


class PublishedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A list and a detail of published records, GET only (any other method: 405). Querysets come
    from api.selectors; a list may read a lighter one than the detail: what its rows show."""

    # Read-only: OPTIONS is refused (settings: no metadata class), so Allow names GET and HEAD only.
    http_method_names = ["get", "head"]
    lookup_field = "slug"
    # What a lookup value can be; anything else is a 404 before any query (PostgreSQL refuses
    # a NUL character in a query rather than matching nothing).
    lookup_value_format = re.compile(r"[-a-zA-Z0-9_]{1,200}")
    detail_serializer_class = None

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class:
            return self.detail_serializer_class
        return self.serializer_class

    def get_object(self):
        if not self.lookup_value_format.fullmatch(self.kwargs[self.lookup_field]):
            raise NotFound(_("No such record."))
        return super().get_object()


@extend_schema_view(
    list=extend_schema(summary="Published missions, in launch order"),
    retrieve=extend_schema(summary="A published mission with its payloads, milestones, images and sources"),
)
class MissionViewSet(PublishedReadOnlyViewSet):
    serializer_class = serializers.MissionSerializer
    detail_serializer_class = serializers.MissionDetailSerializer
    filterset_class = MissionFilter

    def get_queryset(self):
        return selectors.missions_for_detail() if self.action == "retrieve" else selectors.missions_for_list()


@extend_schema_view(
    list=extend_schema(summary="Published payloads, by mission"),
    retrieve=extend_schema(summary="A published payload"),
)
class PayloadViewSet(PublishedReadOnlyViewSet):
    lookup_field = "pk"
    lookup_value_format = re.compile(r"[0-9]{1,18}")
    serializer_class = serializers.PayloadSerializer
    filterset_class = PayloadFilter

    def get_queryset(self):
        return selectors.published_payloads()


@extend_schema_view(
    list=extend_schema(summary="Published partners, by name, with what each takes part in"),
    retrieve=extend_schema(summary="A published partner with its missions, payloads, agreements and projects"),
)
class PartnerViewSet(PublishedReadOnlyViewSet):
    serializer_class = serializers.PartnerSerializer
    detail_serializer_class = serializers.PartnerDetailSerializer
    filterset_class = PartnerListFilter

    def get_queryset(self):
        return selectors.partners_for_detail() if self.action == "retrieve" else selectors.partners_for_list()


@extend_schema_view(
    list=extend_schema(summary="Published cooperation agreements, latest first"),
    retrieve=extend_schema(summary="A published cooperation agreement"),
)
class AgreementViewSet(PublishedReadOnlyViewSet):
    serializer_class = serializers.AgreementSerializer
    filterset_class = AgreementFilter

    def get_queryset(self):
        return selectors.published_agreements()


@extend_schema_view(
    list=extend_schema(summary="Published cooperation projects (satellites and services built together)"),
    retrieve=extend_schema(summary="A published cooperation project"),
)
class ProjectViewSet(PublishedReadOnlyViewSet):
    serializer_class = serializers.ProjectSerializer
    filterset_class = ProjectFilter

    def get_queryset(self):
        return selectors.published_projects()


@extend_schema_view(
    list=extend_schema(summary="Published figures (counts and dates as their sources stated them)"),
    retrieve=extend_schema(summary="A published figure with its sources"),
)
class FigureViewSet(PublishedReadOnlyViewSet):
    serializer_class = serializers.FigureSerializer
    lookup_field = "key"

    def get_queryset(self):
        return selectors.published_figures()
