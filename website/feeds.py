"""The site's Atom feed: newly published and updated missions, payloads, partners, agreements
and projects, newest first."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from missions.feeds import mission_entry, payload_entry
from missions.models import Mission, Payload
from partners.feeds import agreement_entry, partner_entry, project_entry, recent_agreements, recent_projects
from partners.models import Partner
from publishing.syndication import FEED_LENGTH, ContentFeed, newest


class LatestContentFeed(ContentFeed):
    title = _("lunarportal: new and updated")
    subtitle = _("Missions, payloads, partners, agreements and projects as they are published or updated.")

    def link(self):
        return reverse("home")

    def items(self):
        # Each kind bounded on its own, then merged: a fixed number of queries however much content.
        missions = Mission.objects.published().recently_changed()[:FEED_LENGTH]
        payloads = Payload.objects.published().select_related("mission").recently_changed()[:FEED_LENGTH]
        partners = Partner.objects.published().recently_changed()[:FEED_LENGTH]
        return newest(
            [mission_entry(mission) for mission in missions]
            + [payload_entry(payload) for payload in payloads]
            + [partner_entry(partner) for partner in partners]
            + [agreement_entry(agreement, party) for agreement, party in recent_agreements()]
            + [project_entry(project, partner) for project, partner in recent_projects()]
        )
