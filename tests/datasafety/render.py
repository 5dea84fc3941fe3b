"""Render every public page of the site in the database at hand and write them to a JSON file:
`manage.py shell -c "from tests.datasafety.render import render; render('pages.json')"`.

Run in a process of its own against a scratch database (DATABASE_URL), with the page cache off,
so that every page comes from that database. The addresses are read from the content itself:
every mission and partner (drafts too: their addresses must stay 404), both languages, the
lists and their filters, search, feeds, sitemap, citations, CSV exports, the API (every list
page and every record) and every uploaded file that a page links to.
"""

import hashlib
import json
import re

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment

from missions.models import Mission, MissionImage
from partners.models import Partner

LANGUAGES = ("en", "zh-hans")
API_COLLECTIONS = ("missions", "payloads", "partners", "agreements", "projects")
# Searches in both scripts: a partner, a mission, an instrument, a phrase in Chinese, nothing.
SEARCHES = ("Pakistan", "巴基斯坦", "chang'e", "嫦娥四号", "spectrometer", "far side", "月球背面", "Zqdraft", "backup")
LIST_FILTERS = {
    "missions": ("side=far", "status=planned", "type=lander", "partner=PK", "launch_date_after=2019-01-01", "q=lander"),
    "partners": ("kind=country", "region=asia", "q=space"),
}
MEDIA = re.compile(r"/media/[^\s\"'<>,)]+")


def public_urls() -> list[str]:
    missions = list(Mission.objects.order_by("slug").values_list("slug", flat=True))
    partners = list(Partner.objects.order_by("slug").values_list("slug", flat=True))
    urls = ["/sitemap.xml", "/robots.txt", "/api/v1/", "/api/v1/schema/"]
    for language in LANGUAGES:
        prefix = f"/{language}"
        urls += [f"{prefix}/", f"{prefix}/feed/", f"{prefix}/search/"]
        urls += [f"{prefix}/search/?q={query}" for query in SEARCHES]
        for section in ("missions", "partners"):
            urls += [f"{prefix}/{section}/", f"{prefix}/{section}/export.csv"]
            urls += [f"{prefix}/{section}/?{query}" for query in LIST_FILTERS[section]]
        urls += [f"{prefix}/missions/{page}/" for page in ("timeline", "landing-sites", "compare")]
        urls.append(f"{prefix}/missions/compare/?m=chang-e-4&m=chang-e-5&m=backup-probe")
        urls.append(f"{prefix}/partners/charts/")
        urls.append(f"{prefix}/figures/")
        for section, slugs in (("missions", missions), ("partners", partners)):
            for slug in slugs:
                urls += [f"{prefix}/{section}/{slug}/", f"{prefix}/{section}/{slug}/feed/"]
                urls.append(f"{prefix}/{section}/{slug}/cite.bib")
    return urls


def _api_urls(client: Client) -> list[str]:
    """Every page of every API list, and every record those lists link to."""
    urls = []
    for collection in API_COLLECTIONS:
        page = f"/api/v1/{collection}/?page_size=20"
        while page:
            urls.append(page)
            data = client.get(page).json()
            urls += [record["url"].removeprefix("http://testserver") for record in data["results"]]
            page = data["next"] and data["next"].removeprefix("http://testserver")
    return urls


def _fingerprint(response) -> dict:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    page = {
        "status": response.status_code,
        "type": response.get("Content-Type", ""),
        "disposition": response.get("Content-Disposition", ""),
    }
    if page["type"].startswith(("text/", "application/json", "application/xml", "application/rss", "application/atom")):
        page["body"] = body.decode()
    else:
        page["sha256"] = hashlib.sha256(body).hexdigest()
        page["size"] = len(body)
    return page


def render(out: str) -> None:
    setup_test_environment()  # lets the test client's host in
    client = Client()
    pages = {}
    for url in public_urls() + _api_urls(client):
        pages[url] = _fingerprint(client.get(url))
    media = sorted({path for page in list(pages.values()) for path in MEDIA.findall(page.get("body", ""))})
    for path in media:
        pages[path] = _fingerprint(client.get(path))
    # Every file an image row names, drafts' images included: present, with the same bytes.
    for image in MissionImage.objects.order_by("pk"):
        storage = image.image.storage
        for name in image.stored_files():
            with storage.open(name) as file:
                pages[f"file:{name}"] = {"sha256": hashlib.sha256(file.read()).hexdigest()}
    with open(out, "w", encoding="utf-8") as file:
        json.dump(pages, file, ensure_ascii=False, indent=1, sort_keys=True)


def _visit(client: Client, paths: list[str]) -> dict:
    return {path: [(response := client.get(path)).status_code, response.content.decode()] for path in paths}


def visit_across_a_restore(paths: list[str], restored_database: str, out: str, forget: bool = True) -> None:
    """What an anonymous visitor gets at each of `paths` through the page cache (CACHE_URL) just
    before this app server switches to the restored database (`restored_database`: its name, or
    file for SQLite) and just after, once the documented last step (`forget`) has run. All in
    one process, so that "just after" is milliseconds, as for a busy site's next request:
    {"before": {path: [status, body]}, "after": {…}} written to `out`."""
    setup_test_environment()
    client = Client()
    pages = {"before": _visit(client, paths)}
    connection.close()
    connection.settings_dict["NAME"] = restored_database
    if forget:
        call_command("forget_cached_pages")
    pages["after"] = _visit(client, paths)
    with open(out, "w", encoding="utf-8") as file:
        json.dump(pages, file, ensure_ascii=False)
