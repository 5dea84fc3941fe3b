#!/usr/bin/env python
"""Benchmark: the production stack on a large synthetic dataset, driven by wrk on loopback.

    make bench                      # 10,000 missions; 16 and 64 connections; about 6 minutes
    make bench-smoke                # 300 missions, 16 connections, 2 s a page; fails on any error
    .venv/bin/python bench/run.py --help

1. Builds the dataset (bench/seed.py) in a database of its own: bench/bench.sqlite3 by default
   (bench/smoke.sqlite3 for the smoke run), or the PostgreSQL database DATABASE_URL names; a
   database whose name lacks "bench" is never written to: "<name>_bench" is used (and created)
   instead. A dataset of the same size is reused; --rebuild builds it again.
2. Counts the SQL queries of each page in this process (django.test.Client).
3. Serves the database with gunicorn (sync workers, DJANGO_DEBUG=0, WhiteNoise static files after
   collectstatic) and drives each page with wrk (bench/report.lua) at each connection count,
   asking for gzip as browsers do.
4. Prints a table, the targets of issue 6 and what misses them, and writes the same as JSON to
   bench/results/. Exit status 1 when any response was not 2xx or any socket error occurred.

Throughput is also given as a ratio to /healthz measured in the same run (no template, no
database: Django's floor on this machine). Absolute numbers drift on a shared machine; the
ratios hold much better.
"""

import argparse
import datetime
import json
import os
import platform
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import wrk  # noqa: E402
from bench.server import ServerError, gunicorn  # noqa: E402  (after the path above, for `python bench/run.py`)

RESULTS = ROOT / "bench" / "results"
MARKER_TABLE = "bench_dataset"

# Targets of issue 6, at 16 connections with 2 workers.
TARGET_CONNECTIONS = 16
TARGET_WORKERS = 2
TARGET_RATIO = {"cached": 0.8, "uncached": 0.3}
TARGET_P99_MS = 100
TARGET_WORKER_MB = 200


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    # "reference": the floor; "cached": a page every visitor shares (home, the unfiltered list,
    # the API's first page), to be served from the page cache; "uncached": one of many
    # variants (filters, details, searches) that often misses the page cache, measured with
    # a new address each request (what pages share by meaning, such as a record's parts, a
    # search's results or a card, stays warm); "cold": a new record each request, so that
    # its page is rendered from the database (no target: how a first visit costs).
    kind: str
    # For "cold": the path with NNNNN where the record's number goes, and how many there are.
    rotating_path: str = ""
    records: int = 0


