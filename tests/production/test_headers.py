"""Security headers on every kind of response, cookies, uploaded media, and login throttling."""

import re

import pytest
from django.contrib.auth.models import User

PAGES = [
    "/en/",
    "/en/missions/",
    "/en/partners/",
    "/en/search/?q=Pakistan",
    "/admin/login/",
    "/api/v1/missions/",
    "/healthz",
    "/en/no-such-page/",
]
EDITOR_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(client, settings, path):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = client.get(path, secure=True)
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no nonce: nothing inline on these pages
    # Our own styles, and the rich text editor's fixed base styles by their hash.
    assert directives["style-src"].split() == ["'self'", EDITOR_STYLE_HASH]
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/", "/en/missions/", "/admin/login/"])
def test_pages_have_no_inline_script_or_style_for_the_policy_to_block(client, path):
    html = client.get(path).content.decode()
    assert " style=" not in html and "<style" not in html
    assert "<script>" not in html and " onclick=" not in html and " onload=" not in html


@pytest.mark.django_db
def test_the_rich_text_editors_import_map_runs_by_the_responses_nonce(editor_client):
    response = editor_client.get("/admin/missions/mission/add/")
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'<script type="importmap" nonce="{nonce}">' in response.content.decode()
    assert nonce not in editor_client.get("/admin/missions/mission/add/")["Content-Security-Policy"]


@pytest.mark.django_db
def test_session_cookie_is_httponly_samesite_and_secure_in_production(client, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    User.objects.create_user("eddie", password="a-long-test-password", is_staff=True)
    client.get("/admin/login/", secure=True)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "eddie", "password": "a-long-test-password"},
        secure=True,
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["secure"] and session["samesite"] == "Lax"
    assert client.cookies["csrftoken"]["secure"]


@pytest.mark.django_db
def test_uploaded_media_is_nosniff_and_anything_but_an_image_is_a_download(client, settings, media_root):
    settings.SERVE_MEDIA = True
    media_root.mkdir(parents=True, exist_ok=True)
    (media_root / "page.html").write_text("<script>alert(1)</script>")
    (media_root / "photo.webp").write_bytes(b"RIFF0000WEBPVP8 ")
    page = client.get("/media/page.html")
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["Content-Disposition"].startswith("attachment")
    photo = client.get("/media/photo.webp")
    assert photo["X-Content-Type-Options"] == "nosniff"
    assert not photo.get("Content-Disposition", "").startswith("attachment")


def attempt_login(client, username, password, address):
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_repeated_failed_logins_lock_that_user_name_from_that_address_only(client, settings):
    User.objects.create_user("eddie", password="a-long-test-password", is_staff=True)
    User.objects.create_user("pat", password="another-long-password", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt_login(client, "eddie", "wrong", "203.0.113.5").status_code == 200  # the form again
    assert attempt_login(client, "eddie", "wrong", "203.0.113.5").status_code == 429
    locked = attempt_login(client, "eddie", "a-long-test-password", "203.0.113.5")  # even the right password
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    # Nobody else is locked out: another user at that address, the same user elsewhere.
    assert attempt_login(client, "pat", "another-long-password", "203.0.113.5").status_code == 302
    client.logout()
    assert attempt_login(client, "eddie", "a-long-test-password", "198.51.100.9").status_code == 302


@pytest.mark.django_db
def test_admin_forms_refuse_a_post_without_csrf_token(settings, publisher):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(publisher)
    response = strict.post("/admin/missions/mission/add/", {"name": "Forged"})
    assert response.status_code == 403
