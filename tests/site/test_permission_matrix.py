"""Who may do what in the admin: anonymous, editor, publisher and superuser against every admin
URL and action, for every content model. Each cell states the expected answer."""

import pytest
import reversion
from django.contrib.auth.models import Group

from missions.models import Mission, Payload
from partners.models import Agreement, CooperationProject, Partner
from publishing.models import EditorialState as State
from tests.admin_forms import form_data
from tests.factories import DRAFT, PUBLISHED, make_agreement, make_mission, make_partner, make_payload, make_project

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "editor", "publisher", "superuser"]
MODELS = {
    "mission": (Mission, lambda state: make_mission(state=state)),
    "payload": (Payload, lambda state: make_payload(mission=make_mission(state=DRAFT), state=state)),
    "partner": (Partner, lambda state: make_partner(state=state)),
    "agreement": (Agreement, lambda state: make_agreement(state=state)),
    "cooperationproject": (CooperationProject, lambda state: make_project(state=state)),
}

# What each role gets: "ok" (200), "login" (redirect to the login page), "denied" (403),
# "read-only" (200 without a save button).
EXPECTED = {
    #                        anonymous, editor,       publisher, superuser
    "list": ("login", "ok", "ok", "ok"),
    "add": ("login", "ok", "ok", "ok"),
    "change draft": ("login", "ok", "ok", "ok"),
    "change published": ("login", "read-only", "ok", "ok"),
    "save published": ("login", "denied", "ok", "ok"),
    "delete draft": ("login", "ok", "ok", "ok"),
    "delete published": ("login", "denied", "ok", "ok"),
    "history": ("login", "ok", "ok", "ok"),
    "revert draft": ("login", "ok", "ok", "ok"),
    "revert published": ("login", "read-only", "ok", "ok"),
    "save revert published": ("login", "denied", "ok", "ok"),
    "import": ("login", "ok", "ok", "ok"),
    "export": ("login", "ok", "ok", "ok"),
    "users": ("login", "denied", "denied", "ok"),
}
PUBLISH_ACTION = {"anonymous": False, "editor": False, "publisher": True, "superuser": True}


@pytest.fixture
def as_role(client, django_user_model):
    def login(role):
        if role == "superuser":
            client.force_login(django_user_model.objects.create_superuser("root", password="a-long-test-password"))
        elif role in ("editor", "publisher"):
            user = django_user_model.objects.create_user(role, password="a-long-test-password", is_staff=True)
            user.groups.add(Group.objects.get(name={"editor": "Editors", "publisher": "Publishers"}[role]))
            client.force_login(user)
        return client

    return login


def versioned(factory, state):
    with reversion.create_revision():
        return factory(state)


FORM_PAGES = {"add", "change draft", "change published", "revert draft", "revert published"}


def outcome(cell: str, response) -> str:
    if response.status_code == 302 and "/admin/login/" in response["Location"]:
        return "login"
    if response.status_code == 403:
        return "denied"
    if response.status_code == 200:
        if cell in FORM_PAGES and b'name="_save"' not in response.content:
            return "read-only"
        return "ok"
    return str(response.status_code)


@pytest.mark.parametrize("model_name", list(MODELS))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(as_role, role, model_name):
    model, factory = MODELS[model_name]
    draft, published = versioned(factory, DRAFT), versioned(factory, PUBLISHED)
    base = f"/admin/{model._meta.app_label}/{model_name}/"
    version = {obj.pk: reversion.models.Version.objects.get_for_object(obj).get().pk for obj in (draft, published)}
    client = as_role(role)
    requests = {
        "list": lambda: client.get(base),
        "add": lambda: client.get(f"{base}add/"),
        "change draft": lambda: client.get(f"{base}{draft.pk}/change/"),
        "change published": lambda: client.get(f"{base}{published.pk}/change/"),
        "save published": lambda: client.post(f"{base}{published.pk}/change/", {}),
        "delete draft": lambda: client.get(f"{base}{draft.pk}/delete/"),
        "delete published": lambda: client.get(f"{base}{published.pk}/delete/"),
        "history": lambda: client.get(f"{base}{draft.pk}/history/"),
        "revert draft": lambda: client.get(f"{base}{draft.pk}/history/{version[draft.pk]}/"),
        "revert published": lambda: client.get(f"{base}{published.pk}/history/{version[published.pk]}/"),
        "save revert published": lambda: client.post(f"{base}{published.pk}/history/{version[published.pk]}/", {}),
        "import": lambda: client.get(f"{base}import/"),
        "export": lambda: client.get(f"{base}export/"),
        "users": lambda: client.get("/admin/auth/user/"),
    }
    column = ROLES.index(role)
    got = {cell: outcome(cell, request()) for cell, request in requests.items()}
    # For "save …" cells, "ok" means the form was processed (an empty POST gets its errors back).
    expected = {cell: answers[column] for cell, answers in EXPECTED.items()}
    assert got == expected

    # Publishing by bulk action: only publishers and superusers change the state.
    other = factory(DRAFT)
    client.post(base, {"action": "publish", "_selected_action": [other.pk], "index": 0})
    assert (model.objects.get(pk=other.pk).editorial_state == State.PUBLISHED) is PUBLISH_ACTION[role]


