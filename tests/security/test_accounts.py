"""Staff accounts: passwords of at least 12 characters (shared/SECURITY.md AUTH-07)."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command

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
