"""`make audit`: known vulnerabilities in what we ship, with pip-audit.

What is audited: every package installed in this virtualenv (`pip-audit --local`), which `make
install-dev` builds from the locks: requirements.txt (what is deployed) and requirements-dev.txt (the
test tools on top). Both pin every package, transitive dependencies included. The pins are checked
against the virtualenv first, so that an out-of-date .venv cannot pass for the pinned set.

Where the advisories come from: pip-audit asks PyPI (https://pypi.org/pypi/<name>/<version>/json,
its default) or OSV (https://api.osv.dev). Both are probed first with one request. When neither
answers, the audit cannot run: this prints AUDIT NOT RUN with the reason for each service and
exits 0, so that CI on a machine that reaches package indexes but no advisory service still
passes, and says so on every run. AUDIT_REQUIRED=1 makes that case fail instead.

Run with the virtualenv's Python: `.venv/bin/python tools/audit.py`.
"""

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = [ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]
PIN = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[[^]]*\])?==([^\s;#]+)")
TIMEOUT = 20


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins_not_installed() -> list[str]:
    problems = []
    lines = [line for requirements in REQUIREMENTS for line in requirements.read_text().splitlines()]
    for line in lines:
        match = PIN.match(line.strip())
        if not match:
            continue
        name, version = match.groups()
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            problems.append(f"{name}=={version} is pinned but not installed")
            continue
        if installed != version:
            problems.append(f"{name}=={version} is pinned but {installed} is installed")
    return problems


def probe(url: str, body: dict | None = None) -> str | None:
    """None when the service answers; otherwise why not."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            json.load(response)
        return None
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code} from {url}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return f"{url}: {getattr(error, 'reason', error)}"


def main() -> int:
    problems = pins_not_installed()
    if problems:
        print("AUDIT FAILED: .venv is not the pinned set (run make install-dev):", *problems, sep="\n  ")
        return 1

    version = metadata.version("pip-audit")
    # One request each, shaped like those pip-audit makes, for a package we know is installed.
    unreachable = {
        "pypi": probe(f"https://pypi.org/pypi/pip-audit/{version}/json"),
        "osv": probe(
            "https://api.osv.dev/v1/query", {"package": {"name": "pip-audit", "ecosystem": "PyPI"}, "version": version}
        ),
    }
    if unreachable["pypi"] and not probe("https://pypi.org/pypi/pip-audit/json"):
        # The registry answers for the project but not for one release of it: a mirror or proxy
        # that passes only the project pages through, so pip-audit finds no package at all.
        unreachable["pypi"] += " (while /pypi/pip-audit/json answers: per-release JSON is not served here)"
    service = next((name for name, reason in unreachable.items() if reason is None), None)
    if service is None:
        print("AUDIT NOT RUN: no vulnerability service is reachable from this machine.")
        for name, reason in unreachable.items():
            print(f"  {name}: {reason}")
        print("  Run `make audit` where pypi.org's JSON API or api.osv.dev answers (AUDIT_REQUIRED=1 to insist).")
        return 1 if os.environ.get("AUDIT_REQUIRED") == "1" else 0

    command = [sys.executable, "-m", "pip_audit", "--local", "--strict", "--vulnerability-service", service]
    command += ["--progress-spinner", "off", "--desc", "off", "--aliases", "on"]
    print(f"pip-audit against {service}: {' '.join(command[1:])}", flush=True)
    result = subprocess.run(command)
    if result.returncode:
        print(
            "AUDIT FAILED: a package we ship has a known vulnerability (above: package, advisory, fixed "
            "versions), or could not be audited. Raise its pin in requirements.in (or requirements-dev.in) to "
            "a fixed version, then run make lock."
        )
    else:
        print("Audit passed: no known vulnerability in any installed package.")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
