"""Site-wide pages: home, search, robots.txt, uploaded media on a local site."""

from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe
from django.views.static import serve

from missions.models import Mission, Payload
from missions.pictures.mission_timeline import MAX_MISSIONS as MAX_TIMELINE_MISSIONS
from missions.pictures.mission_timeline import compact_timeline
from partners.countries import names_the_host
from partners.forms import SearchForm
from partners.models import Agreement, CooperationProject, Figure, Partner
from partners.pictures.world_map import published_world_map

# At most this many partners are expanded on the search page: a short query such as "an"
# matches many names, and a visitor then refines it rather than reading every partner.
SEARCH_MAX_PARTNERS = 12
# Each partner found lists this many of its payloads, agreements and projects; its page has more.
SEARCH_PARTNER_RECORDS = 10
SEARCH_MAX_MISSIONS = 12
# Payloads, agreements and projects: the best few, each with its excerpt.
SEARCH_MAX_OTHERS = 10


class Found(NamedTuple):
    rows: list
    more: bool  # more rows match than are shown


def first(queryset, limit: int) -> Found:
    """The first `limit` rows, and whether there are more (one extra row fetched, no COUNT)."""
    rows = list(queryset[: limit + 1])
    return Found(rows[:limit], len(rows) > limit)


class SearchResults:
    """What a search for `query` finds, each kind fetched when the page first shows it."""

    def __init__(self, query: str):
        self.query = query

    @cached_property
    def names_the_host(self) -> bool:
        """The query names China, the program's own country: the page says so."""
        return names_the_host(self.query)

    @cached_property
    def partners(self) -> Found:
        partners = Partner.objects.published().found_by_name(self.query)
        return first(partners.with_involvement(shown=SEARCH_PARTNER_RECORDS), SEARCH_MAX_PARTNERS)

    @cached_property
    def missions(self) -> Found:
        return first(Mission.objects.for_cards().find(self.query), SEARCH_MAX_MISSIONS)

    @cached_property
    def payloads(self) -> Found:
        return first(Payload.objects.published().search(self.query).select_related("mission"), SEARCH_MAX_OTHERS)

    @cached_property
    def agreements(self) -> Found:
        return first(Agreement.objects.published().search(self.query), SEARCH_MAX_OTHERS)

    @cached_property
    def projects(self) -> Found:
        return first(CooperationProject.objects.published().search(self.query), SEARCH_MAX_OTHERS)

    @cached_property
    def suggestions(self) -> list[Partner]:
        """Partners with a similar name, when no partner matches."""
        if self.partners.rows or self.names_the_host:
            return []
        return Partner.objects.published().closest_to(self.query)

    @property
    def found_anything(self) -> bool:
        kinds = (self.partners, self.missions, self.payloads, self.agreements, self.projects)
        return any(found.rows for found in kinds)


def key_figures() -> dict[str, int]:
    return {
        "mission_count": Mission.objects.published().count(),
        "international_payload_count": Payload.objects.published().international().count(),
        "partner_nation_count": Partner.objects.published().countries().count(),
        "agreement_count": Agreement.objects.published().count(),
    }


@transaction.non_atomic_requests  # read-only, like ReadOnlyViewMixin
def home(request):
    context = {
        **key_figures(),
        "upcoming_missions": Mission.objects.for_cards().upcoming()[:3],
        "latest_missions": Mission.objects.for_cards().launched()[:3],
        "world_map": published_world_map(),
        "timeline": compact_timeline(Mission.objects.published().in_launch_order()[:MAX_TIMELINE_MISSIONS]),
    }
    return render(request, "home.html", context)


@transaction.non_atomic_requests  # read-only, like ReadOnlyViewMixin
def figures(request):
    """The figures that sum the program up, each as its source stated it and when; where sources
    disagree, every value with its own."""
    return render(request, "figures.html", {"groups": Figure.objects.published().in_groups()})


@transaction.non_atomic_requests  # read-only, like ReadOnlyViewMixin
def search(request):
    """Search by partner nation (what the program does with a country or organisation), and
    full-text search of missions, payloads, agreements and projects, best matches first."""
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {"form": form, "query": query, "search_query": query, "results": SearchResults(query)}
    return render(request, "search.html", context)


# Uploads are re-encoded to these formats; anything else in the media folder is offered as a
# download, never displayed, so that a browser cannot run it as a page of this site.
INLINE_MEDIA_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def media(request, path):
    """Uploaded files on a local site (DJANGO_SERVE_MEDIA). MEDIA_ROOT is read per request,
    not when the URLs load, so a changed setting (a test's temporary folder) is followed."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if not path.lower().endswith(INLINE_MEDIA_SUFFIXES):
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=Path(path).name)
    return response


@require_safe
def robots_txt(request):
    """Crawlers may read every public page, not the admin or previews; the sitemap lists them."""
    context = {"sitemap_url": request.build_absolute_uri(reverse("sitemap"))}
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")