# Models whose change form holds content of its own (a mission's payloads), with the inline's
# prefix. Each child row is judged as the object it is, whatever the state of its parent.
PARENTS = {
    "mission": (Mission, "payloads", lambda parent, state, name: make_payload(mission=parent, state=state, name=name)),
}

# What becomes of a child, worked on through its (draft) parent's change form.
CHILD_EXPECTED = {
    #                            anonymous, editor,   publisher, superuser
    "inline change draft": ("login", "changed", "changed", "changed"),
    "inline change published": ("login", "kept", "changed", "changed"),
    "inline delete draft": ("login", "deleted", "deleted", "deleted"),
    "inline delete published": ("login", "kept", "deleted", "deleted"),
    # Back to a version of the parent when the child said "Old text" and was published.
    "revert: published child's text": ("login", "kept", "reverted", "reverted"),
    "revert: child unpublished since": ("login", "unpublished", "unpublished", "unpublished"),
    "revert: child published since": ("login", "kept", "deleted", "deleted"),
    "recover: published child": ("login", "draft", "draft", "draft"),
}


def logged_out(response) -> bool:
    return response.status_code == 302 and "/admin/login/" in response["Location"]


def post_form(client, url, **overrides):
    """Open an admin form page and send it back with `overrides`, as a browser would."""
    page = client.get(url)
    return page if logged_out(page) else client.post(url, form_data(page, **overrides))


@pytest.mark.parametrize("model_name", list(PARENTS))
@pytest.mark.parametrize("role", ROLES)
def test_child_permission_matrix(as_role, role, model_name):
    model, prefix, make_child = PARENTS[model_name]
    base = f"/admin/{model._meta.app_label}/{model_name}/"
    client = as_role(role)

    def through_inline(state, **overrides):
        parent = MODELS[model_name][1](DRAFT)
        child = make_child(parent, state, "Reviewed text")
        row = {f"{prefix}-0-{name}": value for name, value in overrides.items()}
        response = post_form(client, f"{base}{parent.pk}/change/", **row)
        if logged_out(response):
            return "login"
        assert response.status_code == 302, response.context["adminform"].form.errors
        current = type(child).objects.filter(pk=child.pk).first()
        return "deleted" if current is None else "changed" if current.name != "Reviewed text" else "kept"

    def through_history(change_since, recover=False):
        parent = MODELS[model_name][1](DRAFT)
        child = make_child(parent, PUBLISHED, "Old text")
        with reversion.create_revision():
            parent.save()
        version = reversion.models.Version.objects.get_for_object(parent).get()
        child = change_since(parent, child)
        if recover:
            parent.delete()
        url = f"{base}recover/{version.pk}/" if recover else f"{base}{parent.pk}/history/{version.pk}/"
        response = post_form(client, url)
        if logged_out(response):
            return "login"
        assert response.status_code == 302, response.context["adminform"].form.errors
        current = type(child).objects.filter(pk=child.pk).first()
        if current is None:
            return "deleted"
        if recover or change_since is unpublish:
            return current.editorial_state
        return "reverted" if current.name == "Old text" else "kept"

    def rename(parent, child):
        type(child).objects.filter(pk=child.pk).update(name="Reviewed text")
        return child

    def unpublish(parent, child):
        type(child).objects.filter(pk=child.pk).update(editorial_state=State.UNPUBLISHED)
        return child

    def add(parent, child):
        return make_child(parent, PUBLISHED, "Published since")

    got = {
        "inline change draft": through_inline(DRAFT, name_en="Unreviewed text"),
        "inline change published": through_inline(PUBLISHED, name_en="Unreviewed text"),
        "inline delete draft": through_inline(DRAFT, DELETE="on"),
        "inline delete published": through_inline(PUBLISHED, DELETE="on"),
        "revert: published child's text": through_history(rename),
        "revert: child unpublished since": through_history(unpublish),
        "revert: child published since": through_history(add),
        "recover: published child": through_history(lambda parent, child: child, recover=True),
    }
    column = ROLES.index(role)
    assert got == {cell: answers[column] for cell, answers in CHILD_EXPECTED.items()}
