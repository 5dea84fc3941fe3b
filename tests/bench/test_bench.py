"""The benchmark's synthetic dataset (bench/seed.py) at a tiny size, and the reading of wrk's
output (bench/wrk.py) on outputs captured from real wrk runs with bench/report.lua."""

import io
import os
import urllib.request
from pathlib import Path

import pytest
from django.db.models import Q

from bench import run, server, wrk
from bench.seed import DatasetSize, seed
from missions.models import Milestone, Mission, Payload
from partners.countries import search_text
from partners.models import Agreement, CooperationProject, Partner
from publishing.progress import Progress

SAMPLES = Path(__file__).parent / "data"
TINY = DatasetSize(missions=20, payloads=200, partners=30, agreements=40, projects=5, milestones_per_mission=2)


@pytest.fixture
def tiny_dataset(db):
    output = io.StringIO()
    seed(TINY, out=output)
    return output.getvalue()


def test_the_dataset_has_the_requested_size(tiny_dataset):
    assert Mission.objects.count() == 20
    assert Payload.objects.count() == 200
    assert Partner.objects.count() == 30
    assert Agreement.objects.count() == 40
    assert CooperationProject.objects.count() == 5
    assert Milestone.objects.count() == 40
    assert Payload.providers.through.objects.exists()
    assert Agreement.parties.through.objects.count() >= 40
    assert not Mission.objects.filter(types=None).exists()


def test_everything_generated_is_public(tiny_dataset):
    assert Mission.objects.published().count() == 20
    assert Payload.objects.published().count() == 200
    assert Partner.objects.published().count() == 30
    assert Agreement.objects.published().count() == 40
    assert CooperationProject.objects.published().count() == 5


def test_chinese_texts_are_filled(tiny_dataset):
    assert not Mission.objects.filter(Q(name_zh="") | Q(summary_zh_hans="") | Q(body_zh_hans="")).exists()
    assert not Partner.objects.filter(Q(name_zh="") | Q(summary_zh_hans="")).exists()
    assert not Payload.objects.filter(purpose_zh_hans="").exists()
    assert not Agreement.objects.filter(Q(title_zh_hans="") | Q(summary_zh_hans="")).exists()
    assert not CooperationProject.objects.filter(name_zh_hans="").exists()
    assert not Milestone.objects.filter(title_zh_hans="").exists()
    assert Partner.objects.get(country="PK").name_zh == "巴基斯坦"
    # The English side is what the untranslated attribute reads in English.
    assert Mission.objects.get(slug="lunar-mission-00001").summary.startswith("Synthetic mission 1:")


def test_search_names_are_what_save_would_store(tiny_dataset):
    for partner in Partner.objects.all():
        assert partner.search_names == search_text(partner.name, partner.name_zh, *partner.aliases.splitlines())
    assert list(Partner.objects.published().matching("巴基斯坦").values_list("slug", flat=True)) == ["pakistan"]


def test_the_partner_the_benchmark_requests_provides_many_payloads(tiny_dataset):
    pakistan = Partner.objects.get(slug="pakistan")
    assert Payload.objects.published().filter(providers=pakistan).count() >= TINY.payloads // 100


def test_progress_lines_estimate_the_time_left(tiny_dataset):
    assert "missions 20/20" in tiny_dataset
    assert "s left" in tiny_dataset
    output = io.StringIO()
    progress = Progress(total_rows=100, out=output, min_interval=0)
    progress.advance(50, "payloads", 50, 100)
    assert "[ 50%] payloads 50/100" in output.getvalue()


def test_every_page_the_benchmark_requests_answers(client, tiny_dataset):
    slugs = tuple(Partner.objects.order_by("pk").values_list("slug", flat=True))
    endpoints = run.endpoints(TINY.missions, slugs)
    pages = [page for page in endpoints if page.kind in ("floor", "cached", "cold", "nginx")]
    [static] = [page for page in endpoints if page.kind == "nginx static"]
    assert (run.ROOT / "static" / static.path.removeprefix("/static/")).exists()
    for endpoint in pages:
        for path in endpoint.paths or [endpoint.path]:
            assert client.get(path).status_code == 200, path


def test_cold_rows_go_round_every_record(tiny_dataset):
    slugs = tuple(Partner.objects.order_by("pk").values_list("slug", flat=True))
    cold = {page.name: page for page in run.endpoints(TINY.missions, slugs) if page.kind == "cold"}
    assert len(cold["mission, cold"].paths) == TINY.missions == len(set(cold["mission, cold"].paths))
    assert len(cold["partner, cold"].paths) == TINY.partners


