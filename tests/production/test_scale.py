"""On a large database (the benchmark's synthetic data: 1,000 missions, 10,000 payloads) every
public page and API list keeps the small database's query budget, and PostgreSQL answers the
filtered mission list through indexes, not by reading the big tables whole."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.seed import DatasetSize, mission_slug, seed
from missions.models import Mission

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

LARGE = DatasetSize(
    missions=1_000, payloads=10_000, partners=100, agreements=1_000, projects=20, milestones_per_mission=1
)
# The same budgets as the small-database tests (tests/site, tests/api), which also prove them constant.
BUDGETS = {
    "/en/": 12,
    "/en/missions/": 12,
    "/en/missions/?side=far&status=completed": 12,
    "/en/missions/?partner=PK": 12,
    "/en/missions/?q=lunar": 12,
    f"/en/missions/{mission_slug(1)}/": 16,
    "/en/partners/": 12,
    "/en/partners/pakistan/": 12,
    "/en/search/?q=Pakistan": 14,
    "/api/v1/missions/": 8,
    "/api/v1/payloads/?partner=PK": 8,
    "/en/feed/": 10,
    "/sitemap.xml": 5,
}


@pytest.fixture
def large_database():
    seed(LARGE, out=io.StringIO())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def test_every_page_keeps_its_query_budget_on_a_large_database(client, large_database):
    over = {}
    for url, budget in BUDGETS.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        if len(queries) > budget:
            over[url] = len(queries)
    assert not over, f"pages over their query budget: {over}"


def test_postgresql_filters_the_mission_list_through_indexes(large_database):
    if connection.vendor != "postgresql":
        pytest.skip("The query plan checked here is PostgreSQL's.")
    listing = Mission.objects.for_listing().filter(side="far", status="completed")[:20]
    plan = listing.explain()
    assert "Seq Scan on missions_payload" not in plan, plan
