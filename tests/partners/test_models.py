"""How a visitor's words find partners: Partner.objects.matching(), identified_by() and closest_to()."""

import pytest

from partners.models import Partner
from tests.factories import DRAFT, PUBLISHED, make_partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(pakistan, esa):
    """Partners named as the demo content names them (Côte d'Ivoire is not in it)."""
    esa.aliases = "欧空局\nAgence spatiale européenne"
    esa.save()
    make_partner(name="Saudi Arabia", name_zh="沙特阿拉伯", slug="saudi-arabia", country="SA")
    make_partner(name="Turkey", name_zh="土耳其", slug="turkey", country="TR", region="europe")
    make_partner(name="Hong Kong", name_zh="中国香港", slug="hong-kong", country="HK")
    make_partner(name="United Arab Emirates", name_zh="阿拉伯联合酋长国", slug="united-arab-emirates", country="AE")
    make_partner(name="Côte d’Ivoire", name_zh="科特迪瓦", slug="cote-d-ivoire", country="CI", aliases="Ivory Coast")
    make_partner(name="Brazil", name_zh="巴西", slug="brazil", country="BR", region="americas")
    make_partner(name="Thailand", name_zh="泰国", slug="thailand", country="TH")


def names(queryset) -> set[str]:
    return {partner.name for partner in queryset}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Pakistan", {"Pakistan"}),
        ("pakistan", {"Pakistan"}),
        ("PAKISTAN", {"Pakistan"}),
        ("pak", {"Pakistan"}),
        ("PK", {"Pakistan"}),
        ("pk", {"Pakistan"}),
        ("PAK", {"Pakistan"}),
        ("巴基斯坦", {"Pakistan"}),
        ("巴基", {"Pakistan"}),
        ("  pakistan  ", {"Pakistan"}),
        ("Islamic Republic of Pakistan", {"Pakistan"}),
        ("Saudi", {"Saudi Arabia"}),
        ("SAU", {"Saudi Arabia"}),
        ("sa", {"Saudi Arabia"}),
        ("Kingdom of Saudi Arabia", {"Saudi Arabia"}),
        ("KSA", {"Saudi Arabia"}),
        ("沙特", {"Saudi Arabia"}),
        ("Türkiye", {"Turkey"}),
        ("Turkey", {"Turkey"}),
        ("turkiye", {"Turkey"}),
        ("TÜRKİYE", {"Turkey"}),
        ("TUR", {"Turkey"}),
        ("tr", {"Turkey"}),
        ("土耳其", {"Turkey"}),
        ("Côte d'Ivoire", {"Côte d’Ivoire"}),
        ("Côte d’Ivoire", {"Côte d’Ivoire"}),
        ("cote divoire", {"Côte d’Ivoire"}),
        ("COTE D'IVOIRE", {"Côte d’Ivoire"}),
        ("Ivory Coast", {"Côte d’Ivoire"}),
        ("ivory", {"Côte d’Ivoire"}),
        ("CIV", {"Côte d’Ivoire"}),
        ("科特迪瓦", {"Côte d’Ivoire"}),
        ("UAE", {"United Arab Emirates"}),
        ("uae", {"United Arab Emirates"}),
        ("United Arab Emirates", {"United Arab Emirates"}),
        ("emirates", {"United Arab Emirates"}),
        ("ARE", {"United Arab Emirates"}),
        ("阿联酋", {"United Arab Emirates"}),
        ("阿拉伯联合酋长国", {"United Arab Emirates"}),
        ("ESA", {"European Space Agency"}),
        ("esa", {"European Space Agency"}),
        ("European Space Agency", {"European Space Agency"}),
        ("european space", {"European Space Agency"}),
        ("欧洲航天局", {"European Space Agency"}),
        ("欧空局", {"European Space Agency"}),
        ("Agence spatiale européenne", {"European Space Agency"}),
        ("AGENCE SPATIALE EUROPEENNE", {"European Space Agency"}),
        ("Hong Kong", {"Hong Kong"}),
        ("Hong Kong SAR China", {"Hong Kong"}),
        ("香港", {"Hong Kong"}),
        ("HKG", {"Hong Kong"}),
        ("Brasil", {"Brazil"}),  # its own name (CLDR), as Pakistán, Пакистан and باكستان are Pakistan's
        ("Brasilia", set()),
        ("Atlantis", set()),
        ("", set()),
        ("   ", set()),
    ],
)
def test_matching_finds_partners_by_any_name_code_or_alias_in_any_case_with_or_without_accents(
    partners, text, expected
):
    assert names(Partner.objects.matching(text)) == expected


@pytest.mark.parametrize("query", ["Turkiye", "TÜRKIYE", "Türkiye", "Turkey", "土耳其", "TUR"])
@pytest.mark.parametrize("name", ["Turkey", "Türkiye"])
def test_a_partner_is_found_however_either_it_or_the_visitor_writes_the_accents(query, name):
    make_partner(name=name, name_zh="土耳其", slug="tr", country="TR")
    assert names(Partner.objects.matching(query)) == {name}
    assert names(Partner.objects.identified_by(query)) == {name}


@pytest.mark.parametrize(
    "query", ["Türkiye Uzay Ajansı", "Turkiye Uzay Ajansi", "türkiye uzay", "TURKIYE UZAY AJANSI", "TUA"]
)
def test_an_organisation_is_found_with_or_without_the_accents_of_its_own_name(query):
    make_partner(name="Türkiye Uzay Ajansı", slug="tua", acronym="TUA")
    assert names(Partner.objects.matching(query)) == {"Türkiye Uzay Ajansı"}


