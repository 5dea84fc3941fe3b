"""The editorial workflow: which states content may move between, and who may move it.

Editors write and submit for review; publishers also publish, unpublish and schedule. The
rules live here once and every route (change form, inline, bulk action, import) asks them.
"""

from django.utils.translation import gettext_lazy as _

from .models import EditorialState as State

TRANSITIONS = {
    State.DRAFT: {State.IN_REVIEW, State.PUBLISHED},
    State.IN_REVIEW: {State.DRAFT, State.PUBLISHED},
    State.PUBLISHED: {State.UNPUBLISHED},
    State.UNPUBLISHED: {State.DRAFT, State.IN_REVIEW, State.PUBLISHED},
}
# Putting content on the public site, or taking it off, is a publisher's decision.
PUBLISHER_STATES = {State.PUBLISHED, State.UNPUBLISHED}
SCHEDULE_FIELDS = ("publish_at", "unpublish_at")
# Content inside an item (a mission's payloads) has a state of its own, and is public only when
# both are published. When the item reaches a state, children in these states stay behind:
# submitted, its drafts are not; published, nothing that is not published appears with it.
LEFT_BEHIND = {
    State.IN_REVIEW: {State.DRAFT, State.UNPUBLISHED},
    State.PUBLISHED: {State.DRAFT, State.IN_REVIEW, State.UNPUBLISHED},
}

NOT_ALLOWED = _("You cannot move this from “%(old)s” to “%(new)s”.")
PUBLISHERS_ONLY = _("Only publishers can publish, unpublish or schedule content.")
SCHEDULE_PUBLISHES = _("A publish time publishes this at that time: choose “Published”, or clear the publish time.")
PUBLISHED_READ_ONLY = _("This %(name)s is published: only a publisher can change or delete it.")


def publish_permission(model) -> str:
    return f"{model._meta.app_label}.publish_{model._meta.model_name}"


def can_publish(user, model) -> bool:
    return user.has_perm(publish_permission(model))


def can_edit(user, instance) -> bool:
    """Published content is live: only a publisher may change or delete it."""
    return instance.editorial_state != State.PUBLISHED or can_publish(user, type(instance))


def current_state(instance) -> str:
    return instance.editorial_state if instance.pk else State.DRAFT


def allowed_states(user, instance, current: str | None = None) -> list[str]:
    """The states `user` may give `instance`, its current state first."""
    current = current or current_state(instance)
    targets = set(TRANSITIONS[current])
    if not can_publish(user, type(instance)):
        targets -= PUBLISHER_STATES
    if not instance.pk:
        targets.discard(State.UNPUBLISHED)  # new content has never been public
    return [current, *(state for state in State.values if state in targets)]


def transition_error(user, instance, new_state: str, current: str | None = None) -> str | None:
    """Why `user` may not move `instance` to `new_state`, or None when the move is allowed."""
    current = current or current_state(instance)
    if new_state == current or new_state in allowed_states(user, instance, current):
        return None
    if new_state in PUBLISHER_STATES and not can_publish(user, type(instance)):
        return str(PUBLISHERS_ONLY)
    return str(NOT_ALLOWED % {"old": State(current).label, "new": State(new_state).label})


def children_left_behind(instance, state: str) -> list:
    """The content inside `instance` that stays hidden when `instance` reaches `state`."""
    behind = LEFT_BEHIND.get(state)
    if not behind or not instance.pk:
        return []
    return [
        child for children in instance.publishable_children() for child in children.filter(editorial_state__in=behind)
    ]
