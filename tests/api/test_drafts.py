"""Drafts, scheduled and expired records never appear in the API or the CSV exports, not even
nested inside a published record or counted in one."""

import pytest

from .conftest import MARK

pytestmark = pytest.mark.django_db

DRAFT_NAMES = [MARK, "草稿国", "zqdraft"]

QUERIES = ["", "?q=Zqdraft", "?q=草稿", "?partner=IS", "?side=far", "?ilrs=1", "?page_size=100"]
LISTS = ["/api/v1/missions/", "/api/v1/payloads/", "/api/v1/partners/", "/api/v1/agreements/", "/api/v1/projects/"]
DETAILS = [
    "/api/v1/missions/chang-e-6/",
    "/api/v1/missions/chang-e-4/",
    "/api/v1/partners/pakistan/",
    "/api/v1/partners/esa/",
    "/api/v1/agreements/pakistan-ilrs/",
    "/api/v1/projects/paksat-1r/",
]
CSV_LISTS = ["/en/missions/export.csv", "/en/partners/export.csv", "/zh-hans/missions/export.csv"]


def public_urls(client):
    urls = [*DETAILS, *(f"{url}{query}" for url in LISTS + CSV_LISTS for query in QUERIES)]
    # Every payload's detail, found through the list.
    urls += [row["url"] for row in client.get("/api/v1/payloads/?page_size=100").json()["results"]]
    return urls


def text_of(response) -> str:
    return b"".join(response.streaming_content if response.streaming else [response.content]).decode()


def test_no_draft_appears_anywhere(client, world):
    for url in public_urls(client):
        response = client.get(url)
        assert response.status_code in (200, 400), url  # 400: a filter naming a draft partner
        body = text_of(response)
        for name in DRAFT_NAMES:
            assert name not in body, f"{name} leaks on {url}"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/missions/zqdraft-mission/",
        "/api/v1/missions/zqdraft-scheduled/",
        "/api/v1/partners/zqdraft-republic/",
        "/api/v1/partners/zqdraft-expired/",
        "/api/v1/agreements/zqdraft-agreement/",
        "/api/v1/projects/zqdraft-project/",
    ],
)
def test_a_draft_has_no_api_address(client, world, url):
    assert client.get(url).status_code == 404


def test_draft_payloads_have_no_api_address(client, world):
    from missions.models import Payload

    hidden = Payload.objects.exclude(pk__in=Payload.objects.published())
    assert hidden.count() == 2
    for payload in hidden:
        assert client.get(f"/api/v1/payloads/{payload.pk}/").status_code == 404


def test_counts_leave_drafts_out(client, world):
    mission = client.get("/api/v1/missions/chang-e-6/").json()
    assert mission["international_payload_count"] == 3  # ICUBE-Q, NILS, the joint payload
    assert len(mission["payloads"]) == 3
    assert client.get("/api/v1/missions/").json()["count"] == 2
    partner = client.get("/api/v1/partners/?q=pakistan").json()["results"][0]
    assert (partner["payload_count"], partner["agreement_count"], partner["project_count"]) == (1, 2, 1)


def test_a_filter_naming_a_draft_partner_is_refused_like_an_unknown_one(client, world):
    for url in ["/api/v1/missions/?partner=zqdraft-republic", "/en/missions/export.csv?partner=IS"]:
        response = client.get(url)
        assert response.status_code == 400
        assert "zqdraft" not in text_of(response).replace("“zqdraft-republic”", "")
