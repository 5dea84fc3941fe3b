from django.views.generic import DetailView

from lunarportal.citation import Citation
from lunarportal.views import CitationFileView, PublicListView, StaffPreviewMixin

from .feeds import partner_changes
from .filters import PartnerListFilter
from .models import Partner
from .structured_data import partner_structured_data


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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partner, request = self.object, self.request
        page_url = request.build_absolute_uri(partner.get_absolute_url())
        context.update(
            structured_data=partner_structured_data(partner, page_url),
            citation=Citation.for_page(partner, request, partner.sources.all()),
            changes=partner_changes(partner),
        )
        return context


class PartnerPreviewView(StaffPreviewMixin, PartnerDetailView):
    def get_queryset(self):
        return Partner.objects.with_involvement().prefetch_related("sources")


class PartnerCitationView(CitationFileView):
    def get_queryset(self):
        return Partner.objects.published().prefetch_related("sources")
