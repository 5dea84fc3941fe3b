from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """What every content app builds on: the editorial workflow, publishable models and their
    admin, import and export, rich text, images, citations, feeds and sitemaps."""

    name = "publishing"
    verbose_name = "publishing"

    def ready(self):
        from .translated import connect_signals

        connect_signals()
