"""Facts an editor can keep true (issue 23, point 9): a planned launch whose time has come is
never shown as still ahead, and editors find it, with every fact whose source has grown old, in
a "Needs review" list and its count on the admin index."""

import datetime

import pytest
from django.utils import timezone

from missions.models import Mission
from partners.models import Partner
from publishing.models import plan_begins
from tests.factories import make_agreement, make_mission, make_partner

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 12, 6, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def on_6_december_2026(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.mark.parametrize(
    "window, begins",
    [
        ("second half of 2026", datetime.date(2026, 7, 1)),
        ("2026年下半年", datetime.date(2026, 7, 1)),
        ("late 2026", datetime.date(2026, 7, 1)),
        ("around 2029", datetime.date(2029, 1, 1)),
        ("2029年前后", datetime.date(2029, 1, 1)),
        ("2028", datetime.date(2028, 1, 1)),
        ("", None),
        ("to be announced", None),
    ],
)
def test_a_planned_window_in_words_begins_on_a_date(window, begins):
    assert plan_begins(window) == begins


def planned(slug: str, window_en: str, window_zh: str = "", **fields) -> Mission:
    return make_mission(
        slug=slug,
        launch_date=None,
        status=Mission.Status.IN_DEVELOPMENT,
        launch_window_en=window_en,
        launch_window_zh_hans=window_zh,
        **fields,
    )


def test_a_plan_whose_time_has_come_is_not_shown_as_still_ahead(client, on_6_december_2026):
    planned("chang-e-7", "second half of 2026", "2026年下半年")
    planned("chang-e-8", "around 2029", "2029年前后")

    page = client.get("/en/missions/chang-e-7/").content.decode()
    assert "Planned: second half of 2026" in page
    assert "That time has come, and no launch is recorded here yet" in page
    zh = client.get("/zh-hans/missions/chang-e-7/").content.decode()
    assert "计划时间已到，但本站尚未记录发射" in zh
    cards = client.get("/en/missions/").content.decode()
    assert "Planned second half of 2026 (launch not yet recorded)" in cards

    later = client.get("/en/missions/chang-e-8/").content.decode()
    assert "Planned: around 2029" in later and "That time has come" not in later
    assert "Planned around 2029 (launch not yet recorded)" not in cards


def test_a_plan_still_ahead_and_a_launched_mission_are_shown_as_they_are(client, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC), tick=False)
    planned("chang-e-7", "second half of 2026")
    make_mission(slug="chang-e-6", launch_date=datetime.date(2024, 5, 3))
    assert "That time has come" not in client.get("/en/missions/chang-e-7/").content.decode()
    assert "That time has come" not in client.get("/en/missions/chang-e-6/").content.decode()


def test_needs_review_lists_passed_plans_and_old_sources(settings, on_6_december_2026):
    settings.REVIEW_AFTER_DAYS = 365
    due_plan = planned("chang-e-7", "", "2026年下半年")  # a window in Chinese only counts too
    planned("chang-e-8", "around 2029", facts_as_of=datetime.date(2026, 6, 1))
    old_facts = planned("ilrs-station", "around 2035", facts_as_of=datetime.date(2024, 4, 25))
    launched = make_mission(slug="chang-e-6")
    launched.sources.create(url="https://example.org/new", title="Recent", as_of=datetime.date(2026, 10, 1))
    old_source = make_mission(slug="chang-e-4")
    old_source.sources.create(url="https://example.org/old", title="Old", as_of=datetime.date(2024, 1, 3))
    old_source.sources.create(url="https://example.org/undated", title="Undated")
    partner = make_partner(slug="pakistan")
    partner.sources.create(url="https://example.org/ilrs", title="Joins the ILRS", as_of=datetime.date(2023, 10, 18))
    make_partner(slug="thailand").sources.create(url="https://example.org/t", title="T", as_of=timezone.localdate())

    assert set(Mission.objects.needs_review()) == {due_plan, old_facts, old_source}
    assert list(Partner.objects.needs_review()) == [partner]
    settings.REVIEW_AFTER_DAYS = 365 * 3
    assert set(Mission.objects.needs_review()) == {due_plan}, "the age is a setting"


def test_the_admin_lists_what_needs_review_and_counts_it_on_the_index(publisher_client, on_6_december_2026):
    planned("chang-e-7", "second half of 2026")
    make_mission(slug="chang-e-6", name="Chang'e-6")
    listed = publisher_client.get("/admin/missions/mission/", {"review": "due"})
    assert listed.status_code == 200
    assert [mission.slug for mission in listed.context["cl"].result_list] == ["chang-e-7"]
    assert "Needs review" in listed.content.decode()  # the filter, beside "Missing Chinese"

    index = publisher_client.get("/admin/").content.decode()
    assert 'href="/admin/missions/mission/?review=due" class="needs-review">1 to review</a>' in index


def test_an_agreement_cited_long_ago_is_listed_for_review(publisher_client, settings, on_6_december_2026):
    settings.REVIEW_AFTER_DAYS = 365
    old = make_agreement(title="Memorandum of 2021")
    old.sources.create(url="https://example.org/2021", title="The 2021 memorandum", as_of=datetime.date(2021, 3, 9))
    recent = make_agreement(title="Memorandum of 2026")
    recent.sources.create(url="https://example.org/2026", title="The 2026 one", as_of=datetime.date(2026, 6, 1))
    response = publisher_client.get("/admin/partners/agreement/", {"review": "due"})
    assert [agreement.title for agreement in response.context["cl"].result_list] == ["Memorandum of 2021"]


def test_a_made_up_review_value_lists_everything(publisher_client):
    make_mission(slug="chang-e-6")
    response = publisher_client.get("/admin/missions/mission/", {"review": "<script>"})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 1
