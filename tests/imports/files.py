"""Build import files in memory and drive the admin's import and export pages as a browser would."""

import csv
import io
import json

import openpyxl
import tablib
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def upload(rows: list[dict], file_format: str = "csv", name: str = "") -> SimpleUploadedFile:
    """`rows` (dicts) as a CSV, XLSX or JSON file; a key missing from a row is an empty cell."""
    headers = list(dict.fromkeys(key for row in rows for key in row))
    rows = [{header: row.get(header, "") for header in headers} for row in rows]
    if file_format == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(headers)
        writer.writerows([row[header] for header in headers] for row in rows)
        content = text.getvalue().encode()
    elif file_format == "xlsx":
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(headers)
        for row in rows:
            sheet.append([row[header] for header in headers])
        buffer = io.BytesIO()
        book.save(buffer)
        content = buffer.getvalue()
    else:
        content = json.dumps(rows, ensure_ascii=False).encode()
    return SimpleUploadedFile(name or f"import.{file_format}", content, content_type=CONTENT_TYPES[file_format])


def format_choice(form, file_format: str) -> str:
    """The value of `file_format` ("csv") in an import or export form's format menu."""
    return next(value for value, label in form.fields["format"].choices if label == file_format)


def preview(client, changelist: str, file, file_format: str = "csv"):
    """Upload `file` on the import page: the response shows the preview or the errors."""
    form = client.get(f"{changelist}import/").context["form"]
    return client.post(
        f"{changelist}import/", {"resource": "0", "format": format_choice(form, file_format), "import_file": file}
    )


def confirm(client, changelist: str, preview_response):
    """Press "Confirm import" on a preview page."""
    form = preview_response.context["confirm_form"]
    return client.post(f"{changelist}process_import/", {name: form.initial[name] for name in form.fields})


def import_file(client, changelist: str, file, file_format: str = "csv"):
    """Preview, check that it can be confirmed, and confirm."""
    response = preview(client, changelist, file, file_format)
    assert response.context["confirm_form"], rows_report(response)
    return confirm(client, changelist, response)


def rows_report(response) -> str:
    result = response.context.get("result")
    if result is None:
        return str(response.context["form"].errors)
    invalid = [(row.number, row.error_dict) for row in result.invalid_rows]
    return f"invalid: {invalid}; errors: {[(n, [e.error for e in es]) for n, es in result.row_errors()]}"


def messages_of(response) -> list[str]:
    """The messages shown at the top of the next admin page."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def import_types(response) -> list[str]:
    """What the preview says it will do with each row: new, update or skip."""
    return [row.import_type for row in response.context["result"].valid_rows()]


def export(client, changelist: str, file_format: str = "csv", query: str = ""):
    """Open the export page (from a changelist showing `query`) and download the file."""
    url = f"{changelist}export/{query}"
    form = client.get(url).context["form"]
    data = {"resource": "0", "format": format_choice(form, file_format)}
    data |= {name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)}
    return client.post(url, data)


def exported_rows(response, file_format: str = "csv") -> list[dict]:
    """The rows of a downloaded export, as dicts."""
    if file_format == "xlsx":
        return [dict(row) for row in tablib.Dataset().load(response.content, format="xlsx").dict]
    text = response.content.decode("utf-8-sig")
    if file_format == "json":
        return json.loads(text)
    return list(csv.DictReader(io.StringIO(text)))
