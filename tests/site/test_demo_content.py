"""The demo content command: real facts, valid records, and a second run that changes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from missions.models import Milestone, Mission, Payload
from partners.models import Agreement, CooperationProject, Partner
from publishing.translated import translated_fields

pytestmark = pytest.mark.django_db

MODELS = [Mission, Payload, Milestone, Partner, Agreement, CooperationProject]


@pytest.fixture
def demo(demo_database, db):
    """The demo content (loaded once for the module)."""


def test_every_demo_record_passes_the_editors_validation(demo):
    for model in MODELS:
        for instance in model.objects.all():
            try:
                instance.full_clean()
            except ValidationError as error:  # pragma: no cover - the message is the point
                pytest.fail(f"{model.__name__} {instance}: {error.message_dict}")


def test_demo_holds_every_chang_e_mission_and_both_relays(demo):
    slugs = set(Mission.objects.published().values_list("slug", flat=True))
    assert {f"chang-e-{number}" for number in range(1, 9)} | {"queqiao", "queqiao-2"} <= slugs


def test_chang_e_6_carries_the_four_international_payloads(demo):
    providers = {
        partner.name
        for payload in Payload.objects.published().filter(mission__slug="chang-e-6")
        for partner in payload.providers.all()
    }
    assert {"European Space Agency", "Sweden", "France", "Italy", "Pakistan"} <= providers
    assert Payload.objects.published().filter(mission__slug="chang-e-6").international().count() == 4


def test_chang_e_7_has_six_selected_international_payloads(demo):
    payloads = Payload.objects.published().filter(mission__slug="chang-e-7")
    assert payloads.count() == 6
    assert set(payloads.values_list("selection_status", flat=True)) == {"selected"}


def test_every_partner_has_its_chinese_name_and_the_ilrs_partners_are_marked(demo):
    assert not Partner.objects.filter(name_zh="").exists()
    assert Partner.objects.get(country="PK").name_zh == "巴基斯坦"
    assert Partner.objects.ilrs_members().count() == 18


def test_every_mission_has_its_chinese_name_and_summary(demo, client):
    assert not Mission.objects.filter(name_zh="").exists()
    assert not Mission.objects.filter(summary_zh_hans="").exists()
    html = client.get("/zh-hans/missions/chang-e-6/").content.decode()
    assert "嫦娥六号" in html and '<p class="lede" lang="zh-hans">人类首次从月球背面采样返回' in html


def test_a_second_run_changes_nothing(demo):
    before = {model: list(model.objects.order_by("pk").values()) for model in MODELS}
    call_command("load_demo_content", stdout=None)
    assert {model: list(model.objects.order_by("pk").values()) for model in MODELS} == before


def test_if_empty_leaves_an_edited_database_alone(demo):
    Mission.objects.filter(slug="chang-e-1").delete()
    call_command("load_demo_content", "--if-empty", stdout=None)
    assert not Mission.objects.filter(slug="chang-e-1").exists()


def test_search_by_partner_nation_works_on_the_demo(client, demo):
    response = client.get("/en/search/", {"q": "巴基斯坦"})
    page = response.content.decode()
    assert [partner.name for partner in response.context["results"].partners.rows] == ["Pakistan"]
    assert "ICUBE-Q" in page
    assert "Chang&#x27;e-8" in page


def untranslated_texts(models) -> list[str]:
    """Each public text of `models` that has English but no Chinese, as "Model pk field"."""
    missing = []
    for model in models:
        for field in translated_fields(model):
            rows = model.objects.exclude(**{f"{field}_en": ""}).filter(**{f"{field}_zh_hans": ""})
            missing += [f"{model.__name__} {pk} {field}" for pk in rows.values_list("pk", flat=True)]
    return missing


def test_every_public_text_of_the_demo_has_its_chinese_version(demo):
    assert untranslated_texts(MODELS) == []
    # The texts that were English only before: a few of each, as the file gives them.
    assert Payload.objects.get(acronym="NILS").name_zh_hans == "月表负离子分析仪"
    assert Mission.objects.get(slug="chang-e-7").launch_window_zh_hans == "2026年下半年"
    assert Milestone.objects.get(mission__slug="chang-e-1", title_en="Launch from Xichang").title_zh_hans
    assert Agreement.objects.get(slug="russia-ilrs-2021").title_zh_hans
    assert CooperationProject.objects.filter(name_zh_hans="").count() == 0


def test_the_chinese_page_of_a_mission_names_its_payloads_and_their_makers_in_chinese(demo, client):
    html = client.get("/zh-hans/missions/chang-e-6/").content.decode()
    assert '<strong lang="zh-hans">月表负离子分析仪</strong>' in html
    assert "部分内容尚未译成中文" not in html  # everything on the page has its Chinese text


def test_a_partners_other_chinese_names_find_it(demo, client):
    response = client.get("/en/search/", {"q": "欧洲空间局"})
    assert [partner.slug for partner in response.context["results"].partners.rows] == ["esa"]


def test_a_database_loaded_before_the_translations_gets_them_and_keeps_its_dates(demo):
    """Loading again fills in the Chinese texts the file has since gained (blanks only: an
    editor's text stays), without dating the records anew."""
    Payload.objects.update(name_zh_hans="", purpose_zh_hans="")
    Mission.objects.filter(slug="chang-e-7").update(launch_window_zh_hans="", body_zh_hans="<p>编辑的文字。</p>")
    dated = dict(Mission.objects.values_list("slug", "updated_at"))
    call_command("load_demo_content", stdout=None)
    assert untranslated_texts([Payload]) == []
    chang_e_7 = Mission.objects.get(slug="chang-e-7")
    assert chang_e_7.launch_window_zh_hans == "2026年下半年"
    assert chang_e_7.body_zh_hans == "<p>编辑的文字。</p>"
    assert dict(Mission.objects.values_list("slug", "updated_at")) == dated
    assert Payload.objects.published().search("负离子分析仪").exists()  # the search index follows
