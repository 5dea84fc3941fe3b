"""Import and export of missions and payloads; see publishing.resources."""

from import_export import fields, resources

from partners.models import Partner
from publishing.resources import WORKFLOW_COLUMNS, ContentResource, NameWidget, SlugListWidget, SlugWidget

from .models import LaunchSite, LaunchVehicle, Mission, MissionType, Payload


class MissionResource(ContentResource):
    types = fields.Field(attribute="types", column_name="types", widget=SlugListWidget(MissionType, field="code"))
    launch_vehicle = fields.Field(
        attribute="launch_vehicle", column_name="launch_vehicle", widget=NameWidget(LaunchVehicle)
    )
    launch_site = fields.Field(attribute="launch_site", column_name="launch_site", widget=NameWidget(LaunchSite))
    export_related = ["types", "launch_vehicle", "launch_site"]

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
            "orbit",
            "launch_vehicle",
            "launch_site",
            "summary_en",
            "summary_zh_hans",
            "body_en",
            "body_zh_hans",
            "facts_as_of",
            "cospar_id",
            "nssdca_id",
            "norad_id",
            "catalogue_confidence_en",
            "catalogue_confidence_zh_hans",
            "catalogue_note_en",
            "catalogue_note_zh_hans",
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


class NamedRecordResource(resources.ModelResource):
    """Launch vehicles and sites: reference data without a workflow, a row per record, matched
    by its English name, so that re-importing an export changes nothing."""

    class Meta:
        import_id_fields = ["name_en"]
        fields = ["name_en", "name_zh_hans"]
        skip_unchanged = True
        clean_model_instances = True


class LaunchVehicleResource(NamedRecordResource):
    class Meta(NamedRecordResource.Meta):
        model = LaunchVehicle


class LaunchSiteResource(NamedRecordResource):
    class Meta(NamedRecordResource.Meta):
        model = LaunchSite
