"""Import and export shared by every content model (django-import-export).

Rows are identified by natural keys (slugs) and relations are written as slugs, so that a file
moves between databases and an export re-imports unchanged. A newsroom's own spreadsheet works
too: a row without a slug is the record of exactly its English name (or a new one, its slug made
from the name), columns may be headed by the labels editors see, in either language, and choices
given by their labels. Every row goes through the model's validation and the editorial workflow
of the person importing it; every problem is told as a sentence naming its row and column.
"""

import copy
import datetime
import functools
import re

import reversion
import tablib
from diff_match_patch import diff_match_patch
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.html import format_html_join
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets
from import_export.resources import Diff
from import_export.results import Result, RowResult
from modeltranslation.settings import DEFAULT_LANGUAGE

from .models import EditorialState as State
from .translated import join_list
from .workflow import PUBLISHERS_ONLY, SCHEDULE_FIELDS, can_edit, can_publish, transition_error

PUBLISHED_CONTENT = _("This is published: only a publisher can change it.")
WORKFLOW_COLUMNS = ["editorial_state", "publish_at", "unpublish_at"]
WRITTEN = {RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE}

# What a spreadsheet may run as a formula when a cell starts with it. A text cell starting with
# one of these is exported behind an apostrophe (the spreadsheet's own "this is text" prefix),
# and the apostrophe is removed again on import, so that an export re-imports unchanged.
FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
ESCAPED_FORMULA_START = re.compile(r"'+[=+\-@\t\r]")


def heading_key(text) -> str:
    """A column heading or a value as compared: case, spacing and underscores aside, so that
    "  Summary En", "summary_en" and "SUMMARY EN" are one."""
    return " ".join(str("" if text is None else text).replace("_", " ").split()).casefold()


def in_each_language(text) -> set[str]:
    """`text` (a lazy translation) in each of the site's languages."""
    translated = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            translated.add(str(text))
    return translated


class FileProblem(Exception):
    """What makes a whole file unreadable row by row (a column missing, unknown or given twice),
    one sentence for the editor each."""

    def __init__(self, messages: list[str]):
        super().__init__(*messages)
        self.messages = messages


class ImportResult(Result):
    """The library's result, with the file's own headings, so that each problem is told with
    the column as the editor wrote it."""

    #: The file's heading of each column, by the attribute it imports ("region": "Region").
    headings: dict = {}
    #: The column name of each attribute, for a column the file does not have.
    column_names: dict = {}

    def problems(self) -> list[str]:
        """Each problem of the import, as a sentence: the file's first, then row by row."""
        lines = [str(error.error) for error in self.base_errors]
        for row in self.invalid_rows:
            for attribute, texts in row.error_dict.items():
                lines += [self._row_problem(row.number, attribute, text) for text in texts]
        for row in self.error_rows:
            lines += [self._row_problem(row.number, NON_FIELD_ERRORS, error.error) for error in row.errors]
        return list(dict.fromkeys(lines))  # a translated text is checked in two fields, told once

    def _row_problem(self, number: int, attribute: str, text) -> str:
        if attribute == NON_FIELD_ERRORS:
            return _("Row %(row)s: %(problem)s") % {"row": number, "problem": text}
        if attribute in self.headings:
            return _("Row %(row)s, column “%(column)s”: %(problem)s") % {
                "row": number,
                "column": self.headings[attribute],
                "problem": text,
            }
        return _("Row %(row)s, column “%(column)s” (not in the file): %(problem)s") % {
            "row": number,
            "column": self.column_names.get(attribute, attribute),
            "problem": text,
        }


