"""Base pieces shared by every public content model.

Abstract models only: each app keeps its own tables, and `partners` and `missions` can both
build on these without importing each other.
"""

import datetime

from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Func, IntegerField, Subquery
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext_lazy as _


class EditorialState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """What the public may see. Every public page, count and filter starts here."""
        return self.filter(editorial_state=EditorialState.PUBLISHED)


class PublishableModel(models.Model):
    editorial_state = models.CharField(
        _("editorial state"),
        max_length=16,
        choices=EditorialState,
        default=EditorialState.DRAFT,
        # No index: two values, mostly "published". An index here only misleads SQLite's
        # planner into scanning every published row instead of following the relation.
        help_text=_("Drafts are visible only in the admin. Publish to show this on the public site."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.editorial_state == EditorialState.PUBLISHED


def count_of(queryset: models.QuerySet, field: str = "pk", distinct: bool = False) -> Subquery:
    """A correlated COUNT subquery for annotations: one per relation instead of joins that
    multiply each other's rows. `queryset` must already filter on an OuterRef."""
    template = "COUNT(DISTINCT %(expressions)s)" if distinct else "COUNT(%(expressions)s)"
    counted = queryset.order_by().annotate(count=Func(F(field), template=template, output_field=IntegerField()))
    return Subquery(counted.values("count"), output_field=IntegerField())


class DatePrecision(models.TextChoices):
    """How much of a stored date is actually known (sources often give only a month)."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


def format_approximate_date(value: datetime.date | None, precision: str) -> str:
    """Render a date no more precisely than it is known: "May 2024", not "1 May 2024"."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return format_date(value, "F Y")
    return format_date(value, "j F Y")


class WebURLField(models.URLField):
    """A link shown to the public: http or https only (no ftp:, javascript: or data: URLs);
    an address typed without a scheme is taken as https."""

    default_validators = [
        URLValidator(
            schemes=["http", "https"],
            message=_("Enter a web address starting with http:// or https://."),
            # Not "invalid": a ModelForm would replace the message with its own "Enter a valid URL."
            code="not_web_address",
        )
    ]

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class SourceLink(models.Model):
    """Where a fact comes from, so that a visitor can check and cite it."""

    url = WebURLField(_("URL"), max_length=500)
    title = models.CharField(_("title"), max_length=300, help_text=_("What the page is, in a few words."))
    publisher = models.CharField(
        _("publisher"),
        max_length=200,
        blank=True,
        help_text=_("The original publisher (Xinhua, CNSA, ESA, …), also when the link is a copy."),
    )
    as_of = models.DateField(
        _("as of"),
        null=True,
        blank=True,
        help_text=_("For facts that can change (counts, planned dates): when the source stated them."),
    )

    class Meta:
        abstract = True
        ordering = ["pk"]

    def __str__(self):
        return self.title
