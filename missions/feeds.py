"""Atom entries for missions and payloads, and the feed that follows one mission."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from publishing.history import public_changes
from publishing.syndication import ContentFeed, FeedEntry, change_entries, content_entry, newest

from .models import Mission, Payload


def mission_entry(mission: Mission) -> FeedEntry:
    return content_entry(
        mission,
        title=mission.local_name,
        link=mission.get_absolute_url(),
        summary=mission.summary,
        category=_("Mission"),
    )


def payload_entry(payload: Payload) -> FeedEntry:
    """Needs the payload's mission selected with it."""
    return content_entry(
        payload,
        title=_("%(payload)s on %(mission)s") % {"payload": payload.short_name, "mission": payload.mission.local_name},
        link=f"{payload.mission.get_absolute_url()}#payloads-heading",
        summary=payload.purpose,
        category=_("Payload"),
    )


class MissionFeed(ContentFeed):
    """What changed on one mission's page, for following that mission."""

    def get_object(self, request, slug):
        return get_object_or_404(Mission.objects.published(), slug=slug)

    def title(self, mission):
        return _("%(mission)s — lunarportal") % {"mission": mission.local_name}

    def subtitle(self, mission):
        return _("Public changes to this mission's page.")

    def link(self, mission):
        return mission.get_absolute_url()

    def items(self, mission):
        # A mission saved outside the admin has no history: the mission itself stands in.
        return newest(change_entries(mission, public_changes(mission), mission.local_name) or [mission_entry(mission)])
