"""The API's lists and details: fields, links, filters, pagination, read-only."""

import csv
import io
import re

import pytest

from missions.models import Payload
from tests.factories import make_mission, make_partner, make_payload

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/missions/",
    "/api/v1/payloads/",
    "/api/v1/partners/",
    "/api/v1/agreements/",
    "/api/v1/projects/",
    "/api/v1/figures/",
]
EDITORIAL_FIELDS = {"editorial_state", "publish_at", "unpublish_at", "created_at", "updated_at", "search_names"}


def names(response, field="name"):
    assert response.status_code == 200, response.content
    return [row[field] for row in response.json()["results"]]


def all_keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in all_keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in all_keys(item)}
    return set()


@pytest.mark.parametrize("url", LISTS)
def test_each_list_is_a_paginated_json_page(client, world, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == len(body["results"]) > 0


@pytest.mark.parametrize(
    "url",
    [
        *LISTS,
        "/api/v1/missions/chang-e-6/",
        "/api/v1/partners/pakistan/",
        "/api/v1/agreements/pakistan-ilrs/",
        "/api/v1/projects/paksat-1r/",
        "/api/v1/figures/ilrs-partners/",
    ],
)
def test_no_editorial_field_is_exposed_even_nested(client, world, url):
    response = client.get(url)
    assert response.status_code == 200
    assert not all_keys(response.json()) & EDITORIAL_FIELDS


def test_mission_detail_links_to_related_records_and_the_public_page(client, world):
    mission = client.get("/api/v1/missions/chang-e-6/").json()
    assert mission["url"] == "http://testserver/api/v1/missions/chang-e-6/"
    assert mission["page_url"] == "http://testserver/en/missions/chang-e-6/"
    assert mission["types"] == ["orbiter", "lander", "sample_return"]
    assert [partner["slug"] for partner in mission["partners"]] == ["esa", "pakistan"]
    assert mission["partners"][1]["url"] == "http://testserver/api/v1/partners/pakistan/"
    assert mission["partners"][1]["page_url"] == "http://testserver/en/partners/pakistan/"
    assert [m["slug"] for m in mission["related_missions"]] == ["chang-e-4"]
    assert [m["title"] for m in mission["milestones"]] == ["Launch of Chang'e-6"]
    payload = next(p for p in mission["payloads"] if p["acronym"] == "ICUBE-Q")
    assert client.get(payload["url"]).json()["mission"]["slug"] == "chang-e-6"
    assert [p["slug"] for p in payload["providers"]] == ["pakistan"]


def test_partner_detail_lists_what_it_takes_part_in(client, world):
    partner = client.get("/api/v1/partners/pakistan/").json()
    assert partner["country"] == "PK"
    assert partner["name_zh"] == "巴基斯坦"
    assert (partner["mission_count"], partner["payload_count"]) == (1, 1)
    assert [m["slug"] for m in partner["missions"]] == ["chang-e-6"]
    assert [p["acronym"] for p in partner["payloads"]] == ["ICUBE-Q"]
    assert {a["slug"] for a in partner["agreements"]} >= {"pakistan-ilrs"}
    assert [p["slug"] for p in partner["projects"]] == ["paksat-1r"]
    assert client.get(partner["agreements"][0]["url"]).status_code == 200
    assert client.get(partner["projects"][0]["url"]).status_code == 200


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", ["Chang'e-4", "Chang'e-6"]),
        ("?side=far&status=completed", ["Chang'e-6"]),
        ("?type=rover", ["Chang'e-4"]),
        ("?partner=PK", ["Chang'e-6"]),
        ("?partner=巴基斯坦", ["Chang'e-6"]),
        ("?q=NILS", ["Chang'e-6"]),
        ("?q=pakistan", ["Chang'e-6"]),
        ("?international=1", ["Chang'e-6"]),
        ("?launch_date_after=2010-01-01&launch_date_before=2010-01-01", []),
        ("?foo=bar&id__regex=.*&_connector=OR&status__in=draft", ["Chang'e-4", "Chang'e-6"]),
    ],
)
def test_missions_take_the_public_page_filters(client, world, query, expected):
    assert sorted(names(client.get(f"/api/v1/missions/{query}"))) == expected


