"""Every public page type, in both languages, is valid HTML for the Nu HTML Checker (vnu-jar).

The checker refuses loopback addresses, so the pages are rendered by the test client, from the
demo content plus an uploaded image, saved to files, and checked in one run (the JVM is slow to
start)."""

import io
import json
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.views.defaults import server_error
from PIL import Image

from missions.models import Mission, MissionImage

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "zh-hans"]

# (name, address without the language prefix, expected status): every public page type.
PAGES = [
    ("home", "/", 200),
    ("missions", "/missions/", 200),
    ("missions-filtered", "/missions/?status=completed&type=lander&side=far&international=yes", 200),
    ("missions-dates", "/missions/?launch_date_after=2010-01-01&launch_date_before=2030-12-31&partner=pakistan", 200),
    ("missions-q", "/missions/?q=sample", 200),
    ("missions-q-chinese", "/missions/?q=嫦娥", 200),
    ("missions-none", "/missions/?q=nothing-matches-this", 200),
    ("missions-invalid-filter", "/missions/?status=exploded&launch_date_after=yesterday", 200),
    ("mission", "/missions/chang-e-6/", 200),
    ("mission-upcoming", "/missions/chang-e-8/", 200),
    ("mission-relay", "/missions/queqiao/", 200),
    ("compare", "/missions/compare/?m=chang-e-4&m=chang-e-5&m=chang-e-6", 200),
    ("compare-one", "/missions/compare/?m=chang-e-4", 400),
    ("compare-unknown", "/missions/compare/?m=chang-e-4&m=no-such-mission", 404),
    ("timeline", "/missions/timeline/", 200),
    ("landing-sites", "/missions/landing-sites/", 200),
    ("landing-sites-highlight", "/missions/landing-sites/?highlight=chang-e-6", 200),
    ("partners", "/partners/", 200),
    ("partners-filtered", "/partners/?kind=country&region=europe", 200),
    ("partners-q", "/partners/?q=space", 200),
    ("partner-country", "/partners/pakistan/", 200),
    ("partner-organisation", "/partners/esa/", 200),
    ("partner-ilrs", "/partners/egypt/", 200),
    ("partner-charts", "/partners/charts/", 200),
    ("figures", "/figures/", 200),
    ("search", "/search/?q=Pakistan", 200),
    ("search-chinese", "/search/?q=巴基斯坦", 200),
    ("search-text", "/search/?q=radio", 200),
    ("search-suggestions", "/search/?q=Pakistn", 200),
    ("search-empty", "/search/", 200),
    ("search-blank", "/search/?q=", 200),
    ("not-found", "/no-such-page/", 404),
    ("mission-not-found", "/missions/no-such-mission/", 404),
]
# Pages without a language prefix.
UNPREFIXED = [("api-docs", "/api/v1/docs/", 200)]
# Not HTML, so not for the checker: the Atom feeds, the sitemap, robots.txt, CSV and BibTeX.
NOT_HTML = ["/en/feed/", "/en/missions/chang-e-6/feed/", "/sitemap.xml", "/robots.txt", "/en/missions/export.csv"]


@pytest.fixture
def demo_content():
    call_command("load_demo_content", stdout=io.StringIO())
    # An uploaded picture, so that the detail page shows its <picture> with renditions.
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 900), "gray").save(buffer, "JPEG")
    MissionImage(
        mission=Mission.objects.get(slug="chang-e-6"),
        image=SimpleUploadedFile("lander.jpg", buffer.getvalue()),
        alt_text="The Chang'e-6 lander on the far side",
        caption="The lander, seen from its ascent vehicle.",
        credit="CNSA/CLEP",
    ).save()


def rendered_pages() -> dict[str, bytes]:
    """File name -> HTML of every page, after checking that each answers as expected."""
    client = Client()
    pages = {}
    addresses = [
        (f"{name}.{language}", f"/{language}{path}", status) for language in LANGUAGES for name, path, status in PAGES
    ]
    for name, address, status in [*addresses, *UNPREFIXED]:
        response = client.get(address)
        assert response.status_code == status, f"{address} answered {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), address
        pages[f"{name}.html"] = response.content
    # Error pages Django renders itself: a malformed request (too many parameters), a crash
    # (500.html) and a database that does not answer (503.html).
    too_many = "&".join(f"p{number}=1" for number in range(1100))
    response = client.get(f"/en/missions/?{too_many}")
    assert response.status_code == 400
    pages["bad-request.html"] = response.content
    request = RequestFactory().get("/en/")
    pages["server-error.html"] = server_error(request).content
    pages["database-unavailable.html"] = render_to_string("503.html").encode()  # as its middleware does
    return pages


def vnu_errors(vnu_command, files) -> list[dict]:
    result = subprocess.run(
        [*vnu_command, "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # vnu writes its JSON report to stderr, and exits 1 when it found errors.
    report = json.loads(result.stderr)
    return report["messages"]


def test_every_public_page_is_valid_html(demo_content, vnu_command, tmp_path):
    pages = rendered_pages()
    folder = tmp_path / "pages"  # beside the test's media folder
    folder.mkdir()
    for name, html in pages.items():
        (folder / name).write_bytes(html)
    messages = vnu_errors(vnu_command, sorted(folder.iterdir()))
    print(f"Nu HTML Checker: {len(pages)} pages checked, {len(messages)} errors.")
    problems = [
        f"{message['url'].rsplit('/', 1)[-1]}:{message.get('lastLine', '?')}: {message['message']}"
        f"\n    {' '.join(message.get('extract', '').split())}"
        for message in messages
    ]
    assert not problems, f"{len(problems)} HTML errors in {len(pages)} pages:\n" + "\n".join(problems)


@pytest.mark.parametrize("address", NOT_HTML)
def test_feeds_sitemap_and_exports_are_not_html(chang_e_6, client, address):
    """They are not for the HTML checker; this keeps the list above honest (a mission of their
    own is enough: what a response is does not depend on how much content it holds)."""
    response = client.get(address)
    assert response.status_code == 200
    assert not response["Content-Type"].startswith("text/html")


def test_an_invalid_date_in_the_address_is_not_echoed_into_the_date_field(client):
    """A type="date" field holds an ISO date or nothing; the error still says what was wrong."""
    html = client.get("/en/missions/?launch_date_after=yesterday&launch_date_before=2024-1-1").content.decode()
    assert 'name="launch_date_after" value=' not in html
    assert "Enter a valid date." in html
    assert 'name="launch_date_before" value="2024-01-01"' in html  # the date the filter used
    html = client.get("/en/missions/?launch_date_after=2024-01-31&launch_date_before=12/31/2024").content.decode()
    assert 'name="launch_date_after" value="2024-01-31"' in html
    assert 'name="launch_date_before" value="2024-12-31"' in html
