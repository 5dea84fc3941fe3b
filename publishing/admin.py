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
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.forms.formsets import DELETION_FIELD_NAME
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.dateparse import parse_datetime
from django.utils.html import escape, format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm, SelectableFieldsExportForm
from js_asset import Media
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline
from modeltranslation.utils import build_localized_fieldname
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin
from tablib import InvalidDimensions

from .models import EditorialState as State
from .reverting import LiveWorkflow
from .translated import chinese_counterparts, lacks_chinese
from .workflow import (
    PUBLISHED_READ_ONLY,
    PUBLISHERS_ONLY,
    SCHEDULE_FIELDS,
    SCHEDULE_PUBLISHES,
    allowed_states,
    can_edit,
    can_publish,
    children_left_behind,
    transition_error,
)


class WorkflowForm(forms.ModelForm):
    """A content form that knows who is editing: it offers only the states that person may
    choose, keeps scheduling to publishers, and refuses a save based on a stale copy."""

    loaded_at = forms.CharField(widget=forms.HiddenInput, required=False)
    # Shown only for content with unpublished content inside it (see PublishableAdmin.get_fieldsets).
    take_children_along = forms.BooleanField(label=_("Submit or publish them with it"), required=False)

    user = None  # set per request by the admin (see workflow_form())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_state = self.instance.editorial_state if self.instance.pk else State.DRAFT
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
        self.fields["take_children_along"].help_text = _(
            "Not published yet: %(children)s. Ticked, they move with this when you submit it for review or "
            "publish it, as far as you may; unticked, they stay hidden from the public."
        ) % {"children": listed(children_left_behind(self.instance, State.PUBLISHED), with_state=True)}
        # A form for something this person may not change shows it and ignores what is posted
        # for it. The admin makes a whole change form read-only; an inline row (a published
        # payload inside a draft mission) is judged here, as an object of its own.
        self.read_only = bool(self.instance.pk) and not can_edit(self.user, self.instance)
        if self.read_only:
            for field in self.fields.values():
                field.disabled = True  # a disabled field keeps its stored value, whatever is posted
            if "editorial_state" in self.fields:
                self.fields["editorial_state"].help_text = PUBLISHED_READ_ONLY % {
                    "name": self._meta.model._meta.verbose_name
                }

    def clean_editorial_state(self):
        state = self.cleaned_data["editorial_state"]
        error = transition_error(self.user, self.instance, state, self.current_state)
        if error:
            raise ValidationError(error, code="transition")
        return state

    def clean(self):
        cleaned_data = super().clean()
        self._approve_when_scheduled(cleaned_data)
        if self.instance.pk:
            self._refuse_stale_save(opening_time(cleaned_data.get("loaded_at")))
        return cleaned_data

    def _approve_when_scheduled(self, cleaned_data):
        """A publish time is a publisher's decision to publish at that time (editors cannot set
        one: the field is disabled for them). Set on content that is not published, it approves
        it, shown as "Scheduled for …" until then; with another state chosen in the same save,
        the two decisions contradict each other and the save is refused."""
        state = cleaned_data.get("editorial_state")
        if (
            "publish_at" not in self.changed_data
            or not cleaned_data.get("publish_at")
            or state in (None, State.PUBLISHED)
        ):
            return
        error = transition_error(self.user, self.instance, State.PUBLISHED, self.current_state)
        if "editorial_state" in self.changed_data or error:
            self.add_error("publish_at", error or str(SCHEDULE_PUBLISHES))
            return
        cleaned_data["editorial_state"] = State.PUBLISHED
        self.approved_by_schedule = True

    def _refuse_stale_save(self, opened: datetime.datetime | None):
        # A form that does not say when it was opened (the field left out, emptied or garbled)
        # cannot show that nobody saved since: it is refused like a stale one.
        if opened is not None:
            stored = self._meta.model.objects.select_for_update().filter(pk=self.instance.pk)
            saved_at = stored.values_list("updated_at", flat=True).first()
            if saved_at is None or saved_at == opened:
                return
        raise ValidationError(
            [ValidationError(line, code="stale") for line in stale_save_message(self.instance, opened)]
        )


