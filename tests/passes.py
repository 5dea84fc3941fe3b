"""Which tests run in which pass, and which run together.

Two passes (Makefile, .ci/run):
- `make test`: every test, on SQLite with the local-memory cache: the developer's loop.
- `make test-postgres` (and CI after `make test`): the tests marked `database` again, on
  PostgreSQL with Redis. Those are the tests whose outcome can depend on the database or the cache
  server: full-text search, migrations, backups, imports (transactions), hostile input, query
  counts, caching, throttling counts, the two-app-server and proxy tests. Pages, pictures,
  parsing, settings, browser and Lighthouse tests run once.

A test is marked `database` when it lives under one of DATABASE_TESTS (a folder, a module, or a
module name in any folder), or carries `@pytest.mark.database` itself. A test that only runs on
PostgreSQL or Redis (it skips elsewhere) must be one of them, or it runs nowhere:
tools/check_passes.py, run by CI after both passes, fails when any collected test ran in neither.

Tests run in parallel (pytest-xdist, `--dist loadgroup`): the tests that share a server or an
expensive module-scoped set-up go to one worker together (group_of).
"""

import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent

DATABASE_TESTS = (
    "tests/search/",  # full text: SQLite's FTS5, PostgreSQL's tsvector and GIN index
    "tests/datasafety/",  # migrations, backups and restores (pg_dump on PostgreSQL)
    "tests/imports/",  # an import is written whole or not at all: transactions, constraints
    "tests/hostile/",  # hostile input goes down to the database (NUL bytes, huge numbers)
    "tests/api/test_drafts.py",  # drafts never leak through a filter or a search
    "tests/api/test_throttling.py",  # request counts kept in the shared cache (Redis)
    "tests/missions/test_views.py",  # filters, search and facet counts
    "tests/partners/test_models.py",  # matching names in any case and script, in SQL
    "tests/partners/test_views.py",
    "tests/production/test_caching.py",  # the shared cache, two app servers
    "tests/production/test_health.py",  # the database or the cache server down
    "tests/production/test_proxy.py",  # nginx in front of two app servers
    "tests/production/test_scale.py",  # query plans on a large database
    "tests/site/test_admin_scale.py",
    "tests/site/test_drafts.py",
    "tests/site/test_facets.py",  # counts by GROUP BY
    "tests/site/test_pagination.py",  # ordering
    "tests/site/test_search.py",
    "tests/site/test_workflow.py",  # saves refused when someone saved first (row locks)
    "test_query_counts.py",  # in any folder: the queries a page costs
)

GROUPS = ("browser", "backup-source", "app-servers", "hostile-records")


def group_of(item: pytest.Item) -> str | None:
    """The xdist group of a test that shares a set-up with others (one worker runs them all and
    sets it up once), or None."""
    path = item.path.relative_to(ROOT).as_posix()
    if path.startswith("tests/browser/"):
        return "browser"  # one Chromium and one gunicorn for the package, Lighthouse included
    if path == "tests/datasafety/test_backup_restore.py":
        return "backup-source"  # the module's site to back up and restore
    if path == "tests/security/test_xss.py":
        return "hostile-records"  # every payload's records, made once for the module's tests
    if "app_servers" in item.fixturenames:
        return "app-servers"  # tests/production/conftest.py: two gunicorns for the session
    return None


def is_database_test(item: pytest.Item) -> bool:
    path = item.path.relative_to(ROOT).as_posix()
    return any(
        path.startswith(rule) if rule.startswith("tests/") else item.path.name == rule for rule in DATABASE_TESTS
    )


