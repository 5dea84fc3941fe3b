"""Known XSS payloads (tests/data/xss.txt) through every editor text field of every content model,
found from the models themselves: escaped (plain text) or sanitised (rich text) on every public
page, feed, export, API answer, citation and admin page."""

import csv
import io
import itertools
import re
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
import reversion
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.test import override_settings
from django.utils import translation
from django.utils.html import escape
from modeltranslation.translator import translator
from PIL import Image
from reversion.models import Version

from missions.models import (
    LaunchSite,
    LaunchVehicle,
    Milestone,
    Mission,
    MissionImage,
    MissionSource,
    Payload,
    PayloadSource,
)
from partners.models import (
    Agreement,
    AgreementSource,
    CooperationProject,
    Figure,
    FigureSource,
    Partner,
    PartnerSource,
    ProjectSource,
)
from publishing import richtext
from publishing.richtext import RichTextField
from tests import factories
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


# --- Every editor text field, read from the models ------------------------------------------


def editor_text_fields(model) -> list[str]:
    """The columns an editor types free text into: every CharField and TextField (rich text
    included) of `model`, each language's column of a translated one, but not slugs, URLs,
    choices or fields the site derives itself."""
    translated = (
        set(translator.get_options_for_model(model).all_fields)
        if model in translator.get_registered_models()
        else set()
    )
    names = []
    for field in model._meta.concrete_fields:
        if not isinstance(field, (models.CharField, models.TextField)):
            continue
        if isinstance(field, (models.SlugField, models.URLField)) or field.choices or not field.editable:
            continue
        if field.name in translated:
            continue  # written through its language columns (summary_en, summary_zh_hans)
        names.append(field.name)
    return names


def content_models() -> list:
    return [*apps.get_app_config("missions").get_models(), *apps.get_app_config("partners").get_models()]


def filled(model, text: str) -> dict[str, str]:
    """Every editor text field of `model` set to `text`, cut to the field's length."""
    return {name: text[: model._meta.get_field(name).max_length or None] for name in editor_text_fields(model)}


def fill(instance, text: str) -> None:
    for name, value in filled(type(instance), text).items():
        setattr(instance, name, value)
    instance.save()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "gray").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module", params=range(len(PAYLOADS)), ids=lambda i: f"payload-{i}")
def hostile(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """A published record of every content model, with every editor text field holding the
    same hostile payload; the mission and the partner also have a harmless earlier version,
    so that their history and its comparison show the payload.

    Built once per payload for every test of the module, inside a transaction rolled back after
    the last of them; each test's own writes roll back to a savepoint within it. The records are
    made as a test's would be: numbered from one, in English, their upload in a folder of its own."""
    text = PAYLOADS[request.param]
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        pytest.MonkeyPatch.context() as patch,
        translation.override("en"),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("hostile-media")),
    ):
        patch.setattr(factories, "_sequence", itertools.count(1))
        make_hostile_records(text)
        yield text
        transaction.set_rollback(True)


def make_hostile_records(text: str) -> None:
    pakistan = make_partner(name="Pakistan", name_zh="巴基斯坦", slug="pakistan", country="PK", ilrs_member=True)
    with reversion.create_revision():
        partner = make_partner(name="Harmless partner", slug="hostile", country="IS")
        mission = make_mission(name="Harmless mission", slug="hostile-mission", latitude=10, longitude=20)
    # Launch vehicles and sites are shared records, shown through the missions that use them.
    launched = {
        "launch_vehicle": LaunchVehicle.objects.create(**filled(LaunchVehicle, text)),
        "launch_site": LaunchSite.objects.create(**filled(LaunchSite, text)),
    }
    with reversion.create_revision():
        fill(partner, text)
        mission.launch_vehicle, mission.launch_site = launched.values()
        fill(mission, text)
    make_mission(slug="hostile-mission-2", latitude=-40, longitude=170, **launched, **filled(Mission, text))
    payload = make_payload(mission=mission, providers=[partner, pakistan], **filled(Payload, text))
    PayloadSource.objects.create(payload=payload, url="https://example.org/p", **filled(PayloadSource, text))
    MissionSource.objects.create(mission=mission, url="https://example.org/m", **filled(MissionSource, text))
    PartnerSource.objects.create(partner=partner, url="https://example.org/t", **filled(PartnerSource, text))
    Milestone.objects.create(mission=mission, date=mission.launch_date, **filled(Milestone, text))
    MissionImage.objects.create(
        mission=mission, image=SimpleUploadedFile("moon.png", png_bytes()), **filled(MissionImage, text)
    )
    agreement = make_agreement(slug="hostile-agreement", parties=[partner], **filled(Agreement, text))
    AgreementSource.objects.create(agreement=agreement, url="https://example.org/a", **filled(AgreementSource, text))
    project = make_project(slug="hostile-project", partners=[partner], **filled(CooperationProject, text))
    ProjectSource.objects.create(project=project, url="https://example.org/s", **filled(ProjectSource, text))
    figure = Figure.objects.create(
        key="hostile-figure", editorial_state="published", as_of=mission.launch_date, **filled(Figure, text)
    )
    FigureSource.objects.create(figure=figure, url="https://example.org/f", **filled(FigureSource, text))


