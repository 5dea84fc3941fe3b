"""Facet counts: each filter option says how many published results it would give, with the
visitor's other filters applied, and the numbers match the results."""

import re
from urllib.parse import urlencode

import pytest

from tests.factories import DRAFT, make_mission, make_partner, make_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def missions(pakistan):
    make_mission(name="A", status="completed", side="far", types=("lander", "rover"))
    make_mission(name="B", status="completed", side="near", types=("orbiter",))
    make_mission(name="C", status="operating", side="far", types=("lander",))
    intl = make_mission(name="D", status="planned", side="south_pole", types=("lander",), launch_date=None)
    make_payload(mission=intl, providers=[pakistan])
    make_mission(name="Hidden", status="completed", side="far", state=DRAFT)


def option_counts(page: str, name: str) -> dict[str, int]:
    """{option value: the count in its label} for the <select name=…> on the page."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return {
        value: int(count)
        for value, count in re.findall(r'<option value="([^"]+)"[^>]*>[^<]*\((\d+)\)</option>', select)
    }


def results(client, params) -> int:
    return client.get("/en/missions/?" + urlencode(params)).context["paginator"].count


@pytest.mark.parametrize("facet", ["status", "type", "side", "international"])
@pytest.mark.parametrize("others", [{}, {"side": "far"}, {"type": "lander"}, {"partner": "PK"}, {"q": "A"}])
def test_every_count_matches_the_results_it_promises(client, missions, facet, others):
    others = {key: value for key, value in others.items() if key != facet}
    counts = option_counts(client.get("/en/missions/?" + urlencode(others)).content.decode(), facet)
    assert counts, "the facet shows counts"
    for value, count in counts.items():
        assert results(client, {**others, facet: value}) == count, (facet, value, others)


def test_counts_without_filters(client, missions):
    page = client.get("/en/missions/").content.decode()
    assert option_counts(page, "side") == {"near": 1, "far": 2, "south_pole": 1}
    assert option_counts(page, "type")["lander"] == 3
    assert option_counts(page, "international") == {"1": 1}
    assert "Far side (2)" in page


def test_a_facet_ignores_its_own_choice_but_applies_the_others(client, missions):
    page = client.get("/en/missions/?side=far&status=completed").content.decode()
    assert option_counts(page, "side") == {"near": 1, "far": 1, "south_pole": 0}
    assert option_counts(page, "status") == {
        "planned": 0,
        "in_development": 0,
        "operating": 1,
        "completed": 1,
        "failed": 0,
    }


def test_invalid_filters_show_no_counts(client, missions):
    page = client.get("/en/missions/?side=middle").content.decode()
    assert option_counts(page, "status") == {}


def test_partner_facets(client, pakistan, esa):
    make_partner(name="Egypt", slug="egypt", country="EG", region="africa", ilrs_member=True)
    make_partner(name="Draftland", slug="draftland", country="IS", region="europe", ilrs_member=True, state=DRAFT)
    page = client.get("/en/partners/").content.decode()
    assert option_counts(page, "kind") == {"country": 2, "organisation": 1}
    assert option_counts(page, "ilrs") == {"1": 2}
    assert option_counts(page, "region")["europe"] == 0
    page = client.get("/en/partners/?kind=country").content.decode()
    assert option_counts(page, "region") == {
        "africa": 1,
        "americas": 0,
        "asia": 1,
        "europe": 0,
        "oceania": 0,
        "international": 0,
    }


@pytest.mark.usefixtures("no_page_cache")
def test_each_request_labels_its_own_form_whatever_came_before(client, missions):
    """Every filter set shares its form's class (FacetedFilterSet.get_form_class): the counts go
    on each form's own copy of the fields, never on the class, nor on the next visitor's form."""
    for _ in range(2):
        completed = client.get("/en/missions/?status=completed").content.decode()
        assert option_counts(completed, "side") == {"near": 1, "far": 1, "south_pole": 0}
        page = client.get("/en/missions/").content.decode()
        assert option_counts(page, "side") == {"near": 1, "far": 2, "south_pole": 1}
        assert not re.search(r"\(\d+\) \(\d+\)", page)  # one count per label
