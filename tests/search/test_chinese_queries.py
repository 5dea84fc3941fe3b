"""What Chinese readers, and readers of the other UN languages, type into the search finds what
they mean, on the demo content: Chinese names of projects, launch vehicles and sites, regions and
relays; partners' alternative names and their names in their own languages; an exact name before
a name that merely holds it; and China, the program's host, explained rather than searched for."""

import re

import pytest

from partners.models import Partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_database, db):
    """The demo content (loaded once for the module)."""


def search(client, query: str, language: str = "zh-hans") -> str:
    response = client.get(f"/{language}/search/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def partners_listed(page: str) -> list[str]:
    """The slugs of the partners the page lists as matching, in the page's order."""
    pks = [int(pk) for pk in re.findall(r'<h3 id="partner-(\d+)"', page)]
    slugs = dict(Partner.objects.filter(pk__in=pks).values_list("pk", "slug"))
    return [slugs[pk] for pk in pks]


@pytest.mark.parametrize(
    "query, found",
    [
        ("中巴地球资源卫星", "中巴地球资源卫星04A星"),  # a project
        ("老挝一号", "老挝一号通信卫星"),
        ("北斗", "萨雷兹湖乌索伊堰塞坝北斗形变监测"),
        ("长征五号", "嫦娥六号"),  # a launch vehicle: the missions it launched
        ("文昌", "鹊桥二号"),  # a launch site
        ("南极-艾特肯盆地", "嫦娥四号"),  # a region
        ("鹊桥一号", "鹊桥"),  # a relay by its other name
    ],
)
def test_chinese_names_of_projects_vehicles_sites_regions_and_relays_are_found(client, demo, query, found):
    page = search(client, query)
    assert "没有与" not in page, f"{query} found nothing"
    assert found in page


def test_an_alternative_chinese_name_finds_its_partner(client, demo):
    assert partners_listed(search(client, "欧洲空间局"))[:1] == ["esa"]


@pytest.mark.parametrize("query", ["俄罗斯", "Rusia"])
def test_the_partner_named_exactly_comes_before_one_whose_name_holds_it(client, demo, query):
    """白俄罗斯 (Belarus) holds 俄罗斯, and Spanish "Bielorrusia" holds "Rusia"."""
    listed = partners_listed(search(client, query))
    assert listed[:2] == ["russia", "belarus"], listed


@pytest.mark.parametrize(
    "query, partner",
    [
        ("Deutschland", "germany"),
        ("Sverige", "sweden"),
        ("Pakistán", "pakistan"),
        ("Пакистан", "pakistan"),
        ("باكستان", "pakistan"),
        ("Allemagne", "germany"),
        ("Россия", "russia"),
        ("Brasil", "brazil"),
    ],
)
def test_a_countrys_own_name_and_its_names_in_the_un_languages_find_it(client, demo, query, partner):
    assert partners_listed(search(client, query, "en"))[:1] == [partner]


@pytest.mark.parametrize("query, language", [("中国", "zh-hans"), ("China", "en"), ("PRC", "en"), ("CHN", "zh-hans")])
def test_naming_china_explains_that_it_hosts_the_program(client, demo, query, language):
    page = search(client, query, language)
    notice = "中国是本计划的主办国" if language == "zh-hans" else "China hosts the program"
    assert notice in page
    assert partners_listed(page) == [], "Hong Kong, Macao or Taiwan offered for China"
    assert "Did you mean" not in page and "您是不是要找" not in page


def test_a_partner_whose_name_only_holds_china_is_still_found_by_its_own_name(client, demo):
    page = search(client, "Hong Kong", "en")
    assert "China hosts the program" not in page
    assert partners_listed(page) == ["hong-kong"]
