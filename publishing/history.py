"""What changed on a public page, told from the history kept for editors (django-reversion).

The editors' history records every save, drafts included, with who made it and why. The public
sees only the part of it that was public: a save counts when the item was visible to the public
just after it (published, its publish time reached, its unpublish time not), and it is compared
with the previous such save, never with a draft in between. What is told is the date and which
fields or related rows changed, by their labels; never who saved, their comment, an editorial
state, or any value of a version the public could not see.
"""

import dataclasses
import datetime
import json

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reversion.models import Version

from .models import PublishableModel, visible

# How many public changes a page shows, and how many of the item's saves are read to find them.
SHOWN_CHANGES = 10
READ_VERSIONS = 40
# Lines of one change before the rest is summed up as "and N more changes".
SHOWN_LINES = 6
# The comment of the revision that loads seed content (manage.py load_demo_content). Loading it
# sets the site up and is no editorial change: its versions are the starting point that later
# changes are told against, never a change (a publication) themselves.
SEED_CONTENT_COMMENT = "Loaded from the demo content"
# Bookkeeping, not content: a change to these alone is no public change.
IGNORED_FIELDS = {"id", "created_at", "updated_at", "editorial_state", "publish_at", "unpublish_at", "search_names"}


@dataclasses.dataclass(frozen=True)
class PublicChange:
    """One save that the public saw: when, and what it changed, in words."""

    id: str  # the revision, and the scheduled moment when it was no save
    date: datetime.datetime
    lines: list[str]

    @property
    def anchor(self) -> str:
        return f"change-{self.id}"

    @property
    def text(self) -> str:
        return "; ".join(self.lines)


@dataclasses.dataclass
class _Snapshot:
    """The item and its related rows as one save left them, if the public could see them."""

    revision_id: int
    date: datetime.datetime
    fields: dict
    children: dict  # (relation name, object id) -> (label, fields)


def _fields(version: Version) -> dict:
    return json.loads(version.serialized_data)[0]["fields"]


def _was_public(fields: dict, at: datetime.datetime) -> bool:
    """Whether a stored version was public at `at`, by the one visibility rule."""
    publish_at = parse_datetime(fields["publish_at"]) if fields.get("publish_at") else None
    unpublish_at = parse_datetime(fields["unpublish_at"]) if fields.get("unpublish_at") else None
    return visible(fields.get("editorial_state"), publish_at, unpublish_at, at)


def public_changes(
    instance: PublishableModel, children: tuple[str, ...] = (), own_history: tuple[str, ...] = ()
) -> list[PublicChange]:
    """The latest public changes of `instance`, newest first, in two or three queries.

    `children` names the reverse relations saved with it (a mission's "payloads", "sources"…),
    as the admin's inlines are: rows added, removed or changed there are told too. Of those,
    `own_history` names the ones also saved on their own (a payload on its own admin page, or
    published from the payload list): those saves count as changes of `instance` too.
    """
    versions = list(
        Version.objects.get_for_object(instance)
        .select_related("revision")
        .only("id", "serialized_data", "revision_id", "revision__date_created", "revision__comment")
        .order_by("-pk")[: READ_VERSIONS + 1]
    )
    if not versions:
        return []
    # Without the save before the oldest one read, that oldest cannot be compared: it is only
    # told when it is the item's very first save.
    complete = len(versions) <= READ_VERSIONS
    versions.reverse()
    own = {version.revision_id: version for version in versions}
    seeded = {version.revision_id for version in versions if version.revision.comment == SEED_CONTENT_COMMENT}
    dates = {version.revision_id: version.revision.date_created for version in versions}
    rows_by_revision = _child_versions(instance, children, list(own))
    for revision_id, (date, rows) in _separate_child_saves(instance, own_history, versions[0].revision_id).items():
        if revision_id not in own:
            dates[revision_id] = date
            rows_by_revision[revision_id] = rows

    changes = []
    fields, rows = None, {}  # the item and its related rows as the latest save left them
    previous_public = None
    hidden_since = False  # whether the public lost sight of the item since previous_public
    for position, (date, revision_id, moment) in enumerate(_timeline(dates, own)):
        if revision_id in own and not moment:
            # The item's own save stores all its related rows: rows missing from it were deleted.
            fields = _fields(own[revision_id])
            rows = {}
        for key, label, child_fields, publishable in [] if moment else rows_by_revision.get(revision_id, []):
            rows[key] = (label, child_fields, publishable)
        if fields is None:
            continue
        if not _was_public(fields, date):
            hidden_since = True
            continue
        public_rows = {
            key: (label, child_fields)
            for key, (label, child_fields, publishable) in rows.items()
            if not publishable or _was_public(child_fields, date)
        }
        change_id = f"{revision_id}-{moment}" if moment else str(revision_id)
        snapshot = _Snapshot(revision_id, date, fields, public_rows)
        if previous_public is None:
            # The first public save read: the item's publication, unless older saves went unread
            # or it is the seed content the site was set up with.
            if (position > 0 or complete) and revision_id not in seeded:
                changes.append(PublicChange(change_id, date, [_("Published")]))
        else:
            lines = _differences(instance, previous_public, snapshot)
            if hidden_since:
                lines.insert(0, _("Published again"))
            if lines:
                changes.append(PublicChange(change_id, date, _bounded(lines)))
        previous_public, hidden_since = snapshot, False
    return list(reversed(changes))[:SHOWN_CHANGES]


