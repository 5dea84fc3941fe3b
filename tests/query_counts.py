"""Counting a page's SQL queries, for the tests that prove each page's count stays constant."""

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
