"""The public change log (PublicChange) of a database from before it, built from the editors'
history (django-reversion), replayed once as the site used to on every page view.

A record's saves, and the saves of its rows made on their own (payloads), are taken in time
order, each with the scheduled times its own versions set; each state is public or not by the
one visibility rule (publishing.models.visible) at its moment; a public one is compared with the
last public one before it, and the seed content's is the starting point. Scheduled states still
ahead are written too, to be told when their time comes. Fingerprints are taken as the site
takes them at each save (publishing.history), so the next save compares with these. A record
that has a log already keeps it.
"""

import json

from django.db import migrations
from django.utils.dateparse import parse_datetime

from publishing.history import SEED_CONTENT_COMMENT, fingerprints, next_states
from publishing.models import visible

# The records with a page of changes, the rows their pages show, and the rows of those saved on
# their own too, as the site knew them when this migration was written.
RECORDS = {
    ("missions", "Mission"): (("payloads", "milestones", "images", "sources"), ("payloads",)),
    ("partners", "Partner"): (("sources",), ()),
}


def build(apps, schema_editor):
    Version = apps.get_model("reversion", "Version")
    ContentType = apps.get_model("contenttypes", "ContentType")
    PublicChange = apps.get_model("publishing", "PublicChange")
    for (app_label, name), (parts, saved_alone) in RECORDS.items():
        model = apps.get_model(app_label, name)
        content_type = ContentType.objects.get_for_model(model)
        logged = PublicChange.objects.filter(content_type=content_type).values_list("object_id", flat=True)
        logged = {str(object_id) for object_id in logged.distinct().order_by()}
        relations = _relations(ContentType, model, parts)
        alone = {pk: relation for pk, relation in relations.items() if relation[0] in saved_alone}
        object_ids = Version.objects.filter(content_type=content_type).values_list("object_id", flat=True)
        for object_id in object_ids.distinct().order_by().iterator():
            if not object_id.isdigit() or object_id in logged:
                continue  # a log written as it happened is kept as it is
            states = replay(Version, model, content_type, object_id, relations, alone)
            PublicChange.objects.bulk_create(
                PublicChange(content_type=content_type, object_id=int(object_id), **row)
                for row in next_states(None, False, states)
            )


def replay(Version, model, content_type, object_id: str, relations: dict, alone: dict) -> list[tuple]:
    """The states of one record in time order: (moment, fingerprints of what the public saw
    then or None, whether it was the seed content), as next_states() takes them."""
    versions = list(
        Version.objects.filter(content_type=content_type, object_id=object_id).select_related("revision").order_by("pk")
    )
    own = {version.revision_id: version for version in versions}
    seeded = {version.revision_id for version in versions if version.revision.comment == SEED_CONTENT_COMMENT}
    dates = {version.revision_id: version.revision.date_created for version in versions}
    rows_by_revision = _child_versions(Version, object_id, relations, list(own))
    for revision_id, (date, rows) in _separate_child_saves(Version, object_id, alone, versions[0].revision_id).items():
        if revision_id not in own:
            dates[revision_id] = date
            rows_by_revision[revision_id] = rows

    many = {field.name for field in model._meta.many_to_many}
    states = []
    fields, rows = None, {}  # the record and its rows as the latest save left them
    for date, revision_id, moment in _timeline(dates, own):
        if revision_id in own and not moment:
            # The record's own save stores all its rows: rows missing from it were deleted.
            fields = _fields(own[revision_id])
            rows = {}
        for key, name, child_fields, child_many, publishable in [] if moment else rows_by_revision.get(revision_id, []):
            rows[key] = (name, child_fields, child_many, publishable)
        if fields is None:
            continue
        if not _visible(fields, date):
            states.append((date, None, revision_id in seeded))
            continue
        shown = [
            (key, name, child_fields, child_many)
            for key, (name, child_fields, child_many, publishable) in rows.items()
            if not publishable or _visible(child_fields, date)
        ]
        states.append((date, fingerprints(fields, many, shown), revision_id in seeded))
    return states


def _fields(version) -> dict:
    return json.loads(version.serialized_data)[0]["fields"]


def _time(fields: dict, name: str):
    return parse_datetime(fields[name]) if fields.get(name) else None


def _visible(fields: dict, at) -> bool:
    return visible(fields.get("editorial_state"), _time(fields, "publish_at"), _time(fields, "unpublish_at"), at)


def _timeline(dates: dict, own: dict) -> list[tuple]:
    """(date, revision id, moment) in order: each save (moment ""), and the times a save
    scheduled: its publish_at ("publish") and unpublish_at ("unpublish"), when the public
    gains or loses sight of the record without a save; those still ahead too."""
    events = [(date, revision_id, "") for revision_id, date in dates.items()]
    for revision_id, version in own.items():
        fields = _fields(version)
        for moment in ("publish", "unpublish"):
            when = _time(fields, f"{moment}_at")
            if when and dates[revision_id] < when:
                events.append((when, revision_id, moment))
    return sorted(events, key=lambda event: (event[0], event[1]))


def _relations(ContentType, model, names) -> dict:
    """{content type id: (relation name, related model, name of its key to the record)}"""
    found = {}
    for name in names:
        relation = model._meta.get_field(name)
        content_type = ContentType.objects.get_for_model(relation.related_model)
        found[content_type.pk] = (name, relation.related_model, relation.field.name)
    return found


def _child_row(object_id: str, relations: dict, version):
    """(key, name, fields, many-to-many names, publishable) of a row's version, or None when
    the row belonged to another record then."""
    name, model, parent_field = relations[version.content_type_id]
    fields = _fields(version)
    if str(fields.get(parent_field)) != object_id:
        return None
    many = {field.name for field in model._meta.many_to_many}
    publishable = any(field.name == "editorial_state" for field in model._meta.fields)
    return f"{name}:{version.object_id}", version.object_repr, fields, many, publishable


def _child_versions(Version, object_id: str, relations: dict, revision_ids: list) -> dict:
    """The versions of the record's rows saved in those revisions, by revision."""
    if not relations or not revision_ids:
        return {}
    found = {}
    versions = Version.objects.filter(revision_id__in=revision_ids, content_type_id__in=relations)
    for version in versions.order_by("pk"):
        row = _child_row(object_id, relations, version)
        if row:
            found.setdefault(version.revision_id, []).append(row)
    return found


def _separate_child_saves(Version, object_id: str, relations: dict, since_revision: int) -> dict:
    """Saves of the record's rows made on their own since `since_revision`, by revision with
    its date."""
    found = {}
    for content_type_id, (name, model, parent_field) in relations.items():
        row_ids = [
            str(pk)
            for pk in model._default_manager.filter(**{parent_field: int(object_id)}).values_list("pk", flat=True)
        ]
        versions = (
            Version.objects.filter(
                content_type_id=content_type_id, object_id__in=row_ids, revision_id__gte=since_revision
            )
            .select_related("revision")
            .order_by("pk")
        )
        for version in versions:
            row = _child_row(object_id, {content_type_id: (name, model, parent_field)}, version)
            if row:
                found.setdefault(version.revision_id, (version.revision.date_created, []))[1].append(row)
    return found


class Migration(migrations.Migration):
    # Versions are read as stored JSON, never through the models: a field's value is compared as
    # it was saved (a launch site's name before missions 0013, its record's key since). So this
    # needs only the records and rows that exist since these migrations, not the latest ones.
    dependencies = [
        ("publishing", "0002_public_change"),
        ("missions", "0011_translated_texts"),
        ("partners", "0006_translated_texts"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    # Undone, the log stays: what it holds is still true, and building again keeps it.
    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
