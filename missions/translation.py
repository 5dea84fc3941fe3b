"""The mission texts translated field by field (django-modeltranslation): each field below gets
an English (`_en`) and a Simplified Chinese (`_zh_hans`) column. English is required."""

from modeltranslation.translator import TranslationOptions, register

from .models import LaunchSite, LaunchVehicle, Milestone, Mission, MissionImage, Payload


class EnglishRequired(TranslationOptions):
    required_languages = ("en",)


@register(Mission)
class MissionTranslation(EnglishRequired):
    fields = ("summary", "body", "landing_site", "launch_window", "catalogue_confidence", "catalogue_note")


@register(Milestone)
class MilestoneTranslation(EnglishRequired):
    fields = ("title", "description")


@register(Payload)
class PayloadTranslation(EnglishRequired):
    fields = ("name", "purpose", "institution")


@register(MissionImage)
class MissionImageTranslation(EnglishRequired):
    fields = ("alt_text", "caption")


@register(LaunchVehicle)
class LaunchVehicleTranslation(EnglishRequired):
    fields = ("name",)


@register(LaunchSite)
class LaunchSiteTranslation(EnglishRequired):
    fields = ("name",)
