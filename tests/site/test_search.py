"""/en/search/: what the program does with a country or organisation."""

import pytest

from tests.factories import DRAFT, make_agreement, make_mission, make_partner, make_payload, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(chang_e_6, pakistan):
    make_partner(name="Saudi Arabia", name_zh="沙特阿拉伯", slug="saudi-arabia", country="SA")
    chang_e_8 = make_mission(name="Chang'e-8", slug="chang-e-8", status="planned", launch_date=None)
    make_payload(mission=chang_e_8, name="Pakistan lunar rover", providers=[pakistan], selection_status="selected")
    make_agreement(title="Pakistan joins the ILRS", parties=[pakistan])
    make_project(name="PakSat-1R", partners=[pakistan])
    make_project(name="Draft project", partners=[pakistan], state=DRAFT)
    return chang_e_6


def found_partners(response):
    return [partner.name for partner in response.context["partners"]]


@pytest.mark.parametrize("query", ["Pakistan", "pakistan", "PAKISTAN", "Pakis", "PK", "pk", "PAK", "pak", "巴基斯坦"])
def test_finds_a_partner_by_name_part_case_iso_codes_or_chinese_name(client, program, query):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    assert found_partners(response) == ["Pakistan"]


def test_groups_what_involves_the_partner_with_counts(client, program):
    page = client.get("/en/search/", {"q": "Pakistan"}).content.decode()
    assert 'Missions <span class="count">(2)</span>' in page
    assert 'Payloads <span class="count">(2)</span>' in page
    assert 'Agreements <span class="count">(1)</span>' in page
    assert 'Satellites and projects <span class="count">(1)</span>' in page
    for expected in [
        "Chang&#x27;e-6",
        "Chang&#x27;e-8",
        "ICUBE-Q",
        "Pakistan lunar rover",
        "Pakistan joins the ILRS",
        "PakSat-1R",
    ]:
        assert expected in page
    assert "Draft project" not in page


def test_partial_name_finds_the_partner(client, program):
    assert found_partners(client.get("/en/search/", {"q": "Saudi"})) == ["Saudi Arabia"]


def test_no_match_says_so_and_offers_the_closest_names(client, program):
    response = client.get("/en/search/", {"q": "Pakstan"})
    page = response.content.decode()
    assert "Nothing matches “Pakstan”" in page
    assert "Did you mean" in page
    assert [partner.name for partner in response.context["suggestions"]] == ["Pakistan"]


def test_no_match_and_nothing_similar_still_answers(client, program):
    page = client.get("/en/search/", {"q": "xyzzy"}).content.decode()
    assert "Nothing matches “xyzzy”" in page
    assert "No partner has a similar name" in page


def test_a_draft_partner_is_never_found_or_suggested(client, program):
    make_partner(name="Hiddenistan", slug="hiddenistan", country="IS", state=DRAFT)
    for query in ["Hiddenistan", "Hiddenistn", "IS", "ISL"]:
        response = client.get("/en/search/", {"q": query})
        shown = response.context["partners"] + response.context["suggestions"]
        assert "Hiddenistan" not in [partner.name for partner in shown]
        assert "/en/partners/hiddenistan/" not in response.content.decode()


def test_missions_mentioning_the_words_are_listed_too(client, program):
    response = client.get("/en/search/", {"q": "Chang'e-8"})
    assert [mission.name for mission in response.context["missions"]] == ["Chang'e-8"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "a" * 2000,
        "abc\x00def",
        "%_%",
        "\\",
        '"',
        "NEAR(",
        "a AND",
        "*",
        "col:foo",
        "!!",
        "&|",
        "(a+)+$",
        "{{7*7}}",
        "{% debug %}",
        "' OR '1'='1",
        "巴",
        "\u202e",
    ],
)
def test_hostile_or_odd_queries_get_a_normal_page(client, program, query):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    assert b"Traceback" not in response.content


def test_template_syntax_in_a_query_is_shown_not_run(client, program):
    page = client.get("/en/search/", {"q": "{{7*7}}"}).content.decode()
    assert "“{{7*7}}”" in page


def test_an_over_long_query_is_refused_with_a_message(client, program):
    page = client.get("/en/search/", {"q": "a" * 2000}).content.decode()
    assert "at most 200 characters" in page


def test_search_page_escapes_the_query(client, program):
    page = client.get("/en/search/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_short_query_matching_many_partners_shows_the_first_and_says_so(client):
    for number in range(15):
        make_partner(name=f"Tanland {number:02d}", slug=f"tanland-{number}")
    response = client.get("/en/search/", {"q": "tanland"})
    assert len(response.context["partners"]) == 12
    assert "More than 12 partners match" in response.content.decode()
