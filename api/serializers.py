"""What the API shows of each record: explicit field lists, never the editorial fields
(state, publish and unpublish times) or anything about editors.

Every record links to its own API address (`url`) and, where it has one, to its public page
(`page_url`); related records appear as short links to their own API addresses. The nested
records come from api.selectors, which fetches published ones only.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from missions.models import Milestone, Mission, MissionImage, Payload
from partners.models import Agreement, CooperationProject, Figure, Partner


@extend_schema_field({"type": "string", "format": "uri"})
class PageURLField(serializers.Field):
    """The record's public page, as an absolute URL in the request's language."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        return self.context["request"].build_absolute_uri(instance.get_absolute_url())


def api_link(view_name: str, lookup_field: str = "slug"):
    return serializers.HyperlinkedIdentityField(view_name=f"api:{view_name}", lookup_field=lookup_field)


class SourceSerializer(serializers.Serializer):
    url = serializers.URLField(allow_null=True, help_text="null for a source with no web address.")
    title = serializers.CharField()
    publisher = serializers.CharField()
    as_of = serializers.DateField(allow_null=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["url"] = data["url"] or None  # stored empty when the source has no web address
        return data


# Short links to related records.


class PartnerLinkSerializer(serializers.ModelSerializer):
    url = api_link("partner-detail")
    page_url = PageURLField()

    class Meta:
        model = Partner
        fields = ["slug", "name", "name_zh", "url", "page_url"]


class MissionLinkSerializer(serializers.ModelSerializer):
    url = api_link("mission-detail")
    page_url = PageURLField()

    class Meta:
        model = Mission
        fields = ["slug", "name", "name_zh", "url", "page_url"]


class PayloadLinkSerializer(serializers.ModelSerializer):
    url = api_link("payload-detail", "pk")

    class Meta:
        model = Payload
        fields = ["id", "name", "acronym", "url"]


class AgreementLinkSerializer(serializers.ModelSerializer):
    url = api_link("agreement-detail")

    class Meta:
        model = Agreement
        fields = ["slug", "title", "signed_on", "url"]


class ProjectLinkSerializer(serializers.ModelSerializer):
    url = api_link("project-detail")

    class Meta:
        model = CooperationProject
        fields = ["slug", "name", "url"]


# Missions


class MissionSerializer(serializers.ModelSerializer):
    url = api_link("mission-detail")
    page_url = PageURLField()
    types = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    launch_vehicle = serializers.CharField(
        source="launch_vehicle.name", default="", read_only=True, help_text="The launch vehicle's name."
    )
    launch_site = serializers.CharField(
        source="launch_site.name", default="", read_only=True, help_text="The launch site's name."
    )
    partners = serializers.SerializerMethodField(help_text="Published partners behind the mission's payloads.")
    international_payload_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Mission
        fields = [
            "slug",
            "url",
            "page_url",
            "name",
            "name_zh",
            "phase",
            "status",
            "types",
            "launch_date",
            "launch_window",
            "landing_date",
            "landing_site",
            "latitude",
            "longitude",
            "side",
            "orbit",
            "launch_vehicle",
            "launch_site",
            "summary",
            "cospar_id",
            "nssdca_id",
            "norad_id",
            "wikidata_id",
            "facts_as_of",
            "partners",
            "international_payload_count",
        ]

    @extend_schema_field(PartnerLinkSerializer(many=True))
    def get_partners(self, mission):
        return PartnerLinkSerializer(mission.partners(), many=True, context=self.context).data


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["date", "date_precision", "title", "description"]


class MissionImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = MissionImage
        fields = ["url", "width", "height", "alt_text", "decorative", "caption", "credit"]

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, image):
        return self.context["request"].build_absolute_uri(image.image.url)


class MissionPayloadSerializer(serializers.ModelSerializer):
    url = api_link("payload-detail", "pk")
    providers = PartnerLinkSerializer(source="published_providers", many=True, read_only=True)

    class Meta:
        model = Payload
        fields = ["id", "url", "name", "acronym", "purpose", "providers", "institution", "origin", "selection_status"]


