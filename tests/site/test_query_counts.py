"""Every public page runs the same number of SQL queries whatever the number of rows.

Intended to prevent N+1 queries: each page is measured with a few rows and with many, and
the two counts must be equal (and small).
"""

import pytest

from tests.factories import make_agreement, make_milestone, make_mission, make_partner, make_payload, make_project
from tests.query_counts import assert_queries_do_not_grow

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

PAGES = [
    "/en/",
    "/en/missions/",
    "/en/missions/?international=1&side=far",
    "/en/missions/?partner=PK",
    "/en/missions/?q=instrument",
    "/en/missions/?page=2",
    "/en/missions/big-0/",
    "/en/partners/",
    "/en/partners/?ilrs=1&kind=country",
    "/en/partners/pakistan/",
    "/en/search/?q=Pakistan",
    "/en/search/?q=a",
    "/en/search/?q=Pakstan",
]


def build(pakistan, start: int, rows: int):
    """Missions `start`… with partners, payloads, milestones, sources, agreements and projects."""
    for number in range(start, start + rows):
        partner = make_partner(name=f"Land {number}", slug=f"land-{number}", ilrs_member=True)
        mission = make_mission(name=f"Big {number}", slug=f"big-{number}", side="far", types=("orbiter", "lander"))
        for _ in range(3):
            make_payload(mission=mission, providers=[pakistan, partner])
        make_milestone(mission, title=f"Launch {number}")
        mission.sources.create(url="https://example.org/", title="Source")
        make_agreement(parties=[pakistan, partner])
        make_project(partners=[pakistan, partner])


def test_query_count_does_not_grow_with_the_rows(client, pakistan):
    build(pakistan, start=0, rows=3)
    assert_queries_do_not_grow(
        client, dict.fromkeys(PAGES, 12), lambda: build(pakistan, start=3, rows=40), rows="43 missions"
    )
