"""What changed on a public page: written down when a change becomes public, told in the
visitor's language when the page is read.

Editors' saves are django-reversion revisions, drafts included, with who made them and why.
After each, every record with a page of changes (registered with `track`) that the revision
touched, itself or one of the rows shown on its page (a mission's payloads, sources…), is
compared with the last state the public saw of it; what differs is stored as a PublicChange:
field names and related rows, never who saved, their comment, an editorial state, or any value
of a state the public could not see. A save that leaves the record hidden tells nothing; once it
is public again, it is compared with what the public saw last, never with a draft in between.
A scheduled publication is written at save time, dated by its publish time, and told once that
time has passed. Reading a page's changes is one query, however long its history.
"""

import dataclasses
import datetime
import hashlib
import json

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import models
from django.db.models.signals import post_delete
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import PublicChange, PublishableModel

# How many public changes a page shows.
SHOWN_CHANGES = 10
# Lines of one change before the rest is summed up as "and N more changes".
SHOWN_LINES = 6
# The comment of the revision that loads seed content (manage.py load_demo_content). Loading it
# sets the site up and is no editorial change: what it leaves is the starting point that later
# changes are told against, never a change (a publication) itself.
SEED_CONTENT_COMMENT = "Loaded from the demo content"
# Bookkeeping, not content: a change to these alone is no public change.
IGNORED_FIELDS = {"id", "created_at", "updated_at", "editorial_state", "publish_at", "unpublish_at", "search_names"}

# Records with a page of changes: model -> names of the reverse relations shown on that page.
_tracked: dict[type[models.Model], tuple[str, ...]] = {}
# Models of those rows -> [(the record's model, the name of the row's key to it)].
_parts: dict[type[models.Model], list[tuple[type[models.Model], str]]] = {}


def track(model: type[PublishableModel], parts: tuple[str, ...] = ()) -> None:
    """Keep the public changes of `model`'s pages. `parts` names the reverse relations whose
    rows its page shows (a mission's "payloads", "sources"…): rows added, removed or changed,
    saved with the record or on their own, are its changes too."""
    _tracked[model] = tuple(parts)
    for name in parts:
        relation = model._meta.get_field(name)
        _parts.setdefault(relation.related_model, []).append((model, relation.field.name))
        post_delete.connect(_part_deleted, sender=relation.related_model, dispatch_uid="publishing-history-part")


@dataclasses.dataclass(frozen=True)
class ToldChange:
    """One public change as a page tells it: when, and what changed, in words."""

    id: int
    date: datetime.datetime
    lines: list[str]

    @property
    def anchor(self) -> str:
        return f"change-{self.id}"

    @property
    def text(self) -> str:
        return "; ".join(self.lines)


def public_changes(instance: PublishableModel) -> list[ToldChange]:
    """The latest public changes of `instance`, newest first, in the active language: one query."""
    rows = (
        PublicChange.objects.filter(
            content_type=ContentType.objects.get_for_model(instance),
            object_id=instance.pk,
            kind=PublicChange.Kind.CHANGE,
            date__lte=timezone.now(),
        )
        .order_by("-date", "-pk")
        .only("id", "date", "changes")[:SHOWN_CHANGES]
    )
    told = [ToldChange(row.pk, row.date, tell(type(instance), row.changes)) for row in rows]
    return [change for change in told if change.lines]


def tell(model: type[models.Model], changes: list[list[str]]) -> list[str]:
    """The lines of a stored change, by the labels of `model`'s fields and related rows. A
    translated text is one field to the public (summary_en and summary_zh_hans are "Summary");
    fields and relations since removed from the model have nothing to be named by."""
    lines, fields_told = [], set()
    for verb, *about in changes:
        if verb == "published":
            lines.append(_("Published"))
        elif verb == "published_again":
            lines.append(_("Published again"))
        elif field := _field(model, about[0]):
            if verb == "field":
                shown = getattr(field, "translated_field", field)
                if shown.name not in fields_told:
                    fields_told.add(shown.name)
                    lines.append(_("%(field)s updated") % {"field": capfirst(str(shown.verbose_name))})
            else:
                lines.append(_row_line(field.related_model, verb, about[1]))
    return _bounded(lines)


