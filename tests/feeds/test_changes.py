"""What changed: a page tells the public changes written down as editors save, and nothing else."""

import datetime

import pytest
import reversion
from django.utils import timezone
from reversion.models import Version

from missions.models import LaunchSite, LaunchVehicle, Mission, Payload
from partners.models import Partner
from publishing.history import SHOWN_CHANGES, public_changes
from publishing.models import EditorialState as State
from tests.admin_forms import add_inline_form, form_data
from tests.factories import DRAFT, make_mission, make_partner, make_payload, named_record
from tests.imports.test_command import partner_row, run, write
from tests.query_counts import count_queries

pytestmark = pytest.mark.django_db

SECRET = "Zqsecret"


def saved(instance, user=None, comment="", when=None, **changes):
    """Save `instance` with `changes` as the admin does: one revision, with who and why (and
    when, if not now)."""
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        if when:
            reversion.set_date_created(when)
        for name, value in changes.items():
            setattr(instance, name, value)
        instance.save()
    return instance


def lines(instance):
    return [change.lines for change in public_changes(instance)]


def section(client, url) -> str:
    page = client.get(url).content.decode()
    return page[page.index('id="changes"') : page.index('id="cite"')]


def test_the_first_public_save_reads_published(publisher):
    mission = make_mission(state=DRAFT)
    saved(mission, publisher, "Draft → Published", editorial_state=State.PUBLISHED)
    assert lines(mission) == [["Published"]]


def test_edits_while_published_are_told_by_field_label_newest_first(publisher):
    mission = saved(make_mission(), publisher)
    saved(mission, publisher, summary="A new summary.")
    saved(mission, publisher, landing_site="Apollo basin", name_zh="嫦娥")
    assert lines(mission) == [["Chinese name updated", "Landing site updated"], ["Summary updated"], ["Published"]]


def test_draft_saves_are_not_told_and_their_content_never_shown(client, publisher):
    mission = saved(make_mission(slug="m", summary="Public summary."), publisher)
    saved(mission, publisher, editorial_state=State.UNPUBLISHED)
    saved(mission, publisher, editorial_state=State.DRAFT, summary=f"{SECRET} plans", landing_site=SECRET)
    saved(mission, publisher, landing_site="", summary="Public summary, revised.")
    saved(mission, publisher, editorial_state=State.PUBLISHED)
    # Compared with the last public save: the landing site went and came back, unseen.
    assert lines(mission) == [["Published again", "Summary updated"], ["Published"]]
    page = client.get("/en/missions/m/").content.decode()
    assert SECRET not in page


def test_a_draft_payload_is_not_told_until_it_is_published(client, publisher):
    mission = saved(make_mission(slug="m"), publisher)
    payload = make_payload(mission=mission, name=f"{SECRET} camera", acronym="ZQC", state=DRAFT)
    saved(mission, publisher)
    assert lines(mission) == [["Published"]]
    assert SECRET not in section(client, "/en/missions/m/")
    Payload.objects.filter(pk=payload.pk).update(editorial_state=State.PUBLISHED, name="Lunar camera")
    saved(mission, publisher)
    assert lines(mission) == [["Payload “ZQC (Lunar camera)” added"], ["Published"]]


def test_related_rows_added_changed_and_removed(publisher):
    mission = saved(make_mission(), publisher)
    source = mission.sources.create(url="https://example.org/", title="Press release")
    saved(mission, publisher)
    source.title = "Press release, corrected"
    source.save()
    saved(mission, publisher)
    source.delete()
    saved(mission, publisher)
    assert lines(mission) == [
        ["Source “Press release, corrected” removed"],
        ["Source “Press release, corrected” updated"],
        ["Source “Press release” added"],
        ["Published"],
    ]


def test_a_scheduled_save_is_not_public_until_its_time(publisher):
    mission = saved(make_mission(), publisher, publish_at=timezone.now() + datetime.timedelta(days=1))
    saved(mission, publisher, summary=f"{SECRET} text")
    assert lines(mission) == []


def test_many_changes_are_bounded(publisher):
    mission = saved(make_mission(), publisher)
    for number in range(SHOWN_CHANGES + 5):
        saved(mission, publisher, summary=f"Summary {number}.")
    changes = public_changes(mission)
    assert len(changes) == SHOWN_CHANGES
    assert changes[0].lines == ["Summary updated"]


