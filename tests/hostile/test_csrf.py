"""CSRF on every state-changing admin request: each URL of every registered ModelAdmin (add,
change, delete, history revert, recover, import, process import, export, and every action on each
change list) and of the admin site itself (login, logout, password change), read from the
admin's own URL lists. A POST without a token, or with a token from another site's page, is
refused with 403 and changes nothing.

The session cookie's flags and login throttling are in tests/production/test_headers.py."""

import re

import pytest
import reversion
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory
from reversion.models import Version

from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

CSRF_REFUSAL = "CSRF verification failed"


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", password="a-long-test-password")


@pytest.fixture
def victim(django_user_model):
    return django_user_model.objects.create_user("victim", password="victims-long-password", is_staff=True)


@pytest.fixture
def forger(superuser):
    """A logged-in superuser's browser, sent a form from another site: no token of ours. The
    superuser may do everything, so a refusal can only come from the missing token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)
    return client


def record_of(model, victim):
    if model is User:
        return victim
    if model is Group:
        return Group.objects.get(name="Editors")
    return model.objects.order_by("pk").first()


def admin_post_targets(victim) -> list[tuple[str, dict]]:
    """(URL, data) for a POST to every URL of every registered ModelAdmin, one per action on a
    change list, and to the admin site's own URLs; data is a real form's where the page has one."""
    factory = RequestFactory()
    request = factory.get("/admin/")
    request.user = User.objects.get(username="root")
    targets = []
    for model, model_admin in admin.site._registry.items():
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        record = record_of(model, victim)
        object_id = str(record.pk) if record else "1"
        version = Version.objects.get_for_object(record).first() if record and reversion.is_registered(model) else None
        version_id = str(version.pk) if version else "1"
        for pattern in model_admin.get_urls():
            route = str(pattern.pattern).removeprefix("^").removesuffix("$")
            route = re.sub(r"<(?:\w+:)?(?:object_id|id)>|\(\[\^/\]\+\)", object_id, route)
            route = route.replace(r"(\d+)", version_id)
            targets.append((base + route, {}))
        for action in model_admin.get_actions(request):
            targets.append((base, {"action": action, "_selected_action": [object_id], "index": "0"}))
    for pattern in admin.site.get_urls():
        route = str(pattern.pattern)
        if "<" not in route and "(" not in route:
            targets.append((f"/admin/{route}", {}))
    return list({repr(target): target for target in targets}.values())


def with_form_data(client, url: str, data: dict) -> dict:
    """The data the admin page at `url` would send back, edited: a real change, if it got through."""
    if data or not url.endswith(("/change/", "/add/")):
        return data
    response = client.get(url)
    if response.status_code != 200 or "adminform" not in (response.context or {}):
        return data
    names = response.context["adminform"].form.fields
    edit = {name: "Forged" for name in ("name", "title", "username") if name in names}
    return form_data(response, **edit)


def database_state():
    """Every row an admin POST could change: each registered model's, the admin log, the
    history, the sessions. A session by what it holds: every request renews its expiry, and
    saving it signs its data anew (with the time)."""
    models = [*admin.site._registry, LogEntry, Version]
    state = {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}
    state["sessions"] = {session.session_key: session.get_decoded() for session in Session.objects.all()}
    return state


def test_every_admin_post_without_a_token_is_refused_and_changes_nothing(forger, victim, hidden_world):
    for record in hidden_world.values():
        with reversion.create_revision():  # a version to revert to
            record.save()
    trusted = Client()
    trusted.force_login(User.objects.get(username="root"))
    targets = admin_post_targets(victim)
    urls = {url for url, _data in targets}
    # The enumeration reached what matters: add, change, delete, import, revert and the actions.
    for expected in [
        "/admin/missions/mission/add/",
        "/admin/missions/mission/import/",
        "/admin/missions/mission/process_import/",
        "/admin/partners/partner/export/",
        "/admin/auth/user/add/",
        f"/admin/auth/user/{victim.pk}/password/",
        "/admin/logout/",
        "/admin/password_change/",
    ]:
        assert expected in urls, expected
    assert any(re.fullmatch(r"/admin/missions/mission/\d+/history/\d+/", url) for url in urls)
    actions = {data["action"] for _url, data in targets if data}
    assert {"publish", "unpublish", "submit_for_review", "delete_selected"} <= actions

    before = database_state()
    for url, data in targets:
        response = forger.post(url, with_form_data(trusted, url, data))
        assert response.status_code == 403, f"{response.status_code} for a forged POST to {url} {data}"
        assert CSRF_REFUSAL in response.content.decode(), url
        assert database_state() == before, f"a forged POST to {url} {data} changed the database"
    # Still logged in: the forged logout did not end the session.
    assert forger.get("/admin/").status_code == 200
    print(f"\n{len(targets)} forged admin POSTs refused")


def test_a_token_from_another_origin_is_refused(superuser, chang_e_6):
    """With a valid token, a POST whose Origin is another site is still refused (a token
    leaked to, or replayed by, another site)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)
    url = f"/admin/missions/mission/{chang_e_6.pk}/change/"
    data = form_data(client.get(url), name="Forged")
    data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    response = client.post(url, data, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    chang_e_6.refresh_from_db()
    assert chang_e_6.name == "Chang'e-6"
    # The same POST from our own page goes through: the token alone was not the problem.
    assert client.post(url, data).status_code == 302
    chang_e_6.refresh_from_db()
    assert chang_e_6.name == "Forged"
