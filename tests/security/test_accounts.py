"""Staff accounts: passwords of at least 12 characters (shared/SECURITY.md AUTH-07), and sessions
that end after a working day without activity (AUTH-08); an active editor is never cut off."""

import datetime
import io
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db

SHORT = "moonbase9"  # 9 characters, not a common password, not all digits
LONG_ENOUGH = "crater-lamp9"  # 12
TOO_SHORT_MESSAGE = "This password is too short. It must contain at least 12 characters."


def change_password(client, new_password):
    return client.post(
        "/admin/password_change/",
        {"old_password": "a-long-test-password", "new_password1": new_password, "new_password2": new_password},
    )


def test_an_editor_cannot_choose_a_9_character_password(editor_client, editor):
    response = change_password(editor_client, SHORT)
    assert response.status_code == 200
    assert TOO_SHORT_MESSAGE in response.content.decode()
    editor.refresh_from_db()
    assert editor.check_password("a-long-test-password") and not editor.check_password(SHORT)


def test_an_editor_may_choose_a_12_character_password(editor_client, editor):
    response = change_password(editor_client, LONG_ENOUGH)
    assert response.status_code == 302 and response["Location"] == "/admin/password_change/done/"
    editor.refresh_from_db()
    assert editor.check_password(LONG_ENOUGH)


@pytest.mark.parametrize("password, created", [(SHORT, False), (LONG_ENOUGH, True)])
def test_a_new_account_needs_a_password_of_12_characters(admin_client, password, created):
    response = admin_client.post(
        "/admin/auth/user/add/",
        {"username": "newcomer", "usable_password": "true", "password1": password, "password2": password},
    )
    assert get_user_model().objects.filter(username="newcomer").exists() is created
    assert (TOO_SHORT_MESSAGE in response.content.decode()) is not created


def test_a_long_passphrase_of_any_characters_is_accepted():
    """Length, not composition: spaces and Chinese characters are fine."""
    validate_password("the far side of the moon 月球背面 " * 2)


@pytest.mark.parametrize("role", ["editor", "publisher"])
def test_create_local_editor_generates_a_password_the_policy_accepts(role):
    output = io.StringIO()
    call_command("create_local_editor", "--role", role, stdout=output)
    password = re.search(r"password:\s+(\S+)", output.getvalue()).group(1)
    validate_password(password, get_user_model().objects.get(username=role))


# --- Sessions end after a working day without activity ---------------------------------------

WORKING_DAY = datetime.timedelta(hours=8)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def clock(monkeypatch):
    """The time every session check reads (django.utils.timezone.now), moved forward at will."""
    offset = [datetime.timedelta(0)]
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + offset[0])

    def later(delta):
        offset[0] += delta

    return later


def signed_in(client) -> bool:
    response = client.get("/admin/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def test_a_staff_session_idle_longer_than_a_working_day_gets_the_login_page(client, editor, clock):
    client.post("/admin/login/?next=/admin/", {"username": "eddie", "password": "a-long-test-password"})
    assert signed_in(client)
    clock(WORKING_DAY + MINUTE)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_an_active_staff_session_keeps_going_past_a_working_day(client, editor, clock):
    client.post("/admin/login/?next=/admin/", {"username": "eddie", "password": "a-long-test-password"})
    for _ in range(3):  # a request every 7 hours, 21 hours in all
        clock(WORKING_DAY - 60 * MINUTE)
        assert signed_in(client)


def test_each_staff_request_renews_the_cookie_for_a_working_day(editor_client):
    response = editor_client.get("/admin/")
    assert response.cookies["sessionid"]["max-age"] == 8 * 60 * 60


def test_public_visitors_get_no_session(client, chang_e_6):
    for page in ["/en/", "/en/missions/", "/en/missions/chang-e-6/", "/api/v1/missions/"]:
        assert "sessionid" not in client.get(page).cookies, page


@pytest.mark.parametrize("environment, age", [({}, "28800"), ({"DJANGO_SESSION_IDLE_SECONDS": "3600"}, "3600")])
def test_the_idle_limit_comes_from_the_environment(environment, age):
    check = "from django.conf import settings; print(settings.SESSION_COOKIE_AGE, settings.SESSION_SAVE_EVERY_REQUEST)"
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SESSION_IDLE_SECONDS"}
    loaded = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {check}"],
        env={**env, "DJANGO_ENV_FILE": "/nonexistent", "DJANGO_DEBUG": "1", **environment},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert loaded.stdout.split() == [age, "True"], loaded.stderr