def test_many_lines_are_summed_up(publisher):
    mission = saved(make_mission(), publisher)
    saved(
        mission,
        publisher,
        name="N",
        name_zh="Z",
        summary="S",
        landing_site="L",
        launch_site=named_record(LaunchSite, "LS"),
        launch_vehicle=named_record(LaunchVehicle, "LV"),
        cospar_id="2024-001A",
    )
    assert lines(mission)[0][-1] == "and 2 more changes"
    assert len(lines(mission)[0]) == 6


def test_the_page_shows_dates_and_labels_never_who_or_why(client, django_user_model):
    editor = django_user_model.objects.create_user("Zqeditorname", password="a-long-test-password", is_staff=True)
    mission = saved(make_mission(slug="m"), editor, f"{SECRET} comment")
    saved(mission, editor, f"{SECRET} second comment", summary="Better summary.")
    page = section(client, "/en/missions/m/")
    assert "Summary updated" in page and "Published" in page
    assert "<time datetime=" in page
    for hidden in ["Zqeditorname", SECRET, "Draft", "published → ", "In review"]:
        assert hidden not in page
    assert "Zqeditorname" not in client.get("/en/missions/m/feed/").content.decode()


def test_a_partner_page_tells_its_changes_in_chinese_too(client, publisher):
    partner = saved(make_partner(slug="p", name="Pakistan", name_zh="巴基斯坦"), publisher)
    saved(partner, publisher, summary="Another summary.")
    assert "Summary updated" in section(client, "/en/partners/p/")
    chinese = client.get("/zh-hans/partners/p/").content.decode()
    assert 'id="changes"' in chinese


def test_content_without_history_says_so(client):
    make_mission(slug="m")
    assert "No public change recorded yet." in section(client, "/en/missions/m/")


def test_changes_made_in_the_admin_are_told(publisher_client, pakistan):
    mission = make_mission(slug="m", state=DRAFT)
    url = f"/admin/missions/mission/{mission.pk}/change/"
    response = publisher_client.get(url)
    data = form_data(response, editorial_state=State.PUBLISHED)
    add_inline_form(
        response,
        data,
        Payload,
        name_en="Negative Ions at the Lunar Surface",
        acronym="NILS",
        purpose_en="Measures ions.",
        editorial_state=State.PUBLISHED,
        origin="international",
        selection_status="flown",
        providers=[str(pakistan.pk)],
    )
    assert publisher_client.post(url, data).status_code == 302
    response = publisher_client.get(url)
    assert publisher_client.post(url, form_data(response, summary_en="Revised summary.")).status_code == 302
    assert lines(mission) == [["Summary updated"], ["Published"]]
    page = section(publisher_client, "/en/missions/m/")
    assert "Summary updated" in page and "pat" not in page


def test_a_payload_saved_on_its_own_counts_as_a_change_of_its_mission(publisher):
    mission = saved(make_mission(), publisher)
    payload = saved(make_payload(mission=mission, name=f"{SECRET} idea", acronym="ZQI", state=DRAFT), publisher)
    saved(payload, publisher, name="Dust analyser")  # still a draft: nothing public happened
    assert lines(mission) == [["Published"]]
    saved(payload, publisher, editorial_state=State.PUBLISHED)
    saved(payload, publisher, purpose="Counts dust grains.")
    saved(payload, publisher, editorial_state=State.UNPUBLISHED)
    assert [change.lines for change in public_changes(mission)] == [
        ["Payload “ZQI (Dust analyser)” removed"],
        ["Payload “ZQI (Dust analyser)” updated"],
        ["Payload “ZQI (Dust analyser)” added"],
        ["Published"],
    ]


def test_publishing_a_payload_from_the_payload_list_shows_on_the_mission_page(publisher_client, publisher, client):
    mission = saved(make_mission(slug="m"), publisher)
    payload = make_payload(mission=mission, name="Lunar dust counter", acronym="LDC", state=DRAFT)
    response = publisher_client.post(
        "/admin/missions/payload/", {"action": "publish", "_selected_action": [str(payload.pk)]}
    )
    assert response.status_code == 302
    assert "Payload “LDC (Lunar dust counter)” added" in section(client, "/en/missions/m/")


