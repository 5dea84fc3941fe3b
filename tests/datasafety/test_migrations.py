"""Every migration runs forward from an empty database, back to zero and forward again, on the
database the suite runs on (SQLite, or PostgreSQL with DATABASE_URL), in a scratch database
driven through manage.py; and the latest migration of each of our apps can be undone and redone
without losing content."""

import yaml
from django.db.migrations.loader import MigrationLoader

from .scratch import scratch_site
from .test_backup_restore import DUMPDATA

OUR_APPS = ("search", "partners", "missions")
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


def content(site, tmp) -> dict:
    """The database's content, model by model, with the search index's rows by object (its
    own ids are not content: a rebuild renumbers them)."""
    out = tmp / "content.yaml"
    site.manage(*DUMPDATA, f"--output={out}")
    rows = yaml.safe_load(out.read_text(encoding="utf-8"))
    by_model = {}
    for row in rows:
        if row["model"] == "search.searchentry":
            row = {"model": row["model"], "fields": {k: v for k, v in row["fields"].items() if k != "vector"}}
        by_model.setdefault(row["model"], []).append(row)
    by_model["search.searchentry"] = sorted(by_model.get("search.searchentry", []), key=lambda row: str(row["fields"]))
    return by_model


# The Chinese texts that undoing each app's latest migration loses, by model: the schema before
# it has no column for them (as the migrations' reverses say). ALL: every Chinese text of the model.
ALL = None
LOST_WITH_LATEST = {
    # partners 0006: the partners' texts become translatable.
    "partners.partner": ALL,
    "partners.agreement": ALL,
    "partners.cooperationproject": ALL,
}
# What else undoing each app's latest migration loses, by model and field, with the value the
# field holds once redone. missions 0014: the NORAD numbers, the notes on the catalogue
# identifiers and what each source is cited for (the schema before has no column for them).
LOST_FIELDS_WITH_LATEST = {
    "missions.mission": {
        "norad_id": None,
        # Redone, a translation's columns are empty (NULL, as modeltranslation adds them).
        **{f"catalogue_{name}": "" for name in ("confidence", "note")},
        **{f"catalogue_{name}_{lang}": None for name in ("confidence", "note") for lang in ("en", "zh_hans")},
    },
    "missions.missionsource": {"covers": ""},
}


def without_chinese(rows: dict) -> dict:
    """The content as the schemas before the latest migrations can hold it: without the Chinese
    texts they added a column for."""

    def lost(model, field):
        fields = LOST_WITH_LATEST.get(model, ())
        return field.endswith("_zh_hans") and (fields is ALL or field in fields)

    return {
        model: [
            {**row, "fields": {k: "" if lost(model, k) else v for k, v in row["fields"].items()}} for row in model_rows
        ]
        for model, model_rows in rows.items()
    }


def without_lost_fields(rows: dict) -> dict:
    """The content as undoing and redoing the latest migrations leaves it: the fields they add
    hold their defaults."""
    return {
        model: [{**row, "fields": {**row["fields"], **LOST_FIELDS_WITH_LATEST.get(model, {})}} for row in model_rows]
        for model, model_rows in rows.items()
    }


def test_apps_are_ordered_by_their_dependencies():
    apps = apps_in_dependency_order()
    assert set(OUR_APPS) <= set(apps) and set(latest_migrations()) == set(OUR_APPS)
    assert apps.index("contenttypes") < apps.index("auth") < apps.index("missions")
    assert apps.index("partners") < apps.index("missions")  # missions 0003 depends on partners 0001


def test_every_app_migrates_back_to_zero_and_forward_again(tmp_path):
    with scratch_site(tmp_path, "migrations") as site:
        site.manage("migrate", "--no-input", "-v", "0")
        site.manage("load_demo_content")  # the data migrations' reverses run over real rows
        indexed = site.manage("rebuild_search_index").stdout.splitlines()[-1]
        # Dependants first, so that each app's step undoes that app alone.
        for app in reversed(apps_in_dependency_order()):
            if app == "auth":
                # Django's auth 0002 cannot be undone while a permission name is longer than
                # its old 50 characters (PostgreSQL refuses; SQLite does not check), and ours
                # "Can publish, unpublish and schedule cooperation projects" is. Our apps are
                # at zero by now, so their permissions are stale rows; `migrate` makes them anew.
                site.shell(STALE_PERMISSIONS)
            site.manage("migrate", app, "zero", "--no-input", "-v", "0")
        assert tables(site) == ["django_migrations"], "tables left behind after every app went back to zero"
        assert "[X]" not in site.manage("showmigrations").stdout

        site.manage("migrate", "--no-input", "-v", "0")
        site.manage("load_demo_content")
        site.manage("migrate", "--check")
        assert site.manage("rebuild_search_index").stdout.splitlines()[-1] == indexed


def test_latest_migration_of_each_app_goes_back_and_forward_keeping_content(tmp_path):
    """search 0001 creates the search index: undone, the index goes with it, and
    `rebuild_search_index` brings it back whole. The translation migrations of partners and
    missions, undone, keep the English texts in the fields as they were before, and lose the
    Chinese ones, which that schema has no column for (as their reverse says)."""
    with scratch_site(tmp_path, "latest") as site:
        site.manage("migrate", "--no-input", "-v", "0")
        site.manage("load_demo_content")
        site.shell("from tests.datasafety.seed import seed; seed()")
        before = content(site, tmp_path)
        assert before["search.searchentry"] and before["reversion.version"]

        # The search index first: undoing the others' translation migrations loses Chinese texts.
        for app, (latest, previous) in sorted(latest_migrations().items(), key=lambda item: item[0] != "search"):
            site.manage("migrate", app, previous, "--no-input", "-v", "0")
            site.manage("migrate", "--no-input", "-v", "0")
            if app == "search":
                site.manage("rebuild_search_index")
                assert content(site, tmp_path) == before, f"{app} {latest} back and forward changed the content"

        after = content(site, tmp_path)
        assert after == without_lost_fields(without_chinese(before))
        assert before["missions.mission"] != without_lost_fields(before)["missions.mission"], "nothing to lose"
        chinese = [v for rows in before.values() for row in rows for k, v in row["fields"].items() if "_zh_hans" in k]
        assert any(chinese), "the test content has Chinese translations to lose"
