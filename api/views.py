import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from lunarportal import caching
from missions.filters import MissionFilter
from partners.filters import PartnerListFilter

from . import selectors, serializers
from .filters import AgreementFilter, PayloadFilter, ProjectFilter


class CachedReadsMixin:
    """Lists and details answered from the cache while content is unchanged (lunarportal.caching).
    The lookup happens inside the action, after the rate limit has counted the request."""

    cache_slot = None

    def list(self, request, *args, **kwargs):
        return self._cached(request) or super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self._cached(request) or super().retrieve(request, *args, **kwargs)

    def _cached(self, request):
        if settings.PAGE_CACHE_SECONDS <= 0:
            return None
        self.cache_slot, cached = caching.lookup(request, "api")
        return caching.cached_response(request, cached) if cached is not None else None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.cache_slot and isinstance(response, Response) and response.status_code == 200:
            response.render()
            caching.store(self.cache_slot, caching.cache_entry(response))
        return response


class PublishedReadOnlyViewSet(CachedReadsMixin, viewsets.ReadOnlyModelViewSet):
    """A list and a detail of published records, GET only (any other method: 405). Querysets come
    from api.selectors; a list may read a lighter one than the detail: what its rows show."""

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
