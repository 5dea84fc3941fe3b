#!/usr/bin/env python
"""Lighthouse scores of every public page type, served by the production stack.

    .venv/bin/python bench/lighthouse.py             # every page type, language, phone and desktop; median of 3
    .venv/bin/python bench/lighthouse.py --runs 1    # quicker
    .venv/bin/python bench/lighthouse.py --key-pages # the five key pages as a phone (as the test suite)
    .venv/bin/python bench/run.py --lighthouse       # after the load test

1. A temporary folder gets a SQLite database (migrated, with the demo content and one uploaded
   photograph on Chang'e-6), collectstatic's output and the media files.
2. gunicorn serves it with the production settings: DEBUG off, WhiteNoise's compressed, hashed
   static files, the page cache. Only HTTPS redirect, secure cookies and HSTS are off, as on any
   plain-http loopback site (.env.example); in production TLS ends in front of the app.
3. Lighthouse (node_modules, npm) drives one headless Debian Chromium through every page in both
   languages (bench/lighthouse_pages.mjs): performance, accessibility, best practices and SEO,
   as a phone (its default emulation and simulated throttling) and as a desktop (its desktop
   configuration). Each page is run N times and the median of each category kept. A run that
   fails (Lighthouse sometimes records no trace: NO_TRACE) is run again.

Everything is local: no request leaves 127.0.0.1.
"""

import argparse
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for `python bench/lighthouse.py`

