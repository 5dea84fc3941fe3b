"""Exporting any content list as CSV, XLSX or JSON, with the list's filters, re-importable."""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from missions.models import Mission
from partners.models import Partner
from publishing.models import EditorialState as State
from tests.factories import DRAFT, make_agreement, make_mission, make_partner, make_payload, make_project

from .files import confirm, export, exported_rows, import_file, import_types, preview, upload

pytestmark = pytest.mark.django_db

PARTNERS = "/admin/partners/partner/"
MISSIONS = "/admin/missions/mission/"
PAYLOADS = "/admin/missions/payload/"
LISTS = [PARTNERS, "/admin/partners/agreement/", "/admin/partners/cooperationproject/", MISSIONS, PAYLOADS]


def test_every_content_list_links_to_import_and_export_keeping_its_filters(editor_client):
    for url in LISTS:
        page = editor_client.get(f"{url}?editorial_state__exact=draft").content.decode()
        assert f'href="{url}export/?editorial_state__exact=draft"' in page, url
        assert f"href='{url}import/'" in page, url


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_export_respects_the_changelist_filter_and_keeps_chinese_names(editor_client, pakistan, file_format):
    make_partner(name="Draftonia", name_zh="草稿国", slug="draftonia", country="IS", state=DRAFT)
    response = export(editor_client, PARTNERS, file_format, "?editorial_state__exact=draft")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="Partner-')
    assert response["Content-Disposition"].endswith(f'.{file_format}"')
    rows = exported_rows(response, file_format)
    assert [(row["slug"], row["name_zh"], row["country"]) for row in rows] == [("draftonia", "草稿国", "IS")]

    everything = exported_rows(export(editor_client, PARTNERS, file_format), file_format)
    assert sorted(row["name_zh"] for row in everything) == ["巴基斯坦", "草稿国"]


def test_csv_export_is_utf8_with_a_byte_order_mark_for_spreadsheets(editor_client, pakistan):
    content = export(editor_client, PARTNERS, "csv").content
    assert content.startswith(b"\xef\xbb\xbf")
    assert "巴基斯坦".encode() in content


def test_export_follows_search_and_relation_filters(editor_client, chang_e_6, pakistan):
    other = make_mission(name="Chang'e-4", slug="chang-e-4")
    make_payload(mission=other, name="Lunar Lander Neutrons and Dosimetry")
    rows = exported_rows(export(editor_client, PAYLOADS, "csv", f"?mission__id__exact={chang_e_6.pk}"))
    assert [(row["mission"], row["name_en"], row["providers"]) for row in rows] == [
        ("chang-e-6", "ICUBE-Q lunar CubeSat", "pakistan"),
        ("chang-e-6", "Negative Ions at the Lunar Surface", "esa"),
    ]
    rows = exported_rows(export(editor_client, MISSIONS, "json", "?" + urlencode({"q": "嫦娥"})), "json")
    assert [(row["slug"], row["name_zh"], row["types"]) for row in rows] == [
        ("chang-e-6", "嫦娥六号", "orbiter,lander,sample_return")
    ]


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_an_export_reimports_without_changing_anything(publisher_client, chang_e_6, file_format):
    Mission.objects.filter(pk=chang_e_6.pk).update(
        latitude="-41.638",
        longitude="-153.985",
        landing_site="Apollo basin, 41.6° S",
        body='<h3>Landing</h3><p>In the <a href="https://www.cnsa.gov.cn/">Apollo</a> basin, "far side".</p>',
    )
    make_mission(name="Chang'e-8", slug="chang-e-8", launch_date=None, launch_window="2028", state=DRAFT)
    make_agreement(parties=[chang_e_6.payloads.first().providers.first()])
    make_project(partners=[Partner.objects.get(slug="esa")])
    for url in LISTS:
        exported = export(publisher_client, url, file_format)
        upload_ = upload(exported_rows(exported, file_format), file_format)
        page = preview(publisher_client, url, upload_, file_format)
        assert import_types(page) and set(import_types(page)) == {"skip"}, (url, page.context["result"].invalid_rows)
        confirm(publisher_client, url, page)


def test_formulae_round_trip_as_text_and_are_exported_escaped(publisher_client):
    formula = '=HYPERLINK("https://evil.example","Click")'
    row = {
        "slug": "trap",
        "name": "@SUM(1+1)",
        "kind": "organisation",
        "region": "international",
        "summary_en": formula,
        "acronym": "-2+3",
    }
    import_file(publisher_client, PARTNERS, upload([row]))
    partner = Partner.objects.get(slug="trap")
    assert (partner.name, partner.summary, partner.acronym) == ("@SUM(1+1)", formula, "-2+3")

    for file_format in ["csv", "xlsx", "json"]:
        exported = export(publisher_client, PARTNERS, file_format)
        (cells,) = exported_rows(exported, file_format)
        # No cell starts with a character that makes a spreadsheet evaluate it.
        assert (cells["name"], cells["summary_en"], cells["acronym"]) == ("'@SUM(1+1)", f"'{formula}", "'-2+3")
        page = preview(publisher_client, PARTNERS, upload([cells], file_format), file_format)
        assert import_types(page) == ["skip"]  # the apostrophe is read back as the escape it is


def test_export_queries_do_not_grow_with_the_rows(editor_client, pakistan, esa):
    """Intended to prevent an n+1 issue in the relation columns."""

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert export(editor_client, url, "csv").status_code == 200
        return len(captured)

    def add(count):
        for _ in range(count):
            mission = make_mission(types=("orbiter", "lander"))
            make_payload(mission=mission, providers=[pakistan, esa])
            make_agreement(parties=[pakistan, esa])
            make_project(partners=[pakistan, esa])

    add(3)
    few = {url: queries(url) for url in LISTS}
    add(40)
    assert {url: queries(url) for url in LISTS} == few


def test_export_keeps_the_editorial_state_and_schedule(publisher_client):
    make_mission(name="Later", slug="later", state=State.PUBLISHED, publish_at="2099-01-01T08:00:00.123456Z")
    (row,) = exported_rows(export(publisher_client, MISSIONS, "csv"))
    assert (row["editorial_state"], row["publish_at"]) == ("published", "2099-01-01 08:00:00.123456")


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("en", ["Slug", "English name", "Chinese name", "Kind", "ISO 3166 country", "Acronym", "Other names"]),
        ("zh-hans", ["网址名", "英文名称", "中文名称", "类别", "ISO 3166 国家/地区", "缩写", "其他名称"]),
    ],
)
def test_the_export_form_lists_the_fields_by_their_labels(editor_client, language, labels):
    form = editor_client.get(f"{PARTNERS}export/", headers={"accept-language": language}).context["form"]
    shown = [str(field.label) for field in form.fields.values() if getattr(field, "is_selectable_field", False)]
    assert shown[: len(labels)] == labels
    assert ("Summary [en]" if language == "en" else "摘要 [en]") in shown
    assert "Summary En" not in shown and "Ilrs Member" not in shown