def opening_time(loaded_at: str | None) -> datetime.datetime | None:
    """When the form was opened, from its hidden field; None when missing or not such a time."""
    try:
        opened = parse_datetime(loaded_at or "")
    except ValueError:  # shaped like a time, but no such time (month 13)
        return None
    return opened if opened and opened.tzinfo else None


def stale_save_message(instance, opened: datetime.datetime | None) -> list[str]:
    """Who saved `instance` since the editor opened it, and what they changed: one line each.
    Without the time it was opened (None), who and what cannot be told."""
    versions = []
    if opened is not None:
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


def workflow_form(form_class, request):
    """`form_class` bound to the person making this request."""
    return type(form_class.__name__, (form_class,), {"user": request.user})


def take_along(user, children, new_state) -> tuple[list, list]:
    """Move each of `children` to `new_state` where the workflow lets `user`: (moved, refused)."""
    moved, refused = [], []
    for child in children:
        if transition_error(user, child, new_state):
            refused.append(child)
        else:
            child.editorial_state = new_state
            child.save()
            moved.append(child)
    return moved, refused


def describe(child, with_state=False) -> str:
    names = {"kind": child._meta.verbose_name, "name": child, "state": child.get_editorial_state_display()}
    return (_("%(kind)s “%(name)s” (%(state)s)") if with_state else _("%(kind)s “%(name)s”")) % names


def listed(children, with_state=False, shown=10) -> str:
    names = [describe(child, with_state) for child in children[:shown]]
    if len(children) > shown:
        more = len(children) - shown
        names.append(ngettext("and %d more", "and %d more", more) % more)
    return ", ".join(names)


def report_children(modeladmin, request, new_state, moved, hidden):
    """Say what went along with the items moved to `new_state`, and what stays hidden."""
    if moved:
        done = (
            _("Also published: %(items)s.")
            if new_state == State.PUBLISHED
            else _("Also submitted for review: %(items)s.")
        )
        modeladmin.message_user(request, done % {"items": listed(moved)}, messages.SUCCESS)
    if hidden:
        if new_state == State.PUBLISHED:
            warning = _("Still hidden from the public: %(items)s.")
        else:
            warning = _("Not submitted for review, so still hidden once published: %(items)s.")
        modeladmin.message_user(request, warning % {"items": listed(hidden, with_state=True)}, messages.WARNING)


def warn_unsourced(modeladmin, request, published):
    """Publishing a record without a source is allowed, and said: a reader could not check it."""
    unsourced = [instance for instance in published if not instance.cites_a_source()]
    if unsourced:
        warning = ngettext(
            "Published without a source: %(items)s. Add one, with its publisher and an “as of” date, "
            "so that readers can check it.",
            "Published without a source: %(items)s. Add one to each, with its publisher and an “as of” "
            "date, so that readers can check them.",
            len(unsourced),
        )
        modeladmin.message_user(request, warning % {"items": listed(unsourced)}, messages.WARNING)


def _change_state(modeladmin, request, queryset, new_state, done_message, action="", along="", alone=""):
    """Move each selected item to `new_state` where the workflow allows it, recording who did it.

    When items hold content that would stay hidden (a mission's draft payloads), a page first
    asks whether to take it along (button `along`) or to move the items alone (button `alone`),
    and posts the `action` again with the answer."""
    selected = list(queryset)
    movable = [
        instance
        for instance in selected
        if instance.editorial_state != new_state and not transition_error(request.user, instance, new_state)
    ]
    behind = {instance: children_left_behind(instance, new_state) for instance in movable}
    behind = {instance: children for instance, children in behind.items() if children}
    answer = request.POST.get("children")
    if behind and answer not in ("along", "alone"):
        return _ask_about_children(modeladmin, request, selected, behind, action, along, alone)
    moved, hidden = [], []
    for instance in movable:
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(f"{State(instance.editorial_state).label} → {State(new_state).label}")
            left = behind.get(instance, [])
            if answer == "along":
                taken, left = take_along(request.user, left, new_state)
                moved += taken
            hidden += left
            instance.editorial_state = new_state
            instance.save()
    changed, skipped = len(movable), len(selected) - len(movable)
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
    report_children(modeladmin, request, new_state, moved, hidden)
    if new_state == State.PUBLISHED:
        warn_unsourced(modeladmin, request, [*movable, *moved])
    return None


