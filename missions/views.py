from django.views.generic import DetailView

from lunarportal.views import PublicListView, StaffPreviewMixin
from partners.models import Partner

from .filters import MissionFilter
from .models import Mission


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


class MissionPreviewView(StaffPreviewMixin, MissionDetailView):
    def get_queryset(self):
        return Mission.objects.with_detail(preview=True)
