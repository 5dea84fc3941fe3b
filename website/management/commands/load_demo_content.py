"""Load the demo content: real missions, payloads, partners, agreements and projects.

The facts come from shared/data (checked against public sources); the descriptions are our own.
Records are matched by slug and never overwritten, so a second run changes nothing and an
editor's corrections survive.

Loading sets the site up; it is no editorial change. Each new record is dated as of its
sources (the latest `as_of`, or its facts' date, or else the date the file was checked), not
the day of installation, and the load's one revision is marked as seed content, which the
public history takes as its starting point (publishing.history.SEED_CONTENT_COMMENT).
"""

import datetime
import json
from pathlib import Path

import reversion
from django.core.management.base import BaseCommand

from missions.models import LaunchSite, LaunchVehicle, Mission, MissionSource, MissionType, Payload, PayloadSource
from partners.models import (
    Agreement,
    AgreementSource,
    CooperationProject,
    Figure,
    FigureSource,
    Partner,
    PartnerSource,
    ProjectSource,
)
from publishing.history import SEED_CONTENT_COMMENT
from publishing.models import EditorialState
from publishing.progress import Progress, all_or_nothing
from publishing.richtext import from_plain_text
from search.index import index_object

CONTENT_FILE = Path(__file__).resolve().parents[2] / "demo" / "content.json"
PUBLISHED = {"editorial_state": EditorialState.PUBLISHED}
SOURCE_FIELDS = ("url", "title", "publisher", "as_of")


def _fields(record: dict, *names: str) -> dict:
    """The named fields of a record, with JSON nulls turned into blanks for text fields."""
    return {name: record.get(name) for name in names}


def _texts(record: dict, *names: str, rich: tuple[str, ...] = ()) -> dict:
    """The named public texts of a record in both languages: the English `x` as `x_en`, its
    Chinese twin `x_zh` as `x_zh_hans` ("" when it has none). `rich` texts are plain paragraphs
    in the file, stored as rich text."""
    texts = {}
    for name in names:
        convert = from_plain_text if name in rich else str
        texts[f"{name}_en"] = convert(record.get(name) or "")
        texts[f"{name}_zh_hans"] = convert(record.get(f"{name}_zh") or "")
    return texts