class LabelledDiff(Diff):
    """A row's values before and after, as the import preview shows them: choices and yes/no
    by their labels (ContentResource.preview_values()), and the changes marked up without
    inline styles, which the Content-Security-Policy refuses. The columns any row changes are
    noted on the resource, which leaves the others out of the preview."""

    TAGS = {
        diff_match_patch.DIFF_DELETE: "del",
        diff_match_patch.DIFF_EQUAL: "span",
        diff_match_patch.DIFF_INSERT: "ins",
    }

    def __init__(self, resource, instance, new):
        self.left = resource.preview_values(instance)
        self.right = []
        self.new = new

    def compare_with(self, resource, instance):
        self.right = resource.preview_values(instance)
        resource.changed_columns.update(
            index
            for index, (before, after) in enumerate(zip(self.left, self.right, strict=True))
            if after != ("" if self.new else before)
        )

    #: Characters of a long text shown around a change, and of a long new text: a body would
    #: otherwise squeeze every other column of the preview to a letter's width.
    CONTEXT = 40
    SHOWN = 160

    def as_html(self):
        cells = []
        for before, after in zip(self.left, self.right, strict=False):
            matcher = diff_match_patch()
            changes = matcher.diff_main("" if self.new else str(before), str(after))
            matcher.diff_cleanupSemantic(changes)
            parts = ((self.TAGS[op], self._shortened(op, text)) for op, text in changes)
            cells.append(format_html_join("", "<{0}>{1}</{0}>", parts))
        return cells

    def _shortened(self, op, text: str) -> str:
        if op == diff_match_patch.DIFF_EQUAL and len(text) > 2 * self.CONTEXT:
            return f"{text[: self.CONTEXT]} … {text[-self.CONTEXT :]}"
        if len(text) > self.SHOWN:
            return f"{text[: self.SHOWN]} …"
        return text


class TextWidget(widgets.CharWidget):
    """Text that a spreadsheet never runs as a formula (`=HYPERLINK(…)` stays text)."""

    def clean(self, value, row=None, **kwargs):
        value = super().clean(value, row, **kwargs)
        if isinstance(value, str) and ESCAPED_FORMULA_START.match(value):
            return value[1:]
        return value

    def render(self, value, obj=None, **kwargs):
        text = super().render(value, obj, **kwargs)
        if isinstance(text, str) and FORMULA_START.match(text):
            return f"'{text}"
        return text


class ChoiceWidget(widgets.CharWidget):
    """One of a field's choices, by its code ("asia") or by its label in either language
    ("Asia", "亚洲"), in any case and spacing; anything else is refused with the labels."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = list(choices)

    @functools.cached_property
    def codes(self) -> dict:
        codes = {}
        for code, label in self.choices:
            for name in in_each_language(label):
                codes.setdefault(heading_key(name), code)
        return codes | {heading_key(code): code for code, _label in self.choices}

    def display(self, code) -> str:
        return str(dict(self.choices).get(code, code or ""))

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if not heading_key(text):
            return None if text is None else ""
        try:
            return self.codes[heading_key(text)]
        except KeyError:
            raise ValueError(
                _("“%(value)s” is not one of %(choices)s.")
                % {"value": text.strip(), "choices": join_list(str(label) for _code, label in self.choices)}
            ) from None


class YesNoWidget(widgets.BooleanWidget):
    """Yes or no: 1 or 0, true or false, yes or no (是, 否), in any case. The library's widget
    took anything it did not know, "Yes" included, for no."""

    @functools.cached_property
    def answers(self) -> dict:
        yes = ["1", "1.0", "true", "yes", "y", *in_each_language(_("Yes"))]
        no = ["0", "0.0", "false", "no", "n", *in_each_language(_("No"))]
        return {heading_key(word): True for word in yes} | {heading_key(word): False for word in no}

    def display(self, value) -> str:
        return "" if value is None else str(_("Yes") if value else _("No"))

    def clean(self, value, row=None, **kwargs):
        key = heading_key(value)
        if key in ("", "none", "null"):
            return None
        if key in self.answers:
            return self.answers[key]
        raise ValueError(_("“%(value)s” is neither yes nor no. Write yes or no.") % {"value": str(value).strip()})


class DecimalWidget(widgets.DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except (ValueError, ArithmeticError):  # Decimal("north") raises InvalidOperation, no ValueError
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value}) from None


class DateWidget(widgets.DateWidget):
    """A date; a spreadsheet's date cell arrives as a datetime, which would never equal the
    stored date and so would make every re-import an update."""

    def clean(self, value, row=None, **kwargs):
        try:
            value = super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date. Write it as year-month-day: 2024-04-25.") % {"value": value}
            ) from None
        return value.date() if isinstance(value, datetime.datetime) else value


class DateTimeWidget(widgets.DateTimeWidget):
    """A time to the microsecond when it has one, so that it re-imports as the same instant."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date and time. Write it as year-month-day hours:minutes: 2024-04-25 14:30.")
                % {"value": value}
            ) from None

    def render(self, value, obj=None, **kwargs):
        text = super().render(value, obj, **kwargs)
        if isinstance(text, str) and isinstance(value, datetime.datetime) and value.microsecond:
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S.%f")
        return text


