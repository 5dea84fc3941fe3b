"""The Editors group (created by missions/migrations/0003_editors_group.py) seen through the admin."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from tests.factories import DRAFT, make_agreement, make_mission, make_partner, make_payload, make_project

pytestmark = pytest.mark.django_db

MISSIONS_URL = "/admin/missions/mission/"
PAYLOADS_URL = "/admin/missions/payload/"
PARTNERS_URL = "/admin/partners/partner/"
AGREEMENTS_URL = "/admin/partners/agreement/"
PROJECTS_URL = "/admin/partners/cooperationproject/"


@pytest.fixture
def content(db):
    """One draft of each kind an editor looks after, by changelist URL."""
    partner = make_partner(name="Draftonia", slug="draftonia", country="IS", state=DRAFT)
    mission = make_mission(name="Draft mission", state=DRAFT)
    return {
        MISSIONS_URL: mission,
        PAYLOADS_URL: make_payload(mission=mission, providers=[partner], state=DRAFT),
        PARTNERS_URL: partner,
        AGREEMENTS_URL: make_agreement(parties=[partner], state=DRAFT),
        PROJECTS_URL: make_project(partners=[partner], state=DRAFT),
    }


@pytest.mark.parametrize("url", [MISSIONS_URL, PAYLOADS_URL, PARTNERS_URL, AGREEMENTS_URL, PROJECTS_URL])
def test_editor_can_list_add_and_change_content(editor_client, content, url):
    assert editor_client.get(url).status_code == 200
    assert editor_client.get(url + "add/").status_code == 200
    change_page = editor_client.get(f"{url}{content[url].pk}/change/")
    assert change_page.status_code == 200
    assert 'name="_save"' in change_page.content.decode()  # editable, not a read-only view


@pytest.mark.parametrize("url", ["/admin/auth/user/", "/admin/auth/user/add/", "/admin/auth/group/"])
def test_editor_cannot_manage_users_or_groups(editor_client, url):
    assert editor_client.get(url).status_code == 403


def test_admin_index_does_not_offer_users_or_groups_to_an_editor(editor_client):
    page = editor_client.get("/admin/").content.decode()
    assert "/admin/missions/mission/" in page
    assert "/admin/auth/user/" not in page
    assert "/admin/auth/group/" not in page


def assert_sent_to_login(response):
    assert response.status_code == 302
    assert response.url == f"/admin/login/?next={MISSIONS_URL}"


def test_anonymous_visitor_is_sent_to_the_admin_login(client):
    assert_sent_to_login(client.get(MISSIONS_URL))


def test_signed_in_user_without_staff_status_is_sent_to_the_admin_login(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("visitor", password="a-long-test-password"))
    assert_sent_to_login(client.get(MISSIONS_URL))


def create_local_editor():
    output = io.StringIO()
    call_command("create_local_editor", stdout=output)
    return output.getvalue()


def sign_in(client, username, password) -> bool:
    """Through the admin's login form, as a person would (the login throttle needs the request)."""
    response = client.post("/admin/login/?next=/admin/", {"username": username, "password": password})
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_create_local_editor_prints_a_password_that_signs_in_to_the_admin(client):
    output = create_local_editor()
    password = re.search(r"password:\s+(\S+)", output).group(1)
    editor = get_user_model().objects.get(username="editor")
    assert editor.is_staff and not editor.is_superuser
    assert list(editor.groups.all()) == [Group.objects.get(name="Editors")]
    assert sign_in(client, "editor", password)
    assert client.get(MISSIONS_URL).status_code == 200


def test_create_local_editor_run_twice_keeps_the_first_password(client):
    password = re.search(r"password:\s+(\S+)", create_local_editor()).group(1)
    second_output = create_local_editor()
    assert "already exists" in second_output
    assert password not in second_output
    assert sign_in(client, "editor", password)
    assert get_user_model().objects.filter(username="editor").count() == 1


def test_create_local_editor_makes_a_publisher_account_that_can_publish(client):
    output = io.StringIO()
    call_command("create_local_editor", "--role", "publisher", stdout=output)
    password = re.search(r"password:\s+(\S+)", output.getvalue()).group(1)
    publisher = get_user_model().objects.get(username="publisher")
    assert list(publisher.groups.all()) == [Group.objects.get(name="Publishers")]
    assert publisher.has_perm("missions.publish_mission")
    assert sign_in(client, "publisher", password)