def test_every_editor_text_field_of_every_content_model_holds_the_payload(hostile):
    """The fixture's coverage, checked against the models: a new model or text field is either
    filled by the fixture or fails here."""
    checked = 0
    for model in content_models():
        for name in editor_text_fields(model):
            expected = filled(model, hostile)[name]
            if isinstance(model._meta.get_field(name), RichTextField):
                expected = richtext.sanitize(expected)  # rich text is sanitised when saved
            assert model.objects.filter(**{name: expected}).exists(), f"{model.__name__}.{name} never holds the payload"
            checked += 1
    assert checked >= 40
    print(f"\n{checked} editor text fields in {len(content_models())} models")


def test_launch_vehicle_and_site_names_show_as_text_on_the_mission_page(client, hostile):
    for language in LANGUAGES:
        page = body_of(get(client, f"/{language}/missions/hostile-mission/"))
        for model in (LaunchVehicle, LaunchSite):
            name = filled(model, hostile)[f"name_{language.replace('-', '_')}"]
            assert escape(name) in page, (model.__name__, language)


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def body_of(response) -> str:
    return b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")


PUBLIC_PAGES = [
    "/{lang}/",
    "/{lang}/missions/",
    "/{lang}/missions/hostile-mission/",
    "/{lang}/partners/",
    "/{lang}/partners/hostile/",
    "/{lang}/partners/pakistan/",
    "/{lang}/search/?q=alert",
    "/{lang}/missions/?q=alert",
    "/{lang}/partners/?q=alert",
    "/en/missions/timeline/",
    "/en/missions/landing-sites/?highlight=hostile-mission",
    "/en/missions/compare/?m=hostile-mission&m=hostile-mission-2",
    "/en/partners/charts/",
    "/{lang}/figures/",
]
LANGUAGES = ("en", "zh-hans")


def public_pages() -> list[str]:
    return sorted({page.format(lang=language) for page in PUBLIC_PAGES for language in LANGUAGES})


def test_public_pages_never_carry_active_markup(client, hostile):
    """Detail, lists, search results with their highlighted excerpts, compare, timeline, map and
    charts, in both languages; JSON-LD is checked inside each page."""
    for url in public_pages():
        assert dangers(body_of(get(client, url))) == [], url
    # The payload itself as the search: highlighting must not turn it back into markup.
    for path in ["/en/search/", "/en/missions/", "/zh-hans/search/"]:
        response = client.get(path, {"q": hostile[:150]})
        assert response.status_code == 200, path
        assert dangers(body_of(response)) == [], path


FEEDS = ["/en/feed/", "/zh-hans/feed/", "/en/missions/hostile-mission/feed/", "/en/partners/hostile/feed/"]
ATOM = "{http://www.w3.org/2005/Atom}"


def test_feeds_are_well_formed_and_their_html_is_inert(client, hostile):
    """Every element of each feed is an Atom element (no markup broke out of a text), and what a
    feed reader renders as HTML (type="html") is inert."""
    for url in FEEDS:
        feed = ElementTree.fromstring(get(client, url).content)
        entries = 0
        for element in feed.iter():
            assert element.tag.startswith(ATOM), f"{element.tag} in {url}"
            entries += element.tag == f"{ATOM}entry"
            if element.get("type") in ("html", "xhtml"):
                assert dangers(element.text or "") == [], url
        assert entries, url


def test_csv_exports_hold_the_text_as_data(client, hostile):
    """A download, not a page, that gives back exactly what the editor wrote (a formula start
    behind an apostrophe)."""
    for url in ["/en/missions/export.csv", "/en/partners/export.csv", "/zh-hans/missions/export.csv?q=alert"]:
        response = get(client, url)
        assert response["Content-Type"].startswith("text/csv")
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        rows = list(csv.DictReader(io.StringIO(body_of(response))))
        summaries = {row["summary"] for row in rows if row["slug"].startswith("hostile")}
        assert summaries & {hostile, f"'{hostile}"} or "q=" in url, url