def test_an_alias_typed_without_accents_is_found_with_them():
    make_partner(name="Agencia Espacial Mexicana", slug="aem", aliases="Agencia Espacial Méxicana")
    assert names(Partner.objects.matching("Agéncia Espacial Mexicana")) == {"Agencia Espacial Mexicana"}


@pytest.mark.parametrize(
    "value, expected",
    [
        ("PK", "Pakistan"),
        ("pk", "Pakistan"),
        ("PAK", "Pakistan"),
        ("pakistan", "Pakistan"),
        ("Pakistan", "Pakistan"),
        ("巴基斯坦", "Pakistan"),
        ("Turkey", "Turkey"),
        ("Türkiye", "Turkey"),
        ("turkiye", "Turkey"),
        ("土耳其", "Turkey"),
        ("Republic of Türkiye", "Turkey"),
        ("tur", "Turkey"),
        ("Ivory Coast", "Côte d’Ivoire"),
        ("cote divoire", "Côte d’Ivoire"),
        ("Côte d'Ivoire", "Côte d’Ivoire"),
        ("cote-d-ivoire", "Côte d’Ivoire"),
        ("UAE", "United Arab Emirates"),
        ("阿联酋", "United Arab Emirates"),
        ("united-arab-emirates", "United Arab Emirates"),
        ("Kingdom of Saudi Arabia", "Saudi Arabia"),
        ("SAU", "Saudi Arabia"),
        ("esa", "European Space Agency"),
        ("European Space Agency", "European Space Agency"),
        ("欧洲航天局", "European Space Agency"),
        ("欧空局", "European Space Agency"),
        ("agence spatiale europeenne", "European Space Agency"),
    ],
)
def test_identified_by_accepts_codes_slugs_names_and_aliases_in_any_form(partners, value, expected):
    assert list(Partner.objects.identified_by(value).values_list("name", flat=True)) == [expected]


@pytest.mark.parametrize(
    "value", ["ZZ", "pa", "巴", "", "Pakistan Republic", "Saudi", "emirates", "Ivory", "欧空", "european space", "%_%"]
)
def test_identified_by_needs_an_exact_name_or_code(partners, value):
    assert not Partner.objects.identified_by(value).exists()


@pytest.mark.parametrize(
    "typo, expected",
    [
        ("Pakstan", "Pakistan"),
        ("pakistn", "Pakistan"),
        ("Brasil", "Brazil"),
        ("Brazl", "Brazil"),
        ("Tailand", "Thailand"),
        ("Thiland", "Thailand"),
        ("Saudi Arbia", "Saudi Arabia"),
        ("Turky", "Turkey"),
        ("Turkiey", "Turkey"),
        ("Ivroy Coast", "Côte d’Ivoire"),
        ("Europian Space Agency", "European Space Agency"),
        ("巴基斯担", "Pakistan"),
    ],
)
def test_closest_to_suggests_the_partner_a_typo_means(partners, typo, expected):
    suggestions = Partner.objects.closest_to(typo)
    assert suggestions, typo
    assert suggestions[0].name == expected


def test_closest_to_suggests_nothing_for_nonsense(partners):
    assert Partner.objects.closest_to("qqqqqqq") == []
    assert Partner.objects.closest_to("xyzzy") == []
    assert Partner.objects.closest_to("%_%") == []
    assert Partner.objects.closest_to("") == []


def test_a_draft_partner_is_never_matched_identified_or_suggested(partners):
    iceland = make_partner(
        name="Iceland", name_zh="冰岛", slug="iceland", country="IS", aliases="Lýðveldið Ísland", state=DRAFT
    )
    queries, typos = ["Iceland", "ICELAND", "IS", "ISL", "冰岛", "Lydveldid Island"], ["Icelnd", "Lydveldid Islnd"]

    def found() -> list[bool]:
        published = Partner.objects.published()
        return [
            *("Iceland" in names(published.matching(text)) for text in queries),
            *("Iceland" in names(published.identified_by(text)) for text in queries),
            *("Iceland" in names(published.closest_to(typo)) for typo in typos),
        ]

    assert not any(found())
    iceland.editorial_state = PUBLISHED
    iceland.save()
    assert all(found()), "once published, each of these finds it"


def test_renaming_a_partner_or_changing_its_aliases_changes_what_finds_it(esa):
    esa.aliases = "欧空局"
    esa.save()
    assert names(Partner.objects.matching("欧空局")) == {"European Space Agency"}
    esa.name = "Europäische Weltraumorganisation"
    esa.aliases = ""
    esa.save(update_fields=["name", "aliases"])
    assert names(Partner.objects.matching("europaische weltraum")) == {"Europäische Weltraumorganisation"}
    assert not Partner.objects.matching("欧空局").exists()
    assert not Partner.objects.matching("European Space Agency").exists()


def test_a_letter_or_two_is_looked_for_inside_names_only_as_typed(partners):
    assert {"Pakistan", "Saudi Arabia", "Thailand"} <= names(Partner.objects.matching("a"))
    assert {"Pakistan", "Thailand"} <= names(Partner.objects.matching("an"))
    for text in ["(a+)+$", "a*", "[an]", "a%"]:
        assert not Partner.objects.matching(text).exists(), text


@pytest.mark.parametrize("text", ["%", "_", "%_%", "\\", ".*", "[", "' OR '1'='1", "\u202e", "a" * 200])
def test_like_and_regex_metacharacters_are_plain_text(partners, text):
    assert not Partner.objects.matching(text).exists()
    assert not Partner.objects.identified_by(text).exists()
    Partner.objects.closest_to(text)
