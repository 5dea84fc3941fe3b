"""Chinese pages write coordinates, dates and orders the way Chinese readers do."""

import datetime

import pytest

from partners.models import Partner
from partners.views import PartnerListView
from tests.factories import make_mission, make_partner, make_payload

pytestmark = pytest.mark.django_db


def landed_mission():
    return make_mission(
        slug="chang-e-4",
        name="Chang'e-4",
        name_zh="嫦娥四号",
        latitude=-45.4446,
        longitude=177.5991,
        launch_date=datetime.date(2018, 12, 7),
        landing_date=datetime.date(2019, 1, 3),
    )


def test_coordinates_read_hemisphere_first_in_chinese(client):
    landed_mission()
    page = client.get("/zh-hans/missions/chang-e-4/").content.decode()
    assert "南纬45.4446°，东经177.5991°" in page
    page = client.get("/zh-hans/missions/landing-sites/").content.decode()
    assert "南纬45.4446°，东经177.5991°" in page


def test_coordinates_stay_as_they_were_in_english(client):
    landed_mission()
    assert "45.4446° S, 177.5991° E" in client.get("/en/missions/chang-e-4/").content.decode()


def test_dates_read_year_month_day_in_chinese(client):
    landed_mission()
    page = client.get("/zh-hans/missions/chang-e-4/").content.decode()
    assert "2018年12月7日" in page and "2019年1月3日" in page
    assert "7 December 2018" in client.get("/en/missions/chang-e-4/").content.decode()


def pinyin_partners():
    # English order: Belarus, Egypt, Pakistan, Uzbekistan. Pinyin: 埃及 ai, 巴基斯坦 ba, 白俄罗斯 bai,
    # 乌兹别克斯坦 wu; a partner without a Chinese name goes by its English name among them.
    for slug, name, name_zh in [
        ("pakistan", "Pakistan", "巴基斯坦"),
        ("belarus", "Belarus", "白俄罗斯"),
        ("egypt", "Egypt", "埃及"),
        ("uzbekistan", "Uzbekistan", "乌兹别克斯坦"),
        ("nowhere", "Nowhere Institute", ""),
    ]:
        make_partner(slug=slug, name=name, name_zh=name_zh)


def positions(page: str, language: str, slugs) -> list[str]:
    """The slugs in the order the page's list links to them (the partners list's cards, not its map)."""
    page = page[page.index('class="card-grid"' if 'class="card-grid"' in page else "<main") :]
    return sorted(slugs, key=lambda slug: page.index(f'href="/{language}/partners/{slug}/"'))


SLUGS = ["pakistan", "belarus", "egypt", "uzbekistan", "nowhere"]


def test_the_chinese_partner_list_is_in_pinyin_order(client):
    pinyin_partners()
    page = client.get("/zh-hans/partners/").content.decode()
    assert positions(page, "zh-hans", SLUGS) == ["egypt", "pakistan", "belarus", "nowhere", "uzbekistan"]
    page = client.get("/en/partners/").content.decode()
    assert positions(page, "en", SLUGS) == ["belarus", "egypt", "nowhere", "pakistan", "uzbekistan"]


def test_pinyin_order_holds_across_pages(client, monkeypatch):
    pinyin_partners()
    monkeypatch.setattr(PartnerListView, "paginate_by", 2)
    first = client.get("/zh-hans/partners/").content.decode()
    second = client.get("/zh-hans/partners/", {"page": 2}).content.decode()
    assert positions(first, "zh-hans", ["egypt", "pakistan"]) == ["egypt", "pakistan"]
    assert positions(second, "zh-hans", ["belarus", "nowhere"]) == ["belarus", "nowhere"]
    monkeypatch.undo()
    # Names that match a search equally well keep the pinyin order.
    page = client.get("/zh-hans/partners/", {"q": "斯"}).content.decode()
    assert positions(page, "zh-hans", ["belarus", "pakistan", "uzbekistan"]) == ["pakistan", "belarus", "uzbekistan"]


def test_a_partner_renamed_in_chinese_moves_in_the_chinese_order(client):
    pinyin_partners()
    nowhere = Partner.objects.get(slug="nowhere")
    nowhere.name_zh = "阿无研究所"  # a, before ai
    nowhere.save()
    page = client.get("/zh-hans/partners/").content.decode()
    assert positions(page, "zh-hans", SLUGS)[0] == "nowhere"


def test_the_partners_of_a_mission_are_in_pinyin_order_in_chinese(client):
    pinyin_partners()
    mission = make_mission(slug="chang-e-8", name="Chang'e-8")
    for slug in SLUGS:
        make_payload(mission=mission, providers=[Partner.objects.get(slug=slug)])
    page = client.get("/zh-hans/missions/chang-e-8/").content.decode()
    assert positions(page, "zh-hans", SLUGS) == ["egypt", "pakistan", "belarus", "nowhere", "uzbekistan"]
    page = client.get("/zh-hans/missions/").content.decode()
    options = page[page.index("<datalist") :] if "<datalist" in page else page
    assert options.index("埃及") < options.index("巴基斯坦") < options.index("白俄罗斯") < options.index("乌兹别克斯坦")
