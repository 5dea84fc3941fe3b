"""How a visitor's words find partners: Partner.objects.matching() and identified_by()."""

import pytest

from partners.models import Partner
from tests.factories import make_partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(pakistan, esa):
    make_partner(name="Saudi Arabia", name_zh="沙特阿拉伯", slug="saudi-arabia", country="SA")
    make_partner(name="Türkiye", name_zh="土耳其", slug="turkiye", country="TR", region="asia")
    make_partner(name="Hong Kong SAR, China", name_zh="中国香港", slug="hong-kong", country="HK")


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
        ("Saudi", {"Saudi Arabia"}),
        ("SAU", {"Saudi Arabia"}),
        ("ESA", {"European Space Agency"}),
        ("european space", {"European Space Agency"}),
        ("欧洲航天局", {"European Space Agency"}),
        ("TUR", {"Türkiye"}),
        ("Hong Kong", {"Hong Kong SAR, China"}),
        ("  pakistan  ", {"Pakistan"}),
        ("Atlantis", set()),
        ("", set()),
    ],
)
def test_matching_finds_partners_by_name_code_or_chinese_name(partners, text, expected):
    assert {partner.name for partner in Partner.objects.matching(text)} == expected


@pytest.mark.parametrize("value", ["PK", "pk", "PAK", "pakistan", "Pakistan", "巴基斯坦"])
def test_identified_by_accepts_codes_slugs_and_names(partners, value):
    assert list(Partner.objects.identified_by(value).values_list("name", flat=True)) == ["Pakistan"]


@pytest.mark.parametrize("value", ["ZZ", "pa", "巴", "", "Pakistan Republic"])
def test_identified_by_needs_an_exact_name_or_code(partners, value):
    assert not Partner.objects.identified_by(value).exists()


def test_closest_to_suggests_names_for_a_typo(partners):
    assert [partner.name for partner in Partner.objects.closest_to("Pakstan")] == ["Pakistan"]
    assert Partner.objects.closest_to("qqqqqqq") == []
