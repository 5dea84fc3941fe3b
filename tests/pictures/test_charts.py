"""Cooperation charts: partners and agreements per year, payloads by partner; bars match the
published counts and drafts count for nothing."""

import datetime
import re

import pytest

from partners import cooperation
from partners.pictures.charts import Series, bar_chart, columns_per_year
from publishing.svg import nice_ticks
from tests.factories import DRAFT, make_agreement, make_mission, make_partner, make_payload


@pytest.mark.parametrize(
    ("maximum", "ticks"), [(1, [0, 1]), (3, [0, 1, 2, 3]), (7, [0, 2, 4, 6, 8]), (23, [0, 5, 10, 15, 20, 25])]
)
def test_nice_ticks(maximum, ticks):
    assert nice_ticks(maximum) == ticks


def test_bar_lengths_are_proportional_to_the_values():
    chart = bar_chart([("Italy", 4, "/i/", "en"), ("Peru", 2, "/p/", "en"), ("Chad", 1, "/c/", "en")])
    lengths = [bar.length for bar in chart.bars]
    assert lengths[0] == pytest.approx(2 * lengths[1], abs=0.2) == pytest.approx(4 * lengths[2], abs=0.4)
    assert [bar.y for bar in chart.bars] == sorted(bar.y for bar in chart.bars)
    assert chart.ticks[-1][0] == 4


def test_columns_per_year_fill_the_gaps_between_years():
    chart = columns_per_year([Series("A", {2019: 2, 2022: 1}, "a"), Series("B", {2020: 4}, "b")])
    assert [year for year, _x, _labelled in chart.years] == [2019, 2020, 2021, 2022]
    assert chart.table == [(2019, [2, 0]), (2020, [0, 4]), (2021, [0, 0]), (2022, [1, 0])]
    tallest = max(chart.columns, key=lambda column: column.height)
    assert (tallest.year, tallest.value) == (2020, 4)
    two = next(column for column in chart.columns if column.value == 2)
    assert two.height == pytest.approx(tallest.height / 2, abs=0.2)
    assert all(column.y + column.height == pytest.approx(chart.baseline) for column in chart.columns)


@pytest.fixture
def cooperation_data(db, pakistan, esa):
    italy = make_partner(name="Italy", slug="italy", country="IT")
    draft = make_partner(name="Zqdraft Land", slug="zqdraft-land", country="IS", state=DRAFT)
    flown = make_mission(launch_date=datetime.date(2018, 12, 7))
    planned = make_mission(launch_date=None, launch_window="around 2028", status="planned")
    make_payload(mission=flown, providers=[italy])
    make_payload(mission=flown, providers=[italy, pakistan])
    make_payload(mission=planned, providers=[italy])
    make_payload(mission=planned, providers=[esa])
    make_payload(mission=flown, providers=[pakistan], state=DRAFT)
    make_payload(mission=make_mission(state=DRAFT, launch_date=datetime.date(2001, 1, 1)), providers=[esa])
    make_payload(mission=flown, providers=[draft])
    make_agreement(parties=[pakistan], signed_on=datetime.date(2015, 5, 1))
    make_agreement(parties=[pakistan, italy], signed_on=datetime.date(2021, 3, 9))
    make_agreement(parties=[pakistan], signed_on=datetime.date(2021, 6, 9))
    make_agreement(parties=[pakistan], signed_on=None)
    make_agreement(parties=[pakistan], signed_on=datetime.date(2010, 1, 1), state=DRAFT)
    return italy, draft


def test_counts_come_from_published_records_only(cooperation_data, pakistan, esa):
    italy, draft = cooperation_data
    assert cooperation.agreements_per_year() == {2015: 1, 2021: 2}
    assert cooperation.first_years() == {italy.pk: 2018, pakistan.pk: 2015, esa.pk: 2028}
    assert cooperation.new_partners_per_year() == {2018: 1, 2015: 1, 2028: 1}
    assert [(p.slug, p.payload_count) for p in cooperation.payloads_by_partner()] == [
        ("italy", 3),
        ("esa", 1),
        ("pakistan", 1),
    ]


def test_the_charts_page_draws_bars_matching_the_counts(client, cooperation_data):
    response = client.get("/en/partners/charts/")
    assert response.status_code == 200
    page = response.content.decode()
    bars = re.findall(r'<a href="/en/partners/([a-z-]+)/" class="bar">\s*<title>[^<]*: (\d+)</title>', page)
    assert bars == [("italy", "3"), ("esa", "1"), ("pakistan", "1")]
    widths = dict(
        re.findall(
            r'<a href="/en/partners/([a-z-]+)/" class="bar">.*?<rect class="bar-rect"[^>]* width="([\d.]+)"', page, re.S
        )
    )
    assert float(widths["italy"]) == pytest.approx(3 * float(widths["pakistan"]), abs=0.3)
    assert re.findall(r'<rect class="column column-1"[^>]*><title>(\d+): (\d+)</title>', page) == [
        ("2015", "1"),
        ("2021", "2"),
    ]
    assert "zqdraft" not in page.lower()
    assert 'role="img" aria-labelledby="per-year-title"' in page
    assert '<th scope="row">2015</th><td>1</td><td>1</td>' in page  # the table: new partners, agreements


def test_the_partner_list_links_to_the_charts(client, cooperation_data):
    assert 'href="/en/partners/charts/"' in client.get("/en/partners/").content.decode()


def test_an_empty_charts_page(client, db):
    response = client.get("/en/partners/charts/")
    assert response.status_code == 200
    assert "No partner payload is published yet." in response.content.decode()


def test_the_charts_page_in_chinese(client, cooperation_data):
    response = client.get("/zh-hans/partners/charts/")
    assert response.status_code == 200
    assert '<a href="/zh-hans/partners/italy/" class="bar">' in response.content.decode()
