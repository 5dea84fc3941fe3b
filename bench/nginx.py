"""nginx with deploy/nginx.conf, filled as docs/deploy.md says (envsubst with the file's list of
variables), on a free loopback port until the `with` block ends: for the benchmark and the proxy
tests (tests/production/test_proxy.py)."""

import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.server import ROOT, ServerError, free_port

CONFIG = ROOT / "deploy" / "nginx.conf"
NGINX = Path("/usr/sbin/nginx")
# What deploy/nginx.conf leaves to the deployment; nothing else in it is replaced.
VARIABLES = (
    "NGINX_LISTEN",
    "NGINX_HTTP_LISTEN",
    "NGINX_TLS",
    "NGINX_STATE_DIR",
    "APP_SERVERS",
    "DJANGO_STATIC_ROOT",
    "DJANGO_MEDIA_ROOT",
)
MISSING = "nginx is not installed. On Debian or Ubuntu: `apt-get install nginx` (.ci/install-nginx does it as root)."


def available() -> bool:
    return NGINX.exists() and shutil.which("envsubst") is not None


def envsubst_command() -> list[str]:
    """The command docs/deploy.md gives, as arguments."""
    return ["envsubst", " ".join(f"${{{name}}}" for name in VARIABLES)]


def filled_config(values: dict[str, str]) -> str:
    missing = set(VARIABLES) - set(values)
    if missing:
        raise ValueError(f"deploy/nginx.conf needs {', '.join(sorted(missing))}")
    finished = subprocess.run(
        envsubst_command(),
        input=CONFIG.read_text(),
        env={**os.environ, **{name: str(value) for name, value in values.items()}},
        capture_output=True,
        text=True,
        check=True,
    )
    return finished.stdout


@dataclass(frozen=True)
class Nginx:
    port: int
    state_dir: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.state_dir / "access.log"

    def signal(self, name: str) -> None:
        subprocess.run([*command(self.state_dir), "-s", name], check=False, capture_output=True)


@contextmanager
def nginx(app_ports: list[int], static_root: Path, media_root: Path, timeout: float = 10) -> Iterator[Nginx]:
    """nginx in front of the app servers on `app_ports`, with its state (configuration, logs,
    cache) in a directory of its own, removed at the end."""
    state_dir = Path(tempfile.mkdtemp(prefix="nginx-"))
    state_dir.chmod(0o755)  # nginx's workers run as an unprivileged user when started by root
    port = free_port()
    config = filled_config(
        {
            "NGINX_LISTEN": f"127.0.0.1:{port}",
            # Plain http on loopback: no certificate, and the redirecting server on a port of its own.
            "NGINX_HTTP_LISTEN": f"127.0.0.1:{free_port()}",
            "NGINX_TLS": "",
            "NGINX_STATE_DIR": str(state_dir),
            "APP_SERVERS": " ".join(f"server 127.0.0.1:{app_port};" for app_port in app_ports),
            "DJANGO_STATIC_ROOT": str(static_root),
            "DJANGO_MEDIA_ROOT": str(media_root),
        }
    )
    (state_dir / "nginx.conf").write_text(config)
    running = Nginx(port, state_dir)
    started = subprocess.run(command(state_dir), capture_output=True, text=True)
    if started.returncode:
        shutil.rmtree(state_dir, ignore_errors=True)
        raise ServerError(f"nginx did not start: {started.stderr}")
    try:
        wait_until_up(running, timeout)
        yield running
    finally:
        running.signal("stop")
        pid_file = state_dir / "nginx.pid"
        deadline = time.monotonic() + timeout
        while pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        shutil.rmtree(state_dir, ignore_errors=True)


def command(state_dir: Path) -> list:
    """nginx on the configuration in `state_dir`, logging there from its first line on."""
    return [NGINX, "-c", state_dir / "nginx.conf", "-p", f"{state_dir}/", "-e", state_dir / "error.log"]


def wait_until_up(running: Nginx, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{running.base}/healthz", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # nginx answers (a 503 of its own while no app server does)
        except OSError:
            if time.monotonic() > deadline:
                raise ServerError(f"nginx did not answer within {timeout:.0f} s.") from None
            time.sleep(0.05)
