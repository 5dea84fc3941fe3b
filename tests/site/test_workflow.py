"""The editorial workflow: roles, states, scheduling, preview, history, revert and stale saves."""

import datetime

import pytest
import reversion
from django.utils import timezone
from reversion.models import Version

from missions.models import Mission, Payload
from publishing.models import EditorialState as State
from search.models import SearchEntry
from tests.admin_forms import form_data
from tests.factories import DRAFT, PUBLISHED, make_mission, make_payload

pytestmark = pytest.mark.django_db

MISSIONS = "/admin/missions/mission/"


def change_url(mission):
    return f"{MISSIONS}{mission.pk}/change/"


def state_of(mission):
    return Mission.objects.get(pk=mission.pk).editorial_state


def save(client, mission, **changes):
    """Open the mission's change form and save it with `changes`, as a browser would."""
    return client.post(change_url(mission), form_data(client.get(change_url(mission)), **changes))


def in_one_hour():
    return timezone.now() + datetime.timedelta(hours=1)


# --- Scheduling: evaluated when the page is requested, no worker needed ----------------------


@pytest.mark.parametrize(
    "publish_at, unpublish_at, visible",
    [
        (None, None, True),
        (-1, None, True),
        (+1, None, False),
        (None, +1, True),
        (None, -1, False),
        (-2, -1, False),
        (-1, +1, True),
    ],
)
def test_publish_and_unpublish_times_decide_what_the_public_sees(client, publish_at, unpublish_at, visible):
    def hours(offset):
        return None if offset is None else timezone.now() + datetime.timedelta(hours=offset)

    make_mission(name="Timed", slug="timed", publish_at=hours(publish_at), unpublish_at=hours(unpublish_at))
    assert (client.get("/en/missions/timed/").status_code == 200) is visible
    assert ("Timed" in client.get("/en/missions/").content.decode()) is visible
    assert (client.get("/en/").context["mission_count"] == 1) is visible


