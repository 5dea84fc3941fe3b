"""The benchmark's synthetic dataset (bench/seed.py) at a tiny size, and the reading of wrk's
output (bench/wrk.py) on outputs captured from real wrk runs with bench/report.lua."""

import io
from pathlib import Path

import pytest
from django.db.models import Q

from bench import run, wrk
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
    for endpoint in run.endpoints():
        assert client.get(endpoint.path).status_code == 200, endpoint.path


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


def test_targets_mark_misses_and_errors():
    row = {
        "path": "/en/missions/",
        "kind": "cached",
        "connections": 16,
        "ratio": 0.5,
        "p99_ms": 150.0,
        "non_2xx": 3,
        "socket_errors": 0,
        "requests": 100,
    }
    misses = run.check_targets([row], {123: 250.0})
    assert row["misses"] == ["errors", "ratio<0.8", "p99>=100ms"]
    assert any("250.0 MB" in miss for miss in misses)


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
def test_uncached_runs_never_ask_for_an_address_twice():
    """One server serves the 16- then the 64-connection run, and Redis outlives the server: an
    address of an earlier run would be a cache hit measured as a rendered page."""
    asked = recorded_requests(*[("/en/missions/?side=far", {"uncached": True})] * 2)
    assert len(asked) > 20 and all(path.startswith("/en/missions/?side=far&bench=") for path in asked)
    assert len(set(asked)) == len(asked)


@pytest.mark.skipif(not wrk.available(), reason="wrk is missing: `make test` installs it as root (apt-get install wrk)")
def test_cold_runs_ask_for_another_record_each_request():
    asked = recorded_requests(("/en/missions/lunar-mission-NNNNN/", {"rotate_over": 99_999}))
    numbers = [int(path.removeprefix("/en/missions/lunar-mission-").removesuffix("/")) for path in asked]
    assert len(numbers) > 20 and all(1 <= number <= 99_999 for number in numbers)
    assert len(set(numbers)) == len(numbers)
    few = recorded_requests(("/en/missions/lunar-mission-NNNNN/", {"rotate_over": 3}))
    assert {path[-6:-1] for path in few} == {"00001", "00002", "00003"}  # round and round
