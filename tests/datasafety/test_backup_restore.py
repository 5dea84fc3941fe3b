"""A backup restored into an empty database gives back the same site, page for page.

The source site is built as a real one is: `migrate`, `load_demo_content`, then editors' saves
through the admin and the other rows of tests/datasafety/seed.py (drafts, images, Chinese text,
history). Every public page is rendered from it (tests/datasafety/render.py) and again from the
restored copy, each in a manage.py process of its own, and the two must be byte-identical.

Nothing is normalised away before comparing: public pages carry no CSRF token (their only forms
are GET forms) and no CSP nonce (scripts are files, `script-src 'self'`), and the source
rendered twice is byte-identical (the first test), so any difference is a restore that lost
something. The procedure tested here is the one docs/deploy.md "Backup and restore" gives.
"""

import difflib
import json
import os
import subprocess

import pytest

from .scratch import on_postgresql, scratch_site

# The documented backup command (docs/deploy.md). Content types and permissions are made by
# `migrate` in the new database, and rows refer to them by natural key; sessions and django-axes'
# login-attempt records are not content, nor is the content generation (which cached pages are
# current: the restored site starts a new one). The search index (search.SearchEntry) is included:
# its database triggers fill the full-text index as the rows are loaded. YAML, because it is the
# one format that gives back exactly what was stored: Django's JSON cuts times to the millisecond
# (feeds' <updated> and the history's dates change), its XML drops leading and trailing newlines
# of text (Partner.search_names is stored between newlines).
DUMPDATA = [
    "dumpdata",
    "--format=yaml",
    "--natural-foreign",
    "--natural-primary",
    "--exclude=contenttypes",
    "--exclude=auth.permission",
    "--exclude=sessions",
    "--exclude=axes",
    "--exclude=publishing.contentgeneration",
]


def render_step(out) -> str:
    """The code that renders every page of a site into `out` (a step for manage_in_turn)."""
    return f"from tests.datasafety.render import render; render({str(out)!r})"


def render(site, out) -> dict:
    site.shell(render_step(out))
    return read_pages(out)


def read_pages(out) -> dict:
    return json.loads(out.read_text(encoding="utf-8"))


def dump(site, out) -> bytes:
    site.manage(*DUMPDATA, f"--output={out}")
    return out.read_bytes()


def archive_media(site, archive):
    subprocess.run(["tar", "-C", str(site.media), "-czf", str(archive), "."], check=True)


def restore_media(site, archive):
    subprocess.run(["tar", "-C", str(site.media), "-xzf", str(archive)], check=True)


def _lines(page: dict) -> list[str]:
    """A page as short lines, so that a failure shows the changed part and not the whole page."""
    head = json.dumps({key: value for key, value in page.items() if key != "body"}, sort_keys=True)
    return [head, *page.get("body", "").replace("><", ">\n<").splitlines()]


def assert_same_pages(before: dict, after: dict):
    assert sorted(after) == sorted(before), "the restored site has other addresses"
    differing = [url for url in before if before[url] != after[url]]
    if differing:
        url = differing[0]
        diff = difflib.unified_diff(_lines(before[url]), _lines(after[url]), "before", "after", lineterm="", n=1)
        shown = "\n".join(line[:300] for line in list(diff)[:30])
        pytest.fail(f"{len(differing)} of {len(before)} pages differ after the restore, first {url}:\n{shown}")


def assert_new_rows_get_fresh_ids(site):
    """The restored database's id sequences are past the restored rows: a new mission, partner,
    image and history entry are saved without a collision."""
    out = site.shell(
        "from tests.datasafety.seed import add_after_restore; add_after_restore()",
    )
    assert "added after restore" in out, out


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """The site as it is before the backup: its pages, its dump and its media archive."""
    tmp = tmp_path_factory.mktemp("backup")
    with scratch_site(tmp, "source") as site:
        site.manage_in_turn(
            ("migrate", "--no-input", "-v", "0"),
            ("load_demo_content",),
            "from tests.datasafety.seed import seed; seed()",
        )
        site.manage_in_turn(render_step(tmp / "source-pages.json"), (*DUMPDATA, f"--output={tmp / 'backup.yaml'}"))
        pages = read_pages(tmp / "source-pages.json")
        archive_media(site, tmp / "media.tar.gz")
        pg_dump = None
        if on_postgresql():
            pg_dump = tmp / "backup.pgdump"
            site.run("pg_dump", "--format=custom", f"--file={pg_dump}", site.name)
        yield {"site": site, "tmp": tmp, "pages": pages, "pg_dump": pg_dump}


