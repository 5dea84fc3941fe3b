"""The public mission pages: /missions/ with its filters, and /missions/<slug>/."""

import datetime

import pytest

from tests.factories import DRAFT, make_milestone, make_mission, make_partner, make_payload

pytestmark = pytest.mark.django_db


def names(response):
    return [mission.name for mission in response.context["object_list"]]


@pytest.fixture
def missions(pakistan, esa):
    """A small program: two flown missions with partners, one planned, one draft."""
    far = make_mission(
        name="Far Lander",
        slug="far-lander",
        status="completed",
        side="far",
        types=("lander",),
        launch_date=datetime.date(2019, 1, 1),
    )
    near = make_mission(
        name="Near Orbiter",
        slug="near-orbiter",
        status="operating",
        side="near",
        types=("orbiter",),
        launch_date=datetime.date(2013, 12, 1),
    )
    planned = make_mission(
        name="Polar Station",
        slug="polar-station",
        status="planned",
        side="south_pole",
        types=("lander", "rover"),
        launch_date=None,
        launch_window="2026",
    )
    make_payload(mission=far, name="Pakistani camera", acronym="PKCAM", providers=[pakistan])
    make_payload(mission=near, name="Chinese spectrometer")
    make_payload(mission=planned, name="Ion analyser", providers=[esa])
    make_mission(name="Secret Draft", slug="secret-draft", state=DRAFT)
    return {"far": far, "near": near, "planned": planned}


def test_list_shows_published_missions_in_launch_order_with_undated_last(client, missions):
    response = client.get("/en/missions/")
    assert response.status_code == 200
    assert names(response) == ["Near Orbiter", "Far Lander", "Polar Station"]
    assert b"3 missions" in response.content


@pytest.mark.parametrize(
    "query, expected",
    [
        ("status=planned", ["Polar Station"]),
        ("status=operating", ["Near Orbiter"]),
        ("type=lander", ["Far Lander", "Polar Station"]),
        ("type=rover", ["Polar Station"]),
        ("side=far", ["Far Lander"]),
        ("side=south_pole", ["Polar Station"]),
        ("partner=PK", ["Far Lander"]),
        ("partner=pk", ["Far Lander"]),
        ("partner=PAK", ["Far Lander"]),
        ("partner=pakistan", ["Far Lander"]),
        ("partner=Pakistan", ["Far Lander"]),
        ("partner=巴基斯坦", ["Far Lander"]),
        ("partner=esa", ["Polar Station"]),
        ("partner=ESA", ["Polar Station"]),
        ("launch_date_after=2015-01-01", ["Far Lander"]),
        ("launch_date_before=2015-01-01", ["Near Orbiter"]),
        ("launch_date_after=2010-01-01&launch_date_before=2020-01-01", ["Near Orbiter", "Far Lander"]),
        ("international=1", ["Far Lander", "Polar Station"]),
        ("q=orbiter", ["Near Orbiter"]),
        ("q=PKCAM", ["Far Lander"]),
        ("q=pakistan", ["Far Lander"]),
        ("q=spectrometer", ["Near Orbiter"]),
        ("status=completed&side=far&partner=pk", ["Far Lander"]),
    ],
)
def test_each_filter_narrows_the_list(client, missions, query, expected):
    response = client.get(f"/en/missions/?{query}")
    assert response.status_code == 200
    assert names(response) == expected


@pytest.mark.parametrize(
    "query, message",
    [
        ("status=launched", "Select a valid choice"),
        ("status=draft", "Select a valid choice"),
        ("type=%3Cscript%3E", "Select a valid choice"),
        ("side=middle", "Select a valid choice"),
        ("partner=ZZ", "No partner is known as"),
        ("partner=%E5%B7%B4", "No partner is known as"),
        ("partner=" + "x" * 300, "at most 200 characters"),
        ("launch_date_after=2024-13-45", "Enter a valid date"),
        ("launch_date_after=0000-01-01", "Enter a valid date"),
        ("launch_date_before=99999-01-01", "Enter a valid date"),
        ("international=yes", "Select a valid choice"),
        ("international=0", "Select a valid choice"),
        ("q=" + "a" * 2000, "at most 200 characters"),
        ("q=abc%00def", "Null characters are not allowed"),
    ],
)
def test_bad_filter_values_show_the_form_error_and_no_results(client, missions, query, message):
    response = client.get(f"/en/missions/?{query}")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert names(response) == []


