import gc
import itertools
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from publishing import caching

from . import factories
from .factories import make_mission, make_partner, make_payload

# Which tests run in which pass and which share a worker (tests/passes.py).
from .passes import (  # noqa: F401
    pytest_collection_modifyitems,
    pytest_configure,
    pytest_runtest_setup,
    pytest_xdist_setupnodes,
)

BROWSER_TESTS = Path(__file__).parent / "browser"

# The tests make and drop millions of short-lived objects (model instances, querysets, template
# contexts) and few reference cycles: with Python's default thresholds the collector ran so often
# that it took about a tenth of the suite's time. Objects alive now (Django, the apps, their
# modules) are moved out of its way for good.
gc.freeze()
gc.set_threshold(100_000, 50, 100)


@pytest.fixture(autouse=True)
def quick_password_hashing(request, settings):
    """Accounts made by a test are hashed with a fast hasher: Django's default is slow by design,
    and hundreds of tests make an account. Not where a server process checks the password (the
    browser tests log in through gunicorn, which has the real settings)."""
    if not request.node.path.is_relative_to(BROWSER_TESTS):
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads go to a temporary folder, never into the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def numbering_from_one(monkeypatch):
    """Factory numbers (names, slugs, launch dates) start at 1 in every test, whatever ran before:
    a test's data is the same alone or in the whole suite."""
    monkeypatch.setattr(factories, "_sequence", itertools.count(1))


@pytest.fixture(autouse=True)
def plain_static_names(settings):
    """Templates link static files by their plain names: the tests must not depend on whether,
    or how long ago, collectstatic last ran in this checkout (make serve tests the hashed names)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached pages, and a shared cache not known to be away: the
    database is rolled back between tests, the caches are not."""
    for each in (cache, caches["local"]):
        each.clear()
    caching._outage.__init__(retry_at=0.0, reported=False, copy_unsure=False)
    yield
    for each in (cache, caches["local"]):
        each.clear()
    caching._outage.__init__(retry_at=0.0, reported=False, copy_unsure=False)


@pytest.fixture
def no_page_cache(settings):
    """For tests that measure what rendering a page costs (query counts): every request renders.
    Caching itself is tested in tests/production/test_caching.py."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Each test starts in English. A request activates its page's language for the rest of the
    thread, and a translated field written in code (summary="…") goes to the active language."""
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def demo_database(django_db_setup, django_db_blocker):
    """The demo content, loaded once for a module whose tests all use it (loading it takes a
    second): the module's tests run inside a transaction that is rolled back after the last one,
    and what a test changes is undone after that test, as always. Only for modules whose every
    test asks for it: once loaded, the content is there for the module's later tests."""
    with django_db_blocker.unblock(), translation.override("en"), transaction.atomic():
        call_command("load_demo_content", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def pakistan(db):
    return make_partner(name="Pakistan", name_zh="巴基斯坦", slug="pakistan", country="PK", ilrs_member=True)


@pytest.fixture
def esa(db):
    return make_partner(name="European Space Agency", name_zh="欧洲航天局", slug="esa", acronym="ESA")


@pytest.fixture
def chang_e_6(pakistan, esa):
    mission = make_mission(
        name="Chang'e-6", name_zh="嫦娥六号", slug="chang-e-6", side="far", types=("orbiter", "lander", "sample_return")
    )
    make_payload(mission=mission, name="ICUBE-Q lunar CubeSat", acronym="ICUBE-Q", providers=[pakistan])
    make_payload(mission=mission, name="Negative Ions at the Lunar Surface", acronym="NILS", providers=[esa])
    return mission


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("eddie", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def publisher(django_user_model):
    user = django_user_model.objects.create_user("pat", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Publishers"))
    return user


@pytest.fixture
def publisher_client(client, publisher):
    client.force_login(publisher)
    return client