from bench.server import ServerError, gunicorn  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGES_SCRIPT = ROOT / "bench" / "lighthouse_pages.mjs"
CHROMIUM = Path(os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
LANGUAGES = ["en", "zh-hans"]
# (name, address without the language prefix): the key pages issue 7 names, which the test
# suite measures (tests/browser/test_lighthouse.py).
PAGES = [
    ("home", "/"),
    ("missions", "/missions/"),
    ("mission detail", "/missions/chang-e-6/"),
    ("partner detail", "/partners/pakistan/"),
    ("search", "/search/?q=Pakistan"),
]
# Every public page type (issue 24), which `make bench` measures. Not the API's documentation
# (Swagger UI's own page) nor an error page (Lighthouse marks any non-200 answer down in SEO).
EVERY_PAGE = [
    *PAGES,
    ("missions, filtered", "/missions/?side=far&international=1"),
    ("mission, planned", "/missions/chang-e-8/"),
    ("mission, relay", "/missions/queqiao/"),
    ("compare", "/missions/compare/?m=chang-e-4&m=chang-e-5&m=chang-e-6"),
    ("timeline", "/missions/timeline/"),
    ("landing sites", "/missions/landing-sites/"),
    ("partners", "/partners/"),
    ("partner, an organisation", "/partners/esa/"),
    ("partner charts", "/partners/charts/"),
    ("figures", "/figures/"),
    ("search, nothing", "/search/?q=Atlantis"),
]
FORM_FACTORS = ("mobile", "desktop")
RUN_TIMEOUT = 180  # seconds a page
ATTEMPTS = 3  # tries per run, the first included: a run that fails (NO_TRACE…) is tried again
WORKERS = 2
# The test suite's quiet windows (Lighthouse's own are 1 s each, which `make bench` keeps): the
# phone's scores are simulated from the trace, and these pages load nothing after their load
# event, so a shorter wait gives the same scores, 2.5 s sooner a run.
TEST_SETTLE_MS = 250


@dataclass
class PageScores:
    name: str
    language: str
    url: str
    form_factor: str = "mobile"
    runs: list[dict[str, int]] = field(default_factory=list)  # each run's scores, 0-100
    lost: dict[str, list[str]] = field(default_factory=dict)  # per category, the audits below 100
    failed_attempts: int = 0

    @property
    def median(self) -> dict[str, int]:
        return {category: round(statistics.median(run[category] for run in self.runs)) for category in CATEGORIES}


class LighthouseError(Exception):
    pass


def missing_tools() -> list[str]:
    missing = []
    if not LIGHTHOUSE.exists():
        missing.append("Lighthouse (npm ci: node_modules/.bin/lighthouse)")
    if not CHROMIUM.exists():
        missing.append(f"Chromium ({CHROMIUM}: apt-get install chromium)")
    return missing


def site_environment(folder: Path) -> dict:
    """The production settings on a database and folders of our own. Any DJANGO_*, DATABASE_URL
    or CACHE_URL of the caller (a test run's PostgreSQL, a media bucket) is left out."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DJANGO_") and name not in ("DATABASE_URL", "CACHE_URL")
    }
    environment.update(
        {
            "DJANGO_ENV_FILE": str(folder / "no.env"),  # not the checkout's .env
            "DJANGO_SETTINGS_MODULE": "lunarportal.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{folder / 'lighthouse.sqlite3'}",
            "CACHE_URL": f"filecache://{folder / 'cache'}",  # shared by the workers, as make serve does
            "DJANGO_STATIC_ROOT": str(folder / "static"),
            "DJANGO_MEDIA_ROOT": str(folder / "media"),
            "DJANGO_SERVE_MEDIA": "1",  # the uploaded photo; production serves media from its storage
            # Plain http on loopback (as .env.example): in production TLS ends in front of the app.
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_HSTS_SECONDS": "0",
            "DJANGO_ALLOW_INSECURE": "1",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DJANGO_REQUEST_LOG_LEVEL": "WARNING",
        }
    )
    return environment


def prepare() -> None:
    """In the site's environment: the database, the demo content with a photograph, the static files."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo_content", verbosity=0)
    add_photograph("chang-e-6")
    call_command("collectstatic", interactive=False, verbosity=0)


def add_photograph(slug: str) -> None:
    """A 2400×1600 JPEG that compresses like a photograph (a lit disc, grain), as an editor's
    upload: the detail page then serves its renditions."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw, ImageFilter

    from missions.models import Mission, MissionImage

    size = (2400, 1600)
    picture = Image.new("L", size, 12)
    ImageDraw.Draw(picture).ellipse((500, 100, 1900, 1500), fill=190)
    grain = Image.effect_noise(size, 40).filter(ImageFilter.GaussianBlur(1.5))
    picture = Image.blend(picture.filter(ImageFilter.GaussianBlur(8)), grain, 0.25).convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=88)
    MissionImage(
        mission=Mission.objects.get(slug=slug),
        image=SimpleUploadedFile("far-side.jpg", buffer.getvalue()),
        alt_text="The far side of the Moon, lit by the Sun",
        caption="The landing region, seen from orbit.",
        credit="CNSA/CLEP",
    ).save()


@contextmanager
def demo_site() -> Iterator[str]:
    """The demo content served by gunicorn; yields the site's base address."""
    with tempfile.TemporaryDirectory(prefix="lunarportal-lighthouse-") as name:
        folder = Path(name)
        environment = site_environment(folder)
        prepared = subprocess.run(
            [sys.executable, __file__, "--prepare"], cwd=ROOT, env=environment, capture_output=True, text=True
        )
        if prepared.returncode:
            raise LighthouseError(f"setting up the demo site failed:\n{prepared.stdout}{prepared.stderr}")
        try:
            with gunicorn(environment, workers=WORKERS) as server:
                yield server.base
        except ServerError as error:
            raise LighthouseError(f"{error} See its messages above.") from error


def check(report: dict) -> dict:
    """`report` (an LHR) when it scored every category. Raises LighthouseError when the run failed."""
    if report.get("runtimeError"):
        raise LighthouseError(f"{report['runtimeError'].get('code')}: {report['runtimeError'].get('message')}")
    scores = {category: report["categories"][category]["score"] for category in CATEGORIES}
    if None in scores.values():
        warnings = "; ".join(report.get("runWarnings", []))
        raise LighthouseError(f"a category has no score ({scores}); {warnings}")
    return report


def lighthouse(
    urls: list[str], form_factor: str = "mobile", settle_ms: int | None = None
) -> list[dict | LighthouseError]:
    """One Lighthouse run of each of `urls` as a phone (or a desktop) sees it, one after another
    in one Chromium (starting Chromium and Lighthouse costs as much as a run): each page's
    report (LHR), or why its run failed. `settle_ms`: Lighthouse's quiet windows (None: its own)."""
    settle = "default" if settle_ms is None else str(settle_ms)
    command = ["node", str(PAGES_SCRIPT), ",".join(CATEGORIES), CHROME_FLAGS, form_factor, settle, *urls]
    environment = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    # A session of its own, so that a run that hangs is stopped with the Chromium it started.
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment, start_new_session=True
    )
    try:
        stdout, stderr = process.communicate(timeout=RUN_TIMEOUT * len(urls))
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        stderr = f"no report within {RUN_TIMEOUT} s a page. {stderr}"
    outcomes: list[dict | LighthouseError] = []
    for line in stdout.splitlines():
        try:
            outcome = json.loads(line)
            outcomes.append(check(outcome["lhr"]) if "lhr" in outcome else LighthouseError(outcome["error"]))
        except LighthouseError as error:
            outcomes.append(error)
        except (json.JSONDecodeError, KeyError):
            outcomes.append(LighthouseError(f"unreadable report: {line[:200]}"))
    # Pages after a crash (Chromium gone, a timeout) have no line.
    missing = LighthouseError(f"exit {process.returncode}: {stderr.strip()[-500:]}")
    return (outcomes + [missing] * len(urls))[: len(urls)]


def lost_points(report: dict) -> dict[str, list[str]]:
    """Per category, each weighted audit that is not at 100, with what Lighthouse says of it."""
    lost = {}
    for category in CATEGORIES:
        items = []
        for reference in report["categories"][category]["auditRefs"]:
            audit = report["audits"][reference["id"]]
            if reference["weight"] and audit["score"] is not None and audit["score"] < 1:
                shown = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                items.append(f"{audit['id']} {round(audit['score'] * 100)}: {audit['title']}{shown}")
        if items:
            lost[category] = items
    return lost


def record(page: PageScores, report: dict) -> None:
    page.runs.append({category: round(report["categories"][category]["score"] * 100) for category in CATEGORIES})
    for category, items in lost_points(report).items():
        known = page.lost.setdefault(category, [])
        known.extend(item for item in items if item not in known)


