"""axe-core (node_modules/axe-core, injected by Playwright) on every public page type in both
languages and on the main admin pages: no violation of WCAG 2.0, 2.1 and 2.2 at levels A and AA,
nor, on the public pages, of axe's best practices.

Collapsed <details> (a picture's table, a timeline as a list) are opened first, so that what
they hold is checked too.
"""

import json
import os

import pytest
from django.conf import settings

from missions.models import Mission
from partners.models import Partner
from tests.browser.conftest import AXE_RUN, BROWSER_TEST, DESKTOP, PHONE, log_in
from tests.factories import DRAFT, PUBLISHED, make_mission, make_payload

pytestmark = BROWSER_TEST

AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# axe's best practices besides (landmark-unique, region, heading-order…) on our own pages; the
# admin's markup is Django's, held to WCAG alone.
PUBLIC_RULES = [*WCAG_AA, "best-practice"]

# Violations in code that is not ours, each limited to one rule on one kind of element (every
# other rule still runs on those elements, and this rule everywhere else):
NOT_OURS = {
    # Django's autocomplete widget uses select2 4.0.13 (vendored in django.contrib.admin). With
    # values chosen in an optional multiple select, select2 puts its "Remove all items" cross, a
    # <span>, inside the <ul> that lists the choices.
    ("list", ".select2-selection__rendered"): "select2 (Django admin's autocomplete) <span> inside its <ul>",
}

# Every kind of public page, with its language prefix left out.
PUBLIC_PAGES = {
    "home": "/",
    "missions": "/missions/",
    "missions, filtered": "/missions/?side=far&international=1&type=lander",
    "missions, filtered to nothing": "/missions/?partner=no-such-partner",
    "missions, a page out of range": "/missions/?page=2",
    "mission": "/missions/chang-e-6/",
    "mission, planned": "/missions/chang-e-8/",
    "compare": "/missions/compare/?m=chang-e-4&m=chang-e-5&m=chang-e-6",
    "compare, too few missions": "/missions/compare/?m=chang-e-6",
    "timeline": "/missions/timeline/",
    "landing sites": "/missions/landing-sites/",
    "landing sites, one highlighted": "/missions/landing-sites/?highlight=chang-e-6",
    "partners": "/partners/",
    "partners, filtered": "/partners/?kind=country&region=asia",
    "partner, a country": "/partners/pakistan/",
    "partner, an organisation": "/partners/esa/",
    "partner charts": "/partners/charts/",
    "figures": "/figures/",
    "search results": "/search/?q=Pakistan",
    "search, nothing found": "/search/?q=Pakistn",
    "search, empty": "/search/",
    "page not found": "/no-such-page/",
}
# Pages whose content a script draws after loading: axe waits for it.
DRAWN_BY_SCRIPT = {"/api/v1/docs/": ".swagger-ui .info"}


def axe_violations(page, tags=WCAG_AA) -> list[dict]:
    page.add_script_tag(path=AXE)
    page.evaluate("document.querySelectorAll('details').forEach(details => { details.open = true })")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", tags
    )
    violations = []
    for violation in result["violations"]:
        ours = [node for node in violation["nodes"] if not not_ours(violation["id"], node, page.url)]
        if ours:
            violations.append({**violation, "nodes": ours})
    return violations


def not_ours(rule: str, node: dict, url: str) -> bool:
    for (known_rule, selector), reason in NOT_OURS.items():
        if rule == known_rule and selector in node["target"][-1]:
            AXE_RUN.not_ours.add(f"{rule} on {url}: {reason}")
            return True
    return False


