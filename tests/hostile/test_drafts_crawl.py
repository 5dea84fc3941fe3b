"""Drafts never leak: the one complete walk of the public site.

Beside published content of every kind, `hidden_world` holds a record in every hidden state
(draft, in review, unpublished, scheduled, expired) of every kind, each with its own marker in its
names, texts and slug. The walk starts at the home page in both languages and follows every
same-site link, submits every search and filter form with each of its options, reads every
address in the sitemap, every API endpoint in the OpenAPI schema (lists and each record's detail),
the feeds and the CSV exports; the markers, the hidden Chinese names and the hidden images' files
appear nowhere. Every address a hidden record would have is a 404.

Counts and other draft rules are tested beside each feature (tests/site/test_drafts.py,
tests/api/test_drafts.py); this is where a new page, link, feed or endpoint gets checked for
leaks without being listed anywhere.
"""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit
from xml.etree import ElementTree

import pytest
import yaml

from missions.models import MissionImage

from .conftest import HIDDEN, HIDDEN_ZH

pytestmark = pytest.mark.django_db

HOST = "testserver"
# What a visitor types into the search boxes and filters: words of the hidden records' names
# (never a marker itself, which the page would echo back), their Chinese names in part, and
# the ISO codes of hidden partners.
SEARCH_WORDS = [
    "Lunar Probe",
    "Republic",
    "accord",
    "satellite",
    "camera",
    "spectrometer",
    "crater",
    "草稿",
    "IS",
    "FI",
]
# Switches a visitor might try to see more than is published.
PROBES = ["status=draft", "editorial_state=draft", "preview=1", "include_drafts=1", "state=in_review"]
MAX_PAGES = 1500


class Links(HTMLParser):
    """Every same-page address (href, src, srcset) and every GET form with its fields' options."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.forms = [], []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append(attrs[name])
        for candidate in (attrs.get("srcset") or "").split(","):
            if candidate.strip():
                self.links.append(candidate.split()[0])
        if tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self._form = {"action": attrs.get("action") or "", "fields": {}}
            self.forms.append(self._form)
        elif self._form is not None and tag == "select":
            self._select = self._form["fields"].setdefault(attrs.get("name"), [])
        elif self._form is not None and tag == "option" and self._select is not None:
            self._select.append(attrs.get("value", ""))
        elif self._form is not None and tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            values = self._form["fields"].setdefault(attrs["name"], [])
            if kind in ("text", "search", "date"):
                values += SEARCH_WORDS if kind != "date" else ["2030-01-01"]
            elif kind in ("checkbox", "radio"):
                values.append(attrs.get("value", "on"))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def local(url: str, base: str) -> str | None:
    """`url` as a path on this site, or None for another site, a fragment or a non-page."""
    absolute = urljoin(f"http://{HOST}{base}", url)
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.hostname != HOST:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if path.startswith(("/admin/", "/static/")) or "/preview/" in path:
        return None
    return path


def leak_strings() -> list[str]:
    """What must appear nowhere: each marker (its slug too, in any case), the hidden Chinese
    names, and the stored files of the hidden mission's image."""
    strings = [*HIDDEN.values(), *HIDDEN_ZH.values()]
    for image in MissionImage.objects.filter(mission__slug=HIDDEN["draft mission"].lower()):
        strings += [image.image.name, image.thumbnail.name, *(rendition["name"] for rendition in image.renditions)]
    return strings


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


def linked_from(path: str, response, body: str) -> list[str]:
    content_type = response.get("Content-Type", "")
    found = []
    if content_type.startswith("text/html"):
        parser = Links()
        parser.feed(body)
        found += parser.links
        for form in parser.forms:
            for name, values in form["fields"].items():
                for value in values:
                    if value:
                        found.append(f"{form['action'] or path.partition('?')[0]}?{urlencode({name: value})}")
    elif "xml" in content_type:  # feeds and the sitemap: every link, alternate and location
        root = ElementTree.fromstring(body.encode())
        for element in root.iter():
            if element.get("href"):
                found.append(element.get("href"))
            if element.tag.endswith("}loc") and element.text:
                found.append(element.text.strip())
    elif content_type.startswith("application/json"):
        found += re.findall(r'"(https?://testserver/[^"]+)"', body)
    return found


