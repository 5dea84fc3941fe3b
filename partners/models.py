import difflib

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, F, OuterRef, Prefetch, Q, Value, When, Window
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from publishing.addresses import slug_url
from publishing.collation import pinyin_sort_key
from publishing.models import (
    BilingualName,
    DatePrecision,
    PublishableModel,
    PublishableQuerySet,
    SourceLink,
    WebURLField,
    choice_label,
    count_of,
    format_approximate_date,
)
from publishing.richtext import RichTextField
from search.ranking import SearchableQuerySet

from .countries import (
    country_codes_for,
    country_codes_matching,
    country_names,
    min_part_length,
    names_the_host,
    normalise,
    search_text,
)

# Above any full-text rank: a partner named by the query comes before one that mentions it.
NAME_MATCH_RANK = 1000.0


# How many payloads, agreements and projects a partner's page lists (the counts cover all, and
# each list links to the whole of it). Twenty is more than any real partner has: a page listing
# fifty agreements with their texts, and each again in the timeline, is a wall nobody reads,
# and rendering it made the partner page the slowest page of the site on a large dataset.
INVOLVEMENT_SHOWN = 20


class ContentQuerySet(SearchableQuerySet, PublishableQuerySet):
    """Published rows of a searchable content model (agreements, projects)."""


