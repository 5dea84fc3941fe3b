from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    """Full-text search over every registered content model (each app registers its own)."""

    name = "search"
    verbose_name = "search"

    def ready(self):
        from publishing.reverting import put_back

        from .index import index_put_back

        post_migrate.connect(index_content_without_entries, sender=self)
        put_back.connect(index_put_back, dispatch_uid="search-index-put-back")


def index_content_without_entries(sender, using="default", verbosity=1, **kwargs):
    """After `migrate`: index the rows that predate the search index (or arrived without saving)."""
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    from .index import index_missing

    # Only when every migration is applied: after `migrate <app> <earlier>` the tables lack
    # columns that today's models read. The next full `migrate` indexes what is missing.
    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    counts = index_missing(using)
    if verbosity >= 1 and any(counts.values()):
        print(f"Search index: added {sum(counts.values())} rows.")
