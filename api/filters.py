"""Filters for the API lists that have no public page of their own. Missions and partners use the
public pages' own FilterSets (missions.filters.MissionFilter, partners.filters.PartnerListFilter)."""

import django_filters
from django.core.validators import validate_slug
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from missions.models import Payload
from partners.filters import PartnerFilter
from partners.forms import QUERY_MAX_LENGTH
from partners.models import Agreement, CooperationProject
from search.ranking import text_matches

# The schema generator cannot tell what a PartnerFilter takes (it resolves a name to a partner):
# in the query string it is text. Marking the class here keeps the schema tool out of partners/.
extend_schema_field(OpenApiTypes.STR)(PartnerFilter)

PARTNER_HELP = _("A country or organisation: name, ISO code or address name.")


def filter_text(queryset, name, value):
    """`q`: the same full-text search as the pages (search: both languages, word forms,
    Chinese characters), as a plain condition so that the list keeps its stable ordering."""
    return queryset.filter(text_matches(queryset.model, value, queryset.db))


def text_filter():
    return django_filters.CharFilter(label=_("Search"), method=filter_text, max_length=QUERY_MAX_LENGTH)


class PayloadFilter(django_filters.FilterSet):
    q = text_filter()
    partner = PartnerFilter(label=_("Partner"), field_name="providers", help_text=PARTNER_HELP)
    mission = django_filters.CharFilter(
        label=_("Mission"),
        field_name="mission__slug",
        max_length=200,
        validators=[validate_slug],
        help_text=_("The mission's address name, such as chang-e-6."),
    )
    origin = django_filters.ChoiceFilter(label=_("Origin"), choices=Payload.Origin.choices)
    selection_status = django_filters.ChoiceFilter(label=_("Selection status"), choices=Payload.SelectionStatus.choices)

    class Meta:
        model = Payload
        fields = ["q", "partner", "mission", "origin", "selection_status"]


class AgreementFilter(django_filters.FilterSet):
    q = text_filter()
    partner = PartnerFilter(label=_("Partner"), field_name="parties", help_text=PARTNER_HELP)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Agreement.Kind.choices)

    class Meta:
        model = Agreement
        fields = ["q", "partner", "kind"]


class ProjectFilter(django_filters.FilterSet):
    q = text_filter()
    partner = PartnerFilter(label=_("Partner"), field_name="partners", help_text=PARTNER_HELP)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CooperationProject.Kind.choices)

    class Meta:
        model = CooperationProject
        fields = ["q", "partner", "kind"]
