"""Full-text search over every public content model, in English and Chinese, on PostgreSQL and SQLite.

How it fits together:

- Each searchable model says what to index in one place, a class attribute of attribute names by
  weight: `search_fields = {"A": ["name", "name_zh"], "B": ["summary"], "C": ["body"]}` (A: names,
  B: summaries and short texts, C: bodies). Its app calls `register(Model)` in `AppConfig.ready()`;
  this module never imports the apps.
- Saving or deleting a registered row updates its `SearchEntry` (lunarportal/models.py), one row
  per object, holding the row's words as search terms. The database indexes those rows itself
  (a trigger-kept tsvector with a GIN index on PostgreSQL, an FTS5 table on SQLite: see
  lunarportal/migrations/0001_initial.py), so a bulk write of entries is indexed too.
- Words are turned into terms here, in Python, the same way for documents, queries and
  highlighting, and for both databases: accents and case removed, English words stemmed with
  Snowball ("landing" and "landed" are both "land"), and runs of Chinese characters, which have
  no spaces, cut into overlapping pairs ("月球背面" → 月球 球背 背面). The databases then only
  match terms (PostgreSQL's "simple" configuration, FTS5's unicode61 tokenizer), so a query
  finds the same rows on both and the highlighted words are the ones that matched.
- `PublishableQuerySet.search(text)` filters a model's (already published) rows to the matches and
  ranks them; `excerpt(obj, text)` gives a short passage with the matched words in <mark>.
"""

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import (
    Case,
    F,
    FloatField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_save
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lunarportal import caching

WEIGHTS = ("A", "B", "C")

# Letters and digits; underscores and everything else separate words, as both databases' tokenizers do.
WORD = re.compile(r"[^\W_]+")
# Scripts written without spaces between words: Han (Chinese), and Japanese kana with it.
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
# Longer "words" are noise (a pasted hash, a hostile 100,000-letter string); PostgreSQL would refuse them.
MAX_TERM_LENGTH = 60
# A body longer than this is indexed by its beginning; PostgreSQL limits a tsvector to 1 MB.
MAX_INDEXED_CHARACTERS = 200_000
# A visitor's query is 200 characters at most (partners.forms); this many phrases are plenty.
MAX_QUERY_PHRASES = 12

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return _stemmer.stemWord(word)


def normalise(text: str) -> str:
    """Lower case without accents: "Côte" → "cote", full-width "ＣＥ" → "ce"; Chinese unchanged."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _runs(word: str):
    """(run, is_cjk) pieces of one word: "ce6嫦娥" → ("ce6", False), ("嫦娥", True)."""
    position = 0
    for match in CJK.finditer(word):
        if match.start() > position:
            yield word[position : match.start()], False
        yield match.group(), True
        position = match.end()
    if position < len(word):
        yield word[position:], False


def _bigrams(run: str) -> list[str]:
    """Overlapping pairs of a run of Chinese characters, and its last character alone, so that any
    one character of the run can be found by prefix: 嫦娥六号 → 嫦娥 娥六 六号 号."""
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def document_terms(text: str) -> list[str]:
    """The search terms of a text, in order (positions matter for phrases)."""
    terms = []
    for word in WORD.findall(normalise(text)):
        for run, is_cjk in _runs(word):
            if is_cjk:
                terms.extend(_bigrams(run))
            elif len(run) <= MAX_TERM_LENGTH:
                terms.append(_stem(run))
    return terms


@dataclass
class Phrase:
    """Terms that must follow each other; `prefix`: the last term may be the start of a longer
    one (a single Chinese character, which the index only holds inside pairs)."""

    terms: tuple[str, ...]
    prefix: bool = False


@dataclass
class Query:
    phrases: list[Phrase] = field(default_factory=list)
    # For highlighting: stemmed Latin terms, and the Chinese runs as typed.
    latin_terms: frozenset[str] = frozenset()
    cjk_runs: tuple[str, ...] = ()

    def __bool__(self):
        return bool(self.phrases)

    def as_fts5(self) -> str:
        """An FTS5 MATCH expression: every phrase required, each term a quoted string, so that no
        character of the visitor's text is ever read as FTS5 syntax."""
        return " AND ".join(
            '"' + " ".join(phrase.terms) + '"' + ("*" if phrase.prefix else "") for phrase in self.phrases
        )

    def as_tsquery(self) -> str:
        """A PostgreSQL tsquery text for to_tsquery('simple', …): every phrase required, its terms
        followed by each other (<->). Terms are letters and digits only, quoted all the same."""
        parts = []
        for phrase in self.phrases:
            quoted = [f"'{term}'" for term in phrase.terms]
            if phrase.prefix:
                quoted[-1] += ":*"
            parts.append("(" + " <-> ".join(quoted) + ")")
        return " & ".join(parts)


def parse_query(text: str) -> Query:
    """A visitor's words as a query: each whitespace-separated piece is a phrase ("Chang'e-6" is
    chang <-> e <-> 6), and every piece must match. Anything that is not a letter or digit is
    dropped, so FTS5 or tsquery syntax in the text has no effect; an empty result finds nothing."""
    phrases, latin, cjk = [], set(), []
    for chunk in text.replace("\x00", " ").split()[:MAX_QUERY_PHRASES]:
        pieces = [piece for word in WORD.findall(normalise(chunk)) for piece in _runs(word)]
        terms: list[str] = []
        prefix = False
        for index, (run, is_cjk) in enumerate(pieces):
            last = index == len(pieces) - 1
            if is_cjk:
                cjk.append(run)
                if len(run) == 1:
                    terms.append(run)
                    prefix = last
                else:
                    # A run followed by more of the phrase ends where the document's run ends,
                    # just after its last character alone (see _bigrams).
                    terms.extend(run[i : i + 2] for i in range(len(run) - 1))
                    if not last:
                        terms.append(run[-1])
            elif len(run) <= MAX_TERM_LENGTH:
                stem = _stem(run)
                terms.append(stem)
                latin.add(stem)
        if terms:
            phrases.append(Phrase(tuple(terms), prefix))
    return Query(phrases, frozenset(latin), tuple(cjk))


# The registry: models whose rows are indexed, filled by each app's AppConfig.ready().
_registry: list[type[Model]] = []


def register(model: type[Model]) -> None:
    """Index `model`'s rows, as its `search_fields` declare, whenever one is saved or deleted."""
    if not getattr(model, "search_fields", None):
        raise ValueError(f"{model.__name__} declares no search_fields.")
    if model not in _registry:
        _registry.append(model)
    uid = f"lunarportal.search:{model._meta.label}"
    post_save.connect(_index_saved, sender=model, dispatch_uid=uid)
    post_delete.connect(_unindex_deleted, sender=model, dispatch_uid=uid)


def registered_models() -> list[type[Model]]:
    return list(_registry)


def _is_html(model: type[Model], name: str) -> bool:
    # Rich text fields (lunarportal.richtext) hold HTML; other attributes are plain text.
    from lunarportal.richtext import RichTextField

    try:
        return isinstance(model._meta.get_field(name), RichTextField)
    except Exception:
        return False


TAG = re.compile(r"<[^>]*>")


def plain_text(value: str) -> str:
    """Text of stored rich text: tags become spaces (so paragraphs stay apart), entities characters."""
    return " ".join(html.unescape(TAG.sub(" ", value)).split())


def field_texts(obj: Model, weight: str) -> list[str]:
    """The texts `obj` declares for `weight`, rich text as plain text."""
    texts = []
    for name in obj.search_fields.get(weight, ()):
        value = getattr(obj, name, "") or ""
        value = str(value)
        texts.append(plain_text(value) if _is_html(type(obj), name) else value)
    return [text for text in texts if text]


def entry_values(obj: Model) -> dict[str, str]:
    """The SearchEntry columns for `obj`: its terms by weight, space-separated."""
    values = {}
    for weight in WEIGHTS:
        terms = document_terms(" ".join(field_texts(obj, weight))[:MAX_INDEXED_CHARACTERS])
        values[f"text_{weight.lower()}"] = " ".join(terms)
    return values


def index_object(obj: Model, using: str = "default") -> None:
    from lunarportal.models import SearchEntry

    SearchEntry.objects.using(using).update_or_create(
        content_type=ContentType.objects.db_manager(using).get_for_model(obj),
        object_id=obj.pk,
        defaults=entry_values(obj),
    )


def unindex_object(obj: Model, using: str = "default") -> None:
    from lunarportal.models import SearchEntry

    SearchEntry.objects.using(using).filter(
        content_type=ContentType.objects.db_manager(using).get_for_model(obj), object_id=obj.pk
    ).delete()


def _index_saved(sender, instance, raw=False, using="default", **kwargs):
    # A fixture being loaded (raw) brings its own SearchEntry rows, or `rebuild_search_index` follows.
    if not raw:
        index_object(instance, using)


def _unindex_deleted(sender, instance, using="default", **kwargs):
    unindex_object(instance, using)


def index_rows(model: type[Model], queryset=None, using: str = "default", batch_size: int = 500, on_batch=None) -> int:
    """Index `queryset` (every row of `model` by default) in batches; returns how many rows.

    `on_batch(rows)` is called after each batch is written: a long rebuild reports progress."""
    from lunarportal.models import SearchEntry

    content_type = ContentType.objects.db_manager(using).get_for_model(model)
    rows = model._base_manager.using(using).all() if queryset is None else queryset
    count = 0
    batch = []
    # Written batch by batch, not gathered first: 100,000 payloads' entries need not all be in memory.
    for obj in rows.iterator(chunk_size=batch_size):
        batch.append(SearchEntry(content_type=content_type, object_id=obj.pk, **entry_values(obj)))
        if len(batch) == batch_size:
            count += _write_entries(batch, using, on_batch)
            batch = []
    return count + (_write_entries(batch, using, on_batch) if batch else 0)


def _write_entries(entries: list, using: str, on_batch) -> int:
    from lunarportal.models import SearchEntry

    SearchEntry.objects.using(using).bulk_create(entries)
    if on_batch:
        on_batch(len(entries))
    return len(entries)


def rebuild(using: str = "default", on_batch=None) -> dict[str, int]:
    """Index every registered model's rows afresh; {model label: rows indexed}.

    `on_batch(label, rows)` is called after each batch of a model's rows is written."""
    from lunarportal.models import SearchEntry

    SearchEntry.objects.using(using).all().delete()
    counts = {}
    for model in _registry:
        label = model._meta.label
        report = (lambda rows, label=label: on_batch(label, rows)) if on_batch else None
        counts[label] = index_rows(model, using=using, on_batch=report)
    if connections[using].vendor == "sqlite":
        with connections[using].cursor() as cursor:
            # Rebuilds the FTS5 index from its content table, in case the two ever drifted apart.
            cursor.execute(f"INSERT INTO {SearchEntry.FTS_TABLE}({SearchEntry.FTS_TABLE}) VALUES ('rebuild')")
    # Written with bulk_create, which sends no signal: the search results cached from the old
    # index are forgotten as after an edit.
    caching.content_changed()
    return counts


def index_missing(using: str = "default") -> dict[str, int]:
    """Index the rows that have no entry yet (content that existed before the index did)."""
    from lunarportal.models import SearchEntry

    counts = {}
    tables = set(connections[using].introspection.table_names())
    if SearchEntry._meta.db_table not in tables:
        return counts
    for model in _registry:
        if model._meta.db_table not in tables:
            continue  # migrated backwards, or not yet
        content_type = ContentType.objects.db_manager(using).get_for_model(model)
        indexed = SearchEntry.objects.using(using).filter(content_type=content_type).values("object_id")
        missing = model._base_manager.using(using).exclude(pk__in=indexed)
        counts[model._meta.label] = index_rows(model, missing, using=using)
    return counts


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
    from lunarportal.models import SearchEntry

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
    from lunarportal.models import SearchEntry

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


# Highlighting: the same for both databases, in Python, on the rows of one page only.

EXCERPT_WORDS = 30


@dataclass
class _Segment:
    start: int
    end: int
    hit: bool


def _segments(text: str, query: Query) -> list[_Segment]:
    """The words of `text` (each Chinese character counts as one) and whether each matched."""
    cjk_hits = [False] * len(text)
    for run in query.cjk_runs:
        for match in re.finditer(re.escape(run), text):
            for index in range(match.start(), match.end()):
                cjk_hits[index] = True
    segments = []
    for match in WORD.finditer(text):
        position = match.start()
        for run, is_cjk in _runs(match.group()):
            if is_cjk:
                segments.extend(
                    _Segment(position + i, position + i + 1, cjk_hits[position + i]) for i in range(len(run))
                )
            else:
                hit = any(_stem(word) in query.latin_terms for word in WORD.findall(normalise(run)))
                segments.append(_Segment(position, position + len(run), hit))
            position += len(run)
    return segments


def _best_window(segments: list[_Segment], size: int) -> tuple[int, int]:
    """Start and end (exclusive) of the `size` segments holding the most hits, the first such."""
    if len(segments) <= size:
        return 0, len(segments)
    hits = [int(segment.hit) for segment in segments]
    best_start, best = 0, sum(hits[:size])
    current = best
    for start in range(1, len(segments) - size + 1):
        current += hits[start + size - 1] - hits[start - 1]
        if current > best:
            best_start, best = start, current
    # A little context before the first hit reads better than a passage starting on it.
    first_hit = next((i for i in range(best_start, best_start + size) if hits[i]), best_start)
    start = max(0, min(best_start, first_hit - 3))
    return start, min(len(segments), start + size)


def _render(text: str, segments: list[_Segment], start: int, end: int) -> str:
    begin = 0 if start == 0 else segments[start].start
    finish = len(text) if end == len(segments) else segments[end - 1].end
    parts = ["… " if begin > 0 else ""]
    position = begin
    index = start
    while index < end:
        segment = segments[index]
        if not segment.hit:
            index += 1
            continue
        # Neighbouring hits joined only by punctuation (Chang'e-6, 嫦娥) are one mark.
        last = index
        while (
            last + 1 < end
            and segments[last + 1].hit
            and not any(char.isspace() for char in text[segments[last].end : segments[last + 1].start])
        ):
            last += 1
        parts.append(escape(text[position : segment.start]))
        parts.append("<mark>" + escape(text[segment.start : segments[last].end]) + "</mark>")
        position = segments[last].end
        index = last + 1
    parts.append(escape(text[position:finish]))
    if finish < len(text):
        parts.append(" …")
    return "".join(parts)


def highlight(text: str, query: Query | str, words: int = EXCERPT_WORDS) -> tuple[SafeString, int]:
    """A passage of about `words` words of `text` around its best matches, every matched word in
    <mark> and everything else escaped; and the number of matched words in the passage."""
    if isinstance(query, str):
        query = parse_query(query)
    text = " ".join(text.split())
    segments = _segments(text, query)
    if not segments:
        return mark_safe(escape(text[:200])), 0  # noqa: S308 - escaped just now
    start, end = _best_window(segments, words)
    hits = sum(segment.hit for segment in segments[start:end])
    return mark_safe(_render(text, segments, start, end)), hits  # noqa: S308 - every piece escaped in _render


def excerpt(obj: Model, query: Query | str, words: int = EXCERPT_WORDS) -> SafeString:
    """The passage of `obj`'s summaries and bodies (weights B and C) that best matches `query`,
    with the matched words in <mark>; the start of its summary when only its name matched."""
    if isinstance(query, str):
        query = parse_query(query)
    texts = field_texts(obj, "B") + field_texts(obj, "C")
    best, best_hits = None, 0
    for text in texts:
        passage, hits = highlight(text, query, words)
        if hits > best_hits or best is None:
            best, best_hits = passage, hits
    return best if best is not None else mark_safe("")
