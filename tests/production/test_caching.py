"""Cached public pages and API responses, forgotten on every change; ETags and 304s."""

import datetime
import gzip
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from missions.models import Mission
from publishing import caching
from publishing.models import EditorialState
from tests.factories import DRAFT, make_agreement, make_mission, make_partner, make_payload
from tests.production.test_health import UNREACHABLE_REDIS
from tests.servers import fetch, gunicorn, server_environment

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


@pytest.fixture
def forgettings(monkeypatch):
    """How many times the app servers were told to forget their pages (each: a round trip or
    three to Redis, and news to every process)."""
    calls = []
    forget_everything = caching.forget_everything
    monkeypatch.setattr(caching, "forget_everything", lambda: calls.append(1) or forget_everything())
    return calls


def test_publishing_a_selection_in_the_admin_is_one_change_for_the_caches(visitor, publisher_client, forgettings):
    drafts = [make_mission(name=f"Lunar draft {n}", slug=f"lunar-draft-{n}", state=DRAFT) for n in range(6)]
    assert "lunar-draft-" not in visitor.get("/en/missions/").content.decode()
    forgettings.clear()
    response = publisher_client.post(
        "/admin/missions/mission/", {"action": "publish", "_selected_action": [mission.pk for mission in drafts]}
    )
    assert response.status_code == 302
    assert len(forgettings) <= 2  # now, and after the commit: not twice per item
    listed = visitor.get("/en/missions/").content.decode()
    assert all(f"lunar-draft-{n}/" in listed for n in range(6))  # every one, on the very next request


def test_deleting_a_selection_in_the_admin_is_one_change_for_the_caches(visitor, admin_client, forgettings):
    missions = [make_mission(name=f"Lunar mission {n}", slug=f"lunar-mission-{n}") for n in range(6)]
    assert "lunar-mission-5/" in visitor.get("/en/missions/").content.decode()
    forgettings.clear()
    response = admin_client.post(
        "/admin/missions/mission/",
        {"action": "delete_selected", "post": "yes", "_selected_action": [mission.pk for mission in missions]},
    )
    assert response.status_code == 302
    assert not Mission.objects.filter(slug__startswith="lunar-mission-").exists()
    assert len(forgettings) <= 2  # now, and after the commit: not twice per item
    assert "lunar-mission-" not in visitor.get("/en/missions/").content.decode()


def test_changes_grouped_announce_once_even_when_the_work_fails(forgettings):
    with pytest.raises(RuntimeError), caching.changes_grouped():
        with caching.changes_grouped():  # nested: the outer group announces
            make_mission(name="Chang'e-9", slug="chang-e-9")
            make_mission(name="Chang'e-10", slug="chang-e-10")
        assert forgettings == []
        raise RuntimeError("the import failed half-way")
    assert forgettings  # the caches may hold pages rendered within the failed work
    forgettings.clear()
    with caching.changes_grouped():
        pass
    assert forgettings == []  # nothing changed: nothing to forget


def test_a_page_in_use_is_rendered_once_after_a_change_then_served_from_the_cache(visitor, monkeypatch):
    mission = make_mission(name="Chang'e-6", slug="chang-e-6")
    renders = []
    cache_entry = caching.cache_entry
    monkeypatch.setattr(caching, "cache_entry", lambda response: renders.append(response) or cache_entry(response))
    for _ in range(3):
        visitor.get("/en/missions/")  # asked for again: in use
    mission.name = "Chang'e-6 (renamed)"
    mission.save()
    pages = [visitor.get("/en/missions/").content.decode() for _ in range(4)]
    assert all("(renamed)" in page for page in pages)
    assert len(renders) == 2  # once before the change, once after: not on every request