def hours_ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


def test_a_scheduled_mission_is_told_as_published_when_its_time_came(client, publisher):
    went_public = hours_ago(1).replace(microsecond=0)
    mission = saved(make_mission(slug="m"), publisher, publish_at=went_public, when=hours_ago(2))
    (change,) = public_changes(mission)
    assert change.lines == ["Published"] and change.date == went_public
    assert f'id="{change.anchor}"' in section(client, "/en/missions/m/")


def test_an_expired_mission_published_again_is_compared_with_what_the_public_last_saw(publisher):
    mission = saved(make_mission(), publisher, unpublish_at=hours_ago(2), when=hours_ago(3))
    saved(mission, publisher, unpublish_at=None, summary="Back, with a new summary.")
    assert lines(mission) == [["Published again", "Summary updated"], ["Published"]]


def test_a_scheduled_publication_is_told_at_its_moment_and_not_before(client, publisher, monkeypatch):
    soon = hours_ago(-1).replace(microsecond=0)
    mission = saved(make_mission(slug="m", state=DRAFT), publisher)
    saved(mission, publisher, editorial_state=State.PUBLISHED, publish_at=soon)
    assert lines(mission) == []
    monkeypatch.setattr(timezone, "now", lambda: soon + datetime.timedelta(minutes=1))
    (change,) = public_changes(mission)
    assert change.lines == ["Published"] and change.date == soon
    assert f'id="{change.anchor}"' in section(client, "/en/missions/m/")


def test_a_payload_scheduled_on_its_own_is_told_on_its_mission_at_its_moment(publisher, monkeypatch):
    mission = saved(make_mission(), publisher)
    payload = make_payload(mission=mission, name="Dust counter", acronym="DC", state=DRAFT)
    soon = hours_ago(-1).replace(microsecond=0)
    saved(payload, publisher, editorial_state=State.PUBLISHED, publish_at=soon)
    assert lines(mission) == [["Published"]]
    monkeypatch.setattr(timezone, "now", lambda: soon + datetime.timedelta(minutes=1))
    latest = public_changes(mission)[0]
    assert latest.lines == ["Payload “DC (Dust counter)” added"] and latest.date == soon


def test_a_rescheduled_publication_is_told_at_its_new_moment_only(publisher, monkeypatch):
    first, second = hours_ago(-1).replace(microsecond=0), hours_ago(-3).replace(microsecond=0)
    mission = saved(make_mission(state=DRAFT), publisher, editorial_state=State.PUBLISHED, publish_at=first)
    saved(mission, publisher, publish_at=second)
    later = hours_ago(-4)
    monkeypatch.setattr(timezone, "now", lambda: later)
    (change,) = public_changes(mission)
    assert change.lines == ["Published"] and change.date == second


def test_edits_made_while_hidden_are_told_once_published_against_what_the_public_saw(client, publisher):
    mission = saved(make_mission(slug="m", summary="Seen.", landing_site="Seen crater"), publisher)
    saved(mission, publisher, editorial_state=State.DRAFT, summary=f"{SECRET} draft")
    saved(mission, publisher, summary="Better.", landing_site=f"{SECRET} crater")
    make_payload(mission=mission, name=f"{SECRET} idea", state=DRAFT)
    saved(
        mission,
        publisher,
        editorial_state=State.IN_REVIEW,
        landing_site="Seen crater",
        launch_vehicle=named_record(LaunchVehicle, "CZ-5"),
    )
    assert lines(mission) == [["Published"]]
    saved(mission, publisher, editorial_state=State.PUBLISHED)
    latest = public_changes(mission)[0]
    assert latest.lines == ["Published again", "Launch vehicle updated", "Summary updated"]
    assert latest.date > hours_ago(0.01)
    assert SECRET not in section(client, "/en/missions/m/")


