"""An editors' history written the way django-reversion keeps it, with each revision dated in the
past: what databases from before the public change log hold. Its public changes, as the site told
them when it still read them from this history, are pinned in test_history_migration.py."""

import datetime

import reversion
from django.utils import timezone

from missions.models import LaunchSite, LaunchVehicle, Payload
from publishing.history import SEED_CONTENT_COMMENT
from publishing.models import EditorialState as State
from tests.factories import DRAFT, make_milestone, make_mission, make_partner, make_payload, named_record


def revision(when, comment="", *instances, **changes):
    """Save each of `instances` (the first with `changes`) in one revision dated `when`."""
    with reversion.create_revision():
        reversion.set_comment(comment)
        reversion.set_date_created(when)
        first, *others = instances
        for name, value in changes.items():
            setattr(first, name, value)
        for instance in (first, *others):
            instance.save()


def build_history():
    """A mission and a partner loaded as demo content, then edited over days: draft edits,
    publication again, related rows, a payload saved on its own, an expiry and a scheduled
    publication; and a mission first saved as a draft. Returns them by slug, and the moment the
    mission's scheduled publication came."""
    start = timezone.now() - datetime.timedelta(days=20)

    def day(number, hours=0):
        return start + datetime.timedelta(days=number, hours=hours)

    mission = make_mission(slug="told", name="Told mission", summary="First summary.")
    source = mission.sources.create(url="https://example.org/a", title="Press release")
    milestone = make_milestone(mission, title="Launch")
    partner = make_partner(slug="told-partner", name="Told partner", summary="A partner.")
    revision(day(0), SEED_CONTENT_COMMENT, mission, partner)

    revision(day(1), "", mission, summary="Second summary.")
    revision(day(2), "", mission, editorial_state=DRAFT, summary="Zqsecret summary.", landing_site="Zqsecret")
    revision(day(3), "", mission, editorial_state=State.PUBLISHED, summary="Second summary.", landing_site="Apollo")

    source.title = "Press release, corrected"
    source.save()
    mission.sources.create(url="https://example.org/b", title="Mission page")
    milestone.delete()
    revision(day(4), "", mission)

    payload = make_payload(mission=mission, name="Dust counter", acronym="DC", state=DRAFT)
    revision(day(5), "", payload)  # a draft, saved on its own: nothing public
    revision(day(5, hours=12), "", payload, editorial_state=State.PUBLISHED)
    revision(day(6), "", payload, purpose="Counts dust grains.")

    revision(day(7), "", mission, summary="Third summary.", unpublish_at=day(8))  # expires on day 8
    revision(day(9), "", mission, unpublish_at=None, publish_at=day(10), name_zh="告诉")  # back on day 10
    revision(
        day(11),
        "",
        mission,
        launch_site=named_record(LaunchSite, "Wenchang"),
        launch_vehicle=named_record(LaunchVehicle, "Long March 5"),
        cospar_id="2024-001A",
        nssdca_id="2024-001A",
        wikidata_id="Q1",
        landing_site="Apollo basin",
        launch_window="2024",
    )
    Payload.objects.filter(pk=payload.pk).update(editorial_state=State.UNPUBLISHED)
    revision(day(12), "", mission)  # the payload was withdrawn behind the history's back

    partner.sources.create(url="https://example.org/p", title="Joins the station")
    revision(day(13), "", partner)
    revision(day(14), "", partner, summary_zh_hans="一个合作方。")

    fresh = make_mission(slug="fresh", name="Fresh mission", state=DRAFT)
    revision(day(15), "", fresh)
    revision(day(16), "", fresh, editorial_state=State.PUBLISHED)
    revision(day(17), "", fresh)  # saved again unchanged: nothing to tell
    return {"told": mission, "told-partner": partner, "fresh": fresh}, day(10)
