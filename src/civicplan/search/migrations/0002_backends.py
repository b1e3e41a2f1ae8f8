"""The database side of search, by vendor (SQLite FTS5 trigram table; PostgreSQL pg_trgm GIN indexes).

SQLite: an external-content FTS5 table over the folded text and the word tokens, kept in step by triggers,
so bulk inserts and cascading deletes need no code. PostgreSQL: pg_trgm GIN indexes serve LIKE '%…%' on both
columns (the database must have a UTF-8 LC_CTYPE for pg_trgm to see Chinese trigrams; with another locale
results stay right but the index does not narrow them: docs/operations.md).
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
           folded, tokens, content='search_searchentry', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN
           INSERT INTO search_fts(rowid, folded, tokens) VALUES (new.id, new.folded, new.tokens);
       END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN
           INSERT INTO search_fts(search_fts, rowid, folded, tokens) VALUES ('delete', old.id, old.folded, old.tokens);
       END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchentry BEGIN
           INSERT INTO search_fts(search_fts, rowid, folded, tokens) VALUES ('delete', old.id, old.folded, old.tokens);
           INSERT INTO search_fts(rowid, folded, tokens) VALUES (new.id, new.folded, new.tokens);
       END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX search_entry_folded_trgm ON search_searchentry USING gin (folded gin_trgm_ops)",
    "CREATE INDEX search_entry_tokens_trgm ON search_searchentry USING gin (tokens gin_trgm_ops)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_entry_tokens_trgm",
    "DROP INDEX IF EXISTS search_entry_folded_trgm",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
                             _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE})),
    ]