def test_a_draft_partner_cannot_be_used_as_a_filter(client, missions):
    make_partner(name="Hidden Land", slug="hidden-land", country="IS", state=DRAFT)
    response = client.get("/en/missions/?partner=hidden-land")
    assert "No partner is known as" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "?partners__agreements__slug__startswith=a",
        "?id__regex=.*",
        "?_connector=OR",
        "?editorial_state=draft",
        "?foo=bar",
        "?q=%25_%25",
        "?q=%5C%5C",
        "?q=(a%2B)%2B%24",
    ],
)
def test_undeclared_parameters_and_wildcards_change_nothing(client, missions, query):
    response = client.get(f"/en/missions/{query}")
    assert response.status_code == 200
    assert "Secret Draft" not in names(response)
    if "q=" not in query:
        assert names(response) == ["Near Orbiter", "Far Lander", "Polar Station"]
    else:
        assert names(response) == []


@pytest.mark.parametrize(
    "page, expected_number",
    [("abc", 1), ("1.5", 1), ("0", 3), ("-1", 3), ("999999", 3), ("99999999999999999999999", 3), ("last", 3)],
)
def test_any_page_value_gives_a_real_page(client, settings, page, expected_number):
    for number in range(45):
        make_mission(name=f"Mission {number:02d}")
    response = client.get(f"/en/missions/?page={page}")
    assert response.status_code == 200
    assert response.context["page_obj"].number == expected_number


def test_pagination_links_keep_the_filters(client):
    for number in range(25):
        make_mission(name=f"Far {number:02d}", side="far")
    response = client.get("/en/missions/?side=far")
    assert 'href="?side=far&amp;page=2"' in response.content.decode()


def test_list_shows_how_many_international_payloads_each_mission_carries(client, missions):
    response = client.get("/en/missions/?side=far")
    assert "1 international payload" in response.content.decode()


def test_detail_shows_facts_partners_payloads_milestones_and_sources(client, chang_e_6, pakistan):
    chang_e_6.landing_site = "Apollo basin"
    chang_e_6.latitude, chang_e_6.longitude = -41.6385, -153.9852
    chang_e_6.cospar_id = "2024-080A"
    chang_e_6.save()
    chang_e_6.sources.create(url="https://example.org/ce6", title="Mission page", publisher="CNSA")
    make_milestone(chang_e_6, date=datetime.date(2024, 6, 1), title="Landed in the Apollo basin")
    page = client.get("/en/missions/chang-e-6/").content.decode()
    for expected in [
        "Chang&#x27;e-6",
        "嫦娥六号",
        "Apollo basin",
        "41.6385° S, 153.9852° W",
        "Far side",
        "ICUBE-Q",
        "NILS",
        "Pakistan",
        "European Space Agency",
        "Landed in the Apollo basin",
        "https://example.org/ce6",
        "2024-080A",
    ]:
        assert expected in page, expected
    assert 'href="/en/partners/pakistan/"' in page


def test_detail_shows_planned_dates_with_their_as_of_date(client):
    make_mission(
        name="Chang'e-8",
        slug="chang-e-8",
        status="planned",
        launch_date=None,
        launch_window="around 2029",
        facts_as_of=datetime.date(2025, 4, 24),
    )
    page = client.get("/en/missions/chang-e-8/").content.decode()
    assert "Planned: around 2029" in page
    assert "as of 24 April 2025" in page


def test_detail_hides_draft_payloads_and_draft_partners(client, chang_e_6):
    hidden = make_partner(name="Hidden Partner", slug="hidden-partner", country="IS", state=DRAFT)
    make_payload(mission=chang_e_6, name="Unannounced Instrument", providers=[hidden])
    make_payload(mission=chang_e_6, name="Draft Instrument", state=DRAFT)
    page = client.get("/en/missions/chang-e-6/").content.decode()
    assert "Hidden Partner" not in page
    assert "Draft Instrument" not in page


def test_unknown_and_draft_missions_are_404_pages(client):
    make_mission(name="Draft", slug="draft-mission", state=DRAFT)
    for url in ["/en/missions/no-such-mission/", "/en/missions/draft-mission/"]:
        response = client.get(url)
        assert response.status_code == 404
        assert b"Page not found" in response.content


def test_related_missions_link_both_ways_and_hide_drafts(client):
    lander = make_mission(name="Far Lander", slug="far-lander")
    relay = make_mission(name="Relay", slug="relay", types=("relay",))
    draft = make_mission(name="Draft Relay", slug="draft-relay", state=DRAFT)
    relay.related_missions.add(lander, draft)
    assert 'href="/en/missions/relay/"' in client.get("/en/missions/far-lander/").content.decode()
    relay_page = client.get("/en/missions/relay/").content.decode()
    assert 'href="/en/missions/far-lander/"' in relay_page
    assert "Draft Relay" not in relay_page


def test_sources_show_their_publisher_and_as_of_date(client, chang_e_6):
    chang_e_6.sources.create(
        url="https://example.org/count", title="Payload call", publisher="Xinhua", as_of=datetime.date(2024, 4, 24)
    )
    page = client.get("/en/missions/chang-e-6/").content.decode()
    assert 'href="https://example.org/count"' in page
    assert "Payload call</a> — Xinhua" in page
    assert "(as of 24 April 2024)" in page
