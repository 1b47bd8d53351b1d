"""The organization picker's columns (orgs/search.py): the name's folded words and its
collation key, filled for the existing rows; on PostgreSQL a GIN full-text index over the
words, as the member's (people/0002). SQLite installations search with LIKE on the same
column."""

from django.db import migrations, models

from hoso.lib import vntext

CREATE = (
    "CREATE INDEX IF NOT EXISTS org_search_fts ON orgs_organization "
    "USING gin (to_tsvector('simple', search_name))"
)
DROP = "DROP INDEX IF EXISTS org_search_fts"


def backfill(apps, schema_editor):
    # The rule of Organization.name_columns, frozen here as migrations are.
    Organization = apps.get_model("orgs", "Organization")
    batch = []
    for org in Organization.objects.only("id", "name", "short_name").iterator(chunk_size=2000):
        words = vntext.words(f"{org.name} {org.short_name}")
        org.search_name = f" {' '.join(words)} "[:400]
        org.sort_key = vntext.text_key(org.name)
        batch.append(org)
        if len(batch) == 2000:
            Organization.objects.bulk_update(batch, ["search_name", "sort_key"])
            batch = []
    Organization.objects.bulk_update(batch, ["search_name", "sort_key"])


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="search_name",
            field=models.CharField(default="", editable=False, max_length=400),
        ),
        migrations.AddField(
            model_name="organization",
            name="sort_key",
            field=models.BinaryField(default=b""),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
