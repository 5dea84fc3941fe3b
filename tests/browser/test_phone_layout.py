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
    "figures": "/en/figures/",
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
        # What the pictures' tables and the folded filters hold must fit too, once opened.
        page.evaluate("document.querySelectorAll('details').forEach(details => { details.open = true })")
        scroll_width, client_width = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll_width > client_width:
            too_wide.append(f"{name} ({path}): {scroll_width} px > {client_width} px: {page.evaluate(STICKING_OUT)}")
    assert not too_wide, f"Wider than the {viewport['width']} px {device} window:\n" + "\n".join(too_wide)


# Every element that scrolls sideways on the page, what names it for a screen reader, whether a
# keyboard can focus it, and whether the line above it that says it scrolls is shown.
SCROLLING = """() => [...document.body.querySelectorAll('*')]
  .filter(e => e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
  .map(e => {
    const cue = e.closest('.scroll-area')?.querySelector('.scroll-cue');
    const labels = (e.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean);
    return {
      element: `<${e.tagName.toLowerCase()} class="${e.className}">`,
      name: e.getAttribute('aria-label') || labels.map(id => document.getElementById(id)?.textContent.trim()).join(' '),
      role: e.getAttribute('role'),
      focusable: e.tabIndex === 0,
      cue: Boolean(cue && cue.getBoundingClientRect().height > 0 && getComputedStyle(cue).visibility === 'visible'),
    };
  })"""


def test_what_is_wider_than_a_phone_scrolls_in_a_named_region_with_a_cue(new_page, demo_content):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    regions = []
    for path in (
        "/en/",
        "/en/missions/compare/?m=chang-e-4&m=chang-e-5&m=chang-e-6",
        "/en/partners/",
        "/en/partners/charts/",
        "/en/missions/landing-sites/",
        "/en/missions/timeline/",
    ):
        page.goto(path)
        page.evaluate("document.querySelectorAll('details').forEach(details => { details.open = true })")
        # A region just shown (in a <details> opened) gets its scroll timeline, and so its cue, at
        # the next frames: wait for two.
        page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        for region in page.evaluate(SCROLLING):
            regions.append((path, region))
            assert region["role"] == "region" and region["name"], f"{path}: {region} has no name"
            assert region["focusable"], f"{path}: {region} cannot be reached with the keyboard"
            assert region["cue"], f"{path}: {region} does not show that it scrolls"
    scrolled = {path for path, _ in regions}
    assert {"/en/", "/en/missions/compare/?m=chang-e-4&m=chang-e-5&m=chang-e-6"} <= scrolled
    # The comparison: one mission's column at a time beside the row names, the next one a swipe away.
    page.goto("/en/missions/compare/?m=chang-e-4&m=chang-e-5&m=chang-e-6")
    region = page.get_by_role("region", name="The missions side by side")
    region.focus()
    page.keyboard.press("ArrowRight")
    # (Polled from here: the site's Content-Security-Policy forbids wait_for_function's eval.)
    for _ in range(40):
        if region.evaluate("region => region.scrollLeft") > 0:
            break
        page.wait_for_timeout(50)
    assert region.evaluate("region => region.scrollLeft") > 0, "The arrow key did not scroll the comparison"
    # On a desktop the same comparison fits: no cue.
    page.set_viewport_size(DESKTOP)
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert not page.evaluate(SCROLLING)
    assert not page.locator(".scroll-cue").first.is_visible()


def test_the_timeline_is_stacked_by_year_on_a_phone(new_page, demo_content):
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    phone.goto("/en/missions/timeline/")
    assert not phone.locator(".mission-timeline-svg").is_visible()
    year_2020 = phone.locator(".timeline-by-year > li").filter(
        has=phone.get_by_role("heading", name="2020", exact=True)
    )
    assert [line.strip() for line in year_2020.locator("li").all_inner_texts()] == [
        "23 November 2020: Chang'e-5, Launch",
        "1 December 2020: Chang'e-5, Landing",
        "3 December 2020: Chang'e-5, Ascent stage lifts off the Moon",
        "5 December 2020: Chang'e-5, Docking in lunar orbit",
        "16 December 2020: Chang'e-5, Samples returned to Earth",
    ]
    desktop = new_page(viewport=DESKTOP)
    desktop.goto("/en/missions/timeline/")
    assert desktop.locator(".mission-timeline-svg").is_visible()
    assert not desktop.locator(".timeline-by-year").is_visible()


def test_the_filters_fold_behind_a_button_on_a_phone(new_page, demo_content):
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    phone.goto("/en/missions/?side=far")
    status = phone.get_by_label("Status")
    assert not status.is_visible()
    button = phone.locator("summary", has_text="Filters")
    assert button.inner_text().strip() == "Filters (1 applied)"
    button.click()
    assert status.is_visible()
    assert "Far side (2)" in phone.get_by_label("Side of the Moon").inner_text()  # the counts are kept
    phone.get_by_label("Status").select_option("operating")
    phone.get_by_role("button", name="Apply filters").click()
    assert phone.get_by_role("heading", name="1 mission").is_visible()
    # A wrong filter: the form opens by itself, with its message.
    phone.goto("/en/missions/?launch_date_after=not-a-date")
    assert phone.get_by_role("alert").first.is_visible()

    desktop = new_page(viewport=DESKTOP)
    desktop.goto("/en/partners/")
    assert not desktop.locator("summary", has_text="Filters").is_visible()
    assert desktop.get_by_role("button", name="Apply filters").is_visible()
