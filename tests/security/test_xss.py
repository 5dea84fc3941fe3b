"""Known XSS payloads through every editor text field: escaped (plain text) or sanitised (rich
text) on every public page and in the admin."""

from html.parser import HTMLParser
from pathlib import Path

import pytest

from lunarportal import richtext
from missions.models import Milestone, Mission, MissionSource, Payload
from partners.models import Agreement, CooperationProject, Partner
from tests.factories import make_agreement, make_mission, make_partner, make_payload, make_project

pytestmark = pytest.mark.django_db

PAYLOADS = [line for line in (Path(__file__).parent.parent / "data" / "xss.txt").read_text().splitlines() if line]
LONG_WORD = "A" * 100_000
UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")
UNSAFE_TAGS = {"iframe", "object", "embed", "base", "svg", "math"}


class DangerFinder(HTMLParser):
    """Collects markup that could run code: event handlers, script/style blocks that did not come
    from the page itself, and links or sources with script URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._in = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = (value or "").strip().lower().replace("\t", "").replace("\n", "")
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction", "data") and value.startswith(UNSAFE_SCHEMES):
                self.found.append(f"<{tag} {name}={value[:30]}>")
            if name == "style" and "expression(" in value:
                self.found.append(f"<{tag} style=expression>")
        # The site's own pictures are inline SVG, each with a class; markup from content never has one.
        if tag in UNSAFE_TAGS and not (tag == "svg" and dict(attrs).get("class")):
            self.found.append(f"<{tag}>")
        if tag == "meta" and any(name == "http-equiv" for name, _ in attrs):
            self.found.append("<meta http-equiv>")
        if tag == "script" and ("type", "application/ld+json") in attrs:
            self._in = "ld+json"  # a data block: never run, but it must not let markup out
        elif tag in ("script", "style"):
            self._in = tag

    def handle_endtag(self, tag):
        if tag == self._in or (tag == "script" and self._in == "ld+json"):
            self._in = None

    def handle_data(self, data):
        if self._in == "ld+json":
            if any(character in data for character in "<>&"):
                self.found.append("<script type=application/ld+json> with unescaped markup")
        elif self._in and "alert(" in data:
            self.found.append(f"<{self._in}> with alert(")


def dangers(html: str) -> list[str]:
    finder = DangerFinder()
    finder.feed(html)
    return finder.found


@pytest.fixture(params=range(len(PAYLOADS)), ids=lambda i: f"payload-{i}")
def hostile(request, pakistan):
    """A published mission, partner, payload, agreement and project whose every text field
    holds the same hostile payload."""
    text = PAYLOADS[request.param]
    short = text[:190]
    partner = make_partner(name=short, name_zh=text[:90], slug="hostile", country="IS", summary=text, body=text)
    mission = make_mission(
        name=short,
        name_zh=text[:90],
        slug="hostile-mission",
        summary=text,
        body=text,
        landing_site=short,
        launch_vehicle=short,
        launch_site=short,
        launch_window=text[:90],
        latitude=10,
        longitude=20,
    )
    make_mission(name=short, slug="hostile-mission-2", summary=text, landing_site=short, latitude=-40, longitude=170)
    payload = make_payload(
        mission=mission, name=short, acronym=text[:30], purpose=text, institution=short, providers=[partner, pakistan]
    )
    payload.sources.create(url="https://example.org/p", title=short, publisher=short)
    Milestone.objects.create(mission=mission, date=mission.launch_date, title=short, description=text)
    MissionSource.objects.create(mission=mission, url="https://example.org/m", title=short, publisher=short)
    make_agreement(title=short, slug="hostile-agreement", parties=[partner], summary=text, body=text)
    make_project(name=short, slug="hostile-project", partners=[partner], summary=text)
    return text


PUBLIC_PAGES = [
    "/en/",
    "/en/missions/",
    "/en/missions/hostile-mission/",
    "/en/partners/",
    "/en/partners/hostile/",
    "/en/partners/pakistan/",
    "/en/search/?q=hostile",
    "/en/missions/timeline/",
    "/en/missions/landing-sites/?highlight=hostile-mission",
    "/en/missions/compare/?m=hostile-mission&m=hostile-mission-2",
    "/en/partners/charts/",
]


def test_public_pages_never_carry_active_markup(client, hostile):
    for url in [*PUBLIC_PAGES, f"/en/search/?q={hostile[:150]}"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert dangers(response.content.decode()) == [], url


def test_admin_pages_never_carry_active_markup_from_content(publisher_client, hostile):
    urls = [
        "/admin/missions/mission/",
        f"/admin/missions/mission/{Mission.objects.get(slug='hostile-mission').pk}/change/",
        "/admin/missions/payload/",
        f"/admin/missions/payload/{Payload.objects.get().pk}/change/",
        "/admin/partners/partner/",
        f"/admin/partners/partner/{Partner.objects.get(slug='hostile').pk}/change/",
        "/admin/partners/agreement/",
        f"/admin/partners/agreement/{Agreement.objects.get().pk}/change/",
        f"/admin/partners/cooperationproject/{CooperationProject.objects.get().pk}/change/",
    ]
    for url in urls:
        response = publisher_client.get(url)
        assert response.status_code == 200, url
        # The admin has scripts of its own; what matters is that none came from the content.
        findings = [found for found in dangers(response.content.decode()) if "alert(" in found or "<" in found]
        findings = [found for found in findings if found != "<svg>"]  # the admin's own icon sprite
        assert findings == [], url


def test_rich_text_keeps_formatting_and_drops_everything_else():
    html = (
        '<h3>Heading</h3><p><strong>bold</strong> <em>it</em> <a href="https://example.org">link</a></p>'
        "<ul><li>one</li></ul><blockquote><p>quote</p></blockquote>"
        '<script>alert(1)</script><p onclick="alert(1)" style="color:red">x</p>'
        '<a href="javascript:alert(1)">bad</a><iframe src="//evil"></iframe><h1>too big</h1>'
    )
    clean = richtext.sanitize(html)
    for kept in [
        "<h3>Heading</h3>",
        "<strong>bold</strong>",
        "<em>it</em>",
        'href="https://example.org"',
        "<ul><li>one</li></ul>",
        "<blockquote>",
    ]:
        assert kept in clean
    for dropped in ["<script", "onclick", "style=", "javascript:", "<iframe", "<h1>"]:
        assert dropped not in clean
    assert dangers(clean) == []


def test_rich_text_is_sanitised_when_saved_by_any_route(db):
    mission = make_mission(body='<p>ok</p><script>alert(1)</script><img src=x onerror="alert(1)">')
    mission.refresh_from_db()
    assert mission.body == "<p>ok</p>"


def test_rich_text_is_sanitised_again_when_shown(client):
    mission = make_mission(slug="legacy")
    # Content that bypassed save(), as from an old backup or raw SQL.
    Mission.objects.filter(pk=mission.pk).update(body='<p>ok</p><script>alert("raw")</script>')
    page = client.get("/en/missions/legacy/").content.decode()
    assert "<p>ok</p>" in page
    assert 'alert("raw")' not in page


def test_a_huge_single_word_renders(client):
    make_mission(slug="long", summary=LONG_WORD, body=LONG_WORD)
    response = client.get("/en/missions/long/")
    assert response.status_code == 200
    assert LONG_WORD in response.content.decode()


def test_template_syntax_in_content_is_shown_as_text(client):
    make_mission(slug="templated", summary="{{7*7}} {% debug %}")
    page = client.get("/en/missions/templated/").content.decode()
    assert "{{7*7}} {% debug %}" in page


def test_the_danger_finder_spots_each_active_payload_left_unescaped():
    """Guards the guard: unescaped, every payload that can run code is reported."""
    inert = {"{{7*7}}", "{% debug %}", "\u202eevil\u202c", "<!--<img src=x onerror=alert(1)>-->"}
    # html.parser reads <noscript> content as markup, as a browser without scripting would.
    parser_blind = {'<noscript><p title="</noscript><img src=x onerror=alert(1)>">'}
    for payload in PAYLOADS:
        if payload not in inert | parser_blind:
            assert dangers(payload), payload
