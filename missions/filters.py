import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from partners.filters import PartnerFilter
from partners.forms import QUERY_MAX_LENGTH
from publishing.filters import FacetedFilterSet, yes_only_filter

from .models import Mission, MissionType


class DateInput(forms.DateInput):
    """The browser's date picker; the value stays an ISO date (YYYY-MM-DD)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")

    def format_value(self, value):
        # HTML allows an ISO date or nothing here. What the address gave (2024-1-1, 1/31/2024) is
        # shown as the ISO date the filter used; a non-date (?launch_date_after=yesterday) is not
        # echoed back, and its error message still shows.
        if isinstance(value, str):
            try:
                value = forms.DateField().to_python(value)  # as the filter read it
            except ValidationError:
                value = None
        return super().format_value(value)


class MissionFilter(FacetedFilterSet):
    facets = {"status": "status", "type": "types__code", "side": "side", "international": None}

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        max_length=QUERY_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, site, payload or partner")}),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Mission.Status.choices, empty_label=_("Any"))
    type = django_filters.ChoiceFilter(
        label=_("Type"), field_name="types__code", choices=MissionType.Code.choices, empty_label=_("Any")
    )
    side = django_filters.ChoiceFilter(label=_("Side of the Moon"), choices=Mission.Side.choices, empty_label=_("Any"))
    partner = PartnerFilter(
        label=_("Partner"),
        method="filter_partner",
        help_text=_("A country or organisation: name, ISO code or address name."),
        widget=forms.TextInput(attrs={"list": "partner-options"}),
    )
    launch_date_after = django_filters.DateFilter(
        label=_("Launched on or after"), field_name="launch_date", lookup_expr="gte", widget=DateInput
    )
    launch_date_before = django_filters.DateFilter(
        label=_("Launched on or before"), field_name="launch_date", lookup_expr="lte", widget=DateInput
    )
    international = yes_only_filter(_("Carries international payloads"), "filter_international")

    class Meta:
        model = Mission
        fields = ["q", "status", "type", "side", "partner", "launch_date_after", "launch_date_before", "international"]

    def filter_text(self, queryset, name, value):
        return queryset.find(value)

    def filter_partner(self, queryset, name, partner):
        return queryset.involving(partner)

    def filter_international(self, queryset, name, value):
        return queryset.carrying_international_payloads()
