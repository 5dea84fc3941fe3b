"""Import and export of partners, agreements and cooperation projects; see publishing.resources."""

from import_export import fields, widgets

from publishing.resources import WORKFLOW_COLUMNS, ContentResource, SlugListWidget

from .models import Agreement, CooperationProject, Partner


class CountryWidget(widgets.Widget):
    """An ISO 3166 alpha-2 code ("PK"); empty for an organisation (stored as NULL, since the
    column is unique)."""

    def clean(self, value, row=None, **kwargs):
        code = str(value or "").strip().upper()
        return code or None

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""

    def display(self, value) -> str:
        return str(value.name) if value else ""


class PartnerResource(ContentResource):
    country = fields.Field(attribute="country", column_name="country", widget=CountryWidget())

    class Meta:
        model = Partner
        fields = [
            "slug",
            "name",
            "name_zh",
            "kind",
            "country",
            "acronym",
            "aliases",
            "region",
            "summary_en",
            "summary_zh_hans",
            "body_en",
            "body_zh_hans",
            "website",
            "ilrs_member",
            "ilrs_joined_on",
            "ilrs_joined_precision",
            *WORKFLOW_COLUMNS,
        ]


class AgreementResource(ContentResource):
    name_column = "title_en"
    parties = fields.Field(attribute="parties", column_name="parties", widget=SlugListWidget(Partner))
    export_related = ["parties"]

    class Meta:
        model = Agreement
        fields = [
            "slug",
            "title_en",
            "title_zh_hans",
            "kind",
            "signed_on",
            "signed_on_precision",
            "parties",
            "summary_en",
            "summary_zh_hans",
            "body_en",
            "body_zh_hans",
            *WORKFLOW_COLUMNS,
        ]


class CooperationProjectResource(ContentResource):
    name_column = "name_en"
    partners = fields.Field(attribute="partners", column_name="partners", widget=SlugListWidget(Partner))
    export_related = ["partners"]

    class Meta:
        model = CooperationProject
        fields = [
            "slug",
            "name_en",
            "name_zh_hans",
            "kind",
            "partners",
            "start_date",
            "end_date",
            "summary_en",
            "summary_zh_hans",
            *WORKFLOW_COLUMNS,
        ]
