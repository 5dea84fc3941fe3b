"""The admin says what it means: help texts as written, history times to the second, and a
comparison of two versions that lists what changed, each once."""

import re

import pytest
from django.utils import timezone
from reversion.models import Version

from tests.admin_forms import form_data
from tests.factories import DRAFT, make_mission, make_payload

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


def test_a_comparison_lists_each_changed_field_once_and_no_unchanged_row(publisher_client):
    mission = make_mission(state=DRAFT)
    make_payload(mission=mission, name="Probe A", state=DRAFT)
    make_payload(mission=mission, name="Probe B", state=DRAFT)
    before = saved_in_admin(publisher_client, mission)
    form = publisher_client.get(f"/admin/missions/mission/{mission.pk}/change/")
    first = next(
        form for form in form.context["inline_admin_formsets"][0].formset.forms if form.instance.name == "Probe A"
    )
    after = saved_in_admin(publisher_client, mission, summary_en="Revised.", **{f"{first.prefix}-name_en": "Probe A2"})

    page = publisher_client.get(
        f"/admin/missions/mission/{mission.pk}/history/compare/",
        {"version_id1": before.pk, "version_id2": after.pk},
    ).content.decode()
    compared = page[page.index('id="content-main"') : page.index("Edit comment")]
    assert [heading.strip() for heading in re.findall(r"<h3>(.*?)</h3>", compared, re.S)] == [
        "summary [en]",
        "payloads",
    ]
    assert "Probe A2" in compared
    assert "Probe B" not in compared
    assert f"{timezone.localtime(after.revision.date_created):%H:%M:%S}" in compared


@pytest.fixture
def djangos_own_form_renderer(settings):
    """Django's form renderer instead of the site's (publishing.forms), for the requests after
    (Django forgets the renderer it made when the setting changes, and again when it is restored)."""
    settings.FORM_RENDERER = "django.forms.renderers.DjangoTemplates"


def without_request_tokens(html: str) -> str:
    """A page without what differs on every request: the CSRF token and the CSP nonce."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'nonce="[^"]*"', "", html)


@pytest.mark.parametrize("refused", [False, True], ids=["intact", "refused"])
def test_a_change_form_reads_as_djangos_own_renderer_writes_it(publisher_client, request, refused):
    """The site's form renderer skips the templates of empty error lists and nothing else: the
    mission's change form (main form and inlines) is the same page, with its errors or without."""
    mission = make_mission(slug="renderer-check")
    make_payload(mission=mission, name="A payload")
    url = f"/admin/missions/mission/{mission.pk}/change/"

    def page() -> str:
        response = publisher_client.get(url)
        if refused:
            data = form_data(response, name="", launch_date="not a date", **{"payloads-0-name_en": ""})
            response = publisher_client.post(url, data)
        assert response.status_code == 200
        return without_request_tokens(response.content.decode())

    ours = page()
    request.getfixturevalue("djangos_own_form_renderer")
    assert ours == page()
    assert ours.count('class="errorlist') == (3 if refused else 0)  # name, launch date, the payload's name
