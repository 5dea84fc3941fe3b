"""Admin lists keep a constant number of queries with 10,000 rows (intended to prevent N+1)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from missions.models import Mission, MissionType, Payload
from partners.models import Agreement, CooperationProject, Partner
from tests.factories import make_agreement, make_mission, make_partner, make_payload, make_project

pytestmark = pytest.mark.django_db

ROWS = 10_000
CHANGELISTS = [
    "/admin/missions/mission/",
    "/admin/missions/mission/?editorial_state__exact=published&types__id__exact=1",
    "/admin/missions/payload/",
    "/admin/missions/payload/?q=instrument",
    "/admin/partners/partner/",
    "/admin/partners/agreement/",
    "/admin/partners/cooperationproject/",
]


def fill(rows: int):
    """`rows` missions, payloads (each with two providers), partners, agreements and projects."""
    partners = Partner.objects.bulk_create(
        Partner(name=f"Bulk {n}", slug=f"bulk-{n}", kind="organisation", region="international", summary="s")
        for n in range(rows)
    )
    missions = Mission.objects.bulk_create(
        Mission(
            name=f"Bulk {n}",
            slug=f"bulk-{n}",
            phase="station",
            status="planned",
            summary="s",
            launch_date=datetime.date(2030, 1, 1) + datetime.timedelta(days=n % 3000),
        )
        for n in range(rows)
    )
    lander = MissionType.objects.get(code="lander")
    Mission.types.through.objects.bulk_create(Mission.types.through(mission=m, missiontype=lander) for m in missions)
    payloads = Payload.objects.bulk_create(
        Payload(mission=missions[n], name=f"Bulk instrument {n}", purpose="p") for n in range(rows)
    )
    Payload.providers.through.objects.bulk_create(
        Payload.providers.through(payload=p, partner=partners[n]) for n, p in enumerate(payloads)
    )
    agreements = Agreement.objects.bulk_create(
        Agreement(title=f"Bulk {n}", slug=f"bulk-{n}", kind="mou", summary="s") for n in range(rows)
    )
    Agreement.parties.through.objects.bulk_create(
        Agreement.parties.through(agreement=a, partner=partners[n]) for n, a in enumerate(agreements)
    )
    projects = CooperationProject.objects.bulk_create(
        CooperationProject(name=f"Bulk {n}", slug=f"bulk-{n}", kind="other", summary="s") for n in range(rows)
    )
    CooperationProject.partners.through.objects.bulk_create(
        CooperationProject.partners.through(cooperationproject=p, partner=partners[n]) for n, p in enumerate(projects)
    )


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_admin_changelists_do_not_grow_with_10000_rows(publisher_client, pakistan):
    mission = make_mission()
    make_payload(mission=mission, providers=[pakistan])
    make_agreement(parties=[pakistan])
    make_project(partners=[pakistan])
    make_partner(name="Another", slug="another")
    few = {url: queries(publisher_client, url) for url in CHANGELISTS}
    fill(ROWS)
    many = {url: queries(publisher_client, url) for url in CHANGELISTS}
    assert many == few


def test_payload_search_finds_a_providers_name_and_needs_every_word(publisher_client, pakistan, esa):
    make_payload(name="Lunar camera", providers=[pakistan])
    make_payload(name="Ion analyser", providers=[esa])
    make_payload(name="Radar", providers=[pakistan, esa])

    def listed(query):
        response = publisher_client.get("/admin/missions/payload/", {"q": query})
        return sorted(payload.name for payload in response.context["cl"].result_list)

    assert listed("pakistan") == ["Lunar camera", "Radar"]
    assert listed("巴基斯坦") == ["Lunar camera", "Radar"]
    assert listed("pakistan camera") == ["Lunar camera"]
    assert listed('"european space"') == ["Ion analyser", "Radar"]
