"""Text searches run the same number of SQL queries with 3 matching rows of each kind as with 30:
ranks come from one subquery per list and excerpts are made in Python from the rows of the page.

Intended to prevent N+1 queries in search results."""

import pytest

from tests.factories import make_agreement, make_mission, make_partner, make_payload, make_project
from tests.query_counts import assert_queries_do_not_grow

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

PAGES = [
    "/en/missions/?q=regolith",
    "/en/missions/?q=regolith&side=far&page=2",
    "/en/missions/?q=月球",
    "/en/partners/?q=regolith",
    "/en/partners/?q=Pakistan",
    "/en/search/?q=regolith",
    "/zh-hans/search/?q=月球",
    "/en/search/?q=Pakistan",
]
# What each page may spend at most (session-less anonymous visitor, ATOMIC_REQUESTS savepoints excluded).
MAX_QUERIES = 14


def build(pakistan, start: int, rows: int):
    """Missions, payloads, partners, agreements and projects that all mention the same words."""
    for number in range(start, start + rows):
        partner = make_partner(
            name=f"Regolith Land {number}", slug=f"land-{number}", summary="Studies regolith.", body="<p>月球</p>"
        )
        mission = make_mission(
            name=f"Probe {number}",
            slug=f"probe-{number}",
            side="far",
            types=("orbiter", "lander"),
            summary="Samples the regolith of the far side.",
            body="<p>在月球背面采样。</p>",
        )
        make_payload(mission=mission, name=f"Regolith drill {number}", providers=[pakistan, partner])
        make_agreement(title=f"Regolith agreement {number}", summary="月球 regolith.", parties=[pakistan, partner])
        make_project(name=f"Regolith project {number}", summary="Maps regolith.", partners=[pakistan, partner])


def test_query_count_does_not_grow_with_the_matches(client, pakistan):
    build(pakistan, start=0, rows=3)
    assert_queries_do_not_grow(
        client,
        dict.fromkeys(PAGES, MAX_QUERIES),
        lambda: build(pakistan, start=3, rows=27),
        rows="30 matches of each kind",
    )
