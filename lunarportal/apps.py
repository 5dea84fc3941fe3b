from django.apps import AppConfig


class LunarportalConfig(AppConfig):
    """The project package as an app: site-wide management commands live here."""

    name = "lunarportal"
    verbose_name = "lunarportal"

    def ready(self):
        from .translated import connect_signals

        connect_signals()
