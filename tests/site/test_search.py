"""/en/search/: what the program does with a country or organisation."""

import pytest

from partners.models import Partner
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
    return [partner.name for partner in response.context["results"].partners.rows]


@pytest.mark.parametrize("query", ["Pakistan", "pakistan", "PAKISTAN", "Pakis", "PK", "pk", "PAK", "pak", "巴基斯坦"])
def test_finds_a_partner_by_name_part_case_iso_codes_or_chinese_name(client, program, query):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    assert found_partners(response) == ["Pakistan"]


def test_groups_what_involves_the_partner_with_counts(client, program):
    page = client.get("/en/search/", {"q": "Pakistan"}).content.decode()
    assert 'Missions<span class="count"> (2)</span>' in page
    assert 'Payloads<span class="count"> (2)</span>' in page
    assert 'Agreements<span class="count"> (1)</span>' in page
    assert 'Satellites and projects<span class="count"> (1)</span>' in page
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
    assert [partner.name for partner in response.context["results"].suggestions] == ["Pakistan"]


def test_no_match_and_nothing_similar_still_answers(client, program):
    page = client.get("/en/search/", {"q": "xyzzy"}).content.decode()
    assert "Nothing matches “xyzzy”" in page
    assert "No partner has a similar name" in page


def test_a_draft_partner_is_never_found_or_suggested(client, program):
    make_partner(name="Hiddenistan", slug="hiddenistan", country="IS", state=DRAFT)
    for query in ["Hiddenistan", "Hiddenistn", "IS", "ISL"]:
        response = client.get("/en/search/", {"q": query})
        shown = response.context["results"].partners.rows + response.context["results"].suggestions
        assert "Hiddenistan" not in [partner.name for partner in shown]
        assert "/en/partners/hiddenistan/" not in response.content.decode()


def test_missions_mentioning_the_words_are_listed_too(client, program):
    response = client.get("/en/search/", {"q": "Chang'e-8"})
    assert [mission.name for mission in response.context["results"].missions.rows] == ["Chang'e-8"]


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
    assert len(response.context["results"].partners.rows) == 12
    assert "More than 12 partners match" in response.content.decode()


@pytest.fixture
def nations(program, esa):
    """Partners named as the demo content names them (Côte d'Ivoire is not in it), each with a
    mission carrying one of its payloads."""
    esa.aliases = "欧空局"
    esa.save()
    partners = {
        "Turkey": make_partner(name="Turkey", name_zh="土耳其", slug="turkey", country="TR", region="europe"),
        "United Arab Emirates": make_partner(
            name="United Arab Emirates", name_zh="阿拉伯联合酋长国", slug="united-arab-emirates", country="AE"
        ),
        "Côte d’Ivoire": make_partner(
            name="Côte d’Ivoire", name_zh="科特迪瓦", slug="cote-d-ivoire", country="CI", aliases="Ivory Coast"
        ),
        "Brazil": make_partner(name="Brazil", name_zh="巴西", slug="brazil", country="BR", region="americas"),
        "Thailand": make_partner(name="Thailand", name_zh="泰国", slug="thailand", country="TH"),
    }
    partners["Saudi Arabia"] = Partner.objects.get(slug="saudi-arabia")
    for name, partner in partners.items():
        make_payload(mission=make_mission(name=f"Mission with {name}"), providers=[partner])
    return partners


# What the `program` fixture has these partners take part in.
PROGRAM_MISSIONS = {"Pakistan": {"Chang'e-6", "Chang'e-8"}, "European Space Agency": {"Chang'e-6"}}


FORMS = [
    ("Türkiye", "Turkey"),
    ("Turkey", "Turkey"),
    ("turkiye", "Turkey"),
    ("TÜRKIYE", "Turkey"),
    ("TUR", "Turkey"),
    ("tr", "Turkey"),
    ("土耳其", "Turkey"),
    ("Côte d'Ivoire", "Côte d’Ivoire"),
    ("Cote d’Ivoire", "Côte d’Ivoire"),
    ("cote divoire", "Côte d’Ivoire"),
    ("Ivory Coast", "Côte d’Ivoire"),
    ("CIV", "Côte d’Ivoire"),
    ("ci", "Côte d’Ivoire"),
    ("UAE", "United Arab Emirates"),
    ("United Arab Emirates", "United Arab Emirates"),
    ("阿联酋", "United Arab Emirates"),
    ("are", "United Arab Emirates"),
    ("Kingdom of Saudi Arabia", "Saudi Arabia"),
    ("SAU", "Saudi Arabia"),
    ("sa", "Saudi Arabia"),
    ("ESA", "European Space Agency"),
    ("European Space Agency", "European Space Agency"),
    ("欧洲航天局", "European Space Agency"),
    ("欧空局", "European Space Agency"),
    ("PAK", "Pakistan"),
    ("pk", "Pakistan"),
    ("BRA", "Brazil"),
    ("th", "Thailand"),
]


