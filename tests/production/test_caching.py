"""Cached public pages and API answers: fresh after every change, 304s for a current copy,
marked for shared caches, bounded by their lifetime, and a shared cache that is down or hung
costs a visitor nothing but speed."""

import datetime
import gzip
import logging
import os
import signal
import subprocess
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control

from missions.models import Mission
from publishing import caching
from publishing.models import EditorialState
from tests.factories import DRAFT, make_agreement, make_mission, make_partner, make_payload
from tests.production.test_health import UNREACHABLE_REDIS
from tests.servers import fetch, free_port

pytestmark = pytest.mark.django_db
PUBLISHED, UNPUBLISHED = EditorialState.PUBLISHED, EditorialState.UNPUBLISHED


@pytest.fixture
def visitor():
    return Client()  # anonymous, apart from the logged-in clients a test may also use


def test_a_second_visit_is_served_without_touching_the_database(visitor, django_assert_num_queries):
    make_mission(name="Chang'e-6")
    first = visitor.get("/en/missions/")
    with django_assert_num_queries(0):
        second = visitor.get("/en/missions/")
    assert second.status_code == 200 and second.content == first.content
    assert "Chang&#x27;e-6" in second.content.decode()


@pytest.mark.parametrize("address", ["/api/v1/missions/", "/api/v1/missions/chang-e-6/", "/api/v1/docs/"])
def test_a_cached_api_answer_matches_a_fresh_one_headers_included(visitor, address, django_assert_num_queries):
    make_mission(name="Chang'e-6", slug="chang-e-6")
    fresh = visitor.get(address)
    with django_assert_num_queries(0):
        cached = visitor.get(address)
    assert fresh.status_code == cached.status_code == 200 and cached.content == fresh.content
    for header in ("Content-Type", "Content-Security-Policy", "X-Frame-Options", "Permissions-Policy", "ETag"):
        assert cached[header] == fresh[header], header
    assert visitor.get("/api/v1/missions/no-such-mission/").status_code == 404  # misses still reach the views


def test_cached_api_answers_follow_what_the_client_accepts(visitor):
    make_mission()
    for _ in range(2):  # fresh, then from the cache
        yaml = visitor.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
        json = visitor.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        assert yaml["Content-Type"].startswith("application/vnd.oai.openapi") and yaml.content.startswith(b"openapi:")
        assert json["Content-Type"].startswith("application/vnd.oai.openapi+json") and json.json()["openapi"]
        assert visitor.get("/api/v1/missions/").status_code == 200
        assert visitor.get("/api/v1/missions/", HTTP_ACCEPT="application/xml").status_code == 406


@pytest.mark.parametrize(
    "page", ["/en/missions/", "/en/missions/chang-e-7/", "/api/v1/missions/", "/api/v1/missions/chang-e-7/"]
)
def test_publish_edit_unpublish_and_delete_show_on_the_very_next_request(visitor, page):
    mission = make_mission(name="Chang'e-7", slug="chang-e-7", state=EditorialState.DRAFT)
    assert "Chang" not in visitor.get(page).content.decode()
    mission.editorial_state = PUBLISHED
    mission.save()
    assert "Chang&#x27;e-7" in visitor.get(page).content.decode().replace("Chang'e-7", "Chang&#x27;e-7")
    mission.name = "Chang'e-7 (renamed)"
    mission.save()
    assert "renamed" in visitor.get(page).content.decode()
    mission.editorial_state = UNPUBLISHED
    mission.save()
    assert "renamed" not in visitor.get(page).content.decode()
    mission.editorial_state = PUBLISHED
    mission.save()
    assert "renamed" in visitor.get(page).content.decode()
    mission.delete()
    assert "renamed" not in visitor.get(page).content.decode()


def test_a_publish_through_the_admin_shows_at_once(visitor, publisher_client):
    mission = make_mission(name="Chang'e-8", slug="chang-e-8", state=EditorialState.IN_REVIEW)
    assert "chang-e-8" not in visitor.get("/en/missions/").content.decode()
    response = publisher_client.post(
        "/admin/missions/mission/", {"action": "publish", "_selected_action": [mission.pk]}
    )
    assert response.status_code == 302
    assert Mission.objects.get(pk=mission.pk).editorial_state == PUBLISHED
    assert "chang-e-8" in visitor.get("/en/missions/").content.decode()


