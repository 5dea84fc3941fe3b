"""The partner world map: published partner countries shaded by involvement and linked; drafts
neither shaded nor linked; organisations listed beside; a legend and a table."""

import re

import pytest

from partners.models import Partner
from partners.pictures import world_map as world_map_module
from partners.pictures.world_map import INVOLVEMENT_CLASSES, base_layer, geometry, involvement_class, world_map
from tests.factories import DRAFT, make_agreement, make_mission, make_partner, make_payload, make_project


def partner_link(page: str, slug: str) -> str | None:
    """The map's <a> element for a partner, if drawn."""
    found = re.search(rf'<a href="/en/partners/{slug}/" class="map-partner [^"]*">.*?</a>', page, re.S)
    return found.group(0) if found else None


@pytest.mark.parametrize(("total", "index"), [(0, 0), (1, 1), (2, 2), (3, 2), (4, 3), (6, 3), (7, 4), (150, 4)])
def test_involvement_classes_cover_every_count(total, index):
    assert involvement_class(total).index == index
    assert involvement_class(total).css_class == f"involvement-{index}"


def test_geometry_ships_with_the_project():
    data = geometry()
    assert data["width"] == 960 and 300 < data["height"] < 600
    for code in ("PK", "BR", "RU", "FR", "ZA", "CN"):
        assert data["countries"][code].startswith("M")
    # Too small for the 1:110m shapes: a dot instead.
    for code in ("BH", "HK", "SG"):
        assert len(data["points"][code]) == 2
    assert "AQ" not in data["countries"]
    assert world_map_module.GEOMETRY_FILE.stat().st_size < 300_000


def test_the_grey_layer_leaves_out_the_coloured_countries_and_is_cached():
    pakistan_path = geometry()["countries"]["PK"]
    assert pakistan_path in base_layer(frozenset())
    assert pakistan_path not in base_layer(frozenset({"PK"}))
    assert base_layer(frozenset({"PK"})) is base_layer(frozenset({"PK"}))


@pytest.mark.django_db
def test_layout_sorts_partners_into_countries_and_organisations(pakistan, esa):
    make_payload(providers=[pakistan])
    make_agreement(parties=[pakistan])
    partners = Partner.objects.published().with_involvement_counts()
    layout = world_map(partners)
    [country] = layout.countries
    assert country.partner == pakistan
    assert country.total == 2 and country.step.index == 2
    assert country.path == geometry()["countries"]["PK"]
    assert [organisation.partner for organisation in layout.organisations] == [esa]
    assert geometry()["countries"]["PK"] not in layout.base_path


@pytest.fixture
def partners_with_a_draft(db, pakistan, esa):
    make_payload(providers=[pakistan])
    brazil = make_partner(name="Brazil", slug="brazil", country="BR")
    make_project(partners=[brazil])
    make_agreement(parties=[brazil])
    make_payload(providers=[brazil], mission=make_mission(status="planned"))
    draft = make_partner(name="Draftland", slug="draftland", country="IS", state=DRAFT)
    make_payload(providers=[draft])
    bahrain = make_partner(name="Bahrain", slug="bahrain", country="BH")
    return draft, brazil, bahrain


@pytest.mark.parametrize("url", ["/en/", "/en/partners/"])
def test_the_map_colours_and_links_published_partners_only(client, partners_with_a_draft, url):
    page = client.get(url).content.decode()
    pakistan_link = partner_link(page, "pakistan")
    assert pakistan_link and "involvement-1" in pakistan_link
    assert geometry()["countries"]["PK"] in pakistan_link
    brazil_link = partner_link(page, "brazil")
    assert brazil_link and "involvement-2" in brazil_link  # a project, an agreement and a payload: 3
    bahrain_link = partner_link(page, "bahrain")
    assert bahrain_link and "involvement-0" in bahrain_link and "<circle" in bahrain_link
    # The draft: no link, no colour, its shape only in the grey layer.
    assert partner_link(page, "draftland") is None
    assert "Draftland" not in page and "draftland" not in page
    iceland = geometry()["countries"]["IS"]
    assert page.count(iceland) == 1
    assert re.search(r'<path class="map-land" d="[^"]*' + re.escape(iceland), page)


def test_the_map_has_a_legend_a_table_and_lists_organisations(client, partners_with_a_draft):
    page = client.get("/en/partners/").content.decode()
    for step in INVOLVEMENT_CLASSES:
        assert f'class="swatch {step.css_class}"' in page
    table = page[page.index('<details class="picture-table">') :]
    assert '<a href="/en/partners/pakistan/">Pakistan</a>' in table
    assert '<a href="/en/partners/brazil/">Brazil</a>' in table
    # Organisations have no country: listed beside the map, not drawn on it.
    assert 'International organisations, not on the map: <a href="/en/partners/esa/">' in " ".join(page.split())
    assert partner_link(page, "esa") is None


def test_the_map_renders_in_chinese(client, partners_with_a_draft):
    page = client.get("/zh-hans/partners/").content.decode()
    assert '<a href="/zh-hans/partners/pakistan/" class="map-partner involvement-1">' in page
    assert "巴基斯坦" in page
