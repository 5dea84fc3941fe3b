"""Publishing a record that cites no source is allowed, and the admin says so: a reader could not
check it. Its sources added in the same save count."""

import pytest

from missions.models import Mission, MissionSource
from partners.models import Agreement
from publishing.models import EditorialState as State
from tests.admin_forms import add_inline_form, form_data
from tests.factories import make_agreement, make_mission

pytestmark = pytest.mark.django_db

MISSIONS = "/admin/missions/mission/"
WARNING = "Published without a source"


def publish_in_form(client, change_url, **source):
    """Publish the record of the change form at `change_url`, adding a mission source when given."""
    page = client.get(change_url)
    data = form_data(page, editorial_state=State.PUBLISHED)
    if source:
        data = add_inline_form(page, data, MissionSource, **source)
    return client.post(change_url, data, follow=True)


def test_publishing_a_mission_without_a_source_warns_and_publishes(publisher_client):
    mission = make_mission(name="Chang'e-9", state=State.IN_REVIEW)
    page = publish_in_form(publisher_client, f"{MISSIONS}{mission.pk}/change/").content.decode()
    assert f"{WARNING}: mission “Chang&#x27;e-9”." in page
    assert Mission.objects.get(pk=mission.pk).editorial_state == State.PUBLISHED


def test_a_source_added_in_the_same_save_counts(publisher_client):
    mission = make_mission(state=State.IN_REVIEW)
    source = {"url": "https://www.cnsa.gov.cn/", "title": "CNSA", "publisher": "CNSA", "as_of": "2026-11-25"}
    page = publish_in_form(publisher_client, f"{MISSIONS}{mission.pk}/change/", **source).content.decode()
    assert WARNING not in page
    assert Mission.objects.get(pk=mission.pk).editorial_state == State.PUBLISHED


def test_saving_what_is_not_being_published_says_nothing(publisher_client):
    mission = make_mission(state=State.DRAFT)
    url = f"{MISSIONS}{mission.pk}/change/"
    page = publisher_client.post(url, form_data(publisher_client.get(url)), follow=True).content.decode()
    assert WARNING not in page


def test_a_source_only_for_the_catalogue_identifiers_does_not_cite_the_mission(publisher_client):
    mission = make_mission(name="Queqiao-3", state=State.IN_REVIEW)
    mission.sources.create(url="https://example.org/", title="SATCAT", covers=MissionSource.Covers.CATALOGUE)
    page = publish_in_form(publisher_client, f"{MISSIONS}{mission.pk}/change/").content.decode()
    assert f"{WARNING}: mission “Queqiao-3”." in page


def test_bulk_publishing_names_each_record_without_a_source(publisher_client):
    cited = make_mission(name="Cited", state=State.IN_REVIEW)
    cited.sources.create(url="https://example.org/", title="Page", publisher="CNSA")
    bare = make_mission(name="Bare", state=State.IN_REVIEW)
    data = {"action": "publish", "_selected_action": [cited.pk, bare.pk], "index": 0}
    page = publisher_client.post(MISSIONS, data, follow=True).content.decode()
    assert "2 items published." in page
    assert f"{WARNING}: mission “Bare”." in page and "“Cited”" not in page


def test_an_agreement_cites_its_sources_as_other_records_do(publisher_client):
    bare = make_agreement(title="Memorandum", state=State.IN_REVIEW)
    cited = make_agreement(title="Accord", state=State.IN_REVIEW)
    cited.sources.create(url="https://example.org/accord", title="The accord", publisher="CNSA")
    url = "/admin/partners/agreement/"
    data = {"action": "publish", "_selected_action": [bare.pk, cited.pk], "index": 0}
    page = publisher_client.post(url, data, follow=True).content.decode()
    assert f"{WARNING}: agreement “Memorandum”." in page and "“Accord”" not in page
    assert set(Agreement.objects.values_list("editorial_state", flat=True)) == {State.PUBLISHED}
