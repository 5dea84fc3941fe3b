"""Every migration runs forward from an empty database, back to zero and forward again, on the
database the suite runs on (SQLite, or PostgreSQL with DATABASE_URL), in a scratch database
driven through manage.py; and the latest migration of each of our apps can be undone and redone
without losing content."""

import json

from django.db.migrations.loader import MigrationLoader

from .scratch import scratch_site
from .test_backup_restore import DUMPDATA

OUR_APPS = ("search", "publishing", "partners", "missions")
STALE_PERMISSIONS = (
    "from django.contrib.auth.models import Permission; "
    f"Permission.objects.filter(content_type__app_label__in={OUR_APPS!r}).delete()"
)


def apps_in_dependency_order() -> list[str]:
    """Every app with migrations, each after the apps its migrations depend on."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    apps = []
    for leaf in sorted(graph.leaf_nodes()):
        for app, _ in graph.forwards_plan(leaf):
            if app not in apps:
                apps.append(app)
    return apps


def latest_migrations() -> dict[str, tuple[str, str]]:
    """Each of our apps: (its latest migration, the one before it or "zero")."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    result = {}
    for app, name in graph.leaf_nodes():
        if app in OUR_APPS:
            parents = [parent for parent in graph.node_map[(app, name)].parents if parent.key[0] == app]
            result[app] = (name, parents[0].key[1] if parents else "zero")
    return result


def tables(site) -> list[str]:
    code = "from django.db import connection; print(*sorted(connection.introspection.table_names()))"
    return site.shell(code).split()


def dump_step(out) -> tuple[str, ...]:
    """The backup's dump of the database's content into `out` (a step for manage_in_turn), as
    JSON: read several times here, and JSON reads many times faster than YAML."""
    return (
        *[argument for argument in DUMPDATA if not argument.startswith("--format=")],
        "--format=json",
        f"--output={out}",
    )


def content(out) -> dict:
    """The content dumped into `out`, model by model, with the search index's rows by object (its
    own ids are not content: a rebuild renumbers them)."""
    rows = json.loads(out.read_text(encoding="utf-8"))
    by_model = {}
    for row in rows:
        if row["model"] == "search.searchentry":
            row = {"model": row["model"], "fields": {k: v for k, v in row["fields"].items() if k != "vector"}}
        by_model.setdefault(row["model"], []).append(row)
    by_model["search.searchentry"] = sorted(by_model.get("search.searchentry", []), key=lambda row: str(row["fields"]))
    return by_model


# What undoing and redoing each app's latest migration loses, as its reverse declares: by model,
# the fields and the value each holds once redone. Everything else comes back as it was, the
# Chinese texts included (no latest migration is a translation migration any more).
LOST_WITH_LATEST = {
    # Undone and redone, a source's address may be empty again: nothing is lost.
    ("missions", "0016_sources_without_address"): {},
    ("partners", "0012_sources_without_address"): {},
    # Undone, the change log stays (its reverse is a no-op); redone, a record's log is kept.
    ("publishing", "0003_public_changes_from_history"): {},
    # Redone, the index entries are dropped, and `migrate` indexes every row afresh.
    ("search", "0002_reindex_craft_stems"): {},
}


def without_lost_fields(rows: dict, lost: dict) -> dict:
    """The content as undoing and redoing a migration that loses `lost` leaves it: the fields it
    names with the value they get back, and no row of a model it names with None."""
    return {
        model: [{**row, "fields": {**row["fields"], **lost.get(model, {})}} for row in model_rows]
        for model, model_rows in rows.items()
        if not (model in lost and lost[model] is None)
    }


def chinese_texts(rows: dict) -> dict:
    return {
        (model, row.get("pk"), name): value
        for model, model_rows in rows.items()
        for row in model_rows
        for name, value in row["fields"].items()
        if name.endswith("_zh_hans") or name.endswith("_zh")
    }


def test_apps_are_ordered_by_their_dependencies():
    apps = apps_in_dependency_order()
    assert set(OUR_APPS) <= set(apps) and set(latest_migrations()) == set(OUR_APPS)
    assert apps.index("contenttypes") < apps.index("auth") < apps.index("missions")
    assert apps.index("partners") < apps.index("missions")  # missions 0003 depends on partners 0001


def test_every_app_migrates_back_to_zero_and_forward_again(tmp_path):
    with scratch_site(tmp_path, "migrations") as site:
        back_to_zero = []
        # Dependants first, so that each app's step undoes that app alone.
        for app in reversed(apps_in_dependency_order()):
            if app == "auth":
                # Django's auth 0002 cannot be undone while a permission name is longer than
                # its old 50 characters (PostgreSQL refuses; SQLite does not check), and ours
                # "Can publish, unpublish and schedule cooperation projects" is. Our apps are
                # at zero by now, so their permissions are stale rows; `migrate` makes them anew.
                back_to_zero.append(STALE_PERMISSIONS)
            back_to_zero.append(("migrate", app, "zero", "--no-input", "-v", "0"))
        written = site.manage_in_turn(
            ("migrate", "--no-input", "-v", "0"),
            ("load_demo_content",),  # the data migrations' reverses run over real rows
            ("rebuild_search_index",),
            *back_to_zero,
        )
        indexed = written[2].splitlines()[-1]
        assert tables(site) == ["django_migrations"], "tables left behind after every app went back to zero"
        assert "[X]" not in site.manage("showmigrations").stdout

        written = site.manage_in_turn(
            ("migrate", "--no-input", "-v", "0"),
            ("load_demo_content",),
            ("migrate", "--check"),
            ("rebuild_search_index",),
        )
        assert written[-1].splitlines()[-1] == indexed


def test_latest_migration_of_each_app_goes_back_and_forward_keeping_content(tmp_path):
    """Each of our apps' latest migration, undone and redone, keeps every row and every field
    but what its reverse declares lost (LOST_WITH_LATEST); the search index comes back whole."""
    latest = latest_migrations()
    assert set(LOST_WITH_LATEST) == {(app, name) for app, (name, _) in latest.items()}, "say what each one loses"
    with scratch_site(tmp_path, "latest") as site:
        dumped = tmp_path / "content.json"
        site.manage_in_turn(
            ("migrate", "--no-input", "-v", "0"),
            ("load_demo_content",),
            "from tests.datasafety.seed import seed; seed()",
            dump_step(dumped),
        )
        before = content(dumped)
        assert before["search.searchentry"] and before["reversion.version"] and before["publishing.publicchange"]
        expected = before
        for app, (name, previous) in sorted(latest.items()):
            site.manage_in_turn(
                ("migrate", app, previous, "--no-input", "-v", "0"),
                ("migrate", "--no-input", "-v", "0"),
                dump_step(dumped),
            )
            lost = LOST_WITH_LATEST[(app, name)]
            expected = without_lost_fields(expected, lost)
            assert lost == {} or expected != before, f"{app} {name}: the test content has nothing to lose"
            assert content(dumped) == expected, f"{app} {name} back and forward changed the content"

        chinese = chinese_texts(expected)  # but for the rows a migration drops
        assert any(chinese.values()), "the test content has Chinese texts"
        assert chinese_texts(content(dumped)) == chinese
