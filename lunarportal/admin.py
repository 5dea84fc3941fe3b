"""Admin pieces shared by every content model."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .content import EditorialState


@admin.action(description=_("Publish selected items"))
def publish(modeladmin, request, queryset):
    updated = queryset.update(editorial_state=EditorialState.PUBLISHED)
    modeladmin.message_user(
        request, ngettext("%d item published.", "%d items published.", updated) % updated, messages.SUCCESS
    )


@admin.action(description=_("Return selected items to draft"))
def unpublish(modeladmin, request, queryset):
    updated = queryset.update(editorial_state=EditorialState.DRAFT)
    modeladmin.message_user(
        request,
        ngettext("%d item returned to draft.", "%d items returned to draft.", updated) % updated,
        messages.SUCCESS,
    )


class PublishableAdmin(admin.ModelAdmin):
    actions = [publish, unpublish]
    list_filter = ["editorial_state"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(boolean=True, description=_("published"), ordering="editorial_state")
    def is_published(self, obj):
        return obj.is_published
