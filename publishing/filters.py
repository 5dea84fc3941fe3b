"""What the public list filters share: facet counts beside each choice ("Far side (2)")."""

import django_filters
from django.db.models import Count
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


def yes_only_filter(label, method):
    """A filter that is either off or "1": a tick-box query parameter such as `ilrs=1`."""
    return django_filters.ChoiceFilter(label=label, choices=[("1", _("Yes"))], empty_label=_("Any"), method=method)


class FacetedFilterSet(django_filters.FilterSet):
    """A FilterSet whose choice filters say how many published results each option would give,
    with the visitor's other filters applied: one grouped query per facet, whatever the rows."""

    # Filter name → the field its options are counted by; None for a yes-only filter.
    facets: dict[str, str | None] = {}

    def get_form_class(self):
        """django-filter builds the form's class anew for every filter set, from new fields, which
        costs more than validating the form. The fields never change, so each FilterSet class
        keeps the class it built; each form still works on its own copies of the fields."""
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def facet_base(self):
        return self._meta.model.objects.published()

    def facet_counts(self) -> dict[str, dict[str, int]]:
        if self.is_bound and not self.is_valid():
            return {}  # the form shows its errors; counts of a refused query would mislead
        return self._count_facets(self.chosen())

    def chosen(self) -> dict:
        """The filters the visitor set, cleaned (call only when the form is valid or unbound)."""
        return {name: value for name, value in (self.form.cleaned_data if self.is_bound else {}).items() if value}

    def _count_facets(self, chosen: dict) -> dict[str, dict[str, int]]:
        counts = {}
        for name, field in self.facets.items():
            queryset = self.facet_base()
            for other, value in chosen.items():
                if other != name:
                    queryset = self.filters[other].filter(queryset, value)
            if field is None:
                counts[name] = {"1": self.filters[name].filter(queryset, "1").count()}
            else:
                rows = queryset.order_by().values_list(field).annotate(total=Count("pk", distinct=True))
                counts[name] = dict(rows)
        return counts

    @cached_property
    def form_with_counts(self):
        """The form to show, each option's label with its count."""
        for name, totals in self.facet_counts().items():
            field = self.form.fields[name]
            # Setting choices makes django-filter's field put its empty choice ("Any") first
            # again, so the one it gave is left out here.
            field.choices = [(value, f"{label} ({totals.get(value, 0)})") for value, label in field.choices if value]
        return self.form
