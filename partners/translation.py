"""The partner texts translated field by field (django-modeltranslation): each field below gets
an English (`_en`) and a Simplified Chinese (`_zh_hans`) column. English is required."""

from modeltranslation.translator import TranslationOptions, register

from .models import Agreement, CooperationProject, Figure, Partner


class EnglishRequired(TranslationOptions):
    required_languages = ("en",)


@register(Partner)
class PartnerTranslation(EnglishRequired):
    fields = ("summary", "body")


@register(Agreement)
class AgreementTranslation(EnglishRequired):
    fields = ("title", "summary", "body")


@register(CooperationProject)
class CooperationProjectTranslation(EnglishRequired):
    fields = ("name", "summary")


@register(Figure)
class FigureTranslation(EnglishRequired):
    fields = ("value", "label", "note")