class PartnerQuerySet(SearchableQuerySet, PublishableQuerySet):
    def in_name_order(self):
        """By name as the page's readers order names: pinyin in Chinese, alphabetical in English.
        In SQL, so that pages and filters keep it."""
        return self.order_by(*Partner.name_ordering(), "pk")

    def countries(self):
        return self.filter(kind=Partner.Kind.COUNTRY)

    def ilrs_members(self):
        return self.filter(ilrs_member=True)

    def matching(self, text: str):
        """Partners a visitor may mean by `text`, in any case and with or without accents: part of
        the partner's English or Chinese name or of one of its aliases, its acronym or slug, an ISO
        alpha-2 or alpha-3 code, or a country's name, initials or part of a name in English or
        Chinese (see partners.countries)."""
        condition = self._matching_condition(text)
        return self.filter(condition) if condition is not None else self.none()

    def _matching_condition(self, text: str) -> Q | None:
        text = text.strip()
        if not text:
            return None
        condition = Q(acronym__iexact=text) | Q(slug__iexact=text)
        needle = normalise(text)
        if needle:
            # Any part of a name will do, but a query of a letter or two only as typed: stripped of
            # its punctuation, "(a+)+$" would look for "a" in every name.
            in_part = len(needle) >= min_part_length(needle) or needle == text.casefold()
            condition |= Q(search_names__contains=needle if in_part else f"\n{needle}\n")
        codes = country_codes_matching(text)
        if codes:
            condition |= Q(country__in=codes)
        return condition

    def find(self, text: str):
        """What a visitor's words find: the partners `matching` names first (the nation they
        mean), then those whose summary or body mentions the words, ranked by relevance."""
        return self.search(text, related=self._matching_condition(text), related_rank=NAME_MATCH_RANK)

    def identified_by(self, value: str):
        """The partners named exactly by `value`, in any case and with or without accents: an ISO
        code, a slug or acronym, the partner's whole name or one of its aliases in English or
        Chinese, or a country's whole name or initials (see partners.countries)."""
        condition = self._identified_condition(value)
        return self.filter(condition) if condition is not None else self.none()

    def found_by_name(self, text: str):
        """What a search for `text` offers as partners: those it names, exactly named ones first.
        A query naming China, the program's host, finds only a partner named exactly so (if an
        editor made one), not those whose name merely holds it ("Hong Kong SAR China")."""
        if names_the_host(text):
            return self.identified_by(text).in_name_order()
        return self.matching(text).named_exactly_first(text)

    def named_exactly_first(self, value: str):
        """Ordered by name, the partners `value` names exactly (identified_by) first: "俄罗斯"
        puts Russia before Belarus (白俄罗斯), "Niger" Niger before Nigeria."""
        condition = self._identified_condition(value)
        if condition is None:
            return self.in_name_order()
        named = Case(When(condition, then=Value(0)), default=Value(1))
        return self.alias(named_exactly=named).order_by("named_exactly", *Partner.name_ordering(), "pk")

    def _identified_condition(self, value: str) -> Q | None:
        text = value.strip()
        if not text:
            return None
        condition = Q(slug__iexact=text) | Q(acronym__iexact=text)
        needle = normalise(text)
        if needle:
            condition |= Q(search_names__contains=f"\n{needle}\n")
        codes = country_codes_for(text)
        if codes:
            condition |= Q(country__in=codes)
        return condition

    def closest_to(self, text: str, limit: int = 5) -> list["Partner"]:
        """The partners with a name that looks most like `text` (its own names and aliases, its
        acronym, and every name of its country): suggestions for a query that found nothing."""
        needle = normalise(text)
        if not needle:
            return []
        labels = {}
        rows = self.order_by("name").values_list("pk", "search_names", "acronym", "country")
        for pk, search_names, acronym, country in rows:
            for label in [*search_names.split("\n"), normalise(acronym), *country_names(country or "")]:
                if label:
                    labels.setdefault(label, pk)
        close = difflib.get_close_matches(needle, labels, n=limit * 4, cutoff=0.6)
        pks = list(dict.fromkeys(labels[label] for label in close))[:limit]
        by_pk = self.in_bulk(pks)
        return [by_pk[pk] for pk in pks]

    def with_involvement_counts(self):
        """Annotate how many published missions, payloads, agreements and projects involve each
        partner: `mission_count`, `payload_count`, `agreement_count`, `project_count`."""
        payloads = payload_model().objects.published().filter(providers=OuterRef("pk"))
        return self.with_mission_count().annotate(
            payload_count=count_of(payloads),
            agreement_count=count_of(Agreement.objects.published().filter(parties=OuterRef("pk"))),
            project_count=count_of(CooperationProject.objects.published().filter(partners=OuterRef("pk"))),
        )

    def with_mission_count(self):
        """Annotate `mission_count`: how many published missions carry a published payload of each partner."""
        payloads = payload_model().objects.published().filter(providers=OuterRef("pk"))
        return self.annotate(mission_count=count_of(payloads, "mission", distinct=True))

    def with_involvement(self, shown: int | None = INVOLVEMENT_SHOWN):
        """The counts, and what each partner takes part in, in a fixed number of queries.

        Only published records are fetched: at most `shown` payloads (in launch order),
        agreements and projects per partner (None: all of them), because a page listing a
        thousand payloads helps nobody. The counts always cover everything. Of the related
        partners, only a joint payload's published providers are shown (and fetched);
        agreements and projects list none. One partner's page reads the same with
        `Partner.fetch_involvement()`.
        """
        window = slice(None, shown)
        return self.with_involvement_counts().prefetch_related(
            Prefetch("payloads", queryset=involved_payloads()[window], to_attr="published_payloads"),
            Prefetch("agreements", queryset=involved_agreements()[window], to_attr="published_agreements"),
            Prefetch("projects", queryset=involved_projects()[window], to_attr="published_projects"),
        )


def payload_model():
    # `partners` never imports `missions`: the payload model is reached through the reverse
    # relation that `missions.Payload.providers` declares.
    return Partner._meta.get_field("payloads").related_model


# What a partner's involvement shows of each record (the page, search, the API's partner detail),
# and nothing else: a record's publishing and bookkeeping columns stay in the database. A field
# read but missing here would cost a query per row (the query-count tests would see it).
INVOLVED_PAYLOAD_FIELDS = ("mission", "name", "acronym", "purpose", "selection_status")
INVOLVED_MISSION_FIELDS = ("name", "name_zh", "slug", "status", "launch_date", "launch_window", "landing_date")
INVOLVED_AGREEMENT_FIELDS = (
    "title",
    "slug",
    "kind",
    "signed_on",
    "signed_on_precision",
    "summary",
    "body",
)
INVOLVED_PROJECT_FIELDS = ("name", "slug", "kind", "start_date", "end_date", "summary")


