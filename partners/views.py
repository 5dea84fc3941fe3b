from django.views.generic import DetailView

from lunarportal.views import PublicListView, StaffPreviewMixin

from .filters import PartnerListFilter
from .models import Partner


class PartnerListView(PublicListView):
    filterset_class = PartnerListFilter
    template_name = "partners/partner_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Partner.objects.published().with_involvement_counts()


class PartnerDetailView(DetailView):
    model = Partner
    template_name = "partners/partner_detail.html"

    def get_queryset(self):
        return Partner.objects.published().with_involvement().prefetch_related("sources")


class PartnerPreviewView(StaffPreviewMixin, PartnerDetailView):
    def get_queryset(self):
        return Partner.objects.with_involvement().prefetch_related("sources")
