"""Run wrk with bench/report.lua and read its output."""

import json
import re
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

REPORT_SCRIPT = Path(__file__).with_name("report.lua")
SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
NON_2XX_OR_3XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
MISSING = (
    "wrk is not installed. On Debian or Ubuntu: `apt-get install wrk` (as root; `make bench` does it "
    "for you when run as root)."
)


def available() -> bool:
    return shutil.which("wrk") is not None


def run(url: str, connections: int, seconds: float, threads: int = 2, timeout: float = 30, paths=()) -> dict:
    """One wrk run. A response slower than `timeout` counts as a socket error; 30 s is gunicorn's
    own worker timeout, so that slowness shows in the latencies rather than as errors.
    `paths`: addresses on the server of `url`, another each request, round and round, starting at
    a random one (runs one after the other on one server rarely meet)."""
    threads = min(threads, connections)
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as listed:
        script_args = []
        if paths:
            listed.write("".join(f"{path}\n" for path in paths))
            listed.flush()
            script_args = ["--", "paths", listed.name, str(secrets.randbelow(len(paths))), str(threads)]
        command = [
            "wrk",
            f"--threads={threads}",
            f"--connections={connections}",
            f"--duration={max(int(round(seconds)), 1)}s",
            f"--timeout={int(timeout)}s",
            f"--script={REPORT_SCRIPT}",
            url,
            *script_args,
        ]
        finished = subprocess.run(command, capture_output=True, text=True, timeout=seconds + timeout + 60)
    if finished.returncode != 0:
        raise RuntimeError(f"wrk failed ({finished.returncode}): {finished.stderr or finished.stdout}")
    return parse(finished.stdout)


def parse(output: str) -> dict:
    """The figures of one wrk run from its standard output: the BENCH_RESULT line that
    report.lua prints, cross-checked with wrk's own "Socket errors" and "Non-2xx or 3xx" lines."""
    line = next((line for line in output.splitlines() if line.startswith("BENCH_RESULT ")), None)
    if line is None:
        raise ValueError(f"no BENCH_RESULT line in wrk's output (was it run with report.lua?):\n{output}")
    result = json.loads(line.removeprefix("BENCH_RESULT "))
    errors = result["errors"]
    socket_errors = errors["connect"] + errors["read"] + errors["write"] + errors["timeout"]
    if match := SOCKET_ERRORS.search(output):
        socket_errors = max(socket_errors, sum(int(count) for count in match.groups()))
    non_2xx = result["non_2xx"]
    if match := NON_2XX_OR_3XX.search(output):
        non_2xx = max(non_2xx, int(match.group(1)))
    latency = result["latency_us"]
    seconds = result["duration_us"] / 1_000_000
    return {
        "requests": result["requests"],
        "seconds": round(seconds, 3),
        "requests_per_second": round(result["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(latency["p50"] / 1000, 2),
        "p90_ms": round(latency["p90"] / 1000, 2),
        "p99_ms": round(latency["p99"] / 1000, 2),
        "max_ms": round(latency["max"] / 1000, 2),
        "non_2xx": non_2xx,
        "non_2xx_statuses": [int(code) for code in result["non_2xx_statuses"]],
        "socket_errors": socket_errors,
        "socket_error_detail": {name: errors[name] for name in ("connect", "read", "write", "timeout")},
    }
