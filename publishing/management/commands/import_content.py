"""Import a large CSV, XLSX or JSON file of content from the command line, as the admin would.

The file goes through the resource the model's admin imports with (missions/resources.py,
partners/resources.py): the same columns, validation, relation checks and editorial workflow,
applied as the user named by --as, and the same history (one revision by that user). As with
the admin's confirmation, one invalid row means nothing is written; the report lists every
problem, row by row.

Limits: the admin refuses files over 5 MB or 10,000 rows because its preview and its
confirmation must each finish within one web request. This command has no request to fit in
(large files are what it is for), so it keeps neither. It does keep a ceiling on what a
spreadsheet unpacks to, higher than the admin's: a zip bomb is hostile whoever runs the import.
"""

import io
from pathlib import Path

from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import XLSX
from import_export.results import RowResult
from import_export.signals import post_import
from tablib import InvalidDimensions

from publishing.admin import ContentImportExportMixin, unpacked_size
from publishing.progress import Progress, all_or_nothing

# Ten times the admin's ceiling: about half a million spreadsheet rows.
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
# What each format has to look like, for the message when a file cannot be read.
SHAPES = {
    "csv": "a header row, then one row per record, in UTF-8",
    "xlsx": "an Excel workbook with the header row first on its first sheet",
    "json": "a list of objects, one per record",
}
# Names an operator may use for a model besides "app.model" ("projects" for cooperation projects).
ALIASES = {"project": "partners.cooperationproject", "projects": "partners.cooperationproject"}
LOGGED = {RowResult.IMPORT_TYPE_NEW: ADDITION, RowResult.IMPORT_TYPE_UPDATE: CHANGE}


def importable_models() -> dict:
    """{model: its admin} for every model the admin can import."""
    return {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ContentImportExportMixin)
    }


def printable(text: str) -> str:
    """`text` with control and direction characters spelled out: a line of a hostile file can
    neither forge report lines nor send escape sequences to the operator's terminal."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in str(text))


def with_progress(resource_class, on_row):
    """The admin's resource, calling `on_row(row_number)` after each row, valid or not (the
    library's after_import_row() misses invalid rows)."""

    class CommandResource(resource_class):
        class Meta:
            skip_html_diff = True  # the diff is for the admin's preview page; kept per row, it would fill memory

        def import_row(self, row, instance_loader, **kwargs):
            row_result = super().import_row(row, instance_loader, **kwargs)
            on_row(kwargs["row_number"])
            return row_result

    return CommandResource


