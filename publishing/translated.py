"""Content translated field by field (django-modeltranslation; each app's translation.py says
which fields). English is the original every record has; Chinese may be missing, and then
pages show the English text, marked as English. Also the punctuation that differs between the
two languages, for texts put together from parts."""

from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import pre_save
from django.utils.translation import get_language, pgettext
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

ORIGINAL_LANGUAGE = "en"
TRANSLATION_LANGUAGE = "zh-hans"


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


def shown_language(instance, field: str) -> str:
    """The language `field` of `instance` is shown in: English when the active language's
    translation is missing, for `lang="…"`, so that screen readers pronounce it right."""
    return ORIGINAL_LANGUAGE if falls_back(instance, field) else (get_language() or ORIGINAL_LANGUAGE)


# The punctuation that templates and pictures put between the parts of a text: Chinese has
# marks of its own (、：，（）), without the spaces English puts after them.
def list_separator() -> str:
    return pgettext("between the items of a list", ", ")


def colon() -> str:
    return pgettext("between a label and what it labels", ": ")


def clause_separator() -> str:
    return pgettext("between two parts of a phrase", ", ")


def reference_separator() -> str:
    return pgettext("between the references a citation names", "; ")


def sentence_separator() -> str:
    # Chinese sets no space between sentences, and gettext cannot translate a text to nothing.
    return "" if get_language() == TRANSLATION_LANGUAGE else " "


def aside_format() -> str:
    """An aside in parentheses after what it is about, `{}` standing for the aside."""
    return pgettext("an aside after what it is about", " ({})")


def join_list(items) -> str:
    return list_separator().join(items)


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


def chinese_counterparts(model) -> list[tuple[str, str]]:
    """(English column, Chinese column) of each public text of `model`: its translated fields,
    and its name when it has a Chinese name beside it (`name_zh`)."""
    pairs = [
        (build_localized_fieldname(field, ORIGINAL_LANGUAGE), build_localized_fieldname(field, TRANSLATION_LANGUAGE))
        for field in translated_fields(model)
    ]
    field_names = {field.name for field in model._meta.get_fields()}
    if {"name", "name_zh"} <= field_names and "name" not in translated_fields(model):
        pairs.append(("name", "name_zh"))
    return pairs


def lacks_chinese(model, children: tuple[str, ...] = ()) -> Q:
    """The rows of `model` with a public text in English and not in Chinese, their own or that
    of a row of one of its `children` (reverse relations shown on the same page: milestones)."""
    condition = Q(pk__in=[])
    for english, chinese in chinese_counterparts(model):
        condition |= (
            ~Q(**{english: ""})
            & Q(**{f"{english}__isnull": False})
            & (Q(**{chinese: ""}) | Q(**{f"{chinese}__isnull": True}))
        )
    for child in children:
        relation = model._meta.get_field(child)
        rows = relation.related_model._base_manager.filter(**{relation.field.name: OuterRef("pk")})
        condition |= Exists(rows.filter(lacks_chinese(relation.related_model)))
    return condition


class Phrase(str):
    """A line of text whose `text` is in `lang`, after a `prefix` in the page's language (a date):
    it compares as the whole line, and a template marks the part in another language."""

    def __new__(cls, text: str, lang: str, prefix: str = ""):
        phrase = super().__new__(cls, prefix + text)
        phrase.text, phrase.lang, phrase.prefix = text, lang, prefix
        return phrase
