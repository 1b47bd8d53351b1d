"""The key each event's hash is made under, and the chain head's key and seal (audit/keys.py).

Columns added in place (ALTER TABLE ... ADD COLUMN): on SQLite, Django would remake the table
to add them, which would drop its append-only triggers with the old table."""

from django.db import migrations, models

ADD = (
    ("audit_auditevent", "key_id", "varchar(32)"),
    ("audit_chainhead", "key_id", "varchar(32)"),
    ("audit_chainhead", "seal", "varchar(64)"),
)


def add_columns(apps, schema_editor):
    for table, column, kind in ADD:
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind} NOT NULL DEFAULT ''")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_sqlite_delete_guard")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(add_columns, migrations.RunPython.noop)],
            state_operations=[
                migrations.AddField(
                    model_name="auditevent",
                    name="key_id",
                    field=models.CharField(blank=True, default="", max_length=32),
                ),
                migrations.AddField(
                    model_name="chainhead",
                    name="key_id",
                    field=models.CharField(blank=True, default="", max_length=32),
                ),
                migrations.AddField(
                    model_name="chainhead",
                    name="seal",
                    field=models.CharField(blank=True, default="", max_length=64),
                ),
            ],
        ),
    ]
