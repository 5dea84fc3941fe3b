"""Fill the benchmark database: the demo content plus synthetic rows, so that pages are
measured with more data than the demo holds. Run through `bench/run.py`, not by hand."""

import datetime

from django.core.management import call_command
from django.db import transaction

from lunarportal import search
from lunarportal.content import EditorialState
from missions.models import Mission, MissionType, Payload
from partners.models import Agreement, Partner

PUBLISHED = EditorialState.PUBLISHED


@transaction.atomic
def seed(missions: int, payloads_per_mission: int, partners: int) -> None:
    call_command("load_demo_content", verbosity=0)
    if Mission.objects.filter(slug__startswith="bench-").exists():
        return
    synthetic_partners = Partner.objects.bulk_create(
        Partner(
            name=f"Bench partner {number}",
            slug=f"bench-partner-{number}",
            kind=Partner.Kind.ORGANISATION,
            region=Partner.Region.INTERNATIONAL,
            summary="Synthetic partner for the benchmark.",
            editorial_state=PUBLISHED if number % 10 else EditorialState.DRAFT,
        )
        for number in range(partners)
    )
    synthetic_missions = Mission.objects.bulk_create(
        Mission(
            name=f"Bench mission {number}",
            slug=f"bench-{number}",
            phase=Mission.Phase.STATION,
            status=Mission.Status.PLANNED if number % 3 else Mission.Status.COMPLETED,
            side=[Mission.Side.NEAR, Mission.Side.FAR, Mission.Side.SOUTH_POLE][number % 3],
            launch_date=datetime.date(2030, 1, 1) + datetime.timedelta(days=number),
            summary="Synthetic mission for the benchmark.",
            body="Synthetic.\n\nBody.",
            editorial_state=PUBLISHED if number % 10 else EditorialState.DRAFT,
        )
        for number in range(missions)
    )
    lander = MissionType.objects.get(code=MissionType.Code.LANDER)
    Mission.types.through.objects.bulk_create(
        Mission.types.through(mission=mission, missiontype=lander) for mission in synthetic_missions
    )
    synthetic_payloads = Payload.objects.bulk_create(
        Payload(
            mission=mission,
            name=f"Bench instrument {mission.pk}-{number}",
            purpose="Synthetic.",
            origin=Payload.Origin.INTERNATIONAL,
            selection_status=Payload.SelectionStatus.SELECTED,
            editorial_state=PUBLISHED,
        )
        for mission in synthetic_missions
        for number in range(payloads_per_mission)
    )
    pakistan = Partner.objects.get(country="PK")
    Payload.providers.through.objects.bulk_create(
        Payload.providers.through(
            payload=payload, partner=synthetic_partners[index % partners] if index % 4 else pakistan
        )
        for index, payload in enumerate(synthetic_payloads)
    )
    agreements = Agreement.objects.bulk_create(
        Agreement(
            title=f"Bench agreement {number}",
            slug=f"bench-agreement-{number}",
            kind=Agreement.Kind.MOU,
            signed_on=datetime.date(2020, 1, 1),
            summary="Synthetic.",
            editorial_state=PUBLISHED,
        )
        for number in range(partners)
    )
    Agreement.parties.through.objects.bulk_create(
        Agreement.parties.through(agreement=agreement, partner=partner)
        for agreement, partner in zip(agreements, synthetic_partners, strict=True)
    )
    # bulk_create sends no post_save: index the synthetic rows, as the search pages are measured too.
    search.index_missing()
