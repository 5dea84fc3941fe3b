"""Admin pieces shared by every content model: the editorial workflow, history, the guard
against one editor silently overwriting another, and import and export."""

import datetime
import io
import zipfile

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import lookup_spawns_duplicates, unquote
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm
from js_asset import Media
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline
from modeltranslation.utils import build_localized_fieldname
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin

from .models import EditorialState as State
from .workflow import (
    PUBLISHERS_ONLY,
    SCHEDULE_FIELDS,
    allowed_states,
    can_edit,
    can_publish,
    transition_error,
)


class WorkflowForm(forms.ModelForm):
    """A content form that knows who is editing: it offers only the states that person may
    choose, keeps scheduling to publishers, and refuses a save based on a stale copy."""

    loaded_at = forms.CharField(widget=forms.HiddenInput, required=False)

    # Set per request by the admin (see workflow_form()).
    user = None
    live_state = None  # the state in the database, when the instance shown is an older version

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_state = self.live_state or (self.instance.editorial_state if self.instance.pk else State.DRAFT)
        if "editorial_state" in self.fields:
            states = allowed_states(self.user, self.instance, self.current_state)
            self.fields["editorial_state"].choices = [(state, State(state).label) for state in states]
        if not can_publish(self.user, self._meta.model):
            for name in SCHEDULE_FIELDS:
                if name in self.fields:
                    # A disabled field ignores whatever is posted for it.
                    self.fields[name].disabled = True
                    self.fields[name].help_text = PUBLISHERS_ONLY
        if self.instance.pk:
            self.initial["loaded_at"] = self.instance.updated_at.isoformat()

    def clean_editorial_state(self):
        state = self.cleaned_data["editorial_state"]
        error = transition_error(self.user, self.instance, state, self.current_state)
        if error:
            raise ValidationError(error, code="transition")
        return state

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk and self.cleaned_data.get("loaded_at"):
            self._refuse_stale_save(self.cleaned_data["loaded_at"])
        return cleaned_data

    def _refuse_stale_save(self, loaded_at: str):
        model = self._meta.model
        saved_at = model.objects.select_for_update().filter(pk=self.instance.pk).values_list("updated_at", flat=True)
        saved_at = saved_at.first()
        if saved_at is None or saved_at.isoformat() == loaded_at:
            return
        raise ValidationError(
            [ValidationError(line, code="stale") for line in stale_save_message(self.instance, loaded_at)]
        )


