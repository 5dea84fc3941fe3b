"""Lighthouse gives 100 in performance, accessibility, best practices and SEO to the home, missions
list, mission detail, partner detail and search pages, in both languages, served by the production
stack: the browser tests' gunicorn (DEBUG off, WhiteNoise), with the demo content and a photograph
(bench/lighthouse.py serves the same for `make bench`).

Each page is run once; a page below 100 in any category is run twice more and judged on the
median of its three runs, as the issue asks (a shared machine's load only ever lowers a run's
score, so a run at 100 stands). Lighthouse waits 250 ms for the page to go quiet, not its default
1 s (lighthouse.TEST_SETTLE_MS). `make bench` prints the full median of three for every page,
with Lighthouse's own waits."""

import pytest
from django.core.management import call_command

from bench import lighthouse
from tests.quality.tools import require

from .conftest import BROWSER_TEST

pytestmark = BROWSER_TEST


@pytest.fixture
def demo_site(site):
    require(lighthouse.CHROMIUM.is_file(), "Chromium (apt-get install chromium)")
    require(lighthouse.LIGHTHOUSE.exists(), "Lighthouse (node_modules/.bin/lighthouse, npm ci)")
    call_command("load_demo_content", verbosity=0)
    lighthouse.add_photograph("chang-e-6")
    return site.url


def test_every_key_page_scores_100_in_every_category(demo_site, capsys):
    quiet = {"progress": lambda line: None, "settle_ms": lighthouse.TEST_SETTLE_MS}
    results = lighthouse.measure(demo_site, runs=1, **quiet)
    below = [page for page in results if min(page.runs[0].values()) < 100]
    if below:
        lighthouse.measure_pages(below, runs=2, **quiet)
    with capsys.disabled():
        print(f"\nLighthouse (each page once; three times when below 100, median):\n{lighthouse.table(results)}")
    misses = lighthouse.below_target(results)
    assert not misses, "Lighthouse below 100 (median of 3):\n" + "\n".join(misses)
