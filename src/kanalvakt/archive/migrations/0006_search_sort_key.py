"""Search entries ordered by one integer key, and SQLite's FTS5 table keyed by it with the
filter values as a second column (see search_models). The index is derived data: this
migration empties it and the archive app's post_migrate handler rebuilds what is missing."""

from django.db import migrations, models

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS archive_search_au",
    "DROP TRIGGER IF EXISTS archive_search_ad",
    "DROP TRIGGER IF EXISTS archive_search_ai",
    "DROP TABLE IF EXISTS archive_search_fts",
]
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE archive_search_fts USING fts5(body, facets, "
    'content="archive_searchentry", content_rowid="sort_key", '
    "tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE TRIGGER archive_search_ai AFTER INSERT ON archive_searchentry BEGIN "
    "INSERT INTO archive_search_fts(rowid, body, facets) "
    "VALUES (new.sort_key, new.body, new.facets); END",
    "CREATE TRIGGER archive_search_ad AFTER DELETE ON archive_searchentry BEGIN "
    "INSERT INTO archive_search_fts(archive_search_fts, rowid, body, facets) "
    "VALUES ('delete', old.sort_key, old.body, old.facets); END",
    "CREATE TRIGGER archive_search_au AFTER UPDATE ON archive_searchentry BEGIN "
    "INSERT INTO archive_search_fts(archive_search_fts, rowid, body, facets) "
    "VALUES ('delete', old.sort_key, old.body, old.facets); "
    "INSERT INTO archive_search_fts(rowid, body, facets) "
    "VALUES (new.sort_key, new.body, new.facets); END",
]


def _sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


def empty_index(apps, schema_editor):
    apps.get_model("archive", "SearchEntry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("archive", "0005_search_index_tiebreak")]

    operations = [
        migrations.RunPython(_sqlite(SQLITE_DROP), migrations.RunPython.noop),
        migrations.RunPython(empty_index, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="searchentry", name="archive_search_channel"),
        migrations.RemoveIndex(model_name="searchentry", name="archive_search_created"),
        migrations.AddField(
            model_name="searchentry",
            name="sort_key",
            field=models.BigIntegerField(default=0, unique=True),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="searchentry", name="facets", field=models.TextField(default="")
        ),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(
                fields=["channel_id_copy", "sort_key"], name="archive_search_channel"
            ),
        ),
        migrations.RunPython(_sqlite(SQLITE_CREATE), _sqlite(SQLITE_DROP)),
    ]
