"""The site in a real browser: Debian's Chromium driven by Playwright, against gunicorn serving
the site from the test database (SQLite or PostgreSQL, whichever the suite runs on).

One browser and one server for this package, Lighthouse's runs included (tests/passes.py keeps
these tests on one worker); each test gets fresh browser contexts (no cookies) and a database
emptied after it (transactional tests: the server process only sees committed data).
"""

import dataclasses
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import environ
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections
from PIL import Image

from missions.models import Mission, MissionImage
from tests.servers import gunicorn, server_environment

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PASSWORD = "a-long-browser-test-password"

# Every test here drives the browser against the server process, which sees only committed data.
# serialized_rollback: the emptied database gets back what the migrations put in it (the
# Editors and Publishers groups, mission types) before each test.
BROWSER_TEST = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


class AxeRun:
    """What axe-core checked in this run (tests/browser/test_accessibility.py), for the summary."""

    def __init__(self):
        self.pages = []  # (address, width)
        self.not_ours = set()  # violations in Django's admin's own code, let through one by one


AXE_RUN = AxeRun()


def pytest_terminal_summary(terminalreporter):
    if AXE_RUN.pages:
        terminalreporter.write_sep("-", "axe-core")
        languages = sorted(
            {path.split("/")[1] for path, _width in AXE_RUN.pages if path.startswith(("/en/", "/zh-hans/"))}
        )
        terminalreporter.write_line(
            f"axe-core checked {len(AXE_RUN.pages)} pages ({len(set(AXE_RUN.pages))} distinct address and width;"
            f" languages: {', '.join(languages)}) against WCAG 2.0, 2.1 and 2.2 A and AA."
        )
        for problem in sorted(AXE_RUN.not_ours):
            terminalreporter.write_line(f"  Not ours, let through: {problem}")
    screenshots = artifacts_dir() / "screenshots"
    if screenshots.is_dir():
        terminalreporter.write_line(f"Screenshots of the key pages: {screenshots}")


def artifacts_dir() -> Path:
    """Screenshots and the server's log: LUNARPORTAL_TEST_ARTIFACTS, or test-artifacts/ (gitignored)."""
    return Path(os.environ.get("LUNARPORTAL_TEST_ARTIFACTS") or settings.BASE_DIR / "test-artifacts")


@pytest.fixture(scope="package")
def browser():
    """One Chromium for every browser test (they all live in this package)."""
    if not CHROMIUM.exists():
        reason = f"Chromium is missing ({CHROMIUM}): install it with .ci/install-browser (apt-get install chromium)."
        if os.environ.get("CI"):
            pytest.fail(reason + " CI never skips the browser tests.")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API keeps an event loop running in this thread; Django would then
    # refuse the tests' own ORM calls as if they came from async code. They do not: allow them,
    # while Playwright runs only.
    allowed = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    before = {alias: connections[alias] for alias in connections}
    try:
        with sync_playwright() as playwright:
            # With an event loop running, Django hands this thread other connection objects
            # (asgiref's Local): they must know the migrations' data that pytest-django keeps
            # on the first ones, for serialized_rollback to restore it after each test.
            for alias, earlier in before.items():
                if hasattr(earlier, "_test_serialized_contents"):
                    connections[alias]._test_serialized_contents = earlier._test_serialized_contents
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
            connections.close_all()  # those other connections, or PostgreSQL's test database stays in use
    finally:
        if allowed is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = allowed


