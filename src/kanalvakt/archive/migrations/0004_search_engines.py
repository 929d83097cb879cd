"""Full-text structures of archive search, per database engine (see search_models)."""

from django.db import migrations

SQLITE = [
    'CREATE VIRTUAL TABLE archive_search_fts USING fts5(body, content="archive_searchentry", '
    "content_rowid=\"item_id\", tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE TRIGGER archive_search_ai AFTER INSERT ON archive_searchentry BEGIN "
    "INSERT INTO archive_search_fts(rowid, body) VALUES (new.item_id, new.body); END",
    "CREATE TRIGGER archive_search_ad AFTER DELETE ON archive_searchentry BEGIN "
    "INSERT INTO archive_search_fts(archive_search_fts, rowid, body) "
    "VALUES ('delete', old.item_id, old.body); END",
    "CREATE TRIGGER archive_search_au AFTER UPDATE ON archive_searchentry BEGIN "
    "INSERT INTO archive_search_fts(archive_search_fts, rowid, body) "
    "VALUES ('delete', old.item_id, old.body); "
    "INSERT INTO archive_search_fts(rowid, body) VALUES (new.item_id, new.body); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER archive_search_au",
    "DROP TRIGGER archive_search_ad",
    "DROP TRIGGER archive_search_ai",
    "DROP TABLE archive_search_fts",
]
POSTGRES = [
    "CREATE INDEX archive_search_body_gin ON archive_searchentry "
    "USING GIN (to_tsvector('simple'::regconfig, body))"
]
POSTGRES_REVERSE = ["DROP INDEX archive_search_body_gin"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("archive", "0003_searchentry")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
