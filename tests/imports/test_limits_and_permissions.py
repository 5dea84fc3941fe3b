"""Who may import and export, and how large a file may be."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from partners.models import Partner

from .files import export, preview, upload

pytestmark = pytest.mark.django_db

PARTNERS = "/admin/partners/partner/"
PAYLOADS = "/admin/missions/payload/"


def form_errors(response) -> list[str]:
    assert response.status_code == 200
    assert not response.context.get("confirm_form")
    return response.context["form"].errors["import_file"]


def test_a_file_over_5_mb_is_refused_with_a_form_message(publisher_client):
    header = b"slug,name,kind,region,summary_en\n"
    content = header + b"x" * (5 * 1024 * 1024 + 1 - len(header))
    response = preview(publisher_client, PARTNERS, SimpleUploadedFile("big.csv", content))
    assert form_errors(response) == [
        "This file is 5.0\xa0MB; files of up to 5.0\xa0MB can be imported. Split it into smaller files."
    ]
    assert "files of up to 5.0" in response.content.decode()


def test_a_file_with_more_than_10000_rows_is_refused_with_a_form_message(publisher_client):
    lines = ["slug,name,kind,region,summary_en"] + [f"p-{n},P {n},organisation,international,x" for n in range(10_001)]
    response = preview(publisher_client, PARTNERS, SimpleUploadedFile("many.csv", "\n".join(lines).encode()))
    assert form_errors(response) == [
        "This file has 10,001 rows; up to 10,000 can be imported at once. Split it into smaller files."
    ]
    assert not Partner.objects.exists()


def test_a_spreadsheet_that_unpacks_to_a_huge_size_is_refused(publisher_client):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("xl/worksheets/sheet1.xml", b"<" * (60 * 1024 * 1024))
    response = preview(publisher_client, PARTNERS, SimpleUploadedFile("bomb.xlsx", archive.getvalue()), "xlsx")
    assert form_errors(response) == ["This spreadsheet unpacks to more than 50.0\xa0MB. Split it into smaller files."]


def test_a_file_in_the_wrong_format_is_reported(publisher_client):
    response = preview(publisher_client, PARTNERS, SimpleUploadedFile("partners.xlsx", b"not a spreadsheet"), "xlsx")
    assert "This file could not be read as XLSX." in form_errors(response)[0]


def test_an_xlsx_file_with_an_external_entity_is_not_resolved(publisher_client, tmp_path):
    """openpyxl parses with defusedxml: an XML entity is refused (openpyxl then reports the
    workbook as unreadable), never expanded or fetched."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    spreadsheet = io.BytesIO(upload([{"slug": "a", "name": "A"}], "xlsx").read())
    poisoned = io.BytesIO()
    with zipfile.ZipFile(spreadsheet) as source, zipfile.ZipFile(poisoned, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b"<t>A</t>" in data
                doctype = f'<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file://{secret}">]>'.encode()
                data = doctype + data.replace(b"<t>A</t>", b"<t>&e;</t>")
            target.writestr(item, data)
    response = preview(publisher_client, PARTNERS, SimpleUploadedFile("x.xlsx", poisoned.getvalue()), "xlsx")
    assert "This file could not be read as XLSX." in form_errors(response)[0]
    assert "TOP-SECRET" not in response.content.decode()
    assert not Partner.objects.exists()


@pytest.mark.parametrize("page", ["import/", "export/"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, page):
    response = client.get(f"{PARTNERS}{page}")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user("staffer", password="a-long-test-password", is_staff=True)
    client.force_login(user)
    return client, user


def grant(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))


def test_staff_without_permissions_cannot_import_or_export(staff_client):
    client, _ = staff_client
    assert client.get(f"{PARTNERS}import/").status_code == 403
    assert client.post(f"{PARTNERS}import/", {"format": "0", "import_file": upload([{"slug": "a"}])}).status_code == 403
    assert client.post(f"{PARTNERS}process_import/", {"import_file_name": "x", "format": "0"}).status_code == 403
    assert client.get(f"{PARTNERS}export/").status_code == 403
    assert client.post(f"{PARTNERS}export/", {"format": "0"}).status_code == 403


def test_viewing_allows_export_but_not_import(staff_client):
    client, user = staff_client
    grant(user, "view_partner")
    page = client.get(PARTNERS).content.decode()
    assert "export/" in page and "import/" not in page
    assert export(client, PARTNERS, "csv").status_code == 200
    assert client.get(f"{PARTNERS}import/").status_code == 403


@pytest.mark.parametrize("codenames", [("view_partner", "add_partner"), ("view_partner", "change_partner")])
def test_import_needs_both_add_and_change(staff_client, codenames):
    client, user = staff_client
    grant(user, *codenames)
    assert client.get(f"{PARTNERS}import/").status_code == 403
    grant(user, "add_partner", "change_partner")
    assert client.get(f"{PARTNERS}import/").status_code == 200


def test_permissions_are_per_model(staff_client):
    client, user = staff_client
    grant(user, "view_partner", "add_partner", "change_partner")
    assert client.get(f"{PARTNERS}import/").status_code == 200
    assert client.get(f"{PAYLOADS}import/").status_code == 403
    assert client.get(f"{PAYLOADS}export/").status_code == 403
