"""Known XSS payloads (tests/data/xss.txt) through every editor text field of every content model,
found from the models themselves: escaped (plain text) or sanitised (rich text) on every public
page, feed, export, API answer, citation and admin page."""

import csv
import io
import itertools
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urljoin
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


# Each payload's partner names a country of its own (a country is one partner).
COUNTRIES = [
    "IS", "NO", "FI", "DK", "SE", "IE", "PT", "GR", "CY", "MT", "EE", "LV", "LT", "PL", "CZ", "SK", "HU",
    "SI", "HR", "RO", "BG", "RS", "ME", "AL", "MK", "BA", "MD", "UA", "GE", "AM", "AZ", "KZ", "UZ", "KG",
]  # fmt: skip


class Hostile(NamedTuple):
    """One payload and the addresses of the records holding it."""

    number: int
    text: str
    records: dict  # model → that payload's record of it

    @property
    def mission(self) -> str:
        return self.records[Mission].slug

    @property
    def partner(self) -> str:
        return self.records[Partner].slug

    @property
    def neighbour(self) -> str:
        """Another payload's mission, to compare this one with."""
        return mission_slug((self.number + 1) % len(PAYLOADS))


def mission_slug(number: int) -> str:
    return f"hostile-mission-{number}"


@pytest.fixture(scope="module")
def hostile_site(django_db_setup, django_db_blocker, tmp_path_factory) -> dict[int, dict]:
    """For every payload, a published record of every content model with every editor text field
    holding that payload; each payload's mission and partner also have a harmless earlier version,
    so that their history and its comparison show the payload. All payloads are in the database
    together, as a site's content would be: a list, a search, a feed or an export shows them all
    in one answer, checked once, and a record's own pages are checked for its payload.

    Built once for the module's tests, inside a transaction rolled back after the last of them;
    each test's own writes roll back to a savepoint within it. The records are made as a test's
    would be: numbered from one, in English, their uploads in a folder of their own."""
    assert len(COUNTRIES) >= len(PAYLOADS), "a country for each payload's partner"
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        pytest.MonkeyPatch.context() as patch,
        translation.override("en"),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("hostile-media")),
    ):
        patch.setattr(factories, "_sequence", itertools.count(1))
        pakistan = make_partner(name="Pakistan", name_zh="巴基斯坦", slug="pakistan", country="PK", ilrs_member=True)
        yield {number: make_hostile_records(number, text, pakistan) for number, text in enumerate(PAYLOADS)}
        transaction.set_rollback(True)


@pytest.fixture(params=range(len(PAYLOADS)), ids=lambda i: f"payload-{i}")
def hostile(request, hostile_site) -> Hostile:
    return Hostile(request.param, PAYLOADS[request.param], hostile_site[request.param])


