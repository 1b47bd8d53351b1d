"""Default times to answer a request for verification help, in working days (configurable on
the catalogues page; no rule was found: the same 15 working days a case type gives the bodies
that answer this office's own verification requests)."""

from django.db import migrations

RULES = [("verify", 15), ("dossier", 15)]


def seed(apps, schema_editor):
    Rule = apps.get_model("vetting", "HelpRule")
    for kind, days in RULES:
        Rule.objects.get_or_create(kind=kind, defaults={"days": days})


class Migration(migrations.Migration):
    dependencies = [("vetting", "0008_help_requests")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