@pytest.mark.parametrize("query, expected", FORMS)
def test_finds_a_partner_however_the_visitor_writes_it(client, nations, query, expected):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    assert found_partners(response) == [expected]
    assert "Nothing matches" not in response.content.decode()


@pytest.mark.parametrize("query, expected", FORMS)
def test_the_partner_list_finds_the_same_forms(client, nations, query, expected):
    response = client.get("/en/partners/", {"q": query})
    assert [partner.name for partner in response.context["object_list"]] == [expected]


@pytest.mark.parametrize("query, expected", [*FORMS, ("esa", "European Space Agency"), ("turkey", "Turkey")])
def test_the_missions_partner_filter_accepts_the_same_forms(client, nations, query, expected):
    response = client.get("/en/missions/", {"partner": query})
    assert response.status_code == 200
    assert "No partner is known as" not in response.content.decode()
    shown = {mission.name for mission in response.context["object_list"]}
    assert shown == PROGRAM_MISSIONS.get(expected, {f"Mission with {expected}"})


@pytest.mark.parametrize("value", ["Turk", "emirates", "Ivory", "欧空", "european space", "Pakstan", "%", "_"])
def test_the_missions_partner_filter_wants_a_whole_name_or_code(client, nations, value):
    response = client.get("/en/missions/", {"partner": value})
    assert response.status_code == 200
    assert "No partner is known as" in response.content.decode()
    assert list(response.context["object_list"]) == []


@pytest.mark.parametrize(
    "typo, expected",
    # Not "Brasil" or "Tailand": Brazil's own name, and part of Thailand's in Spanish (Tailandia),
    # find them outright (tests/search/test_chinese_queries.py).
    [("Pakstan", "Pakistan"), ("Brazl", "Brazil"), ("Braxil", "Brazil"), ("Thialand", "Thailand"), ("Turky", "Turkey")],
)
def test_a_small_typo_offers_the_partner_it_means(client, nations, typo, expected):
    response = client.get("/en/search/", {"q": typo})
    page = response.content.decode()
    assert found_partners(response) == []
    assert "Did you mean" in page
    assert response.context["results"].suggestions[0].name == expected
    assert f'?q={expected.replace(" ", "%20")}"' in page


def test_a_draft_is_never_found_or_suggested_by_any_of_its_names(client, nations):
    make_partner(name="Iceland", name_zh="冰岛", slug="iceland", country="IS", aliases="Lýðveldið Ísland", state=DRAFT)
    for query in ["Iceland", "ICELAND", "IS", "isl", "冰岛", "Lydveldid Island", "Icelnd", "Lýðveldið Íslnd"]:
        response = client.get("/en/search/", {"q": query})
        shown = response.context["results"].partners.rows + response.context["results"].suggestions
        assert "Iceland" not in [partner.name for partner in shown], query
        assert "/en/partners/iceland/" not in response.content.decode(), query
        filtered = client.get("/en/missions/", {"partner": query}).content.decode()
        assert "No partner is known as" in filtered, query


def test_a_null_character_is_refused_by_the_form(client, nations):
    response = client.get("/en/search/", {"q": "Turkey\x00"})
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()
    assert found_partners(response) == []


def test_a_query_of_200_characters_is_searched_and_one_more_is_refused(client, nations):
    assert client.get("/en/search/", {"q": "Turkey" + " " * 194}).context["query"] == "Turkey"
    longest = client.get("/en/search/", {"q": "x" * 200})
    assert "at most 200 characters" not in longest.content.decode()
    assert "at most 200 characters" in client.get("/en/search/", {"q": "x" * 201}).content.decode()


@pytest.mark.parametrize(
    "query", ["%", "_", "%_%", "%%", "\\%", ".*", "[a-z]", "^", "' OR '1'='1", "*", "(a+)+$", "a*", "[an]"]
)
def test_like_and_regex_metacharacters_match_nothing_rather_than_everything(client, nations, query):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    assert found_partners(response) == []
    assert response.context["results"].missions.rows == []
