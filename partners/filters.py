import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from publishing.filters import FacetedFilterSet, yes_only_filter

from .forms import QUERY_MAX_LENGTH, PartnerField
from .models import Partner


class PartnerFilter(django_filters.Filter):
    """Filter on one partner, named in any form a visitor would use (see PartnerField)."""

    field_class = PartnerField


class PartnerListFilter(FacetedFilterSet):
    facets = {"kind": "kind", "region": "region", "ilrs": None}

    q = django_filters.CharFilter(
        label=_("Name or code"),
        method="filter_text",
        max_length=QUERY_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Partner.Kind.choices, empty_label=_("Any"))
    region = django_filters.ChoiceFilter(label=_("Region"), choices=Partner.Region.choices, empty_label=_("Any"))
    ilrs = yes_only_filter(_("ILRS partner"), "filter_ilrs")

    class Meta:
        model = Partner
        fields = ["q", "kind", "region", "ilrs"]

    def filter_text(self, queryset, name, value):
        return queryset.find(value)

    def filter_ilrs(self, queryset, name, value):
        return queryset.ilrs_members()
