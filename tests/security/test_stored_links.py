"""Stored addresses become links only when a visitor may follow them safely: http, https or
mailto (shared/SECURITY.md OUT-04). A javascript:, data: or vbscript: address that reached the
database around the forms' validation (a fixture, a restored backup, SQL) is shown as plain
text on every page that shows it, whatever its case, spacing or control characters; the
Content-Security-Policy is not the only guard."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from missions.models import Mission, MissionSource, PayloadSource
from partners.models import Agreement, AgreementSource, Partner, PartnerSource
from publishing import caching
from tests.factories import make_agreement, make_mission, make_partner, make_payload

pytestmark = pytest.mark.django_db

# The addresses of the XSS corpus's links (tests/data/xss.txt), and the spellings a browser
# still reads as a script: any case, leading spaces and control characters, tabs and line
# breaks inside the scheme.
CORPUS = Path(__file__).parent.parent / "data" / "xss.txt"
CORPUS_ADDRESSES = [
    address
    for address in re.findall(r'href="([^"]*)"', CORPUS.read_text())
    if address.lstrip().lower().startswith(("javascript:", "data:", "vbscript:", "&#"))
]
SPELLINGS = [
    "JAVASCRIPT:alert(1)",
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "jav\nascript:alert(1)",
    "\x01\x02javascript:alert(1)",
    "javascript://example.org/%0Aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "  DaTa:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
]
HOSTILE_ADDRESSES = list(dict.fromkeys(CORPUS_ADDRESSES + SPELLINGS))  # each once
UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")

PAGES = [
    "/en/missions/linked-mission/",
    "/zh-hans/missions/linked-mission/",
    "/en/partners/linked/",
    "/zh-hans/partners/linked/",
]


class AddressFinder(HTMLParser):
    """Every address a page's markup points to: links, sources, form actions."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.addresses = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction", "data", "xlink:href") and value is not None:
                self.addresses.append((tag, name, value))


def unsafe_addresses(html: str) -> list:
    """Addresses a browser would run as script: it ignores control characters and spaces around
    a scheme and tabs or line breaks inside it, and reads schemes in any case."""
    finder = AddressFinder()
    finder.feed(html)
    return [
        found for found in finder.addresses if re.sub(r"[\x00-\x20]", "", found[2]).lower().startswith(UNSAFE_SCHEMES)
    ]


def structured_data(html: str) -> list[dict]:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(script) for script in scripts]


@pytest.fixture
def linked(pakistan):
    """A published mission and partner with every kind of stored address, all valid: a source
    of each, a payload's source, the partner's website, an agreement's source, a link in a body."""
    partner = make_partner(name="Linked partner", slug="linked", country="IS", website="https://partner.example/")
    PartnerSource.objects.create(partner=partner, url="https://partner.example/about", title="Partner source title")
    mission = make_mission(
        name="Linked mission",
        slug="linked-mission",
        body='<p>Read <a href="https://mission.example/body">the body link</a>.</p>',
    )
    MissionSource.objects.create(mission=mission, url="https://mission.example/m", title="Mission source title")
    payload = make_payload(mission=mission, providers=[partner], name="Linked payload")
    PayloadSource.objects.create(payload=payload, url="https://mission.example/p", title="Payload source title")
    agreement = make_agreement(title="Linked agreement", slug="linked-agreement", parties=[partner])
    AgreementSource.objects.create(agreement=agreement, url="https://partner.example/mou", title="Agreement source")
    return mission, partner


def store_around_the_forms(address: str) -> None:
    """Every stored address replaced by `address` with QuerySet.update(), as raw SQL or a restored
    backup would: no validation, no save(), no signal; the caches are told by hand."""
    Partner.objects.filter(slug="linked").update(website=address)
    for model in (PartnerSource, MissionSource, PayloadSource, AgreementSource):
        model.objects.update(url=address)
    body = f'<p>Read <a href="{address}">the body link</a>.</p>'
    Mission.objects.filter(slug="linked-mission").update(body_en=body, body_zh_hans=body)
    caching.bump()


def test_valid_addresses_are_links(client, linked):
    """What the guard must not break: every kind of stored address is a link while it is valid."""
    for page in PAGES:
        html = client.get(page).content.decode()
        if "/missions/" in page:
            for text in ["Mission source title", "Payload source title", "the body link"]:
                assert re.search(rf'<a href="https://mission\.example/[^"]*"[^>]*>{text}</a>', html), (page, text)
        else:
            assert '<a href="https://partner.example/" rel="noopener">https://partner.example/</a>' in html
            assert re.search(r'<a href="https://partner\.example/about"[^>]*>Partner source title</a>', html)
            assert '<a href="https://partner.example/mou"' in html
            assert [data.get("sameAs") for data in structured_data(html)] == ["https://partner.example/"]


@pytest.mark.parametrize(
    "address, is_link",
    [("mailto:press@partner.example", True), ("HTTPS://partner.example/", True), ("partner.example", False)],
)
def test_mail_addresses_are_links_and_addresses_without_a_scheme_are_text(client, linked, address, is_link):
    store_around_the_forms(address)
    html = client.get("/en/partners/linked/").content.decode()
    assert (f'<a href="{address}" rel="noopener">{address}</a>' in html) is is_link
    assert address in html


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES, ids=repr)
def test_a_hostile_stored_address_is_shown_as_text_never_as_a_link(client, linked, address):
    store_around_the_forms(address)
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert unsafe_addresses(html) == [], page
        # The sources are still listed, by their titles, as text.
        if "/missions/" in page:
            assert "Mission source title" in html and "Payload source title" in html and "the body link" in html
        else:
            assert "Partner source title" in html
            assert all("sameAs" not in data for data in structured_data(html)), page


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES[:4], ids=repr)
def test_the_admin_shows_a_hostile_stored_address_as_text(publisher_client, linked, address):
    """Django's admin checks a URL before it makes it a link (its URL widget and read-only
    display): kept so by this test."""
    mission, partner = linked
    store_around_the_forms(address)
    agreement = Agreement.objects.get(slug="linked-agreement")
    for url in [
        f"/admin/partners/partner/{partner.pk}/change/",
        f"/admin/missions/mission/{mission.pk}/change/",
        f"/admin/partners/agreement/{agreement.pk}/change/",
    ]:
        response = publisher_client.get(url)
        assert response.status_code == 200, url
        assert unsafe_addresses(response.content.decode()) == [], url


def test_the_finder_spots_every_hostile_address_written_as_a_link():
    """Guards the guard: each address, put in an href as a template would, is reported."""
    from django.utils.html import escape

    for address in HOSTILE_ADDRESSES:
        found = unsafe_addresses(f'<a href="{escape(address)}">x</a>')
        assert found or address.startswith("&#"), repr(address)