API = ["missions", "payloads", "partners", "agreements", "projects"]


# What a browser asks for when a visitor opens an API address.
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def api_urls() -> list[str]:
    urls = [f"/api/v1/{name}/" for name in API] + [f"/api/v1/{name}/?q=alert" for name in API]
    urls += ["/api/v1/missions/hostile-mission/", "/api/v1/partners/hostile/", "/api/v1/agreements/hostile-agreement/"]
    return urls + ["/api/v1/projects/hostile-project/"]


@pytest.fixture
def api_client(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1000000/minute"}}
    return client


def test_api_answers_are_json_with_the_text_as_a_string(api_client, hostile):
    """JSON, with the payload as a JSON string that decodes to exactly what the editor wrote."""
    short = hostile[:100]
    for url in api_urls():
        response = api_client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/json", url
        assert response["X-Content-Type-Options"] == "nosniff"
        if "?q=" not in url:
            assert any(short in text for text in strings_in(response.json())), url


# Which representation the API answers with does not depend on the text inside: one payload is enough.
@pytest.mark.parametrize("hostile", [0], indirect=True, ids=["payload-0"])
def test_api_answers_json_whatever_a_browser_asks_for(api_client, hostile):
    """Never the browsable HTML API, which would render the text into a page: not for a
    browser's Accept header, not for ?format=api."""
    for url in api_urls():
        for asked, query in [({"HTTP_ACCEPT": BROWSER_ACCEPT}, ""), ({}, "format=api")]:
            response = api_client.get(url + (("&" if "?" in url else "?") + query if query else ""), **asked)
            assert response.status_code == 200, (url, asked, query)
            assert response["Content-Type"] == "application/json", (url, asked, query)


def test_citations_keep_the_text_inside_its_field(client, hostile):
    """A BibTeX file whose braces balance: the text cannot close its field and add others."""
    for url in ["/en/missions/hostile-mission/cite.bib", "/en/partners/hostile/cite.bib"]:
        response = get(client, url)
        assert response["Content-Disposition"].startswith("attachment")
        bibtex = response.content.decode()
        depth, closed_at = 0, None
        for position, character in enumerate(bibtex):
            if character == "\\":
                continue
            if character == "{" and bibtex[position - 1] != "\\":
                depth += 1
            elif character == "}" and bibtex[position - 1] != "\\":
                depth -= 1
                if depth == 0 and closed_at is None:
                    closed_at = position
        assert depth == 0 and closed_at == len(bibtex.rstrip()) - 1, url
        assert bibtex.count("@") == 1 or "@" in hostile, url
        assert re.findall(r"^  (\w+) = ", bibtex, re.M) == [
            "title",
            "author",
            "howpublished",
            "year",
            "url",
            "urldate",
            "note",
        ]


ADMIN_MODELS = [Mission, Payload, LaunchVehicle, LaunchSite, Partner, Agreement, CooperationProject, Figure]


def admin_urls() -> list[str]:
    urls = []
    for model in ADMIN_MODELS:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        # The record with a harmless earlier version when there is one, for its comparison.
        records = list(model.objects.order_by("-pk"))
        kept = reversion.is_registered(model)  # launch vehicles and sites keep no versions
        record = next((one for one in records if kept and Version.objects.get_for_object(one).count() >= 2), records[0])
        # The change list once: a search (?q=) shows the same rows through the same columns.
        urls += [base, f"{base}{record.pk}/change/", f"{base}{record.pk}/history/"]
        versions = Version.objects.get_for_object(record) if kept else Version.objects.none()
        if versions.count() >= 2:
            urls.append(
                f"{base}{record.pk}/history/compare/?version_id1={versions.last().pk}&version_id2={versions.first().pk}"
            )
    return urls


def test_admin_pages_never_carry_active_markup_from_content(publisher_client, hostile):
    """Change lists, change forms with their inlines, history, and the comparison of a harmless
    version with the hostile one."""
    urls = admin_urls()
    assert sum("/compare/" in url for url in urls) == 2
    for url in urls:
        html = body_of(get(publisher_client, url))
        # The admin has scripts of its own; what matters is that none came from the content.
        findings = [found for found in dangers(html) if "alert(" in found or "<" in found]
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
