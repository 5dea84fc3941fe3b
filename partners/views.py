from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from partners.pictures.charts import Series, bar_chart, columns_per_year
from partners.pictures.world_map import published_world_map
from publishing.citation import Citation
from publishing.history import public_changes
from publishing.views import CitationFileView, PublicListView, RecordPageMixin, StaffPreviewMixin

from . import cooperation
from .filters import PartnerListFilter
from .models import Partner
from .structured_data import partner_structured_data
from .timeline import partnership_timeline

# The milestones of the missions carrying the partner's payloads, for its partnership timeline.
TIMELINE_PREFETCH = (Prefetch("published_payloads__mission__milestones", to_attr="milestone_list"),)


class PartnerListView(PublicListView):
    filterset_class = PartnerListFilter
    template_name = "partners/partner_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Partner.objects.published().with_involvement_counts().in_name_order()

    def get_context_data(self, **kwargs):
        # The map shows every published partner, whatever the filters narrow the list to.
        return super().get_context_data(world_map=published_world_map(), **kwargs)


class PartnerDetailView(RecordPageMixin, DetailView):
    model = Partner
    template_name = "partners/partner_detail.html"

    def get_queryset(self):
        return Partner.objects.published()

    def get_full_queryset(self):
        return self.get_queryset().with_mission_count().prefetch_related(Prefetch("sources", to_attr="source_list"))

    def get_object(self, queryset=None):
        partner = super().get_object(queryset)
        partner.fetch_involvement()
        prefetch_related_objects([partner], *TIMELINE_PREFETCH)
        return partner

    def get_part_context(self, partner):
        request = self.request
        page_url = request.build_absolute_uri(partner.get_absolute_url())
        return {
            "partnership": partnership_timeline(partner),
            "structured_data": partner_structured_data(partner, page_url),
            "citation": Citation.for_page(partner, request, partner.source_list),
            "changes": public_changes(partner),
        }


class PartnerPreviewView(StaffPreviewMixin, PartnerDetailView):
    # Its involvement lists show only published records, as the public page will.
    def get_queryset(self):
        return Partner.objects.all()


class CooperationChartsView(TemplateView):
    template_name = "partners/charts.html"

    def get_context_data(self, **kwargs):
        per_year = columns_per_year(
            [
                Series(_("New partners"), cooperation.new_partners_per_year(), "series-partners"),
                Series(_("Agreements signed"), cooperation.agreements_per_year(), "series-agreements"),
            ]
        )
        payloads = bar_chart(
            # An organisation's acronym keeps the labels short enough for a phone (ESA, ILOA).
            (
                partner.acronym or partner.local_name,
                partner.payload_count,
                partner.get_absolute_url(),
                "" if partner.acronym else partner.names_in_order[0][1],
            )
            for partner in cooperation.payloads_by_partner()
        )
        return super().get_context_data(per_year=per_year, payloads=payloads, **kwargs)


class PartnerCitationView(CitationFileView):
    def get_queryset(self):
        return Partner.objects.published().prefetch_related("sources")
