"""Rebuild the full-text search index from the content itself.

Saving content keeps the index up to date; this is for content written another way (raw SQL,
`queryset.update()` of a text field, a restored backup without its index).
"""

from collections import Counter

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from publishing.progress import Progress, all_or_nothing
from search import index

# Below this many rows a rebuild takes a few seconds: progress lines would only be noise.
MANY_ROWS = 5_000


class Command(BaseCommand):
    help = "Rebuild the full-text search index of every searchable model."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to rebuild the index in.")

    def handle(self, *args, database=DEFAULT_DB_ALIAS, verbosity=1, **options):
        # Searches meanwhile, and after an interruption, answer from the index as it was.
        with all_or_nothing("the search index is as it was before the rebuild.", using=database):
            counts = index.rebuild(using=database, on_batch=self._progress(database, verbosity))
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count} indexed")
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {sum(counts.values())} rows."))

    def _progress(self, database: str, verbosity: int):
        """A progress line every few seconds with the time left, when the rebuild is long (or
        asked for with -v 2); None otherwise."""
        totals = {model._meta.label: model._base_manager.using(database).count() for model in index.registered_models()}
        if verbosity < 1 or (sum(totals.values()) < MANY_ROWS and verbosity < 2):
            return None
        progress = Progress(sum(totals.values()), out=self.stdout)
        done = Counter()

        def on_batch(label: str, rows: int) -> None:
            done[label] += rows
            progress.advance(rows, label, done[label], totals[label])

        return on_batch