def test_mission_launch_date_range(client, world):
    make_mission(name="Old", slug="old", launch_date="2007-10-24")
    make_mission(name="New", slug="new", launch_date="2030-01-01")
    response = client.get("/api/v1/missions/?launch_date_after=2007-01-01&launch_date_before=2008-01-01")
    assert names(response) == ["Old"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?ilrs=1", ["Pakistan"]),
        ("?kind=organisation", ["European Space Agency"]),
        ("?region=asia", ["Pakistan"]),
        ("?q=ESA", ["European Space Agency"]),
        ("?q=巴基", ["Pakistan"]),
    ],
)
def test_partners_take_the_public_page_filters(client, world, query, expected):
    assert names(client.get(f"/api/v1/partners/{query}")) == expected


@pytest.mark.parametrize(
    "url, field, expected",
    [
        ("/api/v1/payloads/?partner=pakistan", "acronym", ["ICUBE-Q"]),
        ("/api/v1/payloads/?partner=ESA&q=joint", "acronym", ["JOINT"]),
        ("/api/v1/payloads/?mission=chang-e-6&q=lunar", "acronym", ["ICUBE-Q", "NILS"]),
        ("/api/v1/payloads/?mission=chang-e-4", "acronym", []),
        ("/api/v1/payloads/?origin=domestic", "acronym", []),
        ("/api/v1/agreements/?partner=PK&q=ilrs", "slug", ["pakistan-ilrs"]),
        ("/api/v1/agreements/?kind=payload", "slug", []),
        ("/api/v1/projects/?partner=Pakistan", "slug", ["paksat-1r"]),
        ("/api/v1/projects/?kind=communications&q=paksat", "slug", ["paksat-1r"]),
    ],
)
def test_payload_agreement_and_project_filters(client, world, url, field, expected):
    assert sorted(names(client.get(url), field)) == expected


def test_pages_are_stable_when_sort_keys_tie(client, db):
    """Forty missions with the same launch date and name: every one on exactly one page."""
    for number in range(40):
        make_mission(name="Twin", slug=f"twin-{number}", launch_date="2020-01-01")
    slugs, url = [], "/api/v1/missions/?page_size=7"
    while url:
        body = client.get(url).json()
        assert body["count"] == 40
        slugs += [row["slug"] for row in body["results"]]
        url = body["next"]
    assert sorted(slugs) == sorted(f"twin-{number}" for number in range(40))
    previous = client.get("/api/v1/missions/?page_size=7&page=2").json()["previous"]
    assert previous == "http://testserver/api/v1/missions/?page_size=7"


# 1000000, 0, -1 and abc were quietly taken as 100 or the default: now a 400, as the schema says
# (test_a_page_size_outside_1_to_100_is_refused_as_the_schema_says).
@pytest.mark.parametrize("page_size, shown", [("100", 100), ("", 50), ("3", 3)])
def test_page_size_sets_the_page_up_to_100(client, db, page_size, shown):
    for number in range(120):
        make_partner(name=f"Partner {number:03}", slug=f"p-{number}")
    assert len(client.get(f"/api/v1/partners/?page_size={page_size}").json()["results"]) == shown


