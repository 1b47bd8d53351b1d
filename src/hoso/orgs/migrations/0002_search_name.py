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
    # The rule of Organization.name_columns, frozen here as migrations are. One UPDATE per
    # row through executemany: bulk_update's CASE statements take minutes on a national tree.
    Organization = apps.get_model("orgs", "Organization")
    rows = Organization.objects.values_list("id", "name", "short_name").order_by("id")
    sql = "UPDATE orgs_organization SET search_name = %s, sort_key = %s WHERE id = %s"
    batch = []
    with schema_editor.connection.cursor() as cursor:
        for pk, name, short_name in rows.iterator(chunk_size=5000):
            words = vntext.words(f"{name} {short_name}")
            batch.append((f" {' '.join(words)} "[:400], vntext.text_key(name), pk))
            if len(batch) == 5000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


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