def _field(model, name: str):
    try:
        return model._meta.get_field(name)
    except models.FieldDoesNotExist:
        return None


def _row_line(model, verb: str, name: str) -> str:
    kind = capfirst(str(model._meta.verbose_name))
    texts = {
        "added": _("%(kind)s “%(name)s” added") if name else _("%(kind)s added"),
        "removed": _("%(kind)s “%(name)s” removed") if name else _("%(kind)s removed"),
        "updated": _("%(kind)s “%(name)s” updated") if name else _("%(kind)s updated"),
    }
    return texts[verb] % {"kind": kind, "name": name}


def _bounded(lines: list[str]) -> list[str]:
    if len(lines) <= SHOWN_LINES:
        return lines
    rest = len(lines) - SHOWN_LINES + 1
    more = ngettext("and %(count)d more change", "and %(count)d more changes", rest) % {"count": rest}
    return [*lines[: SHOWN_LINES - 1], more]


# Writing -------------------------------------------------------------------------------------


def fingerprints(fields: dict, many: set[str], rows: list[tuple[str, str, dict, set[str]]]) -> dict:
    """Digests of what the public sees of a record: each of its fields, as django-reversion
    serialises them and in their order, and each (key, name, fields, many-to-many names) of the
    rows shown with it as a whole, by key ("sources:12") with its name. `many` names the
    record's many-to-many fields."""
    return {
        "fields": {
            name: _digest(_value(name, value, many)) for name, value in fields.items() if name not in IGNORED_FIELDS
        },
        "rows": {key: [name, _row_digest(row, row_many)] for key, name, row, row_many in rows},
    }


def _row_digest(fields: dict, many: set[str]) -> str:
    # Null fields are left out: a nullable field added to the row's model since changes nothing.
    return _digest(
        {
            name: _value(name, value, many)
            for name, value in fields.items()
            if name not in IGNORED_FIELDS and value is not None
        }
    )


def _value(name: str, value, many: set[str]):
    return sorted(value, key=str) if name in many else value  # links count in any order


def _digest(value) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def differences(before: dict, after: dict) -> list[list[str]]:
    """What changed from the fingerprints `before` to `after`: the fields `after` has, in its
    order (one missing before was empty), then rows added, removed and updated. A row counts
    as a whole, its empty fields left out: a field added to its model since changed nothing."""
    empty = _digest(None)
    changes = [
        ["field", name] for name, digest in after["fields"].items() if before["fields"].get(name, empty) != digest
    ]
    old, new = before["rows"], after["rows"]
    for key in _in_order(new.keys() - old.keys()):
        changes.append(["added", key.split(":")[0], new[key][0]])
    for key in _in_order(old.keys() - new.keys()):
        changes.append(["removed", key.split(":")[0], old[key][0]])
    for key in _in_order(new.keys() & old.keys()):
        if old[key][1] != new[key][1]:
            changes.append(["updated", key.split(":")[0], new[key][0]])
    return changes


def _in_order(keys) -> list[str]:
    return sorted(keys, key=lambda key: tuple(key.split(":")))


def next_states(seen: dict | None, hidden: bool, states: list[tuple]) -> list[dict]:
    """The PublicChange rows (as field values) that `states` add to a record's log. `seen`: the
    fingerprints the public saw last (None: never public yet); `hidden`: whether it has lost
    sight of the record since. Each state, in time order, is (moment, the fingerprints of what
    the public sees from then or None when it sees nothing, whether it is seed content)."""
    rows = []
    for moment, current, seed in states:
        if current is None:
            if seen is not None and not hidden:
                rows.append({"date": moment, "kind": PublicChange.Kind.HIDDEN})
                hidden = True
            continue
        if seen is None:
            changes = [["published"]]
        else:
            changes = differences(seen, current)
            if hidden:
                changes.insert(0, ["published_again"])
            if not changes:
                continue  # the public sees what it saw
        if seed:
            rows.append({"date": moment, "kind": PublicChange.Kind.START, "fingerprints": current})
        else:
            rows.append({"date": moment, "kind": PublicChange.Kind.CHANGE, "changes": changes, "fingerprints": current})
        seen, hidden = current, False
    return rows