class Command(BaseCommand):
    help = "Load the demo content (idempotent: existing records are left as they are)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database already holds missions."
        )

    def handle(self, *args, if_empty=False, **options):
        with all_or_nothing("no demo content was loaded."):
            if if_empty and Mission.objects.exists():
                self.stdout.write("The database already has content; demo content not loaded.")
                return
            # One revision for the whole load: every record's history starts with this version.
            with reversion.create_revision():
                reversion.set_comment(SEED_CONTENT_COMMENT)
                self._load()

    def _load(self):
        content = json.loads(CONTENT_FILE.read_text(encoding="utf-8"))
        self.checked_on = datetime.date.fromisoformat(content["as_of"])
        self.created = 0
        self.completed = 0
        self.new_missions = set()
        self.new_records = []  # (instance, its record in the file), for _date_as_of_sources()
        sections = [
            "launch_vehicles",
            "launch_sites",
            "partners",
            "missions",
            "payloads",
            "agreements",
            "projects",
            "figures",
        ]
        progress = Progress(sum(len(content[section]) for section in sections), out=self.stdout)

        def each(section):
            for done, record in enumerate(content[section], start=1):
                yield record
                progress.advance(1, section, done, len(content[section]))

        self.launch_vehicles = {entry["name"]: self._named(LaunchVehicle, entry) for entry in each("launch_vehicles")}
        self.launch_sites = {entry["name"]: self._named(LaunchSite, entry) for entry in each("launch_sites")}
        partners = {record["slug"]: self._partner(record) for record in each("partners")}
        missions = {record["slug"]: self._mission(record) for record in each("missions")}
        for slug, related in content["related_missions"].items():
            if slug in self.new_missions:
                missions[slug].related_missions.add(*(missions[other] for other in related))
        for record in each("payloads"):
            self._payload(record, missions, partners)
        for record in each("agreements"):
            self._agreement(record, partners)
        for record in each("projects"):
            self._project(record, partners)
        for position, record in enumerate(each("figures")):
            self._figure(record, position)
        self._date_as_of_sources()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content loaded: {self.created} new records, {self.completed} completed with new texts."
            )
        )

    def _date_as_of_sources(self):
        """Date each new record as of its facts, not today: its page's "last updated", the
        feeds and the sitemap tell when its facts were stated. Done last, when its relations
        are set, and recorded again in the load's revision: that version is the one every
        later edit is compared with."""
        for instance, record in self.new_records:
            dates = [source["as_of"] for source in record.get("sources", []) if source.get("as_of")]
            dates += [record["facts_as_of"]] if record.get("facts_as_of") else []
            day = datetime.date.fromisoformat(max(dates)) if dates else self.checked_on
            moment = datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)
            type(instance).objects.filter(pk=instance.pk).update(created_at=moment, updated_at=moment)
            instance.refresh_from_db()
            reversion.add_to_revision(instance)

    def _get_or_create(self, model, lookup: dict, defaults: dict):
        # JSON gives dates as text: convert them as the model fields would, before anything
        # (the history's serializer included) reads the new instance.
        def typed(values: dict) -> dict:
            fields = {name: model._meta.get_field(name) for name in values}
            return {
                name: value if fields[name].is_relation else fields[name].to_python(value)
                for name, value in values.items()
            }

        instance, created = model.objects.get_or_create(**typed(lookup), defaults=typed(defaults))
        self.created += created
        return instance, created

    def _complete(self, instance, values: dict):
        """Fill in the blanks of a record loaded before (a translation the file has since
        gained), never overwriting what is there: an editor's corrections survive. Written
        without save(), so that the record keeps its date and stays out of the feeds; its
        search entry and the load's revision are brought up to date."""
        blanks = {name: value for name, value in values.items() if value and getattr(instance, name) in ("", None)}
        if not blanks:
            return
        type(instance).objects.filter(pk=instance.pk).update(**blanks)
        instance.refresh_from_db()
        index_object(instance)
        reversion.add_to_revision(instance)
        self.completed += 1

    def _sources(self, source_model, parent_field: str, parent, records: list[dict], **kind):
        """The sources of a record; `kind` tells what they are cited for, when not the whole
        record (`covers="catalogue"`: a mission's catalogue identifiers)."""
        for record in records:
            # A source is known by its address; one without (an article never put online) by its title.
            known_by = {"url": record["url"]} if record.get("url") else {"url": "", "title": record["title"]}
            self._get_or_create(
                source_model,
                {parent_field: parent, **known_by, **kind},
                {name: record.get(name) or ("" if name != "as_of" else None) for name in SOURCE_FIELDS[1:]},
            )

    def _named(self, model, record: dict):
        """A launch vehicle or site, by its English name."""
        texts = _texts(record, "name")
        instance, created = self._get_or_create(model, {"name_en": record["name"]}, texts)
        if not created:
            self._complete(instance, texts)
        return instance

    def _partner(self, record: dict) -> Partner:
        defaults = {
            **PUBLISHED,
            **_fields(record, "name", "name_zh", "kind", "acronym", "region", "website"),
            **_texts(record, "summary", "body", rich=("body",)),
            # Other names a visitor may search for, English and Chinese alike.
            "aliases": "\n".join([*record.get("aliases", []), *record.get("aliases_zh", [])]),
            "country": record.get("country") or None,
            "ilrs_member": record.get("ilrs_member", False),
            "ilrs_joined_on": record.get("ilrs_joined_on"),
            "ilrs_joined_precision": record.get("ilrs_joined_precision") or "day",
        }
        partner, created = self._get_or_create(Partner, {"slug": record["slug"]}, defaults)
        if created:
            self.new_records.append((partner, record))
        else:
            self._complete(partner, _texts(record, "summary", "body", rich=("body",)))
        self._sources(PartnerSource, "partner", partner, record.get("sources", []))
        return partner

    def _mission(self, record: dict) -> Mission:
        text = _fields(
            record,
            "name",
            "name_zh",
            "phase",
            "status",
            "side",
            "orbit",
            "wikidata_id",
        )
        texts = _texts(
            record,
            "summary",
            "body",
            "landing_site",
            "launch_window",
            "catalogue_confidence",
            "catalogue_note",
            rich=("body",),
        )
        catalogue = {
            "cospar_id": record.get("cospar_id") or "",
            "nssdca_id": record.get("nssdca_id") or "",
            "norad_id": record.get("norad_id"),
        }
        launch = {
            "launch_vehicle": self.launch_vehicles.get(record.get("launch_vehicle") or ""),
            "launch_site": self.launch_sites.get(record.get("launch_site") or ""),
        }
        defaults = {
            **PUBLISHED,
            **{name: value or "" for name, value in text.items()},
            **texts,
            **launch,
            **catalogue,
            **_fields(record, "launch_date", "landing_date", "latitude", "longitude", "facts_as_of"),
        }
        mission, created = self._get_or_create(Mission, {"slug": record["slug"]}, defaults)
        if created:
            self.new_missions.add(mission.slug)
            self.new_records.append((mission, record))
            mission.types.set(MissionType.objects.filter(code__in=record["types"]))
        else:
            self._complete(mission, {**texts, **launch, **catalogue})
        for milestone in record.get("milestones", []):
            texts = _texts(milestone, "title", "description")
            instance, created = self._get_or_create(
                mission.milestones.model,
                {"mission": mission, "date": milestone["date"], "title_en": milestone["title"]},
                {**texts, "date_precision": milestone.get("date_precision", "day")},
            )
            if not created:
                self._complete(instance, texts)
        # One page may be cited for both (Queqiao's Wikipedia article): one row each.
        self._sources(MissionSource, "mission", mission, record.get("sources", []), covers=MissionSource.Covers.MISSION)
        catalogue_sources = record.get("catalogue_sources", [])
        self._sources(MissionSource, "mission", mission, catalogue_sources, covers=MissionSource.Covers.CATALOGUE)
        return mission

    def _payload(self, record: dict, missions: dict, partners: dict):
        texts = _texts(record, "name", "purpose", "institution")
        defaults = {
            **PUBLISHED,
            "acronym": record.get("acronym") or "",
            **texts,
            "origin": record.get("origin", Payload.Origin.INTERNATIONAL),
            "selection_status": record["selection_status"],
        }
        payload, created = self._get_or_create(
            Payload, {"mission": missions[record["mission"]], "name_en": record["name"]}, defaults
        )
        if created:
            payload.providers.set(partners[slug] for slug in record["providers"])
            self.new_records.append((payload, record))
        else:
            self._complete(payload, texts)
        self._sources(PayloadSource, "payload", payload, record.get("sources", []))

    def _agreement(self, record: dict, partners: dict):
        defaults = {
            **PUBLISHED,
            **_fields(record, "kind", "signed_on"),
            **_texts(record, "title", "summary", "body", rich=("body",)),
            "signed_on_precision": record.get("signed_on_precision") or "day",
        }
        agreement, created = self._get_or_create(Agreement, {"slug": record["slug"]}, defaults)
        if created:
            agreement.parties.set(partners[slug] for slug in record["parties"])
            self.new_records.append((agreement, record))
        else:
            self._complete(agreement, _texts(record, "title", "summary", "body", rich=("body",)))
        self._sources(AgreementSource, "agreement", agreement, record.get("sources", []))

    def _project(self, record: dict, partners: dict):
        texts = _texts(record, "name", "summary")
        defaults = {**PUBLISHED, **_fields(record, "kind", "start_date", "end_date"), **texts}
        project, created = self._get_or_create(CooperationProject, {"slug": record["slug"]}, defaults)
        if created:
            project.partners.set(partners[slug] for slug in record["partners"])
            self.new_records.append((project, record))
        else:
            self._complete(project, texts)
        self._sources(ProjectSource, "project", project, record.get("sources", []))

    def _figure(self, record: dict, position: int):
        texts = _texts(record, "value", "label", "note")
        defaults = {**PUBLISHED, **_fields(record, "as_of", "as_of_precision"), **texts}
        defaults.update(group=record.get("group") or "", position=position)
        figure, created = self._get_or_create(Figure, {"key": record["key"]}, defaults)
        if created:
            self.new_records.append((figure, record))
        else:
            self._complete(figure, texts)
        self._sources(FigureSource, "figure", figure, record["sources"])
