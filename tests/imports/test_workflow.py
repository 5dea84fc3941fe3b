"""An import is one more route into the editorial workflow: the same rules as the change form."""

import pytest
from reversion.models import Version

from missions.models import Mission, Payload
from partners.models import Partner
from publishing.models import EditorialState as State
from tests.factories import DRAFT, PUBLISHED, make_mission, make_partner

from .files import confirm, import_file, import_types, messages_of, preview, upload

pytestmark = pytest.mark.django_db

PUBLISHERS_ONLY = "Only publishers can publish, unpublish or schedule content."

PARTNERS = "/admin/partners/partner/"
MISSIONS = "/admin/missions/mission/"
PAYLOADS = "/admin/missions/payload/"


def partner_row(slug, **changes):
    return {
        "slug": slug,
        "name": slug.title(),
        "kind": "organisation",
        "country": "",
        "region": "international",
        "summary_en": f"What {slug} does.",
    } | changes


def state_of(slug):
    return Partner.objects.get(slug=slug).editorial_state


def invalid_rows(page):
    return {row.number: row.error_dict for row in page.context["result"].invalid_rows}


def test_an_editors_new_rows_arrive_as_drafts_whatever_the_file_says(editor_client, client):
    rows = [
        partner_row("alpha", editorial_state="published"),
        partner_row("beta", editorial_state="in_review", publish_at="2030-01-01 10:00:00"),
        partner_row("gamma", editorial_state="unpublished", unpublish_at="2030-01-01 10:00:00"),
    ]
    assert "New rows arrive as drafts" in editor_client.get(f"{PARTNERS}import/").content.decode()
    page = preview(editor_client, PARTNERS, upload(rows))
    assert import_types(page) == ["new", "new", "new"]
    result = page.context["result"]
    state_column = result.diff_headers.index("Editorial state")
    assert ["<ins>Draft</ins>" in row.diff[state_column] for row in result.valid_rows()] == [True, True, True]
    confirm(editor_client, PARTNERS, page)
    for partner in Partner.objects.all():
        assert (partner.editorial_state, partner.publish_at, partner.unpublish_at) == (State.DRAFT, None, None)
    assert client.get("/en/partners/alpha/").status_code == 404


def test_an_editor_cannot_publish_existing_content_by_import(editor_client):
    make_partner(slug="draft-one", name="Draft one", state=DRAFT)
    page = preview(editor_client, PARTNERS, upload([partner_row("draft-one", editorial_state="published")]))
    assert invalid_rows(page) == {1: {"editorial_state": [PUBLISHERS_ONLY]}}
    assert "Confirm import" not in page.content.decode()
    assert state_of("draft-one") == State.DRAFT


def test_an_editor_cannot_schedule_by_import(editor_client):
    make_partner(slug="draft-one", name="Draft one", state=DRAFT)
    page = preview(editor_client, PARTNERS, upload([partner_row("draft-one", publish_at="2030-01-01 10:00")]))
    assert invalid_rows(page) == {1: {"publish_at": [PUBLISHERS_ONLY]}}
    assert Partner.objects.get(slug="draft-one").publish_at is None


def test_an_editor_may_submit_drafts_for_review_by_import(editor_client, editor):
    make_partner(slug="draft-one", name="Draft one", state=DRAFT)
    import_file(editor_client, PARTNERS, upload([partner_row("draft-one", editorial_state="in_review")]))
    assert state_of("draft-one") == State.IN_REVIEW
    assert Version.objects.get_for_object(Partner.objects.get(slug="draft-one")).get().revision.user == editor


def test_an_editor_import_touching_published_content_is_refused_and_writes_nothing(editor_client):
    make_partner(slug="live", name="Live", summary="Published summary.", state=PUBLISHED)
    rows = [partner_row("newcomer"), partner_row("live", name="Live", summary_en="Changed by an editor.")]
    page = preview(editor_client, PARTNERS, upload(rows))
    assert invalid_rows(page) == {2: {"__all__": ["This is published: only a publisher can change it."]}}
    assert "This is published: only a publisher can change it." in page.content.decode()
    assert Partner.objects.get(slug="live").summary == "Published summary."
    assert not Partner.objects.filter(slug="newcomer").exists()


