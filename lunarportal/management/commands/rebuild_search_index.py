"""Rebuild the full-text search index from the content itself.

Saving content keeps the index up to date; this is for content written another way (raw SQL,
`queryset.update()` of a text field, a restored backup without its index).
"""

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, transaction

from lunarportal import search


class Command(BaseCommand):
    help = "Rebuild the full-text search index of every searchable model."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to rebuild the index in.")

    def handle(self, *args, database=DEFAULT_DB_ALIAS, **options):
        with transaction.atomic(using=database):
            counts = search.rebuild(using=database)
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count} indexed")
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {sum(counts.values())} rows."))