class SlugWidget(widgets.CachedForeignKeyWidget):
    """A related record named by its slug; an unknown slug is reported, not a crash."""

    def __init__(self, model, **kwargs):
        super().__init__(model, field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                _("There is no %(model)s with the slug “%(slug)s”.")
                % {"model": self.model._meta.verbose_name, "slug": value}
            ) from None


class NameWidget(widgets.ForeignKeyWidget):
    """A related record of reference data (a launch vehicle) named by its English or Chinese
    name, in any case; written out by its English name. An unknown name is reported with where
    to add it, never a new record made from a typo."""

    def __init__(self, model, **kwargs):
        super().__init__(model, field="name_en", **kwargs)

    def clean(self, value, row=None, **kwargs):
        name = str(value or "").strip()
        if not name:
            return None
        found = self.model.objects.filter(Q(name_en__iexact=name) | Q(name_zh_hans__iexact=name)).first()
        if found is None:
            raise ValueError(
                _(
                    "There is no %(model)s named “%(name)s”: add it under “%(models)s” first, "
                    "or use the name it has there."
                )
                % {
                    "model": self.model._meta.verbose_name,
                    "name": name,
                    "models": capfirst(self.model._meta.verbose_name_plural),
                }
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return value.name_en if value else ""


class SlugListWidget(widgets.ManyToManyWidget):
    """Several related records in one cell, comma-separated ("pakistan, esa"); a JSON list works
    too. Unlike the library's widget, an unknown key is an error instead of being dropped."""

    def __init__(self, model, field="slug", **kwargs):
        super().__init__(model, separator=",", field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        items = value if isinstance(value, list | tuple) else str(value or "").split(self.separator)
        keys = list(dict.fromkeys(str(item).strip() for item in items if str(item).strip()))
        found = self.model.objects.filter(**{f"{self.field}__in": keys})
        missing = set(keys) - {str(key) for key in found.values_list(self.field, flat=True)}
        if missing:
            raise ValueError(
                _("Unknown %(field)s for %(model)s: %(keys)s.")
                % {
                    "field": self.field,
                    "model": self.model._meta.verbose_name_plural,
                    "keys": ", ".join(sorted(missing)),
                }
            )
        return found


class ContentResource(resources.ModelResource):
    """What every content resource shares: natural keys, validation, the workflow and history.

    The person importing is the `user` that the admin passes to `import_data()`; anyone else
    (a script that passes no user) imports as a person without the publish permission.
    """

    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        "CharField": TextWidget,
        "TextField": TextWidget,
        "DateField": DateWidget,
        "DateTimeField": DateTimeWidget,
        "DecimalField": DecimalWidget,
        "BooleanField": YesNoWidget,
    }

    #: Relations the export reads on every row, fetched up front instead of once per row.
    export_related = ()
    #: The column that names a row without a slug (the English name): the record of exactly
    #: that name is the one the row changes, and a new record gets its slug from it.
    name_column = "name"
    #: The file's heading of each column by attribute, once a file is read (read_headings()).
    headings = None
    column_names = None

    class Meta:
        import_id_fields = ["slug"]
        skip_unchanged = True  # re-importing a file reports every row as skipped and writes nothing
        clean_model_instances = True  # full_clean(): the same validation as the change form
        store_instance = True  # after_import() records a version of each imported object

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.changed_columns = set()  # the preview's columns that some row changes (see LabelledDiff)

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if f.choices and not f.is_relation:
            return functools.partial(ChoiceWidget, choices=f.choices)
        return super().widget_from_django_field(f, default)

    @classmethod
    def get_result_class(cls):
        return ImportResult

    @classmethod
    def get_diff_class(cls):
        return LabelledDiff

    def preview_fields(self) -> list:
        """The columns the import preview shows: the file's (all, before a file is read), the
        keys, and the editorial state, which an import may change whatever the file says."""
        fields = self.get_import_fields()
        if self.headings is None:
            return fields
        shown = {*self.headings, *(self.fields[name].attribute for name in self.get_import_id_fields())}
        return [field for field in fields if field.attribute in shown | {"editorial_state"}]

    def get_diff_headers(self):
        return [str(self.field_label(field)) for field in self.preview_fields()]

    def preview_values(self, instance) -> list[str]:
        """The row's values as an editor reads them: labels for codes ("Asia", not "asia"),
        yes or no, a country's name (a widget's display()), the file's text for the rest."""
        values = []
        for field in self.preview_fields():
            display = getattr(field.widget, "display", None)
            if instance is None:
                values.append("")
            elif display:
                values.append(display(field.get_value(instance)))
            else:
                values.append(self.export_field(field, instance))
        return values

    def import_data(self, dataset, *args, **kwargs):
        try:
            dataset = self.read_headings(dataset)
        except FileProblem as problem:
            if kwargs.get("raise_errors"):
                raise
            return self._refused(dataset, problem)
        self.changed_columns = set()
        result = super().import_data(dataset, *args, **kwargs)
        result.headings, result.column_names = self.headings, self.column_names
        self._preview_changes_only(result)
        return result

    def _preview_changes_only(self, result):
        """Keep the preview to what the file changes in any row, beside the columns that say
        which record each row is and its state: a whole export re-imported, which changes
        nothing, is previewed in four columns instead of thirty."""
        always = {self.fields[name].attribute for name in [*self.get_import_id_fields(), self.name_column]}
        kept = [
            index
            for index, field in enumerate(self.preview_fields())
            if index in self.changed_columns or field.attribute in always | {"editorial_state"}
        ]
        result.diff_headers = [result.diff_headers[index] for index in kept]
        for row in result.rows:
            if row.diff:
                row.diff = [row.diff[index] for index in kept]

    def field_label(self, field, capitalised: bool = True):
        """The label of a column's field, as the change form and the export form show it (a
        lazy translation)."""
        try:
            label = self._meta.model._meta.get_field(field.attribute).verbose_name
        except FieldDoesNotExist:
            return field.column_name
        return capfirst(label) if capitalised else label

    def heading_names(self) -> dict[str, str]:
        """Every heading a column may have (compared as heading_key() does), and the column it
        is: the column's name ("summary_en") or its field's label in either language
        ("Summary [en]", "摘要 [en]"); a translated text's plain name or label ("summary",
        "摘要") is its English column."""
        fields = self.get_import_fields()
        names = {}
        for field in fields:
            for label in in_each_language(self.field_label(field)):
                names.setdefault(heading_key(label), field.column_name)
        columns = {field.attribute: field.column_name for field in fields}
        for original, english in self._translated_originals().items():
            # A translated text without its language ("summary", "Summary") is the English one.
            if english in columns:
                model_field = self._meta.model._meta.get_field(original)
                for label in [original, *in_each_language(capfirst(model_field.verbose_name))]:
                    names.setdefault(heading_key(label), columns[english])
        return names | {heading_key(field.column_name): field.column_name for field in fields}

    def read_headings(self, dataset: tablib.Dataset) -> tablib.Dataset:
        """`dataset` with its columns under the resource's column names, whatever heading the
        file gives them; the headings as written are kept for messages (self.headings). A file
        without slugs gets an empty slug column, filled row by row (before_import_row()).
        Raises FileProblem for a column it cannot place, or without the columns that say which
        record each row is."""
        names, fields = self.heading_names(), {field.column_name: field for field in self.get_import_fields()}
        problems, headings, kept = [], {}, []
        for index, heading in enumerate(dataset.headers or []):
            column = names.get(heading_key(heading))
            if not heading_key(heading):
                if any(heading_key(value) for value in dataset.get_col(index)):
                    problems.append(_("Column %(number)s has values but no heading.") % {"number": index + 1})
            elif column is None:
                problems.append(
                    _(
                        "The column “%(heading)s” is not one this import reads. "
                        "Rename it to one of %(columns)s, or remove it."
                    )
                    % {"heading": str(heading).strip(), "columns": ", ".join(fields)}
                )
            elif column in headings:
                problems.append(
                    _("The columns “%(first)s” and “%(second)s” are both the %(field)s: keep one of them.")
                    % {
                        "first": headings[column],
                        "second": str(heading).strip(),
                        "field": self.field_label(fields[column], capitalised=False),
                    }
                )
            else:
                headings[column] = str(heading).strip()
                kept.append(index)
        problems += self._missing_key_columns(headings)
        if problems:
            raise FileProblem(problems)
        self.headings = {fields[column].attribute: heading for column, heading in headings.items()}
        self.column_names = {field.attribute: column for column, field in fields.items()}
        # The model checks a translated text twice, as "summary" and as "summary_en": both are
        # the English column.
        for original, english in self._translated_originals().items():
            for names in (self.headings, self.column_names):
                if english in names:
                    names.setdefault(original, names[english])
        columns = [column for column in headings]
        rows = [[row[index] for index in kept] for row in dataset]
        if self._slug_from_name() and "slug" not in headings:
            columns.append("slug")
            rows = [[*row, ""] for row in rows]
        return tablib.Dataset(*rows, headers=columns)

    def _translated_originals(self) -> dict[str, str]:
        """{"summary": "summary_en"}: each translated field, and its field in the default language."""
        return {
            field.translated_field.name: field.name
            for field in self._meta.model._meta.fields
            if getattr(field, "translated_field", None) and field.language == DEFAULT_LANGUAGE
        }

    def _slug_from_name(self) -> bool:
        return self.get_import_id_fields() == ["slug"]

    def _missing_key_columns(self, headings: dict) -> list[str]:
        model = self._meta.model._meta.verbose_name
        if self._slug_from_name():
            if "slug" in headings or self.name_column in headings:
                return []
            return [
                _(
                    "The file has neither a “%(slug)s” nor a “%(name)s” column: "
                    "one of them says which %(model)s each row is."
                )
                % {"slug": "slug", "name": self.name_column, "model": model}
            ]
        keys = [self.fields[name].column_name for name in self.get_import_id_fields()]
        problems = []
        for column in keys:
            if column not in headings:
                # The other key columns as the file heads them ("name" for "name_en").
                others = ", ".join(f"“{headings.get(other, other)}”" for other in keys if other != column)
                problems.append(
                    _("The file has no “%(column)s” column: with %(others)s, it says which %(model)s each row is.")
                    % {"column": column, "others": others, "model": model}
                )
        return problems

    def _refused(self, dataset, problem: FileProblem) -> ImportResult:
        result = self.get_result_class()()
        result.total_rows = len(dataset)
        for message in problem.messages:
            result.append_base_error(self.get_error_result_class()(FileProblem([message])))
        return result

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        if self._slug_from_name() and not heading_key(row.get("slug")):
            row["slug"] = self.slug_for(row.get(self.name_column))

    def slug_for(self, name) -> str:
        """The slug of the record named exactly `name`, or else a new one made from the name."""
        name = str(name or "").strip()
        if not name:
            return ""  # nothing to go by: full_clean() reports the missing slug and name
        manager = self._meta.model._default_manager
        attribute = self.fields[self.name_column].attribute
        slugs = list(manager.filter(**{attribute: name}).values_list("slug", flat=True)[:2])
        if len(slugs) > 1:
            raise ValidationError(
                {
                    attribute: _("Several %(models)s are named “%(name)s”: add a slug column to say which one.")
                    % {"models": self._meta.model._meta.verbose_name_plural, "name": name}
                }
            )
        if slugs:
            return slugs[0]
        base = slugify(name)[: self._meta.model._meta.get_field("slug").max_length - 6]
        if not base:
            raise ValidationError(
                {attribute: _("No slug can be made from “%(name)s”: add a slug column for this row.") % {"name": name}}
            )
        slug, number = base, 2
        while manager.filter(slug=slug).exists():
            slug, number = f"{base}-{number}", number + 1
        return slug

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            # An unknown slug in a key column (a payload's mission): import_instance() reports
            # it against that column, as for any other invalid value.
            return None

    def import_instance(self, instance, row, **kwargs):
        stored = copy.copy(instance)  # as it is in the database, for the workflow checks
        try:
            super().import_instance(instance, row, **kwargs)
            errors = {}
        except ValidationError as error:
            errors = error.update_error_dict({})
        errors.update(self._relation_errors(instance, row, skip=errors.keys()))
        changed = bool(errors) or stored.pk is None or not self.skip_row(instance, stored, row)
        if changed:
            errors.update(self._workflow_errors(kwargs.get("user") or AnonymousUser(), instance, stored))
        if errors:
            raise ValidationError(errors)

    def _relation_errors(self, instance, row, skip=()) -> dict:
        """Unknown slugs in the relation columns, and empty required relations (the library
        checks neither: it drops unknown keys and saves relations after validation)."""
        errors = {}
        for field in self.get_import_fields():
            if not isinstance(field.widget, widgets.ManyToManyWidget) or field.attribute in skip:
                continue
            required = not instance._meta.get_field(field.attribute).blank
            if field.column_name not in row:
                if required and instance.pk is None:
                    errors[field.attribute] = [_("This field is required.")]
                continue
            try:
                related = field.clean(row)
            except ValueError as error:
                errors[field.attribute] = [str(error)]
                continue
            if required and not related.exists():
                errors[field.attribute] = [_("This field is required.")]
        return errors

    def _workflow_errors(self, user, instance, stored) -> dict:
        """Apply publishing.workflow to a row that adds or changes something: the same rules
        as the change form, asked of the same functions."""
        model = type(instance)
        if stored.pk is None and not can_publish(user, model):
            # New content from an editor arrives as a draft, whatever the file says.
            instance.editorial_state = State.DRAFT
            for name in SCHEDULE_FIELDS:
                setattr(instance, name, None)
            return {}
        errors = {}
        if not can_edit(user, stored):
            errors[NON_FIELD_ERRORS] = [str(PUBLISHED_CONTENT)]
        if instance.editorial_state in State.values:  # anything else is full_clean()'s to report
            error = transition_error(user, stored, instance.editorial_state)
            if error:
                errors["editorial_state"] = [error]
        if not can_publish(user, model):
            for name in SCHEDULE_FIELDS:
                if getattr(instance, name) != getattr(stored, name):
                    errors[name] = [str(PUBLISHERS_ONLY)]
        return errors

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if self._is_dry_run(kwargs) or result.has_errors() or result.has_validation_errors():
            return  # nothing is written: no history either
        imported = [row.instance for row in result.rows if row.import_type in WRITTEN]
        if not imported or not reversion.is_registered(self._meta.model):
            return
        # One revision for the file, inside the import's transaction: it is rolled back with it.
        with reversion.create_revision():
            user = kwargs.get("user")
            reversion.set_user(user if user and user.is_authenticated else None)
            file_name = kwargs.get("file_name")
            reversion.set_comment(
                _("Imported from “%(file)s”.") % {"file": file_name} if file_name else _("Imported from a file.")
            )
            for instance in imported:
                reversion.add_to_revision(instance)

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        # An empty cell, never the text "None": spreadsheet exports keep native values, and the
        # formula escaping (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT) turns every cell into text.
        return "" if value is None else value

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset, **kwargs).prefetch_related(*self.export_related)
