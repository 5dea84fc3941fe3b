"""nginx from deploy/nginx.conf in front of two app servers: pages, static files and media, and a
change seen through either server at once. Needs nginx, PostgreSQL and Redis (CI has all three)."""

import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from publishing.models import EditorialState
from tests.factories import make_mission
from tests.production.test_caching import two_app_servers  # noqa: F401 - a fixture
from tests.servers import fetch, free_port

pytestmark = pytest.mark.django_db(transaction=True)
NGINX = Path("/usr/sbin/nginx")


@pytest.fixture
def proxy(two_app_servers):  # noqa: F811 - the imported fixture
    if not NGINX.exists():
        pytest.skip("Needs nginx (CI installs it: apt-get install nginx).")
    run_dir = Path(tempfile.mkdtemp(prefix="nginx-"))
    run_dir.chmod(0o755)  # nginx's workers run as an unprivileged user: they must read the files
    media_root = run_dir / "media"
    static_root = run_dir / "static"
    (static_root / "css").mkdir(parents=True)
    (static_root / "css" / "site.abc123.css").write_text("body { margin: 0 }")
    media_root.mkdir(parents=True, exist_ok=True)
    (media_root / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    port = free_port()
    config = (settings.BASE_DIR / "deploy" / "nginx.conf").read_text()
    for name, value in {
        "run_dir": run_dir,
        "upstream_servers": " ".join(f"server 127.0.0.1:{p};" for p in two_app_servers),
        "port": port,
        "static_root": static_root,
        "media_root": media_root,
    }.items():
        config = config.replace("{" + name + "}", str(value))
    (run_dir / "nginx.conf").write_text(config)
    subprocess.run([NGINX, "-c", run_dir / "nginx.conf", "-p", run_dir], check=True)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                fetch(port, "/healthz")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield port
    finally:
        subprocess.run([NGINX, "-c", run_dir / "nginx.conf", "-p", run_dir, "-s", "stop"], check=False)
        shutil.rmtree(run_dir, ignore_errors=True)


def headers(port: int, path: str):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.status, response.headers


def test_nginx_serves_pages_static_files_and_media_in_front_of_two_app_servers(proxy):
    mission = make_mission(name="Chang'e-7", slug="chang-e-7", state=EditorialState.DRAFT)
    for _ in range(4):  # round robin: both app servers answer
        assert "chang-e-7" not in fetch(proxy, "/en/missions/")
    mission.editorial_state = EditorialState.PUBLISHED
    mission.save()
    for _ in range(4):
        assert "chang-e-7" in fetch(proxy, "/en/missions/")
    status, static = headers(proxy, "/static/css/site.abc123.css")
    assert status == 200 and "immutable" in static["Cache-Control"]
    status, media = headers(proxy, "/media/photo.jpg")
    assert (
        status == 200 and media["X-Content-Type-Options"] == "nosniff" and "sandbox" in media["Content-Security-Policy"]
    )
    status, page = headers(proxy, "/en/")
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