def measure_pages(
    pages: list[PageScores], runs: int, progress: Callable[[str], None] = print, settle_ms: int | None = None
) -> list[PageScores]:
    """`runs` more Lighthouse runs of each page; a run that fails (NO_TRACE…) is tried again, up
    to ATTEMPTS times."""
    started = time.monotonic()
    for number in range(runs):
        elapsed = time.monotonic() - started
        left = f"about {elapsed / number * (runs - number):.0f} s left" if number else "estimating"
        progress(f"  lighthouse run {number + 1}/{runs} of {len(pages)} pages in one Chromium ({left})")
        for form_factor in dict.fromkeys(page.form_factor for page in pages):
            chosen = [page for page in pages if page.form_factor == form_factor]
            _measure_once(chosen, form_factor, progress, settle_ms)
    return pages


def _measure_once(
    pages: list[PageScores], form_factor: str, progress: Callable[[str], None], settle_ms: int | None
) -> None:
    """One more run of each page, a failed run tried again in a later batch."""
    pending = list(pages)
    for attempt in range(1, ATTEMPTS + 1):
        failed = []
        outcomes = lighthouse([page.url for page in pending], form_factor, settle_ms)
        for page, outcome in zip(pending, outcomes, strict=True):
            if isinstance(outcome, LighthouseError):
                page.failed_attempts += 1
                progress(f"      {page.url} ({form_factor}): attempt {attempt} failed: {outcome}")
                if attempt == ATTEMPTS:
                    raise LighthouseError(f"{page.url}: {ATTEMPTS} attempts failed; last: {outcome}")
                failed.append(page)
            else:
                record(page, outcome)
        if not failed:
            return
        pending = failed


def measure(
    base: str,
    pages=PAGES,
    languages=LANGUAGES,
    runs: int = 3,
    progress: Callable[[str], None] = print,
    form_factors=("mobile",),
    settle_ms: int | None = None,
) -> list[PageScores]:
    """Each page in each language, as each form factor sees it, `runs` times."""
    results = [
        PageScores(name, language, f"{base}/{language}{path}", form_factor)
        for form_factor in form_factors
        for language in languages
        for name, path in pages
    ]
    return measure_pages(results, runs, progress, settle_ms)


def run(
    pages=EVERY_PAGE,
    languages=LANGUAGES,
    runs: int = 3,
    progress: Callable[[str], None] = print,
    form_factors=FORM_FACTORS,
) -> list[PageScores]:
    """Serve the demo site and measure every page in every language, as a phone and a desktop."""
    missing = missing_tools()
    if missing:
        raise LighthouseError("missing: " + ", ".join(missing))
    with demo_site() as base:
        return measure(base, pages, languages, runs, progress, form_factors)


def table(results: list[PageScores]) -> str:
    header = f"{'page':24} {'lang':8} {'device':8} " + " ".join(f"{c:>14}" for c in CATEGORIES) + "  runs"
    lines = [header, "-" * len(header)]
    for page in results:
        median = page.median
        cells = " ".join(f"{median[c]:>14}" for c in CATEGORIES)
        each = ", ".join("/".join(str(run[c]) for c in CATEGORIES) for run in page.runs)
        retried = f" ({page.failed_attempts} failed, retried)" if page.failed_attempts else ""
        lines.append(f"{page.name:24} {page.language:8} {page.form_factor:8} {cells}  {each}{retried}")
    return "\n".join(lines)


def below_target(results: list[PageScores], target: int = 100) -> list[str]:
    """Each page and category whose median is below `target`, with the audits that lost points."""
    misses = []
    for page in results:
        for category, score in page.median.items():
            if score < target:
                audits = "".join(f"\n      {item}" for item in page.lost.get(category, []))
                misses.append(f"{page.name} ({page.language}, {page.form_factor}) {category} {score}{audits}")
    return misses


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median is kept (default 3)")
    parser.add_argument("--json", type=Path, help="also write the scores to this file")
    parser.add_argument(
        "--key-pages", action="store_true", help="the five key pages, as a phone, only (what the test suite measures)"
    )
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)  # the site's set-up, internal
    args = parser.parse_args(argv)
    if args.prepare:
        prepare()
        return 0
    started = time.monotonic()
    try:
        if args.key_pages:
            results = run(PAGES, runs=args.runs, form_factors=("mobile",))
        else:
            results = run(runs=args.runs)
    except LighthouseError as error:
        print(f"Lighthouse: {error}", file=sys.stderr)
        return 2
    print(f"\nLighthouse, median of {args.runs} runs per page ({time.monotonic() - started:.0f} s in all):")
    print(table(results))
    misses = below_target(results)
    print("\n" + ("Below 100:\n  " + "\n  ".join(misses) if misses else "100 in every category on every page."))
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {"page": p.name, "language": p.language, "device": p.form_factor, "median": p.median}
                    | {"runs": p.runs}
                    for p in results
                ],
                indent=2,
            )
            + "\n"
        )
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
