"""A visitor finds a mission and its partner every way the site offers: from the home page,
through the mission filters, through search in English and in Chinese, through the partner's
page; the timeline and the world map show them."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from missions.models import Mission, MissionImage
from tests.browser.conftest import BROWSER_TEST, png_photo
from tests.factories import make_mission, make_partner, make_payload

pytestmark = BROWSER_TEST


@pytest.fixture
def change_9():
    thailand = make_partner(name="Thailand", name_zh="泰国", slug="thailand", country="TH")
    pakistan = make_partner(name="Pakistan", name_zh="巴基斯坦", slug="pakistan", country="PK")
    mission = make_mission(
        name="Chang'e-9",
        name_zh="嫦娥九号",
        slug="change-9",
        side=Mission.Side.SOUTH_POLE,
        phase=Mission.Phase.STATION,
        launch_date=datetime.date(2025, 3, 14),
        types=("lander",),
    )
    make_payload(mission=mission, name="Thai Lunar Camera", acronym="TLC", providers=[thailand])
    photo = png_photo()
    MissionImage.objects.create(
        mission=mission, image=SimpleUploadedFile(photo["name"], photo["buffer"]), alt_text="The lander"
    )
    other = make_mission(name="Chang'e-3", slug="change-3", side=Mission.Side.NEAR, types=("lander", "rover"))
    make_payload(mission=other, name="Pakistani spectrometer", providers=[pakistan])
    return mission


def expect_mission_page(page, language="en", name="Chang'e-9"):
    """A click loads a new page: expect() waits for it, where reading at once could see the old one."""
    expect(page).to_have_url(re.compile(f"/{language}/missions/change-9/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


def test_from_the_home_page(new_page, change_9):
    page = new_page()
    page.goto("/en/")
    latest = page.get_by_role("region", name="Latest missions")
    latest.get_by_role("link", name="Chang'e-9").click()
    expect_mission_page(page)
    expect(page.get_by_role("img", name="The lander")).to_be_visible()
    expect(page.get_by_text("Thai Lunar Camera").first).to_be_visible()


def test_through_the_mission_filters(new_page, change_9):
    page = new_page()
    page.goto("/en/missions/")
    results = page.locator("main .mission-card h3 a")
    assert sorted(results.all_inner_texts()) == ["Chang'e-3", "Chang'e-9"]
    side = page.get_by_label("Side of the Moon")
    assert side.locator("option:checked").inner_text() == "Any"
    assert "South polar region (1)" in side.locator("option").all_inner_texts()  # with its count
    side.select_option("south_pole")
    page.get_by_label("Partner").fill("Thailand")
    # Each submit loads a new page: expect() waits for it, where reading at once could see the old one.
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"side=south_pole.*partner=Thailand|partner=Thailand.*side=south_pole"))
    expect(results).to_have_text(["Chang'e-9"])
    page.get_by_label("Partner").fill("Pakistan")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"partner=Pakistan"))
    expect(results).to_have_count(0)  # Pakistan's payload flew on the near side
    side.select_option("")
    page.get_by_label("Partner").fill("Thailand")
    page.get_by_role("button", name="Apply filters").click()
    page.locator("main .mission-card").get_by_role("link", name="Chang'e-9").click()
    expect_mission_page(page)


@pytest.mark.parametrize(
    "language, query, partner, mission",
    [("en", "Thailand", "Thailand", "Chang'e-9"), ("zh-hans", "泰国", "泰国", "嫦娥九号")],
)
def test_through_search_by_the_partners_name(new_page, change_9, language, query, partner, mission):
    page = new_page()
    page.goto(f"/{language}/")
    page.locator("#header-q").fill(query)
    page.locator("#header-q").press("Enter")
    # The search loads a new page: expect() waits for it, where reading at once could see the old one.
    expect(page).to_have_url(re.compile(f"/{language}/search/"))
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name=partner).first).to_be_visible()
    main.get_by_role("link", name=mission).first.click()
    expect_mission_page(page, language, mission)


def test_through_the_partners_page(new_page, change_9):
    page = new_page()
    page.goto("/en/partners/")
    page.get_by_role("main").get_by_role("link", name="Thailand").first.click()
    expect(page).to_have_url(re.compile("/en/partners/thailand/$"))
    expect(page.get_by_text("Thai Lunar Camera").first).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="Chang'e-9").first.click()
    expect_mission_page(page)


def test_the_timeline_and_the_world_map_show_it(new_page, change_9):
    page = new_page()
    page.goto("/en/missions/timeline/")
    timeline_entry = page.locator("svg a[href$='/missions/change-9/']")
    assert timeline_entry.count() == 1 and timeline_entry.is_visible()
    assert "Chang'e-9" in timeline_entry.text_content()
    timeline_entry.click()
    expect_mission_page(page)

    page.goto("/en/")
    assert page.locator(".compact-timeline svg a[href$='/missions/change-9/']").is_visible()
    on_the_map = page.locator(".world-map svg a[href$='/partners/thailand/']")
    assert on_the_map.is_visible()
    assert on_the_map.locator("title").text_content().startswith("Thailand: 1 payload")
    on_the_map.click()
    expect(page).to_have_url(re.compile("/en/partners/thailand/$"))