def test_publishing_a_selection_in_the_admin_shows_every_item_on_the_next_request(visitor, publisher_client):
    drafts = [make_mission(name=f"Lunar draft {n}", slug=f"lunar-draft-{n}", state=DRAFT) for n in range(6)]
    assert "lunar-draft-" not in visitor.get("/en/missions/").content.decode()
    response = publisher_client.post(
        "/admin/missions/mission/", {"action": "publish", "_selected_action": [mission.pk for mission in drafts]}
    )
    assert response.status_code == 302
    listed = visitor.get("/en/missions/").content.decode()
    assert all(f"lunar-draft-{n}/" in listed for n in range(6))


def test_deleting_a_selection_in_the_admin_removes_it_from_the_next_page(visitor, admin_client):
    missions = [make_mission(name=f"Lunar mission {n}", slug=f"lunar-mission-{n}") for n in range(6)]
    assert "lunar-mission-5/" in visitor.get("/en/missions/").content.decode()
    response = admin_client.post(
        "/admin/missions/mission/",
        {"action": "delete_selected", "post": "yes", "_selected_action": [mission.pk for mission in missions]},
    )
    assert response.status_code == 302
    assert "lunar-mission-" not in visitor.get("/en/missions/").content.decode()


def test_content_written_around_save_shows_after_the_documented_call(visitor):
    """QuerySet.update() sends no signal: the page stays as cached until caching.bump() (or the
    cache's lifetime, below)."""
    mission = make_mission(name="Chang'e-6", slug="chang-e-6")
    assert "Chang&#x27;e-6" in visitor.get("/en/missions/").content.decode()
    Mission.objects.filter(pk=mission.pk).update(name="Chang'e-6 (updated)")
    assert "(updated)" not in visitor.get("/en/missions/").content.decode()
    caching.bump()
    assert "(updated)" in visitor.get("/en/missions/").content.decode()


def test_a_cached_page_is_never_older_than_its_lifetime(visitor, settings):
    settings.PAGE_CACHE_SECONDS = 1
    mission = make_mission(name="Chang'e-6", slug="chang-e-6")
    visitor.get("/en/missions/")
    Mission.objects.filter(pk=mission.pk).update(name="Chang'e-6 (updated)")  # no signal, no bump
    assert "(updated)" not in visitor.get("/en/missions/").content.decode()
    time.sleep(1.1)
    assert "(updated)" in visitor.get("/en/missions/").content.decode()


def test_a_migration_starts_a_new_generation_so_a_deploy_shows_its_new_templates(visitor, settings, tmp_path):
    make_mission(name="Chang'e-6", slug="chang-e-6")
    visitor.get("/en/missions/")
    new_templates = tmp_path / "templates"
    (new_templates / "missions").mkdir(parents=True)
    (new_templates / "missions" / "mission_list.html").write_text("The next release's missions page")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [new_templates, *settings.TEMPLATES[0]["DIRS"]]}]
    assert "next release" not in visitor.get("/en/missions/").content.decode()  # still the cached page
    call_command("migrate", verbosity=0)  # every deploy runs it
    assert "next release" in visitor.get("/en/missions/").content.decode()


def test_a_scheduled_publication_appears_when_its_time_comes(visitor, time_machine):
    time_machine.move_to(timezone.now(), tick=False)  # stopped: a slow request is still before publish_at
    publish_at = timezone.now() + datetime.timedelta(seconds=1)
    make_mission(name="Chang'e-7", slug="chang-e-7", publish_at=publish_at)
    assert "chang-e-7" not in visitor.get("/en/missions/").content.decode()
    time_machine.move_to(publish_at + datetime.timedelta(seconds=0.05))
    assert "chang-e-7" in visitor.get("/en/missions/").content.decode()


