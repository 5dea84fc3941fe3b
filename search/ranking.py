"""Finding and ranking: which rows of a model match a query, best first."""

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import Case, F, FloatField, Model, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.expressions import RawSQL

from .models import SearchEntry
from .text import Query, parse_query

# Ranking, in a way that costs no full-text query per row (a correlated FTS5 query would redo
# bm25's statistics for every row: minutes for a query matching 9,000 missions). PostgreSQL:
# ts_rank of the row's own vector, weights for D, C, B, A. SQLite: how often each phrase occurs
# in each column of the row's entry, each count saturating (n / (n + 1)) and weighted by column.
# Either way a word in a name counts for more than in a summary, and that more than in a body.
POSTGRES_WEIGHTS = [0.05, 0.2, 0.4, 1.0]
SQLITE_WEIGHTS = {"text_a": 10.0, "text_b": 4.0, "text_c": 1.0}


def matching_ids(model: type[Model], query: Query, using: str) -> QuerySet | RawSQL:
    """The ids of `model`'s rows whose entry matches `query`, found through the database's
    full-text index: one subquery, evaluated once per statement."""
    content_type = ContentType.objects.db_manager(using).get_for_model(model)
    if connections[using].vendor == "postgresql":
        tsquery = SearchQuery(query.as_tsquery(), search_type="raw", config="simple")
        entries = SearchEntry.objects.using(using).filter(content_type=content_type)
        return entries.filter(vector=tsquery).values("object_id")
    # The FTS5 table's hidden column of its own name takes MATCH; its rowid is the entry's id.
    # CROSS JOIN makes SQLite start from the index's few hits: left to itself, it walked every
    # entry of the content type (100,000 payloads: 5 ms) testing each against the hits.
    fts, entries = SearchEntry.FTS_TABLE, SearchEntry._meta.db_table
    return RawSQL(  # noqa: S611 (table names from the model; the query is a parameter)
        f"SELECT entry.object_id FROM {fts} CROSS JOIN {entries} AS entry ON entry.id = {fts}.rowid "
        f"WHERE {fts} MATCH %s AND entry.content_type_id = %s",
        [query.as_fts5(), content_type.pk],
    )


def text_matches(model: type[Model], text: str, using: str = "default") -> Q:
    """A condition on `model`'s rows: its indexed text matches `text` (no ranking)."""
    query = parse_query(text)
    return Q(pk__in=matching_ids(model, query, using)) if query else Q(pk__in=[])


def _sqlite_rank_sql(query: Query) -> tuple[str, list]:
    """SQL for the SQLite rank of one SearchEntry row, with its parameters: for each phrase and
    column, how many times the phrase occurs among the column's space-separated terms (n),
    saturating as n / (n + 1), weighted by column. Written as one SQL text rather than ORM
    expressions: compiling a dozen nested Concat/Replace/Length trees cost 8 ms per query, and
    the search page ranks four kinds of record (the SQL itself runs in a tenth of a millisecond).
    Column names are constants, unqualified: the expression is used inside a subquery on
    SearchEntry alone, whose alias Django chooses. The phrases are parameters."""
    parts, params = [], []
    for phrase in query.phrases:
        needle = " " + " ".join(phrase.terms) + ("" if phrase.prefix else " ")
        for column, weight in SQLITE_WEIGHTS.items():
            padded = f"(' ' || COALESCE({column}, '') || ' ')"
            count = f"((LENGTH({padded}) - LENGTH(REPLACE({padded}, %s, ''))) / %s)"
            parts.append(f"%s * {count} / ({count} + 1.0)")
            params += [weight, needle, float(len(needle)), needle, float(len(needle))]
    return " + ".join(parts) or "0.0", params


def entry_rank(query: Query, vendor: str):
    """An expression on a SearchEntry row: how well it matches `query`, higher is better."""
    if vendor == "postgresql":
        tsquery = SearchQuery(query.as_tsquery(), search_type="raw", config="simple")
        return SearchRank(F("vector"), tsquery, weights=POSTGRES_WEIGHTS)
    sql, params = _sqlite_rank_sql(query)
    return RawSQL(sql, params, output_field=FloatField())  # noqa: S611 (see _sqlite_rank_sql)


def search_queryset(queryset: QuerySet, text: str, related: Q | None = None, related_rank: float = 0.0):
    """`queryset` narrowed to the rows whose indexed text matches `text`, annotated with
    `search_rank` and ordered by it (best first; ties in the model's own order).

    `related`: a condition for rows that match `text` in another way (a mission through its
    partners' names); they are found too, with `related_rank` added to their rank. A condition,
    not a queryset, so that the database tests it on the rows it scans anyway."""
    query = parse_query(text)
    using = queryset.db
    condition = Q(pk__in=[]) if related is None else related
    rank = Value(0.0)
    if query:
        model = queryset.model
        hits = matching_ids(model, query, using)
        condition |= Q(pk__in=hits)
        # The row's entry is found through the unique (content type, object) index; its rank is
        # computed from that row alone.
        entry = SearchEntry.objects.using(using).filter(
            content_type=ContentType.objects.db_manager(using).get_for_model(model), object_id=OuterRef("pk")
        )
        scored = entry.annotate(score=entry_rank(query, connections[using].vendor)).values("score")[:1]
        rank = Case(When(pk__in=hits, then=Subquery(scored, output_field=FloatField())), default=Value(0.0))
    if related is not None and related_rank:
        rank = rank + Case(When(related, then=Value(related_rank)), default=Value(0.0))
    return (
        queryset.filter(condition).annotate(search_rank=rank).order_by("-search_rank", *queryset.model._meta.ordering)
    )


class SearchableQuerySet(QuerySet):
    """For the querysets of registered models (search.index.register)."""

    def search(self, text: str, related: Q | None = None, related_rank: float = 0.0):
        """Rows whose names, summaries or bodies match `text` (English words by their stem,
        Chinese by its characters), best first, with `search_rank`. Chain it after `published()`:
        the index holds drafts too, and this only narrows what the queryset already allows."""
        return search_queryset(self, text, related=related, related_rank=related_rank)
