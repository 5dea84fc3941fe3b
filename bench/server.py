"""A gunicorn serving lunarportal (or the benchmark's bare-Django reference, bench/hello) on a free
loopback port, until the `with` block ends: for the benchmark, the Lighthouse runner and the tests
that need a real server process."""

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ServerError(RuntimeError):
    pass


@dataclass(frozen=True)
class Server:
    process: subprocess.Popen
    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(server: Server, timeout: float, path: str = "/healthz") -> None:
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise ServerError(f"gunicorn exited with status {server.process.returncode} before serving.")
        try:
            with urllib.request.urlopen(f"{server.base}{path}", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise ServerError(f"gunicorn did not answer {path} within {timeout:.0f} s.")
        time.sleep(0.2)


HELLO = ("bench.hello.wsgi", "/")


@contextmanager
def gunicorn(
    environment: dict, *, workers: int = 1, timeout: float = 60, output=None, app: tuple[str, str] | None = None
) -> Iterator[Server]:
    """Sync workers; `output` (a file) gets the server's messages, the terminal by default.
    `app`: (WSGI module, an address it answers 200), lunarportal by default; HELLO for the reference."""
    module, health_path = app or ("lunarportal.wsgi", "/healthz")
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            module,
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--worker-class=sync",
            "--log-level=warning",
            # Several servers may run at once (tests): none needs gunicorn's control socket.
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=environment,
        stdout=output,
        stderr=output,
    )
    server = Server(process, port)
    try:
        wait_until_up(server, timeout, health_path)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)
