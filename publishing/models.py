"""Base pieces shared by every public content model.

Abstract models only: each app keeps its own tables, and `partners` and `missions` can both
build on these without importing each other.
"""

import datetime
import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext_lazy as _


class EditorialState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")


def visible_q(prefix: str = "") -> Q:
    """The public-visibility rule, as a condition on the fields under `prefix` ("mission__"):
    published, its publish time reached and its unpublish time not yet. Evaluated at request
    time, so scheduled publishing needs no cron job or worker."""
    now = timezone.now()
    return (
        Q(**{f"{prefix}editorial_state": EditorialState.PUBLISHED})
        & (Q(**{f"{prefix}publish_at__isnull": True}) | Q(**{f"{prefix}publish_at__lte": now}))
        & (Q(**{f"{prefix}unpublish_at__isnull": True}) | Q(**{f"{prefix}unpublish_at__gt": now}))
    )


def visible(
    editorial_state: str,
    publish_at: datetime.datetime | None,
    unpublish_at: datetime.datetime | None,
    at: datetime.datetime,
) -> bool:
    """The same rule for values in hand (an instance's, or a stored version's): whether content
    in this state and with these times is public at the moment `at`."""
    return (
        editorial_state == EditorialState.PUBLISHED
        and (publish_at is None or publish_at <= at)
        and (unpublish_at is None or unpublish_at > at)
    )


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """What the public may see now. Every public page, count and filter starts here."""
        return self.filter(visible_q())

    def needs_review(self, today: datetime.date | None = None):
        """The records with a fact to check again (the editors' "Needs review" list): one whose
        source stated it longer ago than settings.REVIEW_AFTER_DAYS, or whose planned facts were
        last checked so long ago (`facts_as_of`). A model adds its own reasons (missions: a
        planned launch whose time has come)."""
        return self.filter(self._needs_review_condition(today or timezone.localdate()))

    def reviewable(self) -> bool:
        """Whether the model has facts that age (dated sources, planned facts): the admin offers
        "Needs review" for those only."""
        names = {field.name for field in self.model._meta.get_fields()}
        return bool(names & {"sources", "facts_as_of"})

    def _needs_review_condition(self, today: datetime.date) -> Q:
        cutoff = today - datetime.timedelta(days=settings.REVIEW_AFTER_DAYS)
        condition = Q(pk__in=[])
        fields = {field.name: field for field in self.model._meta.get_fields()}
        if "sources" in fields:
            sources = fields["sources"].related_model.objects.filter(
                **{fields["sources"].field.name: OuterRef("pk"), "as_of__lt": cutoff}
            )
            condition |= Exists(sources)
        if "facts_as_of" in fields:
            condition |= Q(facts_as_of__lt=cutoff)
        return condition

    def recently_changed(self):
        """Newest public change first (see PublishableModel.last_public_change), annotated as
        `public_change_at` so that feeds and sitemaps can order and bound by it."""
        changed = Greatest("updated_at", Coalesce("publish_at", "updated_at"))
        return self.annotate(public_change_at=changed).order_by("-public_change_at", "-pk")


