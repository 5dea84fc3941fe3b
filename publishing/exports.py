"""CSV exports of the public lists: the list's own FilterSet over the same published records as
the API, every matching row (not one page), streamed. Each app names its columns.

The file opens cleanly in spreadsheet software: UTF-8 with a byte-order mark (without it, Excel
reads Chinese names as Latin-1), one header row of the API's field names, several values in one
cell joined by "; ". Text that a spreadsheet would run as a formula is written behind an apostrophe.
"""

import csv
from collections.abc import Callable, Iterable, Iterator

from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from publishing.resources import FORMULA_START

# Rows fetched per query batch: memory stays bounded, and the query count is constant up to this
# many rows (each further batch repeats the prefetch queries).
CHUNK_SIZE = 2000

# A column: its header, and the attribute to read or a function of the record.
Column = tuple[str, str | Callable]


def joined(values: Iterable) -> str:
    return "; ".join(str(value) for value in values)


def page_url(request):
    return lambda record: request.build_absolute_uri(record.get_absolute_url())


def spreadsheet_safe(value) -> str | int | float:
    """A cell's value; text that would start a formula (=, +, -, @, tab, CR) gets a leading
    apostrophe. Numbers and dates are ours, not visitors' text, and stay as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if not isinstance(value, str):
        return str(value)
    return f"'{value}" if FORMULA_START.match(value) else value


class _Line:
    """A file-like object whose write() returns what it was given, for csv.writer."""

    def write(self, text: str) -> str:
        return text


def csv_lines(records: Iterable, columns: list[Column]) -> Iterator[bytes]:
    writer = csv.writer(_Line())
    yield "\ufeff".encode()
    yield writer.writerow([header for header, read in columns]).encode()
    for record in records:
        cells = [read(record) if callable(read) else getattr(record, read) for header, read in columns]
        yield writer.writerow([spreadsheet_safe(cell) for cell in cells]).encode()


def csv_response(records: Iterable, columns: list[Column], name: str) -> StreamingHttpResponse:
    filename = f"lunarportal-{name}-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(csv_lines(records, columns), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class CSVExportView(View):
    """Every record of a public list that its filters select, as CSV. Filters that do not validate
    give a 400 that says what is wrong, as the list's form would."""

    filterset_class = None
    name = ""

    def get_queryset(self):
        raise NotImplementedError

    def get_columns(self) -> list[Column]:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        filterset = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request)
        if not filterset.is_valid():
            problems = [f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items()]
            message = "\n".join([_("These filters cannot be used:"), *problems])
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return csv_response(filterset.qs.iterator(chunk_size=CHUNK_SIZE), self.get_columns(), self.name)