def record(instance: PublishableModel, at: datetime.datetime, seed: bool = False) -> None:
    """Bring the public change log of `instance` up to date after a save at `at`: the state the
    public sees from then on, and the ones its scheduled times (and its rows') will bring,
    compared with what the public saw last. Scheduled states an earlier save wrote are replaced:
    this save decides them now. `seed`: the save loads seed content, a starting point."""
    model = type(instance)
    content_type = ContentType.objects.get_for_model(model)
    log = PublicChange.objects.filter(content_type=content_type, object_id=instance.pk).order_by("-date", "-pk")
    log.filter(date__gt=at).delete()
    last = log.only("kind", "fingerprints").first()
    hidden = last is not None and last.kind == PublicChange.Kind.HIDDEN
    seen = log.exclude(kind=PublicChange.Kind.HIDDEN).only("fingerprints").first() if hidden else last

    fields = _serialized([instance])[0]
    many = {field.name for field in model._meta.many_to_many}
    rows = _part_rows(instance)
    moments = {instance.publish_at, instance.unpublish_at}
    moments |= {row.publish_at for row, *_ in rows if isinstance(row, PublishableModel)}
    moments |= {row.unpublish_at for row, *_ in rows if isinstance(row, PublishableModel)}
    states = []
    for moment in [at, *sorted(moment for moment in moments if moment and moment > at)]:
        if not instance.is_visible_at(moment):
            states.append((moment, None, seed))
            continue
        shown = [
            (key, name, row_fields, row_many)
            for row, key, name, row_fields, row_many in rows
            if not isinstance(row, PublishableModel) or row.is_visible_at(moment)
        ]
        states.append((moment, fingerprints(fields, many, shown), seed))
    written = next_states(seen.fingerprints if seen else None, hidden, states)
    PublicChange.objects.bulk_create(
        PublicChange(content_type=content_type, object_id=instance.pk, **values) for values in written
    )


def _serialized(instances) -> list[dict]:
    """The instances' fields as django-reversion stores them (Django's JSON serialiser)."""
    return [item["fields"] for item in json.loads(serializers.serialize("json", instances))]


def _part_rows(instance) -> list[tuple]:
    """(row, key, name, fields, many-to-many names) of each row shown on `instance`'s page."""
    found = []
    for name in _tracked[type(instance)]:
        relation = type(instance)._meta.get_field(name)
        model = relation.related_model
        many = {field.name for field in model._meta.many_to_many}
        rows = list(model._default_manager.filter(**{relation.field.name: instance.pk}).prefetch_related(*many))
        for row, fields in zip(rows, _serialized(rows), strict=True):
            found.append((row, f"{name}:{row.pk}", str(row), fields, many))
    return found


def record_revision(sender, revision, versions, **kwargs):
    """After each revision: the records it touched, themselves or through their rows."""
    touched = {}
    for version in versions:
        model = ContentType.objects.get_for_id(version.content_type_id).model_class()
        if model in _tracked:
            touched[model, int(version.object_id)] = True
        for record_model, key in _parts.get(model, ()):
            record_id = json.loads(version.serialized_data)[0]["fields"].get(key)
            if record_id is not None:
                touched[record_model, int(record_id)] = True
    for model, pk in touched:
        instance = model._default_manager.filter(pk=pk).first()
        if instance is not None:
            record(instance, revision.date_created, seed=revision.comment == SEED_CONTENT_COMMENT)


def _part_deleted(sender, instance, origin=None, **kwargs):
    """A row deleted on its own (not with its record) changes its record's page: during an
    editor's revision, the record joins it, and is compared when the revision is saved."""
    deleted_alone = isinstance(origin, sender) or getattr(origin, "model", None) is sender
    if not (deleted_alone and reversion.is_active()):
        return
    for model, key in _parts[sender]:
        owner = model._default_manager.filter(pk=getattr(instance, f"{key}_id")).first()
        if owner is not None and reversion.is_registered(model):
            reversion.add_to_revision(owner)
