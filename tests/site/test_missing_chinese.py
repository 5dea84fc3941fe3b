"""Editors see which records lack Chinese: a "Missing Chinese" filter on each list and a count on
the admin index. A record with English only can still be published."""

import pytest

from publishing.models import EditorialState
from tests.admin_forms import form_data
from tests.factories import make_agreement, make_milestone, make_mission, make_partner

pytestmark = pytest.mark.django_db

MISSIONS_URL = "/admin/missions/mission/"


def translated_mission(**fields):
    fields.setdefault("name_zh", "嫦娥六号")
    return make_mission(summary_zh_hans="首次从月球背面采样返回。", **fields)


def names_listed(response) -> set[str]:
    return {str(row) for row in response.context["cl"].result_list}


def test_the_filter_lists_the_records_lacking_chinese(publisher_client):
    translated_mission(name="Complete")
    make_mission(name="No Chinese at all")
    translated_mission(name="Chinese name missing", name_zh="")
    translated_mission(name="Body untranslated", body_en="<p>Drilled.</p>")
    milestone_only = translated_mission(name="A milestone untranslated")
    make_milestone(milestone_only, title="Launch")
    response = publisher_client.get(MISSIONS_URL)
    assert "Missing Chinese" in response.content.decode()
    missing = names_listed(publisher_client.get(MISSIONS_URL, {"chinese": "missing"}))
    assert missing == {"No Chinese at all", "Chinese name missing", "Body untranslated", "A milestone untranslated"}
    assert names_listed(publisher_client.get(MISSIONS_URL, {"chinese": "complete"})) == {"Complete"}


def test_every_content_list_has_the_filter(publisher_client):
    make_partner(name="Pakistan", name_zh="巴基斯坦", summary_zh_hans="巴基斯坦研制了立方星。")
    make_partner(name="Nowhere")
    make_agreement(title="Untranslated agreement")
    partners = publisher_client.get("/admin/partners/partner/", {"chinese": "missing"})
    assert names_listed(partners) == {"Nowhere"}
    agreements = publisher_client.get("/admin/partners/agreement/", {"chinese": "missing"})
    assert names_listed(agreements) == {"Untranslated agreement"}
    for url in ["/admin/missions/payload/", "/admin/partners/cooperationproject/"]:
        assert "Missing Chinese" in publisher_client.get(url).content.decode(), url


def test_the_admin_index_counts_what_lacks_chinese(publisher_client):
    translated_mission(name="Complete")
    make_mission(name="Untranslated one")
    make_mission(name="Untranslated two", state=EditorialState.DRAFT)
    page = publisher_client.get("/admin/").content.decode()
    assert f'<a href="{MISSIONS_URL}?chinese=missing" class="missing-chinese">2 missing Chinese</a>' in page


def test_the_chinese_admin_says_it_in_chinese(publisher_client):
    make_mission(name="Untranslated")
    page = publisher_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "1 条缺少中文" in page


def test_a_record_with_english_only_can_still_be_published(publisher_client):
    mission = make_mission(name="English only", state=EditorialState.IN_REVIEW)
    url = f"{MISSIONS_URL}{mission.pk}/change/"
    response = publisher_client.post(url, form_data(publisher_client.get(url), editorial_state="published"))
    assert response.status_code == 302
    mission.refresh_from_db()
    assert mission.editorial_state == EditorialState.PUBLISHED
