"""Finding and ranking: which rows of a model match a query, best first.

Each database ranks with its own function, in the statement that finds the rows:

- PostgreSQL: `ts_rank` of the row's entry, whose `vector` is weighted A (names), B (summaries)
  and C (bodies); the entry is found through the unique (content type, object) index.
- SQLite: FTS5's `bm25()`, with a weight per column. bm25 needs statistics of the whole index
  (how many entries hold each term), which FTS5 gathers again each time it starts a MATCH. So
  the ranks come from one MATCH per statement, not one per row: the matching entries are
  ranked in a CTE that SQLite materializes once, and each row looks its rank up there (through
  an index SQLite builds on it by itself). A correlated subquery with the MATCH, or the FTS5
  table joined through a relation (a LEFT JOIN, since rows found through `related` match no
  text), would start a MATCH for every row.

Either way a word in a name counts for more than in a summary, and that more than in a body,
and more occurrences count for more. Higher ranks are better matches; a row that does not match
the text (one found through `related`) has 0.
"""

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import Case, F, FloatField, Func, Model, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from .models import SearchEntry
from .text import Query, parse_query

# How much an occurrence of a query's word counts by where it is (search.index): A names,
# B summaries, C bodies. The same on both databases.
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2}
# ts_rank takes them as D, C, B, A (no term is stored with D).
POSTGRES_WEIGHTS = [0.05, WEIGHTS["C"], WEIGHTS["B"], WEIGHTS["A"]]
# bm25() takes one per column of the FTS5 table, in its order: text_a, text_b, text_c.
SQLITE_WEIGHTS = ", ".join(str(WEIGHTS[weight]) for weight in "ABC")


def _sqlite_hits(columns: str) -> str:
    """SELECT `columns` of the content type's entries that the FTS5 table finds, for the two
    parameters (the MATCH expression, the content type's id). The FTS5 table's hidden column of
    its own name takes MATCH; its rowid is the entry's id. CROSS JOIN makes SQLite start from
    the index's few hits: left to itself, it walked every entry of the content type."""
    fts, entries = SearchEntry.FTS_TABLE, SearchEntry._meta.db_table
    return (
        f"SELECT {columns} FROM {fts} CROSS JOIN {entries} AS entry ON entry.id = {fts}.rowid "
        f"WHERE {fts} MATCH %s AND entry.content_type_id = %s"
    )


def _tsquery(query: Query) -> SearchQuery:
    return SearchQuery(query.as_tsquery(), search_type="raw", config="simple")


def matching_ids(model: type[Model], query: Query, using: str) -> QuerySet | RawSQL:
    """The ids of `model`'s rows whose entry matches `query`, found through the database's
    full-text index: one subquery, evaluated once per statement."""
    content_type = ContentType.objects.db_manager(using).get_for_model(model)
    if connections[using].vendor == "postgresql":
        entries = SearchEntry.objects.using(using).filter(content_type=content_type)
        return entries.filter(vector=_tsquery(query)).values("object_id")
    return RawSQL(  # noqa: S611 (table names from the model; the query is a parameter)
        _sqlite_hits("entry.object_id"), [query.as_fts5(), content_type.pk]
    )


def text_matches(model: type[Model], text: str, using: str = "default") -> Q:
    """A condition on `model`'s rows: its indexed text matches `text` (no ranking)."""
    query = parse_query(text)
    return Q(pk__in=matching_ids(model, query, using)) if query else Q(pk__in=[])


class SQLiteRank(Func):
    """The bm25 rank (negated: higher is better) of the row whose id is the expression, or NULL
    when its entry does not match. MATERIALIZED (SQLite 3.35 or later) keeps SQLite from folding
    the CTE into the per-row lookup, which would run the MATCH, and bm25's statistics, again for
    every row."""

    output_field = FloatField()

    def __init__(self, object_id, fts_query: str, content_type_id: int):
        super().__init__(object_id)
        self.hits_params = [fts_query, content_type_id]

    def as_sql(self, compiler, connection, **extra_context):
        object_id, params = compiler.compile(self.source_expressions[0])
        hits = _sqlite_hits(f"entry.object_id, -bm25({SearchEntry.FTS_TABLE}, {SQLITE_WEIGHTS}) AS rank")
        sql = f"(WITH hits AS MATERIALIZED ({hits}) SELECT rank FROM hits WHERE object_id = {object_id})"
        return sql, [*self.hits_params, *params]


def text_rank(model: type[Model], query: Query, using: str):
    """An expression on `model`'s rows: how well the row's entry matches `query`, higher is
    better; NULL when it does not match."""
    content_type = ContentType.objects.db_manager(using).get_for_model(model)
    if connections[using].vendor == "postgresql":
        tsquery = _tsquery(query)
        entry = SearchEntry.objects.using(using).filter(
            content_type=content_type, object_id=OuterRef("pk"), vector=tsquery
        )
        ranked = entry.annotate(rank=SearchRank(F("vector"), tsquery, weights=POSTGRES_WEIGHTS)).values("rank")
        return Subquery(ranked, output_field=FloatField())
    return SQLiteRank(F("pk"), query.as_fts5(), content_type.pk)


def search_queryset(queryset: QuerySet, text: str, related: Q | None = None, related_rank: float = 0.0):
    """`queryset` narrowed to the rows whose indexed text matches `text`, annotated with
    `search_rank` and ordered by it (best first; ties in the queryset's order, or else the model's).

    `related`: a condition for rows that match `text` in another way (a mission through its
    partners' names); they are found too, with `related_rank` added to their rank. A condition,
    not a queryset, so that the database tests it on the rows it scans anyway."""
    query = parse_query(text)
    using = queryset.db
    condition = Q(pk__in=[]) if related is None else related
    rank = Value(0.0)
    if query:
        model = queryset.model
        condition |= Q(pk__in=matching_ids(model, query, using))
        rank = Coalesce(text_rank(model, query, using), Value(0.0))
    if related is not None and related_rank:
        rank = rank + Case(When(related, then=Value(related_rank)), default=Value(0.0))
    return (
        queryset.filter(condition)
        .annotate(search_rank=rank)
        .order_by("-search_rank", *(queryset.query.order_by or queryset.model._meta.ordering))
    )


class SearchableQuerySet(QuerySet):
    """For the querysets of registered models (search.index.register)."""

    def search(self, text: str, related: Q | None = None, related_rank: float = 0.0):
        """Rows whose names, summaries or bodies match `text` (English words by their stem,
        Chinese by its characters), best first, with `search_rank`. Chain it after `published()`:
        the index holds drafts too, and this only narrows what the queryset already allows."""
        return search_queryset(self, text, related=related, related_rank=related_rank)
