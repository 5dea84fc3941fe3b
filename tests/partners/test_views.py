"""The public partner pages: /partners/ with its filters, and /partners/<slug>/."""

import datetime
import re

import pytest

from tests.factories import DRAFT, make_agreement, make_mission, make_partner, make_payload, make_project

pytestmark = pytest.mark.django_db


def names(response):
    return [partner.name for partner in response.context["object_list"]]


@pytest.fixture
def partners(pakistan, esa):
    brazil = make_partner(name="Brazil", name_zh="巴西", slug="brazil", country="BR", region="americas")
    egypt = make_partner(
        name="Egypt",
        name_zh="埃及",
        slug="egypt",
        country="EG",
        region="africa",
        ilrs_member=True,
        ilrs_joined_on=datetime.date(2023, 12, 6),
    )
    make_partner(name="Draftland", slug="draftland", country="IS", region="europe", state=DRAFT)
    return {"brazil": brazil, "egypt": egypt}


def test_list_shows_published_partners_by_name(client, partners):
    response = client.get("/en/partners/")
    assert response.status_code == 200
    assert names(response) == ["Brazil", "Egypt", "European Space Agency", "Pakistan"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("kind=country", ["Brazil", "Egypt", "Pakistan"]),
        ("kind=organisation", ["European Space Agency"]),
        ("region=africa", ["Egypt"]),
        ("region=international", ["European Space Agency"]),
        ("ilrs=1", ["Egypt", "Pakistan"]),
        ("q=bra", ["Brazil"]),
        ("q=BR", ["Brazil"]),
        ("q=egy", ["Egypt"]),
        ("q=埃及", ["Egypt"]),
        ("q=esa", ["European Space Agency"]),
        ("kind=country&ilrs=1&region=asia", ["Pakistan"]),
    ],
)
def test_each_filter_narrows_the_list(client, partners, query, expected):
    assert names(client.get(f"/en/partners/?{query}")) == expected


@pytest.mark.parametrize(
    "query, message",
    [
        ("kind=planet", "Select a valid choice"),
        ("region=moon", "Select a valid choice"),
        ("ilrs=2", "Select a valid choice"),
        ("q=" + "z" * 2000, "at most 200 characters"),
    ],
)
def test_bad_filter_values_show_the_form_error(client, partners, query, message):
    response = client.get(f"/en/partners/?{query}")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert names(response) == []


def test_list_cards_count_only_published_involvement(client, pakistan):
    mission = make_mission()
    make_payload(mission=mission, providers=[pakistan])
    make_payload(mission=mission, providers=[pakistan], state=DRAFT)
    make_payload(mission=make_mission(state=DRAFT), providers=[pakistan])
    make_agreement(parties=[pakistan])
    make_agreement(parties=[pakistan], state=DRAFT)
    page = client.get("/en/partners/").content.decode()
    assert "1 mission<" in page
    assert "1 payload<" in page
    assert "1 agreement<" in page
    assert "0 projects" in page


def test_detail_groups_everything_involving_the_partner(client, chang_e_6, pakistan, esa):
    make_agreement(title="Pakistan joins the ILRS", parties=[pakistan], signed_on=datetime.date(2023, 10, 18))
    make_project(name="PakSat-1R", partners=[pakistan], start_date=datetime.date(2011, 8, 11))
    make_agreement(title="Unsigned draft", parties=[pakistan], state=DRAFT)
    make_project(name="Secret satellite", partners=[pakistan], state=DRAFT)
    response = client.get("/en/partners/pakistan/")
    page = response.content.decode()
    assert response.status_code == 200
    for expected in [
        "Pakistan",
        "巴基斯坦",
        "PK / PAK",
        "Chang&#x27;e-6",
        "ICUBE-Q",
        "Pakistan joins the ILRS",
        "signed 18 October 2023",
        "PakSat-1R",
        'Missions<span class="count"> (1)</span>',
    ]:
        assert expected in page, expected
    assert "Unsigned draft" not in page
    assert "Secret satellite" not in page
    assert "NILS" not in page, "another partner's payload on the same mission"


def test_detail_shows_a_joint_payload_with_every_provider(client, pakistan, esa):
    make_payload(name="Joint imager", providers=[pakistan, esa])
    page = client.get("/en/partners/esa/").content.decode()
    assert "Joint payload: European Space Agency, Pakistan" in page