@pytest.hookimpl(tryfirst=True)  # before `-m` selects, and before xdist reads the groups
def pytest_collection_modifyitems(items):
    for item in items:
        if is_database_test(item):
            item.add_marker(pytest.mark.database)
        group = group_of(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


def in_group(item: pytest.Item, group: str) -> bool:
    return any(mark.args[:1] == (group,) for mark in item.iter_markers("xdist_group"))


class LongGroupsFirst:
    """The two longest groups start first, one on each worker, while the other tests fill in
    around them, instead of one of them running last with the other worker idle: the browser
    tests (Lighthouse's runs above all), then the backup tests (their scratch sites touch no test
    database). pytest-django puts the tests that empty the database last, so that none empties it
    before a test that needs what the migrations put in it: the browser tests' own copy of the
    database is put away after them (tests/browser/conftest.py), so they can go first. xdist takes
    the work in this order (make test: --no-loadscope-reorder; its default would start with the
    largest groups, the two app servers' tests too, which empty the database)."""

    FIRST = ("browser", "backup-source")

    @pytest.hookimpl(trylast=True)  # after pytest-django's order
    def pytest_collection_modifyitems(self, items):
        def rank(item):
            group = group_of(item)
            return self.FIRST.index(group) if group in self.FIRST else len(self.FIRST)

        items.sort(key=rank)


def plain_nodeid(nodeid: str) -> str:
    """The test's id without the "@group" xdist adds under --dist loadgroup."""
    name, _, group = nodeid.rpartition("@")
    return name if name and group in GROUPS else nodeid


class OutcomeRecorder:
    """Writes {test id: outcome} to a JSON file at the end of the run (the controller's, under
    xdist), for tools/check_passes.py: "passed", "failed", "skipped" or "error"."""

    def __init__(self, path: Path):
        self.path = path
        self.outcomes: dict[str, str] = {}

    def pytest_runtest_logreport(self, report):
        nodeid = plain_nodeid(report.nodeid)
        if report.failed:
            self.outcomes[nodeid] = "failed" if report.when == "call" else "error"
        elif report.skipped and report.when in ("setup", "call"):
            self.outcomes[nodeid] = "xfailed" if hasattr(report, "wasxfail") else "skipped"
        elif report.when == "call" and nodeid not in self.outcomes:
            self.outcomes[nodeid] = "passed"

    def pytest_sessionfinish(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.outcomes, indent=0, sort_keys=True, ensure_ascii=False) + "\n")


def pytest_configure(config):
    config.pluginmanager.register(LongGroupsFirst(), "lunarportal-long-groups-first")
    path = os.environ.get("LUNARPORTAL_TEST_OUTCOMES")
    if path and not hasattr(config, "workerinput"):  # the controller, or a run without xdist
        config.pluginmanager.register(OutcomeRecorder(Path(path)), "lunarportal-outcomes")


class WorkerRedis:
    """A Redis server for each worker, on a free loopback port, as if each were a site of its own:
    another worker's content changes and emptied cache must not reach a test that expects the
    page it cached to be served. Stopped when the run ends."""

    def __init__(self):
        self.processes: list[subprocess.Popen] = []

    def start(self) -> int:
        from bench.server import free_port

        port = free_port()
        command = ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
        self.processes.append(subprocess.Popen(command, stdout=subprocess.DEVNULL))
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return port
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def pytest_unconfigure(self):
        for process in self.processes:
            process.terminate()
            process.wait(timeout=10)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_setupnodes(config, specs):
    """Under xdist with CACHE_URL=redis://…, each worker (and the servers it starts) gets a Redis of
    its own (WorkerRedis), with CACHE_URL's options."""
    url = urlsplit(os.environ.get("CACHE_URL", ""))
    if url.scheme != "redis" or not shutil.which("redis-server"):
        return
    servers = WorkerRedis()
    config.pluginmanager.register(servers, "lunarportal-worker-redis")
    for spec in specs:
        spec.env["CACHE_URL"] = urlunsplit(url._replace(netloc=f"127.0.0.1:{servers.start()}", path="/0"))


# The browser tests time pages (Lighthouse's scores, Total Blocking Time above all, fall when the
# page's scripts wait for a core), while the other worker's tests only need to finish. As root
# (CI), a worker runs the browser group at normal priority, so that the gunicorn, Chromium and
# Lighthouse it starts get a core when they ask; any other test at a lower one, which still
# uses every core left idle.
NICE_FOR_OTHER_TESTS = 10


@pytest.hookimpl(tryfirst=True)  # before the test's fixtures start a server or a browser
def pytest_runtest_setup(item):
    # pytest 9.2 with xdist 3.8 dropped the "@group" xdist schedules by (pytest-xdist issue
    # 1386): the groups were silently ignored, and each worker started its own browser and
    # servers. A grouped test without it fails, instead of running slowly unnoticed.
    if getattr(item.config.option, "loadgroup", False) and group_of(item) and "@" not in item.nodeid:
        pytest.fail(
            "--dist loadgroup ignored the xdist groups: pin a pytest and pytest-xdist pair that keeps"
            " them (requirements-dev.in)",
            pytrace=False,
        )
    if "PYTEST_XDIST_WORKER" not in os.environ or os.geteuid() != 0:
        return
    os.setpriority(os.PRIO_PROCESS, 0, 0 if in_group(item, "browser") else NICE_FOR_OTHER_TESTS)
