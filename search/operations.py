"""The database side of the search index: DDL that differs between PostgreSQL and SQLite, as one
migration operation that looks at the database it runs on."""

from django.db.migrations.operations.base import Operation

TABLE = "search_searchentry"
FTS_TABLE = "search_searchentry_fts"

# PostgreSQL: a weighted tsvector kept by a trigger, so that every write (bulk ones included)
# updates it, and a GIN index to find the matching rows. "simple": the terms are already stemmed
# and cut into Chinese pairs by search.text; the database must not change them again.
POSTGRESQL_CREATE = [
    f"""
    CREATE FUNCTION {TABLE}_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.vector :=
            setweight(to_tsvector('simple', coalesce(NEW.text_a, '')), 'A')
            || setweight(to_tsvector('simple', coalesce(NEW.text_b, '')), 'B')
            || setweight(to_tsvector('simple', coalesce(NEW.text_c, '')), 'C');
        RETURN NEW;
    END
    $$
    """,
    f"""
    CREATE TRIGGER {TABLE}_vector BEFORE INSERT OR UPDATE OF text_a, text_b, text_c ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_vector()
    """,
    f"UPDATE {TABLE} SET text_a = text_a",
    f"CREATE INDEX {TABLE}_vector_gin ON {TABLE} USING GIN (vector)",
]
POSTGRESQL_DROP = [
    f"DROP INDEX IF EXISTS {TABLE}_vector_gin",
    f"DROP TRIGGER IF EXISTS {TABLE}_vector ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_vector()",
]

# SQLite: an FTS5 table reading its text from the entries (external content), kept in step by
# the triggers the FTS5 documentation gives for such tables. It finds the matches and ranks them
# (bm25, search.ranking).
SQLITE_CREATE = [
    f"""
    CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        text_a, text_b, text_c, content='{TABLE}', content_rowid='id', tokenize='unicode61 remove_diacritics 0'
    )
    """,
    f"""
    CREATE TRIGGER {TABLE}_fts_insert AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}(rowid, text_a, text_b, text_c) VALUES (new.id, new.text_a, new.text_b, new.text_c);
    END
    """,
    f"""
    CREATE TRIGGER {TABLE}_fts_delete AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text_a, text_b, text_c)
        VALUES ('delete', old.id, old.text_a, old.text_b, old.text_c);
    END
    """,
    f"""
    CREATE TRIGGER {TABLE}_fts_update AFTER UPDATE ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text_a, text_b, text_c)
        VALUES ('delete', old.id, old.text_a, old.text_b, old.text_c);
        INSERT INTO {FTS_TABLE}(rowid, text_a, text_b, text_c) VALUES (new.id, new.text_a, new.text_b, new.text_c);
    END
    """,
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_fts_insert",
    f"DROP TRIGGER IF EXISTS {TABLE}_fts_delete",
    f"DROP TRIGGER IF EXISTS {TABLE}_fts_update",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]

STATEMENTS = {"postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP), "sqlite": (SQLITE_CREATE, SQLITE_DROP)}


class CreateSearchIndex(Operation):
    """The index over search_searchentry for the database at hand (PostgreSQL or SQLite).
    Changes no model state, so `makemigrations` has nothing to say about it."""

    reversible = True
    reduces_to_sql = False

    def state_forwards(self, app_label, state):
        pass

    def _run(self, schema_editor, which: int):
        vendor = schema_editor.connection.vendor
        if vendor not in STATEMENTS:
            raise NotImplementedError(f"The search index supports PostgreSQL and SQLite, not {vendor}.")
        for statement in STATEMENTS[vendor][which]:
            schema_editor.execute(statement, params=None)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if self.allow_migrate_model(schema_editor.connection.alias, to_state.apps.get_model(app_label, "searchentry")):
            self._run(schema_editor, 0)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self.allow_migrate_model(
            schema_editor.connection.alias, from_state.apps.get_model(app_label, "searchentry")
        ):
            self._run(schema_editor, 1)

    def describe(self):
        return "Create the full-text index of search entries (PostgreSQL tsvector or SQLite FTS5)"
