"""Drafts, scheduled and expired records have no API address and are not counted in a published
record. That no hidden record appears in any API answer or CSV export, nested or not, is checked
by the walk of every public address: tests/hostile/test_drafts_crawl.py."""

import pytest

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return b"".join(response.streaming_content if response.streaming else [response.content]).decode()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/missions/zqdraft-mission/",
        "/api/v1/missions/zqdraft-scheduled/",
        "/api/v1/partners/zqdraft-republic/",
        "/api/v1/partners/zqdraft-expired/",
        "/api/v1/agreements/zqdraft-agreement/",
        "/api/v1/projects/zqdraft-project/",
        "/api/v1/figures/zqdraft-figure/",
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
