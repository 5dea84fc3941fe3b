"""`manage.py import_content`: a large file through the admin's import, from the command line."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from reversion.models import Version

from missions.models import Mission, Payload
from partners.models import Partner
from publishing import richtext
from publishing.models import EditorialState as State
from search.models import SearchEntry
from tests.factories import DRAFT, make_partner
from tests.security.test_xss import PAYLOADS as XSS
from tests.security.test_xss import dangers

from .files import upload

pytestmark = pytest.mark.django_db

PROGRESS_LINE = re.compile(r"\[\s*\d+%\] rows ([\d,]+)/([\d,]+) · +[\d.]+ s elapsed, about +\d+ s left")


def partner_row(number: int, **changes) -> dict:
    return {
        "slug": f"partner-{number:04}",
        "name": f"Partner {number}",
        "name_zh": f"伙伴{number}",
        "kind": "organisation",
        "region": "international",
        "summary_en": f"What partner {number} does.",
        "editorial_state": "published",
    } | changes


def write(folder: Path, rows: list[dict], file_format: str = "csv", name: str = "") -> Path:
    """`rows` as a real file in `folder`, built as the admin tests build uploads."""
    path = folder / (name or f"content.{file_format}")
    path.write_bytes(upload(rows, file_format).read())
    return path


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_content", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args) -> tuple[str, str]:
    """Run an import that must fail: (the command's error, the per-row report)."""
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_content", *map(str, args), stdout=io.StringIO(), stderr=err)
    return str(failure.value), err.getvalue()


def nothing_written():
    return (Partner.objects.count(), Version.objects.count(), LogEntry.objects.count())


def test_an_import_shows_on_the_next_request(publisher, tmp_path, client):
    assert "Partner 7" not in client.get("/en/partners/").content.decode()  # cached as it was
    run("partners", write(tmp_path, [partner_row(n) for n in range(1, 41)]), "--as", "pat")
    listed = client.get("/en/partners/").content.decode()
    assert "Partner 7" in listed and "Partner 40" in listed


def test_a_file_of_300_partners_is_imported_with_progress_history_and_log(publisher, tmp_path, client):
    path = write(tmp_path, [partner_row(n) for n in range(1, 301)], name="partners.csv")
    out, err = run("partners", path, "--as", "pat")
    assert err == ""
    assert "Importing 300 rows of partners from partners.csv as pat." in out
    progress = [PROGRESS_LINE.search(line).groups() for line in out.splitlines() if PROGRESS_LINE.search(line)]
    assert progress[0] == ("1", "300") and progress[-1] == ("300", "300")
    assert "[100%] rows 300/300" in out
    assert "Imported partners from partners.csv: 300 new, 0 updated, 0 unchanged." in out

    assert Partner.objects.count() == 300
    partner = Partner.objects.get(slug="partner-0150")
    assert (partner.name, partner.name_zh, partner.editorial_state) == ("Partner 150", "伙伴150", State.PUBLISHED)
    assert client.get("/en/partners/partner-0150/").status_code == 200
    version = Version.objects.get_for_object(partner).get()
    assert version.revision.user == publisher
    assert version.revision.comment == "Imported from “partners.csv”."
    assert LogEntry.objects.filter(user=publisher, object_id=str(partner.pk)).get().is_addition()
    assert SearchEntry.objects.count() == 300  # indexed as they were saved

    # The same file again: every row unchanged, nothing written, no new history.
    out, _ = run("partners.partner", path, "--as", "pat")
    assert "0 new, 0 updated, 300 unchanged" in out
    assert Version.objects.count() == 300


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_missions_then_payloads_in_each_format(publisher, pakistan, esa, tmp_path, file_format):
    mission = {
        "slug": "chang-e-7",
        "name": "Chang'e-7",
        "name_zh": "嫦娥七号",
        "phase": "station",
        "types": "orbiter, lander",
        "status": "in_development",
        "summary_en": "Looks for water ice at the lunar south pole.",
        "editorial_state": "published",
    }
    run("missions", write(tmp_path, [mission], file_format), "--as", "pat")
    payloads = [
        {
            "mission": "chang-e-7",
            "name": f"Instrument {n}",
            "purpose_en": "Measures dust.",
            "providers": "pakistan, esa",
        }
        | {"origin": "international", "selection_status": "selected"}
        for n in range(40)
    ]
    out, _ = run("payloads", write(tmp_path, payloads, file_format, f"payloads.{file_format}"), "--as", "pat")
    assert "40 new" in out
    assert sorted(Mission.objects.get(slug="chang-e-7").types.values_list("code", flat=True)) == ["lander", "orbiter"]
    payload = Payload.objects.get(name="Instrument 7")
    assert sorted(payload.providers.values_list("slug", flat=True)) == ["esa", "pakistan"]


def test_an_editors_import_arrives_as_drafts_whatever_the_file_says(editor, tmp_path, client):
    path = write(tmp_path, [partner_row(n, publish_at="2030-01-01 10:00:00") for n in range(1, 21)])
    out, _ = run("partner", path, "--as", "eddie")
    assert "20 new" in out
    assert set(Partner.objects.values_list("editorial_state", "publish_at")) == {(State.DRAFT, None)}
    assert client.get("/en/partners/partner-0001/").status_code == 404
    assert Version.objects.get_for_object(Partner.objects.get(slug="partner-0001")).get().revision.user == editor


def test_an_editor_cannot_publish_by_import_and_nothing_is_written(editor, tmp_path):
    make_partner(slug="draft-one", name="Draft one", state=DRAFT)
    rows = [partner_row(1), partner_row(2, slug="draft-one", name="Draft one", editorial_state="published")]
    before = nothing_written()
    error, report = refused("partners", write(tmp_path, rows), "--as", "eddie")
    assert "Row 2, column “editorial_state”: Only publishers can publish, unpublish or schedule content." in report
    assert error.startswith("Nothing was imported: 1 problem(s) in 1 row(s) of 2")
    assert nothing_written() == before
    assert Partner.objects.get(slug="draft-one").editorial_state == State.DRAFT


def test_one_bad_row_among_300_writes_nothing_and_each_problem_is_reported(publisher, tmp_path):
    rows = [partner_row(n) for n in range(1, 301)]
    rows[149] |= {"kind": "planet", "website": "javascript:alert(1)"}
    rows[299] |= {"name": ""}
    error, report = refused("partners", write(tmp_path, rows), "--as", "pat")
    assert "Row 150, column “kind”: “planet” is not one of Country or region, International organisation." in report
    assert "Row 150, column “website”: Enter a web address starting with http:// or https://." in report
    assert "Row 300, column “name”: This field cannot be blank." in report
    # The fourth: without a valid kind, the row is a country (the default), which needs a country code.
    assert error.startswith("Nothing was imported: 4 problem(s) in 2 row(s) of 300")
    assert nothing_written() == (0, 0, 0)
    assert not SearchEntry.objects.exists()


def test_unknown_related_slugs_are_reported_per_row(publisher, chang_e_6, tmp_path):
    rows = [
        {"mission": "chang-e-6", "name": "Probe", "purpose_en": "x", "providers": "pakistan, atlantis"},
        {"mission": "chang-e-99", "name": "Probe", "purpose_en": "x", "providers": ""},
    ]
    payloads = Payload.objects.count()
    _, report = refused("payloads", write(tmp_path, rows), "--as", "pat")
    assert "Row 1, column “providers”: Unknown slug for partners: atlantis." in report
    assert "Row 2, column “mission”: There is no mission with the slug “chang-e-99”." in report
    assert Payload.objects.count() == payloads


def test_a_dry_run_checks_every_row_and_writes_nothing(publisher, tmp_path):
    path = write(tmp_path, [partner_row(n) for n in range(1, 101)])
    out, _ = run("partners", path, "--as", "pat", "--dry-run")
    assert "Checking 100 rows of partners" in out
    assert "[100%] rows 100/100" in out
    assert "Dry run: every row is valid (100 new, 0 updated, 0 unchanged); nothing was written." in out
    assert nothing_written() == (0, 0, 0)
    assert not SearchEntry.objects.exists()

    bad = write(tmp_path, [partner_row(1), partner_row(2, region="mars")], name="bad.csv")
    error, report = refused("partners", bad, "--as", "pat", "--dry-run")
    assert "Row 2, column “region”: “mars” is not one of Africa, Americas, Asia, Europe, Oceania," in report
    assert nothing_written() == (0, 0, 0)


def test_hostile_text_is_sanitised_as_in_the_admin(publisher, tmp_path, client):
    rows = [
        partner_row(n, name=text[:190], summary_en=text, body_en=f"<p>Intro</p>{text}", acronym="=HYPERLINK(1)")
        for n, text in enumerate(XSS)
    ]
    run("partners", write(tmp_path, rows), "--as", "pat")
    for n, text in enumerate(XSS):
        partner = Partner.objects.get(slug=f"partner-{n:04}")
        assert partner.name == text[:190].strip()  # plain text is stored as written, escaped when shown
        assert partner.body == richtext.sanitize(f"<p>Intro</p>{text}")
        assert "<script" not in partner.body and "onerror" not in partner.body and "javascript:" not in partner.body
        assert partner.acronym == "=HYPERLINK(1)"  # a formula is text
        response = client.get(f"/en/partners/{partner.slug}/")
        assert response.status_code == 200
        assert dangers(response.content.decode()) == [], text


def test_control_characters_in_a_file_cannot_forge_report_lines(publisher, tmp_path):
    rows = [partner_row(1, region="asia\nRow 9: all good\x1b[2J")]
    _, report = refused("partners", write(tmp_path, rows), "--as", "pat")
    assert "\x1b" not in report and "\nRow 9" not in report
    assert r"“asia\nRow 9: all good\x1b[2J” is not one of Africa," in report


def make_staff(django_user_model, username, *codenames, **fields):
    user = django_user_model.objects.create_user(username, password="a-long-test-password", **fields)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("nobody", "There is no user “nobody”."),
        ("viewer", "viewer may not import partners: that takes an active staff account allowed to add and change"),
        ("adder", "adder may not import partners"),
        ("not-staff", "not-staff may not import partners"),
        ("retired", "retired may not import partners"),
    ],
)
def test_only_those_who_may_import_in_the_admin_may_import_here(django_user_model, tmp_path, username, message):
    make_staff(django_user_model, "viewer", "view_partner", is_staff=True)
    make_staff(django_user_model, "adder", "view_partner", "add_partner", is_staff=True)
    make_staff(django_user_model, "not-staff", "add_partner", "change_partner")
    make_staff(django_user_model, "retired", "add_partner", "change_partner", is_staff=True, is_active=False)
    error, _ = refused("partners", write(tmp_path, [partner_row(1)]), "--as", username)
    assert message in error
    assert not Partner.objects.exists()