def test_a_scheduled_mission_appears_when_its_time_comes(client):
    mission = make_mission(name="Soon", slug="soon", publish_at=in_one_hour())
    assert client.get("/en/missions/soon/").status_code == 404
    Mission.objects.filter(pk=mission.pk).update(publish_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/en/missions/soon/").status_code == 200


def test_payloads_of_a_scheduled_mission_stay_hidden_until_it_is_published(client, pakistan):
    mission = make_mission(publish_at=in_one_hour())
    make_payload(mission=mission, name="Early camera", providers=[pakistan])
    assert "Early camera" not in client.get("/en/partners/pakistan/").content.decode()
    assert client.get("/en/").context["international_payload_count"] == 0


@pytest.mark.parametrize("state", [State.DRAFT, State.IN_REVIEW, State.UNPUBLISHED])
def test_only_published_content_is_public(client, state):
    make_mission(name="Hidden", slug="hidden", state=state)
    assert client.get("/en/missions/hidden/").status_code == 404


# --- Editors: write and submit; never publish -------------------------------------------------


def test_editor_submits_a_draft_for_review_and_the_move_is_recorded(editor_client, editor):
    mission = make_mission(state=DRAFT)
    assert save(editor_client, mission, editorial_state=State.IN_REVIEW).status_code == 302
    assert state_of(mission) == State.IN_REVIEW
    revision = Version.objects.get_for_object(mission).first().revision
    assert revision.user == editor
    assert "Draft → In review" in revision.get_comment()


def test_editor_cannot_publish_through_the_change_form(editor_client):
    mission = make_mission(state=DRAFT)
    response = save(editor_client, mission, editorial_state=State.PUBLISHED)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert state_of(mission) == State.DRAFT


def test_editor_change_form_offers_only_draft_and_review(editor_client):
    mission = make_mission(state=DRAFT)
    field = editor_client.get(change_url(mission)).context["adminform"].form.fields["editorial_state"]
    assert [value for value, _ in field.choices] == [State.DRAFT, State.IN_REVIEW]


def test_editor_cannot_schedule_even_with_a_forged_field(editor_client):
    mission = make_mission(state=DRAFT)
    when = in_one_hour().strftime("%Y-%m-%d")
    save(
        editor_client,
        mission,
        publish_at_0=when,
        publish_at_1="10:00:00",
        unpublish_at_0=when,
        unpublish_at_1="11:00:00",
    )
    mission.refresh_from_db()
    assert mission.publish_at is None and mission.unpublish_at is None


def test_editor_cannot_publish_a_new_mission_from_the_add_form(editor_client):
    response = editor_client.get(f"{MISSIONS}add/")
    data = form_data(
        response, name="Forged", slug="forged", phase="station", status="planned", summary_en="x", types=["1"]
    )
    data["editorial_state"] = State.PUBLISHED
    editor_client.post(f"{MISSIONS}add/", data)
    assert not Mission.objects.filter(slug="forged", editorial_state=State.PUBLISHED).exists()


def test_editor_sees_published_content_read_only_and_cannot_post_to_it(editor_client):
    mission = make_mission(state=PUBLISHED)
    page = editor_client.get(change_url(mission))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert editor_client.post(change_url(mission), {"name": "Vandalised"}).status_code == 403
    assert Mission.objects.get(pk=mission.pk).name != "Vandalised"


def test_editor_cannot_publish_a_payload_through_the_mission_inline(editor_client):
    mission = make_mission(state=DRAFT)
    payload = make_payload(mission=mission, state=DRAFT)
    data = form_data(editor_client.get(change_url(mission)), **{"payloads-0-editorial_state": State.PUBLISHED})
    editor_client.post(change_url(mission), data)
    assert Payload.objects.get(pk=payload.pk).editorial_state == State.DRAFT


def run_action(client, action, *missions):
    return client.post(
        MISSIONS, {"action": action, "_selected_action": [m.pk for m in missions], "index": 0}, follow=True
    )


def test_editor_has_no_publish_actions_and_a_forged_one_changes_nothing(editor_client):
    mission = make_mission(state=State.IN_REVIEW)
    actions = [name for name, _ in editor_client.get(MISSIONS).context["action_form"].fields["action"].choices]
    assert "submit_for_review" in actions
    assert "publish" not in actions and "unpublish" not in actions
    run_action(editor_client, "publish", mission)
    assert state_of(mission) == State.IN_REVIEW


def test_editor_bulk_submits_drafts_for_review(editor_client):
    first, second = make_mission(state=DRAFT), make_mission(state=DRAFT)
    response = run_action(editor_client, "submit_for_review", first, second)
    assert "2 items submitted for review." in response.content.decode()
    assert [state_of(first), state_of(second)] == [State.IN_REVIEW, State.IN_REVIEW]


def test_editor_cannot_delete_published_content(editor_client):
    mission = make_mission(state=PUBLISHED)
    assert editor_client.post(f"{MISSIONS}{mission.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Mission.objects.filter(pk=mission.pk).exists()


# --- Publishers: publish, unpublish, schedule -------------------------------------------------


def test_publisher_publishes_a_mission_in_review(publisher_client, client):
    mission = make_mission(state=State.IN_REVIEW, slug="reviewed")
    assert save(publisher_client, mission, editorial_state=State.PUBLISHED).status_code == 302
    assert state_of(mission) == State.PUBLISHED
    assert client.get("/en/missions/reviewed/").status_code == 200


def test_publisher_unpublishes_and_the_page_disappears(publisher_client):
    mission = make_mission(slug="live")
    save(publisher_client, mission, editorial_state=State.UNPUBLISHED)
    assert state_of(mission) == State.UNPUBLISHED
    publisher_client.logout()
    assert publisher_client.get("/en/missions/live/").status_code == 404


def test_published_content_must_be_unpublished_before_it_returns_to_draft(publisher_client):
    mission = make_mission(state=PUBLISHED)
    response = save(publisher_client, mission, editorial_state=State.DRAFT)
    assert "Select a valid choice" in response.content.decode()
    assert state_of(mission) == State.PUBLISHED


def test_publisher_schedules_publication_and_the_list_says_so(publisher_client, client):
    mission = make_mission(state=State.IN_REVIEW, slug="scheduled")
    when = in_one_hour()
    save(
        publisher_client,
        mission,
        editorial_state=State.PUBLISHED,
        publish_at_0=when.strftime("%Y-%m-%d"),
        publish_at_1=when.strftime("%H:%M:%S"),
    )
    assert Mission.objects.get(pk=mission.pk).is_scheduled
    assert "Scheduled for" in publisher_client.get(MISSIONS).content.decode()
    assert client.get("/en/missions/scheduled/").status_code == 404


def test_unpublish_time_before_publish_time_is_refused(publisher_client):
    mission = make_mission(state=DRAFT)
    response = save(
        publisher_client,
        mission,
        publish_at_0="2030-01-02",
        publish_at_1="10:00:00",
        unpublish_at_0="2030-01-01",
        unpublish_at_1="10:00:00",
    )
    assert "The unpublish time must come after the publish time." in response.content.decode()


def test_bulk_publish_skips_what_cannot_be_published_and_says_so(publisher_client):
    draft, live = make_mission(state=DRAFT), make_mission(state=PUBLISHED)
    page = run_action(publisher_client, "publish", draft, live).content.decode()
    assert "1 item published." in page
    assert "1 item was left as it was" in page
    assert state_of(draft) == State.PUBLISHED


# --- Preview -----------------------------------------------------------------------------------


def test_staff_preview_a_draft_exactly_as_the_public_will_see_it(editor_client, pakistan):
    mission = make_mission(name="Secret lander", slug="secret-lander", state=DRAFT)
    make_payload(mission=mission, name="Pakistani camera", providers=[pakistan])
    page = editor_client.get("/en/missions/secret-lander/preview/").content.decode()
    assert "Secret lander" in page
    assert "Pakistani camera" in page
    assert "Preview for editors" in page


@pytest.mark.parametrize("who", ["anonymous", "visitor"])
def test_preview_does_not_exist_for_anyone_else(client, django_user_model, who):
    make_mission(name="Secret lander", slug="secret-lander", state=DRAFT)
    if who == "visitor":
        client.force_login(django_user_model.objects.create_user("visitor", password="x-long-password"))
    assert client.get("/en/missions/secret-lander/preview/").status_code == 404
    assert client.get("/en/missions/secret-lander/").status_code == 404


def test_partner_preview(editor_client, client):
    from tests.factories import make_partner

    make_partner(name="Draftonia", slug="draftonia", country="IS", state=DRAFT)
    assert editor_client.get("/en/partners/draftonia/preview/").status_code == 200
    client.logout()
    assert client.get("/en/partners/draftonia/preview/").status_code == 404


def test_view_on_site_links_a_draft_to_its_preview(editor_client):
    mission = make_mission(state=DRAFT, slug="draft-x")
    assert "/en/missions/draft-x/preview/" in editor_client.get(change_url(mission)).content.decode()


# --- History, diff and revert -------------------------------------------------------------------


def test_history_shows_who_changed_what_and_revert_restores_fields_and_inlines(publisher_client, publisher):
    mission = make_mission(name="Original name", state=DRAFT)
    make_payload(mission=mission, name="First instrument")
    save(publisher_client, mission)  # first version: the original
    first = Version.objects.get_for_object(mission).get()
    data = form_data(publisher_client.get(change_url(mission)), name="Changed name")
    data["payloads-0-DELETE"] = "on"
    assert publisher_client.post(change_url(mission), data).status_code == 302
    assert not Payload.objects.filter(mission=mission).exists()

    history = publisher_client.get(f"{change_url(mission).replace('change/', 'history/')}").content.decode()
    assert "pat" in history  # who
    versions = Version.objects.get_for_object(mission)
    compare = publisher_client.get(
        f"{MISSIONS}{mission.pk}/history/compare/",
        {"version_id1": versions.last().pk, "version_id2": versions.first().pk},
    ).content.decode()
    assert "Original name" in compare and "Changed name" in compare

    revert_url = f"{MISSIONS}{mission.pk}/history/{first.pk}/"
    assert publisher_client.post(revert_url, form_data(publisher_client.get(revert_url))).status_code == 302
    mission.refresh_from_db()
    assert mission.name == "Original name"
    assert list(Payload.objects.filter(mission=mission).values_list("name", flat=True)) == ["First instrument"]


def test_an_editor_cannot_publish_by_reverting_to_a_published_version(editor_client, publisher_client):
    mission = make_mission(state=DRAFT)
    save(publisher_client, mission, editorial_state=State.PUBLISHED)
    published_version = Version.objects.get_for_object(mission).first()
    save(publisher_client, mission, editorial_state=State.UNPUBLISHED)
    publisher_client.logout()
    from django.contrib.auth.models import Group, User

    editor = User.objects.create_user("ed2", password="a-long-test-password", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    editor_client.force_login(editor)
    revert_url = f"{MISSIONS}{mission.pk}/history/{published_version.pk}/"
    editor_client.post(revert_url, form_data(editor_client.get(revert_url)))
    assert state_of(mission) == State.UNPUBLISHED


def test_deleted_content_can_be_recovered_from_history(publisher_client):
    mission = make_mission(name="Doomed", state=DRAFT)
    save(publisher_client, mission)
    confirm = publisher_client.get(f"{MISSIONS}{mission.pk}/delete/")
    assert "Are you sure" in confirm.content.decode()
    publisher_client.post(f"{MISSIONS}{mission.pk}/delete/", {"post": "yes"})
    assert not Mission.objects.filter(name="Doomed").exists()
    version = Version.objects.get_deleted(Mission).get()
    recover_url = f"{MISSIONS}recover/{version.pk}/"
    assert publisher_client.post(recover_url, form_data(publisher_client.get(recover_url))).status_code == 302
    assert Mission.objects.filter(name="Doomed").exists()


def test_diff_view_needs_permission_on_the_model(client, django_user_model, publisher_client):
    mission = make_mission(state=DRAFT)
    save(publisher_client, mission)
    save(publisher_client, mission, name="Renamed")
    versions = Version.objects.get_for_object(mission)
    staff = django_user_model.objects.create_user("staffer", password="x-long-password", is_staff=True)
    client.force_login(staff)
    response = client.get(
        f"{MISSIONS}{mission.pk}/history/compare/",
        {"version_id1": versions.last().pk, "version_id2": versions.first().pk},
    )
    assert response.status_code == 403


# --- Two people editing the same mission --------------------------------------------------------


def test_a_stale_save_is_refused_and_shows_the_other_persons_changes(client, editor, django_user_model):
    from django.contrib.auth.models import Group
    from django.test import Client

    mission = make_mission(name="Chang'e-7", state=DRAFT, summary="Original summary.")
    first, second = Client(), Client()
    first.force_login(editor)
    other = django_user_model.objects.create_user("olga", password="a-long-test-password", is_staff=True)
    other.groups.add(Group.objects.get(name="Editors"))
    second.force_login(other)
    save(first, mission)  # a baseline version in the history

    first_copy = form_data(first.get(change_url(mission)), summary_en="First editor's summary.")
    assert save(second, mission, summary_en="Second editor's summary.").status_code == 302

    response = first.post(change_url(mission), first_copy)
    page = response.content.decode()
    assert response.status_code == 200
    assert "olga saved this while you were editing it" in page
    assert "Second editor&#x27;s summary." in page
    assert Mission.objects.get(pk=mission.pk).summary == "Second editor's summary."


def test_a_stale_payload_row_in_the_mission_form_is_refused(publisher_client, django_user_model):
    from django.contrib.auth.models import Group
    from django.test import Client

    mission = make_mission(state=DRAFT)
    payload = make_payload(mission=mission, name="Camera", purpose="Original purpose.", state=DRAFT)
    mission_copy = form_data(
        publisher_client.get(change_url(mission)), **{"payloads-0-purpose_en": "Mission form's purpose."}
    )
    other = django_user_model.objects.create_user("olga", password="a-long-test-password", is_staff=True)
    other.groups.add(Group.objects.get(name="Editors"))
    second = Client()
    second.force_login(other)
    payload_url = f"/admin/missions/payload/{payload.pk}/change/"
    assert (
        second.post(payload_url, form_data(second.get(payload_url), purpose_en="Payload page's purpose.")).status_code
        == 302
    )

    response = publisher_client.post(change_url(mission), mission_copy)
    assert response.status_code == 200
    assert "saved this while you were editing it" in response.content.decode()
    assert Payload.objects.get(pk=payload.pk).purpose == "Payload page's purpose."


def test_admin_list_says_when_published_content_has_expired(publisher_client, client):
    make_mission(name="Gone", slug="gone", unpublish_at=timezone.now() - datetime.timedelta(minutes=1))
    assert "Expired" in publisher_client.get(MISSIONS).content.decode()
    client.logout()
    assert client.get("/en/missions/gone/").status_code == 404


# --- A mission's payloads are content of their own, also inside the mission's form --------------


def payload_named(payload):
    return Payload.objects.get(pk=payload.pk).name


@pytest.mark.parametrize("mission_state", [State.DRAFT, State.IN_REVIEW, State.UNPUBLISHED])
def test_editor_cannot_change_a_published_payload_through_the_mission_form(editor_client, mission_state):
    mission = make_mission(state=mission_state)
    payload = make_payload(mission=mission, name="Reviewed camera", state=PUBLISHED)
    response = save(editor_client, mission, **{"payloads-0-name_en": "Unreviewed camera"})
    assert response.status_code == 302
    assert payload_named(payload) == "Reviewed camera"


def test_editor_cannot_delete_a_published_payload_through_the_mission_form(editor_client):
    mission = make_mission(state=DRAFT)
    payload = make_payload(mission=mission, state=PUBLISHED)
    assert save(editor_client, mission, **{"payloads-0-DELETE": "on"}).status_code == 302
    assert Payload.objects.filter(pk=payload.pk).exists()


def test_editor_sees_a_published_payload_row_read_only_and_why(editor_client):
    mission = make_mission(state=DRAFT)
    make_payload(mission=mission, name="Reviewed camera", state=PUBLISHED)
    make_payload(mission=mission, name="Draft camera", state=DRAFT)
    response = editor_client.get(change_url(mission))
    rows = {form.instance.name: form for form in response.context["inline_admin_formsets"][0].formset.forms}
    published_row, draft_row = rows["Reviewed camera"], rows["Draft camera"]
    shown = ["editorial_state", "name_en", "purpose_en", "providers", "DELETE"]
    assert all(published_row.fields[name].disabled for name in shown)
    assert not any(draft_row.fields[name].disabled for name in shown)
    assert "This payload is published: only a publisher can change or delete it." in response.content.decode()


def test_editor_still_changes_and_deletes_draft_payloads_in_the_mission_form(editor_client):
    mission = make_mission(state=DRAFT)
    changed = make_payload(mission=mission, name="A camera", state=DRAFT)
    deleted = make_payload(mission=mission, name="B camera", state=DRAFT)
    overrides = {"payloads-0-name_en": "Renamed draft", "payloads-1-DELETE": "on"}
    assert save(editor_client, mission, **overrides).status_code == 302
    assert payload_named(changed) == "Renamed draft"
    assert not Payload.objects.filter(pk=deleted.pk).exists()


def test_publisher_changes_and_deletes_published_payloads_in_the_mission_form(publisher_client):
    mission = make_mission(state=DRAFT)
    changed = make_payload(mission=mission, name="A camera", state=PUBLISHED)
    deleted = make_payload(mission=mission, name="B camera", state=PUBLISHED)
    overrides = {"payloads-0-name_en": "Corrected name", "payloads-1-DELETE": "on"}
    assert save(publisher_client, mission, **overrides).status_code == 302
    assert payload_named(changed) == "Corrected name"
    assert not Payload.objects.filter(pk=deleted.pk).exists()


# --- Reverting and recovering restore what was written, never who may see it --------------------


def versioned(mission):
    """A version of `mission` and its payloads in the history, as a save in the admin makes."""
    with reversion.create_revision():
        mission.save()
    return Version.objects.get_for_object(mission).first()


def revert(client, mission, version, **changes):
    url = f"{MISSIONS}{mission.pk}/history/{version.pk}/"
    return client.post(url, form_data(client.get(url), **changes))


def recover(client, version, **changes):
    url = f"{MISSIONS}recover/{version.pk}/"
    return client.post(url, form_data(client.get(url), **changes))


@pytest.mark.parametrize("role", ["editor", "publisher"])
def test_reverting_keeps_a_payload_a_publisher_unpublished_off_the_site(request, role):
    client = request.getfixturevalue(f"{role}_client")
    mission = make_mission(state=DRAFT)
    payload = make_payload(mission=mission, state=PUBLISHED)
    old = versioned(mission)
    Payload.objects.filter(pk=payload.pk).update(editorial_state=State.UNPUBLISHED)
    assert revert(client, mission, old).status_code == 302
    assert Payload.objects.get(pk=payload.pk).editorial_state == State.UNPUBLISHED


def test_reverting_keeps_the_schedule_of_payloads(publisher_client):
    mission = make_mission(state=DRAFT)
    payload = make_payload(mission=mission, state=PUBLISHED, unpublish_at=in_one_hour())
    old = versioned(mission)
    Payload.objects.filter(pk=payload.pk).update(unpublish_at=None)
    assert revert(publisher_client, mission, old).status_code == 302
    assert Payload.objects.get(pk=payload.pk).unpublish_at is None


def test_an_editors_revert_leaves_published_payloads_as_they_are(editor_client, pakistan, esa):
    mission = make_mission(state=DRAFT)
    reviewed = make_payload(mission=mission, name="Old text", state=PUBLISHED, providers=[pakistan])
    reviewed.sources.create(url="https://example.org/old", title="Old source")
    draft = make_payload(mission=mission, name="Old draft text", state=DRAFT)
    old = versioned(mission)
    Payload.objects.filter(pk=reviewed.pk).update(name="Reviewed text")
    reviewed.providers.set([pakistan, esa])
    reviewed.sources.all().delete()
    reviewed.sources.create(url="https://example.org/reviewed", title="Reviewed source")
    Payload.objects.filter(pk=draft.pk).update(name="Newer draft text")
    added = make_payload(mission=mission, name="Published since", state=PUBLISHED, providers=[esa])
    added.sources.create(url="https://example.org/since", title="Source since")
    assert revert(editor_client, mission, old).status_code == 302
    assert payload_named(reviewed) == "Reviewed text"
    assert {p.slug for p in Payload.objects.get(pk=reviewed.pk).providers.all()} == {"pakistan", "esa"}
    assert [s.title for s in Payload.objects.get(pk=reviewed.pk).sources.all()] == ["Reviewed source"]
    assert payload_named(added) == "Published since"
    assert [s.title for s in Payload.objects.get(pk=added.pk).sources.all()] == ["Source since"]
    assert [p.slug for p in Payload.objects.get(pk=added.pk).providers.all()] == ["esa"]
    assert SearchEntry.objects.filter(content_type__model="payload", object_id=added.pk).exists()
    assert payload_named(draft) == "Old draft text"  # a draft is the editor's to revert


def test_a_publishers_revert_restores_published_payloads_too(publisher_client):
    mission = make_mission(state=DRAFT)
    reviewed = make_payload(mission=mission, name="Old text", state=PUBLISHED)
    old = versioned(mission)
    Payload.objects.filter(pk=reviewed.pk).update(name="Reviewed text")
    added = make_payload(mission=mission, name="Published since", state=PUBLISHED)
    assert revert(publisher_client, mission, old).status_code == 302
    assert payload_named(reviewed) == "Old text"
    assert not Payload.objects.filter(pk=added.pk).exists()


def test_an_editor_cannot_revert_a_published_mission_to_an_older_draft(editor_client):
    mission = make_mission(name="Draft text", state=DRAFT)
    old = versioned(mission)
    Mission.objects.filter(pk=mission.pk).update(name="Reviewed text", editorial_state=State.PUBLISHED)
    url = f"{MISSIONS}{mission.pk}/history/{old.pk}/"
    assert 'name="_save"' not in editor_client.get(url).content.decode()
    assert revert(editor_client, mission, old, editorial_state=State.PUBLISHED).status_code == 403
    assert Mission.objects.get(pk=mission.pk).name == "Reviewed text"


@pytest.mark.parametrize("role", ["editor", "publisher"])
def test_a_payload_deleted_since_comes_back_from_a_revert_as_a_draft(request, role):
    client = request.getfixturevalue(f"{role}_client")
    mission = make_mission(state=DRAFT)
    payload = make_payload(mission=mission, name="Deleted camera", state=PUBLISHED)
    old = versioned(mission)
    payload.delete()
    assert revert(client, mission, old).status_code == 302
    assert Payload.objects.get(name="Deleted camera").editorial_state == State.DRAFT


@pytest.mark.parametrize("role", ["editor", "publisher"])
def test_a_recovered_mission_and_its_payloads_come_back_as_drafts(request, role):
    client = request.getfixturevalue(f"{role}_client")
    mission = make_mission(name="Deleted mission", state=PUBLISHED, publish_at=in_one_hour())
    make_payload(mission=mission, name="Deleted camera", state=PUBLISHED)
    versioned(mission)
    mission.delete()
    assert recover(client, Version.objects.get_deleted(Mission).get()).status_code == 302
    recovered = Mission.objects.get(name="Deleted mission")
    assert (recovered.editorial_state, recovered.publish_at) == (State.DRAFT, None)
    assert Payload.objects.get(name="Deleted camera").editorial_state == State.DRAFT


# --- The stale-save guard cannot be left out ----------------------------------------------------

STALE = "saved this while you were editing it. Your changes were NOT saved, and nothing was overwritten."


@pytest.mark.parametrize("loaded_at", [None, "", "yesterday", "2026-13-45T99:00:00+00:00"])
def test_a_save_without_a_valid_opening_time_is_refused_as_stale(editor_client, loaded_at):
    mission = make_mission(name="Saved by someone else", state=DRAFT)
    data = form_data(editor_client.get(change_url(mission)), name="Overwritten")
    if loaded_at is None:
        del data["loaded_at"]
    else:
        data["loaded_at"] = loaded_at
    response = editor_client.post(change_url(mission), data)
    assert response.status_code == 200
    assert STALE in response.content.decode()
    assert Mission.objects.get(pk=mission.pk).name == "Saved by someone else"


@pytest.mark.parametrize("loaded_at", [None, "", "not a time"])
def test_a_payload_row_without_a_valid_opening_time_is_refused_as_stale(editor_client, loaded_at):
    mission = make_mission(state=DRAFT)
    payload = make_payload(mission=mission, name="Saved by someone else", state=DRAFT)
    data = form_data(editor_client.get(change_url(mission)), **{"payloads-0-name_en": "Overwritten"})
    if loaded_at is None:
        del data["payloads-0-loaded_at"]
    else:
        data["payloads-0-loaded_at"] = loaded_at
    response = editor_client.post(change_url(mission), data)
    assert response.status_code == 200
    assert STALE in response.content.decode()
    assert payload_named(payload) == "Saved by someone else"


def test_a_new_payload_row_needs_no_opening_time(editor_client):
    from tests.admin_forms import add_inline_form

    mission = make_mission(state=DRAFT)
    response = editor_client.get(change_url(mission))
    data = add_inline_form(response, form_data(response), Payload, name_en="New camera", purpose_en="Looks.")
    assert editor_client.post(change_url(mission), data).status_code == 302
    assert Payload.objects.filter(mission=mission, name="New camera").exists()


# --- A publish time is a publisher's decision to publish ----------------------------------------


def schedule_fields(when):
    return {"publish_at_0": when.strftime("%Y-%m-%d"), "publish_at_1": when.strftime("%H:%M:%S")}


@pytest.mark.parametrize("state", [State.IN_REVIEW, State.DRAFT, State.UNPUBLISHED])
def test_a_publish_time_set_by_a_publisher_approves_the_item(publisher_client, client, state):
    mission = make_mission(state=state, slug="approved-by-schedule")
    response = save(publisher_client, mission, **schedule_fields(in_one_hour()))
    assert response.status_code == 302
    assert state_of(mission) == State.PUBLISHED
    assert Mission.objects.get(pk=mission.pk).is_scheduled
    assert "Scheduled for" in publisher_client.get(MISSIONS).content.decode()
    publisher_client.logout()
    assert client.get("/en/missions/approved-by-schedule/").status_code == 404


def test_approving_by_a_publish_time_is_said_and_recorded(publisher_client):
    mission = make_mission(name="Chang'e-8", state=State.IN_REVIEW)
    response = publisher_client.post(
        change_url(mission),
        form_data(publisher_client.get(change_url(mission)), **schedule_fields(in_one_hour())),
        follow=True,
    )
    assert "“Chang&#x27;e-8” is approved: it will be published at" in response.content.decode()
    assert "In review → Published" in Version.objects.get_for_object(mission).first().revision.get_comment()


def test_a_publish_time_with_another_state_chosen_is_refused(publisher_client):
    mission = make_mission(state=State.IN_REVIEW)
    response = save(publisher_client, mission, editorial_state=State.DRAFT, **schedule_fields(in_one_hour()))
    assert response.status_code == 200
    message = "A publish time publishes this at that time: choose “Published”, or clear the publish time."
    assert message in response.context["adminform"].form.errors["publish_at"]
    mission.refresh_from_db()
    assert (mission.editorial_state, mission.publish_at) == (State.IN_REVIEW, None)


def test_a_publish_time_left_as_it_was_does_not_publish_again(publisher_client):
    mission = make_mission(state=PUBLISHED, publish_at=in_one_hour())
    save(publisher_client, mission, editorial_state=State.UNPUBLISHED)
    assert state_of(mission) == State.UNPUBLISHED


def test_editor_cannot_schedule_a_new_mission_with_a_forged_field(editor_client):
    data = form_data(
        editor_client.get(f"{MISSIONS}add/"),
        name="Forged",
        slug="forged",
        phase="station",
        status="planned",
        summary_en="x",
        types=["1"],
        **schedule_fields(in_one_hour()),
    )
    assert editor_client.post(f"{MISSIONS}add/", data).status_code == 302
    forged = Mission.objects.get(slug="forged")
    assert (forged.editorial_state, forged.publish_at) == (State.DRAFT, None)


# --- Publishing a mission offers to take its unpublished payloads along -------------------------


@pytest.fixture
def mission_with_a_draft_payload(pakistan):
    mission = make_mission(name="Chang'e-7", slug="chang-e-7", state=State.IN_REVIEW)
    payload = make_payload(mission=mission, name="Pakistani camera", providers=[pakistan], state=DRAFT)
    return mission, payload


def payload_state(payload):
    return Payload.objects.get(pk=payload.pk).editorial_state


def test_the_mission_form_offers_to_take_unpublished_payloads_along(publisher_client, mission_with_a_draft_payload):
    mission, _payload = mission_with_a_draft_payload
    page = publisher_client.get(change_url(mission)).content.decode()
    assert 'name="take_children_along"' in page
    assert "Not published yet: payload “Pakistani camera” (Draft)." in page


def test_a_mission_without_unpublished_payloads_offers_nothing(publisher_client):
    mission = make_mission(state=State.IN_REVIEW)
    make_payload(mission=mission, state=PUBLISHED)
    assert 'name="take_children_along"' not in publisher_client.get(change_url(mission)).content.decode()


def test_publishing_a_mission_with_its_payloads_in_one_step(publisher_client, client, mission_with_a_draft_payload):
    mission, payload = mission_with_a_draft_payload
    response = save(publisher_client, mission, editorial_state=State.PUBLISHED, take_children_along="on")
    assert response.status_code == 302
    assert payload_state(payload) == State.PUBLISHED
    publisher_client.logout()
    page = client.get("/en/missions/chang-e-7/").content.decode()
    assert "Pakistani camera" in page
    assert "No international payload is recorded" not in page


def test_publishing_a_mission_alone_says_which_payloads_stay_hidden(publisher_client, mission_with_a_draft_payload):
    mission, payload = mission_with_a_draft_payload
    data = form_data(publisher_client.get(change_url(mission)), editorial_state=State.PUBLISHED)
    page = publisher_client.post(change_url(mission), data, follow=True).content.decode()
    assert "Still hidden from the public: payload “Pakistani camera” (Draft)." in page
    assert payload_state(payload) == State.DRAFT


def test_an_editor_submits_a_mission_with_its_draft_payloads(editor_client, pakistan):
    mission = make_mission(state=DRAFT)
    payload = make_payload(mission=mission, providers=[pakistan], state=DRAFT)
    assert save(editor_client, mission, editorial_state=State.IN_REVIEW, take_children_along="on").status_code == 302
    assert (state_of(mission), payload_state(payload)) == (State.IN_REVIEW, State.IN_REVIEW)


def test_submitting_a_mission_alone_says_which_payloads_stay_behind(editor_client):
    mission = make_mission(state=DRAFT)
    payload = make_payload(mission=mission, name="Camera", state=DRAFT)
    data = form_data(editor_client.get(change_url(mission)), editorial_state=State.IN_REVIEW)
    page = editor_client.post(change_url(mission), data, follow=True).content.decode()
    assert "Not submitted for review, so still hidden once published: payload “Camera” (Draft)." in page
    assert payload_state(payload) == State.DRAFT


def test_taking_payloads_along_needs_the_right_to_publish_payloads(client, django_user_model, pakistan):
    from django.contrib.auth.models import Group, Permission

    mission_publisher = django_user_model.objects.create_user("mira", password="a-long-test-password", is_staff=True)
    mission_publisher.groups.add(Group.objects.get(name="Editors"))
    mission_publisher.user_permissions.add(Permission.objects.get(codename="publish_mission"))
    client.force_login(mission_publisher)
    mission = make_mission(state=State.IN_REVIEW)
    payload = make_payload(mission=mission, name="Camera", providers=[pakistan], state=State.IN_REVIEW)
    data = form_data(client.get(change_url(mission)), editorial_state=State.PUBLISHED, take_children_along="on")
    page = client.post(change_url(mission), data, follow=True).content.decode()
    assert state_of(mission) == State.PUBLISHED
    assert payload_state(payload) == State.IN_REVIEW
    assert "Still hidden from the public: payload “Camera” (In review)." in page


def test_bulk_publish_asks_about_the_payloads_left_behind(publisher_client, mission_with_a_draft_payload):
    mission, payload = mission_with_a_draft_payload
    page = run_action(publisher_client, "publish", mission)
    content = page.content.decode()
    assert "Pakistani camera" in content and "Publish these too" in content
    assert (state_of(mission), payload_state(payload)) == (State.IN_REVIEW, State.DRAFT)  # nothing yet


@pytest.mark.parametrize("answer", ["along", "behind"])
def test_bulk_publish_takes_payloads_along_or_says_what_stays_hidden(publisher_client, client, answer, pakistan):
    mission = make_mission(name="Chang'e-7", slug="chang-e-7", state=State.IN_REVIEW)
    payload = make_payload(mission=mission, name="Pakistani camera", providers=[pakistan], state=DRAFT)
    confirmed = {
        "action": "publish",
        "_selected_action": [mission.pk],
        "children": {"along": "along", "behind": "alone"}[answer],
    }
    page = publisher_client.post(MISSIONS, confirmed, follow=True).content.decode()
    assert "1 item published." in page
    assert state_of(mission) == State.PUBLISHED
    if answer == "along":
        assert payload_state(payload) == State.PUBLISHED
        assert "Also published: payload “Pakistani camera”." in page
    else:
        assert payload_state(payload) == State.DRAFT
        assert "Still hidden from the public: payload “Pakistani camera” (Draft)." in page
    publisher_client.logout()
    visible = "Pakistani camera" in client.get("/en/missions/chang-e-7/").content.decode()
    assert visible is (answer == "along")


def test_bulk_submit_takes_draft_payloads_to_review(editor_client):
    mission = make_mission(state=DRAFT)
    payload = make_payload(mission=mission, state=DRAFT)
    assert "Submit these for review too" in run_action(editor_client, "submit_for_review", mission).content.decode()
    confirmed = {"action": "submit_for_review", "_selected_action": [mission.pk], "children": "along"}
    editor_client.post(MISSIONS, confirmed)
    assert (state_of(mission), payload_state(payload)) == (State.IN_REVIEW, State.IN_REVIEW)