def described(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']} - {violation['helpUrl']}")
        for node in violation["nodes"][:60]:
            lines.append(f"      {' '.join(json.dumps(target) for target in node['target'])}")
        if len(violation["nodes"]) > 60:
            lines.append(f"      … and {len(violation['nodes']) - 60} more")
    return "\n".join(lines)


def check(page, pages: dict[str, str], width: str, tags=WCAG_AA) -> str:
    """Open each page and run axe on it; a report of every violation, empty when there is none."""
    report = []
    for name, path in pages.items():
        page.goto(path)
        if path in DRAWN_BY_SCRIPT:
            page.locator(DRAWN_BY_SCRIPT[path]).first.wait_for()
        violations = axe_violations(page, tags)
        AXE_RUN.pages.append((path, width))
        if violations:
            report.append(f"{name} ({path}, {width}):\n{described(violations)}\n")
    return "".join(report)


@pytest.fixture
def axe_page(new_page):
    """A page that lets axe's script in: the site's Content-Security-Policy allows no inline script."""
    if not AXE.exists():
        reason = f"axe-core is missing ({AXE}): install it with npm ci (make test does)."
        if os.environ.get("CI"):
            pytest.fail(reason + " CI never skips the accessibility tests.")
        pytest.skip(reason)

    def open_page(viewport):
        return new_page(viewport=viewport, bypass_csp=True)

    return open_page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_public_pages_have_no_accessibility_violations(axe_page, demo_content, language):
    pages = {name: f"/{language}{path}" for name, path in PUBLIC_PAGES.items()}
    # Some rules depend on the layout (contrast over a background, target sizes): the key pages
    # are checked at phone width too.
    key_pages = ["home", "missions", "mission", "partner, a country", "search results"]
    phone_pages = {name: pages[name] for name in key_pages}
    desktop = axe_page(DESKTOP)
    report = check(desktop, pages, "desktop", PUBLIC_RULES)
    if language == "en":
        # One language only: the API has none. Swagger UI draws the page: its headings and
        # containers are its own, so WCAG alone (its heading-order and region are best practice).
        report += check(desktop, {"API documentation": "/api/v1/docs/"}, "desktop")
    report += check(axe_page(PHONE), phone_pages, "phone", PUBLIC_RULES)
    assert not report, "axe-core found accessibility problems:\n" + report


def test_admin_pages_have_no_accessibility_violations(axe_page, demo_content, make_staff):
    make_staff("pat", "Publishers")  # publishers may change published content: its forms, not read-only pages
    page = axe_page(DESKTOP)
    report = check(page, {"login": "/admin/login/"}, "desktop")
    log_in(page, "pat")
    mission = Mission.objects.get(slug="chang-e-6")
    partner = Partner.objects.get(slug="pakistan")
    report += check(
        page,
        {
            "admin index": "/admin/",
            "mission list": "/admin/missions/mission/",
            "mission list, searched and filtered": "/admin/missions/mission/?q=chang&editorial_state__exact=published",
            "new mission": "/admin/missions/mission/add/",
            "mission": f"/admin/missions/mission/{mission.pk}/change/",
            "partner list": "/admin/partners/partner/",
            "partner": f"/admin/partners/partner/{partner.pk}/change/",
            "mission preview": "/en/missions/chang-e-6/preview/",
            "mission with a payload not published": f"/admin/missions/mission/{draft_with_payloads().pk}/change/",
        },
        "desktop",
    )
    assert not report, "axe-core found accessibility problems:\n" + report


def draft_with_payloads():
    """A draft mission holding a published payload (read-only for an editor) and a draft one
    (for a publisher, the offer to publish it with the mission)."""
    mission = make_mission(name="Chang'e-9", slug="chang-e-9", state=DRAFT)
    make_payload(mission=mission, name="Reviewed camera", state=PUBLISHED)
    make_payload(mission=mission, name="Draft camera", state=DRAFT)
    return mission


def test_an_editors_mission_form_with_a_published_payload_has_no_accessibility_violations(axe_page, make_staff):
    make_staff("eddie", "Editors")
    page = axe_page(DESKTOP)
    log_in(page, "eddie")
    report = check(
        page,
        {"mission, published payload read-only": f"/admin/missions/mission/{draft_with_payloads().pk}/change/"},
        "desktop",
    )
    assert not report, "axe-core found accessibility problems:\n" + report
