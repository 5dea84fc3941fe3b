"""nginx from deploy/nginx.conf, filled as docs/deploy.md says, in front of two real app servers:
public pages answered from nginx's cache for SHARED_CACHE_SECONDS, never anything private; static
files pre-compressed; links keeping the visitor's host and port; the access log naming the app
server that answered; a page of nginx's own when none does. The tests with app servers need
PostgreSQL and Redis (CI has both)."""

import gzip
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from bench import nginx
from publishing.models import EditorialState
from tests.factories import make_mission
from tests.servers import SHARED_CACHE_SECONDS, free_port

pytestmark = pytest.mark.skipif(not nginx.available(), reason=nginx.MISSING)
# Short, so that the test waits for it: production's default is 30 s.


@pytest.fixture(scope="module")
def static_root():
    """The static files as a deploy collects them, where nginx's workers may read them."""
    root = Path(tempfile.mkdtemp(prefix="static-"))
    root.chmod(0o755)
    (root / "media").mkdir()
    (root / "media" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    collected = root / "static"
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SECRET_KEY": settings.SECRET_KEY, "DJANGO_STATIC_ROOT": str(collected)},
        check=True,
    )
    yield collected
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def proxy(two_app_servers, static_root):
    with nginx.nginx(two_app_servers, static_root, static_root.parent / "media") as running:
        yield running