def involved_payloads():
    """Published payloads as a partner's involvement lists them: in launch order, with their
    mission and their published providers (`published_providers`, names only)."""
    missions = [f"mission__{field}" for field in INVOLVED_MISSION_FIELDS]
    providers = Partner.objects.published().only("name", "name_zh", "name_pinyin")
    return (
        payload_model()
        .objects.published()
        .select_related("mission")
        .only(*INVOLVED_PAYLOAD_FIELDS, *missions)
        .prefetch_related(Prefetch("providers", queryset=providers, to_attr="published_providers"))
        .order_by(F("mission__launch_date").asc(nulls_last=True), "mission__name", "name", "pk")
    )


def involved_agreements():
    agreements = Agreement.objects.published().only(*INVOLVED_AGREEMENT_FIELDS).prefetch_related("sources")
    return agreements.order_by(*Agreement._meta.ordering, "pk")


def involved_projects():
    projects = CooperationProject.objects.published().only(*INVOLVED_PROJECT_FIELDS)
    return projects.order_by(*CooperationProject._meta.ordering, "pk")


def first_and_total(queryset, shown: int) -> tuple[list, int]:
    """The first `shown` rows of `queryset` and how many there are in all, in one query: the
    total is counted over the whole selection (a window without partition) before the limit."""
    rows = list(queryset.annotate(total_rows=Window(Count("pk")))[:shown])
    return rows, rows[0].total_rows if rows else 0


