"""Importing partners, agreements and cooperation projects through the admin: preview, confirm,
validation per row, one transaction, and re-imports that change nothing."""

import pytest
from django.contrib.admin.models import LogEntry
from reversion.models import Version

from partners.models import Agreement, CooperationProject, Partner
from publishing.models import EditorialState as State
from tests.factories import make_partner

from .files import confirm, import_file, import_types, messages_of, preview, upload

pytestmark = pytest.mark.django_db

PARTNERS = "/admin/partners/partner/"
AGREEMENTS = "/admin/partners/agreement/"
PROJECTS = "/admin/partners/cooperationproject/"


def nepal(**changes):
    return {
        "slug": "nepal",
        "name": "Nepal",
        "name_zh": "尼泊尔",
        "kind": "country",
        "country": "NP",
        "region": "asia",
        "summary_en": "Signed an ILRS memorandum.",
        "ilrs_member": "1",
        "ilrs_joined_on": "2024-04-25",
        "editorial_state": "draft",
    } | changes


def apsco(**changes):
    organisation = {
        "slug": "apsco",
        "name": "Asia-Pacific Space Cooperation Organization",
        "name_zh": "亚太空间合作组织",
        "kind": "organisation",
        "country": "",
        "region": "international",
        "summary_en": "An intergovernmental organisation based in Beijing.",
        "ilrs_member": "0",
        "ilrs_joined_on": "",
    }
    return nepal(**organisation) | changes


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_partners_are_previewed_then_imported(publisher_client, pakistan, file_format):
    pakistan_row = nepal(
        slug="pakistan",
        name="Pakistan",
        name_zh="巴基斯坦",
        country="PK",
        summary_en="Launched ICUBE-Q on Chang'e-6.",
        ilrs_joined_on="",
        editorial_state="published",
    )
    rows = [nepal(), apsco(), pakistan_row]

    page = preview(publisher_client, PARTNERS, upload(rows, file_format), file_format)
    assert page.status_code == 200
    assert import_types(page) == ["new", "new", "update"]
    html = page.content.decode()
    assert "Confirm import" in html
    assert "尼泊尔" in html
    assert not Partner.objects.filter(slug="nepal").exists()  # a preview writes nothing

    response = confirm(publisher_client, PARTNERS, page)
    assert response.status_code == 302
    assert response["Location"] == PARTNERS
    nepal_ = Partner.objects.get(slug="nepal")
    assert (nepal_.name_zh, nepal_.country.code, nepal_.ilrs_member) == ("尼泊尔", "NP", True)
    assert str(nepal_.ilrs_joined_on) == "2024-04-25"
    organisation = Partner.objects.get(slug="apsco")
    assert organisation.country is None and organisation.ilrs_member is False
    assert Partner.objects.get(slug="pakistan").summary == "Launched ICUBE-Q on Chang'e-6."
    assert messages_of(response) == ["Import finished: 2 new, 1 updated, 0 deleted and 0 skipped partners."]


def test_each_imported_partner_gets_a_version_and_a_log_entry_by_the_importer(publisher_client, publisher):
    import_file(publisher_client, PARTNERS, upload([nepal(), apsco()], name="asia.csv"))
    for slug in ["nepal", "apsco"]:
        partner = Partner.objects.get(slug=slug)
        version = Version.objects.get_for_object(partner).get()
        assert version.revision.user == publisher
        assert version.revision.get_comment() == "Imported from “asia.csv”."
        assert LogEntry.objects.get(object_id=str(partner.pk)).user == publisher
    history = publisher_client.get(f"{PARTNERS}{Partner.objects.get(slug='nepal').pk}/history/").content.decode()
    assert "Imported from" in history


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_reimporting_the_same_file_changes_nothing(publisher_client, file_format):
    rows = [nepal(), apsco()]
    import_file(publisher_client, PARTNERS, upload(rows, file_format), file_format)
    before = list(Partner.objects.values())
    versions = Version.objects.count()

    page = preview(publisher_client, PARTNERS, upload(rows, file_format), file_format)
    assert import_types(page) == ["skip", "skip"]
    response = confirm(publisher_client, PARTNERS, page)
    assert messages_of(response) == ["Import finished: 0 new, 0 updated, 0 deleted and 2 skipped partners."]
    assert list(Partner.objects.values()) == before  # not even updated_at moved
    assert Version.objects.count() == versions


def test_an_invalid_row_is_reported_with_its_number_and_nothing_is_written(publisher_client, pakistan):
    rows = [
        nepal(),
        apsco(slug="duplicate", country="PK", kind="country"),  # Pakistan has PK already
        apsco(website="javascript:alert(1)"),
        apsco(slug="ghana", country="GH", kind="country", ilrs_member="0", ilrs_joined_on="2025-01-01"),
    ]
    page = preview(publisher_client, PARTNERS, upload(rows))
    assert page.status_code == 200
    assert "confirm_form" not in page.context or not page.context["confirm_form"]
    invalid = {row.number: row.error_dict for row in page.context["result"].invalid_rows}
    assert invalid == {
        2: {"country": ["Partner with this ISO 3166 country already exists."]},
        3: {"website": ["Enter a web address starting with http:// or https://."]},
        4: {"ilrs_member": ["A partner with an ILRS joining date must be marked as an ILRS partner."]},
    }
    html = page.content.decode()
    assert "This file cannot be imported as it is" in html
    assert "Row 3, column “website”: Enter a web address starting with http:// or https://." in html
    assert "Confirm import" not in html
    assert list(Partner.objects.values_list("slug", flat=True)) == ["pakistan"]