def _timeline(dates: dict, own: dict) -> list[tuple]:
    """(date, revision id, moment) in order: each save (moment ""), and the times a save
    scheduled, when they have passed: its publish_at ("publish") and unpublish_at
    ("unpublish"), when the public gained or lost sight of the item without a save."""
    now = timezone.now()
    events = [(date, revision_id, "") for revision_id, date in dates.items()]
    for revision_id, version in own.items():
        fields = _fields(version)
        for moment in ("publish", "unpublish"):
            when = parse_datetime(fields[f"{moment}_at"]) if fields.get(f"{moment}_at") else None
            if when and dates[revision_id] < when <= now:
                events.append((when, revision_id, moment))
    return sorted(events, key=lambda event: (event[0], event[1]))


def _relations(instance, names) -> dict:
    """{content type id: (relation name, related model, name of its key to `instance`)}"""
    found = {}
    for name in names:
        relation = instance._meta.get_field(name)
        content_type = ContentType.objects.get_for_model(relation.related_model)
        found[content_type.pk] = (name, relation.related_model, relation.field.name)
    return found


def _child_row(instance, relations, version):
    """(key, label, fields, publishable) for a related row's version, or None when the row
    belonged to another item then."""
    name, model, parent_field = relations[version.content_type_id]
    fields = _fields(version)
    if str(fields.get(parent_field)) != str(instance.pk):
        return None
    return (name, version.object_id), version.object_repr, fields, issubclass(model, PublishableModel)


def _child_versions(instance, names, revision_ids) -> dict:
    """The versions of `instance`'s related rows saved in those revisions, by revision: one query."""
    if not names or not revision_ids:
        return {}
    relations = _relations(instance, names)
    versions = Version.objects.filter(revision_id__in=revision_ids, content_type_id__in=relations).only(
        "id", "serialized_data", "revision_id", "content_type_id", "object_id", "object_repr"
    )
    found = {}
    for version in versions:
        row = _child_row(instance, relations, version)
        if row:
            found.setdefault(version.revision_id, []).append(row)
    return found


def _separate_child_saves(instance, names, since_revision: int) -> dict:
    """Saves of `instance`'s related rows made on their own since `since_revision` (the oldest
    read), by revision with its date: one query per relation, the newest READ_VERSIONS each."""
    found = {}
    for content_type_id, (name, model, parent_field) in _relations(instance, names).items():
        own_rows = model._default_manager.filter(**{parent_field: instance.pk})
        object_ids = own_rows.annotate(key=Cast("pk", models.CharField())).values("key")
        versions = (
            Version.objects.filter(
                content_type_id=content_type_id, object_id__in=object_ids, revision_id__gte=since_revision
            )
            .select_related("revision")
            .only(
                "id",
                "serialized_data",
                "revision_id",
                "content_type_id",
                "object_id",
                "object_repr",
                "revision__date_created",
            )
            .order_by("-pk")[:READ_VERSIONS]
        )
        relations = {content_type_id: (name, model, parent_field)}
        for version in versions:
            row = _child_row(instance, relations, version)
            if row:
                found.setdefault(version.revision_id, (version.revision.date_created, []))[1].append(row)
    return found


def _differences(instance, before: _Snapshot, after: _Snapshot) -> list[str]:
    changed = dict.fromkeys(
        _shown_name(instance, name)
        for name in after.fields
        if name not in IGNORED_FIELDS and before.fields.get(name) != after.fields[name] and _has_field(instance, name)
    )
    lines = [_("%(field)s updated") % {"field": _label(instance, name)} for name in changed]
    for key in sorted(after.children.keys() - before.children.keys()):
        lines.append(_child_line(instance, key, after.children[key][0], "added"))
    for key in sorted(before.children.keys() - after.children.keys()):
        lines.append(_child_line(instance, key, before.children[key][0], "removed"))
    for key in sorted(after.children.keys() & before.children.keys()):
        old, new = before.children[key][1], after.children[key][1]
        if any(old.get(name) != value for name, value in new.items() if name not in IGNORED_FIELDS):
            lines.append(_child_line(instance, key, after.children[key][0], "updated"))
    return lines


def _has_field(instance, name: str) -> bool:
    try:
        instance._meta.get_field(name)
    except models.FieldDoesNotExist:
        return False  # a field that has since been removed: nothing to name it by
    return True


def _shown_name(instance, name: str) -> str:
    """A translated text is one field to the public: summary_en and summary_zh_hans are "Summary"."""
    field = instance._meta.get_field(name)
    return getattr(field, "translated_field", field).name


def _label(instance, name: str) -> str:
    return capfirst(str(instance._meta.get_field(name).verbose_name))


def _child_line(instance, key, label: str, what: str) -> str:
    kind = capfirst(str(instance._meta.get_field(key[0]).related_model._meta.verbose_name))
    texts = {
        "added": _("%(kind)s “%(name)s” added") if label else _("%(kind)s added"),
        "removed": _("%(kind)s “%(name)s” removed") if label else _("%(kind)s removed"),
        "updated": _("%(kind)s “%(name)s” updated") if label else _("%(kind)s updated"),
    }
    return texts[what] % {"kind": kind, "name": label}


def _bounded(lines: list[str]) -> list[str]:
    if len(lines) <= SHOWN_LINES:
        return lines
    rest = len(lines) - SHOWN_LINES + 1
    more = ngettext("and %(count)d more change", "and %(count)d more changes", rest) % {"count": rest}
    return [*lines[: SHOWN_LINES - 1], more]