def _ask_about_children(modeladmin, request, selected, behind, action, along, alone):
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Take along what is not published yet?"),
        "opts": opts,
        "queryset": selected,
        "left_behind": [
            (instance, [describe(child, True) for child in children]) for instance, children in behind.items()
        ],
        "action": action,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        "along_label": along,
        "alone_label": alone,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "publishing/admin/children_left_behind.html", context)


@admin.action(description=_("Submit selected items for review"), permissions=["change"])
def submit_for_review(modeladmin, request, queryset):
    return _change_state(
        modeladmin,
        request,
        queryset,
        State.IN_REVIEW,
        lambda n: ngettext("%d item submitted for review.", "%d items submitted for review.", n) % n,
        action="submit_for_review",
        along=_("Submit these for review too"),
        alone=_("Submit only the selected items"),
    )


@admin.action(description=_("Publish selected items"), permissions=["publish"])
def publish(modeladmin, request, queryset):
    return _change_state(
        modeladmin,
        request,
        queryset,
        State.PUBLISHED,
        lambda n: ngettext("%d item published.", "%d items published.", n) % n,
        action="publish",
        along=_("Publish these too"),
        alone=_("Publish only the selected items"),
    )


@admin.action(description=_("Unpublish selected items"), permissions=["publish"])
def unpublish(modeladmin, request, queryset):
    return _change_state(
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
    """Inline content (payloads inside a mission) follows the same workflow rules, each row
    judged as the object it is, whatever the state of the object it is shown in."""

    form = WorkflowForm

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = workflow_form(self.form, request)
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (WorkflowFormSet, formset), {})

    def get_fieldsets(self, request, obj=None):
        # Each inline row carries its own stale-save check: a payload may be changed on its own page.
        return [*super().get_fieldsets(request, obj), (None, {"fields": ["loaded_at"]})]


class WorkflowFormSet:
    def add_fields(self, form, index):
        super().add_fields(form, index)  # the "Delete" box is added here, after the form's own fields
        if getattr(form, "read_only", False) and DELETION_FIELD_NAME in form.fields:
            form.fields[DELETION_FIELD_NAME].disabled = True  # never ticked, whatever is posted


