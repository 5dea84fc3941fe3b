"""/partners/export.csv: the partners list as a spreadsheet (publishing.exports)."""

from publishing.exports import Column, CSVExportView, page_url

from .filters import PartnerListFilter
from .models import Partner


def partner_columns(request) -> list[Column]:
    return [
        ("slug", "slug"),
        ("name", "name"),
        ("name_zh", "name_zh"),
        ("kind", "kind"),
        ("country", lambda partner: partner.country.code if partner.country else ""),
        ("acronym", "acronym"),
        ("region", "region"),
        ("ilrs_member", "ilrs_member"),
        ("ilrs_joined_on", "ilrs_joined_on"),
        ("mission_count", "mission_count"),
        ("payload_count", "payload_count"),
        ("agreement_count", "agreement_count"),
        ("project_count", "project_count"),
        ("website", "website"),
        ("summary", "summary"),
        ("page_url", page_url(request)),
    ]


class PartnerCSVView(CSVExportView):
    filterset_class = PartnerListFilter
    name = "partners"

    def get_queryset(self):
        return Partner.objects.published().with_involvement_counts().order_by("name", "pk")

    def get_columns(self):
        return partner_columns(self.request)
