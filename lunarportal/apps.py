from django.apps import AppConfig


class LunarportalConfig(AppConfig):
    """The project package as an app: site-wide management commands live here."""

    name = "lunarportal"
    verbose_name = "lunarportal"
