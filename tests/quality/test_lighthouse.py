"""Lighthouse gives 100 in performance, accessibility, best practices and SEO to the home, missions
list, mission detail, partner detail and search pages, in both languages, served by the production
stack (bench/lighthouse.py: gunicorn, DEBUG off, WhiteNoise, the demo content and a photograph).

Each page is run once; a page below 100 in any category is run twice more and judged on the
median of its three runs, as the issue asks (a shared machine's load only ever lowers a run's
score, so a run at 100 stands). `make bench` prints the full median of three for every page."""

import pytest

from bench import lighthouse

from .tools import require

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_site(chromium):
    require(lighthouse.LIGHTHOUSE.exists(), "Lighthouse (node_modules/.bin/lighthouse, npm ci)")
    with lighthouse.demo_site() as base:
        yield base


def test_every_key_page_scores_100_in_every_category(demo_site, capsys):
    results = lighthouse.measure(demo_site, runs=1, progress=lambda line: None)
    for page in results:
        if min(page.runs[0].values()) < 100:
            lighthouse.measure_page(page, runs=2, progress=lambda line: None)
    with capsys.disabled():
        print(f"\nLighthouse (each page once; three times when below 100, median):\n{lighthouse.table(results)}")
    misses = lighthouse.below_target(results)
    assert not misses, "Lighthouse below 100 (median of 3):\n" + "\n".join(misses)
