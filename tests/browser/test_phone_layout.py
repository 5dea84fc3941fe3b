"""Every public page type fits a 390 px phone and a 1366 px desktop: nothing scrolls the page
sideways. Wide pictures and tables scroll inside a labelled region a keyboard can reach; the
full timeline is stacked by year on a phone; the filters fold behind a "Filters" button."""

import pytest

from tests.browser.conftest import BROWSER_TEST, DESKTOP, PHONE

pytestmark = BROWSER_TEST

# One address per public page type, with the demo content. Agreements and projects have no page
# of their own: they are listed, with their details, on their partners' pages.
PAGE_TYPES = {
    "home": "/en/",
    "missions list": "/en/missions/",
    "missions list, filtered": "/en/missions/?side=far&international=1",
    "mission": "/en/missions/chang-e-6/",
    "mission, sample return": "/en/missions/chang-e-5/",
    "mission, planned": "/en/missions/chang-e-8/",
    "timeline": "/en/missions/timeline/",
    "landing-site map": "/en/missions/landing-sites/",
    "compare": "/en/missions/compare/?m=chang-e-4&m=chang-e-5&m=chang-e-6",
    "partners list": "/en/partners/",
    "partner, a country (agreements, projects)": "/en/partners/pakistan/",
    "partner, an organisation": "/en/partners/esa/",
    "partner charts": "/en/partners/charts/",
    "search results": "/en/search/?q=Pakistan",
    "API docs": "/api/v1/docs/",
    "home, Chinese": "/zh-hans/",
    "timeline, Chinese": "/zh-hans/missions/timeline/",
    "compare, Chinese": "/zh-hans/missions/compare/?m=chang-e-4&m=chang-e-5&m=chang-e-6",
    "partner, Chinese": "/zh-hans/partners/pakistan/",
}

# What sticks out of the window, when something does: the outermost elements wider than it.
STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth, found = [];
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (box.width && box.right > width + 0.5 && !found.some(outer => outer.contains(element)))
      found.push(element);
  }
  return found.slice(0, 5).map(e => {
    const name = e.className.baseVal ?? e.className, right = Math.round(e.getBoundingClientRect().right);
    return `<${e.tagName.toLowerCase()} class="${name}"> ends at ${right} px`;
  });
}"""


@pytest.mark.parametrize("device, viewport", [("phone", PHONE), ("desktop", DESKTOP)])
def test_no_public_page_scrolls_sideways(new_page, demo_content, device, viewport):
    page = new_page(viewport=viewport, is_mobile=device == "phone", has_touch=device == "phone")
    too_wide = []
    for name, path in PAGE_TYPES.items():
        response = page.goto(path)
        assert response.status == 200, path
        if path == "/api/v1/docs/":
            page.locator(".swagger-ui .info").first.wait_for()
        scroll_width, client_width = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll_width > client_width:
            too_wide.append(f"{name} ({path}): {scroll_width} px > {client_width} px: {page.evaluate(STICKING_OUT)}")
    assert not too_wide, f"Wider than the {viewport['width']} px {device} window:\n" + "\n".join(too_wide)