def test_a_scheduled_publication_appears_when_its_time_comes(visitor):
    publish_at = timezone.now() + datetime.timedelta(seconds=1)
    make_mission(name="Chang'e-7", slug="chang-e-7", publish_at=publish_at)
    assert "chang-e-7" not in visitor.get("/en/missions/").content.decode()
    time.sleep(max(0, (publish_at - timezone.now()).total_seconds()) + 0.05)
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


def test_api_answers_304_and_cached_responses_still_count_towards_the_rate_limit(visitor, settings):
    make_mission()
    first = visitor.get("/api/v1/missions/")
    assert visitor.get("/api/v1/missions/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "4/minute"}}
    statuses = [visitor.get("/api/v1/missions/").status_code for _ in range(4)]
    assert statuses == [200, 200, 429, 429]  # two requests above already counted


def test_staff_and_previews_are_never_served_from_the_cache(visitor, publisher_client):
    make_mission(name="Chang'e-6")
    visitor.get("/en/missions/")
    html = publisher_client.get("/en/missions/").content.decode()
    assert publisher_client.cookies.get("sessionid")
    assert "Chang&#x27;e-6" in html


def test_pages_still_render_from_the_database_when_the_cache_is_down(visitor, settings):
    make_mission(name="Chang'e-6")
    settings.CACHES = {**settings.CACHES, **UNREACHABLE_REDIS}  # the shared cache; each process keeps its own
    for _ in range(2):
        response = visitor.get("/en/missions/")
        assert response.status_code == 200 and "Chang&#x27;e-6" in response.content.decode()
    assert visitor.get("/api/v1/missions/").status_code == 200


# What pages share below the page cache: facet counts and rendered cards, keyed by what they
# show rather than by address, and forgotten on every change as the pages are.


def test_facet_counts_are_shared_by_every_address_with_the_same_filters(visitor, django_assert_max_num_queries):
    make_mission(name="Chang'e-4", side=Mission.Side.FAR)
    first = visitor.get("/en/missions/?side=far")
    with django_assert_max_num_queries(50) as fresh:
        visitor.get("/en/missions/?side=far&utm_source=newsletter")  # another address, the same question
    with django_assert_max_num_queries(50) as other_question:
        visitor.get("/en/missions/?side=near")
    # The first address counted the facets; the second reuses them; a new question counts its own.
    assert len(other_question.captured_queries) > len(fresh.captured_queries)
    assert "Far side (1)" in first.content.decode()


def test_a_filtered_list_through_another_address_reads_nothing_and_each_page_keeps_its_own(visitor):
    for number in range(25):  # two pages of 20
        make_mission(name=f"Far {number:02d}", slug=f"far-{number:02d}", side=Mission.Side.FAR)
    first = visitor.get("/en/missions/?side=far").content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = visitor.get("/en/missions/?utm_source=newsletter&side=far&status=").content.decode()
    assert queries.captured_queries == []  # not even a transaction
    assert first.count("<article") == again.count("<article") == 20
    assert visitor.get("/en/missions/?side=far&page=2").content.decode().count("<article") == 5
    make_mission(name="Far 25", slug="far-25", side=Mission.Side.FAR)
    assert visitor.get("/en/missions/?side=far&page=2&again").content.decode().count("<article") == 6
    Mission.objects.get(slug="far-25").delete()
    unpublished = Mission.objects.get(slug="far-24")
    unpublished.editorial_state = UNPUBLISHED
    unpublished.save()
    later = visitor.get("/en/missions/?side=far&page=2&later").content.decode()
    assert later.count("<article") == 4 and "Far 24" not in later and "Far 25" not in later


@pytest.mark.parametrize("lists, make", [("/en/missions/", "mission"), ("/en/partners/", "partner")])
def test_a_list_is_the_same_through_every_address_asking_the_same_and_its_links_carry_only_the_question(
    visitor, lists, make
):
    if make == "mission":
        for number in range(25):
            make_mission(name=f"Far {number:02d}", slug=f"far-{number:02d}", side=Mission.Side.FAR)
        question, other = "side=far", "side=near"
    else:
        for number in range(55):
            make_partner(name=f"Agency {number:02d}", slug=f"agency-{number:02d}", region="europe")
        question, other = "region=europe", "region=asia"

    def main(address):
        return visitor.get(address).content.decode().partition("<main")[2].partition("</main>")[0]

    first = main(f"{lists}?{question}&page=1")
    again = main(f"{lists}?page=1&utm_source=newsletter&{question}&utm_campaign=%3Cscript%3E")
    assert again == first and "utm_" not in again and "script" not in again
    assert f"?{question}&amp;page=2" in again or f"?page=2&amp;{question}" in again  # the next page
    assert f".csv?{question}" in again  # the download has the same filters
    assert "selected>" in again  # the form shows what was chosen
    assert main(f"{lists}?{other}&utm_source=newsletter") != again  # another question, its own answer


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
def test_a_record_page_through_another_address_reads_nothing(visitor, page):
    """A mission or partner page is rendered once per content version, whatever the address
    (tracking parameters, say): a miss of the page cache then reads nothing from the database."""
    record_pages()
    first = visitor.get(page)
    with CaptureQueriesContext(connection) as queries:
        again = visitor.get(page + "?utm_source=newsletter")
    assert queries.captured_queries == []  # not even a transaction (ReadOnlyViewMixin)
    assert first.status_code == again.status_code == 200
    main = [response.content.decode().partition("<main")[2] for response in (first, again)]
    assert main[0] == main[1] and "ICUBE-Q" in main[1]  # the shell's links keep each address's query


@pytest.mark.parametrize("page", RECORD_PAGES)
def test_a_record_page_is_gone_from_every_address_once_unpublished_expired_or_deleted(visitor, page):
    """Its parts are found by the address's slug: whatever address asks next, a record the
    public may no longer see is a 404, and an unknown slug is a 404 every time."""
    mission, pakistan, _ = record_pages()
    record = mission if "/missions/" in page else pakistan
    assert visitor.get(page).status_code == 200
    record.editorial_state = UNPUBLISHED
    record.save()
    assert visitor.get(page + "?utm_source=a").status_code == 404
    record.editorial_state = PUBLISHED
    record.unpublish_at = timezone.now() + datetime.timedelta(seconds=1)
    record.save()
    assert visitor.get(page + "?utm_source=b").status_code == 200
    time.sleep(max(0, (record.unpublish_at - timezone.now()).total_seconds()) + 0.05)
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


@pytest.fixture
def shared_cache_reads(monkeypatch):
    """How many keys each read of the shared cache asked for, in order (publishing.caching
    reads with get_many() alone)."""
    from django.core.cache import cache

    reads = []
    get_many = cache.get_many

    def counted(keys, *args, **kwargs):
        reads.append(len(keys))
        return get_many(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", counted)
    return reads


@pytest.mark.parametrize("page", [*RECORD_PAGES, "/en/search/?q=Pakistan", "/en/missions/?side=far"])
def test_a_new_address_whose_fragments_this_process_holds_reads_only_the_content_version(
    visitor, page, shared_cache_reads
):
    """At most one read of the shared cache, for the content version, and none where changes are
    announced (Redis): the page is this process's own to keep, and its fragments come from the
    process's copies, checked against that version."""
    record_pages()
    first = visitor.get(page)
    shared_cache_reads.clear()
    again = visitor.get(page + ("&" if "?" in page else "?") + "utm_source=newsletter")
    assert shared_cache_reads == ([] if caching.changes_are_announced() else [1])
    main = [response.content.decode().partition("<main")[2] for response in (first, again)]
    # The same content; links keep the visitor's query, except a list's, which carry only its filters.
    assert main[1].replace("&amp;utm_source=newsletter", "") == main[0]


def test_a_change_on_another_server_is_seen_through_this_processs_copies(visitor):
    """Another app server's change replaces the content version in the shared cache, without
    any signal here: this process's copies are then under an old version, and unused."""

    mission, _, _ = record_pages()
    assert "Chang&#x27;e-6" in visitor.get("/en/missions/chang-e-6/").content.decode()
    Mission.objects.filter(pk=mission.pk).update(name="Chang'e-6 (renamed elsewhere)")  # no signal
    changed_on_another_server()
    assert "renamed elsewhere" in visitor.get("/en/missions/chang-e-6/?again").content.decode()


def changed_on_another_server():
    """What another app server's change does to the shared cache (caching.forget_everything()),
    without touching this process."""
    from django.core.cache import cache

    cache.delete(caching.STATE_KEY)
    if caching.changes_are_announced():
        cache.announce(caching.CHANGES_CHANNEL)


# With Redis, each process keeps the content version until a change is announced to it.


@pytest.fixture
def redis():
    """The shared cache's Redis, for tests of what only it does: announce changes."""
    from django.core.cache import cache

    if not caching.changes_are_announced():
        pytest.skip("Needs Redis (CI runs it with CACHE_URL).")
    return cache._cache.get_client(write=True)


def commands_run_by(redis) -> int:
    return int(redis.info("stats")["total_commands_processed"])


def test_a_page_this_process_holds_or_can_make_from_its_fragments_costs_no_round_trip_to_redis(visitor, redis):
    record_pages()
    first = visitor.get("/en/missions/chang-e-6/")
    before = commands_run_by(redis)
    again = visitor.get("/en/missions/chang-e-6/")
    assert commands_run_by(redis) - before == 1  # the INFO that counts them
    assert again.content == first.content
    before = commands_run_by(redis)
    elsewhere = visitor.get("/en/missions/chang-e-6/?utm_source=newsletter")  # rendered, and kept
    assert commands_run_by(redis) - before == 1
    assert elsewhere.content.decode().count("Chang&#x27;e-6") == first.content.decode().count("Chang&#x27;e-6")


def test_a_change_announced_while_the_subscription_was_down_is_not_missed(visitor, redis):
    mission, _, _ = record_pages()
    assert "renamed" not in visitor.get("/en/missions/chang-e-6/").content.decode()
    redis.client_kill_filter(_type="pubsub")  # this process's subscription drops
    Mission.objects.filter(pk=mission.pk).update(name="Chang'e-6 (renamed)")  # no signal here
    changed_on_another_server()  # announced to no one
    assert "renamed" in visitor.get("/en/missions/chang-e-6/").content.decode()


def test_a_change_never_announced_shows_once_the_version_is_read_again(visitor, redis, monkeypatch):
    """Should an announcement be lost without the connection dropping, the version is read again
    at least every WATCH_LEASE_SECONDS."""
    monkeypatch.setattr(caching, "WATCH_LEASE_SECONDS", 0.2)
    mission, _, _ = record_pages()
    assert "renamed" not in visitor.get("/en/missions/chang-e-6/").content.decode()
    Mission.objects.filter(pk=mission.pk).update(name="Chang'e-6 (renamed)")
    redis.delete(caching.cache.make_and_validate_key(caching.STATE_KEY))  # and not announced
    time.sleep(0.3)
    assert "renamed" in visitor.get("/en/missions/chang-e-6/").content.decode()


class Parts:
    """caching.remember() within a page request under a given content version, noting each value
    it had to compute."""

    def __init__(self):
        self.computed = []

    def remember(self, meaning, version="v1"):
        with caching.request_version(("page", version)):
            return caching.remember("test", meaning, lambda: self.computed.append(meaning) or f"{meaning}@{version}")


def test_this_processs_copies_keep_to_their_bound_and_their_version(settings):
    """Copies made under one content version answer without the shared cache, never under
    another version; those asked for again are kept, the least recently used going first once
    the "local" cache is full."""
    from django.core.cache import cache

    settings.CACHES = {**settings.CACHES, "local": {**settings.CACHES["local"], "OPTIONS": {"MAX_ENTRIES": 3}}}
    parts = Parts()
    assert parts.remember("a", "v1") == "a@v1"
    cache.clear()  # the shared cache forgets: this process's copy answers
    assert parts.remember("a", "v1") == "a@v1" and parts.computed == ["a"]
    assert parts.remember("a", "v2") == "a@v2" and parts.computed == ["a", "a"]  # the content changed since
    for meaning in "bcde":
        parts.remember(meaning, "v2")
        parts.remember(meaning, "v2")  # asked for again: in use
    cache.clear()
    assert parts.remember("e", "v2") == "e@v2" and len(parts.computed) == 6  # kept: used last
    assert parts.remember("b", "v2") == "b@v2" and parts.computed[-1] == "b"  # the least recently used, gone


def test_parts_asked_for_once_never_push_out_the_parts_in_use(settings, monkeypatch):
    """A sweep through records or filters renders parts that no other page asks for: they wait
    among the first renders, which only push out each other, and the home page's parts stay."""
    from django.core.cache import cache

    settings.CACHES = {**settings.CACHES, "local": {**settings.CACHES["local"], "OPTIONS": {"MAX_ENTRIES": 20}}}
    monkeypatch.setattr(caching._first_parts, "size", 3)
    parts = Parts()
    parts.remember("home")
    parts.remember("home")  # asked for again: in use
    for number in range(30):
        parts.remember(f"record-{number}")
    # Without Redis the shared cache is another local-memory cache, bounded and swept alike.
    cache.clear()
    assert parts.remember("home") == "home@v1" and parts.computed.count("home") == 1
    parts.remember("record-0")
    assert parts.computed.count("record-0") == 2  # pushed out by the later ones: rendered again


def test_one_off_addresses_never_push_out_the_pages_in_use(visitor, settings, monkeypatch):
    """A page enters this process's cache of pages in use when it is asked for again; until
    then it waits among the first renders, which only push out each other."""
    settings.CACHES = {**settings.CACHES, "local": {**settings.CACHES["local"], "OPTIONS": {"MAX_ENTRIES": 20}}}
    monkeypatch.setattr(caching._first_renders, "size", 3)
    make_mission(name="Chang'e-6")
    renders = []
    cache_entry = caching.cache_entry
    monkeypatch.setattr(caching, "cache_entry", lambda response: renders.append(response) or cache_entry(response))
    in_use = visitor.get("/en/missions/")
    assert visitor.get("/en/missions/").content == in_use.content and len(renders) == 1  # asked for again
    visitor.get("/en/partners/")  # rendered once, not asked for again yet
    for number in range(30):
        visitor.get(f"/en/missions/?utm_source=mail-{number}")
    assert len(renders) == 32
    assert visitor.get("/en/missions/").content == in_use.content and len(renders) == 32  # still held
    visitor.get("/en/partners/")
    assert len(renders) == 33  # pushed out by the one-off addresses: rendered again


def test_a_repeat_search_reads_nothing_and_each_question_keeps_its_own_answer(visitor):
    record_pages()
    make_partner(name="France", slug="france", country="FR", region="europe")
    first = visitor.get("/en/search/?q=Pakistan").content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = visitor.get("/en/search/?q=++Pakistan+&utm_source=newsletter").content.decode()
    assert queries.captured_queries == []  # not even a transaction
    assert again.partition("<main")[2].count("ICUBE-Q") == first.partition("<main")[2].count("ICUBE-Q") > 0
    france = visitor.get("/en/search/?q=France").content.decode()
    assert "1 partner matches “France”" in france and "ICUBE-Q" not in france
    chinese = visitor.get("/zh-hans/search/?q=Pakistan").content.decode()
    assert "ICUBE-Q" in chinese and "partner matches" not in chinese


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


# Two app servers sharing one PostgreSQL and one Redis, as in production.


@pytest.fixture
def two_app_servers(transactional_db):
    if connection.vendor != "postgresql" or "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        pytest.skip("Needs PostgreSQL and Redis (CI runs it with both: DATABASE_URL and CACHE_URL).")
    environment = server_environment()
    with gunicorn(environment) as first, gunicorn(environment) as second:
        yield [first, second]


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


def test_a_subscription_that_reconnects_by_itself_reports_what_it_may_have_missed(redis):
    """redis-py reconnects and subscribes again without a word when its pool retries on errors
    (an OPTIONS choice): announcements made meanwhile are lost, so the feed says "changed"."""
    from redis import ConnectionPool
    from redis.backoff import NoBackoff
    from redis.exceptions import ConnectionError
    from redis.retry import Retry

    from publishing.redis_cache import ChangeFeed

    pool = ConnectionPool.from_url(
        settings.CACHES["default"]["LOCATION"], retry_on_error=[ConnectionError], retry=Retry(NoBackoff(), 1)
    )
    feed = ChangeFeed("test-channel", connection_pool=pool)
    assert feed.changed() and not feed.changed()  # nothing was known before it started
    redis.client_kill_filter(_type="pubsub")
    assert feed.changed() and not feed.changed()
    redis.publish("test-channel", b"")
    assert feed.changed() and not feed.changed()
    feed.close()


def test_entries_stored_together_keep_their_expiry_and_a_zero_timeout_forgets_them(redis):
    from django.core.cache import cache

    cache.set_many({"first": 1, "second": [2]}, timeout=60)
    assert cache.get_many(["first", "second"]) == {"first": 1, "second": [2]}
    assert 55 < redis.ttl(cache.make_and_validate_key("second")) <= 60
    cache.set_many({"first": 1}, timeout=0)  # as Django's set(): expired at once
    assert cache.get_many(["first", "second"]) == {"second": [2]}


# A deploy: app servers of the next release share the cache with those of the previous one.


def test_after_a_deploy_pages_show_the_new_templates_and_both_releases_see_each_change(visitor, settings, tmp_path):
    record_pages()
    settings.RELEASE = "previous"
    assert "Deployed today" not in visitor.get("/en/missions/chang-e-6/").content.decode()
    # The next release's template, on an app server that starts with nothing of its own.
    name = "missions/includes/_mission_body.html"
    (tmp_path / name).parent.mkdir(parents=True)
    (tmp_path / name).write_text("<p>Deployed today</p>" + (settings.BASE_DIR / "templates" / name).read_text())
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    settings.RELEASE = "next"
    assert "Deployed today" in visitor.get("/en/missions/chang-e-6/").content.decode()
    # A change made on a server of either release is seen by the other at once.
    mission = Mission.objects.get(slug="chang-e-6")
    mission.name = "Chang'e-6 sample return"
    mission.save()
    settings.RELEASE = "previous"
    assert "Chang&#x27;e-6 sample return" in visitor.get("/en/missions/chang-e-6/?old").content.decode()


def test_the_release_is_named_by_the_deploy_or_else_by_the_source_files(settings, tmp_path):
    from publishing import release

    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "page.html"
    template.write_text("<p>before</p>")
    manifest = tmp_path / "staticfiles.json"
    before = release.source_digest(tmp_path, extra=[manifest])
    assert release.source_digest(tmp_path, extra=[manifest]) == before  # the same files: the same release
    template.write_text("<p>after</p>")
    assert release.source_digest(tmp_path, extra=[manifest]) != before
    manifest.write_text('{"paths": {"site.css": "site.0123abcd.css"}}')  # a static file changed
    assert release.source_digest(tmp_path, extra=[manifest]) not in (before, release.source_digest(tmp_path))

    settings.RELEASE = "v2026.11.27"  # DJANGO_RELEASE
    assert release.current() == "v2026.11.27"