def test_an_editor_may_reimport_an_export_that_includes_published_rows_unchanged(editor_client):
    make_partner(slug="live", name="Live", summary="What live does.", region="international", state=PUBLISHED)
    make_partner(slug="draft", name="Draft", summary="What draft does.", region="international", state=DRAFT)
    rows = [
        partner_row("live", name="Live", kind="organisation", editorial_state="published"),
        partner_row("draft", name="Draft", summary_en="Better summary.", editorial_state="draft"),
    ]
    page = preview(editor_client, PARTNERS, upload(rows))
    assert import_types(page) == ["skip", "update"]
    confirm(editor_client, PARTNERS, page)
    assert Partner.objects.get(slug="draft").summary == "Better summary."


def test_an_editor_cannot_change_a_published_payload_by_import(editor_client, chang_e_6):
    row = {"mission": "chang-e-6", "name": "ICUBE-Q lunar CubeSat", "purpose_en": "Rewritten.", "providers": "pakistan"}
    page = preview(editor_client, PAYLOADS, upload([row]))
    assert invalid_rows(page) == {1: {"__all__": ["This is published: only a publisher can change it."]}}
    assert Payload.objects.get(name="ICUBE-Q lunar CubeSat").purpose != "Rewritten."


def test_a_publishers_import_publishes_and_unpublishes(publisher_client, client, publisher):
    make_mission(slug="old", name="Old", state=PUBLISHED)
    make_mission(slug="reviewed", name="Reviewed", state=State.IN_REVIEW)
    base = {"phase": "station", "types": "orbiter", "status": "planned", "summary_en": "A mission."}
    rows = [
        base | {"slug": "old", "name": "Old", "editorial_state": "unpublished"},
        base | {"slug": "reviewed", "name": "Reviewed", "editorial_state": "published"},
        base | {"slug": "brand-new", "name": "Brand new", "editorial_state": "published"},
    ]
    page = preview(publisher_client, MISSIONS, upload(rows))
    assert import_types(page) == ["update", "update", "new"]
    confirm(publisher_client, MISSIONS, page)
    states = dict(Mission.objects.values_list("slug", "editorial_state"))
    assert states == {"old": State.UNPUBLISHED, "reviewed": State.PUBLISHED, "brand-new": State.PUBLISHED}
    publisher_client.logout()
    assert client.get("/en/missions/brand-new/").status_code == 200
    assert client.get("/en/missions/old/").status_code == 404


def test_a_publisher_schedules_by_import(publisher_client, client):
    row = partner_row("soon", editorial_state="published", publish_at="2099-01-01 08:00:00")
    import_file(publisher_client, PARTNERS, upload([row]))
    partner = Partner.objects.get(slug="soon")
    assert partner.is_scheduled
    assert partner.publish_at.isoformat() == "2099-01-01T08:00:00+00:00"
    publisher_client.logout()
    assert client.get("/en/partners/soon/").status_code == 404


def test_a_publisher_cannot_skip_a_workflow_step_by_import(publisher_client):
    make_partner(slug="live", name="Live", state=PUBLISHED)
    rows = [partner_row("live", editorial_state="draft"), partner_row("fresh", editorial_state="unpublished")]
    page = preview(publisher_client, PARTNERS, upload(rows))
    assert invalid_rows(page) == {
        1: {"editorial_state": ["You cannot move this from “Published” to “Draft”."]},
        2: {"editorial_state": ["You cannot move this from “Draft” to “Unpublished”."]},
    }
    assert state_of("live") == State.PUBLISHED


def test_an_unknown_state_is_reported(publisher_client):
    page = preview(publisher_client, PARTNERS, upload([partner_row("odd", editorial_state="live")]))
    assert invalid_rows(page) == {
        1: {"editorial_state": ["“live” is not one of Draft, In review, Published, Unpublished."]}
    }


def test_a_forged_confirmation_by_an_editor_cannot_publish(editor_client, publisher_client, editor):
    """The confirmation re-checks every row as the person who posts it."""
    make_partner(slug="draft-one", name="Draft one", state=DRAFT)
    page = preview(publisher_client, PARTNERS, upload([partner_row("draft-one", editorial_state="published")]))
    form = page.context["confirm_form"]
    editor_client.force_login(editor)
    response = editor_client.post(f"{PARTNERS}process_import/", {name: form.initial[name] for name in form.fields})
    assert "Nothing was imported" in messages_of(response)[0]
    assert state_of("draft-one") == State.DRAFT
