"""PostgreSQL: a GIN full-text index over the member's folded names (see people/search.py).
SQLite installations are office-sized and search with LIKE on the same column."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS member_search_fts ON people_member "
    "USING gin (to_tsvector('simple', search_text))"
)
DROP = "DROP INDEX IF EXISTS member_search_fts"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