class Command(BaseCommand):
    help = (
        "Import a CSV, XLSX or JSON file of missions, payloads, partners, agreements or projects through the "
        "admin's import, as the given user: all rows or none."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "model",
            help="missions.mission, missions.payload, partners.partner, ... or missions, payloads, partners, "
            "agreements, projects.",
        )
        parser.add_argument("path", type=Path, help="The file to import.")
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            metavar="USERNAME",
            help="The staff user importing: their permissions and workflow rules apply, and the history names them.",
        )
        parser.add_argument("--format", choices=sorted(SHAPES), help="The file's format (default: from its extension).")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and report; write nothing.")

    def handle(self, *args, model, path, username, format=None, dry_run=False, verbosity=1, **options):
        model, model_admin = self._model(model)
        user = self._importer(username, model, model_admin)
        input_format = self._format(path, format, model_admin)
        dataset = self._read(path, input_format)
        plural = model._meta.verbose_name_plural
        resource_class = model_admin.resource_classes[0]

        action = "Checking" if dry_run else "Importing"
        counted = f"{len(dataset):,} row{'s' if len(dataset) != 1 else ''}"
        self.stdout.write(f"{action} {counted} of {plural} from {printable(path.name)} as {user.get_username()}.")
        progress = Progress(len(dataset), out=self.stdout if verbosity else io.StringIO())
        resource = with_progress(resource_class, lambda n: progress.advance(1, "rows", n, len(dataset)))()
        with all_or_nothing("nothing was imported."):
            result = resource.import_data(
                dataset,
                dry_run=dry_run,
                raise_errors=False,
                use_transactions=True,
                rollback_on_validation_errors=True,  # one invalid row: nothing written, as in the admin
                file_name=path.name,
                user=user,
            )
            problems = result.problems()
            if result.base_errors:  # the file as a whole: its columns
                raise CommandError(f"Nothing was imported from {printable(path.name)}: {printable(' '.join(problems))}")
            if problems:
                for line in problems:
                    self.stderr.write(f"  {printable(line)}")
                rows = len({row.number for row in result.invalid_rows} | {row.number for row in result.error_rows})
                raise CommandError(
                    f"Nothing was imported: {len(problems)} problem(s)"
                    + (f" in {rows} row(s) of {len(dataset):,}" if rows else "")
                    + " (rows are numbered from the first one after the header)."
                )
            if not dry_run:
                self._log(result, user, model, model_admin, path)
        if not dry_run:
            post_import.send(sender=None, model=model)

        totals = result.totals
        counts = (
            f"{totals[RowResult.IMPORT_TYPE_NEW]:,} new, {totals[RowResult.IMPORT_TYPE_UPDATE]:,} updated, "
            f"{totals[RowResult.IMPORT_TYPE_SKIP]:,} unchanged"
        )
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"Dry run: every row is valid ({counts}); nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {plural} from {printable(path.name)}: {counts}."))

    def _model(self, name: str):
        models = importable_models()
        wanted = ALIASES.get(name.lower(), name.lower())
        for model, model_admin in models.items():
            opts = model._meta
            names = {opts.label_lower, opts.model_name, str(opts.verbose_name), str(opts.verbose_name_plural)}
            if wanted in names or wanted == f"{opts.model_name}s":
                return model, model_admin
        known = ", ".join(sorted(model._meta.label_lower for model in models))
        raise CommandError(f"Unknown model “{printable(name)}”. Importable: {known} (or missions, payloads, ...).")

    def _importer(self, username: str, model, model_admin):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"There is no user “{printable(username)}”.") from None
        # The admin's own checks, asked of the admin: an active staff account with the add and
        # change permissions on this model. They read nothing but the request's user.
        request = HttpRequest()
        request.user = user
        if not (admin.site.has_permission(request) and model_admin.has_import_permission(request)):
            plural = model._meta.verbose_name_plural
            raise CommandError(
                f"{printable(username)} may not import {plural}: that takes an active staff account allowed to "
                f"add and change {plural}, as in the admin."
            )
        return user

    def _format(self, path: Path, name: str | None, model_admin):
        formats = {format_class().get_extension(): format_class for format_class in model_admin.get_import_formats()}
        name = name or path.suffix.lstrip(".").lower()
        if name not in formats:
            raise CommandError(
                f"Cannot tell the format of {printable(path.name)} from its extension; "
                f"name it .csv, .xlsx or .json or give --format ({', '.join(sorted(formats))})."
            )
        input_format = formats[name]()
        if not input_format.is_binary():
            input_format.encoding = (
                ImportExportMixin.from_encoding
            )  # as the admin reads it: UTF-8, with or without a BOM
        return input_format

    def _read(self, path: Path, input_format):
        shown = printable(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CommandError(f"There is no file {shown}.") from None
        except OSError as error:
            raise CommandError(f"{shown} cannot be read: {error.strerror}.") from None
        if isinstance(input_format, XLSX) and unpacked_size(data) > MAX_UNPACKED_BYTES:
            raise CommandError(
                f"{shown} unpacks to more than {filesizeformat(MAX_UNPACKED_BYTES)}. Split it into smaller files."
            )
        extension = input_format.get_extension()
        try:
            dataset = input_format.create_dataset(data)
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{shown} is not UTF-8 text (byte {data[error.start]:#04x} at position {error.start:,}). "
                "Save it as UTF-8 (\u201cCSV UTF-8\u201d in a spreadsheet)."
            ) from None
        except InvalidDimensions:
            raise CommandError(f"{shown} has a row with more cells than its header row has columns.") from None
        except Exception as error:  # noqa: BLE001 - each reader (csv, json, openpyxl) raises its own errors
            detail = printable(str(error) or type(error).__name__)
            raise CommandError(
                f"{shown} could not be read as {extension.upper()} ({detail}); it should be {SHAPES[extension]}."
            ) from None
        if not dataset.headers or not len(dataset):
            raise CommandError(f"{shown} has no rows to import; it should be {SHAPES[extension]}.")
        return dataset

    def _log(self, result, user, model, model_admin, path: Path):
        """Recent actions in the admin, as the admin's import writes them."""
        if model_admin.get_skip_admin_log():
            return
        for import_type, flag in LOGGED.items():
            instances = [row.instance for row in result.rows if row.import_type == import_type]
            if instances:
                LogEntry.objects.log_actions(
                    user.pk,
                    instances,
                    flag,
                    change_message=f"Imported from “{path.name}” (import_content).",
                    single_object=len(instances) == 1,
                )