class Partner(BilingualName, PublishableModel):
    """A country or an international organisation that takes part in the program."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country or region")
        ORGANISATION = "organisation", _("International organisation")

    class Region(models.TextChoices):
        AFRICA = "africa", _("Africa")
        AMERICAS = "americas", _("Americas")
        ASIA = "asia", _("Asia")
        EUROPE = "europe", _("Europe")
        OCEANIA = "oceania", _("Oceania")
        INTERNATIONAL = "international", _("International")

    name = models.CharField(_("English name"), max_length=200)
    name_zh = models.CharField(_("Chinese name"), max_length=100, blank=True)
    slug = models.SlugField(
        _("slug"), max_length=200, unique=True, help_text=_("The partner's address: /partners/<slug>/.")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.COUNTRY, db_index=True)
    country = CountryField(
        _("ISO 3166 country"),
        unique=True,
        null=True,
        blank=True,
        help_text=_("Required for a country or region; leave empty for an organisation."),
    )
    acronym = models.CharField(_("acronym"), max_length=20, blank=True, help_text=_("ESA, APSCO, …"))
    aliases = models.TextField(
        _("other names"),
        blank=True,
        help_text=_(
            "Other names a visitor may search for, one per line: 欧空局, Ivory Coast, Holland… "
            "Country names, official names and ISO codes in English and Chinese are known already."
        ),
    )
    region = models.CharField(_("region"), max_length=16, choices=Region, db_index=True)
    summary = models.TextField(
        _("summary"), help_text=_("Two or three sentences on what this partner does with the program.")
    )
    body = RichTextField(
        _("body"), blank=True, help_text=_("More on the partnership: headings, lists, links and quotes.")
    )
    website = WebURLField(_("website"), blank=True)
    ilrs_member = models.BooleanField(
        _("ILRS partner"),
        default=False,
        db_index=True,
        help_text=_("Has joined the International Lunar Research Station."),
    )
    ilrs_joined_on = models.DateField(
        _("joined the ILRS on"), null=True, blank=True, help_text=_("Leave empty when the date is not known.")
    )
    ilrs_joined_precision = models.CharField(
        _("precision of the joining date"), max_length=8, choices=DatePrecision, default=DatePrecision.DAY
    )
    # What matching() and identified_by() compare with: the names and aliases, normalised (no
    # case, accents or apostrophes), one per line. Databases strip accents in different ways
    # (PostgreSQL's unaccent is an extension, SQLite has none), so save() does it once, here.
    search_names = models.TextField(_("names for search"), blank=True, editable=False)
    # The Chinese name (or the English one, lacking it) as pinyin: what Chinese pages order by.
    name_pinyin = models.CharField(_("pinyin order"), max_length=800, blank=True, editable=False, db_index=True)

    objects = PartnerQuerySet.as_manager()

    # What full-text search reads, by weight: names, then short texts, then the body (search.index).
    search_fields = {
        "A": ["name", "name_zh", "acronym", "aliases"],
        "B": ["summary_en", "summary_zh_hans"],
        "C": ["body_en", "body_zh_hans"],
    }

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        permissions = [("publish_partner", "Can publish, unpublish and schedule partners")]

    def __str__(self):
        return self.name

    def save(self, *args, update_fields=None, **kwargs):
        self.search_names = search_text(self.name, self.name_zh, *self.aliases.splitlines())
        self.name_pinyin = pinyin_sort_key(self.name_zh or self.name)
        if update_fields is not None and {"name", "name_zh", "aliases"} & set(update_fields):
            update_fields = {*update_fields, "search_names", "name_pinyin"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == self.Kind.COUNTRY and not self.country:
            errors["country"] = _("A country or region needs its ISO 3166 code.")
        if self.kind == self.Kind.ORGANISATION and self.country:
            errors["country"] = _("An international organisation has no country code; leave it empty.")
        if self.ilrs_joined_on and not self.ilrs_member:
            errors["ilrs_member"] = _("A partner with an ILRS joining date must be marked as an ILRS partner.")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return slug_url("partners:detail", self.slug)

    @staticmethod
    def name_ordering() -> list[str]:
        """The fields that order partners by name in the active language."""
        return ["name_pinyin"] if get_language() == "zh-hans" else ["name"]

    @property
    def name_sort_key(self) -> str:
        """What name_ordering() orders by, for lists sorted in Python."""
        return self.name_pinyin if get_language() == "zh-hans" else self.name

    def get_preview_url(self):
        return reverse("partners:preview", kwargs={"slug": self.slug})

    @property
    def flag_url(self) -> str:
        """The country's flag: an SVG, sharp at any size and screen density, under its hashed
        static name (cached for a year). Empty for an organisation."""
        return static(f"flags/{self.country.code.lower()}.svg") if self.country else ""

    @property
    def ilrs_joined_display(self) -> str:
        return format_approximate_date(self.ilrs_joined_on, self.ilrs_joined_precision)

    def fetch_involvement(self, shown: int = INVOLVEMENT_SHOWN) -> None:
        """What `with_involvement()` prefetches for many partners, for this one alone (its page):
        the same lists and counts, each list read with a plain LIMIT and counted in the same
        query. Needs a partner from `with_mission_count()`."""
        self.published_payloads, self.payload_count = first_and_total(involved_payloads().filter(providers=self), shown)
        self.published_agreements, self.agreement_count = first_and_total(
            involved_agreements().filter(parties=self), shown
        )
        self.published_projects, self.project_count = first_and_total(involved_projects().filter(partners=self), shown)

    def involved_missions(self) -> list:
        """The missions carrying this partner's payloads, in launch order.

        Needs a partner from `with_involvement()` or `fetch_involvement()`."""
        return list({payload.mission.pk: payload.mission for payload in self.published_payloads}.values())


class PartnerSource(SourceLink):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="sources")

    class Meta(SourceLink.Meta):
        verbose_name = _("source")


class Agreement(PublishableModel):
    """A signed cooperation document between China and one or more partners."""

    class Kind(models.TextChoices):
        INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental space cooperation agreement")
        ILRS = "ilrs", _("ILRS memorandum or joint statement")
        PAYLOAD = "payload", _("Payload agreement")
        MOU = "mou", _("Agency memorandum of understanding")
        OTHER = "other", _("Other agreement")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, db_index=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True, db_index=True)
    signed_on_precision = models.CharField(
        _("precision of the signing date"), max_length=8, choices=DatePrecision, default=DatePrecision.DAY
    )
    parties = models.ManyToManyField(
        Partner,
        related_name="agreements",
        verbose_name=_("parties"),
        help_text=_("China is implied; list the partners."),
    )
    summary = models.TextField(_("summary"))
    body = RichTextField(
        _("body"), blank=True, help_text=_("The agreement in more detail: headings, lists, links and quotes.")
    )

    objects = ContentQuerySet.as_manager()

    search_fields = {
        "A": ["title_en", "title_zh_hans"],
        "B": ["summary_en", "summary_zh_hans"],
        "C": ["body_en", "body_zh_hans"],
    }

    class Meta:
        ordering = ["-signed_on", "title"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        permissions = [("publish_agreement", "Can publish, unpublish and schedule agreements")]

    def __str__(self):
        return self.title

    @property
    def signed_on_display(self) -> str:
        return format_approximate_date(self.signed_on, self.signed_on_precision)

    def get_kind_display(self) -> str:
        return choice_label(self.Kind, self.kind)


class AgreementSource(SourceLink):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="sources")

    class Meta(SourceLink.Meta):
        verbose_name = _("source")


class CooperationProject(PublishableModel):
    """A satellite or service built with a partner outside the lunar program (CBERS, LaoSat-1, …)."""

    class Kind(models.TextChoices):
        EARTH_OBSERVATION = "earth_observation", _("Earth-observation satellite")
        COMMUNICATIONS = "communications", _("Communications satellite")
        NAVIGATION = "navigation", _("Satellite navigation application")
        INSTITUTION = "institution", _("Intergovernmental institution")
        OTHER = "other", _("Other project")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, db_index=True)
    partners = models.ManyToManyField(Partner, related_name="projects", verbose_name=_("partners"))
    start_date = models.DateField(_("launch or start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    summary = models.TextField(_("summary"))

    objects = ContentQuerySet.as_manager()

    search_fields = {"A": ["name_en", "name_zh_hans"], "B": ["summary_en", "summary_zh_hans"]}

    class Meta:
        ordering = ["start_date", "name"]
        verbose_name = _("cooperation project")
        verbose_name_plural = _("cooperation projects")
        permissions = [("publish_cooperationproject", "Can publish, unpublish and schedule cooperation projects")]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})

    def get_kind_display(self) -> str:
        return choice_label(self.Kind, self.kind)


class ProjectSource(SourceLink):
    project = models.ForeignKey(CooperationProject, on_delete=models.CASCADE, related_name="sources")

    class Meta(SourceLink.Meta):
        verbose_name = _("source")


class FigureQuerySet(PublishableQuerySet):
    def in_groups(self) -> list[list["Figure"]]:
        """The figures in order, those of one group (the same count from several sources or
        dates) together: where sources disagree, every value shows with its own."""
        groups: dict[str, list[Figure]] = {}
        for figure in self.prefetch_related("sources"):
            groups.setdefault(figure.group or f"figure-{figure.pk}", []).append(figure)
        return list(groups.values())


class Figure(PublishableModel):
    """A count or date that sums the program up (agreements signed, ILRS partners, samples
    returned), as a source stated it on a date: figures change, and sources disagree."""

    key = models.SlugField(_("key"), max_length=100, unique=True, help_text=_("A name of its own, for imports."))
    group = models.SlugField(
        _("group"),
        max_length=100,
        blank=True,
        help_text=_("Figures that count the same thing (at other dates, or by other sources) share a group."),
    )
    value = models.CharField(
        _("value"), max_length=40, help_text=_("As the source gives it: 150+, nearly 200, 1,731 g.")
    )
    label = models.CharField(_("what it counts"), max_length=300)
    as_of = models.DateField(_("as of"), help_text=_("When the source stated it."))
    as_of_precision = models.CharField(
        _("as-of precision"), max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    note = models.TextField(_("note"), blank=True, help_text=_("Why sources disagree, or what the figure leaves out."))
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Lower comes first."))

    objects = FigureQuerySet.as_manager()

    class Meta:
        ordering = ["position", "as_of", "pk"]
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        permissions = [("publish_figure", "Can publish, unpublish and schedule figures")]

    def __str__(self):
        return f"{self.value} {self.label}"

    @property
    def as_of_display(self) -> str:
        return format_approximate_date(self.as_of, self.as_of_precision)


class FigureSource(SourceLink):
    figure = models.ForeignKey(Figure, on_delete=models.CASCADE, related_name="sources")

    class Meta(SourceLink.Meta):
        verbose_name = _("source")
        verbose_name_plural = _("sources")
