"""Default time limits (configurable; the older rule was 90 working days at provincial level
and below, domain.md §2)."""

from django.db import migrations

LIMITS = [("classify", 10), ("complaint", 90), ("denunciation", 90), ("report", 30)]


def seed(apps, schema_editor):
    Rule = apps.get_model("petitions", "PetitionRule")
    for kind, days in LIMITS:
        Rule.objects.get_or_create(kind=kind, defaults={"days": days, "unit": "working"})


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