def get(proxy, path, **headers):
    """(status, headers, body) of a GET through nginx; the body as sent (gzip stays gzip)."""
    request = urllib.request.Request(proxy.base + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def page(proxy, path, **headers) -> str:
    status, _, body = get(proxy, path, **headers)
    assert status == 200, (path, status)
    return body.decode()


def logged(proxy, path, count) -> list[str]:
    """The last `count` access log lines for GET `path`. Each nginx worker writes its lines every
    second: their order is not that of the requests."""
    pattern = re.compile(rf'"GET {re.escape(path)} HTTP/1\.1"')
    deadline = time.monotonic() + 5
    while True:
        lines = [line for line in proxy.access_log.read_text().splitlines() if pattern.search(line)]
        if len(lines) >= count or time.monotonic() > deadline:
            return lines[-count:]
        time.sleep(0.1)


def answered_by_app(line: str) -> bool:
    return "upstream=127.0.0.1:" in line and "cache=HIT" not in line


# The template and the deploy guide.


def test_the_deploy_guide_fills_the_configuration_as_the_tests_do():
    guide = (settings.BASE_DIR / "docs" / "deploy.md").read_text()
    assert shlex.join(nginx.envsubst_command()) in guide
    template = nginx.CONFIG.read_text()
    assert set(re.findall(r"\$\{(\w+)\}", template)) == set(nginx.VARIABLES)
    filled = nginx.filled_config({name: f"/x/{name}" for name in nginx.VARIABLES})
    assert "${" not in filled and "$http_host" in filled and "$upstream_addr" in filled  # nginx's own stay


# Through nginx's cache.


def test_a_public_page_is_answered_by_nginx_until_shared_cache_seconds_have_passed(proxy, two_app_servers):
    mission = make_mission(name="Chang'e-7", slug="chang-e-7", state=EditorialState.DRAFT)
    assert "chang-e-7" not in page(proxy, "/en/missions/")
    assert "chang-e-7" not in page(proxy, "/en/missions/")
    lines = logged(proxy, "/en/missions/", 2)
    assert [answered_by_app(line) for line in lines].count(True) == 1
    assert any("upstream=- " in line and "cache=HIT" in line for line in lines)  # no app server asked

    mission.editorial_state = EditorialState.PUBLISHED
    mission.save()
    published = time.monotonic()
    assert "chang-e-7" not in page(proxy, "/en/missions/")  # nginx's copy, still current
    while "chang-e-7" not in page(proxy, "/en/missions/"):
        assert time.monotonic() - published < SHARED_CACHE_SECONDS + 1, "the publish is not seen through nginx"
        time.sleep(0.1)
    assert time.monotonic() - published >= SHARED_CACHE_SECONDS - 1


def test_a_current_copy_answers_304_from_nginx(proxy):
    make_mission(name="Chang'e-6", slug="chang-e-6")
    status, headers, _ = get(proxy, "/en/missions/chang-e-6/")
    assert status == 200 and headers["ETag"]
    assert headers["Cache-Control"] == f"public, max-age=0, s-maxage={SHARED_CACHE_SECONDS}"
    status, _, body = get(proxy, "/en/missions/chang-e-6/", **{"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""
    assert any(" 304 " in line and "cache=HIT" in line for line in logged(proxy, "/en/missions/chang-e-6/", 2))


def test_sessions_csrf_tokens_the_admin_and_previews_never_come_from_nginx_cache(proxy, django_user_model):
    make_mission(name="Chang'e-6", slug="chang-e-6")
    draft = make_mission(name="Chang'e-9 draft", slug="chang-e-9", state=EditorialState.DRAFT)
    editor = Client()  # a superuser: the groups migrations make are gone between transactional tests
    editor.force_login(django_user_model.objects.create_superuser("pat", password="a-long-test-password"))
    session = f"{settings.SESSION_COOKIE_NAME}={editor.cookies[settings.SESSION_COOKIE_NAME].value}"
    page(proxy, "/en/missions/")
    page(proxy, "/en/missions/")  # now in nginx's cache
    for cookie in (session, "csrftoken=abcdefghijklmnopqrstuvwxyz012345"):
        page(proxy, "/en/missions/", Cookie=cookie)
    lines = logged(proxy, "/en/missions/", 4)
    assert [answered_by_app(line) and "cache=BYPASS" in line for line in lines].count(True) == 2
    preview = f"/en/missions/{draft.slug}/preview/"
    for path in (preview, "/admin/missions/mission/"):
        for _ in range(2):
            assert "Chang&#x27;e-9 draft" in page(proxy, path, Cookie=session)
        assert all(answered_by_app(line) for line in logged(proxy, path, 2)), path
    assert get(proxy, preview)[0] == 404  # a staff member's copy is never anyone else's
    assert "Chang&#x27;e-9 draft" not in page(proxy, "/admin/missions/mission/")  # the login page


def test_the_api_and_health_checks_never_wait_on_nginx_cache(proxy):
    """Never public, so never looked up: a lookup of an address nginx cannot keep makes concurrent
    requests for it wait on one another's cache lock, half a second at a time."""
    for path in ("/api/v1/missions/", "/healthz"):
        for _ in range(2):
            assert get(proxy, path)[0] == 200
        assert all("cache=BYPASS" in line for line in logged(proxy, path, 2)), path


# What nginx itself does.


def test_static_files_are_sent_as_their_precompressed_copy(proxy, static_root):
    css = (static_root / "css" / "site.css").read_bytes()
    status, headers, body = get(proxy, "/static/css/site.css", **{"Accept-Encoding": "gzip, deflate, br"})
    assert status == 200 and headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in headers["Vary"]
    assert body == (static_root / "css" / "site.css.gz").read_bytes() and gzip.decompress(body) == css
    assert len(body) < len(css) / 2
    status, headers, body = get(proxy, "/static/css/site.css")
    assert status == 200 and "Content-Encoding" not in headers and body == css
    assert "immutable" in headers["Cache-Control"]


def test_media_is_served_from_disk_never_as_a_page(proxy):
    status, headers, _ = get(proxy, "/media/photo.jpg")
    assert status == 200 and headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in headers["Content-Security-Policy"]


def test_links_keep_the_host_and_port_the_visitor_used(proxy):
    make_mission(name="Chang'e-6", slug="chang-e-6")
    origin = f"http://127.0.0.1:{proxy.port}"
    assert f'<link rel="canonical" href="{origin}/en/missions/chang-e-6/">' in page(proxy, "/en/missions/chang-e-6/")
    assert f"<loc>{origin}/en/missions/chang-e-6/</loc>" in page(proxy, "/sitemap.xml")
    assert f'"{origin}/api/v1/missions/chang-e-6/"' in page(proxy, "/api/v1/missions/")


def test_the_access_log_names_the_app_server_that_answered(proxy, two_app_servers):
    for _ in range(4):
        page(proxy, "/healthz")  # never cached: each goes to an app server, in turn
    answered = {re.search(r"upstream=127\.0\.0\.1:(\d+)", line).group(1) for line in logged(proxy, "/healthz", 4)}
    assert answered == {str(port) for port in two_app_servers}


def test_nginx_answers_a_page_of_its_own_when_no_app_server_does(static_root):
    with nginx.nginx([free_port()], static_root, static_root.parent / "media") as proxy:
        status, headers, body = get(proxy, "/en/missions/")
    assert status == 503 and headers["Retry-After"] == "30" and headers["Content-Type"].startswith("text/html")
    text = body.decode()
    assert "Back in a moment" in text and "门户暂时无法响应" in text and "nginx" not in text
    assert "no-store" in headers["Cache-Control"]