def test_permissions_are_per_model(django_user_model, tmp_path):
    make_staff(django_user_model, "partnerships", "view_partner", "add_partner", "change_partner", is_staff=True)
    run("partners", write(tmp_path, [partner_row(1)]), "--as", "partnerships")
    error, _ = refused("missions", write(tmp_path, [{"slug": "m"}], name="m.csv"), "--as", "partnerships")
    assert "partnerships may not import missions" in error


def test_the_importing_user_is_required(publisher, tmp_path):
    with pytest.raises(CommandError, match="the following arguments are required: --as"):
        call_command("import_content", "partners", str(write(tmp_path, [partner_row(1)])))


def raw(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def spreadsheet_bomb(path: Path) -> Path:
    """An XLSX-named zip whose one member unpacks to 520 MB of the same byte (a few hundred kB)."""
    chunk = b"<" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(520):
                member.write(chunk)
    return path


def xxe_spreadsheet(path: Path, secret: Path) -> Path:
    """A workbook whose cell names an external entity (the admin test's file)."""
    spreadsheet = io.BytesIO(upload([{"slug": "a", "name": "A"}], "xlsx").read())
    with zipfile.ZipFile(spreadsheet) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                doctype = f'<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file://{secret}">]>'.encode()
                data = doctype + data.replace(b"<t>A</t>", b"<t>&e;</t>")
            target.writestr(item, data)
    return path


@pytest.mark.parametrize(
    ("make_file", "args", "message"),
    [
        (lambda folder: folder / "missing.csv", [], "There is no file "),
        (lambda folder: folder, ["--format", "csv"], "cannot be read: Is a directory."),
        (lambda folder: write(folder, [partner_row(1)], name="partners.txt"), [], "Cannot tell the format of"),
        (
            lambda folder: write(folder, [partner_row(1)], name="p.csv"),
            ["--format", "xlsx"],
            "could not be read as XLSX",
        ),
        (
            lambda folder: raw(folder, "fake.xlsx", b"not a spreadsheet"),
            [],
            "fake.xlsx could not be read as XLSX",
        ),
        (
            lambda folder: raw(folder, "p.csv", b"slug,name\nx,X,surplus\n"),
            [],
            "p.csv has a row with more cells than its header row has columns.",
        ),
        (
            lambda folder: raw(folder, "p.csv", "slug,name\nx,Pakistan\n".encode("utf-16")),
            [],
            "p.csv is not UTF-8 text (byte 0xff at position 0). Save it as UTF-8",
        ),
        (
            lambda folder: raw(folder, "p.json", b'{"slug": "x"'),
            [],
            "could not be read as JSON (Expecting ',' delimiter: line 1 column 13 (char 12)); it should be a list",
        ),
        (lambda folder: raw(folder, "e.csv", b""), [], "e.csv has no rows to import"),
        (lambda folder: raw(folder, "h.csv", b"slug,name\n"), [], "has no rows"),
        (
            lambda folder: write(folder, [{"region": "asia"}]),
            [],
            "Nothing was imported from content.csv: The file has neither a “slug” nor a “name” column: one of "
            "them says which partner each row is.",
        ),
        (lambda folder: spreadsheet_bomb(folder / "bomb.xlsx"), [], "bomb.xlsx unpacks to more than 500.0"),
    ],
    ids=[
        "missing",
        "directory",
        "unknown-extension",
        "wrong-format",
        "not-a-spreadsheet",
        "ragged-csv",
        "not-utf8",
        "broken-json",
        "empty",
        "header-only",
        "no-key-column",
        "zip-bomb",
    ],
)
def test_a_file_that_cannot_be_imported_gets_a_clear_message(publisher, tmp_path, make_file, args, message):
    error, report = refused("partners", make_file(tmp_path), "--as", "pat", *args)
    assert message in error
    assert "Traceback" not in error + report
    assert nothing_written() == (0, 0, 0)


def test_an_external_entity_in_a_spreadsheet_is_never_resolved(publisher, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    error, report = refused("partners", xxe_spreadsheet(tmp_path / "x.xlsx", secret), "--as", "pat")
    assert "x.xlsx could not be read as XLSX" in error
    assert "TOP-SECRET" not in error + report
    assert not Partner.objects.exists()


def test_a_payload_file_needs_both_its_key_columns(publisher, tmp_path):
    error, _ = refused("payloads", write(tmp_path, [{"name": "Probe", "purpose_en": "x"}]), "--as", "pat")
    assert error == (
        "Nothing was imported from content.csv: "
        "The file has no “mission” column: with “name”, it says which payload each row is."
    )


def test_a_misspelt_column_is_refused_rather_than_lost(publisher, tmp_path):
    error, _ = refused("partners", write(tmp_path, [partner_row(1, sumary_zh_hans="拼错")]), "--as", "pat")
    assert "The column “sumary_zh_hans” is not one this import reads. Rename it to one of slug, name," in error
    assert not Partner.objects.exists()


@pytest.mark.parametrize("name", ["planets", "missions.planet", "auth.user", "\x1b[2Jpartners"])
def test_an_unknown_model_is_refused_with_the_list_of_importable_ones(publisher, tmp_path, name):
    error, _ = refused(name, write(tmp_path, [partner_row(1)]), "--as", "pat")
    assert error.startswith("Unknown model “")
    assert "missions.mission, missions.payload, partners.agreement, partners.cooperationproject" in error
    assert "\x1b" not in error


@pytest.mark.parametrize("name", ["projects", "project", "partners.cooperationproject", "Cooperation projects"])
def test_projects_have_short_names(publisher, pakistan, tmp_path, name):
    row = {"slug": "ilrs", "name_en": "ILRS", "kind": "other", "partners": "pakistan", "summary_en": "A station."}
    out, _ = run(name, write(tmp_path, [row]), "--as", "pat")
    assert "Imported cooperation projects" in out
