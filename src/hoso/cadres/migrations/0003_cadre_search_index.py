"""PostgreSQL: a GIN full-text index over the cadre's copy of the folded names, as the
member's (people/0002); SQLite installations search with LIKE on the same column."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS cadre_search_fts ON cadres_cadre "
    "USING gin (to_tsvector('simple', search_text))"
)
DROP = "DROP INDEX IF EXISTS cadre_search_fts"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("cadres", "0002_seed")]
    operations = [migrations.RunPython(forwards, backwards)]
