"""Every kind of source (publishing.models.SourceLink) may be cited without a web address, as an
article never put online is, when it names its publisher; without either it is refused."""

import pytest
from django.db import IntegrityError, transaction

from missions.models import MissionSource, PayloadSource
from partners.models import AgreementSource, PartnerSource, ProjectSource
from tests.admin_forms import add_inline_form, form_data
from tests.factories import make_agreement, make_mission, make_partner, make_payload, make_project

pytestmark = pytest.mark.django_db

MESSAGE = "A source without a web address needs its publisher, so that a reader can find it."

# What an editor opens, and the inline its sources are written in.
RECORDS = {
    "mission": (lambda: make_mission(slug="chang-e-6"), MissionSource),
    "payload": (lambda: make_payload(), PayloadSource),
    "partner": (lambda: make_partner(slug="pakistan", country="PK"), PartnerSource),
    "agreement": (lambda: make_agreement(parties=[make_partner()]), AgreementSource),
    "project": (lambda: make_project(partners=[make_partner()]), ProjectSource),
}


def post_source(client, record, source_model, **source):
    url = f"/admin/{record._meta.app_label}/{record._meta.model_name}/{record.pk}/change/"
    page = client.get(url)
    return client.post(url, add_inline_form(page, form_data(page), source_model, **source))


@pytest.mark.parametrize("kind", RECORDS)
def test_a_source_without_a_web_address_is_kept_when_it_names_its_publisher(publisher_client, kind):
    make, source_model = RECORDS[kind]
    record = make()
    response = post_source(
        publisher_client, record, source_model, url="", title="An article never put online", publisher="Xinhua"
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert source_model.objects.get().publisher == "Xinhua"


@pytest.mark.parametrize("kind", RECORDS)
def test_a_source_with_neither_address_nor_publisher_is_refused_with_a_message(publisher_client, kind):
    make, source_model = RECORDS[kind]
    record = make()
    response = post_source(publisher_client, record, source_model, url="", title="Somewhere", publisher="")
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not source_model.objects.exists()


def test_the_mission_page_names_it_as_text_and_the_api_gives_no_address(client, publisher_client):
    mission = make_mission(slug="chang-e-6")
    post_source(publisher_client, mission, MissionSource, url="", title="Launch report", publisher="Xinhua")
    page = client.get("/en/missions/chang-e-6/").content.decode()
    assert "Launch report — Xinhua" in page
    assert '<a href=""' not in page
    sources = client.get("/api/v1/missions/chang-e-6/").json()["sources"]
    assert sources == [{"url": None, "title": "Launch report", "publisher": "Xinhua", "as_of": None}]


@pytest.mark.database  # the database's own check, on SQLite and on PostgreSQL
@pytest.mark.parametrize("kind", RECORDS)
def test_the_database_refuses_a_source_with_neither_however_it_is_written(kind):
    """An import, a data migration or a shell write skips the forms: the table's check still holds."""
    make, source_model = RECORDS[kind]
    record = make()
    parent = next(field.name for field in source_model._meta.fields if field.is_relation)
    with pytest.raises(IntegrityError), transaction.atomic():
        source_model.objects.create(**{parent: record}, url="", title="Somewhere", publisher="")
    source_model.objects.create(**{parent: record}, url="", title="Somewhere", publisher="Xinhua")
    assert source_model.objects.count() == 1