def test_cold_renders_are_timed_on_different_records_from_the_database(tiny_dataset):
    [mission] = [page for page in run.endpoints(TINY.missions) if page.name == "mission, cold"]
    timed = run.time_cold_renders(mission, records=10)
    assert timed["records"] == 10 and timed["queries"] > 3 and timed["sql_median_ms"] > 0
    assert 0 < timed["median_ms"] <= timed["p90_ms"]


def test_the_reference_is_bare_django_served_by_gunicorn():
    with server.gunicorn(dict(os.environ), app=server.HELLO) as hello:
        with urllib.request.urlopen(f"{hello.base}/", timeout=10) as response:
            assert response.read() == b"hello\n"
            # No middleware: none of the site's security headers, no session, no language.
            assert "Content-Security-Policy" not in response.headers and "Vary" not in response.headers


def test_parse_a_clean_run():
    result = wrk.parse((SAMPLES / "wrk-ok.txt").read_text())
    assert result["requests"] == 1259
    assert result["requests_per_second"] == pytest.approx(621.5, abs=0.1)
    assert result["p50_ms"] == pytest.approx(7.45, abs=0.01)
    assert result["p99_ms"] == pytest.approx(758.9, abs=0.01)
    assert result["non_2xx"] == 0
    assert result["socket_errors"] == 0


def test_parse_counts_responses_that_are_not_2xx():
    result = wrk.parse((SAMPLES / "wrk-404.txt").read_text())
    assert result["non_2xx"] == result["requests"] == 2097
    assert result["non_2xx_statuses"] == [404]
    assert result["socket_errors"] == 0


def test_parse_counts_socket_errors():
    result = wrk.parse((SAMPLES / "wrk-socket-errors.txt").read_text())
    assert result["socket_errors"] == 8
    assert result["socket_error_detail"] == {"connect": 0, "read": 0, "write": 0, "timeout": 8}


def test_parse_takes_wrk_own_counts_when_they_are_higher():
    # wrk's own summary lines are read too: if the script's figures ever fell short, the higher count wins.
    output = (SAMPLES / "wrk-ok.txt").read_text() + "  Socket errors: connect 1, read 2, write 0, timeout 0\n"
    assert wrk.parse(output)["socket_errors"] == 3


def test_parse_refuses_output_without_the_script_line():
    with pytest.raises(ValueError, match="BENCH_RESULT"):
        wrk.parse("Running 2s test @ http://127.0.0.1:8000/\n  2 threads and 16 connections\n")


def _row(**fields):
    return {
        "endpoint": "missions",
        "kind": "cached",
        "connections": 16,
        "ratio": 0.5,
        "p99_ms": 150.0,
        "non_2xx": 0,
        "socket_errors": 0,
        "requests": 100,
        "target_spec": {"ratio": 0.48, "p99_ms": None},
        **fields,
    }


def test_targets_mark_misses_and_errors():
    errors = _row(non_2xx=3, ratio=0.4)
    slow_cold = _row(kind="cold", ratio=0.02, p99_ms=400.0, target_spec={"ratio": 0.05, "p99_ms": 250}, logged=9)
    fine, elsewhere = _row(), _row(connections=64, ratio=0.01)
    renders = [{"endpoint": "mission, cold", "median_ms": 19.2}, {"endpoint": "partner, cold", "median_ms": 7.9}]
    misses = run.check_targets([errors, slow_cold, fine, elsewhere], {123: 250.0, 124: 190.0}, renders)
    assert errors["misses"] == ["errors", "ratio 0.400 < 0.48"]
    assert slow_cold["misses"] == ["ratio 0.020 < 0.05", "p99 400 ms >= 250 ms"]
    assert fine["misses"] == elsewhere["misses"] == []  # the targets hold at 16 connections
    assert any("123 peaked at 250.0 MB" in miss for miss in misses) and not any("124" in miss for miss in misses)
    assert [miss for miss in misses if "render" in miss] == [
        "mission, cold: median render 19.2 ms in process (target <= 8 ms)"
    ]
    assert run.failed_runs([errors, slow_cold, fine]) == [errors]


