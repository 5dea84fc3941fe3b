"""/missions/export.csv: the missions list as a spreadsheet (publishing.exports)."""

from publishing.exports import Column, CSVExportView, joined, page_url

from .filters import MissionFilter
from .models import LAUNCH_ORDER, Mission


def mission_columns(request) -> list[Column]:
    return [
        ("slug", "slug"),
        ("name", "name"),
        ("name_zh", "name_zh"),
        ("phase", "phase"),
        ("status", "status"),
        ("types", lambda mission: joined(kind.code for kind in mission.types.all())),
        ("launch_date", "launch_date"),
        ("launch_window", "launch_window"),
        ("landing_date", "landing_date"),
        ("landing_site", "landing_site"),
        ("latitude", "latitude"),
        ("longitude", "longitude"),
        ("side", "side"),
        ("orbit", "orbit"),
        ("launch_vehicle", lambda mission: mission.launch_vehicle or ""),
        ("launch_site", lambda mission: mission.launch_site or ""),
        ("partners", lambda mission: joined(partner.name for partner in mission.partners())),
        ("international_payload_count", "international_payload_count"),
        ("cospar_id", "cospar_id"),
        ("nssdca_id", "nssdca_id"),
        ("norad_id", lambda mission: mission.norad_id or ""),
        ("wikidata_id", "wikidata_id"),
        ("summary", "summary"),
        ("page_url", page_url(request)),
    ]


class MissionCSVView(CSVExportView):
    filterset_class = MissionFilter
    name = "missions"

    def get_queryset(self):
        return Mission.objects.for_listing().with_partners().order_by(*LAUNCH_ORDER, "pk")

    def get_columns(self):
        return mission_columns(self.request)