def make_hostile_records(number: int, text: str, pakistan: Partner) -> dict:
    with reversion.create_revision():
        partner = make_partner(name="Harmless partner", slug=f"hostile-{number}", country=COUNTRIES[number])
        mission = make_mission(
            name="Harmless mission",
            slug=mission_slug(number),
            # Spread over the Moon's face, so that the map places every label.
            latitude=-80 + 160 * number / len(PAYLOADS),
            longitude=-175 + 350 * (number * 7 % len(PAYLOADS)) / len(PAYLOADS),
        )
    # Launch vehicles and sites are shared records, shown through the missions that use them.
    launch_vehicle = LaunchVehicle.objects.create(**filled(LaunchVehicle, text))
    launch_site = LaunchSite.objects.create(**filled(LaunchSite, text))
    with reversion.create_revision():
        fill(partner, text)
        mission.launch_vehicle, mission.launch_site = launch_vehicle, launch_site
        fill(mission, text)
    payload = make_payload(mission=mission, providers=[partner, pakistan], **filled(Payload, text))
    PayloadSource.objects.create(payload=payload, url="https://example.org/p", **filled(PayloadSource, text))
    MissionSource.objects.create(mission=mission, url="https://example.org/m", **filled(MissionSource, text))
    # Sources with no web address, named as text instead of a link, in a list and in a line.
    MissionSource.objects.create(mission=mission, url="", **filled(MissionSource, text))
    PayloadSource.objects.create(payload=payload, url="", **filled(PayloadSource, text))
    PartnerSource.objects.create(partner=partner, url="https://example.org/t", **filled(PartnerSource, text))
    Milestone.objects.create(mission=mission, date=mission.launch_date, **filled(Milestone, text))
    MissionImage.objects.create(
        mission=mission, image=SimpleUploadedFile("moon.png", png_bytes()), **filled(MissionImage, text)
    )
    agreement = make_agreement(slug=f"hostile-agreement-{number}", parties=[partner], **filled(Agreement, text))
    AgreementSource.objects.create(agreement=agreement, url="https://example.org/a", **filled(AgreementSource, text))
    project = make_project(slug=f"hostile-project-{number}", partners=[partner], **filled(CooperationProject, text))
    ProjectSource.objects.create(project=project, url="https://example.org/s", **filled(ProjectSource, text))
    figure = Figure.objects.create(
        key=f"hostile-figure-{number}",
        editorial_state="published",
        as_of=mission.launch_date,
        **filled(Figure, text),
    )
    FigureSource.objects.create(figure=figure, url="https://example.org/f", **filled(FigureSource, text))
    return {
        Mission: mission,
        Payload: payload,
        LaunchVehicle: launch_vehicle,
        LaunchSite: launch_site,
        Partner: partner,
        Agreement: agreement,
        CooperationProject: project,
        Figure: figure,
    }


def test_every_editor_text_field_of_every_content_model_holds_the_payload(hostile):
    """The fixture's coverage, checked against the models: a new model or text field is either
    filled by the fixture or fails here."""
    checked = 0
    for model in content_models():
        for name in editor_text_fields(model):
            expected = filled(model, hostile.text)[name]
            if isinstance(model._meta.get_field(name), RichTextField):
                expected = richtext.sanitize(expected)  # rich text is sanitised when saved
            assert model.objects.filter(**{name: expected}).exists(), f"{model.__name__}.{name} never holds the payload"
            checked += 1
    assert checked >= 40
    print(f"\n{checked} editor text fields in {len(content_models())} models")


def test_launch_vehicle_and_site_names_show_as_text_on_the_mission_page(client, hostile):
    for language in LANGUAGES:
        page = body_of(get(client, f"/{language}/missions/{hostile.mission}/"))
        for model in (LaunchVehicle, LaunchSite):
            name = filled(model, hostile.text)[f"name_{language.replace('-', '_')}"]
            assert escape(name) in page, (model.__name__, language)


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def body_of(response) -> str:
    return b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")


def every_page_of(client, url) -> list[str]:
    """The page at `url` and every page after it (its "Next" links)."""
    pages = [body_of(get(client, url))]
    while found := re.search(r'<a href="([^"]*)" rel="next">', pages[-1]):
        pages.append(body_of(get(client, urljoin(url, unescape(found[1])))))
    return pages


LANGUAGES = ("en", "zh-hans")
# Pages that show many records: every payload is on them at once (through every page of a list).
SHARED_PAGES = [
    "/{lang}/",
    "/{lang}/missions/",
    "/{lang}/partners/",
    "/{lang}/partners/pakistan/",  # every payload's instrument, which Pakistan provides too
    "/{lang}/search/?q=alert",
    "/{lang}/missions/?q=alert",
    "/{lang}/partners/?q=alert",
    "/en/missions/timeline/",
    "/en/partners/charts/",
    "/{lang}/figures/",
]
# The lists whose every page is followed, and what they list (addresses without the language).
LISTS = {"missions/": Mission, "partners/": Partner}
# A record's own pages, for the records of one payload.
RECORD_PAGES = [
    "/{lang}/missions/{mission}/",
    "/{lang}/partners/{partner}/",
    "/en/missions/compare/?m={mission}&m={neighbour}",
    "/en/missions/landing-sites/?highlight={mission}",
]