def test_payload_list_orders_by_mission_launch(client, db):
    late = make_mission(name="Late", launch_date="2030-01-01")
    early = make_mission(name="Early", launch_date="2005-01-01")
    make_payload(mission=late, name="B")
    make_payload(mission=early, name="A")
    assert names(client.get("/api/v1/payloads/")) == ["A", "B"]
    assert Payload.objects.count() == 2


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("url", ["/api/v1/missions/", "/api/v1/missions/chang-e-6/", "/api/v1/partners/pakistan/"])
def test_the_api_is_read_only(client, world, method, url):
    response = getattr(client, method)(url, data={"name": "x"}, content_type="application/json")
    assert response.status_code == 405
    assert "detail" in response.json()
    assert client.get("/api/v1/missions/chang-e-6/").json()["name"] == "Chang'e-6"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/missions/no-such-mission/",
        "/api/v1/partners/no-such-partner/",
        "/api/v1/agreements/nope/",
        "/api/v1/projects/nope/",
        "/api/v1/payloads/999999/",
        "/api/v1/payloads/abc/",
        "/api/v1/payloads/99999999999999999999999/",
        "/api/v1/missions/%00/",
        "/api/v1/missions/%E5%B7%B4/",
        "/api/v1/partners/pakistan%00/",
    ],
)
def test_an_unknown_record_is_a_json_404(client, world, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_docs_page_loads_swagger_ui_from_our_static_files(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    # The plain name, or its content-hashed copy once collectstatic has run.
    assert re.search(r"/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle(\.[0-9a-f]{12})?\.js", html)
    assert "http" not in html.replace('"http://www.w3.org', "")  # nothing from another site
    assert "<style" not in html and "<script>" not in html  # strict-CSP ready: no inline code
    script = client.get("/api/v1/docs/?script=")
    assert script["Content-Type"] == "application/javascript"
    assert "/api/v1/schema/" in script.content.decode()


def test_the_api_root_lists_the_collections(client):
    response = client.get("/api/v1/")
    assert response.json() == {
        name: f"http://testserver{url}"
        for name, url in zip(
            ["missions", "payloads", "partners", "agreements", "projects", "figures"], LISTS, strict=True
        )
    }


@pytest.mark.parametrize(
    "url", ["/api/v1/payloads/1.5/", "/api/v1/missions/a%2Fb/", "/api/v1/missions.json", "/api/v1/nothing/", "/api/v2/"]
)
def test_an_address_outside_the_api_urls_is_a_json_404_too(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_pages_outside_the_api_keep_the_html_404(client, db):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_too_many_parameters_is_a_json_400(client, db):
    query = "&".join(f"p{number}=1" for number in range(1001))
    response = client.get(f"/api/v1/missions/?{query}")
    assert response.status_code == 400
    assert response.json() == {"detail": "Bad request."}
    assert client.get(f"/en/missions/?{query}")["Content-Type"].startswith("text/html")


def test_q_on_payloads_agreements_and_projects_is_the_sites_full_text_search(client):
    """Both languages and word forms, as on the pages: not a substring of the visitor's language only."""
    from tests.factories import make_agreement, make_project

    make_payload(name="Lunar dust analyser", purpose="Measures dust.", purpose_zh_hans="测量月尘。")
    make_agreement(title="Relay memorandum", summary="Covers data relay.", summary_zh_hans="涵盖数据中继。")
    make_project(name="LaoSat-1", summary="A communications satellite launched for Laos.")
    assert [row["name"] for row in client.get("/api/v1/payloads/?q=月尘").json()["results"]] == ["Lunar dust analyser"]
    assert [row["title"] for row in client.get("/api/v1/agreements/?q=中继").json()["results"]] == ["Relay memorandum"]
    assert [row["name"] for row in client.get("/api/v1/projects/?q=launch").json()["results"]] == ["LaoSat-1"]
    assert client.get("/api/v1/payloads/?q=dus").json()["count"] == 0  # whole words, as on the pages


@pytest.mark.parametrize("url", ["/api/v1/missions/", "/api/v1/missions/chang-e-6/", "/api/v1/payloads/"])
def test_allow_names_only_the_methods_that_are_answered(client, world, url):
    """A 405 says which methods the address answers: OPTIONS is refused, so not offered."""
    for method in ["options", "post"]:
        response = getattr(client, method)(url)
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD"
    assert client.get(url)["Allow"] == "GET, HEAD"
    assert client.head(url).status_code == 200


@pytest.mark.parametrize("page_size", ["0", "-1", "101", "abc", "1.5", "99999999999999999999999"])
def test_a_page_size_outside_1_to_100_is_refused_as_the_schema_says(client, world, page_size):
    response = client.get("/api/v1/missions/", {"page_size": page_size})
    assert response.status_code == 400
    assert list(response.json()) == ["page_size"]


@pytest.mark.parametrize("query", ["page_size=", "page=", "page=&page_size=", "status=&side="])
def test_an_empty_parameter_means_not_given(client, world, query):
    assert client.get(f"/api/v1/missions/?{query}").json() == client.get("/api/v1/missions/").json()


def test_page_size_one_to_a_hundred_sets_the_page(client, world):
    assert len(client.get("/api/v1/missions/?page_size=1").json()["results"]) == 1
    assert client.get("/api/v1/missions/?page_size=100").status_code == 200


def test_a_missions_orbit_is_open_data_in_the_api_and_the_csv(client, db):
    make_mission(name="Queqiao", slug="queqiao", orbit="earth_moon_l2")
    make_mission(name="Chang'e-6", slug="chang-e-6")
    assert client.get("/api/v1/missions/queqiao/").json()["orbit"] == "earth_moon_l2"
    assert client.get("/api/v1/missions/chang-e-6/").json()["orbit"] == ""
    rows = list(
        csv.DictReader(
            io.StringIO(b"".join(client.get("/en/missions/export.csv").streaming_content).decode("utf-8-sig"))
        )
    )
    assert {row["slug"]: row["orbit"] for row in rows} == {"queqiao": "earth_moon_l2", "chang-e-6": ""}