def test_a_cold_row_served_without_a_render_fails_the_run():
    lines = [
        "[2026-12-06 10:00:00 +0000] [12] [INFO] Booting worker with pid: 12",
        '{"message": "GET /en/missions/m-1/ 200", "path": "/en/missions/m-1/", "status": 200, "queries": 9}',
        '{"message": "GET /en/missions/m-2/ 200", "path": "/en/missions/m-2/", "status": 200, "queries": 0}',
        '{"message": "GET /healthz 200", "path": "/healthz", "status": 200, "queries": 0}',
    ]
    logged = run.rendered_requests(lines, "/en/missions/")
    assert logged == {"logged": 2, "queries": 4.5, "least_queries": 0, "unrendered": 1}
    row = _row(kind="cold", target_spec={"ratio": 0.05, "p99_ms": 250}, ratio=1, p99_ms=10, **logged)
    run.check_targets([row], {}, [])
    assert row["misses"] == ["not rendered every time (1 of 2 without a query)"]
    assert run.failed_runs([row]) == [row]
    unlogged = _row(kind="cold", target_spec={}, **run.rendered_requests([], "/en/missions/"))
    run.check_targets([unlogged], {}, [])
    assert unlogged["misses"] == ["not rendered every time (0 of 0 without a query)"]


def test_nginx_rows_count_what_its_cache_answered():
    line = '127.0.0.1 [06/Dec/2026:10:00:00 +0000] "GET /en/ HTTP/1.1" 200 39240 upstream={} cache={} time=0.000'
    lines = [
        *[line.format("-", "HIT")] * 2,
        line.format("-", "UPDATING"),  # another request is asking an app server meanwhile
        line.format("127.0.0.1:8000", "EXPIRED"),
        line.replace("/en/", "/x/"),
    ]
    assert run.nginx_hits(lines, "/en/") == {
        "logged": 4,
        "nginx_hit_share": 0.75,
        "nginx_cache_statuses": {"HIT": 2, "UPDATING": 1, "EXPIRED": 1},
    }


def test_the_benchmark_never_writes_to_the_project_database(monkeypatch):
    monkeypatch.delenv("BENCH_SMOKE", raising=False)
    assert run.bench_database_url(_args("")).endswith("/bench/bench.sqlite3")
    assert run.bench_database_url(_args("", smoke=True)).endswith("/bench/smoke.sqlite3")
    with pytest.raises(SystemExit, match="must contain 'bench'"):
        run.bench_database_url(_args("sqlite:////srv/lunarportal/db.sqlite3"))
    created = []
    monkeypatch.setattr(run, "create_postgresql_database", lambda url, name: created.append(name))
    url = run.bench_database_url(_args("postgres://user:secret@127.0.0.1:5432/lunarportal"))
    assert url == "postgres://user:secret@127.0.0.1:5432/lunarportal_bench"
    assert created == ["lunarportal_bench"]
    assert run.bench_database_url(_args("postgres://u:p@127.0.0.1/lunarportal_benchdata")).endswith("_benchdata")


def _args(database_url, smoke=False):
    return run.parse_args(["--database-url", database_url, *(["--smoke"] if smoke else [])])


def recorded_requests(*runs) -> list[str]:
    """The paths wrk asked a server that answers 200 to everything, over `runs`: (url path, options)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    asked = []

    class Recorder(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for path, options in runs:
            wrk.run(f"http://127.0.0.1:{server.server_port}{path}", 4, 1, **options)
    finally:
        server.shutdown()
    return asked


@pytest.mark.skipif(not wrk.available(), reason="wrk is missing: `make test` installs it as root (apt-get install wrk)")
def test_cold_runs_ask_for_another_record_each_request():
    paths = [f"/en/missions/lunar-mission-{number:05d}/" for number in range(1, 100_000)]
    asked = recorded_requests(("/en/missions/lunar-mission-00001/", {"paths": paths}))
    numbers = [int(path.removeprefix("/en/missions/lunar-mission-").removesuffix("/")) for path in asked]
    assert len(numbers) > 20 and all(1 <= number <= 99_999 for number in numbers)
    assert len(set(numbers)) == len(numbers)
    few = recorded_requests(("/en/partners/a/", {"paths": ["/en/partners/a/", "/en/partners/b/", "/en/partners/c/"]}))
    assert set(few) == {"/en/partners/a/", "/en/partners/b/", "/en/partners/c/"}  # round and round
