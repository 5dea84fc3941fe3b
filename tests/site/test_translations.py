"""Content translated field by field: Chinese where an editor wrote it, otherwise the English
original, marked as English, with a discreet notice; editors see both languages side by side."""

import pytest
from django.utils import translation

from missions.models import Mission
from partners.models import Partner
from tests.admin_forms import form_data
from tests.factories import make_milestone, make_mission, make_partner, make_payload

pytestmark = pytest.mark.django_db

NOTICE_ZH = "部分内容尚未译成中文"


def translated_mission(**fields):
    mission = make_mission(
        slug="chang-e-6",
        name="Chang'e-6",
        name_zh="嫦娥六号",
        summary="Brought back samples from the far side.",
        summary_zh_hans="首次从月球背面采样返回。",
        body_en="<p>The lander drilled and scooped.</p>",
        body_zh_hans="<p>着陆器钻取并铲取了样品。</p>",
        **fields,
    )
    make_milestone(mission, title="Launch", title_zh_hans="发射")
    make_payload(
        mission=mission,
        name="NILS",
        name_zh_hans="月表负离子分析仪",
        purpose="Counts negative ions.",
        purpose_zh_hans="探测负离子。",
    )
    return mission


def test_a_chinese_page_shows_the_chinese_texts_marked_as_chinese(client):
    translated_mission()
    html = client.get("/zh-hans/missions/chang-e-6/").content.decode()
    assert '<p class="lede" lang="zh-hans">首次从月球背面采样返回。</p>' in html
    assert "着陆器钻取并铲取了样品。" in html and "探测负离子。" in html and "发射" in html
    assert "Brought back samples" not in html
    assert NOTICE_ZH not in html  # everything on the page has its Chinese text


def test_the_english_page_shows_the_english_texts(client):
    translated_mission()
    html = client.get("/en/missions/chang-e-6/").content.decode()
    assert '<p class="lede" lang="en">Brought back samples from the far side.</p>' in html
    assert "首次从月球背面采样返回" not in html
    assert "not yet translated" not in html


def test_a_missing_chinese_text_falls_back_to_english_with_a_notice(client):
    make_mission(slug="chang-e-7", name="Chang'e-7", summary="Will survey the south pole.")
    html = client.get("/zh-hans/missions/chang-e-7/").content.decode()
    assert '<p class="lede" lang="en">Will survey the south pole.</p>' in html
    assert f'<p class="untranslated-notice">{NOTICE_ZH}' in html


def test_one_untranslated_payload_is_enough_for_the_notice(client):
    mission = translated_mission()
    make_payload(mission=mission, name="LIR", purpose="Maps heat.")
    html = client.get("/zh-hans/missions/chang-e-6/").content.decode()
    assert NOTICE_ZH in html
    assert '<p lang="en">Maps heat.</p>' in html
    assert '<p lang="zh-hans">探测负离子。</p>' in html


def test_list_cards_use_the_chinese_summary_or_mark_the_english_one(client):
    translated_mission()
    make_mission(name="Chang'e-7", summary="Will survey the south pole.")
    html = client.get("/zh-hans/missions/").content.decode()
    assert '<p lang="zh-hans">首次从月球背面采样返回。</p>' in html
    assert '<p lang="en">Will survey the south pole.</p>' in html


def test_a_partner_page_falls_back_and_says_so(client):
    make_partner(slug="pakistan", name="Pakistan", name_zh="巴基斯坦", country="PK", summary="Built ICUBE-Q.")
    html = client.get("/zh-hans/partners/pakistan/").content.decode()
    assert '<p class="lede" lang="en">Built ICUBE-Q.</p>' in html and NOTICE_ZH in html
    partner = Partner.objects.get(slug="pakistan")
    partner.summary_zh_hans = "研制了ICUBE-Q立方星。"
    partner.save()
    html = client.get("/zh-hans/partners/pakistan/").content.decode()
    assert '<p class="lede" lang="zh-hans">研制了ICUBE-Q立方星。</p>' in html and NOTICE_ZH not in html


def test_the_admin_shows_each_text_in_both_languages_on_one_row(publisher_client):
    mission = make_mission(summary="English summary.")
    html = publisher_client.get(f"/admin/missions/mission/{mission.pk}/change/").content.decode()
    for field in ["summary", "body", "landing_site"]:
        assert f'class="form-row field-{field}_en field-{field}_zh_hans"' in html
    assert 'name="summary_en"' in html and 'name="summary_zh_hans"' in html
    assert 'name="summary"' not in html  # the untranslated original is not edited any more


def test_an_editor_saves_a_chinese_summary_in_the_admin(publisher_client):
    mission = make_mission(summary="English summary.")
    url = f"/admin/missions/mission/{mission.pk}/change/"
    data = form_data(publisher_client.get(url), summary_zh_hans="中文摘要。")
    assert publisher_client.post(url, data).status_code == 302
    mission.refresh_from_db()
    assert (mission.summary_en, mission.summary_zh_hans) == ("English summary.", "中文摘要。")


def test_the_english_summary_is_required_and_the_chinese_is_not(publisher_client):
    mission = make_mission(summary="English summary.")
    url = f"/admin/missions/mission/{mission.pk}/change/"
    response = publisher_client.post(
        url, form_data(publisher_client.get(url), summary_en="", summary_zh_hans="只有中文。")
    )
    assert response.status_code == 200
    assert "summary_en" in response.context["adminform"].form.errors
    assert Mission.objects.get(pk=mission.pk).summary_en == "English summary."


def test_saving_in_chinese_never_copies_english_into_the_chinese_fields():
    mission = make_mission(summary="English summary.", body_en="<p>English body.</p>")
    with translation.override("zh-hans"):
        mission = Mission.objects.get(pk=mission.pk)
        assert mission.body == "<p>English body.</p>"  # shown by fallback...
        mission.status = Mission.Status.OPERATING
        mission.save()
    mission.refresh_from_db()
    assert (mission.summary_zh_hans, mission.body_zh_hans) == ("", "")  # ...and not stored as Chinese


def test_a_missing_translation_is_stored_as_an_empty_text():
    partner = make_partner(summary="English.")
    assert Partner.objects.filter(pk=partner.pk, summary_zh_hans="", body_zh_hans="").exists()


def test_slugs_are_prefilled_from_the_english_title_in_a_chinese_admin(publisher_client):
    html = publisher_client.get("/admin/partners/agreement/add/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '"dependency_list": ["title_en"]' in html.replace("&quot;", '"')
