"""A record's links are the addresses reverse() gives, in the page's language and under the
prefix the site is served under, though each kind of address is worked out once."""

import pytest
from django.urls import set_script_prefix

from tests.factories import make_mission, make_partner, make_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def involvement():
    partner = make_partner(name="Pakistan", slug="pakistan", country="PK")
    mission = make_mission(name="Chang'e 6", slug="chang-e-6")
    make_payload(mission=mission, providers=[partner], name="ICUBE-Q")
    return partner, mission


def test_links_between_records_follow_the_language_and_the_prefix(client, involvement):
    partner_page = client.get("/en/partners/pakistan/").content.decode()
    assert 'href="/en/missions/chang-e-6/"' in partner_page
    mission_page = client.get("/zh-hans/missions/chang-e-6/").content.decode()
    assert 'href="/zh-hans/partners/pakistan/"' in mission_page
    set_script_prefix("/portal/")
    try:
        partner_page = client.get("/en/partners/pakistan/", SCRIPT_NAME="/portal").content.decode()
    finally:
        set_script_prefix("/")
    assert 'href="/portal/en/missions/chang-e-6/"' in partner_page
    assert 'href="/zh-hans/missions/chang-e-6/"' in client.get("/zh-hans/partners/pakistan/").content.decode()
