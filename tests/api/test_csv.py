"""CSV exports of the public lists: what a spreadsheet gets."""

import csv
import io

import pytest
from django.utils import timezone

from tests.factories import make_mission, make_partner

pytestmark = pytest.mark.django_db

BOM = "\ufeff".encode()


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response
    raw = b"".join(response.streaming_content)
    return response, raw


def rows_of(raw: bytes) -> list[dict]:
    assert raw.startswith(BOM)
    return list(csv.DictReader(io.StringIO(raw[len(BOM) :].decode("utf-8"))))


def test_missions_csv_is_utf8_with_a_bom_and_a_dated_attachment_name(client, world):
    response, raw = download(client, "/en/missions/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="lunarportal-missions-{today}.csv"'
    # Excel opens the file as UTF-8 only when it starts with the byte-order mark.
    assert raw.startswith(BOM + b"slug,name,name_zh,")
    assert raw.decode("utf-8-sig").count("\ufeff") == 0
    rows = rows_of(raw)
    assert [row["slug"] for row in rows] == ["chang-e-6", "chang-e-4"]  # launch order (the factory's dates)
    chang_e_6 = rows[0]
    assert chang_e_6["name_zh"] == "嫦娥六号"
    assert chang_e_6["types"] == "orbiter; lander; sample_return"
    assert chang_e_6["partners"] == "European Space Agency; Pakistan"
    assert chang_e_6["international_payload_count"] == "3"
    assert chang_e_6["page_url"] == "http://testserver/en/missions/chang-e-6/"
    assert "嫦娥六号".encode() in raw


def test_partners_csv_has_every_matching_partner_with_counts(client, world):
    for number in range(60):  # more than a page of the list
        make_partner(name=f"Member {number:02}", slug=f"member-{number}", ilrs_member=True)
    response, raw = download(client, "/en/partners/export.csv?ilrs=1")
    assert response["Content-Disposition"].startswith('attachment; filename="lunarportal-partners-')
    rows = rows_of(raw)
    assert len(rows) == 61
    pakistan = next(row for row in rows if row["slug"] == "pakistan")
    assert pakistan == {
        **pakistan,
        "name_zh": "巴基斯坦",
        "country": "PK",
        "ilrs_member": "yes",
        "mission_count": "1",
        "payload_count": "1",
        "page_url": "http://testserver/en/partners/pakistan/",
    }


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?side=far&status=operating", ["chang-e-4"]),
        ("?partner=巴基斯坦", ["chang-e-6"]),
        ("?q=NILS&page=3", ["chang-e-6"]),
        ("?type=rover", ["chang-e-4"]),
        ("?launch_date_after=9000-01-01", []),  # after every launch the factories can make
    ],
)
def test_missions_csv_honours_the_list_filters(client, world, query, expected):
    _, raw = download(client, f"/en/missions/export.csv{query}")
    assert [row["slug"] for row in rows_of(raw)] == expected


def test_partners_csv_honours_the_list_filters(client, world):
    _, raw = download(client, "/en/partners/export.csv?kind=organisation")
    assert [row["slug"] for row in rows_of(raw)] == ["esa"]


def test_chinese_pages_export_links_to_chinese_pages(client, world):
    _, raw = download(client, "/zh-hans/missions/export.csv?partner=PK")
    assert rows_of(raw)[0]["page_url"] == "http://testserver/zh-hans/missions/chang-e-6/"


@pytest.mark.parametrize(
    "url",
    [
        "/en/missions/export.csv?status=draft",
        "/en/missions/export.csv?launch_date_after=2024-13-45",
        "/en/missions/export.csv?partner=ZZ",
        "/en/missions/export.csv?q=%00",
        "/en/partners/export.csv?region=%00",
        "/en/partners/export.csv?ilrs=yes",
    ],
)
def test_bad_filters_give_a_plain_400_that_says_why(client, world, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("These filters cannot be used:")
    assert url.split("?")[1].split("=")[0] in text


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("https://evil.example","Click")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)",
        "\t=1+1",
        "\r=1+1",
        "'=1+1",
    ],
)
def test_formulas_are_neutralised(client, db, text):
    make_partner(name=text, name_zh=text, slug="evil", acronym=text[:20], summary=text)
    _, raw = download(client, "/en/partners/export.csv")
    row = rows_of(raw)[0]
    for column in ["name", "name_zh", "acronym", "summary"]:
        assert row[column].startswith("'"), column
        assert row[column][1:] == (text if column != "acronym" else text[:20])


def test_numbers_stay_numbers(client, db):
    make_mission(name="South", slug="south", latitude="-45.4446", longitude="-153.9852", launch_date="2024-05-03")
    _, raw = download(client, "/en/missions/export.csv")
    row = rows_of(raw)[0]
    assert (row["latitude"], row["longitude"], row["launch_date"]) == ("-45.44460", "-153.98520", "2024-05-03")


@pytest.mark.parametrize("page, csv_name", [("/en/missions/", "missions"), ("/en/partners/", "partners")])
def test_the_lists_link_to_their_csv_with_the_current_filters(client, world, page, csv_name):
    html = client.get(f"{page}?q=pak&page=1").content.decode()
    assert f'href="{page}export.csv?q=pak" download' in html
    assert f'href="{page}export.csv" download' in client.get(page).content.decode()
    # No link while the filters are wrong (the footer's links to the whole exports stay).
    assert "export.csv" not in client.get(f"{page}?q=%00").content.decode().partition("<footer")[0]