class PublishableModel(models.Model):
    editorial_state = models.CharField(
        _("editorial state"),
        max_length=16,
        choices=EditorialState,
        default=EditorialState.DRAFT,
        # No index: few values, mostly "published". An index here only misleads SQLite's
        # planner into scanning every published row instead of following the relation.
        help_text=_(
            "Only published content appears on the public site. Editors submit for review; publishers publish."
        ),
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_("Published content stays hidden until this time (UTC). Empty: at once."),
    )
    unpublish_at = models.DateTimeField(
        _("unpublish at"),
        null=True,
        blank=True,
        help_text=_("Published content disappears from the public site at this time (UTC). Empty: never."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.publish_at and self.unpublish_at and self.unpublish_at <= self.publish_at:
            raise ValidationError({"unpublish_at": _("The unpublish time must come after the publish time.")})

    @property
    def is_published(self) -> bool:
        """Whether the public can see it now (the instance-side twin of `visible_q`)."""
        return self.is_visible_at(timezone.now())

    def is_visible_at(self, moment: datetime.datetime) -> bool:
        return visible(self.editorial_state, self.publish_at, self.unpublish_at, moment)

    @property
    def last_public_change(self) -> datetime.datetime:
        """When the public last saw this change: the last save, or the scheduled publish time
        when that came later (a scheduled item appears without being saved again)."""
        if self.publish_at and self.publish_at > self.updated_at:
            return self.publish_at
        return self.updated_at

    def cites_a_source(self) -> bool:
        """Whether a visitor can check this record against a source: a row in its `sources`,
        where the model has them. A model that cites its sources otherwise says how."""
        sources = getattr(self, "sources", None)
        return sources is None or sources.exists()

    def publishable_children(self) -> list[models.QuerySet]:
        """Content of its own inside this one (a mission's payloads), one queryset per kind:
        publishable rows whose foreign key points here, each with a state of its own."""
        return [
            getattr(self, relation.get_accessor_name()).all()
            for relation in self._meta.related_objects
            if relation.one_to_many and issubclass(relation.related_model, PublishableModel)
        ]

    @property
    def is_scheduled(self) -> bool:
        return self.editorial_state == EditorialState.PUBLISHED and bool(
            self.publish_at and self.publish_at > timezone.now()
        )


def count_of(queryset: models.QuerySet, field: str = "pk", distinct: bool = False) -> Subquery:
    """A correlated COUNT subquery for annotations: one per relation instead of joins that
    multiply each other's rows. `queryset` must already filter on an OuterRef."""
    template = "COUNT(DISTINCT %(expressions)s)" if distinct else "COUNT(%(expressions)s)"
    counted = queryset.order_by().annotate(count=Func(F(field), template=template, output_field=IntegerField()))
    return Subquery(counted.values("count"), output_field=IntegerField())


class BilingualName:
    """For models with `name` (English) and `name_zh` (Simplified Chinese): the name to show
    first in the active language, and the other one beside it."""

    def _names(self) -> list[tuple[str, str]]:
        names = [(self.name, "en"), (self.name_zh, "zh-Hans")]
        if get_language() == "zh-hans":
            names.reverse()
        return [(name, language) for name, language in names if name]

    @property
    def local_name(self) -> str:
        return self._names()[0][0]

    @property
    def names_in_order(self) -> list[tuple[str, str]]:
        """(name, BCP 47 language) pairs, the active language's first."""
        return self._names()


class DatePrecision(models.TextChoices):
    """How much of a stored date is actually known (sources often give only a month)."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


def format_approximate_date(value: datetime.date | None, precision: str) -> str:
    """Render a date no more precisely than it is known ("May 2024", not "1 May 2024"), in the
    active language's format."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return pgettext("a year on its own", "%(year)s") % {"year": value.year}  # Chinese: 2024年
    return date_format(value, "YEAR_MONTH_FORMAT" if precision == DatePrecision.MONTH else "DATE_FORMAT")


# Between non-digits rather than word boundaries: Chinese runs a year into the next word (2029年前后).
YEAR = re.compile(r"(?<!\d)(19[5-9]\d|2[01]\d\d)(?!\d)")


def planned_year(window: str) -> int | None:
    """The year in a planned date given in words, such as "second half of 2026" or "around 2029"."""
    found = YEAR.search(window or "")
    return int(found.group(1)) if found else None


# A window in the second half of its year ("second half of 2026", "2026年下半年", "late 2026").
SECOND_HALF = re.compile(r"second half|late\b|下半年|年底|年末", re.IGNORECASE)


def plan_begins(window: str) -> datetime.date | None:
    """When a planned date given in words begins: 1 July for the second half of a year, else
    1 January of its year; None when it names no year."""
    year = planned_year(window)
    if year is None:
        return None
    return datetime.date(year, 7 if SECOND_HALF.search(window) else 1, 1)


def choice_label(choices: type[models.Choices], value):
    """What get_FOO_display() shows for `value` of a field with these `choices`, translating
    only that label: Django's own rebuilds the field's choices at each call and hashes every
    lazy label, translating each, for a status or a kind shown on every row of a page."""
    try:
        return str(choices(value).label)
    except ValueError:  # not one of the choices: shown as it is, as Django does
        return value


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
    """Where a fact comes from, so that a visitor can check and cite it: a web page, or a
    source with no web address (a newspaper article, a speech), which its title, publisher
    and date let a reader find."""

    url = WebURLField(
        _("URL"),
        max_length=500,
        blank=True,
        help_text=_("Empty for a source with no web address: then its publisher and date say where to find it."),
    )
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
        constraints = [
            # Checked by the admin's forms too (full_clean), unless the address itself was refused.
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(publisher=""),
                name="%(app_label)s_%(class)s_address_or_publisher",
                violation_error_message=_(
                    "A source without a web address needs its publisher, so that a reader can find it."
                ),
            )
        ]

    def __str__(self):
        return self.title


class ContentGeneration(models.Model):
    """One row: a token replaced, in the same transaction, by every change to content. Cached
    pages are kept under it (publishing.caching), so that the database says which are current."""

    token = models.CharField(max_length=32)

    def __str__(self):
        return self.token


class PublicChange(models.Model):
    """One state of a record's public page, in the order the public saw them: when it began, and
    what changed from the public state before, as data that publishing.history tells in the
    visitor's language (field names, related rows by kind and name; never who or why).

    Written when an editor's save leaves the record public or scheduled (publishing.history),
    so that reading a page's changes is one indexed query. A scheduled state is dated by its
    publish time and told once that has passed. `fingerprints` are digests of what the public
    saw, which the next public state is compared with."""

    class Kind(models.TextChoices):
        CHANGE = "change"
        # The first public state of content loaded to set the site up (the demo content): the
        # starting point later changes are told against, never told itself.
        START = "start"
        HIDDEN = "hidden"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    date = models.DateTimeField()
    kind = models.CharField(max_length=8, choices=Kind)
    # [["published"]], [["published_again"], ["field", "summary_en"], ["added", "sources", "Press release"]], …
    changes = models.JSONField(default=list)
    # {"fields": {name: digest}, "rows": {"sources:12": [name, digest]}}; empty while hidden.
    fingerprints = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id", "date"], name="public_change_of_record")]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id}: {self.kind} at {self.date:%Y-%m-%d %H:%M}"
