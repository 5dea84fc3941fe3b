"""The admin says what it means: help texts as written, history times to the second."""

import re

import pytest
from django.utils import timezone
from reversion.models import Version

from tests.admin_forms import form_data
from tests.factories import DRAFT, make_mission

pytestmark = pytest.mark.django_db


def help_text(html: str, field: str) -> str:
    return re.search(rf'<div class="help" id="id_{field}_helptext">\s*<div>(.*?)</div>', html, re.S).group(1)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/admin/missions/mission/add/", "The mission&#x27;s address: /missions/&lt;slug&gt;/."),
        ("/admin/partners/partner/add/", "The partner&#x27;s address: /partners/&lt;slug&gt;/."),
    ],
)
def test_the_slug_help_text_shows_the_address_pattern(publisher_client, url, expected):
    html = publisher_client.get(url).content.decode()
    assert help_text(html, "slug") == expected


def test_the_slug_help_text_is_translated_and_kept_whole(publisher_client):
    html = publisher_client.get("/admin/partners/partner/add/", headers={"accept-language": "zh-hans"}).content.decode()
    assert help_text(html, "slug") == "合作方页面的地址：/partners/&lt;网址名&gt;/。"


def saved_in_admin(client, mission, **changes):
    """Open the mission's change form and save it with `changes`, as an editor would."""
    url = f"/admin/missions/mission/{mission.pk}/change/"
    response = client.post(url, form_data(client.get(url), **changes))
    assert response.status_code == 302
    return Version.objects.get_for_object(mission).first()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_history_times_carry_seconds(publisher_client, language):
    mission = make_mission(state=DRAFT)
    version = saved_in_admin(publisher_client, mission, summary_en="Revised.")
    page = publisher_client.get(
        f"/admin/missions/mission/{mission.pk}/history/", headers={"accept-language": language}
    ).content.decode()
    when = timezone.localtime(version.revision.date_created)
    assert f"{when:%H:%M:%S}</a>" in page