def stale_save_message(instance, loaded_at: str) -> list[str]:
    """Who saved `instance` since the editor opened it, and what they changed: one line each."""
    opened = datetime.datetime.fromisoformat(loaded_at)
    # Versions store times to the millisecond (Django's JSON encoder), so compare at that precision.
    opened = opened.replace(microsecond=opened.microsecond // 1000 * 1000)
    versions = list(Version.objects.get_for_object(instance).select_related("revision__user"))
    # Each version carries the `updated_at` it was saved with: newer ones came after the editor's copy.
    newer = [version for version in versions if version.field_dict.get("updated_at", opened) > opened]
    opened_version = next((version for version in versions if version.field_dict.get("updated_at") == opened), None)
    who = ", ".join(sorted({str(version.revision.user or _("someone")) for version in newer})) or _("Someone")
    lines = [
        str(
            _(
                "%(who)s saved this while you were editing it. Your changes were NOT saved, and nothing "
                "was overwritten. Their changes are listed below: reload the page to see the current "
                "version, then make your edits again."
            )
            % {"who": who}
        )
    ]
    if newer and opened_version:
        latest, earlier = newer[0].field_dict, opened_version.field_dict
        for name, value in latest.items():
            if name not in ("updated_at", "created_at") and earlier.get(name) != value:
                field = instance._meta.get_field(name)
                lines.append(f"{field.verbose_name}: “{earlier.get(name)}” → “{value}”")
    for version in newer:
        when = format_date(version.revision.date_created, "j M Y H:i")
        lines.append(f"{when} UTC, {version.revision.user or _('someone')}: {version.revision.get_comment() or '—'}")
    return lines


def workflow_form(form_class, request, live_state=None):
    """`form_class` bound to the person making this request."""
    return type(form_class.__name__, (form_class,), {"user": request.user, "live_state": live_state})


def _change_state(modeladmin, request, queryset, new_state, done_message):
    """Move each selected item to `new_state` where the workflow allows it, recording who did it."""
    changed, skipped = 0, 0
    for instance in queryset:
        if transition_error(request.user, instance, new_state) or instance.editorial_state == new_state:
            skipped += 1
            continue
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(f"{State(instance.editorial_state).label} → {State(new_state).label}")
            instance.editorial_state = new_state
            instance.save()
        changed += 1
    modeladmin.message_user(request, done_message(changed), messages.SUCCESS if changed else messages.WARNING)
    if skipped:
        modeladmin.message_user(
            request,
            ngettext(
                "%d item was left as it was: its state does not allow this, or you may not make this change.",
                "%d items were left as they were: their state does not allow this, or you may not make this change.",
                skipped,
            )
            % skipped,
            messages.WARNING,
        )


@admin.action(description=_("Submit selected items for review"), permissions=["change"])
def submit_for_review(modeladmin, request, queryset):
    _change_state(
        modeladmin,
        request,
        queryset,
        State.IN_REVIEW,
        lambda n: ngettext("%d item submitted for review.", "%d items submitted for review.", n) % n,
    )


@admin.action(description=_("Publish selected items"), permissions=["publish"])
def publish(modeladmin, request, queryset):
    _change_state(
        modeladmin,
        request,
        queryset,
        State.PUBLISHED,
        lambda n: ngettext("%d item published.", "%d items published.", n) % n,
    )


@admin.action(description=_("Unpublish selected items"), permissions=["publish"])
def unpublish(modeladmin, request, queryset):
    _change_state(
        modeladmin,
        request,
        queryset,
        State.UNPUBLISHED,
        lambda n: ngettext("%d item unpublished.", "%d items unpublished.", n) % n,
    )


class SideBySideTranslationsMixin:
    """Each translated text's English and Chinese fields on one row, so an editor translates
    with the original in view. modeltranslation lists them one under the other."""

    def get_fieldsets(self, request, obj=None):
        original, translation = (code for code, _name in settings.LANGUAGES)
        pairs = {
            build_localized_fieldname(name, original): build_localized_fieldname(name, translation)
            for name in self.trans_opts.all_fields
        }
        return [
            (title, {**options, "fields": _paired(options["fields"], pairs)})
            for title, options in super().get_fieldsets(request, obj)
        ]


def _paired(fields, pairs: dict) -> list:
    grouped = []
    for field in fields:
        if grouped and isinstance(grouped[-1], str) and pairs.get(grouped[-1]) == field:
            grouped[-1] = (grouped[-1], field)
        else:
            grouped.append(field)
    return grouped


class TranslatedStackedInline(SideBySideTranslationsMixin, TranslationStackedInline):
    pass


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time boxes, each with a label of its own."""

    template_name = "publishing/widgets/split_datetime.html"


class NamedCellsMixin:
    """In a table of inline forms a field is headed by its column, which assistive technology
    does not announce as its label: each input is named by its field's label as well."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (NamedCellsFormSet, formset), {})


class NamedCellsFormSet:
    def add_fields(self, form, index):
        super().add_fields(form, index)  # the "Delete" box is added here, after the form's own fields
        for field in form.fields.values():
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("aria-label", str(field.label))


class TabularInline(NamedCellsMixin, admin.TabularInline):
    pass


class TranslatedTabularInline(NamedCellsMixin, TranslationTabularInline):
    """A table row already shows a text's two languages in neighbouring columns."""


class WorkflowInlineMixin:
    """Inline content (payloads inside a mission) follows the same workflow rules."""

    form = WorkflowForm

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = workflow_form(self.form, request)
        return super().get_formset(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        # Each inline row carries its own stale-save check: a payload may be changed on its own page.
        return [*super().get_fieldsets(request, obj), (None, {"fields": ["loaded_at"]})]


class PublishableAdmin(SideBySideTranslationsMixin, TranslationAdmin, CompareVersionAdmin):
    """Workflow states, scheduling, history with diffs and revert, and stale-save protection."""

    form = WorkflowForm
    formfield_overrides = {models.DateTimeField: {"widget": LabelledSplitDateTime}}
    actions = [submit_for_review, publish, unpublish]
    list_filter = ["editorial_state"]
    readonly_fields = ["created_at", "updated_at"]
    schedule_fieldset = (_("Scheduling"), {"fields": ["publish_at", "unpublish_at"]})
    history_latest_first = True

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return workflow_form(form, request, getattr(request, "live_editorial_state", None))

    def render_change_form(self, request, context, *args, **kwargs):
        # The rich text editor finds its modules through an inline import map, which the
        # Content-Security-Policy lets run only with this response's nonce.
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        return [*fieldsets, self.schedule_fieldset, (None, {"fields": ["loaded_at"]})]

    def get_search_results(self, request, queryset, search_term):
        """Words match any search field, as in the admin; fields across a many-to-many relation
        (a payload's providers) are searched through a pk subquery. The admin's own way, joins
        and SELECT DISTINCT, took PostgreSQL minutes on 10,000 payloads."""
        fields = self.get_search_fields(request)
        spanning = {field for field in fields if lookup_spawns_duplicates(self.opts, field)}
        if not search_term or not spanning:
            return super().get_search_results(request, queryset, search_term)
        for word in smart_split(search_term):
            if word[0] in "\"'" and word[0] == word[-1] and len(word) > 1:
                word = unescape_string_literal(word)
            condition = Q()
            for field in fields:
                lookup = {f"{field}__icontains": word}
                if field in spanning:
                    condition |= Q(pk__in=self.model._default_manager.filter(**lookup).values("pk"))
                else:
                    condition |= Q(**lookup)
            queryset = queryset.filter(condition)
        return queryset, False

    def has_publish_permission(self, request):
        return can_publish(request.user, self.model)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj))

    def save_model(self, request, obj, form, change):
        if obj.editorial_state != form.current_state:
            obj.transition = f"{State(form.current_state).label} → {State(obj.editorial_state).label}"
        super().save_model(request, obj, form, change)

    # The revision's comment is the admin's change message; a state change leads it.
    def log_addition(self, request, obj, message):
        return self._comment_transition(obj, super().log_addition(request, obj, message))

    def log_change(self, request, obj, message):
        return self._comment_transition(obj, super().log_change(request, obj, message))

    def _comment_transition(self, obj, entry):
        transition = getattr(obj, "transition", None)
        if transition and reversion.is_active():
            reversion.set_comment(f"{transition}. {entry.get_change_message()}")
        return entry

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Reverting restores an old editorial state too: the workflow must judge the move from
        # the state that is live now, not from the restored one.
        request.live_editorial_state = (
            self.model.objects.filter(pk=unquote(object_id)).values_list("editorial_state", flat=True).first()
        )
        return super().revision_view(request, object_id, version_id, extra_context)

    def compare_view(self, request, object_id, extra_context=None):
        # reversion-compare's diff view checks only that the user is staff.
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return super().compare_view(request, object_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        request.live_editorial_state = State.DRAFT  # a deleted item comes back as if new
        return super().recover_view(request, version_id, extra_context)

    @admin.display(description=_("state"), ordering="editorial_state")
    def state(self, obj):
        if obj.is_scheduled:
            return _("Scheduled for %(when)s") % {"when": format_date(obj.publish_at, "j M Y H:i")}
        if obj.editorial_state == State.PUBLISHED and not obj.is_published:
            return _("Expired")
        return obj.get_editorial_state_display()


class PreviewLinkMixin:
    """ "View on site" opens the public page when it is live, the staff preview otherwise."""

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_published else obj.get_preview_url()


class BoundedImportForm(ImportForm):
    """The import form, refusing what cannot be previewed and imported within one request."""

    max_bytes = 5 * 1024 * 1024
    max_unpacked_bytes = 50 * 1024 * 1024  # an XLSX file is a zip archive: bound what it expands to
    max_rows = 10_000
    encoding = ImportExportMixin.from_encoding

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats
        self.user_can_publish = False  # set by the admin, for the notes above the form

    def clean_import_file(self):
        import_file = self.cleaned_data["import_file"]
        if import_file.size > self.max_bytes:
            raise ValidationError(
                _("This file is %(size)s; files of up to %(limit)s can be imported. Split it into smaller files."),
                code="too_large",
                params={"size": filesizeformat(import_file.size), "limit": filesizeformat(self.max_bytes)},
            )
        return import_file

    def clean(self):
        cleaned_data = super().clean()
        import_file, chosen = cleaned_data.get("import_file"), cleaned_data.get("format")
        if import_file and chosen:
            error = self._content_error(import_file, self.formats[int(chosen)]())
            if error:
                self.add_error("import_file", error)
        return cleaned_data

    def _content_error(self, import_file, input_format) -> ValidationError | None:
        data = import_file.read()
        import_file.seek(0)
        if isinstance(input_format, XLSX) and unpacked_size(data) > self.max_unpacked_bytes:
            return ValidationError(
                _("This spreadsheet unpacks to more than %(limit)s. Split it into smaller files."),
                code="too_large",
                params={"limit": filesizeformat(self.max_unpacked_bytes)},
            )
        if not input_format.is_binary():
            input_format.encoding = self.encoding
        try:
            rows = len(input_format.create_dataset(data))
        except Exception:
            return None  # unreadable: the import view says so when it reads the file
        if rows > self.max_rows:
            return ValidationError(
                _("This file has %(rows)s rows; up to %(limit)s can be imported at once. Split it into smaller files."),
                code="too_many_rows",
                params={"rows": f"{rows:,}", "limit": f"{self.max_rows:,}"},
            )
        return None


def unpacked_size(data: bytes) -> int:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        return 0  # not a spreadsheet: reading it fails with the import view's own message


class ContentImportExportMixin(ImportExportMixin):
    """Import and export buttons on a content changelist (django-import-export).

    An import is previewed, then confirmed; the confirmation writes the whole file in one
    transaction or nothing. The model's resource applies validation and the workflow to every
    row; this mixin decides who may import or export and how large a file may be. An export
    takes the changelist's filters from the query string.
    """

    import_form_class = BoundedImportForm
    import_template_name = "admin/import_export/content_import.html"

    def has_import_permission(self, request):
        # An import adds and changes rows: the setting's permission code is only one of them.
        allowed = super().has_import_permission(request)
        return allowed and self.has_add_permission(request) and self.has_change_permission(request)

    def create_import_form(self, request):
        form = super().create_import_form(request)
        form.user_can_publish = can_publish(request.user, self.model)
        return form

    def get_import_data_kwargs(self, **kwargs):
        # At the confirmation too, one invalid row rolls the whole file back.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def process_result(self, result, request):
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        # The rows were valid in the preview but not at the confirmation (the data changed in
        # between, or someone else confirmed): the whole file was rolled back.
        intro = _("Nothing was imported: when confirmed, these rows were no longer valid.")
        messages.error(request, " ".join([str(intro), *import_problems(result)[:10]]))
        app_label, model_name = self.get_model_info()
        return HttpResponseRedirect(reverse(f"admin:{app_label}_{model_name}_import", current_app=self.admin_site.name))

    def get_export_data(self, file_format, request, queryset, **kwargs):
        if isinstance(file_format, CSV):
            # Spreadsheets read a UTF-8 CSV (Chinese names) as UTF-8 only after a byte-order mark.
            kwargs["encoding"] = "utf-8-sig"
        return super().get_export_data(file_format, request, queryset, **kwargs)


def import_problems(result) -> list[str]:
    """Each problem of a failed import on one line, for a message."""
    lines = []
    for row in result.invalid_rows:
        for field, texts in row.error_dict.items():
            label = "" if field == NON_FIELD_ERRORS else f"{field}: "
            lines += [_("Row %(row)s: %(problem)s") % {"row": row.number, "problem": label + t} for t in texts]
    for number, errors in result.row_errors():
        lines += [_("Row %(row)s: %(problem)s") % {"row": number, "problem": error.error} for error in errors]
    return lines + [str(error.error) for error in result.base_errors]