def in_both_languages(pages: list[str], **slugs) -> list[str]:
    return sorted({page.format(lang=language, **slugs) for page in pages for language in LANGUAGES})


@pytest.mark.parametrize("url", in_both_languages(SHARED_PAGES))
def test_pages_listing_every_payload_never_carry_active_markup(client, hostile_site, url):
    """Home, lists, search results with their highlighted excerpts, timeline, charts and figures,
    in both languages; JSON-LD is checked inside each page."""
    pages = every_page_of(client, url)
    for number, html in enumerate(pages, start=1):
        assert dangers(html) == [], f"{url}, page {number}"
    listed = LISTS.get(url.split("/", 2)[-1])
    if listed:  # the list really showed every payload's record, page after page
        shown = "".join(pages)
        for records in hostile_site.values():
            address = records[listed].get_absolute_url().split("/", 2)[-1]
            assert f'{address}"' in shown, f"{address} on no page of {url}"


def test_a_records_own_pages_never_carry_active_markup(client, hostile):
    """Mission and partner pages, a comparison and the highlighted map, in both languages."""
    slugs = {"mission": hostile.mission, "partner": hostile.partner, "neighbour": hostile.neighbour}
    for url in in_both_languages(RECORD_PAGES, **slugs):
        assert dangers(body_of(get(client, url))) == [], url


def test_the_payload_as_a_search_is_never_turned_back_into_markup(client, hostile):
    for path in ["/en/search/", "/en/missions/", "/zh-hans/search/"]:
        response = client.get(path, {"q": hostile.text[:150]})
        assert response.status_code == 200, path
        assert dangers(body_of(response)) == [], path


ATOM = "{http://www.w3.org/2005/Atom}"


def assert_well_formed_and_inert(client, url):
    """Every element of the feed is an Atom element (no markup broke out of a text), and what a
    feed reader renders as HTML (type="html") is inert."""
    feed = ElementTree.fromstring(get(client, url).content)
    entries = 0
    for element in feed.iter():
        assert element.tag.startswith(ATOM), f"{element.tag} in {url}"
        entries += element.tag == f"{ATOM}entry"
        if element.get("type") in ("html", "xhtml"):
            assert dangers(element.text or "") == [], url
    assert entries, url


@pytest.mark.parametrize("url", ["/en/feed/", "/zh-hans/feed/"])
def test_the_site_feeds_are_well_formed_and_their_html_is_inert(client, hostile_site, url):
    assert_well_formed_and_inert(client, url)


def test_a_records_feeds_are_well_formed_and_their_html_is_inert(client, hostile):
    for url in [f"/en/missions/{hostile.mission}/feed/", f"/en/partners/{hostile.partner}/feed/"]:
        assert_well_formed_and_inert(client, url)


@pytest.mark.parametrize(
    "url", ["/en/missions/export.csv", "/en/partners/export.csv", "/zh-hans/missions/export.csv?q=alert"]
)
def test_csv_exports_hold_the_text_as_data(client, hostile_site, url):
    """A download, not a page, that gives back exactly what the editor wrote (a formula start
    behind an apostrophe)."""
    response = get(client, url)
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    rows = list(csv.DictReader(io.StringIO(body_of(response))))
    summaries = {row["summary"] for row in rows if row["slug"].startswith("hostile")}
    if "q=" not in url:
        for text in PAYLOADS:
            assert summaries & {text, f"'{text}"}, (url, text)


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


# Every payload's record on one page of each collection.
API_COLLECTIONS = [f"/api/v1/{name}/?page_size=100" for name in API] + [f"/api/v1/{name}/?q=alert" for name in API]


def api_records(hostile: Hostile) -> list[str]:
    return [
        f"/api/v1/missions/{hostile.mission}/",
        f"/api/v1/partners/{hostile.partner}/",
        f"/api/v1/agreements/{hostile.records[Agreement].slug}/",
        f"/api/v1/projects/{hostile.records[CooperationProject].slug}/",
    ]


