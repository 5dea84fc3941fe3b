"""Feeds, the sitemap and the detail pages with their history and citation run the same number
of queries however much content and history there is. Intended to prevent N+1 queries.

The counts include the savepoint and its release that ATOMIC_REQUESTS wraps around each request."""

import pytest
import reversion

from missions.models import Mission
from partners.models import Partner
from tests.query_counts import assert_queries_do_not_grow
from tests.site.test_query_counts import build

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

PAGES = {
    "/en/feed/": 9,
    "/zh-hans/feed/": 9,
    "/en/missions/big-0/feed/": 6,
    "/en/partners/pakistan/feed/": 8,
    "/en/partners/land-0/feed/": 8,
    "/sitemap.xml": 4,
    "/robots.txt": 2,
    "/en/missions/big-0/": 14,
    "/zh-hans/missions/big-0/": 14,
    "/en/partners/pakistan/": 12,
    "/en/partners/land-0/": 12,
    "/en/missions/big-0/cite.bib": 4,
    "/en/partners/pakistan/cite.bib": 4,
}


def with_history(start: int, rows: int, pakistan):
    """Saves recorded as the admin records them: each mission and partner a few times, and
    each payload once on its own."""
    for instance in [
        *Mission.objects.filter(slug__in=[f"big-{n}" for n in range(start, start + rows)]),
        *Partner.objects.filter(slug__in=[f"land-{n}" for n in range(start, start + rows)]),
        pakistan,
    ]:
        for number in range(3):
            with reversion.create_revision():
                instance.summary = f"Summary, take {start}-{number}."
                instance.save()
        if isinstance(instance, Mission):
            for payload in instance.payloads.all():  # a payload saved on its own page
                with reversion.create_revision():
                    payload.purpose = f"Purpose, take {start}."
                    payload.save()


def test_query_count_does_not_grow_with_content_or_history(client, pakistan):
    build(pakistan, start=0, rows=3)
    with_history(0, 3, pakistan)

    def grow():
        build(pakistan, start=3, rows=40)
        with_history(3, 40, pakistan)

    assert_queries_do_not_grow(client, PAGES, grow, rows="43 missions and their history")
