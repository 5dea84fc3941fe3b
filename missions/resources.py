"""Import and export of missions and payloads; see publishing.resources."""

from import_export import fields

from partners.models import Partner
from publishing.resources import WORKFLOW_COLUMNS, ContentResource, SlugListWidget, SlugWidget

from .models import Mission, MissionType, Payload


class MissionResource(ContentResource):
    types = fields.Field(attribute="types", column_name="types", widget=SlugListWidget(MissionType, field="code"))
    export_related = ["types"]

    class Meta:
        model = Mission
        fields = [
            "slug",
            "name",
            "name_zh",
            "phase",
            "types",
            "status",
            "launch_date",
            "launch_window_en",
            "launch_window_zh_hans",
            "landing_date",
            "landing_site_en",
            "landing_site_zh_hans",
            "latitude",
            "longitude",
            "side",
            "launch_vehicle",
            "launch_site",
            "summary_en",
            "summary_zh_hans",
            "body_en",
            "body_zh_hans",
            "facts_as_of",
            "cospar_id",
            "nssdca_id",
            "wikidata_id",
            *WORKFLOW_COLUMNS,
        ]


class PayloadResource(ContentResource):
    """A payload has no slug of its own: it is the payload of that English name on that mission."""

    name_column = "name_en"

    mission = fields.Field(attribute="mission", column_name="mission", widget=SlugWidget(Mission))
    providers = fields.Field(attribute="providers", column_name="providers", widget=SlugListWidget(Partner))
    export_related = ["mission", "providers"]

    class Meta:
        model = Payload
        import_id_fields = ["mission", "name_en"]
        fields = [
            "mission",
            "name_en",
            "name_zh_hans",
            "acronym",
            "purpose_en",
            "purpose_zh_hans",
            "providers",
            "institution_en",
            "institution_zh_hans",
            "origin",
            "selection_status",
            *WORKFLOW_COLUMNS,
        ]
