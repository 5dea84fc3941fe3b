"""The partner, agreement and cooperation-project admin as an editor uses it."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from partners.models import Agreement, CooperationProject, Partner
from tests.admin_forms import assert_refused, form_data
from tests.factories import make_agreement, make_partner, make_project

pytestmark = pytest.mark.django_db

PARTNERS_URL = "/admin/partners/partner/"
AGREEMENTS_URL = "/admin/partners/agreement/"
PROJECTS_URL = "/admin/partners/cooperationproject/"


def post_add_form(client, url, **typed):
    return client.post(url + "add/", form_data(client.get(url + "add/"), **typed))


NEPAL = {
    "name": "Nepal",
    "name_zh": "尼泊尔",
    "slug": "nepal",
    "kind": Partner.Kind.COUNTRY,
    "country": "NP",
    "region": Partner.Region.ASIA,
    "summary_en": "Signed an ILRS memorandum.",
}
APSCO = {
    "name": "Asia-Pacific Space Cooperation Organization",
    "slug": "apsco",
    "kind": Partner.Kind.ORGANISATION,
    "country": "",
    "acronym": "APSCO",
    "region": Partner.Region.INTERNATIONAL,
    "summary_en": "An intergovernmental organisation based in Beijing.",
}


# --- Forms and lists render -----------------------------------------------------------------


@pytest.fixture
def records(pakistan, esa):
    return {
        PARTNERS_URL: pakistan,
        AGREEMENTS_URL: make_agreement(parties=[pakistan]),
        PROJECTS_URL: make_project(partners=[pakistan], name="PRSS-1", slug="prss-1"),
    }


@pytest.mark.parametrize("url", [PARTNERS_URL, AGREEMENTS_URL, PROJECTS_URL])
def test_add_and_change_forms_render(editor_client, records, url):
    assert editor_client.get(url + "add/").status_code == 200
    response = editor_client.get(f"{url}{records[url].pk}/change/")
    assert response.status_code == 200
    assert escape(str(records[url])) in response.content.decode()


def changelist_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_rows(count):
    for _ in range(count):
        partner = make_partner()
        make_agreement(parties=[partner])
        make_project(partners=[partner])


@pytest.mark.parametrize("url", [PARTNERS_URL, AGREEMENTS_URL, PROJECTS_URL])
def test_changelist_queries_do_not_grow_with_rows(editor_client, url):
    """Intended to prevent an n+1 issue in the party and partner columns."""
    add_rows(3)
    few = changelist_queries(editor_client, url)
    add_rows(27)
    assert changelist_queries(editor_client, url) == few


# --- Partners -------------------------------------------------------------------------------


def test_valid_country_is_created(editor_client):
    assert post_add_form(editor_client, PARTNERS_URL, **NEPAL).status_code == 302
    nepal = Partner.objects.get(slug="nepal")
    assert (nepal.country.code, nepal.name_zh) == ("NP", "尼泊尔")


def test_two_organisations_without_a_country_code_can_both_be_saved(editor_client, esa):
    assert post_add_form(editor_client, PARTNERS_URL, **APSCO).status_code == 302
    united_nations = APSCO | {"name": "United Nations Office for Outer Space Affairs", "slug": "unoosa", "acronym": ""}
    assert post_add_form(editor_client, PARTNERS_URL, **united_nations).status_code == 302
    assert Partner.objects.filter(kind=Partner.Kind.ORGANISATION).count() == 3


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        (NEPAL | {"country": ""}, "country", "A country or region needs its ISO 3166 code."),
        (APSCO | {"country": "CN"}, "country", "An international organisation has no country code; leave it empty."),
        (
            NEPAL | {"ilrs_joined_on": "2024-04-25"},
            "ilrs_member",
            "A partner with an ILRS joining date must be marked as an ILRS partner.",
        ),
        (NEPAL | {"website": "javascript:alert(1)"}, "website", "Enter a valid URL."),
        (NEPAL | {"website": "ftp://x"}, "website", "Enter a valid URL."),
    ],
    ids=["country-without-code", "organisation-with-code", "ilrs-date-without-membership", "javascript-url", "ftp-url"],
)
def test_invalid_partner_is_refused_with_a_message_and_not_saved(editor_client, typed, field, message):
    response = post_add_form(editor_client, PARTNERS_URL, **typed)
    assert_refused(response, field, message)
    assert not Partner.objects.exists()


def test_ilrs_partner_with_a_joining_date_is_saved(editor_client):
    typed = NEPAL | {"ilrs_member": "on", "ilrs_joined_on": "2024-04-25"}
    assert post_add_form(editor_client, PARTNERS_URL, **typed).status_code == 302
    assert Partner.objects.get(slug="nepal").ilrs_joined_on.isoformat() == "2024-04-25"


def test_duplicate_iso_code_is_refused_with_a_message(editor_client, pakistan):
    response = post_add_form(editor_client, PARTNERS_URL, **NEPAL | {"slug": "pakistan-2", "country": "PK"})
    assert_refused(response, "country", "Partner with this ISO 3166 country already exists.")
    assert Partner.objects.count() == 1


def test_well_formed_ftp_website_is_refused_as_not_a_web_address(editor_client):
    response = post_add_form(editor_client, PARTNERS_URL, **NEPAL | {"website": "ftp://ftp.example.org/"})
    assert_refused(response, "website", "Enter a web address starting with http:// or https://.")
    assert not Partner.objects.exists()


def test_website_typed_without_a_scheme_is_saved_as_https(editor_client):
    assert post_add_form(editor_client, PARTNERS_URL, **NEPAL | {"website": "www.nepal.gov.np"}).status_code == 302
    assert Partner.objects.get(slug="nepal").website == "https://www.nepal.gov.np"


def test_partner_autocomplete_for_payload_providers_finds_pakistan(editor_client, pakistan, esa):
    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "missions", "model_name": "payload", "field_name": "providers", "term": "pak"},
    )
    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(pakistan.pk), "text": "Pakistan"}]


# --- Agreements and projects ----------------------------------------------------------------


def test_valid_agreement_is_created_with_its_parties(editor_client, pakistan, esa):
    typed = {
        "title_en": "ILRS cooperation memorandum with Pakistan",
        "slug": "ilrs-pakistan",
        "kind": Agreement.Kind.ILRS,
        "parties": [str(pakistan.pk), str(esa.pk)],
        "summary_en": "Pakistan joins the ILRS.",
        "sources-TOTAL_FORMS": "1",
        "sources-0-url": "https://www.cnsa.gov.cn/",
        "sources-0-title": "CNSA announcement",
        "sources-0-publisher": "CNSA",
        "sources-0-as_of": "2024-10-16",
    }
    assert post_add_form(editor_client, AGREEMENTS_URL, **typed).status_code == 302
    agreement = Agreement.objects.get(slug="ilrs-pakistan")
    assert set(agreement.parties.all()) == {pakistan, esa}
    assert list(agreement.sources.values_list("url", "publisher")) == [("https://www.cnsa.gov.cn/", "CNSA")]


def test_agreement_source_with_javascript_url_is_refused(editor_client, pakistan):
    typed = {"title_en": "A memo", "slug": "memo", "kind": Agreement.Kind.MOU, "summary_en": "…"}
    source = {"sources-TOTAL_FORMS": "1", "sources-0-url": "javascript:alert(1)", "sources-0-title": "A memo"}
    response = post_add_form(editor_client, AGREEMENTS_URL, **typed, parties=[str(pakistan.pk)], **source)
    assert response.status_code == 200
    assert "Enter a valid URL." in response.context["inline_admin_formsets"][0].formset.errors[0]["url"]
    assert not Agreement.objects.exists()


PRSS_1 = {
    "name_en": "PRSS-1",
    "slug": "prss-1",
    "kind": CooperationProject.Kind.EARTH_OBSERVATION,
    "summary_en": "Pakistan's remote-sensing satellite, built in China.",
}


def test_valid_project_is_created(editor_client, pakistan):
    typed = PRSS_1 | {"partners": [str(pakistan.pk)], "start_date": "2018-07-09"}
    assert post_add_form(editor_client, PROJECTS_URL, **typed).status_code == 302
    assert list(CooperationProject.objects.get(slug="prss-1").partners.all()) == [pakistan]


def test_project_ending_before_it_starts_is_refused(editor_client, pakistan):
    typed = PRSS_1 | {"partners": [str(pakistan.pk)], "start_date": "2018-07-09", "end_date": "2018-07-08"}
    response = post_add_form(editor_client, PROJECTS_URL, **typed)
    assert_refused(response, "end_date", "The end date cannot be before the start date.")
    assert not CooperationProject.objects.exists()


def test_editors_and_publishers_may_write_an_agreements_sources():
    for name in ("Editors", "Publishers"):
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert {"add_agreementsource", "change_agreementsource", "delete_agreementsource"} <= codenames, name
