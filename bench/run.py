#!/usr/bin/env python
"""Benchmark: the production stack on a large synthetic dataset, driven by wrk on loopback, every
row a ratio to bare Django on the same machine in the same run.

    make bench                      # 10,000 missions, 16 connections; about 5 minutes
    make bench-smoke                # 300 missions, 2 s a row; fails on any error
    .venv/bin/python bench/run.py --help

1. Builds the dataset (bench/seed.py) in a database of its own: bench/bench.sqlite3 by default
   (bench/smoke.sqlite3 for the smoke run), or the PostgreSQL database DATABASE_URL names; a
   database whose name lacks "bench" is never written to: "<name>_bench" is used (and created)
   instead. A dataset of the same size is reused; --rebuild builds it again.
2. In this process: the SQL queries of each page, and how long a cold record page takes to render
   (Django's test client, page cache off, a different record each time).
3. Serves it all with gunicorn, the same settings for every server (sync workers, --workers):
   - the reference, bare Django (bench/hello: one view, no middleware, no database);
   - the site (DJANGO_DEBUG=0, WhiteNoise, the page cache as configured: CACHE_URL or each
     worker's memory);
   - the site again with its page cache off (DJANGO_PAGE_CACHE_SECONDS=0), logging each request
     with its number of queries, for the cold rows;
   - nginx with deploy/nginx.conf in front of the site, with its proxy cache.
   wrk (bench/report.lua) drives each row at each connection count, asking for gzip as browsers do.
4. Prints what each row measures, a table, which targets each row meets, and writes the same as
   JSON to bench/results/. Exit status 1 when any response was not 2xx, any socket error occurred,
   or a cold row was not rendered from the database every time.
"""

import argparse
import datetime
import json
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import nginx, wrk  # noqa: E402
from bench.server import HELLO, ServerError, gunicorn  # noqa: E402  (after the path above, for `python bench/run.py`)

RESULTS = ROOT / "bench" / "results"
MARKER_TABLE = "bench_dataset"

# Targets of issue 22: on the 10,000-mission dataset, 2 workers, 16 connections, in one run.
TARGET_CONNECTIONS = 16
TARGET_WORKERS = 2
TARGET_WORKER_MB = 200
TARGET_RENDER_MEDIAN_MS = 8
# What wrk sends (bench/report.lua), as browsers do: nginx keeps a copy per value of this header.
ACCEPT_ENCODING = "gzip, deflate, br"
BROWSER_GZIP = {"HTTP_ACCEPT_ENCODING": ACCEPT_ENCODING}


@dataclass(frozen=True)
class Target:
    """What a row must reach at TARGET_CONNECTIONS: a throughput ratio to the reference, a p99."""

    ratio: float | None = None
    p99_ms: float | None = None
    why: str = ""

    def misses(self, row: dict) -> list[str]:
        misses = []
        if self.ratio is not None and row["ratio"] < self.ratio:
            misses.append(f"ratio {row['ratio']:.3f} < {self.ratio}")
        if self.p99_ms is not None and row["p99_ms"] >= self.p99_ms:
            misses.append(f"p99 {row['p99_ms']:.0f} ms >= {self.p99_ms} ms")
        return misses

    def __str__(self) -> str:
        parts = [f">={self.ratio}x" if self.ratio is not None else "", f"p99<{self.p99_ms}ms" if self.p99_ms else ""]
        return ", ".join(part for part in parts if part) or "-"


