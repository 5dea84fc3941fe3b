"""The key pages at phone and desktop widths: each fits the screen (no sideways scrolling), shows
its heading, and is saved as a screenshot under test-artifacts/screenshots/ (or
$LUNARPORTAL_TEST_ARTIFACTS/screenshots/) for a person to look at."""

import pytest

from missions.models import Mission
from tests.browser.conftest import BROWSER_TEST, DESKTOP, PHONE, artifacts_dir, log_in, without_horizontal_overflow

pytestmark = BROWSER_TEST

KEY_PAGES = {
    "home": "/en/",
    "missions": "/en/missions/",
    "mission": "/en/missions/chang-e-6/",
    "partner": "/en/partners/pakistan/",
    "search": "/en/search/?q=Pakistan",
    "home-zh-hans": "/zh-hans/",
    "mission-zh-hans": "/zh-hans/missions/chang-e-6/",
}


@pytest.mark.parametrize("device, viewport", [("phone", PHONE), ("desktop", DESKTOP)])
def test_key_pages_fit_the_screen_and_are_saved_as_screenshots(new_page, demo_content, make_staff, device, viewport):
    folder = artifacts_dir() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    make_staff("eddie", "Editors")
    page = new_page(viewport=viewport, is_mobile=device == "phone", has_touch=device == "phone")
    log_in(page, "eddie")
    mission = Mission.objects.get(slug="chang-e-6")
    pages = {**KEY_PAGES, "admin-mission-form": f"/admin/missions/mission/{mission.pk}/change/"}

    too_wide = []
    for name, path in pages.items():
        response = page.goto(path)
        assert response.status == 200, path
        heading = page.locator("h1").first
        assert heading.is_visible() and heading.inner_text().strip(), f"{path} shows no heading"
        if not without_horizontal_overflow(page):
            too_wide.append(f"{path}: {page.evaluate('document.scrollingElement.scrollWidth')} px")
        screenshot = folder / f"{name}-{device}.png"
        page.screenshot(path=screenshot, full_page=True)
        assert screenshot.stat().st_size > 10_000  # a real picture, not a blank page
    assert not too_wide, f"Wider than the {viewport['width']} px {device} screen:\n" + "\n".join(too_wide)
