"""The benchmark's synthetic dataset: missions, payloads, partners, agreements, projects and
milestones in English and Simplified Chinese, all published, written with bulk_create in batches.

bulk_create() skips save() and signals, so whatever save() would compute is filled here
(Partner.search_names), and a derived search index is rebuilt afterwards when the project has one
(see `rebuild_derived_data`). Run through `bench/run.py`, which picks the database; `seed()` itself
writes to whatever database Django is configured with.
"""

import datetime
import itertools
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass

from babel import Locale
from django.core.management import call_command, get_commands
from django.db import connection, transaction
from django.utils import translation
from django.utils.text import slugify
from django_countries import countries

from missions.models import LaunchSite, LaunchVehicle, Milestone, Mission, MissionType, Payload
from partners.countries import search_text
from partners.models import Agreement, CooperationProject, Partner
from publishing.models import EditorialState
from publishing.progress import Progress

# Bump when the generated content changes, so that an existing dataset is rebuilt.
DATASET_VERSION = 1
BATCH = 2000
PUBLISHED = EditorialState.PUBLISHED

# Pages the benchmark requests need these rows.
BUSY_PARTNER = "PK"  # /en/partners/pakistan/ and /en/search/?q=Pakistan
BUSY_PARTNER_SHARE = 100  # every 100th payload comes (also) from the busy partner
DETAIL_MISSION_NUMBER = 1


def mission_slug(number: int) -> str:
    return f"lunar-mission-{number:05d}"


@dataclass(frozen=True)
class DatasetSize:
    missions: int = 10_000
    payloads: int = 100_000
    partners: int = 300
    agreements: int = 20_000
    projects: int = 500
    milestones_per_mission: int = 3

    @classmethod
    def smoke(cls) -> "DatasetSize":
        return cls(missions=300, payloads=3_000, partners=300, agreements=600, projects=30)

    def as_dict(self) -> dict:
        return {"version": DATASET_VERSION, **asdict(self)}

    @property
    def rows(self) -> int:
        """About how many rows seed() writes, for the progress estimate."""
        return (
            self.partners
            + self.missions * (3 + self.milestones_per_mission)  # mission, 2 types on average, milestones
            + self.payloads * 17 // 10  # payload, and 0.7 provider links on average
            + self.agreements * 11 // 5  # agreement, 1.2 parties
            + self.projects * 2
        )


def batched(items: Iterable, size: int = BATCH) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def write(model, objects: Iterable, step: str, total: int, progress: Progress, links: Callable | None = None) -> list:
    """bulk_create `objects` in batches; `links(batch)` gives the related rows of each saved
    batch, M2M links or children (the batch has its primary keys by then: SQLite and PostgreSQL
    both return them from bulk_create)."""
    saved = []
    for batch in batched(objects):
        model.objects.bulk_create(batch)
        rows = len(batch)
        if links:
            for related_batch in batched(links(batch), BATCH * 2):
                for related_model, objects in itertools.groupby(related_batch, key=type):
                    related_model.objects.bulk_create(list(objects))
                rows += len(related_batch)
        saved.extend(batch)
        progress.advance(rows, step, len(saved), total)
    return saved


def countries_with_chinese_names() -> list[tuple[str, str, str]]:
    """(ISO code, English name, Chinese name) of every country, the busy partner first."""
    chinese = Locale.parse("zh_Hans").territories
    rows = [(code, str(name), chinese.get(code, "")) for code, name in countries]
    rows.sort(key=lambda row: (row[0] != BUSY_PARTNER, row[0]))
    return rows


