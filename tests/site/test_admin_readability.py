"""The admin says what it means: help texts as written."""

import re

import pytest

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
