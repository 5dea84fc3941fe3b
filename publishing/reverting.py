"""Reverting to an older version, or recovering a deleted item, brings back what it said, never
who may see it.

django-reversion writes the whole old revision back (the item, the content inside it such as a
mission's payloads, and it deletes what was added since) before the admin shows the revert or
recover form. `LiveWorkflow` is taken before that and puts back what a revert must not change:

- every publishable object keeps its live state and schedule; one that no longer existed comes
  back as a draft without a schedule, as new content does. Publishing stays a decision taken in
  the form, by someone allowed to take it;
- content inside the item that the person reverting may not change (a published payload, for an
  editor) is put back exactly as it is live, with everything that hangs from it, also when the
  revert deleted it.
"""

from collections import defaultdict

from django.contrib.admin.utils import NestedObjects
from django.core import serializers
from django.db import router
from django.db.models.deletion import Collector
from django.dispatch import Signal

from .models import EditorialState, PublishableModel
from .workflow import SCHEDULE_FIELDS, can_edit

# Sent for each object a revert put back as it is live (receivers: the search index).
put_back = Signal()

WORKFLOW_FIELDS = ("editorial_state", *SCHEDULE_FIELDS)
AS_NEW = {"editorial_state": EditorialState.DRAFT, "publish_at": None, "unpublish_at": None}


class LiveWorkflow:
    """What the database says now about the publishable objects a revert touches."""

    def __init__(self, user, revision, model, object_id):
        main = (model, str(object_id))
        versioned = {
            (version.content_type.model_class(), version.object_id)
            for version in revision.version_set.select_related("content_type")
        }
        keys = {(kind, pk) for kind, pk in versioned if kind and issubclass(kind, PublishableModel)}
        live_main = model._default_manager.filter(pk=object_id).first()
        if live_main is not None:  # what was added since is deleted by the revert: it is touched too
            keys |= {
                (qs.model, str(pk)) for qs in live_main.publishable_children() for pk in qs.values_list("pk", flat=True)
            }
        self.workflow = {}  # (model, pk) -> its live state and schedule
        self.kept = {}  # (model, pk) -> a serialized live copy of what this person may not change
        for live in _fetch(keys):
            key = (type(live), str(live.pk))
            self.workflow[key] = {name: getattr(live, name) for name in WORKFLOW_FIELDS}
            # The item itself is the admin's to judge: its form is read-only for this person.
            if key != main and not can_edit(user, live):
                self.kept[key] = serializers.serialize("python", _with_dependents(live))
        self.keys = keys - self.kept.keys()

    def restore(self):
        """Call after the revert has written the old revision, before the form reads it."""
        for (model, pk), serialized in self.kept.items():
            _put_back(model, pk, serialized)
        for obj in _fetch(self.keys):
            values = self.workflow.get((type(obj), str(obj.pk)), AS_NEW)
            for name, value in values.items():
                setattr(obj, name, value)
            obj.save(update_fields=list(values))


def _fetch(keys):
    by_model = defaultdict(list)
    for model, pk in keys:
        by_model[model].append(pk)
    for model, pks in by_model.items():
        yield from model._default_manager.filter(pk__in=pks)


def _with_dependents(obj) -> list:
    """`obj` and what deleting it would delete, parents before children."""
    collector = NestedObjects(using=router.db_for_write(type(obj)))
    collector.collect([obj])

    def flat(nested):
        for item in nested:
            yield from flat(item) if isinstance(item, list) else [item]

    # Rows of a many-to-many table travel with their object's own serialization.
    return [item for item in flat(collector.nested()) if not item._meta.auto_created]


def _put_back(model, pk, serialized: list[dict]):
    restored = list(serializers.deserialize("python", serialized))
    current = model._default_manager.filter(pk=pk).first()
    if current is not None:
        # What the revert brought back under it (a payload's older sources) goes again.
        keep = {(type(item.object), item.object.pk) for item in restored}
        extra = [item for item in _with_dependents(current)[1:] if (type(item), item.pk) not in keep]
        collector = Collector(using=router.db_for_write(model))
        collector.collect(extra)
        collector.delete()
    for item in restored:
        item.save()  # as it was stored: same times, same many-to-many rows
    # A raw save sends post_save with raw=True, which the search index leaves alone (fixtures
    # bring their own entries): say that this object is back as it was.
    put_back.send(sender=model, instance=restored[0].object)