@pytest.fixture(scope="package")
def server_database(django_db_setup, django_db_blocker):
    """The test database, where a server process can open it. PostgreSQL's already is. SQLite's
    is in memory: it is copied (schema, migration data) to a file, and the tests of this package
    use that file; the in-memory database, kept open meanwhile, is back for the tests after."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        # The last test emptied the database without recreating what the migrations put in it
        # (serialized_rollback does that before a test): back for the tests after this package.
        with django_db_blocker.unblock():
            if hasattr(connection, "_test_serialized_contents"):
                connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
        return
    directory = Path(tempfile.mkdtemp(prefix="lunarportal-browser-db-"))
    memory_name = connection.settings_dict["NAME"]
    with django_db_blocker.unblock():
        keep_alive = sqlite3.connect(memory_name, uri=True)
        with sqlite3.connect(directory / "db.sqlite3") as file_database:
            keep_alive.backup(file_database)
        file_database.close()
        connection.close()
        connection.settings_dict["NAME"] = str(directory / "db.sqlite3")
        connection.close()  # a file database really closes; the next query opens the file
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            connection.close()
            connection.settings_dict["NAME"] = memory_name
            connection.ensure_connection()  # before the last other connection closes, or it vanishes
            keep_alive.close()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="package")
def site(server_database):
    """gunicorn serving the site as in production (debug off, WhiteNoise serving collected,
    compressed static files), over plain http on loopback."""
    directory = Path(tempfile.mkdtemp(prefix="lunarportal-browser-site-"))
    static_root, media_root = directory / "static", directory / "media"
    # The test process and the server share one page cache, as app servers do in production: a
    # record a test writes makes the server forget its cached pages. Redis when the suite has it.
    cache_url = os.environ.get("CACHE_URL") or f"filecache://{directory / 'cache'}"
    environment = server_environment(
        DJANGO_ENV_FILE=str(directory / "no.env"),  # nothing from a developer's .env
        DJANGO_DEBUG="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_ALLOW_INSECURE="1",
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_MEDIA_ROOT=str(media_root),
        DJANGO_SERVE_MEDIA="1",
        CACHE_URL=cache_url,
        DJANGO_LOG_FORMAT="text",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_REQUEST_LOG_LEVEL="WARNING",
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env=environment,
        check=True,
    )
    artifacts_dir().mkdir(parents=True, exist_ok=True)
    # Two workers, as in production: a page's styles, scripts and images load side by side
    # (Lighthouse times them: tests/browser/test_lighthouse.py).
    with (
        (artifacts_dir() / "browser-server.log").open("w") as log,
        gunicorn(environment, workers=2, log_file=log) as port,
    ):
        yield Site(f"http://127.0.0.1:{port}", media_root, cache_url)
    shutil.rmtree(directory, ignore_errors=True)


@dataclasses.dataclass
class Site:
    url: str
    media_root: Path
    cache_url: str


@pytest.fixture(autouse=True)
def same_cache_and_media_as_the_server(request, settings):
    """What a test writes itself (factories, images) lands where the server reads it."""
    if "site" not in request.fixturenames:
        return
    site = request.getfixturevalue("site")
    settings.CACHES = {**settings.CACHES, "default": environ.Env.cache_url_config(site.cache_url)}
    settings.MEDIA_ROOT = site.media_root
    cache.clear()


@pytest.fixture
def new_page(browser, site):
    """Open a page in a fresh browser context (its own cookies): `new_page(viewport=PHONE)`.
    Every page opened fails the test at the end if it logged a JavaScript error or a
    Content-Security-Policy violation, or one of its resources was missing."""
    contexts, problems = [], []

    def open_page(**options):
        context = browser.new_context(base_url=site.url, locale="en-GB", **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"{page.url}: JavaScript error: {error}"))
        page.on("console", lambda message: console_error(page, message))
        page.on("response", lambda response: failed_resource(page, response))
        return page

    def console_error(page, message):
        # A page a test expects to be missing (404) is not a problem; a missing stylesheet,
        # script or image is (reported below by its response, with its address).
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"{page.url}: console: {message.text}")

    def failed_resource(page, response):
        if response.status >= 400 and response.request.resource_type != "document":
            problems.append(f"{page.url}: {response.status} for {response.url}")

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def make_staff(django_user_model):
    """A staff account in the Editors or Publishers group, with PASSWORD."""

    def make(username: str, group: str):
        user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def demo_content():
    """The demo content (eleven missions, their payloads and partners, agreements, projects),
    and a photograph on Chang'e-6: pages as full as the real site's."""
    call_command("load_demo_content", verbosity=0)
    photo = png_photo()
    MissionImage.objects.create(
        mission=Mission.objects.get(slug="chang-e-6"),
        image=SimpleUploadedFile(photo["name"], photo["buffer"]),
        alt_text="The Chang'e-6 lander on the far side",
        caption="The lander, photographed by its rover.",
        credit="CNSA/CLEP",
    )


def png_photo() -> dict:
    """A small real PNG, as a file chooser hands it to the browser."""
    buffer = io.BytesIO()
    Image.radial_gradient("L").resize((320, 200)).convert("RGB").save(buffer, "PNG")
    return {"name": "lander.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def rich_text(page, field_id: str):
    """The rich text editor that replaced the textarea `field_id`."""
    return page.locator(f"div:has(> #{field_id}), div:has(> * > #{field_id})").locator("[contenteditable=true]").first


def log_in(page, username: str, password: str = PASSWORD) -> None:
    """Sign in to the admin through its login form, as a person would."""
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def without_horizontal_overflow(page) -> bool:
    """Nothing wider than the window: no sideways scrolling on a phone."""
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
