"""The site-wide search index: one row per content object (search.index fills it, search.ranking reads it)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    """The search terms of one content object (a mission, a partner, …), by weight: A names,
    B summaries and short texts, C bodies. Written by search.index on every save.

    The database keeps its own index of these rows up to date by itself, with triggers created
    in migration 0001: on PostgreSQL the `vector` column (weighted tsvector, GIN index); on SQLite
    the FTS5 table FTS_TABLE (external content: it reads the texts from this table). A migration
    that makes SQLite rebuild this table must run CreateSearchIndex again (the triggers belong
    to the old table).
    """

    FTS_TABLE = "search_searchentry_fts"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    text_a = models.TextField(blank=True)
    text_b = models.TextField(blank=True)
    text_c = models.TextField(blank=True)
    # PostgreSQL only (kept by a trigger); stays empty on SQLite, whose index is the FTS5 table.
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = "search entry"
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="searchentry_one_per_object"),
        ]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id}"