def endpoints(missions: int | None = None) -> list[Endpoint]:
    from bench.seed import DETAIL_MISSION_NUMBER, DatasetSize, mission_slug

    missions = missions or DatasetSize().missions
    return [
        Endpoint("reference", "/healthz", "reference"),
        Endpoint("home", "/en/", "cached"),
        Endpoint("missions", "/en/missions/", "cached"),
        Endpoint("filtered missions", "/en/missions/?side=far&status=completed", "uncached"),
        Endpoint("mission detail", f"/en/missions/{mission_slug(DETAIL_MISSION_NUMBER)}/", "uncached"),
        Endpoint("partner detail", "/en/partners/pakistan/", "uncached"),
        Endpoint("search", "/en/search/?q=Pakistan", "uncached"),
        Endpoint("API list", "/api/v1/missions/", "cached"),
        Endpoint(
            "mission detail, another each request",
            f"/en/missions/{mission_slug(DETAIL_MISSION_NUMBER + 1)}/",
            "cold",
            rotating_path=f"/en/missions/{mission_slug(0).replace('00000', 'NNNNN')}/",
            records=missions,
        ),
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
    parser.add_argument("--seconds", type=float, help="wrk duration per page and connection count (default 8; smoke 2)")
    parser.add_argument("--connections", help="comma-separated connection counts (default 16,64; smoke 16)")
    parser.add_argument("--missions", type=int, help="dataset size (default 10,000; smoke 300)")
    parser.add_argument("--payloads", type=int)
    parser.add_argument("--partners", type=int)
    parser.add_argument("--agreements", type=int)
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", ""), help="default: DATABASE_URL, else SQLite"
    )
    args = parser.parse_args(argv)
    args.seconds = args.seconds or (2 if args.smoke else 8)
    args.connections = [int(count) for count in (args.connections or ("16" if args.smoke else "16,64")).split(",")]
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
    """Queries per request of each page, in this process against the same database: the
    second request of each, so that one-time work (the first connection, lazy imports) is left out.
    A cached page's second request is a cache hit (as under wrk); an uncached one is rendered."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    counts = {}
    for endpoint in pages:
        with override_settings(PAGE_CACHE_SECONDS=0) if endpoint.kind != "cached" else nullcontext():
            client.get(endpoint.path)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(endpoint.path)
        counts[endpoint.path] = {"queries": len(queries), "status": response.status_code}
    return counts


def warm_up(base: str, pages: list[Endpoint], workers: int) -> dict[str, int]:
    """A few requests per page, so that every worker has imported and compiled what the page
    needs before it is measured; returns the status of each page."""
    statuses = {}
    for endpoint in pages:
        for _ in range(2 * workers):
            try:
                with urllib.request.urlopen(base + endpoint.path, timeout=30) as response:
                    statuses[endpoint.path] = response.status
            except urllib.error.HTTPError as error:
                statuses[endpoint.path] = error.code
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


def wait_until_idle(base: str, workers: int, limit: float = 120) -> None:
    """Wait for the requests still queued from the previous run: wrk closes its connections when
    its time is up, but a sync worker still answers every request already accepted, and that
    backlog would slow the next page's measurement. Idle: one /healthz per worker, sent at once,
    all answer quickly."""

    def healthz(_):
        started = time.monotonic()
        with urllib.request.urlopen(f"{base}/healthz", timeout=limit) as response:
            response.read()
        return time.monotonic() - started

    deadline = time.monotonic() + limit
    with ThreadPoolExecutor(workers) as pool:
        while time.monotonic() < deadline:
            if max(pool.map(healthz, range(workers))) < 0.25:
                return


def measure(base: str, pages: list[Endpoint], args, server: subprocess.Popen, queries: dict) -> list[dict]:
    rows = []
    total_runs, started = len(args.connections) * (len(pages) + 1), time.monotonic()

    def run_wrk(path: str, connections: int, done: int, **options) -> dict:
        # The time left from the pace so far: each run is wrk's fixed time plus the wait for
        # the previous run's backlog, which grows with the page's slowness.
        elapsed = time.monotonic() - started
        left = f"about {elapsed / done * (total_runs - done):.0f} s left" if done else "estimating"
        print(f"  [{done + 1:>2}/{total_runs}] wrk, {connections} connections: {path} ({left})", flush=True)
        wait_until_idle(base, args.workers)
        return wrk.run(base + path, connections, args.seconds, **options)

    for level, connections in enumerate(args.connections):
        done = level * (len(pages) + 1)
        # The reference is measured first and again last; its mean is what the pages are
        # compared with, so that a slow drift of the machine's load evens out.
        reference_runs = [run_wrk(pages[0].path, connections, done)]
        measured = []
        for number, endpoint in enumerate(pages[1:], start=1):
            if endpoint.kind == "cold":
                options = {"rotate_over": endpoint.records}
                result = run_wrk(endpoint.rotating_path, connections, done + number, **options)
            else:
                result = run_wrk(endpoint.path, connections, done + number, uncached=endpoint.kind == "uncached")
            result["worker_peak_mb"] = max(worker_peaks_mb(server.pid).values(), default=None)
            measured.append((endpoint, result))
        reference_runs.append(run_wrk(pages[0].path, connections, done + len(pages)))
        reference = dict(reference_runs[1])
        reference["requests_per_second"] = round(sum(run["requests_per_second"] for run in reference_runs) / 2, 1)
        for name in ("p50_ms", "p99_ms"):
            reference[name] = max(run[name] for run in reference_runs)
        for name in ("requests", "non_2xx", "socket_errors"):
            reference[name] = sum(run[name] for run in reference_runs)
        reference["reference_runs_rps"] = [run["requests_per_second"] for run in reference_runs]
        reference["worker_peak_mb"] = max(worker_peaks_mb(server.pid).values(), default=None)
        floor = reference["requests_per_second"] or 1
        for endpoint, result in [(pages[0], reference), *measured]:
            rows.append(
                {
                    "endpoint": endpoint.name,
                    "path": endpoint.rotating_path or endpoint.path,
                    "kind": endpoint.kind,
                    "connections": connections,
                    **result,
                    "ratio": round(result["requests_per_second"] / floor, 3),
                    "queries": queries.get(endpoint.path, {}).get("queries"),
                }
            )
    return rows


def check_targets(rows: list[dict], workers: dict[int, float]) -> list[str]:
    """Each target of issue 6 the run misses, in words; marks each row's own misses."""
    misses = []
    for row in rows:
        row["misses"] = []
        if row["non_2xx"] or row["socket_errors"]:
            row["misses"].append("errors")
        if not row["requests"]:
            row["misses"].append("no response within the run")
        if row["connections"] == TARGET_CONNECTIONS and row["kind"] != "cold":  # first visits: no target
            wanted = TARGET_RATIO.get(row["kind"])
            if wanted and row["ratio"] < wanted:
                row["misses"].append(f"ratio<{wanted}")
            if row["p99_ms"] >= TARGET_P99_MS:
                row["misses"].append(f"p99>={TARGET_P99_MS}ms")
        for miss in row["misses"]:
            misses.append(f"{row['path']} at {row['connections']} connections: {miss}")
    for pid, peak in workers.items():
        if peak >= TARGET_WORKER_MB:
            misses.append(f"worker {pid} peaked at {peak} MB (target < {TARGET_WORKER_MB} MB)")
    return misses


