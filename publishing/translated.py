"""Content translated field by field (django-modeltranslation; each app's translation.py says
which fields). English is the original every record has; Chinese may be missing, and then
pages show the English text, marked as English."""

from django.db.models.signals import pre_save
from django.utils.translation import get_language
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

ORIGINAL_LANGUAGE = "en"


def translated_fields(model) -> tuple[str, ...]:
    try:
        return tuple(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return ()


def falls_back(instance, field: str) -> bool:
    """True when `field` shows the English original because the active language's text is missing."""
    language = get_language() or ORIGINAL_LANGUAGE
    if language == ORIGINAL_LANGUAGE or field not in translated_fields(type(instance)):
        return False
    return not getattr(instance, build_localized_fieldname(field, language), None) and bool(
        getattr(instance, build_localized_fieldname(field, ORIGINAL_LANGUAGE), None)
    )


def untranslated(instance) -> list[str]:
    """The fields of `instance` that have English text but none in the active language."""
    return [field for field in translated_fields(type(instance)) if falls_back(instance, field)]


def blank_missing_translations(sender, instance, **kwargs):
    """A missing translation is stored as "", however it was written (code, admin, import), so that
    an export re-imports unchanged and "not translated" has one value."""
    for original in translated_fields(sender):
        for field in translator.get_options_for_model(sender).all_fields[original]:
            if instance.__dict__.get(field.attname, "") is None:
                instance.__dict__[field.attname] = ""


def connect_signals():
    for model in translator.get_registered_models(abstract=False):
        pre_save.connect(
            blank_missing_translations, sender=model, dispatch_uid=f"blank-translations-{model._meta.label}"
        )
