"""Counting a page's SQL queries, for the tests that prove each page's count stays constant."""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url) -> int:
    """The queries one GET of `url` runs (a streamed response, such as a CSV, runs them while it
    is sent); the page must answer 200."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


def assert_queries_do_not_grow(client, budgets: dict[str, int], grow: Callable[[], object], rows: str) -> None:
    """Each page of `budgets` runs as many queries after `grow()` has added rows as before, and
    no more than its budget. All pages are measured on the same data, built once; a failure names
    every page that grew or went over, not just the first."""
    for url in budgets:
        client.get(url)  # what is looked up once per process (content types) is not the page's cost
    few = {url: count_queries(client, url) for url in budgets}
    grow()
    many = {url: count_queries(client, url) for url in budgets}
    failures = [
        f"{url}: {few[url]} queries before, {many[url]} with {rows} (budget {budget})"
        for url, budget in budgets.items()
        if many[url] != few[url] or many[url] > budget
    ]
    # A page answered from the page cache runs no query, and would prove nothing (no_page_cache).
    failures += [f"{url}: no query, so nothing was measured" for url in budgets if not few[url]]
    assert not failures, "\n".join(failures)
