"""Chinese pages write coordinates, dates and orders the way Chinese readers do."""

import datetime

import pytest

from tests.factories import make_mission

pytestmark = pytest.mark.django_db


def landed_mission():
    return make_mission(
        slug="chang-e-4",
        name="Chang'e-4",
        name_zh="嫦娥四号",
        latitude=-45.4446,
        longitude=177.5991,
        launch_date=datetime.date(2018, 12, 7),
        landing_date=datetime.date(2019, 1, 3),
    )


def test_coordinates_read_hemisphere_first_in_chinese(client):
    landed_mission()
    page = client.get("/zh-hans/missions/chang-e-4/").content.decode()
    assert "南纬45.4446°，东经177.5991°" in page
    page = client.get("/zh-hans/missions/landing-sites/").content.decode()
    assert "南纬45.4446°，东经177.5991°" in page


def test_coordinates_stay_as_they_were_in_english(client):
    landed_mission()
    assert "45.4446° S, 177.5991° E" in client.get("/en/missions/chang-e-4/").content.decode()


def test_dates_read_year_month_day_in_chinese(client):
    landed_mission()
    page = client.get("/zh-hans/missions/chang-e-4/").content.decode()
    assert "2018年12月7日" in page and "2019年1月3日" in page
    assert "7 December 2018" in client.get("/en/missions/chang-e-4/").content.decode()
