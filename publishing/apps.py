from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PublishingConfig(AppConfig):
    """What every content app builds on: the editorial workflow, publishable models and their
    admin, import and export, rich text, images, citations, feeds, sitemaps and cached pages."""

    name = "publishing"
    verbose_name = "publishing"

    def ready(self):
        from reversion.signals import post_revision_commit

        from .history import record_revision
        from .translated import connect_signals

        connect_signals()
        post_migrate.connect(new_generation_after_migrate, sender=self)
        # What an editor's save made public is written down with it (publishing.history).
        post_revision_commit.connect(record_revision, dispatch_uid="publishing-history")


def new_generation_after_migrate(sender, using="default", **kwargs):
    """Every deploy runs `migrate`: pages cached by the previous release are not served again."""
    from django.db import connections

    from .caching import bump
    from .models import ContentGeneration

    if ContentGeneration._meta.db_table in connections[using].introspection.table_names():
        bump()