def test_two_new_rows_with_the_same_country_code_are_refused(publisher_client):
    page = preview(publisher_client, PARTNERS, upload([nepal(), nepal(slug="nepal-2", name="Nepal again")]))
    assert [row.number for row in page.context["result"].invalid_rows] == [2]
    assert not Partner.objects.exists()


def test_a_confirmation_that_no_longer_fits_the_data_writes_nothing(publisher_client):
    page = preview(publisher_client, PARTNERS, upload([apsco(), nepal()]))
    make_partner(name="Other Nepal", slug="other-nepal", country="NP")  # meanwhile, someone adds NP
    response = confirm(publisher_client, PARTNERS, page)
    assert response.status_code == 302
    assert response["Location"] == f"{PARTNERS}import/"
    (message,) = messages_of(response)
    assert "Nothing was imported" in message
    assert "Row 2, column “country”: Partner with this ISO 3166 country already exists." in message
    assert not Partner.objects.filter(slug__in=["apsco", "nepal"]).exists()
    assert not Version.objects.exists()


def test_formula_cells_are_imported_as_text(publisher_client):
    formula = '=HYPERLINK("https://evil.example","Click")'
    import_file(publisher_client, PARTNERS, upload([nepal(summary_en=formula, name_zh="+cmd|' /C calc'!A0")]))
    partner = Partner.objects.get(slug="nepal")
    assert partner.summary == formula
    assert partner.name_zh == "+cmd|' /C calc'!A0"
    assert formula in publisher_client.get(f"{PARTNERS}{partner.pk}/change/").content.decode().replace("&quot;", '"')


def test_invalid_values_are_reported_per_column(publisher_client):
    page = preview(publisher_client, PARTNERS, upload([nepal(kind="planet", region="mars", ilrs_joined_on="soon")]))
    (row,) = page.context["result"].invalid_rows
    assert row.error_dict == {
        "ilrs_joined_on": ["“soon” is not a date. Write it as year-month-day: 2024-04-25."],
        "kind": ["“planet” is not one of Country or region, International organisation."],
        "region": ["“mars” is not one of Africa, Americas, Asia, Europe, Oceania, International."],
    }


def test_a_file_without_a_slug_or_a_name_column_is_refused(publisher_client):
    rows = [{k: v for k, v in nepal().items() if k not in ("slug", "name")}]
    page = preview(publisher_client, PARTNERS, upload(rows))
    assert "The file has neither a “slug” nor a “name” column" in page.content.decode()
    assert not Partner.objects.exists()


# --- Agreements and projects: relations by slug -------------------------------------------------


def agreement(**changes):
    return {
        "slug": "pakistan-ilrs",
        "title_en": "ILRS memorandum with Pakistan",
        "kind": "ilrs",
        "signed_on": "2024-10-16",
        "signed_on_precision": "day",
        "parties": "pakistan, esa",
        "summary_en": "Pakistan joins the ILRS.",
    } | changes


def test_agreement_parties_are_written_as_slugs(publisher_client, pakistan, esa):
    import_file(publisher_client, AGREEMENTS, upload([agreement()]))
    imported = Agreement.objects.get(slug="pakistan-ilrs")
    assert set(imported.parties.values_list("slug", flat=True)) == {"pakistan", "esa"}
    assert imported.editorial_state == State.DRAFT

    page = preview(publisher_client, AGREEMENTS, upload([agreement(parties="esa,pakistan")]))
    assert import_types(page) == ["skip"]  # the same parties in another order
    import_file(publisher_client, AGREEMENTS, upload([agreement(parties="pakistan")]))
    assert list(imported.parties.values_list("slug", flat=True)) == ["pakistan"]


def test_an_unknown_or_missing_party_is_reported(publisher_client, pakistan):
    rows = [agreement(parties="pakistan, atlantis"), agreement(slug="x", parties="")]
    page = preview(publisher_client, AGREEMENTS, upload(rows))
    invalid = {row.number: row.error_dict for row in page.context["result"].invalid_rows}
    assert invalid == {
        1: {"parties": ["Unknown slug for partners: atlantis."]},
        2: {"parties": ["This field is required."]},
    }
    assert not Agreement.objects.exists()


def test_project_partners_are_written_as_slugs(publisher_client, pakistan):
    row = {
        "slug": "prss-1",
        "name_en": "PRSS-1",
        "kind": "earth_observation",
        "partners": "pakistan",
        "start_date": "2018-07-09",
        "end_date": "2017-01-01",
        "summary_en": "Pakistan's remote-sensing satellite.",
    }
    page = preview(publisher_client, PROJECTS, upload([row]))
    (invalid,) = page.context["result"].invalid_rows
    assert invalid.error_dict == {"end_date": ["The end date cannot be before the start date."]}
    import_file(publisher_client, PROJECTS, upload([row | {"end_date": ""}]))
    assert list(CooperationProject.objects.get(slug="prss-1").partners.all()) == [pakistan]


def test_both_languages_of_a_text_are_imported_in_their_own_columns(publisher_client):
    import_file(publisher_client, PARTNERS, upload([nepal(summary_zh_hans="签署了国际月球科研站合作备忘录。")]))
    partner = Partner.objects.get(slug="nepal")
    assert (partner.summary_en, partner.summary_zh_hans) == (
        "Signed an ILRS memorandum.",
        "签署了国际月球科研站合作备忘录。",
    )
