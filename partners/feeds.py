"""Atom entries for partners, agreements and projects, and the feed that follows one partner."""

from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from publishing.history import public_changes
from publishing.syndication import FEED_LENGTH, ContentFeed, FeedEntry, change_entries, content_entry, newest

from .models import Agreement, CooperationProject, Partner


def partner_entry(partner: Partner) -> FeedEntry:
    return content_entry(
        partner,
        title=partner.local_name,
        link=partner.get_absolute_url(),
        summary=partner.summary,
        category=_("Partner"),
    )


def agreement_entry(agreement: Agreement, partner: Partner) -> FeedEntry:
    """An agreement has no page of its own: it is listed on each party's page."""
    return content_entry(
        agreement,
        title=agreement.title,
        link=f"{partner.get_absolute_url()}#agreement-{agreement.slug}",
        summary=agreement.summary,
        category=_("Agreement"),
    )


def project_entry(project: CooperationProject, partner: Partner) -> FeedEntry:
    return content_entry(
        project,
        title=project.name,
        link=f"{partner.get_absolute_url()}#project-{project.slug}",
        summary=project.summary,
        category=_("Satellite or project"),
    )


def recent_agreements():
    """The latest published agreements with a published party to link to, that party fetched
    as `first_party` (two queries)."""
    parties = Partner.objects.published()
    through = Agreement.parties.through.objects.filter(agreement=OuterRef("pk"), partner__in=parties)
    agreements = (
        Agreement.objects.published()
        .filter(Exists(through))
        .recently_changed()
        .prefetch_related(Prefetch("parties", queryset=parties.order_by("name"), to_attr="published_parties"))
    )
    return [(agreement, agreement.published_parties[0]) for agreement in agreements[:FEED_LENGTH]]


def recent_projects():
    """As recent_agreements(), for cooperation projects."""
    partners = Partner.objects.published()
    links = CooperationProject.partners.through.objects
    through = links.filter(cooperationproject=OuterRef("pk"), partner__in=partners)
    projects = (
        CooperationProject.objects.published()
        .filter(Exists(through))
        .recently_changed()
        .prefetch_related(Prefetch("partners", queryset=partners.order_by("name"), to_attr="published_partners"))
    )
    return [(project, project.published_partners[0]) for project in projects[:FEED_LENGTH]]


class PartnerFeed(ContentFeed):
    """What changed on one partner's page, and the payloads, agreements and projects it takes
    part in, for following that partner."""

    def get_object(self, request, slug):
        return get_object_or_404(Partner.objects.published(), slug=slug)

    def title(self, partner):
        return _("%(partner)s — lunarportal") % {"partner": partner.local_name}

    def subtitle(self, partner):
        return _("Public changes to this partner's page and what it takes part in.")

    def link(self, partner):
        return partner.get_absolute_url()

    def items(self, partner):
        entries = change_entries(partner, public_changes(partner), partner.local_name) or [partner_entry(partner)]
        # Payloads come through the reverse relation: `partners` never imports `missions`.
        payloads = partner.payloads.published().select_related("mission").recently_changed()[:FEED_LENGTH]
        entries += [self.payload_entry(payload) for payload in payloads]
        agreements = partner.agreements.published().recently_changed()[:FEED_LENGTH]
        entries += [agreement_entry(agreement, partner) for agreement in agreements]
        projects = partner.projects.published().recently_changed()[:FEED_LENGTH]
        entries += [project_entry(project, partner) for project in projects]
        return newest(entries)

    @staticmethod
    def payload_entry(payload) -> FeedEntry:
        mission = payload.mission
        return content_entry(
            payload,
            title=_("%(payload)s on %(mission)s") % {"payload": payload.short_name, "mission": mission.local_name},
            link=f"{mission.get_absolute_url()}#payloads-heading",
            summary=payload.purpose,
            category=_("Payload"),
        )
