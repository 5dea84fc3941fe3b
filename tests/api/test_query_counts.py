"""The API's pages and the CSV exports run the same number of SQL queries whatever the number of
rows (intended to prevent N+1 queries): each is measured with a few rows and with many."""

import pytest

from tests.factories import make_agreement, make_milestone, make_mission, make_partner, make_payload, make_project
from tests.query_counts import assert_queries_do_not_grow

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

# Each page's count, SAVEPOINT and RELEASE of the request's transaction included.
URLS = {
    "/api/v1/missions/": 7,
    "/api/v1/missions/?partner=PK&side=far&page_size=100": 8,
    "/api/v1/missions/big-0/": 11,
    "/api/v1/payloads/": 6,
    "/api/v1/payloads/?partner=pakistan&page_size=100": 7,
    "/api/v1/partners/": 4,
    "/api/v1/partners/?ilrs=1&page_size=100": 4,
    "/api/v1/partners/pakistan/": 9,  # its agreements' sources too
    "/api/v1/agreements/": 6,  # with their sources
    "/api/v1/projects/?partner=PK": 7,
    "/en/missions/export.csv": 6,
    "/en/missions/export.csv?partner=PK&international=1": 7,
    "/en/partners/export.csv?ilrs=1": 3,
}


def build(pakistan, start: int, rows: int):
    for number in range(start, start + rows):
        partner = make_partner(name=f"Land {number}", slug=f"land-{number}", ilrs_member=True)
        mission = make_mission(name=f"Big {number}", slug=f"big-{number}", side="far", types=("orbiter", "lander"))
        for _ in range(3):
            make_payload(mission=mission, providers=[pakistan, partner])
        make_milestone(mission, title=f"Launch {number}")
        mission.sources.create(url="https://example.org/", title="Source")
        if number:
            mission.related_missions.add(mission.__class__.objects.get(slug="big-0"))
        make_agreement(parties=[pakistan, partner])
        make_project(partners=[pakistan, partner])


def test_query_count_does_not_grow_with_the_rows(client, pakistan):
    build(pakistan, start=0, rows=3)
    assert_queries_do_not_grow(client, URLS, lambda: build(pakistan, start=3, rows=30), rows="33 missions")