def make_partners(size: DatasetSize) -> Iterator[Partner]:
    regions = [region for region in Partner.Region if region != Partner.Region.INTERNATIONAL]
    country_rows = countries_with_chinese_names()[: size.partners - size.partners // 3]
    slugs = set()
    for number, (code, name, name_zh) in enumerate(country_rows):
        slug = slugify(name) or f"country-{code.lower()}"
        slug = slug if slug not in slugs else f"{slug}-{code.lower()}"
        slugs.add(slug)
        name_zh = name_zh or f"伙伴国家{number}"
        yield partner(
            number,
            name=name,
            name_zh=name_zh,
            slug=slug,
            kind=Partner.Kind.COUNTRY,
            country=code,
            region=regions[number % len(regions)],
        )
    for number in range(len(country_rows), size.partners):
        yield partner(
            number,
            name=f"Lunar Research Organisation {number}",
            name_zh=f"月球研究组织{number}号",
            slug=f"lunar-research-organisation-{number}",
            kind=Partner.Kind.ORGANISATION,
            acronym=f"LRO{number}",
            region=Partner.Region.INTERNATIONAL,
        )


def partner(number: int, **fields) -> Partner:
    aliases = f"{fields['name']} space agency"
    return Partner(
        **fields,
        aliases=aliases,
        # What Partner.save() computes; bulk_create does not call save().
        search_names=search_text(fields["name"], fields["name_zh"], aliases),
        summary_en=f"{fields['name']} works with the lunar programme on instruments, data and training.",
        summary_zh_hans=f"{fields['name_zh']}在仪器、数据和培训方面参与探月工程。",
        body_en=f"<p>{fields['name']} and the programme have signed several agreements.</p>",
        body_zh_hans=f"<p>{fields['name_zh']}与探月工程签署了多项协议。</p>",
        ilrs_member=number % 3 == 0,
        ilrs_joined_on=datetime.date(2021, 1, 1) + datetime.timedelta(days=number * 5) if number % 3 == 0 else None,
        editorial_state=PUBLISHED,
    )


MISSION_STATUSES_FLOWN = [Mission.Status.COMPLETED, Mission.Status.OPERATING, Mission.Status.COMPLETED]
MISSION_STATUSES_PLANNED = [Mission.Status.PLANNED, Mission.Status.IN_DEVELOPMENT]


def make_missions(size: DatasetSize) -> Iterator[Mission]:
    today = datetime.date.today()
    first_launch = datetime.date(2007, 10, 24)
    span = (datetime.date(2040, 12, 31) - first_launch).days
    phases, sides = list(Mission.Phase), [*Mission.Side, ""]
    vehicle = LaunchVehicle.objects.create(name_en="Long March 5", name_zh_hans="长征五号")
    site = LaunchSite.objects.create(name_en="Wenchang", name_zh_hans="文昌航天发射场")
    for number in range(1, size.missions + 1):
        launch = first_launch + datetime.timedelta(days=number * 37 % span)
        statuses = MISSION_STATUSES_FLOWN if launch <= today else MISSION_STATUSES_PLANNED
        lands = number % 2 == 0
        yield Mission(
            name=f"Lunar mission {number}",
            name_zh=f"月球探测任务{number}号",
            slug=mission_slug(number),
            phase=phases[number % len(phases)],
            status=statuses[number % len(statuses)],
            side=sides[number % len(sides)],
            launch_date=launch,
            landing_date=launch + datetime.timedelta(days=30) if lands and launch <= today else None,
            landing_site_en="Von Kármán crater" if lands else "",
            landing_site_zh_hans="冯·卡门撞击坑" if lands else "",
            latitude=-45 + number % 90 if lands else None,
            longitude=-170 + number % 340 if lands else None,
            launch_vehicle=vehicle,
            launch_site=site,
            summary_en=f"Synthetic mission {number}: an orbiter and lander studying the lunar surface.",
            summary_zh_hans=f"合成任务{number}:轨道器和着陆器研究月球表面。",
            body_en=f"<h3>Goals</h3><p>Mission {number} maps the regolith and returns data to partners.</p>",
            body_zh_hans=f"<h3>目标</h3><p>任务{number}绘制月壤地图并向合作方提供数据。</p>",
            editorial_state=PUBLISHED,
        )


def mission_type_links(missions: list[Mission], types: list[MissionType]) -> Iterator:
    through = Mission.types.through
    for mission in missions:
        number = int(mission.slug.rsplit("-", 1)[1])
        for offset in range(1 + number % 3):
            yield through(mission_id=mission.pk, missiontype_id=types[(number + offset) % len(types)].pk)


def make_milestones(missions: list[Mission], per_mission: int) -> Iterator[Milestone]:
    for mission in missions:
        for step in range(per_mission):
            yield Milestone(
                mission_id=mission.pk,
                date=mission.launch_date + datetime.timedelta(days=step * 10),
                title_en=f"Step {step + 1} of {mission.name}",
                title_zh_hans=f"{mission.name_zh}第{step + 1}步",
                description_en="Reached as planned.",
                description_zh_hans="按计划完成。",
            )


def make_payloads(size: DatasetSize, missions: list[Mission]) -> Iterator[Payload]:
    for number in range(size.payloads):
        mission = missions[number % len(missions)]
        international = number % 5 < 3 or number % BUSY_PARTNER_SHARE == 0
        yield Payload(
            mission_id=mission.pk,
            name=f"Instrument {number}",
            acronym=f"I{number}",
            purpose_en="Measures the radiation and the dust above the surface.",
            purpose_zh_hans="测量月面上方的辐射和尘埃。",
            institution="Synthetic Institute of Space Science",
            origin=Payload.Origin.INTERNATIONAL if international else Payload.Origin.DOMESTIC,
            selection_status=Payload.SelectionStatus.FLOWN,
            editorial_state=PUBLISHED,
        )


def payload_provider_links(payloads: list[Payload], partners: list[Partner], busy: Partner) -> Iterator:
    through = Payload.providers.through
    for payload in payloads:
        if payload.origin != Payload.Origin.INTERNATIONAL:
            continue
        number = int(payload.name.rsplit(" ", 1)[1])
        provider = busy if number % BUSY_PARTNER_SHARE == 0 else partners[number % len(partners)]
        yield through(payload_id=payload.pk, partner_id=provider.pk)
        if number % 7 == 0:  # a joint payload
            other = partners[(number // 7) % len(partners)]
            if other.pk != provider.pk:
                yield through(payload_id=payload.pk, partner_id=other.pk)


def make_agreements(size: DatasetSize) -> Iterator[Agreement]:
    kinds = list(Agreement.Kind)
    for number in range(size.agreements):
        yield Agreement(
            title_en=f"Cooperation agreement {number}",
            title_zh_hans=f"合作协议{number}号",
            slug=f"cooperation-agreement-{number}",
            kind=kinds[number % len(kinds)],
            signed_on=datetime.date(2000, 1, 1) + datetime.timedelta(days=number % 9000),
            summary_en="Both sides share lunar data and train engineers together.",
            summary_zh_hans="双方共享月球数据并共同培训工程师。",
            editorial_state=PUBLISHED,
        )


def party_links(agreements: list[Agreement], partners: list[Partner]) -> Iterator:
    through = Agreement.parties.through
    for agreement in agreements:
        number = int(agreement.slug.rsplit("-", 1)[1])
        first = number % len(partners)
        yield through(agreement_id=agreement.pk, partner_id=partners[first].pk)
        if number % 5 == 0:
            yield through(agreement_id=agreement.pk, partner_id=partners[(first + 1) % len(partners)].pk)


def make_projects(size: DatasetSize) -> Iterator[CooperationProject]:
    kinds = list(CooperationProject.Kind)
    for number in range(size.projects):
        yield CooperationProject(
            name_en=f"Joint satellite {number}",
            name_zh_hans=f"联合卫星{number}号",
            slug=f"joint-satellite-{number}",
            kind=kinds[number % len(kinds)],
            start_date=datetime.date(2005, 1, 1) + datetime.timedelta(days=number * 20),
            summary_en="An Earth-observation satellite built and operated together.",
            summary_zh_hans="共同建造和运行的对地观测卫星。",
            editorial_state=PUBLISHED,
        )


def project_links(projects: list[CooperationProject], partners: list[Partner]) -> Iterator:
    through = CooperationProject.partners.through
    for project in projects:
        number = int(project.slug.rsplit("-", 1)[1])
        yield through(cooperationproject_id=project.pk, partner_id=partners[number % len(partners)].pk)


def seed(size: DatasetSize, out=sys.stdout) -> None:
    """Write the dataset into an empty database (run.py empties it first)."""
    progress = Progress(size.rows, out=out)
    # Translated fields are named explicitly (summary_en, summary_zh_hans); English active keeps
    # the untranslated columns modeltranslation leaves in place on the English side.
    with translation.override("en"), transaction.atomic():
        partners = write(Partner, make_partners(size), "partners", size.partners, progress)
        busy = next(partner for partner in partners if partner.country == BUSY_PARTNER)
        types = list(MissionType.objects.order_by("pk"))
        missions = write(
            Mission,
            make_missions(size),
            "missions",
            size.missions,
            progress,
            links=lambda batch: itertools.chain(
                mission_type_links(batch, types), make_milestones(batch, size.milestones_per_mission)
            ),
        )
        write(
            Payload,
            make_payloads(size, missions),
            "payloads",
            size.payloads,
            progress,
            links=lambda batch: payload_provider_links(batch, partners, busy),
        )
        write(
            Agreement,
            make_agreements(size),
            "agreements",
            size.agreements,
            progress,
            links=lambda batch: party_links(batch, partners),
        )
        write(
            CooperationProject,
            make_projects(size),
            "projects",
            size.projects,
            progress,
            links=lambda batch: project_links(batch, partners),
        )
    rebuild_derived_data(out)


def rebuild_derived_data(out=sys.stdout) -> None:
    """HOOK for indexes that save() or signals keep up to date and bulk_create skips.

    A full-text search index is being built on another branch; if it brings a
    `rebuild_search_index` management command, it runs here. Anything else derived from the
    content belongs here too. PostgreSQL's planner statistics are refreshed at once (autovacuum
    would do it within a minute, in the middle of the measurements)."""
    if "rebuild_search_index" in get_commands():
        print("  rebuilding the search index (rebuild_search_index)", file=out, flush=True)
        call_command("rebuild_search_index")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