# What each kind of row measures, printed above the table.
KINDS = {
    "reference": "bare Django (bench/hello): one view, no middleware, no database; every ratio is to it",
    "floor": "/healthz through the site's whole middleware stack: no template, no database, never cached",
    "cached": "straight from gunicorn, answered from the site's page cache (warm: asked for before)",
    "cold": "straight from gunicorn with the page cache off: another record each request, rendered from "
    "the database every time (the server logs each request's queries: 'queries' is their median, "
    "and a request with none fails the run)",
    "nginx": "through nginx (deploy/nginx.conf) in front of the site, warm: 'nginx hits' is the share of "
    "requests nginx answered from its proxy cache without asking gunicorn (a copy expires after "
    "DJANGO_SHARED_CACHE_SECONDS and one request asks again)",
    "nginx static": "a static file sent by nginx itself (gzip_static): what nginx alone does on this machine",
}
SERVERS = {"reference": "hello", "floor": "site", "cached": "site", "cold": "cold", "nginx": "nginx"}


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    kind: str
    target: Target = Target()
    # For "cold": the addresses it goes round, another each request.
    paths: tuple[str, ...] = field(default=(), repr=False)

    @property
    def server(self) -> str:
        return SERVERS.get(self.kind, "nginx")


def endpoints(missions: int | None = None, partner_slugs: tuple[str, ...] = ("pakistan",)) -> list[Endpoint]:
    from bench.seed import DETAIL_MISSION_NUMBER, DatasetSize, mission_slug

    missions = missions or DatasetSize().missions
    mission = f"/en/missions/{mission_slug(DETAIL_MISSION_NUMBER)}/"
    # "No slower than today's" (issue 22): home and lists 0.48x, record pages 0.75x.
    listing, record = Target(ratio=0.48, why="no slower than before"), Target(ratio=0.75, why="no slower than before")
    cached = [
        ("home", "/en/", listing),
        ("missions", "/en/missions/", listing),
        ("mission", mission, record),
        ("partner", "/en/partners/pakistan/", record),
        ("search", "/en/search/?q=Pakistan", listing),
        ("API list", "/api/v1/missions/", listing),
    ]
    cold = Target(ratio=0.05, p99_ms=250)
    through_nginx = Target(ratio=10)
    mission_paths = tuple(f"/en/missions/{mission_slug(number)}/" for number in range(1, missions + 1))
    partner_paths = tuple(f"/en/partners/{slug}/" for slug in partner_slugs)
    return [
        Endpoint("bare Django", "/", "reference"),
        Endpoint("healthz", "/healthz", "floor"),
        *(Endpoint(name, path, "cached", target) for name, path, target in cached),
        Endpoint("mission, cold", mission_paths[0], "cold", cold, paths=mission_paths),
        Endpoint("partner, cold", partner_paths[0], "cold", cold, paths=partner_paths),
        *(
            # The API is never kept by nginx (each answer counts towards the client's rate limit).
            Endpoint(f"{name} via nginx", path, "nginx", through_nginx if name != "API list" else Target())
            for name, path, _ in cached
        ),
        Endpoint("static file via nginx", "/static/css/site.css", "nginx static"),
    ]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--smoke",
        action="store_true",
        default=os.environ.get("BENCH_SMOKE", "") not in ("", "0"),
        help="small dataset, 16 connections, 2 s a page (also BENCH_SMOKE=1)",
    )
    parser.add_argument("--rebuild", action="store_true", help="build the dataset again even if it exists")
    parser.add_argument(
        "--lighthouse", action="store_true", help="then the Lighthouse scores of the key pages (bench/lighthouse.py)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 2,
        help=f"gunicorn sync workers (default: the CPU count; the targets assume {TARGET_WORKERS})",
    )
    parser.add_argument("--seconds", type=float, help="wrk duration per row and connection count (default 8; smoke 2)")
    parser.add_argument("--connections", help=f"comma-separated connection counts (default {TARGET_CONNECTIONS})")
    parser.add_argument(
        "--renders", type=int, help="records rendered in this process for the cold render time (default 200; smoke 30)"
    )
    parser.add_argument("--missions", type=int, help="dataset size (default 10,000; smoke 300)")
    parser.add_argument("--payloads", type=int)
    parser.add_argument("--partners", type=int)
    parser.add_argument("--agreements", type=int)
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", ""), help="default: DATABASE_URL, else SQLite"
    )
    args = parser.parse_args(argv)
    args.seconds = args.seconds or (2 if args.smoke else 8)
    args.connections = [int(count) for count in (args.connections or str(TARGET_CONNECTIONS)).split(",")]
    args.renders = args.renders or (30 if args.smoke else 200)
    return args