@pytest.fixture
def api_client(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1000000/minute"}}
    return client


def assert_json_with_the_text_as_a_string(response, url, texts):
    """JSON, with each payload as a JSON string that decodes to exactly what the editor wrote."""
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/json", url
    assert response["X-Content-Type-Options"] == "nosniff"
    strings = list(strings_in(response.json()))
    for text in texts:
        assert any(text[:100] in string for string in strings), (url, text)


@pytest.mark.parametrize("url", API_COLLECTIONS)
def test_api_collections_are_json_with_the_text_as_a_string(api_client, hostile_site, url):
    assert_json_with_the_text_as_a_string(api_client.get(url), url, [] if "?q=" in url else PAYLOADS)


def test_api_records_are_json_with_the_text_as_a_string(api_client, hostile):
    for url in api_records(hostile):
        assert_json_with_the_text_as_a_string(api_client.get(url), url, [hostile.text])


def test_api_answers_json_whatever_a_browser_asks_for(api_client, hostile_site):
    """Never the browsable HTML API, which would render the text into a page: not for a
    browser's Accept header, not for ?format=api. Which representation the API answers with does
    not depend on the text inside: one payload's records are enough."""
    for url in API_COLLECTIONS + api_records(Hostile(0, PAYLOADS[0], hostile_site[0])):
        for asked, query in [({"HTTP_ACCEPT": BROWSER_ACCEPT}, ""), ({}, "format=api")]:
            response = api_client.get(url + (("&" if "?" in url else "?") + query if query else ""), **asked)
            assert response.status_code == 200, (url, asked, query)
            assert response["Content-Type"] == "application/json", (url, asked, query)


def test_citations_keep_the_text_inside_its_field(client, hostile):
    """A BibTeX file whose braces balance: the text cannot close its field and add others."""
    for url in [f"/en/missions/{hostile.mission}/cite.bib", f"/en/partners/{hostile.partner}/cite.bib"]:
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
        assert bibtex.count("@") == 1 or "@" in hostile.text, url
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


def admin_base(model) -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/"


def admin_record_urls(hostile: Hostile) -> list[str]:
    """Each model's change form and history for the payload's record, and the comparison of its
    harmless earlier version with the hostile one where there is one."""
    urls = []
    for model in ADMIN_MODELS:
        record = hostile.records[model]
        base = f"{admin_base(model)}{record.pk}/"
        urls += [f"{base}change/", f"{base}history/"]
        versions = Version.objects.get_for_object(record) if reversion.is_registered(model) else Version.objects.none()
        if versions.count() >= 2:
            urls.append(f"{base}history/compare/?version_id1={versions.last().pk}&version_id2={versions.first().pk}")
    return urls


def dangers_from_content(html: str) -> list[str]:
    """An admin page's dangers: the admin has scripts of its own; what matters is that none came
    from the content."""
    findings = [found for found in dangers(html) if "alert(" in found or "<" in found]
    return [found for found in findings if found != "<svg>"]  # the admin's own icon sprite


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model.__name__)
def test_admin_change_lists_never_carry_active_markup_from_content(publisher_client, hostile_site, model):
    """Every payload's record in one change list (a search, ?q=, shows the same rows through the
    same columns)."""
    html = body_of(get(publisher_client, admin_base(model)))
    assert all(f"/{records[model].pk}/change/" in html for records in hostile_site.values()), "a record not listed"
    assert dangers_from_content(html) == []


def test_admin_forms_and_history_never_carry_active_markup_from_content(publisher_client, hostile):
    """Change forms with their inlines, history, and the comparison of a harmless version with
    the hostile one."""
    urls = admin_record_urls(hostile)
    assert sum("/compare/" in url for url in urls) == 2
    for url in urls:
        assert dangers_from_content(body_of(get(publisher_client, url))) == [], url


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