def test_month_precision_dates_are_not_shown_as_a_day(client):
    make_partner(
        name="Serbia",
        slug="serbia",
        country="RS",
        region="europe",
        ilrs_member=True,
        ilrs_joined_on=datetime.date(2024, 5, 1),
        ilrs_joined_precision="month",
    )
    page = client.get("/en/partners/serbia/").content.decode()
    assert "since May 2024" in page
    assert "1 May 2024" not in page


def test_unknown_and_draft_partners_are_404_pages(client, partners):
    assert client.get("/en/partners/nowhere/").status_code == 404
    assert client.get("/en/partners/draftland/").status_code == 404


def test_a_busy_partner_page_lists_the_first_payloads_and_agreements_and_links_to_all(client, pakistan, settings):
    """A partner with hundreds of payloads gets a readable page: the first ones listed, the
    counts complete, and a link to every one of them as data."""
    from partners.models import INVOLVEMENT_SHOWN

    mission = make_mission(name="Busy mission")
    for number in range(INVOLVEMENT_SHOWN + 3):
        make_payload(mission=mission, providers=[pakistan], name=f"Payload {number:03d}")
        make_agreement(parties=[pakistan], title=f"Accord {number:03d}")
    make_payload(mission=mission, providers=[pakistan], name="Hidden draft payload", state=DRAFT)

    html = client.get("/en/partners/pakistan/").content.decode()

    assert len(re.findall(r"<strong[^>]*>Payload 0", html)) == INVOLVEMENT_SHOWN
    assert f"The first {INVOLVEMENT_SHOWN} of {INVOLVEMENT_SHOWN + 3} payloads are listed." in html
    assert 'href="/api/v1/payloads/?partner=pakistan"' in html
    assert f"The latest {INVOLVEMENT_SHOWN} of {INVOLVEMENT_SHOWN + 3} agreements are listed." in html
    assert "Hidden draft payload" not in html


def test_a_busy_partner_page_links_to_every_mission_and_every_project(client, pakistan):
    """Missions and projects shortened the same way: each list says how much it shows, and its
    link leads to all of them (the mission list filtered by the partner counts every mission)."""
    from partners.models import INVOLVEMENT_SHOWN

    total = INVOLVEMENT_SHOWN + 2
    for number in range(total):
        make_payload(mission=make_mission(name=f"Voyage {number:03d}"), providers=[pakistan])
        make_project(partners=[pakistan], name=f"Joint satellite {number:03d}")
    make_mission(name="A mission without Pakistan")

    html = client.get("/en/partners/pakistan/").content.decode()

    assert f"The missions of the first payloads are listed ({INVOLVEMENT_SHOWN} of {total})." in html
    assert len(set(re.findall(r">Voyage 0\d\d</a>", html))) == INVOLVEMENT_SHOWN  # listed, and in the timeline
    assert 'href="/en/missions/?partner=pakistan"' in html
    missions = client.get("/en/missions/", {"partner": "pakistan"}).content.decode()
    assert f"{total} missions" in missions
    assert f"The first {INVOLVEMENT_SHOWN} of {total} projects are listed." in html
    assert 'href="/api/v1/projects/?partner=pakistan"' in html
    assert len(client.get("/api/v1/projects/", {"partner": "pakistan", "page_size": 100}).json()["results"]) == total


def test_a_partner_page_with_few_records_lists_them_all_without_a_more_link(client, pakistan):
    make_payload(mission=make_mission(), providers=[pakistan], name="Dust detector")
    html = client.get("/en/partners/pakistan/").content.decode()
    assert "Dust detector" in html and "are listed." not in html


def test_the_api_gives_every_payload_of_a_busy_partner(client, pakistan):
    from partners.models import INVOLVEMENT_SHOWN

    mission = make_mission()
    for number in range(INVOLVEMENT_SHOWN + 3):
        make_payload(mission=mission, providers=[pakistan], name=f"Payload {number:03d}")
    detail = client.get("/api/v1/partners/pakistan/").json()
    assert detail["payload_count"] == INVOLVEMENT_SHOWN + 3
    assert len(detail["payloads"]) == INVOLVEMENT_SHOWN + 3
