"""SQLite refuses DELETE of a conclusion too (PostgreSQL has since 0002); see
audit/migrations/0003 for how the test suite still empties the table."""

from django.db import migrations

UP = """
CREATE TRIGGER conclusion_no_delete BEFORE DELETE ON vetting_conclusion
BEGIN SELECT RAISE(ABORT, 'a conclusion is never deleted: record a correction'); END;
"""
DOWN = "DROP TRIGGER IF EXISTS conclusion_no_delete;"


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(UP)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(DOWN)


class Migration(migrations.Migration):
    dependencies = [("vetting", "0003_worker_claim")]

    operations = [migrations.RunPython(up, down)]
