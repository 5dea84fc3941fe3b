#!/usr/bin/env python
"""Where the time of a cold record page goes, in this process: page cache off, another record each
request, gzip accepted, through the whole middleware (Django's test client), on the benchmark's
dataset (run bench/run.py first; the same --database-url / DATABASE_URL).

    .venv/bin/python bench/cold_profile.py                  # a mission page and a partner page
    .venv/bin/python bench/cold_profile.py --records 100 --top 30

For each kind of page: the median time split into SQL, template rendering (with the queries run
from inside templates) and the rest; the queries of one page with their times; and cProfile's
functions by own time and by cumulative time over all the records.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import run  # noqa: E402


class Clock:
    """Time spent in queries and in top-level template renders during one request."""

    def __init__(self):
        self.sql = self.template = self.template_sql = 0.0
        self.queries: list[tuple[float, str]] = []
        self.rendering = 0

    def execute(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.sql += elapsed
            self.template_sql += elapsed if self.rendering else 0
            self.queries.append((elapsed, sql))


def timed_templates(clock_of):
    """Wraps Django's template backend so that each top-level render adds to the current clock."""
    from django.template.backends.django import Template

    original = Template.render

    def render(self, *args, **kwargs):
        clock = clock_of()
        clock.rendering += 1
        started = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            clock.rendering -= 1
            if not clock.rendering:
                clock.template += time.perf_counter() - started

    Template.render = render


def profile(endpoint, records: int, top: int) -> None:
    from django.db import connection
    from django.test import Client, override_settings

    client = Client(HTTP_HOST="127.0.0.1", **run.BROWSER_GZIP)
    current = [Clock()]
    timed_templates(lambda: current[0])
    paths = endpoint.paths
    totals, clocks = [], []
    profiler = cProfile.Profile()
    with override_settings(PAGE_CACHE_SECONDS=0):
        for path in paths[:3]:  # imports, template compilation
            client.get(path)
        for path in paths[3 : 3 + records]:
            current[0] = clock = Clock()
            with connection.execute_wrapper(clock.execute):
                started = time.perf_counter()
                response = client.get(path)
                totals.append(time.perf_counter() - started)
            assert response.status_code == 200, path
            clocks.append(clock)
        profiler.enable()
        for path in paths[3 + records : 3 + 2 * records]:
            client.get(path)
        profiler.disable()

    def median_ms(values):
        return statistics.median(values) * 1000

    print(f"\n=== {endpoint.name}: {len(totals)} records ===")
    sql = [clock.sql - clock.template_sql for clock in clocks]
    template = [clock.template - clock.template_sql for clock in clocks]
    template_sql = [clock.template_sql for clock in clocks]
    rest = [
        total - clock.sql - (clock.template - clock.template_sql) for total, clock in zip(totals, clocks, strict=True)
    ]
    print(
        f"median per page: {median_ms(totals):.1f} ms = SQL in views {median_ms(sql):.1f} ms + SQL from templates "
        f"{median_ms(template_sql):.1f} ms + template rendering {median_ms(template):.1f} ms + the rest "
        f"(middleware, gzip, views' Python) {median_ms(rest):.1f} ms; "
        f"{statistics.median(len(clock.queries) for clock in clocks):g} queries"
    )
    example = clocks[len(clocks) // 2]
    print(f"queries of one page ({paths[3 + len(clocks) // 2]}):")
    for elapsed, sql_text in example.queries:
        print(f"  {elapsed * 1000:6.2f} ms  {' '.join(sql_text.split())[:150]}")
    project = f"{run.ROOT}/(?!bench/)"
    for title, order, restriction in (
        ("by own time", "tottime", ()),
        ("the project's own functions, by cumulative time", "cumulative", (project,)),
    ):
        output = io.StringIO()
        pstats.Stats(profiler, stream=output).sort_stats(order).print_stats(*restriction, top)
        print(f"\ncProfile over {len(totals)} other records, {title}:")
        lines = [line.replace(f"{run.ROOT}/", "") for line in output.getvalue().splitlines() if line.strip()]
        print("\n".join(line.replace(str(Path(pstats.__file__).parent), "") for line in lines[3:]))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=50)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--smoke", action="store_true", help="on the smoke run's dataset")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    args = parser.parse_args(argv)
    run.configure_django(run.bench_database_url(args))
    from missions.models import Mission

    pages = [page for page in run.endpoints(Mission.objects.count(), run.partner_slugs()) if page.kind == "cold"]
    for page in pages:
        profile(page, args.records, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