class MissionDetailSerializer(MissionSerializer):
    body = serializers.CharField(read_only=True, help_text="HTML, sanitised.")
    payloads = MissionPayloadSerializer(source="published_payloads", many=True, read_only=True)
    related_missions = MissionLinkSerializer(source="published_related_missions", many=True, read_only=True)
    milestones = MilestoneSerializer(source="milestone_list", many=True, read_only=True)
    images = MissionImageSerializer(source="image_list", many=True, read_only=True)
    sources = SourceSerializer(source="mission_sources", many=True, read_only=True)
    catalogue_sources = SourceSerializer(
        many=True, read_only=True, help_text="Where the COSPAR, NSSDCA and NORAD identifiers come from."
    )

    class Meta(MissionSerializer.Meta):
        fields = [
            *MissionSerializer.Meta.fields,
            "catalogue_confidence",
            "catalogue_note",
            "catalogue_sources",
            "body",
            "payloads",
            "related_missions",
            "milestones",
            "images",
            "sources",
        ]


# Payloads


class PayloadSerializer(serializers.ModelSerializer):
    url = api_link("payload-detail", "pk")
    mission = MissionLinkSerializer(read_only=True)
    providers = PartnerLinkSerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Payload
        fields = [
            "id",
            "url",
            "name",
            "acronym",
            "purpose",
            "mission",
            "providers",
            "institution",
            "origin",
            "selection_status",
            "sources",
        ]


# Partners


class PartnerSerializer(serializers.ModelSerializer):
    url = api_link("partner-detail")
    page_url = PageURLField()
    country = serializers.CharField(source="country.code", allow_null=True, read_only=True)
    mission_count = serializers.IntegerField(read_only=True)
    payload_count = serializers.IntegerField(read_only=True)
    agreement_count = serializers.IntegerField(read_only=True)
    project_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Partner
        fields = [
            "slug",
            "url",
            "page_url",
            "name",
            "name_zh",
            "kind",
            "country",
            "acronym",
            "region",
            "summary",
            "website",
            "ilrs_member",
            "ilrs_joined_on",
            "ilrs_joined_precision",
            "mission_count",
            "payload_count",
            "agreement_count",
            "project_count",
        ]


class PartnerDetailSerializer(PartnerSerializer):
    body = serializers.CharField(read_only=True, help_text="HTML, sanitised.")
    missions = MissionLinkSerializer(source="involved_missions", many=True, read_only=True)
    payloads = PayloadLinkSerializer(source="published_payloads", many=True, read_only=True)
    agreements = AgreementLinkSerializer(source="published_agreements", many=True, read_only=True)
    projects = ProjectLinkSerializer(source="published_projects", many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)

    class Meta(PartnerSerializer.Meta):
        fields = [*PartnerSerializer.Meta.fields, "body", "missions", "payloads", "agreements", "projects", "sources"]


# Agreements and projects


class AgreementSerializer(serializers.ModelSerializer):
    url = api_link("agreement-detail")
    parties = PartnerLinkSerializer(source="published_parties", many=True, read_only=True)
    body = serializers.CharField(read_only=True, help_text="HTML, sanitised.")
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "slug",
            "url",
            "title",
            "kind",
            "signed_on",
            "signed_on_precision",
            "parties",
            "summary",
            "body",
            "sources",
        ]


class ProjectSerializer(serializers.ModelSerializer):
    url = api_link("project-detail")
    partners = PartnerLinkSerializer(source="published_partners", many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = CooperationProject
        fields = ["slug", "url", "name", "kind", "partners", "start_date", "end_date", "summary", "sources"]


class FigureSerializer(serializers.ModelSerializer):
    url = api_link("figure-detail", lookup_field="key")
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Figure
        fields = ["key", "url", "group", "value", "label", "as_of", "as_of_precision", "note", "sources"]