def api_addresses(client) -> list[str]:
    """Every operation of the OpenAPI schema: each list (all rows on one page, and searched for
    the hidden records' words), each hidden record's would-be detail address."""
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    addresses = []
    for path in schema["paths"]:
        if "{" in path:
            parameter = re.search(r"\{(\w+)\}", path).group(1)
            hidden = [marker.lower() for marker in HIDDEN.values()] if parameter == "slug" else ["999999"]
            addresses += [("404", path.replace(f"{{{parameter}}}", value)) for value in hidden]
        else:
            addresses.append(("walk", f"{path}?page_size=100"))
            addresses += [("walk", f"{path}?{urlencode({'q': word})}") for word in SEARCH_WORDS]
            addresses += [("walk", f"{path}?{probe}") for probe in PROBES]
    return addresses


def hidden_addresses() -> list[str]:
    """Where each hidden mission, partner, agreement and project would live, in both languages."""
    addresses = []
    for key, marker in HIDDEN.items():
        slug = marker.lower()
        for section in ("missions", "partners"):
            if section[:-1] in key:
                for language in ("en", "zh-hans"):
                    base = f"/{language}/{section}/{slug}/"
                    addresses += [base, f"{base}feed/", f"{base}cite.bib", f"{base}preview/"]
    return addresses


def test_no_public_address_shows_a_hidden_record(client, hidden_world, settings, no_page_cache):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1000000/minute"}}
    leaks = leak_strings()
    lowered = [leak.lower() for leak in leaks]
    must_404 = hidden_addresses()
    queue = deque(["/", "/en/", "/zh-hans/", "/sitemap.xml", "/robots.txt", "/en/feed/", "/zh-hans/feed/"])
    for kind, address in api_addresses(client):
        (must_404 if kind == "404" else queue).append(address)
    for language in ("en", "zh-hans"):
        for section in ("missions", "partners"):
            queue += [f"/{language}/{section}/?{probe}" for probe in PROBES]
            queue += [f"/{language}/{section}/export.csv?{probe}" for probe in PROBES]
            queue += [f"/{language}/{section}/export.csv"]
        queue += [f"/{language}/search/?{urlencode({'q': word})}" for word in SEARCH_WORDS]
    seen, checked = set(queue), []
    while queue:
        path = queue.popleft()
        response = client.get(path)
        assert response.status_code in (200, 301, 302, 400, 404), f"{response.status_code} for {path}"
        if response.status_code in (301, 302):
            target = local(response["Location"], path)
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
            continue
        body = body_of(response)
        if response.status_code == 200:
            checked.append(path)
        text = body.lower()
        found = [leak for leak, low in zip(leaks, lowered, strict=True) if low in text]
        assert not found, f"{found} on {path}"
        for link in linked_from(path, response, body):
            target = local(link, path)
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
        assert len(seen) < MAX_PAGES, "the walk does not end: a link generates new addresses"
    for address in must_404:
        assert client.get(address).status_code == 404, address
    # The walk reached every kind of public surface.
    for expected in [
        "/en/missions/chang-e-6/",
        "/zh-hans/partners/pakistan/",
        "/en/missions/chang-e-6/feed/",
        "/en/missions/chang-e-6/cite.bib",
        "/en/missions/export.csv",
        "/en/missions/timeline/",
        "/en/missions/landing-sites/",
        "/en/partners/charts/",
        "/en/figures/",
        "/api/v1/missions/chang-e-6/",
        "/api/v1/agreements/pakistan-ilrs/",
    ]:
        assert expected in checked, expected
    assert any(path.startswith("/en/missions/?status=") for path in checked)
    assert any(path.startswith("/media/") for path in checked) or not settings.SERVE_MEDIA
    print(f"\n{len(checked)} public addresses walked, {len(must_404)} hidden addresses are 404")
