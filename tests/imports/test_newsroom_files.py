"""A newsroom's own spreadsheet: no slugs, the column headings an editor would write, labels
instead of codes, and mistakes. Rows are matched by slug or else by exact name; every problem is
told as a sentence naming the row and the column, in the admin and from the command line, never
as a traceback."""

import html
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from missions.models import Mission
from partners.models import Partner
from tests.factories import make_partner

from .files import confirm, import_types, preview, upload

pytestmark = pytest.mark.django_db

PARTNERS = "/admin/partners/partner/"
MISSIONS = "/admin/missions/mission/"
PAYLOADS = "/admin/missions/payload/"


def shown(page) -> str:
    """The page's text as an editor reads it."""
    return html.unescape(page.content.decode())


def nepal(**changes) -> dict:
    return {"name": "Nepal", "country": "NP", "region": "Asia", "summary_en": "Signed an ILRS memorandum."} | changes


def test_rows_without_slugs_update_by_name_and_new_ones_get_a_slug_from_their_name(publisher_client, pakistan):
    make_partner(name="Kingdom of Nepal", slug="nepal")  # the slug "nepal" is taken, by another name
    rows = [
        nepal(name="Pakistan", country="PK", region="Asia ", summary_en="Launched ICUBE-Q on Chang'e-6."),
        nepal(),
        nepal(name="Sri Lanka", country="LK", summary_en="Signed an ILRS memorandum too."),
    ]
    page = preview(publisher_client, PARTNERS, upload(rows))
    assert import_types(page) == ["update", "new", "new"], page.context["result"].problems()
    confirm(publisher_client, PARTNERS, page)

    pakistan.refresh_from_db()
    assert (pakistan.slug, pakistan.region, pakistan.name_zh) == ("pakistan", "asia", "巴基斯坦")
    assert Partner.objects.get(name="Nepal").slug == "nepal-2"
    assert Partner.objects.get(name="Sri Lanka").slug == "sri-lanka"
    page = preview(publisher_client, PARTNERS, upload(rows))
    assert import_types(page) == ["skip", "skip", "skip"]  # the same file again: each row found by its name


@pytest.mark.parametrize(
    "headings",
    [
        {"name": "English name", "country": "ISO 3166 country", "region": "Region", "summary_en": "Summary [en]"},
        {"name": "  ENGLISH   NAME ", "country": "iso 3166 country", "region": "region", "summary_en": "Summary En"},
        {"name": "英文名称", "country": "ISO 3166 国家/地区", "region": "地区", "summary_en": "摘要 [en]"},
    ],
    ids=["labels", "any-case-and-spacing", "chinese-labels"],
)
def test_columns_may_be_headed_by_the_labels_editors_see(publisher_client, headings):
    rows = [{headings[column]: value for column, value in nepal(region="亚洲").items()}]
    page = preview(publisher_client, PARTNERS, upload(rows))
    assert import_types(page) == ["new"], shown(page)
    confirm(publisher_client, PARTNERS, page)
    partner = Partner.objects.get(slug="nepal")
    assert (partner.name, partner.country.code, partner.region) == ("Nepal", "NP", "asia")


def test_a_choice_may_be_given_by_its_label_in_either_language(publisher_client):
    rows = [nepal(editorial_state="In review", ilrs_member="Yes", kind="Country or region")]
    page = preview(publisher_client, PARTNERS, upload(rows))
    assert import_types(page) == ["new"], shown(page)
    confirm(publisher_client, PARTNERS, page)
    partner = Partner.objects.get(slug="nepal")
    assert (partner.editorial_state, partner.ilrs_member, partner.kind) == ("in_review", True, "country")


# Files an editor could make, and what they are told. Row numbers count from the first row after
# the headings, as the preview numbers them.
BAD_FILES = {
    "the-issue-file": (
        PARTNERS,
        [{"name": "Nepal", "country": "NP", "region": "asia"}],
        "Row 1, column “summary_en” (not in the file): This field cannot be blank.",
    ),
    "no-name-either": (
        PARTNERS,
        [{"country": "NP", "region": "asia"}],
        "The file has neither a “slug” nor a “name” column: one of them says which partner each row is.",
    ),
    "unknown-column": (
        PARTNERS,
        [nepal(sumary_zh_hans="拼错")],
        "The column “sumary_zh_hans” is not one this import reads. Rename it to one of slug, name, name_zh, kind,",
    ),
    "the-same-column-twice": (
        PARTNERS,
        [nepal(Region="Asia")],
        "The columns “region” and “Region” are both the region: keep one of them.",
    ),
    "a-bad-date": (
        PARTNERS,
        [nepal(ilrs_joined_on="soon")],
        "Row 1, column “ilrs_joined_on”: “soon” is not a date. Write it as year-month-day: 2024-04-25.",
    ),
    "an-unknown-choice": (
        PARTNERS,
        [nepal(), nepal(name="Mars colony", region="Mars")],
        "Row 2, column “region”: “Mars” is not one of Africa, Americas, Asia, Europe, Oceania, International.",
    ),
    "a-bad-yes-or-no": (
        PARTNERS,
        [nepal(ilrs_member="maybe")],
        "Row 1, column “ilrs_member”: “maybe” is neither yes nor no.",
    ),
    "a-bad-number": (
        MISSIONS,
        [{"name": "Chang'e-7", "latitude": "south pole"}],
        "Row 1, column “latitude”: “south pole” is not a number.",
    ),
    "a-payload-without-its-mission": (
        PAYLOADS,
        [{"name": "Probe", "purpose_en": "Measures."}],
        "The file has no “mission” column: with “name”, it says which payload each row is.",
    ),
}


