"""Full-text search on the public pages: the `q` filter of the mission and partner lists, and the
search page, in both languages, with highlighted excerpts; drafts never shown; hostile input inert."""

import re

import pytest
from django.core.management import call_command

from missions.models import Mission
from tests.admin_forms import form_data
from tests.factories import DRAFT, make_agreement, make_mission, make_partner, make_payload, make_project
from tests.security.test_xss import PAYLOADS, dangers

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(chang_e_6, pakistan, esa):
    chang_e_6.summary = "Brought back the first samples from the far side of the Moon."
    chang_e_6.body = "<p>嫦娥六号从月球背面带回样品。</p>"
    chang_e_6.save()
    make_mission(
        name="Chang'e-5",
        name_zh="嫦娥五号",
        slug="chang-e-5",
        summary="Returned samples from the near side.",
        body="<p>The ascent vehicle docked in lunar orbit.</p>",
    )
    landing = make_mission(name="Landing Pathfinder", slug="landing-pathfinder", summary="Tests the descent engine.")
    make_payload(mission=landing, name="Descent camera", purpose="Films the landing from above.")
    make_agreement(title="Landing site data agreement", summary="Shares maps of landing sites.", parties=[esa])
    make_project(name="Landsat-like imager", summary="Images land cover; no landing involved.", partners=[pakistan])
    make_partner(
        name="Selenia", slug="selenia", summary="Studies landing sites.", body="<p>Its engineers tested landers.</p>"
    )
    make_mission(name="Secret lander", slug="secret", summary="Secret landing plans.", state=DRAFT)
    make_payload(mission=landing, name="Draft landing radar", purpose="Landing radar.", state=DRAFT)
    make_agreement(title="Draft landing accord", summary="Landing.", state=DRAFT)
    make_project(name="Draft landing project", summary="Landing.", state=DRAFT)
    make_partner(name="Hidden Landers", slug="hidden", summary="Landing.", state=DRAFT)
    return chang_e_6


def names(response) -> list[str]:
    return [str(row) for row in response.context["object_list"]]


def marks(page: str) -> set[str]:
    return set(re.findall(r"<mark>(.*?)</mark>", page))


def test_mission_list_q_ranks_by_relevance_and_highlights(client, program):
    response = client.get("/en/missions/", {"q": "landed"})
    assert names(response) == ["Landing Pathfinder"]
    response = client.get("/en/missions/", {"q": "samples"})
    assert set(names(response)) == {"Chang'e-6", "Chang'e-5"}
    page = response.content.decode()
    assert '<p class="excerpt" lang="en">Brought back the first <mark>samples</mark> from the far side' in page
    assert "<mark>samples</mark> from the near side" in page


def test_mission_list_q_puts_name_matches_first(client, program):
    make_mission(name="Sample Courier", slug="sample-courier", summary="Carries a box.")
    assert names(client.get("/en/missions/", {"q": "sample"}))[0] == "Sample Courier"


def test_mission_list_q_still_finds_missions_through_partners_and_payloads(client, program):
    assert names(client.get("/en/missions/", {"q": "Pakistan"})) == ["Chang'e-6"]
    assert names(client.get("/en/missions/", {"q": "NILS"})) == ["Chang'e-6"]
    # Found by its text first, then through a payload's name.
    assert names(client.get("/en/missions/", {"q": "descent"})) == ["Landing Pathfinder"]


def test_mission_list_q_finds_chinese_text(client, program):
    response = client.get("/zh-hans/missions/", {"q": "月球背面"})
    assert names(response) == ["Chang'e-6"]
    assert "<mark>月球背面</mark>" in response.content.decode()
    assert set(names(client.get("/en/missions/", {"q": "嫦娥"}))) == {"Chang'e-6", "Chang'e-5"}


def test_mission_list_q_combines_with_the_other_filters_and_counts(client, program):
    response = client.get("/en/missions/", {"q": "samples", "side": "far"})
    assert names(response) == ["Chang'e-6"]
    assert response.context["paginator"].count == 1
    assert "Far side (1)" in response.content.decode()


def test_partner_list_q_finds_names_first_then_text(client, program):
    assert names(client.get("/en/partners/", {"q": "Pakistan"})) == ["Pakistan"]
    response = client.get("/en/partners/", {"q": "landers"})
    assert names(response) == ["Selenia"]
    # "landers" and "landing" are one term (search.text.CRAFT_STEMS): the summary's excerpt shows.
    assert marks(response.content.decode()) == {"landing"}
    make_partner(name="Landing Nation", slug="landing-nation", country="LS", summary="A country.")
    assert names(client.get("/en/partners/", {"q": "landing"})) == ["Landing Nation", "Selenia"]


