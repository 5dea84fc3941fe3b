"""The picture pages run the same number of queries whatever the number of rows (no N+1)."""

import datetime

import pytest

from tests.factories import make_agreement, make_milestone, make_mission, make_partner, make_payload, make_project
from tests.query_counts import assert_queries_do_not_grow

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

PAGES = {
    "/en/": 11,
    "/en/partners/": 8,
    "/en/partners/charts/": 6,
    "/en/partners/pakistan/": 10,  # with What changed (feeds)
    "/en/missions/": 10,
    "/en/missions/timeline/": 5,
    "/en/missions/landing-sites/?highlight=big-1": 3,
    "/en/missions/compare/?m=big-0&m=big-1&m=big-2": 11,
    "/zh-hans/missions/timeline/": 5,
}


def build(pakistan, start: int, rows: int):
    countries = ["BR", "FR", "IT", "DE", "EG", "TH", "PE", "ZA", "TR", "IR", "RU", "SE", "NL", "CH"]
    for number in range(start, start + rows):
        country = countries[number] if number < len(countries) else None
        partner = make_partner(name=f"Land {number}", slug=f"land-{number}", country=country)
        mission = make_mission(
            name=f"Big {number}",
            slug=f"big-{number}",
            types=("orbiter", "lander", "sample_return"),
            latitude=number % 80,
            longitude=(number * 37) % 360 - 180,
            landing_date=datetime.date(2011, 1, 1) + datetime.timedelta(days=number),
        )
        for _ in range(2):
            make_payload(mission=mission, providers=[pakistan, partner])
        make_milestone(mission, title=f"Samples {number} returned", date=datetime.date(2015, 1, 1))
        make_milestone(mission, title=f"Payload {number} switched on", date=datetime.date(2016, 1, 1))
        make_agreement(parties=[pakistan, partner], signed_on=datetime.date(2000 + number % 20, 1, 1))
        make_project(partners=[pakistan, partner], start_date=datetime.date(2010, 1, 1))


def test_query_count_does_not_grow_with_the_rows(client, pakistan):
    build(pakistan, start=0, rows=3)
    assert_queries_do_not_grow(client, PAGES, lambda: build(pakistan, start=3, rows=30), rows="33 missions")