def dataset_size(args):
    from bench.seed import DatasetSize

    base = DatasetSize.smoke() if args.smoke else DatasetSize()
    overrides = {name: getattr(args, name) for name in ("missions", "payloads", "partners", "agreements")}
    return DatasetSize(**{**base.__dict__, **{name: value for name, value in overrides.items() if value}})


def bench_database_url(args) -> str:
    """The benchmark's own database: never the project's db.sqlite3 or a database without
    "bench" in its name, which the benchmark empties when it rebuilds the dataset."""
    url = args.database_url
    if not url:
        return f"sqlite:///{ROOT / 'bench' / ('smoke.sqlite3' if args.smoke else 'bench.sqlite3')}"
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme.startswith("sqlite"):
        if "bench" not in Path(name).name:
            sys.exit(f"Refusing to use {url} for the benchmark: its SQLite file name must contain 'bench'.")
        return url
    if "bench" in name:
        return url
    bench_url = urlunsplit(parts._replace(path=f"/{name}_bench"))
    create_postgresql_database(url, f"{name}_bench")
    return bench_url


def create_postgresql_database(url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created PostgreSQL database {name}")


def configure_django(database_url: str) -> dict:
    """The environment of the production settings, for this process and for gunicorn."""
    environment = {
        "DJANGO_SETTINGS_MODULE": "lunarportal.settings",
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_LOG_LEVEL": "WARNING",
        # A line per request to this terminal would cost more than the pages themselves.
        "DJANGO_REQUEST_LOG_LEVEL": "WARNING",
        # Plain http on loopback: in production TLS ends at the proxy in front.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_ALLOW_INSECURE": "1",
        # The API's anonymous rate limit (120/minute by default) would answer nearly every
        # benchmark request with 429: every wrk connection comes from 127.0.0.1.
        "DJANGO_API_ANON_RATE": "100000000/second",
    }
    os.environ.update(environment)
    import django

    django.setup()
    return {**os.environ, **environment}


def stored_dataset() -> dict | None:
    from django.db import connection

    if MARKER_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT spec FROM {MARKER_TABLE}")  # noqa: S608 (a constant)
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def record_dataset(spec: dict) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (spec TEXT NOT NULL)")
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")
        cursor.execute(f"INSERT INTO {MARKER_TABLE} (spec) VALUES (%s)", [json.dumps(spec, sort_keys=True)])


def empty_database() -> None:
    """Remove the previous dataset: the SQLite file goes; PostgreSQL's content tables are
    truncated (with everything that refers to them), keeping the rows migrations created."""
    from django.db import connection, connections

    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        connections.close_all()
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        return
    from missions.models import Mission
    from partners.models import Agreement, CooperationProject, Partner

    tables = [model._meta.db_table for model in (Partner, Mission, Agreement, CooperationProject)]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {MARKER_TABLE}")
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def prepare_dataset(size, rebuild: bool) -> dict:
    from django.core.management import call_command, get_commands
    from django.db import connection

    from bench.seed import seed
    from missions.models import Mission

    spec = {**size.as_dict(), "search_index": "rebuild_search_index" in get_commands()}
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    if not rebuild and stored_dataset() == spec and Mission.objects.count() == size.missions:
        print(f"dataset: reusing the {size.missions:,} missions already in {describe_database()} (--rebuild to redo)")
        return {"reused": True, "seconds": round(time.monotonic() - started, 1)}
    print(
        f"dataset: building {size.missions:,} missions, {size.payloads:,} payloads, {size.partners} partners, "
        f"{size.agreements:,} agreements and {size.projects} projects in {describe_database()}"
    )
    empty_database()
    call_command("migrate", verbosity=0, interactive=False)
    seed(size)
    record_dataset(spec)
    seconds = time.monotonic() - started
    print(f"dataset: ready in {seconds:.0f} s{' (over the 2-minute target)' if seconds > 120 else ''}")
    connection.close()
    return {"reused": False, "seconds": round(seconds, 1)}


def describe_database() -> str:
    from django.db import connection

    return f"{connection.vendor} {Path(str(connection.settings_dict['NAME'])).name}"


def count_queries(pages: list[Endpoint]) -> dict[str, dict]:
    """Queries per request of each page, in this process against the same database: the second
    request of each, so that one-time work (the first connection, lazy imports) is left out. A
    cached page's second request is a cache hit (as under wrk); a cold one is rendered."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False, **BROWSER_GZIP)
    counts = {}
    for endpoint in pages:
        if endpoint.server not in ("site", "cold") or endpoint.path in counts:
            continue
        with override_settings(PAGE_CACHE_SECONDS=0) if endpoint.kind == "cold" else nullcontext():
            client.get(endpoint.path)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(endpoint.path)
        counts[endpoint.path] = {"queries": len(queries), "status": response.status_code}
    return counts


class QueryTimer:
    """Counts and times the queries run through it (a database execute wrapper)."""

    def __init__(self):
        self.count, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


def time_cold_renders(endpoint: Endpoint, records: int) -> dict:
    """How long a cold record page takes in this process, WSGI and network aside: Django's test
    client through the whole middleware, page cache off, a different record each request, gzip
    accepted as browsers do; with its queries and the time they took."""
    from django.db import connection
    from django.test import Client, override_settings

    client = Client(HTTP_HOST="127.0.0.1", **BROWSER_GZIP)
    timings, queries, sql_ms = [], [], []
    with override_settings(PAGE_CACHE_SECONDS=0):
        for number, path in enumerate(endpoint.paths[: records + 3]):
            timer = QueryTimer()
            with connection.execute_wrapper(timer):
                started = time.perf_counter()
                response = client.get(path)
                elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code} in this process")
            if number >= 3:  # the first ones import and compile what the page needs
                timings.append(elapsed)
                queries.append(timer.count)
                sql_ms.append(timer.seconds * 1000)
    deciles = statistics.quantiles(timings, n=10) if len(timings) > 1 else timings * 9
    return {
        "endpoint": endpoint.name,
        "records": len(timings),
        "median_ms": round(statistics.median(timings), 1),
        "p90_ms": round(deciles[8], 1),
        "queries": statistics.median(queries),
        "sql_median_ms": round(statistics.median(sql_ms), 1),
    }


def warm_up(servers: dict, pages: list[Endpoint], workers: int) -> dict[str, int]:
    """A few requests per row, so that every worker has imported and compiled what the page needs
    (and the caches hold it) before it is measured; returns the status of each."""
    statuses = {}
    for endpoint in pages:
        # As wrk asks: caches keep a copy per encoding the client accepts.
        address = servers[endpoint.server] + endpoint.path
        request = urllib.request.Request(address, headers={"Accept-Encoding": ACCEPT_ENCODING})
        for _ in range(2 * workers):
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    statuses[endpoint.name] = response.status
            except urllib.error.HTTPError as error:
                statuses[endpoint.name] = error.code
    return statuses


def worker_peaks_mb(master_pid: int) -> dict[int, float]:
    """Peak resident memory (VmHWM) of each gunicorn worker, in MB."""
    peaks = {}
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    for pid in children.read_text().split() if children.exists() else []:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks[int(pid)] = round(int(line.split()[1]) / 1024, 1)
    return peaks


def wait_until_idle(addresses: list[str], workers: int, limit: float = 120) -> None:
    """Wait for the requests still queued from the previous run: wrk closes its connections when
    its time is up, but a sync worker still answers every request already accepted, and that
    backlog would slow the next row's measurement. Idle: one request per worker of each server,
    sent at once, all answer quickly."""

    def answers(address):
        started = time.monotonic()
        with urllib.request.urlopen(address, timeout=limit) as response:
            response.read()
        return time.monotonic() - started

    deadline = time.monotonic() + limit
    with ThreadPoolExecutor(workers) as pool:
        for address in addresses:
            while time.monotonic() < deadline:
                if max(pool.map(answers, [address] * workers)) < 0.25:
                    break


class LogTail:
    """The lines a server adds to its log file from now on."""

    def __init__(self, path: Path):
        self.path = path
        self.offset = path.stat().st_size if path.exists() else 0

    def new_lines(self) -> list[str]:
        with self.path.open("rb") as log:
            log.seek(self.offset)
            text = log.read()
        self.offset += len(text)
        return text.decode(errors="replace").splitlines()


def rendered_requests(lines: list[str], prefix: str) -> dict:
    """What the cold server's request log says of the requests under `prefix`: how many, their
    queries (median, least) and the share with none (served without a render)."""
    queries = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and str(entry.get("path", "")).startswith(prefix) and "queries" in entry:
            queries.append(entry["queries"])
    if not queries:
        return {"logged": 0, "queries": None, "least_queries": None, "unrendered": 0}
    return {
        "logged": len(queries),
        "queries": statistics.median(queries),
        "least_queries": min(queries),
        "unrendered": sum(1 for count in queries if count == 0),
    }


def nginx_hits(lines: list[str], path: str) -> dict:
    """The share of the requests for `path` that nginx answered from its cache without asking an
    app server (a HIT, or a copy being updated by another request), and what its cache did."""
    asked = [line for line in lines if f'"GET {path} HTTP/1.1"' in line]
    statuses = Counter(line.split(" cache=", 1)[1].split(" ", 1)[0] for line in asked if " cache=" in line)
    by_nginx = sum(1 for line in asked if " upstream=- " in line)
    return {
        "logged": len(asked),
        "nginx_hit_share": round(by_nginx / len(asked), 4) if asked else None,
        "nginx_cache_statuses": dict(statuses),
    }


@dataclass
class Stack:
    """The running servers: base address of each, and what to read from them."""

    bases: dict
    gunicorns: list
    cold_log: Path
    nginx_log: Path | None

    def worker_peaks(self) -> dict[int, float]:
        peaks = {}
        for server in self.gunicorns:
            peaks.update(worker_peaks_mb(server.process.pid))
        return peaks


def measure(stack: Stack, pages: list[Endpoint], args) -> list[dict]:
    rows = []
    total_runs, started = len(args.connections) * (len(pages) + 1), time.monotonic()
    idle_addresses = [stack.bases["hello"] + "/", stack.bases["site"] + "/healthz", stack.bases["cold"] + "/healthz"]

    def run_wrk(endpoint: Endpoint, connections: int, done: int) -> dict:
        # The time left from the pace so far: each run is wrk's fixed time plus the wait for
        # the previous run's backlog, which grows with the page's slowness.
        elapsed = time.monotonic() - started
        left = f"about {elapsed / done * (total_runs - done):.0f} s left" if done else "estimating"
        print(f"  [{done + 1:>2}/{total_runs}] {connections} connections: {endpoint.name} ({left})", flush=True)
        wait_until_idle(idle_addresses, args.workers)
        cold_log, nginx_log = LogTail(stack.cold_log), stack.nginx_log and LogTail(stack.nginx_log)
        result = wrk.run(stack.bases[endpoint.server] + endpoint.path, connections, args.seconds, paths=endpoint.paths)
        if endpoint.kind == "cold":
            result.update(rendered_requests(cold_log.new_lines(), os.path.commonprefix(endpoint.paths)))
        elif endpoint.server == "nginx":
            time.sleep(1.2)  # nginx writes its log every second
            result.update(nginx_hits(nginx_log.new_lines(), endpoint.path))
        result["worker_peak_mb"] = max(stack.worker_peaks().values(), default=None)
        return result

    for level, connections in enumerate(args.connections):
        done = level * (len(pages) + 1)
        # The reference is measured first and again last; its mean is what the rows are
        # compared with, so that a slow drift of the machine's load evens out.
        reference_runs = [run_wrk(pages[0], connections, done)]
        measured = [
            (endpoint, run_wrk(endpoint, connections, done + number)) for number, endpoint in enumerate(pages[1:], 1)
        ]
        reference_runs.append(run_wrk(pages[0], connections, done + len(pages)))
        reference = dict(reference_runs[1])
        reference["requests_per_second"] = round(sum(run["requests_per_second"] for run in reference_runs) / 2, 1)
        for name in ("p50_ms", "p99_ms"):
            reference[name] = max(run[name] for run in reference_runs)
        for name in ("requests", "non_2xx", "socket_errors"):
            reference[name] = sum(run[name] for run in reference_runs)
        reference["reference_runs_rps"] = [run["requests_per_second"] for run in reference_runs]
        floor = reference["requests_per_second"] or 1
        for endpoint, result in [(pages[0], reference), *measured]:
            rows.append(
                {
                    "endpoint": endpoint.name,
                    "path": endpoint.path
                    if not endpoint.paths
                    else f"{endpoint.path} and {len(endpoint.paths) - 1} more",
                    "kind": endpoint.kind,
                    "server": endpoint.server,
                    "target": str(endpoint.target),
                    "target_spec": {"ratio": endpoint.target.ratio, "p99_ms": endpoint.target.p99_ms},
                    "connections": connections,
                    **{"queries": None, **result},
                    "ratio": round(result["requests_per_second"] / floor, 3),
                }
            )
    return rows


def check_targets(rows: list[dict], workers: dict[int, float], renders: list[dict]) -> list[str]:
    """Each target of issue 22 the run misses, in words; marks each row's own misses. Errors and a
    cold row served without a render are misses at any connection count."""
    misses = []
    for row in rows:
        row["misses"] = []
        if row["non_2xx"] or row["socket_errors"]:
            row["misses"].append("errors")
        if not row["requests"]:
            row["misses"].append("no response within the run")
        if row["kind"] == "cold" and (row.get("unrendered") or not row.get("logged")):
            row["misses"].append(
                f"not rendered every time ({row.get('unrendered')} of {row.get('logged')} without a query)"
            )
        if row["connections"] == TARGET_CONNECTIONS:
            spec = row.get("target_spec") or {}
            row["misses"] += Target(spec.get("ratio"), spec.get("p99_ms")).misses(row)
        for miss in row["misses"]:
            misses.append(f"{row['endpoint']} at {row['connections']} connections: {miss}")
    for pid, peak in workers.items():
        if peak > TARGET_WORKER_MB:
            misses.append(f"worker {pid} peaked at {peak} MB (target <= {TARGET_WORKER_MB} MB)")
    for render in renders:
        if render["median_ms"] > TARGET_RENDER_MEDIAN_MS:
            misses.append(
                f"{render['endpoint']}: median render {render['median_ms']} ms in process "
                f"(target <= {TARGET_RENDER_MEDIAN_MS} ms)"
            )
    return misses


def failed_runs(rows: list[dict]) -> list[dict]:
    """Rows whose measurement cannot stand: errors, or a cold row served without a render."""
    return [
        row for row in rows if row["non_2xx"] or row["socket_errors"] or any("rendered" in m for m in row["misses"])
    ]


def print_kinds(pages: list[Endpoint]) -> None:
    print("What each row measures:")
    for kind in dict.fromkeys(endpoint.kind for endpoint in pages):
        print(f"  {kind:13} {KINDS[kind]}")


def print_table(rows: list[dict]) -> None:
    header = (
        f"{'row':26} {'conns':>5} {'req/s':>9} {'ratio':>7} {'p50 ms':>7} {'p99 ms':>7} {'non2xx':>6} "
        f"{'sockerr':>7} {'queries':>7} {'nginx hits':>10} {'wkr MB':>6}  {'target':18} verdict"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        measured = row["connections"] == TARGET_CONNECTIONS
        if row["misses"]:
            verdict = "MISS " + "; ".join(row["misses"])
        elif row["target"] != "-" and measured:
            verdict = "meets"
        else:
            verdict = "reference" if row["kind"] == "reference" else ""
        queries = "-" if row.get("queries") is None else f"{row['queries']:g}"
        hits = "-" if row.get("nginx_hit_share") is None else f"{row['nginx_hit_share']:.2%}"
        print(
            f"{row['endpoint'][:26]:26} {row['connections']:>5} {row['requests_per_second']:>9.1f} "
            f"{row['ratio']:>7.3f} {row['p50_ms']:>7.1f} {row['p99_ms']:>7.1f} {row['non_2xx']:>6} "
            f"{row['socket_errors']:>7} {queries:>7} {hits:>10} {row['worker_peak_mb'] or 0:>6.0f}  "
            f"{row['target'] if measured else '':18} {verdict}"
        )


def print_renders(renders: list[dict]) -> None:
    print()
    print(
        "Cold record pages rendered in this process (test client, whole middleware, page cache off, "
        f"another record each request; target: median <= {TARGET_RENDER_MEDIAN_MS} ms):"
    )
    for render in renders:
        verdict = "meets" if render["median_ms"] <= TARGET_RENDER_MEDIAN_MS else "MISS"
        print(
            f"  {render['endpoint']:16} {render['records']:>4} records: median {render['median_ms']:>6.1f} ms, "
            f"p90 {render['p90_ms']:>6.1f} ms; {render['queries']:g} queries taking {render['sql_median_ms']} ms "
            f"(median)  {verdict}"
        )


def print_targets(misses: list[str], workers: dict[int, float], args, size) -> None:
    print()
    print(
        f"Targets (issue 22; {TARGET_WORKERS} workers, {TARGET_CONNECTIONS} connections, 10,000 missions): zero "
        f"non-2xx and socket errors; cached pages through nginx >= 10x the reference; cached pages from "
        f"gunicorn no slower than before (home and lists >= 0.48x, record pages >= 0.75x); cold record "
        f"pages >= 0.05x with p99 < 250 ms; median cold render <= {TARGET_RENDER_MEDIAN_MS} ms; every "
        f"worker <= {TARGET_WORKER_MB} MB."
    )
    print("Peak memory per worker (VmHWM): " + ", ".join(f"{pid}: {mb} MB" for pid, mb in workers.items()))
    if args.workers != TARGET_WORKERS or size.missions != 10_000:
        print(f"Note: {args.workers} workers, {size.missions:,} missions; the targets are defined for the above.")
    if misses:
        print(f"{len(misses)} target misses:")
        for miss in misses:
            print(f"  MISS {miss}")
    else:
        print("Every target met.")


def partner_slugs() -> tuple[str, ...]:
    from partners.models import Partner

    return tuple(Partner.objects.published().order_by("pk").values_list("slug", flat=True))


def start_stack(stack: ExitStack, environment: dict, workers: int, log_dir: Path, nginx_wanted: bool) -> Stack:
    from django.conf import settings

    hello = stack.enter_context(gunicorn(environment, workers=workers, app=HELLO))
    site = stack.enter_context(gunicorn(environment, workers=workers))
    cold_log = log_dir / "cold-server.log"
    cold_environment = {
        **environment,
        "DJANGO_PAGE_CACHE_SECONDS": "0",
        "DJANGO_REQUEST_LOG_LEVEL": "INFO",
        "DJANGO_LOG_FORMAT": "json",
    }
    cold = stack.enter_context(
        gunicorn(cold_environment, workers=workers, output=stack.enter_context(cold_log.open("a")))
    )
    bases = {"hello": hello.base, "site": site.base, "cold": cold.base}
    nginx_log = None
    if nginx_wanted:
        proxy = stack.enter_context(nginx.nginx([site.port], Path(settings.STATIC_ROOT), Path(settings.MEDIA_ROOT)))
        bases["nginx"] = proxy.base
        nginx_log = proxy.access_log
    return Stack(bases, [hello, site, cold], cold_log, nginx_log)


def main(argv=None) -> int:
    args = parse_args(argv)
    if not wrk.available():
        print(wrk.MISSING, file=sys.stderr)
        return 2
    nginx_wanted = nginx.available()
    if not nginx_wanted:
        print(f"{nginx.MISSING} The rows through nginx are left out.", file=sys.stderr)
    environment = configure_django(bench_database_url(args))
    from django.core.management import call_command
    from django.db import connection, connections

    vendor = connection.vendor
    size = dataset_size(args)
    dataset = prepare_dataset(size, args.rebuild)
    call_command("collectstatic", interactive=False, verbosity=0)
    pages = [page for page in endpoints(size.missions, partner_slugs()) if nginx_wanted or page.server != "nginx"]
    queries = count_queries(pages)
    print(f"rendering cold record pages in this process ({args.renders} records each)")
    renders = [time_cold_renders(page, args.renders) for page in pages if page.kind == "cold"]
    connections.close_all()

    try:
        with ExitStack() as stack:
            log_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
            running = start_stack(stack, environment, args.workers, log_dir, nginx_wanted)
            statuses = warm_up(running.bases, pages, args.workers)
            broken = {name: status for name, status in statuses.items() if not 200 <= status < 300}
            if broken:
                print(f"these rows do not answer 2xx before the measurement: {broken}", file=sys.stderr)
            print(f"wrk: {args.seconds:g} s per row, {', '.join(map(str, args.connections))} connections")
            rows = measure(running, pages, args)
            workers = running.worker_peaks()
    except ServerError as error:
        sys.exit(f"{error} See its messages above.")
    for row in rows:
        if row["server"] == "site":  # in this process; the cold rows' come from their server's log
            row["queries"] = queries.get(row["path"], {}).get("queries")

    misses = check_targets(rows, workers, renders)
    print()
    print(
        f"gunicorn {args.workers} sync workers per server, DEBUG off, {vendor}, page cache in "
        f"{environment.get('CACHE_URL') or 'each worker (no CACHE_URL)'}; {size.missions:,} missions, "
        f"{size.payloads:,} payloads, {size.partners} partners, {size.agreements:,} agreements; wrk "
        f"{args.seconds:g} s each, on {os.cpu_count()} CPUs shared with whatever else runs (load average "
        f"{', '.join(f'{load:.2f}' for load in os.getloadavg())})"
    )
    print_kinds(pages)
    print()
    print_table(rows)
    print_renders(renders)
    print_targets(misses, workers, args, size)
    path = write_results(args, vendor, size, dataset, rows, renders, workers, misses)
    print(f"\nWritten to {path.relative_to(ROOT)}")
    if args.lighthouse:  # on a demo site of its own; a score below 100 or a failed run makes the exit status 1 or 2
        from bench import lighthouse

        lighthouse_status = lighthouse.main(["--runs", "1" if args.smoke else "3"])
    failed = failed_runs(rows)
    if failed:
        print(
            f"FAILED: {len(failed)} runs had non-2xx responses, socket errors or unrendered cold pages.",
            file=sys.stderr,
        )
        return 1
    return lighthouse_status if args.lighthouse else 0


def write_results(args, vendor, size, dataset, rows, renders, workers, misses) -> Path:
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC)
    path = RESULTS / f"{stamp:%Y%m%d-%H%M%S}-{vendor}{'-smoke' if args.smoke else ''}.json"
    report = {
        "timestamp": stamp.isoformat(timespec="seconds"),
        "database": vendor,
        "cache": os.environ.get("CACHE_URL", ""),
        "smoke": args.smoke,
        "machine": {
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "gunicorn_workers": args.workers,
        "wrk_seconds": args.seconds,
        "dataset": {**size.as_dict(), **dataset},
        "measures": KINDS,
        "rows": rows,
        "cold_renders_in_process": renders,
        "worker_peak_mb": {str(pid): mb for pid, mb in workers.items()},
        "target_misses": misses,
    }
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":
    sys.exit(main())
