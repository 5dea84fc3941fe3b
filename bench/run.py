#!/usr/bin/env python
"""Benchmark: serve the portal with gunicorn on loopback and drive it from this process.

    .venv/bin/python bench/run.py [--missions 1000] [--requests 300] [--concurrency 8]

Builds a separate SQLite database (bench/bench.sqlite3; DATABASE_URL overrides it) with the demo
content plus synthetic rows, serves it with gunicorn (debug off), and for each page prints
requests per second and latency percentiles measured by a client with keep-alive connections.
Every response must be 200: a failed request fails the run.
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "/en/",
    "/en/missions/",
    "/en/missions/?side=far&status=completed",
    "/en/missions/?partner=PK",
    "/en/missions/chang-e-6/",
    "/zh-hans/missions/chang-e-6/",
    "/en/partners/",
    "/en/partners/pakistan/",
    "/en/search/?q=Pakistan",
    "/en/search/?q=sample%20return",
    "/en/missions/?q=synthetic",
    "/en/missions/?q=%E6%9C%88%E7%90%83",
    "/zh-hans/search/?q=%E5%B7%B4%E5%9F%BA%E6%96%AF%E5%9D%A6",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(env: dict, args) -> None:
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    code = (
        "import django; django.setup(); import sys; sys.path.insert(0, 'bench'); "
        f"from seed import seed; seed({args.missions}, {args.payloads}, {args.partners})"
    )
    started = time.perf_counter()
    subprocess.run([python, "-c", code], cwd=ROOT, env=env, check=True)
    print(
        f"dataset ready in {time.perf_counter() - started:.1f} s "
        f"({args.missions} synthetic missions × {args.payloads} payloads, {args.partners} partners, plus the demo)"
    )


def wait_until_serving(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn stopped before serving")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not start within 60 s")


def drive(port: int, path: str, requests: int, concurrency: int) -> dict:
    latencies, failures, lock = [], [], threading.Lock()
    local = threading.local()

    def one(_):
        if not hasattr(local, "connection"):
            local.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        started = time.perf_counter()
        local.connection.request("GET", path)
        response = local.connection.getresponse()
        response.read()
        elapsed = time.perf_counter() - started
        with lock:
            latencies.append(elapsed)
            if response.status != 200:
                failures.append(response.status)

    for _ in range(min(20, requests)):  # warm up every worker
        one(None)
    latencies.clear()
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(requests)))
    wall = time.perf_counter() - started
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "rps": requests / wall,
        "p50": quantiles[49] * 1000,
        "p95": quantiles[94] * 1000,
        "p99": quantiles[98] * 1000,
        "failures": failures,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--missions", type=int, default=1000)
    parser.add_argument("--payloads", type=int, default=5, help="payloads per synthetic mission")
    parser.add_argument("--partners", type=int, default=300)
    parser.add_argument("--requests", type=int, default=300, help="requests per page")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=os.cpu_count() * 2 + 1)
    args = parser.parse_args()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lunarportal.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-" + "x" * 50),
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}")
    prepare(env, args)

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "lunarportal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_serving(port, server)
        database = env["DATABASE_URL"].split(":")[0]
        print(f"gunicorn, {args.workers} workers, {database}; {args.requests} per page, {args.concurrency} at once")
        print(f"{'page':45} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
        failed = False
        for path in PAGES:
            result = drive(port, path, args.requests, args.concurrency)
            print(f"{path:45} {result['rps']:8.1f} {result['p50']:8.1f} {result['p95']:8.1f} {result['p99']:8.1f}")
            if result["failures"]:
                failed = True
                print(f"   {len(result['failures'])} responses were not 200: {sorted(set(result['failures']))}")
        return 1 if failed else 0
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
