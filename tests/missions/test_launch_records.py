"""Launch vehicles and launch sites are records of their own, named once in each language for every
mission that uses them; pages, search, the CSV export, the API and imports give their names."""

import pytest

from missions.models import LaunchSite, LaunchVehicle, Mission
from tests.factories import make_mission
from tests.imports.files import confirm, export, exported_rows, import_types, preview, upload

pytestmark = pytest.mark.django_db

MISSIONS = "/admin/missions/mission/"


@pytest.fixture
def long_march_5(db):
    return LaunchVehicle.objects.create(name_en="Long March 5 (CZ-5)", name_zh_hans="长征五号运载火箭")


@pytest.fixture
def wenchang(db):
    return LaunchSite.objects.create(name_en="Wenchang", name_zh_hans="文昌航天发射场")


@pytest.fixture
def two_missions(long_march_5, wenchang):
    return [
        make_mission(name="Chang'e-5", slug="chang-e-5", launch_vehicle=long_march_5, launch_site=wenchang),
        make_mission(name="Chang'e-6", slug="chang-e-6", launch_vehicle=long_march_5, launch_site=wenchang),
    ]


def test_each_language_shows_its_name_of_the_launch_vehicle_and_site(client, two_missions):
    english = client.get("/en/missions/chang-e-6/").content.decode()
    chinese = client.get("/zh-hans/missions/chang-e-6/").content.decode()
    assert '<td lang="en">Long March 5 (CZ-5)</td>' in english and '<td lang="en">Wenchang</td>' in english
    assert '<td lang="zh-hans">长征五号运载火箭</td>' in chinese and '<td lang="zh-hans">文昌航天发射场</td>' in chinese


def test_a_name_translated_once_is_translated_for_every_mission(client, two_missions, long_march_5):
    long_march_5.name_zh_hans = "长征五号"
    long_march_5.save()
    for slug in ("chang-e-5", "chang-e-6"):
        assert '<td lang="zh-hans">长征五号</td>' in client.get(f"/zh-hans/missions/{slug}/").content.decode()


def test_a_vehicle_without_its_chinese_name_is_shown_in_english_marked_as_english(client, wenchang):
    make_mission(slug="queqiao-2", launch_vehicle=LaunchVehicle.objects.create(name_en="Long March 8"))
    assert '<td lang="en">Long March 8</td>' in client.get("/zh-hans/missions/queqiao-2/").content.decode()


def test_the_api_and_the_csv_export_give_the_names(client, two_missions):
    mission = client.get("/api/v1/missions/chang-e-6/").json()
    assert (mission["launch_vehicle"], mission["launch_site"]) == ("Long March 5 (CZ-5)", "Wenchang")
    listed = client.get("/api/v1/missions/").json()["results"][0]
    assert listed["launch_vehicle"] == "Long March 5 (CZ-5)"
    csv = b"".join(client.get("/en/missions/export.csv").streaming_content).decode("utf-8-sig")
    assert "Long March 5 (CZ-5),Wenchang" in csv
    assert make_mission(slug="no-rocket") and client.get("/api/v1/missions/no-rocket/").json()["launch_vehicle"] == ""


def test_missions_are_found_by_their_launch_vehicle_in_either_language(client, two_missions, long_march_5):
    found = Mission.objects.published().search("长征五号")
    assert sorted(found.values_list("slug", flat=True)) == ["chang-e-5", "chang-e-6"]
    long_march_5.name_en = "Changzheng 5"
    long_march_5.save()
    assert Mission.objects.published().search("Changzheng").count() == 2  # the index follows a rename


def test_an_import_names_the_launch_vehicle_in_either_language(publisher_client, long_march_5, wenchang):
    rows = [
        {"slug": "a", "name": "A", "phase": "orbit", "types": "orbiter", "status": "completed", "summary_en": "A."},
        {"slug": "b", "name": "B", "phase": "orbit", "types": "orbiter", "status": "completed", "summary_en": "B."},
    ]
    rows[0] |= {"launch_vehicle": "long march 5 (cz-5)", "launch_site": "Wenchang"}
    rows[1] |= {"launch_vehicle": "长征五号运载火箭", "launch_site": ""}
    page = preview(publisher_client, MISSIONS, upload(rows))
    assert import_types(page) == ["new", "new"]
    confirm(publisher_client, MISSIONS, page)
    assert Mission.objects.get(slug="a").launch_vehicle == long_march_5
    assert Mission.objects.get(slug="b").launch_vehicle == long_march_5
    assert Mission.objects.get(slug="b").launch_site is None


def test_an_unknown_launch_vehicle_is_reported_not_made_up(publisher_client):
    row = {"slug": "a", "name": "A", "phase": "orbit", "types": "orbiter", "status": "completed", "summary_en": "A."}
    page = preview(publisher_client, MISSIONS, upload([row | {"launch_vehicle": "Long Marhc 5"}]))
    assert (
        "Row 1, column “launch_vehicle”: There is no launch vehicle named “Long Marhc 5”: "
        "add it under “Launch vehicles” first, or use the name it has there."
    ) in page.content.decode()
    assert not LaunchVehicle.objects.exists() and not Mission.objects.exists()


def test_exports_give_the_english_names_and_reimport_unchanged(publisher_client, two_missions):
    for changelist in (MISSIONS, "/admin/missions/launchvehicle/"):
        rows = exported_rows(export(publisher_client, changelist))
        assert "Long March 5 (CZ-5)" in {row.get("launch_vehicle") or row.get("name_en") for row in rows}
        page = preview(publisher_client, changelist, upload(rows))
        assert set(import_types(page)) == {"skip"}, page.context["result"].invalid_rows


def test_editors_add_launch_vehicles_and_only_publishers_change_them(editor_client, long_march_5, django_user_model):
    url = f"/admin/missions/launchvehicle/{long_march_5.pk}/change/"
    assert editor_client.get("/admin/missions/launchvehicle/add/").status_code == 200
    page = editor_client.get(url)
    assert page.status_code == 200 and b'name="_save"' not in page.content  # read-only
    response = editor_client.post(url, {"name_en": "Changed", "name_zh_hans": ""})
    assert response.status_code == 403
    assert LaunchVehicle.objects.get().name_en == "Long March 5 (CZ-5)"


def test_a_launch_vehicle_a_mission_uses_cannot_be_deleted(publisher_client, two_missions, long_march_5):
    page = publisher_client.get(f"/admin/missions/launchvehicle/{long_march_5.pk}/delete/").content.decode()
    assert "Cannot delete launch vehicle" in page
    publisher_client.post(f"/admin/missions/launchvehicle/{long_march_5.pk}/delete/", {"post": "yes"})
    assert LaunchVehicle.objects.filter(pk=long_march_5.pk).exists()


def test_the_vehicle_list_says_which_missions_use_each(publisher_client, two_missions, long_march_5):
    page = publisher_client.get(f"/admin/missions/launchvehicle/{long_march_5.pk}/change/").content.decode()
    assert "Chang&#x27;e-5, Chang&#x27;e-6" in page
    listing = publisher_client.get("/admin/missions/launchvehicle/").content.decode()
    assert "长征五号运载火箭" in listing


def test_two_vehicles_cannot_share_an_english_name(publisher_client, long_march_5):
    response = publisher_client.post("/admin/missions/launchvehicle/add/", {"name_en": "long march 5 (CZ-5)"})
    assert "A launch vehicle of this name exists already." in response.content.decode()
    assert LaunchVehicle.objects.count() == 1