def test_pages_answer_304_until_the_content_changes(visitor):
    mission = make_mission(name="Chang'e-6")
    first = visitor.get("/en/missions/")
    etag = first["ETag"]
    assert visitor.get("/en/missions/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    mission.name = "Chang'e-6 (sample return)"
    mission.save()
    changed = visitor.get("/en/missions/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


@pytest.mark.parametrize("address", ["/en/missions/", "/api/v1/missions/"])
def test_a_client_gets_the_cached_response_compressed_and_a_304_for_its_copy(visitor, address):
    for number in range(5):
        make_mission(name=f"Chang'e-{number}", summary="A lunar mission of the program. " * 5)
    plain = visitor.get(address).content
    hit = visitor.get(address, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert hit["Content-Encoding"] == "gzip" and "Accept-Encoding" in hit["Vary"]
    assert gzip.decompress(hit.content) == plain and len(hit.content) < len(plain) / 3
    # The size is announced, compressed or not: the body need not travel in chunks.
    assert hit["Content-Length"] == str(len(hit.content))
    unzipped = visitor.get(address)  # a client without gzip gets it plain
    assert unzipped.content == plain and unzipped["Content-Length"] == str(len(plain))
    assert visitor.get(address, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=hit["ETag"]).status_code == 304


@pytest.mark.parametrize("address", ["/en/missions/", "/api/v1/missions/"])
def test_the_first_visit_gets_the_very_bytes_later_visits_get(visitor, address):
    """A page is compressed once, when it is cached, and the first visitor gets that copy too:
    not compressed a second time on its way out, with other bytes."""
    make_mission(name="Chang'e-6", summary="A lunar mission of the program. " * 5)
    first = visitor.get(address, HTTP_ACCEPT_ENCODING="gzip")
    second = visitor.get(address, HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip"
    assert first.content == second.content and first["ETag"] == second["ETag"]
    assert visitor.get(address, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_browsers_that_write_their_accept_encoding_differently_share_one_copy(visitor, django_assert_num_queries):
    """One compressed copy serves every browser that takes gzip, however it lists its encodings
    (Django's CacheMiddleware would keep one per spelling), and one plain copy the others."""
    make_mission(name="Chang'e-6", summary="A lunar mission of the program. " * 5)
    chromium = visitor.get("/en/missions/", HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd")
    plain = visitor.get("/en/missions/", HTTP_ACCEPT_ENCODING="identity")
    with django_assert_num_queries(0):
        firefox = visitor.get("/en/missions/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        curl = visitor.get("/en/missions/", HTTP_ACCEPT_ENCODING="deflate, gzip;q=1.0, *;q=0.5")
        none = visitor.get("/en/missions/")
    assert chromium["Content-Encoding"] == firefox["Content-Encoding"] == curl["Content-Encoding"] == "gzip"
    assert firefox.content == curl.content == chromium.content
    assert not none.has_header("Content-Encoding") and none.content == plain.content
    assert gzip.decompress(firefox.content) == plain.content


def test_api_answers_304_and_cached_responses_still_count_towards_the_rate_limit(visitor, settings):
    make_mission()
    first = visitor.get("/api/v1/missions/")
    assert visitor.get("/api/v1/missions/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "4/minute"}}
    statuses = [visitor.get("/api/v1/missions/").status_code for _ in range(4)]
    assert statuses == [200, 200, 429, 429]  # two requests above already counted


def test_public_pages_are_marked_for_shared_caches_and_previews_and_staff_pages_are_not(visitor, publisher_client):
    make_mission(name="Chang'e-6", slug="chang-e-6", state=DRAFT)
    page = visitor.get("/en/missions/")
    assert page["Cache-Control"] == f"public, max-age=0, s-maxage={settings.SHARED_CACHE_SECONDS}"
    assert "public" not in visitor.get("/en/missions/no-such-mission/").get("Cache-Control", "")
    preview = publisher_client.get("/en/missions/chang-e-6/preview/")
    assert preview.status_code == 200 and "public" not in preview.get("Cache-Control", "")
    assert "public" not in publisher_client.get("/admin/").get("Cache-Control", "")


def test_staff_and_previews_are_never_served_from_the_cache(visitor, publisher_client):
    make_mission(name="Chang'e-6")
    visitor.get("/en/missions/")
    html = publisher_client.get("/en/missions/").content.decode()
    assert publisher_client.cookies.get("sessionid")
    assert "Chang&#x27;e-6" in html


PREVIEWS = ["/en/missions/draft-one/preview/", "/zh-hans/partners/draft-one/preview/"]


@pytest.mark.parametrize("preview", PREVIEWS)
def test_a_preview_tells_every_cache_not_to_keep_it(visitor, editor_client, preview):
    """Private (no shared cache may keep it), no-store (no cache at all), and no ETag that a
    cache could revalidate and hand on: what a draft shows stays with the editor who asked."""
    make_mission(name="Qx draft", slug="draft-one", state=DRAFT)
    make_partner(name="Qx draft", slug="draft-one", state=DRAFT)
    for _ in range(2):
        response = editor_client.get(preview)
        assert response.status_code == 200 and "Qx draft" in response.content.decode()
        directives = {directive.strip() for directive in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, response["Cache-Control"]
        assert not response.has_header("ETag")
    visitor.cookies["unrelated"] = "1"  # anyone else, even with a cookie, gets no copy of it
    response = visitor.get(preview)
    assert response.status_code == 404 and "Qx draft" not in response.content.decode()


@pytest.mark.parametrize(
    "mark",
    [
        lambda response: patch_cache_control(response, private=True),
        lambda response: patch_cache_control(response, no_store=True),
        add_never_cache_headers,
    ],
    ids=["private", "no-store", "never_cache"],
)
def test_the_page_cache_never_keeps_a_response_marked_private_or_no_store(rf, mark):
    """Whatever the address: a response that says no shared cache may keep it is rendered for
    each request, also where the page cache would keep a public page."""
    rendered = []

    def view(request):
        rendered.append(request)
        response = HttpResponse("for whoever asked")
        mark(response)
        return response

    middleware = caching.PublicPageCacheMiddleware(view)
    for _ in range(2):
        request = rf.get("/en/missions/")
        request.LANGUAGE_CODE = "en"
        assert middleware(request).content == b"for whoever asked"
    assert len(rendered) == 2


def test_pages_still_render_from_the_database_when_the_cache_is_down(visitor, settings, caplog):
    make_mission(name="Chang'e-6")
    settings.CACHES = {**settings.CACHES, **UNREACHABLE_REDIS}  # the shared cache; each process keeps its own
    with caplog.at_level(logging.WARNING, logger="publishing.caching"):
        for _ in range(3):
            response = visitor.get("/en/missions/")
            assert response.status_code == 200 and "Chang&#x27;e-6" in response.content.decode()
        assert visitor.get("/api/v1/missions/").status_code == 200
    assert len(caplog.records) == 1  # one warning for the outage, not one per request


def test_facet_counts_follow_a_publish_at_once(visitor):
    assert "Far side (0)" in visitor.get("/en/missions/?status=completed").content.decode()
    make_mission(name="Chang'e-4", side=Mission.Side.FAR)
    assert "Far side (1)" in visitor.get("/en/missions/?status=completed&again=1").content.decode()


def test_a_renamed_mission_shows_its_new_name_on_every_page_that_shows_its_card(visitor):
    mission = make_mission(name="Chang'e-6", slug="chang-e-6")
    for page in ("/en/", "/en/missions/", "/en/search/?q=Chang"):
        assert "Chang&#x27;e-6" in visitor.get(page).content.decode()
    mission.name = "Chang'e-6 sample return"
    mission.save()
    for page in ("/en/", "/en/missions/", "/en/search/?q=Chang"):
        assert "Chang&#x27;e-6 sample return" in visitor.get(page).content.decode(), page


def test_a_card_is_cached_for_what_it_shows_where_it_is_shown(visitor):
    """The list's card has a compare box, the home page's has not; a search's card shows the
    words found, in the visitor's language."""
    make_mission(name="Chang'e-6", slug="chang-e-6", status=Mission.Status.IN_DEVELOPMENT, launch_date=None)
    assert 'form="compare-form"' in visitor.get("/en/missions/").content.decode()
    assert 'form="compare-form"' not in visitor.get("/en/").content.decode()
    assert "<mark>" in visitor.get("/en/search/?q=Chang").content.decode()
    assert "<mark>" not in visitor.get("/en/missions/").content.decode()
    assert 'href="/zh-hans/missions/chang-e-6/"' in visitor.get("/zh-hans/missions/").content.decode()


def test_the_partner_suggestions_of_the_filter_form_follow_a_publish_and_hide_drafts(visitor):
    brazil = make_partner(name="Brazil", slug="brazil", country="BR", region="americas", state=EditorialState.DRAFT)
    assert '<option value="brazil">' not in visitor.get("/en/missions/").content.decode()
    brazil.editorial_state = PUBLISHED
    brazil.save()
    assert '<option value="brazil">Brazil</option>' in visitor.get("/en/missions/?side=far").content.decode()


def test_the_filter_form_shows_each_visitors_own_choices_errors_and_fresh_counts(visitor):
    """The rendered form is shared by every address with the same filters, and by no other."""
    make_mission(name="Chang'e-4", side=Mission.Side.FAR, status=Mission.Status.COMPLETED)
    far = visitor.get("/en/missions/?side=far&utm_source=newsletter").content.decode()
    assert '<option value="far" selected>Far side (1)</option>' in far and "\n        1 mission\n" in far
    near = visitor.get("/en/missions/?side=near").content.decode()
    assert '<option value="near" selected>' in near and '<option value="far">Far side (1)</option>' in near
    refused = visitor.get("/en/missions/?side=far&launch_date_after=2024-13-45").content.decode()
    assert '<p class="error" role="alert">Enter a valid date.</p>' in refused
    assert 'role="alert"' not in visitor.get("/en/missions/?side=far").content.decode()
    make_mission(name="Chang'e-7", slug="chang-e-7", side=Mission.Side.FAR, status=Mission.Status.COMPLETED)
    again = visitor.get("/en/missions/?side=far&utm_source=other").content.decode()
    assert "Far side (2)" in again and "2 missions" in again  # the shared total follows the publish too
    assert "月球背面 (2)" in visitor.get("/zh-hans/missions/?side=far").content.decode()


def test_the_partner_list_filter_form_shows_each_visitors_own_choices_and_fresh_counts(visitor):
    make_partner(name="Pakistan", slug="pakistan", country="PK", region="asia")
    asia = visitor.get("/en/partners/?region=asia").content.decode()
    assert '<option value="asia" selected>Asia (1)</option>' in asia
    europe = visitor.get("/en/partners/?region=europe&utm_source=x").content.decode()
    assert '<option value="europe" selected>Europe (0)</option>' in europe
    assert '<option value="asia">Asia (1)</option>' in europe
    make_partner(name="France", slug="france", country="FR", region="europe")
    europe = visitor.get("/en/partners/?region=europe&again").content.decode()
    assert "Europe (1)" in europe and europe.count('<article class="card partner-card">') == 1  # its card too
    assert "Clear" not in visitor.get("/en/partners/").content.decode()  # nothing chosen, nothing to clear


def test_a_partners_records_follow_every_change_on_its_page_and_in_search(visitor):
    """The rows of what a partner takes part in are shared by its page (where agreements are
    link targets) and search results (where they are not)."""
    pakistan = make_partner(name="Pakistan", slug="pakistan", country="PK", region="asia")
    cube = make_payload(name="ICUBE-Q", mission=make_mission(name="Chang'e-6"), providers=[pakistan])
    make_agreement(title="ILRS cooperation", slug="ilrs-pakistan", parties=[pakistan])
    page = visitor.get("/en/partners/pakistan/").content.decode()
    found = visitor.get("/en/search/?q=Pakistan").content.decode()
    assert "ICUBE-Q" in page and "ICUBE-Q" in found
    assert 'id="agreement-ilrs-pakistan"' in page and 'id="agreement-ilrs-pakistan"' not in found
    cube.name = "ICUBE-Q cubesat"
    cube.save()
    make_payload(name="Secret instrument", mission=make_mission(), providers=[pakistan], state=EditorialState.DRAFT)
    for address in ("/en/partners/pakistan/?again", "/en/search/?q=Pakistan&again"):
        shown = visitor.get(address).content.decode()
        assert "ICUBE-Q cubesat" in shown and "Secret instrument" not in shown, address


RECORD_PAGES = ["/en/missions/chang-e-6/", "/en/partners/pakistan/"]


def record_pages():
    pakistan = make_partner(name="Pakistan", slug="pakistan", country="PK", region="asia")
    mission = make_mission(name="Chang'e-6", slug="chang-e-6")
    return mission, pakistan, make_payload(name="ICUBE-Q", mission=mission, providers=[pakistan])


@pytest.mark.parametrize("page", RECORD_PAGES)
def test_a_record_page_is_gone_from_every_address_once_unpublished_expired_or_deleted(visitor, page, time_machine):
    """Its parts are found by the address's slug: whatever address asks next, a record the
    public may no longer see is a 404, and an unknown slug is a 404 every time."""
    mission, pakistan, _ = record_pages()
    record = mission if "/missions/" in page else pakistan
    assert visitor.get(page).status_code == 200
    record.editorial_state = UNPUBLISHED
    record.save()
    assert visitor.get(page + "?utm_source=a").status_code == 404
    record.editorial_state = PUBLISHED
    time_machine.move_to(timezone.now(), tick=False)  # stopped: a slow request is still before unpublish_at
    record.unpublish_at = timezone.now() + datetime.timedelta(seconds=1)
    record.save()
    assert visitor.get(page + "?utm_source=b").status_code == 200
    time_machine.move_to(record.unpublish_at + datetime.timedelta(seconds=0.05))
    assert visitor.get(page + "?utm_source=c").status_code == 404
    record.unpublish_at = None
    record.save()
    assert visitor.get(page + "?utm_source=d").status_code == 200
    record.delete()
    assert visitor.get(page + "?utm_source=e").status_code == 404
    unknown = page.replace("chang-e-6", "chang-e-9").replace("pakistan", "atlantis")
    assert visitor.get(unknown).status_code == visitor.get(unknown + "?again").status_code == 404


@pytest.mark.parametrize("page", RECORD_PAGES)
def test_a_record_page_follows_a_change_to_what_it_links_to(visitor, page):
    mission, pakistan, cube = record_pages()
    assert "ICUBE-Q" in visitor.get(page).content.decode()
    cube.name = "ICUBE-Q cubesat"
    cube.save()
    make_payload(name="Secret instrument", mission=mission, providers=[pakistan], state=EditorialState.DRAFT)
    shown = visitor.get(page + "?again").content.decode()
    assert "ICUBE-Q cubesat" in shown and "Secret instrument" not in shown
    cube.editorial_state = UNPUBLISHED
    cube.save()
    assert "ICUBE-Q" not in visitor.get(page + "?later").content.decode()


@pytest.mark.parametrize("page", RECORD_PAGES)
def test_a_staff_preview_never_stands_in_for_the_public_page(visitor, publisher_client, page):
    """A preview renders its own parts (no social meta, drafts' records as they will be shown)
    and keeps them to itself."""
    record_pages()
    preview = publisher_client.get(page + "preview/").content.decode()
    assert 'name="robots" content="noindex"' in preview and 'property="og:title"' not in preview
    public = visitor.get(page).content.decode()
    assert 'property="og:title"' in public and "noindex" not in public and "ICUBE-Q" in public


@pytest.mark.parametrize("page", RECORD_PAGES)
def test_a_record_pages_own_addresses_name_the_site_it_was_asked_on(visitor, page):
    record_pages()
    for host in ("localhost", "127.0.0.1"):
        html = visitor.get(page, HTTP_HOST=host).content.decode()
        assert f'"http://{host}{page}"' in html, host  # its address in the structured data
        assert "http://localhost" not in html or host == "localhost"


def test_the_search_page_shows_each_visitor_their_own_words_and_errors(visitor):
    """The page is kept per words typed, the results per question: other spacing shares the
    results and keeps its own box; a refused query shows its error every time."""
    record_pages()
    visitor.get("/en/search/?q=Pakistan")
    spaced = visitor.get("/en/search/?q=+Pakistan+").content.decode()
    assert 'value=" Pakistan "' in spaced and "ICUBE-Q" in spaced
    too_long = "x" * 201
    for attempt in range(2):
        refused = visitor.get(f"/en/search/?q={too_long}&attempt={attempt}").content.decode()
        assert "at most 200 characters" in refused and 'role="alert"' in refused
    assert "at most 200 characters" not in visitor.get("/en/search/?q=Pakistan&later").content.decode()


def test_the_world_map_and_key_figures_follow_a_publish_at_once(visitor):
    brazil = make_partner(name="Brazil", slug="brazil", country="BR", region="americas", state=EditorialState.DRAFT)
    make_payload(mission=make_mission(), providers=[brazil])
    for page in ("/en/", "/en/partners/"):
        assert 'href="/en/partners/brazil/"' not in visitor.get(page).content.decode()
    assert "<strong>0</strong> partner countries" in visitor.get("/en/?again").content.decode()
    brazil.editorial_state = PUBLISHED
    brazil.save()
    for page in ("/en/", "/en/partners/"):
        assert 'href="/en/partners/brazil/"' in visitor.get(page + "?after").content.decode(), page
    assert "<strong>1</strong> partner countries" in visitor.get("/en/").content.decode()


# Two app servers sharing one PostgreSQL and one Redis, as in production (tests/production/conftest.py).


def test_a_change_is_seen_at_once_through_every_app_server(two_app_servers):
    first, second = two_app_servers
    mission = make_mission(name="Chang'e-7", slug="chang-e-7", state=EditorialState.DRAFT)
    assert "chang-e-7" not in fetch(first, "/en/missions/") and "chang-e-7" not in fetch(second, "/en/missions/")
    mission.editorial_state = PUBLISHED
    mission.save()
    assert "chang-e-7" in fetch(first, "/en/missions/") and "chang-e-7" in fetch(second, "/en/missions/")
    mission.editorial_state = UNPUBLISHED
    mission.save()
    assert "chang-e-7" not in fetch(second, "/en/missions/") and "chang-e-7" not in fetch(first, "/en/missions/")


# A Redis of this test's own, which it can stop, freeze and start again.


@pytest.fixture
def redis_server(settings):
    if subprocess.run(["which", "redis-server"], capture_output=True).returncode:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing: .ci/start-redis installs it; CI never skips these tests.")
        pytest.skip("redis-server is missing (apt-get install redis-server).")
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        },
    }
    for _ in range(50):
        if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout.strip() == b"PONG":
            break
        time.sleep(0.1)
    yield server
    server.send_signal(signal.SIGCONT)
    server.terminate()
    server.wait(timeout=10)


def test_a_frozen_redis_costs_a_fraction_of_a_second_then_pages_come_from_the_database(visitor, redis_server):
    make_mission(name="Chang'e-6", slug="chang-e-6")
    assert visitor.get("/en/missions/").status_code == 200
    redis_server.send_signal(signal.SIGSTOP)  # hung: it accepts connections and never answers
    started = time.monotonic()
    pages = [visitor.get(page) for page in ("/en/missions/", "/en/missions/chang-e-6/", "/en/", "/api/v1/missions/")]
    elapsed = time.monotonic() - started
    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    assert elapsed < 2  # one short timeout, then the cache is left alone (with Django's defaults: minutes)


def test_a_save_made_while_redis_was_unreachable_shows_once_it_is_back(visitor, redis_server, settings, monkeypatch):
    """Redis keeps what it holds while this app server cannot reach it (a network fault): the
    pages it holds must not stand for the change once it is reachable again."""
    monkeypatch.setattr(caching, "RETRY_SECONDS", 0)
    mission = make_mission(name="Chang'e-6", slug="chang-e-6")
    pages = ("/en/missions/", "/en/missions/chang-e-6/", "/api/v1/missions/")
    for page in pages:
        assert "renamed" not in visitor.get(page).content.decode()  # cached in Redis
    reachable = settings.CACHES
    settings.CACHES = {**reachable, **UNREACHABLE_REDIS}
    mission.name = "Chang'e-6 renamed"
    mission.save()  # the cache cannot be told
    assert "renamed" in visitor.get("/en/missions/").content.decode()  # rendered from the database
    settings.CACHES = reachable
    for page in pages:
        assert "renamed" in visitor.get(page).content.decode(), page


def test_a_restored_database_is_what_the_pages_show(visitor, redis_server, monkeypatch):
    """The generation lives in the database: a restored backup brings back its own, and the
    copy in the cache is checked against it (here at every request: CHECK_SECONDS is 0)."""
    monkeypatch.setattr(caching, "CHECK_SECONDS", 0)
    make_partner(name="Pakistan", slug="pakistan")
    assert "atlantis" not in visitor.get("/en/partners/").content.decode()
    backup = caching.ContentGeneration.objects.get().token
    make_partner(name="Atlantis", slug="atlantis")
    assert "atlantis" in visitor.get("/en/partners/").content.decode()
    with connection.cursor() as cursor:  # the restore, behind the app's back
        cursor.execute("DELETE FROM partners_partner WHERE slug = 'atlantis'")
        cursor.execute("UPDATE publishing_contentgeneration SET token = %s", [backup])
    assert "atlantis" not in visitor.get("/en/partners/").content.decode()
