"""SQLite refuses DELETE of audit events too (PostgreSQL has since 0002).

The test suite empties tables between transactional tests with DELETE: it lifts these guards
for the length of the flush only (tests/conftest.py), the way PostgreSQL's TRUNCATE passes
its row triggers.
"""

from django.db import migrations

UP = """
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
"""
DOWN = "DROP TRIGGER IF EXISTS audit_event_no_delete;"


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(UP)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(DOWN)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain_head_and_triggers")]

    operations = [migrations.RunPython(up, down)]
