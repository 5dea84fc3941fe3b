from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, TemplateView

from missions.pictures.mission_diagram import MissionDiagram
from missions.pictures.mission_timeline import MAX_MISSIONS as MAX_TIMELINE_MISSIONS
from missions.pictures.mission_timeline import mission_timeline
from missions.pictures.moon_map import moon_map
from partners.models import Partner
from publishing.citation import Citation
from publishing.history import public_changes
from publishing.views import CitationFileView, PublicListView, RecordPageMixin, StaffPreviewMixin

from .compare import MAX_MISSIONS, ComparisonError, comparison_rows, missions_to_compare
from .filters import MissionFilter
from .models import Mission
from .site_pictures import CONTENT_TYPES, WIDTHS, SitePicture, file_name
from .structured_data import mission_structured_data, share_image


class MissionListView(PublicListView):
    filterset_class = MissionFilter
    template_name = "missions/mission_list.html"

    def get_queryset(self):
        return Mission.objects.for_cards()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Suggestions for the partner box: published partners only.
        context["partner_choices"] = Partner.objects.published().in_name_order().only("name", "name_zh", "slug")
        context["compare_max"] = MAX_MISSIONS
        # `?partner=PK` is a page about that partner's missions: its heading says whose.
        partner = self.filterset.form.cleaned_data.get("partner") if self.filterset.is_valid() else None
        context["page_title"] = (
            _("Missions with %(partner)s") % {"partner": partner.local_name} if partner else _("Missions")
        )
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
        hero = mission.picture
        if hero.kind == "diagram":  # on its own page, with the partners aboard
            hero = MissionDiagram(mission, partners=mission.partners())
        return {
            "hero": hero,
            "landing_disc": next((disc for disc in discs if disc.sites), None),
            "share_image": image,
            "structured_data": mission_structured_data(mission, page_url, image),
            "citation": Citation.for_page(mission, request, mission.source_list),
            "changes": public_changes(mission),
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


@require_safe
def site_picture(request, slug, key, width, extension):
    """A landing site's picture, made now if `make_mission_pictures` has not made it yet. The key
    is the coordinates' (site_pictures.site_key): an address whose coordinates have changed is
    gone, and a current one never changes, so browsers and shared caches may keep it for good.
    Staff also see a draft's, for its preview."""
    previewing = request.user.is_staff and request.user.has_perm("missions.view_mission")
    missions = Mission.objects.all() if previewing else Mission.objects.published()
    picture = SitePicture.of(get_object_or_404(missions, slug=slug))
    if picture is None or picture.key != key or width not in WIDTHS or extension not in CONTENT_TYPES:
        raise Http404("No such picture.")
    picture.make()
    response = FileResponse(
        default_storage.open(file_name(key, width, extension)), content_type=CONTENT_TYPES[extension]
    )
    if picture.mission.is_published:
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "private, no-store"
    return response