@pytest.mark.parametrize(("changelist", "rows", "sentence"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_is_explained_in_a_sentence_never_a_traceback(publisher_client, changelist, rows, sentence):
    page = preview(publisher_client, changelist, upload(rows))
    text = shown(page)
    assert page.status_code == 200
    assert sentence in text
    assert "Traceback" not in text and "site-packages" not in text and ".py" not in text
    assert "Confirm import" not in text
    assert not Partner.objects.filter(name="Nepal").exists() and not Mission.objects.exists()


@pytest.mark.parametrize(("changelist", "rows", "sentence"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_the_command_explains_a_bad_file_the_same_way(publisher, tmp_path, changelist, rows, sentence):
    path = tmp_path / "newsroom.csv"
    path.write_bytes(upload(rows).read())
    model = changelist.split("/")[3]
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_content", model, str(path), "--as", "pat", stdout=io.StringIO(), stderr=err)
    report = str(failure.value) + err.getvalue()
    assert sentence in report
    assert "Traceback" not in report
    assert not Partner.objects.filter(name="Nepal").exists() and not Mission.objects.exists()


def test_the_command_imports_a_file_without_slugs(publisher, tmp_path):
    path = tmp_path / "newsroom.csv"
    path.write_bytes(upload([nepal()]).read())
    call_command("import_content", "partners", str(path), "--as", "pat", stdout=io.StringIO())
    assert Partner.objects.get(slug="nepal").region == "asia"


UNREADABLE_FILES = {
    "not-utf8": ("csv", "name,region\nNepal,Asia\n".encode("utf-16"), "This file is not UTF-8 text."),
    "ragged": (
        "csv",
        b"name,region\nNepal,Asia,surplus\n",
        "A row of this file has more cells than the file has column headings.",
    ),
    "not-json": ("json", b'[{"name": "Nepal"', "This file could not be read as JSON."),
    "not-a-spreadsheet": ("xlsx", b"name,region\n", "This file could not be read as XLSX."),
}


@pytest.mark.parametrize(("file_format", "content", "sentence"), UNREADABLE_FILES.values(), ids=UNREADABLE_FILES.keys())
def test_an_unreadable_file_is_explained_in_a_sentence(publisher_client, file_format, content, sentence):
    file = SimpleUploadedFile(f"newsroom.{file_format}", content)
    text = shown(preview(publisher_client, PARTNERS, file, file_format))
    assert sentence in text
    assert "Error" not in text and "encountered" not in text


def test_problems_are_told_in_the_editors_language(publisher_client):
    chinese = {"accept-language": "zh-hans"}
    assert "列名可以与导出文件相同" in shown(publisher_client.get(f"{PARTNERS}import/", headers=chinese))
    for rows, sentence in [
        ([nepal(sumary="x")], "导入无法识别“sumary”列。"),
        ([nepal(region="火星")], "第 1 行，“region”列：“火星”不在可选值之中：非洲、美洲、亚洲"),
    ]:
        data = {"resource": "0", "format": "0", "import_file": upload(rows)}
        text = shown(publisher_client.post(f"{PARTNERS}import/", data, headers=chinese))
        assert "此文件无法按原样导入" in text
        assert sentence in text


def cells(html_cell: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", html_cell))


def test_the_preview_shows_the_files_columns_by_label_and_values_as_editors_read_them(publisher_client):
    rows = [nepal(ilrs_member="0", editorial_state="draft", kind="country")]
    page = preview(publisher_client, PARTNERS, upload(rows))
    result = page.context["result"]
    assert result.diff_headers == [
        "Slug",
        "English name",
        "Kind",
        "ISO 3166 country",
        "Region",
        "Summary [en]",
        "ILRS partner",
        "Editorial state",
    ]
    (row,) = result.valid_rows()
    assert [cells(cell) for cell in row.diff] == [
        "nepal",
        "Nepal",
        "Country or region",
        "Nepal",
        "Asia",
        "Signed an ILRS memorandum.",
        "No",
        "Draft",
    ]
    assert "style=" not in "".join(row.diff)  # the Content-Security-Policy refuses inline styles


def test_the_preview_of_a_change_marks_what_changes_in_labels(publisher_client, pakistan):
    page = preview(publisher_client, PARTNERS, upload([{"name": "Pakistan", "region": "Europe"}]))
    (row,) = page.context["result"].valid_rows()
    assert page.context["result"].diff_headers == ["Slug", "English name", "Region", "Editorial state"]
    assert "<del>Asia</del><ins>Europe</ins>" in row.diff[2]
    assert cells(row.diff[3]) == "Published"
