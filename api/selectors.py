"""What the API reads: published records only, with everything they show
fetched in a fixed number of queries, in an order that ends on a unique key (pages are stable).

Nested records are filtered too: a published payload's draft provider, a published mission's
draft related mission or an agreement's draft party never appears.
"""

from django.db.models import F, Prefetch

from missions.models import LAUNCH_ORDER, Mission, Payload
from partners.models import Agreement, CooperationProject, Figure, Partner


def published_partners():
    return Partner.objects.published().order_by("name", "pk")


def published_payloads():
    """Published payloads on published missions, with their mission and published providers."""
    return (
        Payload.objects.published()
        .select_related("mission")
        .prefetch_related(Prefetch("providers", queryset=published_partners()), "sources")
        .order_by(F("mission__launch_date").asc(nulls_last=True), "mission__name", "name", "pk")
    )


def missions_for_list():
    """As on /missions/ (`for_listing`), with each mission's partners (`Mission.partners()`)."""
    return Mission.objects.for_listing().with_partners().order_by(*LAUNCH_ORDER, "pk")


def missions_for_detail():
    """As on a mission's page: published payloads, related missions, milestones, images, sources."""
    return Mission.objects.for_listing().with_detail().order_by(*LAUNCH_ORDER, "pk")


def partners_for_list():
    """As on /partners/: published partners with their involvement counts."""
    return Partner.objects.published().with_involvement_counts().order_by("name", "pk")


def partners_for_detail():
    """As on a partner's page: what the partner takes part in, published records only."""
    return Partner.objects.published().with_involvement(shown=None).prefetch_related("sources").order_by("name", "pk")


def published_agreements():
    return (
        Agreement.objects.published()
        .prefetch_related(Prefetch("parties", queryset=published_partners(), to_attr="published_parties"), "sources")
        .order_by("-signed_on", "title", "pk")
    )


def published_projects():
    return (
        CooperationProject.objects.published()
        .prefetch_related(Prefetch("partners", queryset=published_partners(), to_attr="published_partners"), "sources")
        .order_by("start_date", "name", "pk")
    )


def published_figures():
    """The figures in the order of /figures/, the values of one group side by side."""
    return Figure.objects.published().prefetch_related("sources").order_by("position", "as_of", "pk")
