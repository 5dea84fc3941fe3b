from django.views.generic import DetailView

from lunarportal.citation import Citation
from lunarportal.views import CitationFileView, PublicListView, StaffPreviewMixin
from partners.models import Partner

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
        context["partner_choices"] = Partner.objects.published().only("name", "name_zh", "slug")
        return context


class MissionDetailView(DetailView):
    model = Mission
    template_name = "missions/mission_detail.html"

    def get_queryset(self):
        return Mission.objects.for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mission, request = self.object, self.request
        image = share_image(mission, request)
        page_url = request.build_absolute_uri(mission.get_absolute_url())
        context.update(
            share_image=image,
            structured_data=mission_structured_data(mission, page_url, image),
            citation=Citation.for_page(mission, request, mission.sources.all()),
            changes=mission_changes(mission),
        )
        return context


class MissionPreviewView(StaffPreviewMixin, MissionDetailView):
    def get_queryset(self):
        return Mission.objects.with_detail(preview=True)


class MissionCitationView(CitationFileView):
    def get_queryset(self):
        return Mission.objects.published().prefetch_related("sources")
