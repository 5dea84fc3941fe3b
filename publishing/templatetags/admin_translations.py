from django import template
from django.contrib import admin

from publishing.translated import chinese_counterparts

register = template.Library()


@register.simple_tag(takes_context=True)
def missing_chinese_count(context, model: dict) -> int | None:
    """How many of the records the editor can see on the list of `model` (an entry of the admin's
    app list) lack Chinese, or None for a list without texts to translate."""
    model_admin = admin.site._registry.get(model.get("model"))
    if not hasattr(model_admin, "lacks_chinese") or not chinese_counterparts(model_admin.model):
        return None
    return model_admin.get_queryset(context["request"]).filter(model_admin.lacks_chinese()).count()


@register.simple_tag(takes_context=True)
def needs_review_count(context, model: dict) -> int | None:
    """How many of the records the editor can see on the list of `model` have a fact to check
    again (PublishableQuerySet.needs_review), or None for a list whose facts do not age."""
    model_admin = admin.site._registry.get(model.get("model"))
    queryset = model_admin.get_queryset(context["request"]) if model_admin else None
    if not hasattr(queryset, "needs_review") or not queryset.reviewable():
        return None
    return queryset.needs_review().count()
