from django.views.generic import DetailView

from lunarportal.views import PublicListView
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
        context["partner_choices"] = Partner.objects.published().only("name", "slug")
        return context


class MissionDetailView(DetailView):
    template_name = "missions/mission_detail.html"

    def get_queryset(self):
        return Mission.objects.for_detail()
