from typing import NamedTuple
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import F, OuterRef, Prefetch, Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from missions.pictures.mission_diagram import MissionDiagram
from missions.site_pictures import SitePicture
from partners.models import Partner
from publishing.addresses import slug_url
from publishing.images import clean_copy, renditions_of, thumbnail_of, validate_raster_image
from publishing.models import (
    BilingualName,
    DatePrecision,
    PublishableModel,
    PublishableQuerySet,
    SourceLink,
    choice_label,
    count_of,
    format_approximate_date,
    plan_begins,
    visible_q,
)
from publishing.richtext import RichTextField
from publishing.translated import aside_format
from search.ranking import SearchableQuerySet, text_matches


class MissionType(models.Model):
    """One kind of spacecraft a mission flies; a mission may fly several (orbiter + lander + …)."""

    class Code(models.TextChoices):
        ORBITER = "orbiter", _("Orbiter")
        LANDER = "lander", _("Lander")
        ROVER = "rover", _("Rover")
        HOPPER = "hopper", _("Hopper")
        SAMPLE_RETURN = "sample_return", _("Sample return")
        RELAY = "relay", _("Relay satellite")
        TECHNOLOGY_DEMONSTRATOR = "technology_demonstrator", _("Technology demonstrator")

    code = models.CharField(_("code"), max_length=32, choices=Code, unique=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("mission type")
        verbose_name_plural = _("mission types")

    def __str__(self):
        return self.get_code_display()


class LaunchVehicle(models.Model):
    """A rocket as sources name it for a mission ("Long March 5 (CZ-5, Y8)", 长征五号遥八运载火箭):
    reference data, named once in each language for every mission it launched. The public sees
    it only through published missions."""

    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_('As sources name it, with its serial when known: "Long March 5 (CZ-5, Y8)".'),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("launch vehicle")
        verbose_name_plural = _("launch vehicles")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        unique_english_name(self)


class LaunchSite(models.Model):
    """A launch site, or a pad of one ("Xichang LC-3", 西昌卫星发射中心3号工位): reference data,
    named once in each language for every mission launched from it."""

    name = models.CharField(_("name"), max_length=200, help_text=_('With the pad when known: "Xichang LC-3".'))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("launch site")
        verbose_name_plural = _("launch sites")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        unique_english_name(self)


def unique_english_name(instance):
    """Missions, imports and the demo content name a vehicle or a site by its English name: two
    records of one name could not be told apart."""
    english = (instance.name_en or "").strip()
    if english and type(instance).objects.exclude(pk=instance.pk).filter(name_en__iexact=english).exists():
        raise ValidationError(
            {"name_en": _("A %(kind)s of this name exists already.") % {"kind": instance._meta.verbose_name}}
        )


class CatalogueLink(NamedTuple):
    """A catalogue identifier as a page shows it: its label in the page's language, its name in
    structured data, its value, and the address of its catalogue entry."""

    label: str
    property_id: str
    value: str
    url: str


NSSDCA_CATALOG = "https://nssdc.gsfc.nasa.gov/nmc/spacecraft/display.action"
CELESTRAK_SATCAT = "https://celestrak.org/satcat/table-satcat.php"

# Launched missions by date; planned ones without a date come last.
LAUNCH_ORDER = (F("launch_date").asc(nulls_last=True), "name")


class MissionQuerySet(SearchableQuerySet, PublishableQuerySet):
    def in_launch_order(self):
        return self.order_by(*LAUNCH_ORDER)

    def for_listing(self):
        """Published missions with what a list card shows, in a fixed number of queries."""
        # A correlated count, not a join with GROUP BY: the database counts only for the rows of
        # the page it returns, instead of grouping every payload of every mission first.
        international = Payload.objects.filter(visible_q(), mission=OuterRef("pk"), origin=Payload.Origin.INTERNATIONAL)
        return (
            self.published()
            .annotate(international_payload_count=count_of(international))
            .select_related("launch_vehicle", "launch_site")
            .prefetch_related("types")
            .in_launch_order()
        )

    def for_cards(self):
        """`for_listing()` with what a card's picture needs: the mission's own images (an
        editor's image stands for the mission before a drawn one)."""
        return self.for_listing().prefetch_related(Prefetch("images", to_attr="image_list"))

    def for_detail(self):
        """Published missions with everything their page shows: drafts inside them stay hidden."""
        return self.published().with_detail()

    def with_detail(self, preview: bool = False):
        return self.select_related("launch_vehicle", "launch_site").prefetch_related(*self.detail_lookups(preview))

    @staticmethod
    def detail_lookups(preview: bool = False) -> tuple:
        """What a mission page shows, to prefetch, each into a list (`to_attr`): a related
        manager filled per row costs more than the row itself. The missions' own visibility is
        the queryset's; their payloads need only be published themselves, which is also what a
        preview shows (the payloads as they will appear once the mission is published)."""
        payloads = Payload.objects.filter(visible_q()).prefetch_related(
            Prefetch("providers", queryset=Partner.objects.published(), to_attr="published_providers"),
            Prefetch("sources", to_attr="source_list"),
        )
        return (
            "types",
            Prefetch(
                "related_missions",
                queryset=Mission.objects.published().in_launch_order(),
                to_attr="published_related_missions",
            ),
            Prefetch("milestones", to_attr="milestone_list"),
            Prefetch("images", to_attr="image_list"),
            Prefetch("sources", to_attr="source_list"),
            Prefetch("payloads", queryset=payloads.order_by("name"), to_attr="published_payloads"),
        )

    def with_partners(self):
        """Each mission's published payloads with their published providers, from which
        `Mission.partners()` answers (the API's lists and the CSV export)."""
        providers = Partner.objects.published().order_by("name", "pk")
        payloads = (
            Payload.objects.published()
            .prefetch_related(Prefetch("providers", queryset=providers, to_attr="published_providers"))
            .order_by("name", "pk")
        )
        return self.prefetch_related(Prefetch("payloads", queryset=payloads, to_attr="published_payloads"))

    def find(self, text: str):
        """What a visitor's words find: missions whose own text matches (full-text, ranked by
        relevance), then those found only through one of their published payloads (its text)
        or its partners (any name or code a visitor may use, see PartnerQuerySet.matching)."""
        payloads = Payload.objects.published()
        partners = Partner.objects.published().matching(text)
        related = Q(pk__in=payloads.filter(text_matches(Payload, text, self.db)).values("mission")) | Q(
            pk__in=payloads.from_partners(partners).values("mission")
        )
        return self.search(text, related=related)

    def involving(self, partner: Partner):
        """Missions carrying a published payload from `partner`."""
        return self.filter(pk__in=Payload.objects.published().filter(providers=partner).values("mission"))

    def carrying_international_payloads(self):
        return self.filter(
            pk__in=Payload.objects.published().filter(origin=Payload.Origin.INTERNATIONAL).values("mission")
        )

    def _needs_review_condition(self, today):
        """The sources' and planned facts' age (PublishableQuerySet.needs_review), and a planned
        launch whose window has begun with no launch date recorded: has it flown, or slipped?"""
        unlaunched = Mission._base_manager.filter(launch_date__isnull=True).only(
            "pk", "launch_date", "launch_window_en", "launch_window_zh_hans"
        )
        due = [mission.pk for mission in unlaunched if mission.plan_has_come_by(today)]
        return super()._needs_review_condition(today) | Q(pk__in=due)

    def upcoming(self):
        return self.filter(status__in=[Mission.Status.PLANNED, Mission.Status.IN_DEVELOPMENT]).in_launch_order()

    def launched(self):
        return self.filter(launch_date__lte=timezone.localdate()).order_by("-launch_date")

    def for_timeline(self):
        """Published missions with what the timeline marks: types (a landing or an impact) and
        milestones (sample returns)."""
        return self.published().prefetch_related("types", "milestones").in_launch_order()

    def with_landing_sites(self):
        """Published missions with landing (or impact) coordinates, for the map of the Moon."""
        return self.published().filter(latitude__isnull=False, longitude__isnull=False).in_launch_order()


class Mission(BilingualName, PublishableModel):
    """A spacecraft mission of the Chinese Lunar Exploration Program (Chang'e, Queqiao, …)."""

    class Phase(models.TextChoices):
        ORBIT = "orbit", _("Phase I: orbiting")
        LAND = "land", _("Phase II: landing")
        RETURN = "return", _("Phase III: sample return")
        STATION = "station", _("Phase IV: research station")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_DEVELOPMENT = "in_development", _("In development")
        OPERATING = "operating", _("Operating")
        COMPLETED = "completed", _("Completed")
        FAILED = "failed", _("Failed")

    class Side(models.TextChoices):
        NEAR = "near", _("Near side")
        FAR = "far", _("Far side")
        SOUTH_POLE = "south_pole", _("South polar region")

    class Orbit(models.TextChoices):
        LUNAR = "lunar", _("Lunar orbit")
        LUNAR_ELLIPTICAL = "lunar_elliptical", _("Elliptical lunar orbit")
        EARTH_MOON_L2 = "earth_moon_l2", _("Halo orbit around the Earth–Moon L2 point")
        CIRCUMLUNAR = "circumlunar", _("Around the Moon and back to the Earth")

    name = models.CharField(_("English name"), max_length=200)
    name_zh = models.CharField(_("Chinese name"), max_length=100, blank=True)
    slug = models.SlugField(
        _("slug"), max_length=200, unique=True, help_text=_("The mission's address: /missions/<slug>/.")
    )
    phase = models.CharField(_("program phase"), max_length=16, choices=Phase, db_index=True)
    types = models.ManyToManyField(MissionType, related_name="missions", verbose_name=_("mission types"))
    status = models.CharField(_("status"), max_length=16, choices=Status, db_index=True)
    launch_date = models.DateField(_("launch date (UTC)"), null=True, blank=True, db_index=True)
    launch_window = models.CharField(
        _("planned launch"),
        max_length=100,
        blank=True,
        help_text=_('For a mission without a launch date: the planned timing as sources state it ("2026").'),
    )
    landing_date = models.DateField(_("landing date (UTC)"), null=True, blank=True)
    landing_site = models.CharField(_("landing site"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Selenographic degrees, north positive, from -90 to 90."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Selenographic degrees, east positive, from -180 to 180."),
    )
    side = models.CharField(_("side of the Moon"), max_length=16, choices=Side, blank=True, db_index=True)
    orbit = models.CharField(
        _("orbit"),
        max_length=16,
        choices=Orbit,
        blank=True,
        help_text=_("Where the spacecraft flies, for the diagram of a mission without a landing site."),
    )
    launch_vehicle = models.ForeignKey(
        LaunchVehicle,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="missions",
        verbose_name=_("launch vehicle"),
    )
    launch_site = models.ForeignKey(
        LaunchSite,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="missions",
        verbose_name=_("launch site"),
    )
    summary = models.TextField(_("summary"), help_text=_("One or two sentences shown in lists."))
    body = RichTextField(_("body"), blank=True, help_text=_("The full story: headings, lists, links and quotes."))
    facts_as_of = models.DateField(
        _("planned facts as of"),
        null=True,
        blank=True,
        help_text=_("For a mission that has not flown: when its planned dates and details were last checked."),
    )
    cospar_id = models.CharField(
        _("COSPAR ID"),
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^\d{4}-\d{3}[A-Z]{1,3}$", _("Use the form 2024-080A."))],
    )
    nssdca_id = models.CharField(
        _("NSSDCA ID"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^[A-Z0-9-]+$", _("Use the NSSDCA catalogue's ID, such as 2018-103A."))],
    )
    norad_id = models.PositiveIntegerField(
        _("NORAD catalogue number"),
        null=True,
        blank=True,
        help_text=_("The spacecraft's number in the US Space Force satellite catalogue (SATCAT), such as 43845."),
    )
    catalogue_confidence = models.CharField(
        _("identifiers confirmed by"),
        max_length=100,
        blank=True,
        help_text=_("How well the sources agree on the identifiers: “one source”, “confirmed by 2 sources”."),
    )
    catalogue_note = models.TextField(
        _("note on the identifiers"),
        blank=True,
        help_text=_("Where sources disagree, or an identifier is uncertain: what a reader should know."),
    )
    wikidata_id = models.CharField(
        _("Wikidata ID"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^Q\d+$", _("Use the form Q12345."))],
    )

    related_missions = models.ManyToManyField(
        "self",
        blank=True,
        verbose_name=_("related missions"),
        help_text=_("Missions that depend on each other, shown on both pages: a relay and the lander it serves."),
    )

    objects = MissionQuerySet.as_manager()

    # What full-text search reads, by weight: names, then short texts, then the body (search.index).
    search_fields = {
        "A": ["name", "name_zh"],
        "B": ["summary_en", "summary_zh_hans", "landing_site_en", "landing_site_zh_hans"],
        "C": ["body_en", "body_zh_hans", "launch_names", "catalogue_ids"],
    }
    # What the search index reads with each mission (launch_names), in one query for many rows.
    search_select_related = ("launch_vehicle", "launch_site")

    class Meta:
        ordering = list(LAUNCH_ORDER)
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        permissions = [("publish_mission", "Can publish, unpublish and schedule missions")]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if self.launch_date and self.landing_date and self.landing_date < self.launch_date:
            errors["landing_date"] = _("The landing date cannot be before the launch date.")
        if self.landing_date and not self.launch_date:
            errors["launch_date"] = _("A mission that has landed needs its launch date.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = _(
                "Give both latitude and longitude, or neither."
            )
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return slug_url("missions:detail", self.slug)

    def get_preview_url(self):
        return reverse("missions:preview", kwargs={"slug": self.slug})

    def get_status_display(self) -> str:
        return choice_label(self.Status, self.status)

    @property
    def has_landing_site_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def coordinates_display(self) -> str:
        if not self.has_landing_site_coordinates:
            return ""
        # Whole phrases to translate: Chinese puts the hemisphere first (南纬45.4446°，东经177.5991°).
        latitude = _("%(degrees)s° N") if self.latitude >= 0 else _("%(degrees)s° S")
        longitude = _("%(degrees)s° E") if self.longitude >= 0 else _("%(degrees)s° W")
        return _("%(latitude)s, %(longitude)s") % {
            "latitude": latitude % {"degrees": f"{abs(self.latitude):.4f}"},
            "longitude": longitude % {"degrees": f"{abs(self.longitude):.4f}"},
        }

    @cached_property
    def picture(self):
        """What stands for the mission on its page and its card: the first image an editor gave
        it, else its landing site on the Moon, else a diagram drawn from its facts. Needs the
        images prefetched into `image_list` (`for_cards()`, `for_detail()`)."""
        editor_image = next((image for image in self.image_list if not image.decorative), None)
        return editor_image or SitePicture.of(self) or MissionDiagram(self)

    @cached_property
    def gallery(self) -> list:
        """The images shown below the story: all but the one standing for the mission (its
        picture), so that a mission whose only image is its hero shows no empty gallery."""
        return [image for image in self.image_list if image is not self.picture]

    def payloads_by_providers(self) -> list[tuple[list[Partner], list["Payload"]]]:
        """Published payloads grouped under the partners that provide them, each payload once: a
        joint payload (ESA and Sweden's NILS) under all its providers together. An empty list of
        providers: Chinese payloads, last. Needs a mission from `for_detail()`."""
        groups: dict[tuple[Partner, ...], list[Payload]] = {}
        for payload in self.published_payloads:
            by_name = sorted(payload.published_providers, key=lambda partner: (partner.name_sort_key, partner.pk))
            groups.setdefault(tuple(by_name), []).append(payload)
        ordered = sorted(groups.items(), key=lambda item: (not item[0], [partner.name_sort_key for partner in item[0]]))
        return [(list(providers), payloads) for providers, payloads in ordered]

    def partners(self) -> list[Partner]:
        """The published partners behind the mission's published payloads, by name. Needs a
        mission from `with_partners()` or `for_detail()`."""
        payloads = self.published_payloads
        partners = {partner.pk: partner for payload in payloads for partner in payload.published_providers}
        return sorted(partners.values(), key=lambda partner: (partner.name_sort_key, partner.pk))

    @property
    def launch_names(self) -> str:
        """The launch vehicle's and launch site's names in both languages, for search."""
        records = (self.launch_vehicle, self.launch_site)
        return " ".join(name for record in records if record for name in (record.name_en, record.name_zh_hans) if name)

    @property
    def catalogue_ids(self) -> str:
        """The COSPAR designator, NSSDCA ID and NORAD number, for search."""
        return " ".join(str(value) for value in (self.cospar_id, self.nssdca_id, self.norad_id) if value)

    @property
    def catalogue_links(self) -> list["CatalogueLink"]:
        """Each identifier the mission has, with its entry in a catalogue: the COSPAR designator
        in CelesTrak's satellite catalogue (the objects of its launch, since NSSDCA lists only
        some craft), the NSSDCA ID in NASA's master catalogue, the NORAD number in CelesTrak's."""
        links = []
        if self.cospar_id:
            launch = self.cospar_id.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            url = f"{CELESTRAK_SATCAT}?{urlencode({'INTDES': launch})}"
            links.append(CatalogueLink(_("COSPAR ID"), "COSPAR ID", self.cospar_id, url))
        if self.nssdca_id:
            url = f"{NSSDCA_CATALOG}?{urlencode({'id': self.nssdca_id})}"
            links.append(CatalogueLink(_("NSSDCA ID"), "NSSDCA ID", self.nssdca_id, url))
        if self.norad_id:
            url = f"{CELESTRAK_SATCAT}?{urlencode({'CATNR': self.norad_id})}"
            links.append(CatalogueLink(_("NORAD number"), "NORAD catalog number", str(self.norad_id), url))
        return links

    def cites_a_source(self) -> bool:
        # A source of the catalogue identifiers alone does not cite what the page tells.
        return self.sources.filter(covers=MissionSource.Covers.MISSION).exists()

    @property
    def mission_sources(self) -> list["MissionSource"]:
        """The sources of the mission's facts, listed under the page (`for_detail()`'s `source_list`)."""
        return [source for source in self.source_list if source.covers == MissionSource.Covers.MISSION]

    @property
    def catalogue_sources(self) -> list["MissionSource"]:
        """The sources the catalogue identifiers come from (`for_detail()`'s `source_list`)."""
        return [source for source in self.source_list if source.covers == MissionSource.Covers.CATALOGUE]

    @property
    def launch_display(self) -> str:
        if self.launch_date:
            return format_approximate_date(self.launch_date, DatePrecision.DAY)
        return self.launch_window

    @property
    def plan_has_come(self) -> bool:
        """No launch date, and the planned window has begun: the page must not present the plan
        as still ahead (and editors see the mission under "Needs review")."""
        return self.plan_has_come_by(timezone.localdate())

    def plan_has_come_by(self, day) -> bool:
        """plan_has_come on `day`, whichever language the window is written in."""
        if self.launch_date:
            return False
        windows = (self.launch_window_en, self.launch_window_zh_hans)
        return any((begins := plan_begins(window)) is not None and begins <= day for window in windows)


class MissionSource(SourceLink):
    class Covers(models.TextChoices):
        MISSION = "", _("the mission")
        CATALOGUE = "catalogue", _("its catalogue identifiers")

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="sources")
    covers = models.CharField(
        _("source of"),
        max_length=16,
        choices=Covers,
        blank=True,
        default=Covers.MISSION,
        help_text=_("What the source is cited for: the mission, or only its COSPAR, NSSDCA and NORAD identifiers."),
    )

    class Meta(SourceLink.Meta):
        verbose_name = _("source")


class Milestone(models.Model):
    """A dated event in a mission's life: launch, orbit insertion, landing, sample return…"""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="milestones")
    date = models.DateField(_("date (UTC)"))
    date_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision, default=DatePrecision.DAY
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return f"{self.date}: {self.title}"

    @property
    def date_display(self) -> str:
        return format_approximate_date(self.date, self.date_precision)


class PayloadQuerySet(SearchableQuerySet, PublishableQuerySet):
    def published(self):
        """A published payload on a draft mission stays hidden with its mission."""
        return self.filter(visible_q() & visible_q("mission__"))

    def international(self):
        return self.filter(origin=Payload.Origin.INTERNATIONAL)

    def from_partners(self, partners):
        return self.filter(pk__in=Payload.providers.through.objects.filter(partner__in=partners).values("payload"))


class Payload(PublishableModel):
    """An instrument or secondary spacecraft carried by a mission."""

    class Origin(models.TextChoices):
        DOMESTIC = "domestic", _("Domestic")
        INTERNATIONAL = "international", _("International")

    class SelectionStatus(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        SELECTED = "selected", _("Selected")
        FLOWN = "flown", _("Flown")

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="payloads", verbose_name=_("mission"))
    name = models.CharField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    purpose = models.TextField(_("purpose"))
    providers = models.ManyToManyField(
        Partner,
        related_name="payloads",
        blank=True,
        verbose_name=_("provided by"),
        help_text=_("Every partner that built or supplied it; a joint payload lists each one."),
    )
    institution = models.CharField(_("institution"), max_length=300, blank=True)
    origin = models.CharField(_("origin"), max_length=16, choices=Origin, default=Origin.INTERNATIONAL, db_index=True)
    selection_status = models.CharField(
        _("selection status"), max_length=16, choices=SelectionStatus, default=SelectionStatus.SELECTED
    )

    objects = PayloadQuerySet.as_manager()

    search_fields = {
        "A": ["name_en", "name_zh_hans", "acronym"],
        "B": ["purpose_en", "purpose_zh_hans"],
        "C": ["institution_en", "institution_zh_hans"],
    }

    class Meta:
        ordering = ["mission__launch_date", "name"]
        verbose_name = _("payload")
        verbose_name_plural = _("payloads")
        permissions = [("publish_payload", "Can publish, unpublish and schedule payloads")]

    def __str__(self):
        return self.acronym + aside_format().format(self.name) if self.added_acronym else self.name

    @property
    def short_name(self) -> str:
        return self.acronym or self.name

    @property
    def added_acronym(self) -> str:
        """The acronym, where the name does not already spell it out: "NILS" for "Negative Ions
        at the Lunar Surface", nothing for "ICUBE-Q (iCube-Qamar) lunar CubeSat"."""
        return self.acronym if self.acronym.casefold() not in self.name.casefold() else ""

    def get_selection_status_display(self) -> str:
        return choice_label(self.SelectionStatus, self.selection_status)


class PayloadSource(SourceLink):
    payload = models.ForeignKey(Payload, on_delete=models.CASCADE, related_name="sources")

    class Meta(SourceLink.Meta):
        verbose_name = _("source")


def mission_image_path(instance, filename):
    # The name is generated by publishing.images; never the uploader's own file name.
    return f"missions/{instance.mission_id or 'new'}/{filename}"


class MissionImage(models.Model):
    # What the templates showing a mission's picture tell apart (Mission.picture).
    kind = "image"

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(
        _("image"),
        upload_to=mission_image_path,
        width_field="width",
        height_field="height",
        validators=[validate_raster_image],
        help_text=_("JPEG, PNG or WebP, at most 10 MB and 40 megapixels."),
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    thumbnail = models.ImageField(
        upload_to=mission_image_path,
        editable=False,
        blank=True,
        width_field="thumbnail_width",
        height_field="thumbnail_height",
    )
    thumbnail_width = models.PositiveIntegerField(editable=False, null=True)
    thumbnail_height = models.PositiveIntegerField(editable=False, null=True)
    renditions = models.JSONField(
        default=list, editable=False, help_text=_("Resized copies made once at upload: name, width, height, format.")
    )
    alt_text = models.CharField(
        _("alt text"), max_length=300, blank=True, help_text=_("What the image shows, for people who cannot see it.")
    )
    decorative = models.BooleanField(
        _("decorative"),
        default=False,
        help_text=_("Adds nothing to the text: screen readers skip it, and it needs no alt text."),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True, help_text=_('Who made the image: "CNSA/CLEP".'))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.alt_text

    def save(self, *args, **kwargs):
        if self.image and not self.image._committed:
            # A fresh upload: store a clean re-encoded copy, its thumbnail and its renditions,
            # never the raw bytes; a replaced image's files go once the new ones are saved.
            replaced = MissionImage.objects.filter(pk=self.pk).first() if self.pk else None
            upload = self.image.file
            thumbnail = thumbnail_of(upload)
            self.thumbnail.save(thumbnail.name, thumbnail, save=False)
            self.renditions = [
                {**description, "name": self.image.storage.save(mission_image_path(self, content.name), content)}
                for description, content in renditions_of(upload)
            ]
            clean = clean_copy(upload)
            self.image.save(clean.name, clean, save=False)
            if replaced:
                transaction.on_commit(replaced.delete_files)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        # The English alt text is the one every image needs; the Chinese falls back to it.
        if not self.decorative and not (self.alt_text_en or "").strip():
            raise ValidationError({"alt_text_en": _("Describe what the image shows, or mark it as decorative.")})

    def stored_files(self) -> list[str]:
        return [name for name in (self.image.name, self.thumbnail.name) if name] + [r["name"] for r in self.renditions]

    def delete_files(self):
        storage = self.image.storage
        for name in self.stored_files():
            storage.delete(name)

    def srcset(self, image_format: str) -> str:
        storage = self.image.storage
        return ", ".join(
            f"{storage.url(r['name'])} {r['width']}w" for r in self.renditions if r["format"] == image_format
        )

    @property
    def webp_srcset(self) -> str:
        return self.srcset("webp")

    @property
    def fallback_srcset(self) -> str:
        return self.srcset(self.fallback_format)

    @property
    def fallback_format(self) -> str:
        return next((r["format"] for r in self.renditions if r["format"] != "webp"), "jpeg")

    @property
    def default_rendition(self) -> dict | None:
        """The fallback rendition for browsers without srcset: the widest up to 640 pixels."""
        fallbacks = [r for r in self.renditions if r["format"] == self.fallback_format]
        fitting = [r for r in fallbacks if r["width"] <= 640] or fallbacks
        return max(fitting, key=lambda r: r["width"], default=None)

    @property
    def source(self) -> str:
        return self.credit

    @property
    def default_width(self) -> int | None:
        return (self.default_rendition or {}).get("width") or self.width

    @property
    def default_height(self) -> int | None:
        return (self.default_rendition or {}).get("height") or self.height

    @property
    def default_url(self) -> str:
        rendition = self.default_rendition
        return self.image.storage.url(rendition["name"]) if rendition else self.image.url


@receiver(post_delete, sender=MissionImage)
def remove_image_files(sender, instance, **kwargs):
    # A signal, not delete(): a mission's images also go when the mission is deleted (cascade).
    transaction.on_commit(instance.delete_files)
