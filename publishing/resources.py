"""Import and export shared by every content model (django-import-export).

Rows are identified by natural keys (slugs) and relations are written as slugs, so that a file
moves between databases and an export re-imports unchanged. Every row goes through the model's
validation and the editorial workflow of the person importing it.
"""

import copy
import datetime
import re

import reversion
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets
from import_export.results import RowResult

from .models import EditorialState as State
from .workflow import PUBLISHERS_ONLY, SCHEDULE_FIELDS, can_edit, can_publish, transition_error

PUBLISHED_CONTENT = _("This is published: only a publisher can change it.")
WORKFLOW_COLUMNS = ["editorial_state", "publish_at", "unpublish_at"]
WRITTEN = {RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE}

# What a spreadsheet may run as a formula when a cell starts with it. A text cell starting with
# one of these is exported behind an apostrophe (the spreadsheet's own "this is text" prefix),
# and the apostrophe is removed again on import, so that an export re-imports unchanged.
FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
ESCAPED_FORMULA_START = re.compile(r"'+[=+\-@\t\r]")


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


class DateWidget(widgets.DateWidget):
    """A date; a spreadsheet's date cell arrives as a datetime, which would never equal the
    stored date and so would make every re-import an update."""

    def clean(self, value, row=None, **kwargs):
        value = super().clean(value, row, **kwargs)
        return value.date() if isinstance(value, datetime.datetime) else value


class DateTimeWidget(widgets.DateTimeWidget):
    """A time to the microsecond when it has one, so that it re-imports as the same instant."""

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
    }

    #: Relations the export reads on every row, fetched up front instead of once per row.
    export_related = ()

    class Meta:
        import_id_fields = ["slug"]
        skip_unchanged = True  # re-importing a file reports every row as skipped and writes nothing
        clean_model_instances = True  # full_clean(): the same validation as the change form
        store_instance = True  # after_import() records a version of each imported object

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
