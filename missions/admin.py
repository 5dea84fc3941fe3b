from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from modeltranslation.admin import TranslationAdmin

from partners.admin import SOURCE_FIELDS
from publishing.admin import (
    BothNamesColumnMixin,
    BoundedImportForm,
    ContentImportExportMixin,
    PreviewLinkMixin,
    PublishableAdmin,
    SideBySideTranslationsMixin,
    TabularInline,
    TranslatedStackedInline,
    TranslatedTabularInline,
    WorkflowInlineMixin,
)

from .models import (
    LaunchSite,
    LaunchVehicle,
    Milestone,
    Mission,
    MissionImage,
    MissionSource,
    Payload,
    PayloadSource,
)
from .resources import LaunchSiteResource, LaunchVehicleResource, MissionResource, PayloadResource


class PayloadInline(WorkflowInlineMixin, TranslatedStackedInline):
    model = Payload
    fields = [
        ("editorial_state", "origin", "selection_status"),
        ("name", "acronym"),
        "providers",
        "institution",
        "purpose",
    ]
    autocomplete_fields = ["providers"]
    extra = 0
    show_change_link = True


class MilestoneInline(TranslatedTabularInline):
    model = Milestone
    fields = ["date", "date_precision", "title", "description"]
    extra = 0
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}


class MissionImageInline(TranslatedStackedInline):
    model = MissionImage
    fields = ["preview", "image", "alt_text", "decorative", "caption", "credit", "position"]
    readonly_fields = ["preview"]
    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "image":
            field.widget.attrs["accept"] = "image/jpeg,image/png,image/webp"
        return field

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.thumbnail:
            return "—"
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="{}" class="image-preview">',
            obj.thumbnail.url,
            obj.thumbnail_width,
            obj.thumbnail_height,
            obj.alt_text,
        )


class MissionSourceInline(TabularInline):
    model = MissionSource
    fields = [*SOURCE_FIELDS, "covers"]
    extra = 0


@admin.register(Mission)
class MissionAdmin(ContentImportExportMixin, PreviewLinkMixin, BothNamesColumnMixin, PublishableAdmin):
    chinese_children = ("milestones", "images")
    resource_classes = [MissionResource]
    # The state comes first (PublishableAdmin); few and narrow columns, so that the list fits a
    # laptop screen beside the admin's menu and the filters (the phase is a filter).
    list_display = ["names", "status", "launch_date", "side", "payload_count"]
    list_filter = ["editorial_state", "status", "phase", "side", "types"]
    search_fields = ["name", "name_zh", "slug", "landing_site_en", "landing_site_zh_hans", "cospar_id", "nssdca_id"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "launch_date"
    # Launch vehicles and sites are a few records each: a plain select, which has its label (the
    # admin's single-choice autocomplete box has no accessible name).
    autocomplete_fields = ["related_missions"]
    inlines = [PayloadInline, MilestoneInline, MissionImageInline, MissionSourceInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "editorial_state",
                    ("name", "name_zh"),
                    "slug",
                    ("phase", "status"),
                    ("types", "orbit"),
                    "related_missions",
                ]
            },
        ),
        (_("Launch"), {"fields": [("launch_date", "launch_window"), ("launch_vehicle", "launch_site"), "facts_as_of"]}),
        (_("Landing"), {"fields": ["landing_date", "landing_site", ("latitude", "longitude"), "side"]}),
        (_("Text"), {"fields": ["summary", "body"]}),
        (
            _("Catalogue identifiers"),
            {
                "fields": [
                    ("cospar_id", "nssdca_id", "norad_id"),
                    "catalogue_confidence",
                    "catalogue_note",
                    "wikidata_id",
                ],
                "description": _(
                    "Cite the pages these identifiers come from below, under Sources, as a source of "
                    "“its catalogue identifiers”."
                ),
                "classes": ["collapse"],
            },
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(payload_total=Count("payloads"))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "types":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("payloads"), ordering="payload_total")
    def payload_count(self, obj):
        return obj.payload_total


class PayloadSourceInline(TabularInline):
    model = PayloadSource
    fields = SOURCE_FIELDS
    extra = 0


@admin.register(Payload)
class PayloadAdmin(ContentImportExportMixin, PublishableAdmin):
    resource_classes = [PayloadResource]
    list_display = ["__str__", "mission", "provider_names", "origin", "selection_status"]
    # No filter by mission: with thousands of missions the sidebar would list them all; search instead.
    list_filter = ["editorial_state", "origin", "selection_status", "mission__phase"]
    list_select_related = ["mission"]
    search_fields = [
        "name_en",
        "name_zh_hans",
        "acronym",
        "institution_en",
        "institution_zh_hans",
        "providers__name",
        "providers__name_zh",
        "mission__name",
    ]
    autocomplete_fields = ["mission", "providers"]
    inlines = [PayloadSourceInline]
    fields = [
        "editorial_state",
        "mission",
        ("name", "acronym"),
        "providers",
        "institution",
        "purpose",
        ("origin", "selection_status"),
        "created_at",
        "updated_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("providers")

    @admin.display(description=_("provided by"))
    def provider_names(self, obj):
        return ", ".join(provider.name for provider in obj.providers.all())


class NamedRecordAdmin(ImportExportMixin, SideBySideTranslationsMixin, TranslationAdmin):
    """Launch vehicles and sites: a name in each language, and the missions that use it. One
    that a mission uses cannot be deleted (the mission would lose its launch vehicle or site)."""

    import_form_class = BoundedImportForm
    list_display = ["name_en", "name_zh_hans", "mission_count"]
    search_fields = ["name_en", "name_zh_hans"]
    ordering = ["name_en"]
    fields = ["name", "mission_names"]
    readonly_fields = ["mission_names"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(mission_total=Count("missions"))

    @admin.display(description=_("missions"), ordering="mission_total")
    def mission_count(self, obj):
        return obj.mission_total

    @admin.display(description=_("used by"))
    def mission_names(self, obj):
        return ", ".join(mission.name for mission in obj.missions.order_by(*Mission._meta.ordering)) or "—"


@admin.register(LaunchVehicle)
class LaunchVehicleAdmin(NamedRecordAdmin):
    resource_classes = [LaunchVehicleResource]


@admin.register(LaunchSite)
class LaunchSiteAdmin(NamedRecordAdmin):
    resource_classes = [LaunchSiteResource]