def print_table(rows: list[dict]) -> None:
    header = (
        f"{'endpoint':42} {'conns':>5} {'req/s':>8} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'non2xx':>6} {'sockerr':>7} {'queries':>7} {'wkr MB':>6}  targets"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        if row["kind"] == "reference":
            verdict = "reference"
        elif row["kind"] == "cold" and not row["misses"]:
            verdict = "first visits, no target" if row["connections"] == TARGET_CONNECTIONS else ""
        elif row["connections"] != TARGET_CONNECTIONS and not row["misses"]:
            verdict = ""
        else:
            verdict = "MISS " + ", ".join(row["misses"]) if row["misses"] else "ok"
        if row["kind"] == "reference" and row["misses"]:
            verdict = "reference; MISS " + ", ".join(row["misses"])
        queries = "-" if row["queries"] is None else row["queries"]
        print(
            f"{row['path'][:42]:42} {row['connections']:>5} {row['requests_per_second']:>8.1f} {row['ratio']:>6.3f} "
            f"{row['p50_ms']:>7.1f} {row['p99_ms']:>7.1f} {row['non_2xx']:>6} {row['socket_errors']:>7} "
            f"{queries:>7} {row['worker_peak_mb'] or 0:>6.0f}  {verdict}"
        )


def print_targets(misses: list[str], workers: dict[int, float], worker_count: int) -> None:
    print()
    print(
        f"Targets (issue 6; at {TARGET_CONNECTIONS} connections, {TARGET_WORKERS} workers): zero non-2xx and "
        f"socket errors; cached pages (home, missions, API list) >= {TARGET_RATIO['cached']}x the reference; "
        f"filtered list, details and search >= {TARGET_RATIO['uncached']}x; p99 < {TARGET_P99_MS} ms; "
        f"every worker < {TARGET_WORKER_MB} MB. Rows with NNNNN ask for another record each request "
        "(a first visit, rendered from the database): no target."
    )
    print("Peak memory per worker (VmHWM): " + ", ".join(f"{pid}: {mb} MB" for pid, mb in workers.items()))
    if worker_count != TARGET_WORKERS:
        print(f"Note: {worker_count} workers; the targets are defined for {TARGET_WORKERS}.")
    if misses:
        print(f"{len(misses)} target misses:")
        for miss in misses:
            print(f"  MISS {miss}")
    else:
        print("Every target met.")


def main(argv=None) -> int:
    args = parse_args(argv)
    if not wrk.available():
        print(wrk.MISSING, file=sys.stderr)
        return 2
    environment = configure_django(bench_database_url(args))
    from django.core.management import call_command
    from django.db import connection, connections

    vendor = connection.vendor
    size = dataset_size(args)
    dataset = prepare_dataset(size, args.rebuild)
    call_command("collectstatic", interactive=False, verbosity=0)
    pages = endpoints(size.missions)
    queries = count_queries(pages)
    connections.close_all()

    try:
        with gunicorn(environment, workers=args.workers) as running:
            statuses = warm_up(running.base, pages, args.workers)
            broken = {path: status for path, status in statuses.items() if not 200 <= status < 300}
            if broken:
                print(f"these pages do not answer 2xx before the measurement: {broken}", file=sys.stderr)
            connection_counts = ", ".join(map(str, args.connections))
            print(f"wrk: {args.seconds:g} s per page, {connection_counts} connections, {running.base}")
            rows = measure(running.base, pages, args, running.process, queries)
            workers = worker_peaks_mb(running.process.pid)
    except ServerError as error:
        sys.exit(f"{error} See its messages above.")

    misses = check_targets(rows, workers)
    print()
    print(
        f"gunicorn {args.workers} sync workers, DEBUG off, {vendor}; {size.missions:,} missions, "
        f"{size.payloads:,} payloads, {size.partners} partners, {size.agreements:,} agreements; "
        f"wrk {args.seconds:g} s each, on {os.cpu_count()} CPUs shared with whatever else runs"
    )
    print_table(rows)
    print_targets(misses, workers, args.workers)
    path = write_results(args, vendor, size, dataset, rows, workers, misses)
    print(f"\nWritten to {path.relative_to(ROOT)}")
    if args.lighthouse:  # on a demo site of its own; a score below 100 or a failed run makes the exit status 1 or 2
        from bench import lighthouse

        lighthouse_status = lighthouse.main(["--runs", "1" if args.smoke else "3"])
    errors = [row for row in rows if row["non_2xx"] or row["socket_errors"]]
    if errors:
        print(f"FAILED: {len(errors)} runs had non-2xx responses or socket errors.", file=sys.stderr)
        return 1
    return lighthouse_status if args.lighthouse else 0


def write_results(args, vendor, size, dataset, rows, workers, misses) -> Path:
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC)
    path = RESULTS / f"{stamp:%Y%m%d-%H%M%S}-{vendor}{'-smoke' if args.smoke else ''}.json"
    report = {
        "timestamp": stamp.isoformat(timespec="seconds"),
        "database": vendor,
        "smoke": args.smoke,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "gunicorn_workers": args.workers,
        "wrk_seconds": args.seconds,
        "dataset": {**size.as_dict(), **dataset},
        "rows": rows,
        "worker_peak_mb": {str(pid): mb for pid, mb in workers.items()},
        "target_misses": misses,
    }
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":
    sys.exit(main())