@pytest.mark.usefixtures("no_page_cache")
@pytest.mark.parametrize("factory, url", [(make_mission, "/en/missions/r/"), (make_partner, "/en/partners/r/")])
def test_a_record_page_reads_its_changes_in_one_query_however_long_its_history(
    client, publisher, factory, url, django_assert_num_queries
):
    record = saved(factory(slug="r"), publisher)
    client.get(url)  # content types are looked up once per process, then cached
    with django_assert_num_queries(1):
        public_changes(record)
    one_change = count_queries(client, url)
    for number in range(100):
        saved(record, publisher, summary=f"Summary {number}.")
    assert len(public_changes(record)) == SHOWN_CHANGES
    assert count_queries(client, url) == one_change
    with django_assert_num_queries(1):
        public_changes(record)


@pytest.fixture
def payload_on_m(publisher):
    mission = saved(make_mission(slug="m"), publisher)
    return saved(make_payload(mission=mission, name="Dust counter", acronym="DC"), publisher)


def test_a_payload_deleted_on_its_own_admin_page_is_told_on_its_mission(publisher_client, client, payload_on_m):
    response = publisher_client.post(f"/admin/missions/payload/{payload_on_m.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert "Payload “DC (Dust counter)” removed" in section(client, "/en/missions/m/")


def test_payloads_deleted_from_the_payload_list_are_told_on_their_mission(publisher_client, client, payload_on_m):
    selected = {"action": "delete_selected", "_selected_action": [str(payload_on_m.pk)], "post": "yes"}
    assert publisher_client.post("/admin/missions/payload/", selected).status_code == 302
    assert "Payload “DC (Dust counter)” removed" in section(client, "/en/missions/m/")


def test_deleting_a_mission_writes_no_change_for_its_payloads(publisher_client, payload_on_m):
    mission = payload_on_m.mission
    response = publisher_client.post(f"/admin/missions/mission/{mission.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert [change.lines for change in public_changes(mission)] == [
        ["Payload “DC (Dust counter)” added"],
        ["Published"],
    ]


def test_a_deleted_mission_recovered_and_published_is_published_again(publisher_client, publisher, payload_on_m):
    mission = payload_on_m.mission
    publisher_client.post(f"/admin/missions/mission/{mission.pk}/delete/", {"post": "yes"})
    version = Version.objects.get_deleted(Mission).get()
    recover_url = f"/admin/missions/mission/recover/{version.pk}/"
    assert publisher_client.post(recover_url, form_data(publisher_client.get(recover_url))).status_code == 302
    recovered = Mission.objects.get(pk=mission.pk)
    assert recovered.editorial_state == State.DRAFT  # recovered content is a draft until published
    saved(recovered, publisher, editorial_state=State.PUBLISHED)
    assert lines(mission) == [
        # Its payload, recovered with it, is a draft too: the public no longer sees it.
        ["Published again", "Payload “DC (Dust counter)” removed"],
        ["Payload “DC (Dust counter)” added"],
        ["Published"],
    ]


def test_a_revert_in_the_admin_is_told_against_what_the_public_saw(publisher_client, client):
    mission = make_mission(slug="m", summary="First summary.")
    url = f"/admin/missions/mission/{mission.pk}/change/"
    assert publisher_client.post(url, form_data(publisher_client.get(url))).status_code == 302
    first = Version.objects.get_for_object(mission).get()
    revised = form_data(publisher_client.get(url), summary_en=f"{SECRET} summary.", editorial_state=State.UNPUBLISHED)
    assert publisher_client.post(url, revised).status_code == 302
    revert_url = f"/admin/missions/mission/{mission.pk}/history/{first.pk}/"
    # The revert form is shown over the old revision, written and rolled back: nothing is told.
    form = publisher_client.get(revert_url)
    assert lines(mission) == [["Published"]]
    assert publisher_client.post(revert_url, form_data(form, editorial_state=State.PUBLISHED)).status_code == 302
    assert lines(mission) == [["Published again"], ["Published"]]
    assert SECRET not in section(client, "/en/missions/m/")


def test_an_imported_file_is_told_as_an_editors_save_is(publisher, client, tmp_path):
    run("partners", write(tmp_path, [partner_row(1, slug="p")]), "--as", "pat")
    run("partners", write(tmp_path, [partner_row(1, slug="p", summary_en="Revised in a file.")]), "--as", "pat")
    assert lines(Partner.objects.get(slug="p")) == [["Summary updated"], ["Published"]]
    assert "Summary updated" in section(client, "/en/partners/p/")