class MissingChineseFilter(admin.SimpleListFilter):
    """The records with a public text in English and not in Chinese (a record may be published
    so: its Chinese page shows the English text, marked and announced)."""

    title = _("Missing Chinese")
    parameter_name = "chinese"

    def __init__(self, request, params, model, model_admin):
        self.model_admin = model_admin
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [("missing", _("Missing Chinese")), ("complete", _("Complete in Chinese"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(self.model_admin.lacks_chinese())
        if self.value() == "complete":
            return queryset.exclude(self.model_admin.lacks_chinese())
        return queryset


class NeedsReviewFilter(admin.SimpleListFilter):
    """The records with a fact to check again: a source older than settings.REVIEW_AFTER_DAYS,
    or a planned launch whose time has come (PublishableQuerySet.needs_review)."""

    title = _("Review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", _("Needs review"))]

    def queryset(self, request, queryset):
        return queryset.needs_review() if self.value() == "due" else queryset


class PublishableAdmin(SideBySideTranslationsMixin, TranslationAdmin, CompareVersionAdmin):
    """Workflow states, scheduling, history with diffs and revert, and stale-save protection."""

    form = WorkflowForm
    formfield_overrides = {models.DateTimeField: {"widget": LabelledSplitDateTime}}
    actions = [submit_for_review, publish, unpublish]
    list_filter = ["editorial_state"]
    readonly_fields = ["created_at", "updated_at"]
    schedule_fieldset = (_("Scheduling"), {"fields": ["publish_at", "unpublish_at"]})
    history_latest_first = True
    # Reverse relations edited on the record's page (milestones): their texts count as its own
    # for "Missing Chinese".
    chinese_children: tuple[str, ...] = ()

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if chinese_counterparts(self.model):
            filters.append(MissingChineseFilter)
        if self.model.objects.reviewable():
            filters.append(NeedsReviewFilter)
        return filters

    def lacks_chinese(self) -> Q:
        return lacks_chinese(self.model, self.chinese_children)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return workflow_form(form, request)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and formfield.help_text:
            # Django's admin prints help texts as HTML; ours are plain text ("/missions/<slug>/").
            formfield.help_text = escape(formfield.help_text)
        return formfield

    def get_list_display(self, request):
        # The state is what an editor scans a list for first: it leads every content list.
        return ["state", *(column for column in super().get_list_display(request) if column != "state")]

    def get_list_display_links(self, request, list_display):
        if self.list_display_links:
            return self.list_display_links
        return [column for column in list_display if column != "state"][:1]  # the name, not the state

    def render_change_form(self, request, context, *args, **kwargs):
        # The rich text editor finds its modules through an inline import map, which the
        # Content-Security-Policy lets run only with this response's nonce.
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and self.has_change_permission(request, obj) and children_left_behind(obj, State.PUBLISHED):
            # Right under the state: publishing this leaves that content hidden, unless taken along.
            title = _("Unpublished %(children)s") % {"children": _child_names(obj)}
            fieldsets.insert(1, (title, {"fields": ["take_children_along"]}))
        return [*fieldsets, self.schedule_fieldset, (None, {"fields": ["loaded_at"]})]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # the inline rows first
        obj = form.instance
        hidden = children_left_behind(obj, obj.editorial_state)
        moved, taken = [], bool(hidden and form.cleaned_data.get("take_children_along"))
        if taken:
            moved, hidden = take_along(request.user, hidden, obj.editorial_state)
        # Said when this save moves the item, or when what was to go along could not.
        # Published by this save (also when approved on a schedule), with what went along.
        publishing = obj.editorial_state != form.current_state and obj.editorial_state == State.PUBLISHED
        if not (taken or obj.editorial_state != form.current_state):
            hidden = []
        report_children(self, request, obj.editorial_state, moved, hidden)
        if publishing:
            warn_unsourced(self, request, [obj, *moved])

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
        if getattr(form, "approved_by_schedule", False):
            when = format_date(obj.publish_at, "j M Y H:i")
            self.message_user(
                request,
                _("“%(name)s” is approved: it will be published at %(when)s UTC.") % {"name": obj, "when": when},
            )

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

    def delete_view(self, request, object_id, extra_context=None):
        # Deleting is part of the editors' history, as a change or a bulk action is: what held
        # the deleted row (a payload's mission) is saved with it, and its page tells the removal.
        with self.create_revision(request):
            return super().delete_view(request, object_id, extra_context)

    # Reverting (or recovering) writes a whole old revision to the database before the form is
    # shown: what it must not change (states, schedules, content this person may not change) is
    # taken first and put back before the form reads the object. See publishing.reverting.
    def revision_view(self, request, object_id, version_id, extra_context=None):
        version = get_object_or_404(Version, pk=version_id, object_id=unquote(object_id))
        request.live_workflow = LiveWorkflow(request.user, version.revision, self.model, version.object_id)
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        version = get_object_or_404(Version, pk=version_id)
        request.live_workflow = LiveWorkflow(request.user, version.revision, self.model, version.object_id)
        return super().recover_view(request, version_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if live_workflow := getattr(request, "live_workflow", None):
            live_workflow.restore()  # reversion calls this view right after writing the old revision
        return super().changeform_view(request, object_id, form_url, extra_context)

    @property
    def compare_exclude(self):
        """What a comparison of two versions leaves out, so that each change is listed once:
        the copy modeltranslation keeps of each text ("summary" repeats "summary [en]"), and
        fields no one edits (the save time, the names kept for search)."""
        generated = [field.name for field in self.model._meta.fields if not field.editable]
        return [*self.trans_opts.all_fields, *generated]

    def compare_view(self, request, object_id, extra_context=None):
        # reversion-compare's diff view checks only that the user is staff.
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return super().compare_view(request, object_id, extra_context)

    @admin.display(description=_("state"), ordering="editorial_state")
    def state(self, obj):
        if obj.is_scheduled:
            return _("Scheduled for %(when)s") % {"when": format_date(obj.publish_at, "j M Y H:i")}
        if obj.editorial_state == State.PUBLISHED and not obj.is_published:
            return _("Expired")
        return obj.get_editorial_state_display()


def _child_names(obj) -> str:
    return ", ".join(str(children.model._meta.verbose_name_plural) for children in obj.publishable_children())


class BothNamesColumnMixin:
    """For models with an English and a Chinese name (BilingualName): both in one list column,
    one above the other, so that the list fits a laptop screen."""

    @admin.display(description=_("name"), ordering="name")
    def names(self, obj):
        if not obj.name_zh:
            return obj.name
        return format_html('{}<br><span lang="zh-Hans">{}</span>', obj.name, obj.name_zh)


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


class LabelledExportForm(SelectableFieldsExportForm):
    """The export form, offering each field by the label editors know from the change form
    ("Summary [en]"), not by its name made into a title ("Summary En")."""

    def _get_field_label(self, resource, field_name):
        return resource().field_label(resource.fields[field_name])


class ContentImportExportMixin(ImportExportMixin):
    """Import and export buttons on a content changelist (django-import-export).

    An import is previewed, then confirmed; the confirmation writes the whole file in one
    transaction or nothing. The model's resource applies validation and the workflow to every
    row; this mixin decides who may import or export and how large a file may be. An export
    takes the changelist's filters from the query string.
    """

    import_form_class = BoundedImportForm
    import_template_name = "admin/import_export/content_import.html"
    export_form_class = LabelledExportForm

    def has_import_permission(self, request):
        # An import adds and changes rows: the setting's permission code is only one of them.
        allowed = super().has_import_permission(request)
        return allowed and self.has_add_permission(request) and self.has_change_permission(request)

    def create_import_form(self, request):
        form = super().create_import_form(request)
        form.user_can_publish = can_publish(request.user, self.model)
        return form

    def add_data_read_fail_error_to_form(self, form, e):
        # The library names the exception ("'BadZipFile' encountered while trying to read file").
        input_format = self.get_import_formats()[int(form.cleaned_data["format"])]()
        if isinstance(e, UnicodeDecodeError):
            message = _("This file is not UTF-8 text. Save it as UTF-8 (“CSV UTF-8” in a spreadsheet), then upload it.")
        elif isinstance(e, InvalidDimensions):
            message = _("A row of this file has more cells than the file has column headings.")
        else:
            message = _(
                "This file could not be read as %(format)s. Check that it is one, and that the format chosen is the "
                "file's."
            ) % {"format": input_format.get_title().upper()}
        form.add_error("import_file", message)

    def get_import_data_kwargs(self, **kwargs):
        # At the confirmation too, one invalid row rolls the whole file back.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def process_result(self, result, request):
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        # The rows were valid in the preview but not at the confirmation (the data changed in
        # between, or someone else confirmed): the whole file was rolled back.
        intro = _("Nothing was imported: when confirmed, these rows were no longer valid.")
        messages.error(request, " ".join([str(intro), *result.problems()[:10]]))
        app_label, model_name = self.get_model_info()
        return HttpResponseRedirect(reverse(f"admin:{app_label}_{model_name}_import", current_app=self.admin_site.name))

    def get_export_data(self, file_format, request, queryset, **kwargs):
        if isinstance(file_format, CSV):
            # Spreadsheets read a UTF-8 CSV (Chinese names) as UTF-8 only after a byte-order mark.
            kwargs["encoding"] = "utf-8-sig"
        return super().get_export_data(file_format, request, queryset, **kwargs)