def test_search_page_groups_every_kind_with_excerpts(client, program):
    response = client.get("/en/search/", {"q": "landing"})
    page = response.content.decode()
    assert [str(row) for row in response.context["results"].missions.rows] == ["Landing Pathfinder"]
    assert [str(row) for row in response.context["results"].payloads.rows] == ["Descent camera"]
    assert [str(row) for row in response.context["results"].agreements.rows] == ["Landing site data agreement"]
    assert [str(row) for row in response.context["results"].projects.rows] == ["Landsat-like imager"]
    assert "Payloads mentioning “landing”" in page
    assert "Films the <mark>landing</mark> from above." in page
    assert "Shares maps of <mark>landing</mark> sites." in page
    assert "no <mark>landing</mark> involved" in page
    assert "Nothing matches" not in page


def test_search_page_finds_chinese_text_in_both_languages(client, program):
    for language in ("en", "zh-hans"):
        response = client.get(f"/{language}/search/", {"q": "嫦娥六号"})
        assert [str(row) for row in response.context["results"].missions.rows] == ["Chang'e-6"]
        assert "<mark>嫦娥六号</mark>" in response.content.decode()


def test_search_page_keeps_the_partner_search(client, program):
    response = client.get("/en/search/", {"q": "PK"})
    assert [partner.name for partner in response.context["results"].partners.rows] == ["Pakistan"]
    response = client.get("/en/search/", {"q": "Pakstan"})
    assert [partner.name for partner in response.context["results"].suggestions] == ["Pakistan"]


def test_search_page_caps_each_group_and_says_so(client, program):
    mission = program
    for number in range(12):
        make_payload(mission=mission, name=f"Regolith probe {number}", purpose="Digs.")
    response = client.get("/en/search/", {"q": "regolith"})
    assert len(response.context["results"].payloads.rows) == 10
    assert response.context["results"].payloads.more
    assert "(10+)" in response.content.decode()


@pytest.mark.parametrize("url", ["/en/missions/", "/en/partners/", "/en/search/", "/zh-hans/search/"])
def test_drafts_are_never_found(client, program, url):
    for query in ["secret", "landing", "radar", "accord", "Hidden Landers"]:
        page = client.get(url, {"q": query}).content.decode()
        for hidden in ["Secret lander", "Draft landing radar", "Draft landing accord", "Draft landing project"]:
            assert hidden not in page, (url, query)
        assert "/partners/hidden/" not in page and "/missions/secret/" not in page


@pytest.mark.parametrize("url", ["/en/missions/", "/en/partners/", "/en/search/"])
@pytest.mark.parametrize(
    "query",
    ['"', '"unbalanced', "*", "NEAR(", "AND OR", "-", "-landing", "landing\x00", "x" * 10_000, "!!!", "text_a:x"],
)
def test_hostile_queries_get_a_normal_page(client, program, url, query):
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    assert b"Traceback" not in response.content


def test_the_index_follows_an_admin_edit(publisher_client, client, program):
    url = f"/admin/missions/mission/{program.pk}/change/"
    data = form_data(publisher_client.get(url), summary_en="Collected regolith from the Apollo basin.")
    response = publisher_client.post(url, data)
    assert response.status_code == 302
    assert names(client.get("/en/missions/", {"q": "basin"})) == ["Chang'e-6"]


@pytest.mark.parametrize("payload", range(len(PAYLOADS)), ids=lambda i: f"payload-{i}")
def test_excerpts_of_hostile_content_stay_inert(client, payload):
    text = PAYLOADS[payload]
    make_mission(name="Hostile", slug="hostile", summary=f"{text} regolith {text}", body=f"<p>{text} regolith</p>")
    make_payload(name="Hostile payload", purpose=f"{text} regolith")
    make_partner(name="Hostile partner", slug="hostile-partner", summary=f"{text} regolith", body=text)
    make_agreement(title="Hostile agreement", summary=f"regolith {text}", body=text)
    make_project(name="Hostile project", summary=f"{text} regolith")
    for url in ["/en/missions/?q=regolith", "/en/partners/?q=regolith", "/en/search/?q=regolith"]:
        page = client.get(url).content.decode()
        assert "<mark>regolith</mark>" in page, url
        assert dangers(page) == [], url


def test_rebuilt_index_gives_the_same_pages(client, program):
    before = client.get("/en/search/", {"q": "landing"}).content
    call_command("rebuild_search_index", verbosity=0)
    assert client.get("/en/search/", {"q": "landing"}).content == before


def test_text_written_around_save_is_found_on_the_search_page_after_a_rebuild(client, program):
    Mission.objects.filter(slug="chang-e-5").update(summary="Carried a regolith drill.")
    assert "Chang&#x27;e-5" not in client.get("/en/search/", {"q": "drill"}).content.decode()
    call_command("rebuild_search_index", verbosity=0)
    assert "Chang&#x27;e-5" in client.get("/en/search/", {"q": "drill"}).content.decode()


def test_a_mission_is_never_found_through_a_draft_payload(client, program):
    assert names(client.get("/en/missions/", {"q": "radar"})) == []
    assert names(client.get("/en/missions/", {"q": "camera"})) == ["Landing Pathfinder"]