def test_the_source_site_is_what_a_restore_must_reproduce(source):
    """The comparison means something: every mission and partner page is there in both
    languages, drafts answer 404 and appear nowhere, and images are served. (That rendering is
    deterministic is shown by the restores: a page that changed between two renders of the same
    content would fail them.)"""
    pages = source["pages"]
    details = [url for url in pages if url.count("/") == 4 and url.startswith(("/en/missions/", "/zh-hans/partners/"))]
    assert len(details) > 40
    drafts = [url for url in pages if "/zqdraft-" in url and not url.startswith("/api/")]
    assert drafts and all(pages[url]["status"] == 404 for url in drafts)
    public = [page["body"] for page in pages.values() if page.get("status") == 200 and "body" in page]
    assert not [body for body in public if "Zqdraft " in body or "zqdraft-" in body]
    assert pages["/zh-hans/missions/chang-e-4/"]["body"].count("冯·卡门撞击坑") >= 1
    images = [url for url in pages if url.startswith("/media/") and url.endswith((".jpg", ".webp", ".png"))]
    assert len(images) >= 10 and all(pages[url]["status"] == 200 for url in images)
    assert len([url for url in pages if url.startswith("file:")]) > len(images)  # drafts' images too


def test_dumpdata_and_loaddata_into_an_empty_database_restore_every_page(source, tmp_path):
    with scratch_site(tmp_path, "loaddata") as restored:
        restore_media(restored, source["tmp"] / "media.tar.gz")
        _, loaded, _, _ = restored.manage_in_turn(
            ("migrate", "--no-input", "-v", "0"),
            ("loaddata", str(source["tmp"] / "backup.yaml")),
            render_step(tmp_path / "pages.json"),
            (*DUMPDATA, f"--output={tmp_path / 'again.yaml'}"),
        )
        assert "Installed" in loaded

        assert_same_pages(source["pages"], read_pages(tmp_path / "pages.json"))
        # Every row came back as it was: a second dump of the restored site is byte-identical.
        assert (tmp_path / "again.yaml").read_bytes() == (source["tmp"] / "backup.yaml").read_bytes()
        assert_new_rows_get_fresh_ids(restored)


@pytest.mark.skipif(not on_postgresql(), reason="pg_dump needs PostgreSQL: run with DATABASE_URL=postgres://…")
def test_pg_dump_and_pg_restore_into_an_empty_database_restore_every_page(source, tmp_path):
    with scratch_site(tmp_path, "pgrestore") as restored:
        restored.run("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored.name}", str(source["pg_dump"]))
        restore_media(restored, source["tmp"] / "media.tar.gz")

        assert restored.manage("migrate", "--check", check=False).returncode == 0, "migrations pending after restore"
        restored.manage("check", "--database", "default")
        assert_same_pages(source["pages"], render(restored, tmp_path / "pages.json"))
        assert dump(restored, tmp_path / "again.yaml") == (source["tmp"] / "backup.yaml").read_bytes()
        assert_new_rows_get_fresh_ids(restored)


# Pages that change when a partner is added after the backup (seed.add_after_restore).
AFTER_BACKUP = ["/en/partners/", "/zh-hans/partners/", "/en/partners/aftermath-agency/", "/en/search/?q=aftermath"]


def test_a_restored_site_serves_no_page_cached_before_the_restore(source, tmp_path):
    """The site runs on, its cache warm with content added after the backup; the backup is
    restored into a new database, the app server switches to it and the documented last step
    (`manage.py forget_cached_pages`) runs: the very next visitors get the restored site. The
    cache is one the processes share, as app servers do: the suite's Redis when it has one (its
    copy of the content generation would otherwise be trusted for a few more seconds), else a file
    cache."""
    cache_url = os.environ.get("CACHE_URL", "")
    if not cache_url.startswith("redis://"):
        cache_url = f"filecache://{tmp_path / 'cache'}"
    shared = {"CACHE_URL": cache_url, "DJANGO_PAGE_CACHE_SECONDS": "600"}
    with scratch_site(tmp_path, "live") as live, scratch_site(tmp_path, "restored") as restored:
        for site in (live, restored):
            site.variables = shared
            site.manage_in_turn(("migrate", "--no-input", "-v", "0"), ("loaddata", str(source["tmp"] / "backup.yaml")))
        assert_new_rows_get_fresh_ids(live)  # a partner, a mission and an edit after the backup
        out = tmp_path / "visits.json"
        live.shell(
            "from tests.datasafety.render import visit_across_a_restore; "
            f"visit_across_a_restore({AFTER_BACKUP!r}, {restored.name!r}, {str(out)!r})"
        )
        visits = json.loads(out.read_text(encoding="utf-8"))

        assert visits["before"]["/en/partners/aftermath-agency/"][0] == 200
        assert all("Aftermath Agency" in body for _, body in visits["before"].values())
        after = visits["after"]
        assert after["/en/partners/aftermath-agency/"][0] == 404
        assert [path for path, (_, body) in after.items() if "Aftermath Agency" in body] == []
        assert after["/en/partners/"][0] == after["/en/search/?q=aftermath"][0] == 200
        # The same step as the command an operator runs.
        assert "Every cached page and API answer is forgotten" in restored.manage("forget_cached_pages").stdout
