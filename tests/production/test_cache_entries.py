"""What the page cache keeps for an answer is the answer as sent, not what made it: an entry is
unpickled on every hit, and its size is taken from Redis's memory."""

import pytest
from django.core.cache import cache

from tests.factories import make_mission

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_memory_cache(settings):
    """A cache whose stored entries a test can read as they are kept (pickled), whatever CACHE_URL says."""
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def cached_entries() -> list[bytes]:
    return [value for key, value in cache._cache.items() if ":response:" in key]


@pytest.mark.parametrize("address", ["/api/v1/missions/", "/en/missions/"])
def test_a_cached_answer_takes_about_its_own_size(client, local_memory_cache, address):
    for number in range(40):
        make_mission(name=f"Lunar mission {number}", slug=f"lunar-mission-{number}")
    cache.clear()
    response = client.get(address, HTTP_ACCEPT_ENCODING="identity")
    assert response.status_code == 200
    [entry] = cached_entries()
    assert len(entry) < 2 * len(response.content) + 10_000
