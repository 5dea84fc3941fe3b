"""What the page cache keeps for an answer is the answer as sent, not what made it: an entry is
unpickled on every hit, and its size is taken from Redis's memory."""

import pytest
from django.core.cache import cache

from tests.factories import make_mission

pytestmark = pytest.mark.django_db


def cached_entries() -> list[bytes]:
    """The pickled responses in the local-memory cache the tests use."""
    return [value for key, value in cache._cache.items() if ":response:" in key]


@pytest.mark.parametrize("address", ["/api/v1/missions/", "/en/missions/"])
def test_a_cached_answer_takes_about_its_own_size(client, address):
    for number in range(40):
        make_mission(name=f"Lunar mission {number}", slug=f"lunar-mission-{number}")
    cache.clear()
    response = client.get(address, HTTP_ACCEPT_ENCODING="identity")
    assert response.status_code == 200
    [entry] = cached_entries()
    assert len(entry) < 2 * len(response.content) + 10_000
