"""Keeping the index: one SearchEntry per content object, rewritten on every save and delete.

Each searchable model says what to index in one place, a class attribute of attribute names by
weight: `search_fields = {"A": ["name", "name_zh"], "B": ["summary"], "C": ["body"]}` (A: names,
B: summaries and short texts, C: bodies); attributes that read a related row name that relation
in `search_select_related`. Its app calls `register(Model)` in `AppConfig.ready()`, and reindexes
the rows that show a related row's text when that row changes (`index_object`); this package
never imports the apps.
"""

import html
import re

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from publishing import caching
from publishing.richtext import RichTextField

from .models import SearchEntry
from .text import document_terms

WEIGHTS = ("A", "B", "C")
# A body longer than this is indexed by its beginning; PostgreSQL limits a tsvector to 1 MB.
MAX_INDEXED_CHARACTERS = 200_000

# The registry: models whose rows are indexed, filled by each app's AppConfig.ready().
_registry: list[type[Model]] = []


def register(model: type[Model]) -> None:
    """Index `model`'s rows, as its `search_fields` declare, whenever one is saved or deleted."""
    if not getattr(model, "search_fields", None):
        raise ValueError(f"{model.__name__} declares no search_fields.")
    if model not in _registry:
        _registry.append(model)
    uid = f"search:{model._meta.label}"
    post_save.connect(_index_saved, sender=model, dispatch_uid=uid)
    post_delete.connect(_unindex_deleted, sender=model, dispatch_uid=uid)


def registered_models() -> list[type[Model]]:
    return list(_registry)


def _is_html(model: type[Model], name: str) -> bool:
    # Rich text fields (publishing.richtext) hold HTML; other attributes are plain text.
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
    SearchEntry.objects.using(using).update_or_create(
        content_type=ContentType.objects.db_manager(using).get_for_model(obj),
        object_id=obj.pk,
        defaults=entry_values(obj),
    )


def unindex_object(obj: Model, using: str = "default") -> None:
    SearchEntry.objects.using(using).filter(
        content_type=ContentType.objects.db_manager(using).get_for_model(obj), object_id=obj.pk
    ).delete()


def _index_saved(sender, instance, raw=False, using="default", **kwargs):
    # A fixture being loaded (raw) brings its own SearchEntry rows, or `rebuild_search_index` follows.
    if not raw:
        index_object(instance, using)


def index_put_back(sender, instance, **kwargs):
    """An object a revert wrote back raw (publishing.reverting.put_back)."""
    if sender in _registry:
        index_object(instance)


def _unindex_deleted(sender, instance, using="default", **kwargs):
    unindex_object(instance, using)


def index_rows(model: type[Model], queryset=None, using: str = "default", batch_size: int = 500, on_batch=None) -> int:
    """Index `queryset` (every row of `model` by default) in batches; returns how many rows.

    `on_batch(rows)` is called after each batch is written: a long rebuild reports progress."""
    content_type = ContentType.objects.db_manager(using).get_for_model(model)
    rows = model._base_manager.using(using).all() if queryset is None else queryset
    # Relations whose names are indexed (a mission's launch vehicle), fetched with each batch.
    rows = rows.select_related(*getattr(model, "search_select_related", ()))
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
    SearchEntry.objects.using(using).bulk_create(entries)
    if on_batch:
        on_batch(len(entries))
    return len(entries)


def rebuild(using: str = "default", on_batch=None) -> dict[str, int]:
    """Index every registered model's rows afresh; {model label: rows indexed}.

    `on_batch(label, rows)` is called after each batch of a model's rows is written."""
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
    caching.bump()
    return counts


def index_missing(using: str = "default") -> dict[str, int]:
    """Index the rows that have no entry yet (content that existed before the index did)."""
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
