"""Country flags are SVGs of our own static files: sharp on high-density screens (Lighthouse's
image-size-responsive audit failed on django-countries' 16×11 GIFs), and one for every country
an editor can choose."""

import pytest
from django.contrib.staticfiles import finders
from django_countries import countries

from tests.factories import make_partner


def test_every_country_an_editor_can_choose_has_a_flag():
    missing = [code for code, _ in countries if not finders.find(f"flags/{code.lower()}.svg")]
    assert not missing, f"no flag in static/flags/ for {missing}"


@pytest.mark.django_db
def test_partner_pages_show_the_svg_flag_at_its_own_proportions(client):
    make_partner(name="Pakistan", slug="pakistan", country="PK")
    detail = client.get("/en/partners/pakistan/").content.decode()
    assert '<img class="flag flag-large" src="/static/flags/pk.svg" alt="" width="32" height="24">' in detail
    listing = client.get("/en/partners/").content.decode()
    assert '<img class="flag" src="/static/flags/pk.svg" alt="" width="16" height="12">' in listing


@pytest.mark.django_db
def test_an_organisation_has_no_flag(client):
    make_partner(name="European Space Agency", slug="esa")
    assert "flags/" not in client.get("/en/partners/esa/").content.decode()
