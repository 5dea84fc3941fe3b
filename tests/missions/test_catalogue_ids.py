"""Catalogue identifiers: a launched mission's COSPAR designator, NSSDCA ID and NORAD number link to
the catalogues that list it, with the sources they come from; search, the API, the CSV export and
the JSON-LD give them too."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from missions.models import Mission, MissionSource
from tests.factories import make_mission

pytestmark = pytest.mark.django_db

DEMO_CONTENT = Path(__file__).resolve().parents[2] / "website" / "demo" / "content.json"
CATALOGUE = MissionSource.Covers.CATALOGUE


@pytest.fixture
def chang_e_4(db):
    mission = make_mission(
        name="Chang'e-4",
        slug="chang-e-4",
        cospar_id="2018-103A",
        nssdca_id="2018-103A",
        norad_id=43845,
        catalogue_confidence_en="one source",
        catalogue_confidence_zh_hans="单一来源",
        catalogue_note_en="NSSDCA lists the lander and the rover together.",
        catalogue_note_zh_hans="NSSDCA将着陆器和巡视器列为一条记录。",
    )
    mission.sources.create(url="https://example.org/mission", title="Mission page", publisher="CNSA")
    mission.sources.create(
        url="https://nssdc.gsfc.nasa.gov/nmc/spacecraft/display.action?id=2018-103A",
        title="NSSDCA Master Catalog: 2018-103A",
        publisher="NASA NSSDCA",
        as_of="2026-11-25",
        covers=CATALOGUE,
    )
    return mission


def test_the_page_links_each_identifier_to_its_catalogue(client, chang_e_4):
    page = client.get("/en/missions/chang-e-4/").content.decode()
    assert (
        '<a href="https://celestrak.org/satcat/table-satcat.php?INTDES=2018-103" rel="noopener">2018-103A</a>' in page
    )
    assert (
        '<a href="https://nssdc.gsfc.nasa.gov/nmc/spacecraft/display.action?id=2018-103A" rel="noopener">2018-103A</a>'
        in page
    )
    assert '<a href="https://celestrak.org/satcat/table-satcat.php?CATNR=43845" rel="noopener">43845</a>' in page


def test_the_page_says_where_the_identifiers_come_from_in_its_language(client, chang_e_4):
    english = client.get("/en/missions/chang-e-4/").content.decode()
    identifiers = english[english.index("Identifiers from") :]
    identifiers = identifiers[: identifiers.index("</tr>")]
    assert "NASA NSSDCA" in identifiers and "(one source)" in identifiers
    assert "lists the lander and the rover together" in identifiers
    assert "Mission page" not in identifiers  # the mission's own sources are listed below, not here
    chinese = client.get("/zh-hans/missions/chang-e-4/").content.decode()
    assert "（单一来源）" in chinese or "(单一来源)" in chinese
    assert "NSSDCA将着陆器和巡视器列为一条记录。" in chinese


def test_the_sources_list_keeps_the_missions_own_sources(client, chang_e_4):
    page = client.get("/en/missions/chang-e-4/").content.decode()
    sources = page[page.index('id="sources-heading"') :]
    sources = sources[: sources.index("</section>")]
    assert "Mission page" in sources and "NSSDCA Master Catalog" not in sources


def test_a_mission_not_launched_shows_no_identifier_rows(client):
    make_mission(slug="chang-e-8", launch_date=None, status=Mission.Status.PLANNED)
    page = client.get("/en/missions/chang-e-8/").content.decode()
    assert "Identifiers from" not in page and "celestrak" not in page


def test_a_mission_is_found_by_any_of_its_identifiers(client, chang_e_4):
    make_mission(slug="other", cospar_id="2024-083A", norad_id=59627)
    for words in ("43845", "2018-103A"):
        assert list(Mission.objects.published().search(words).values_list("slug", flat=True)) == ["chang-e-4"], words
    assert "chang-e-4" in client.get("/en/missions/?q=43845").content.decode()


def test_the_api_gives_the_identifiers_and_their_sources(client, chang_e_4):
    mission = client.get("/api/v1/missions/chang-e-4/").json()
    assert (mission["cospar_id"], mission["nssdca_id"], mission["norad_id"]) == ("2018-103A", "2018-103A", 43845)
    assert mission["catalogue_confidence"] == "one source"
    assert [source["publisher"] for source in mission["catalogue_sources"]] == ["NASA NSSDCA"]
    assert [source["title"] for source in mission["sources"]] == ["Mission page"]
    assert client.get("/api/v1/missions/").json()["results"][0]["norad_id"] == 43845
    csv = b"".join(client.get("/en/missions/export.csv").streaming_content).decode("utf-8-sig")
    assert "2018-103A,2018-103A,43845" in csv


def test_the_json_ld_names_the_identifiers(client, chang_e_4):
    page = client.get("/en/missions/chang-e-4/").content.decode()
    start = page.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    data = json.loads(page[start : page.index("</script>", start)])
    assert {(item["propertyID"], item["value"]) for item in data["identifier"]} == {
        ("COSPAR ID", "2018-103A"),
        ("NSSDCA ID", "2018-103A"),
        ("NORAD catalog number", "43845"),
    }


def test_the_demo_gives_every_launched_mission_its_identifiers_and_their_sources():
    call_command("load_demo_content", stdout=None)
    records = {record["slug"]: record for record in json.loads(DEMO_CONTENT.read_text())["missions"]}
    for mission in Mission.objects.all():
        record = records[mission.slug]
        assert (mission.cospar_id, mission.nssdca_id, mission.norad_id) == (
            record["cospar_id"],
            record["nssdca_id"],
            record["norad_id"],
        ), mission.slug
        if mission.launch_date:
            assert mission.norad_id and mission.cospar_id, mission.slug
            assert mission.catalogue_confidence_en and mission.catalogue_confidence_zh_hans, mission.slug
            cited = set(mission.sources.filter(covers=CATALOGUE).values_list("url", flat=True))
            assert cited == {source["url"] for source in record["catalogue_sources"]}, mission.slug
            # A mission whose identifiers name no page says so, in both languages.
            assert cited or (mission.catalogue_note_en and mission.catalogue_note_zh_hans), mission.slug
