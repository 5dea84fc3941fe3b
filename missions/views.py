from django.shortcuts import render
from django.views.generic import DetailView, TemplateView

from missions.pictures.mission_timeline import MAX_MISSIONS as MAX_TIMELINE_MISSIONS
from missions.pictures.mission_timeline import mission_timeline
from missions.pictures.moon_map import moon_map
from partners.models import Partner
from publishing.citation import Citation
from publishing.views import CitationFileView, PublicListView, RecordPageMixin, StaffPreviewMixin

from .compare import MAX_MISSIONS, ComparisonError, comparison_rows, missions_to_compare
from .feeds import mission_changes
from .filters import MissionFilter
from .models import Mission
from .structured_data import mission_structured_data, share_image


class MissionListView(PublicListView):
    filterset_class = MissionFilter
    template_name = "missions/mission_list.html"

    def get_queryset(self):
        return Mission.objects.for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Suggestions for the partner box: published partners only.
        context["partner_choices"] = Partner.objects.published().in_name_order().only("name", "name_zh", "slug")
        context["compare_max"] = MAX_MISSIONS
        return context


class MissionDetailView(RecordPageMixin, DetailView):
    model = Mission
    template_name = "missions/mission_detail.html"

    def get_queryset(self):
        return Mission.objects.published()

    def get_full_queryset(self):
        return self.get_queryset().with_detail(preview=self.preview)

    def get_part_context(self, mission):
        request = self.request
        # A landed mission's own side of the Moon, with its site ringed: no query needed.
        discs = moon_map([mission], highlight=mission.slug)
        image = share_image(mission, request)
        page_url = request.build_absolute_uri(mission.get_absolute_url())
        return {
            "landing_disc": next((disc for disc in discs if disc.sites), None),
            "share_image": image,
            "structured_data": mission_structured_data(mission, page_url, image),
            "citation": Citation.for_page(mission, request, mission.sources.all()),
            "changes": mission_changes(mission),
        }


class MissionPreviewView(StaffPreviewMixin, MissionDetailView):
    def get_queryset(self):
        return Mission.objects.all()


class MissionTimelineView(TemplateView):
    template_name = "missions/timeline.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            timeline=mission_timeline(Mission.objects.for_timeline()[:MAX_TIMELINE_MISSIONS]), **kwargs
        )


class LandingSitesView(TemplateView):
    """Both sides of the Moon; `?highlight=<slug>` makes one mission stand out (an unknown or
    draft slug simply highlights nothing)."""

    template_name = "missions/landing_sites.html"

    def get_context_data(self, **kwargs):
        missions = list(Mission.objects.with_landing_sites())
        highlight = self.request.GET.get("highlight", "")
        highlighted = next((mission for mission in missions if mission.slug == highlight), None)
        return super().get_context_data(
            discs=moon_map(missions, highlight=highlight), missions=missions, highlighted=highlighted, **kwargs
        )


def compare(request):
    """Two to four missions side by side: `?m=chang-e-4&m=chang-e-6`."""
    try:
        missions = missions_to_compare(request.GET.getlist("m"))
    except ComparisonError as error:
        return render(request, "missions/compare.html", {"error": error.message}, status=error.status)
    context = {"missions": missions, "rows": comparison_rows(missions)}
    return render(request, "missions/compare.html", context)


class MissionCitationView(CitationFileView):
    def get_queryset(self):
        return Mission.objects.published().prefetch_related("sources")
