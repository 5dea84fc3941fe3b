from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from publishing.admin import (
    BothNamesColumnMixin,
    ContentImportExportMixin,
    PreviewLinkMixin,
    PublishableAdmin,
    TabularInline,
)

from .models import (
    Agreement,
    AgreementSource,
    CooperationProject,
    Figure,
    FigureSource,
    Partner,
    PartnerSource,
    ProjectSource,
)
from .resources import AgreementResource, CooperationProjectResource, PartnerResource

SOURCE_FIELDS = ["url", "title", "publisher", "as_of"]


class PartnerSourceInline(TabularInline):
    model = PartnerSource
    fields = SOURCE_FIELDS
    extra = 0


@admin.register(Partner)
class PartnerAdmin(ContentImportExportMixin, PreviewLinkMixin, BothNamesColumnMixin, PublishableAdmin):
    resource_classes = [PartnerResource]
    # The state comes first (PublishableAdmin); few and narrow columns, so that the list fits a
    # laptop screen beside the admin's menu and the filters.
    list_display = ["names", "kind", "country", "region", "ilrs_member"]
    list_filter = ["editorial_state", "kind", "region", "ilrs_member"]
    search_fields = ["name", "name_zh", "acronym", "aliases", "country", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PartnerSourceInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "editorial_state",
                    "name",
                    "name_zh",
                    "slug",
                    "kind",
                    "country",
                    "acronym",
                    "aliases",
                    "region",
                ]
            },
        ),
        (_("About"), {"fields": ["summary", "body", "website"]}),
        (
            _("International Lunar Research Station"),
            {"fields": ["ilrs_member", "ilrs_joined_on", "ilrs_joined_precision"]},
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]


class AgreementSourceInline(TabularInline):
    model = AgreementSource
    fields = SOURCE_FIELDS
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(ContentImportExportMixin, PublishableAdmin):
    resource_classes = [AgreementResource]
    list_display = ["title", "kind", "signed_on", "party_names"]
    list_filter = ["editorial_state", "kind", "parties__region"]
    search_fields = ["title_en", "title_zh_hans", "summary_en", "summary_zh_hans", "parties__name", "parties__name_zh"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["parties"]
    date_hierarchy = "signed_on"
    inlines = [AgreementSourceInline]
    fields = [
        "editorial_state",
        "title",
        "slug",
        "kind",
        "signed_on",
        "signed_on_precision",
        "parties",
        "summary",
        "body",
        "created_at",
        "updated_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("parties")

    @admin.display(description=_("parties"))
    def party_names(self, obj):
        return ", ".join(party.name for party in obj.parties.all())


class ProjectSourceInline(TabularInline):
    model = ProjectSource
    fields = SOURCE_FIELDS
    extra = 0


@admin.register(CooperationProject)
class CooperationProjectAdmin(ContentImportExportMixin, PublishableAdmin):
    resource_classes = [CooperationProjectResource]
    list_display = ["name", "kind", "start_date", "partner_names"]
    list_filter = ["editorial_state", "kind"]
    search_fields = ["name_en", "name_zh_hans", "summary_en", "summary_zh_hans", "partners__name", "partners__name_zh"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["partners"]
    date_hierarchy = "start_date"
    inlines = [ProjectSourceInline]
    fields = [
        "editorial_state",
        "name",
        "slug",
        "kind",
        "partners",
        "start_date",
        "end_date",
        "summary",
        "created_at",
        "updated_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("partners")

    @admin.display(description=_("partners"))
    def partner_names(self, obj):
        return ", ".join(partner.name for partner in obj.partners.all())


class FigureSourceInline(TabularInline):
    model = FigureSource
    fields = SOURCE_FIELDS
    extra = 0


@admin.register(Figure)
class FigureAdmin(PublishableAdmin):
    list_display = ["value", "label", "as_of", "group", "position"]
    list_filter = ["editorial_state", "group"]
    search_fields = ["key", "group", "value_en", "value_zh_hans", "label_en", "label_zh_hans"]
    prepopulated_fields = {"key": ["label"]}
    inlines = [FigureSourceInline]
    fields = [
        "editorial_state",
        "value",
        "label",
        ("as_of", "as_of_precision"),
        "note",
        ("key", "group", "position"),
        "created_at",
        "updated_at",
    ]
