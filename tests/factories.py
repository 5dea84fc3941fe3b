"""Dependency-free factories: each `make_*` builds a valid, published record unless told otherwise."""

import datetime
import itertools

from missions.models import LaunchSite, LaunchVehicle, Milestone, Mission, MissionType, Payload
from partners.models import Agreement, CooperationProject, Partner
from publishing.models import EditorialState

_sequence = itertools.count(1)

PUBLISHED = EditorialState.PUBLISHED
DRAFT = EditorialState.DRAFT


def make_partner(*, name=None, state=PUBLISHED, **fields) -> Partner:
    number = next(_sequence)
    name = name or f"Partner {number}"
    fields.setdefault("slug", f"partner-{number}")
    fields.setdefault("kind", Partner.Kind.COUNTRY if fields.get("country") else Partner.Kind.ORGANISATION)
    fields.setdefault(
        "region", Partner.Region.ASIA if fields["kind"] == Partner.Kind.COUNTRY else Partner.Region.INTERNATIONAL
    )
    fields.setdefault("summary", f"What {name} does with the program.")
    return Partner.objects.create(name=name, editorial_state=state, **fields)


def make_mission(*, name=None, state=PUBLISHED, types=("orbiter",), **fields) -> Mission:
    number = next(_sequence)
    name = name or f"Mission {number}"
    fields.setdefault("slug", f"mission-{number}")
    fields.setdefault("phase", Mission.Phase.ORBIT)
    fields.setdefault("status", Mission.Status.COMPLETED)
    fields.setdefault("launch_date", datetime.date(2010, 1, 1) + datetime.timedelta(days=number))
    fields.setdefault("summary", f"Summary of {name}.")
    for field, model in (("launch_vehicle", LaunchVehicle), ("launch_site", LaunchSite)):
        if isinstance(fields.get(field), str):  # a name: the record of that English name
            fields[field] = named_record(model, fields[field])
    mission = Mission.objects.create(name=name, editorial_state=state, **fields)
    mission.types.set(MissionType.objects.filter(code__in=types))
    return mission


def named_record(model, name: str):
    """The launch vehicle or site of that English name, made when missing; None for no name."""
    return model.objects.get_or_create(name_en=name)[0] if name else None


def make_payload(*, mission=None, providers=(), state=PUBLISHED, **fields) -> Payload:
    number = next(_sequence)
    fields.setdefault("name", f"Instrument {number}")
    fields.setdefault("purpose", "Measures something on the Moon.")
    fields.setdefault("selection_status", Payload.SelectionStatus.FLOWN)
    fields.setdefault("origin", Payload.Origin.INTERNATIONAL if providers else Payload.Origin.DOMESTIC)
    payload = Payload.objects.create(mission=mission or make_mission(), editorial_state=state, **fields)
    payload.providers.set(providers)
    return payload


def make_agreement(*, parties=(), state=PUBLISHED, **fields) -> Agreement:
    number = next(_sequence)
    fields.setdefault("title", f"Agreement {number}")
    fields.setdefault("slug", f"agreement-{number}")
    fields.setdefault("kind", Agreement.Kind.ILRS)
    fields.setdefault("signed_on", datetime.date(2023, 1, 1))
    fields.setdefault("summary", "A cooperation document.")
    agreement = Agreement.objects.create(editorial_state=state, **fields)
    agreement.parties.set(parties)
    return agreement


def make_project(*, partners=(), state=PUBLISHED, **fields) -> CooperationProject:
    number = next(_sequence)
    fields.setdefault("name", f"Satellite {number}")
    fields.setdefault("slug", f"satellite-{number}")
    fields.setdefault("kind", CooperationProject.Kind.EARTH_OBSERVATION)
    fields.setdefault("summary", "A satellite built together.")
    project = CooperationProject.objects.create(editorial_state=state, **fields)
    project.partners.set(partners)
    return project


def make_milestone(mission, **fields) -> Milestone:
    fields.setdefault("date", mission.launch_date or datetime.date(2020, 1, 1))
    fields.setdefault("title", "Launch")
    return Milestone.objects.create(mission=mission, **fields)
