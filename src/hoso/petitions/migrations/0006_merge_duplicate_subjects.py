"""A petition taken in from a member's page listed the member twice: linked, and as typed
again by the clerk (issue 16, item 9). Merge each such pair, and any person linked twice, into
one subject (the post kept when only a duplicate had one), before 0007 makes it a constraint."""

import unicodedata

from django.db import migrations


def _fold(text):
    bare = "".join(
        c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c)
    )
    return " ".join(bare.replace("đ", "d").split())


def merge(apps, schema_editor):
    Subject = apps.get_model("petitions", "Subject")
    linked = Subject.objects.filter(person__isnull=False).order_by("petition_id", "id")
    kept = {}
    for subject in linked:
        first = kept.setdefault((subject.petition_id, subject.person_id), subject)
        if first.pk != subject.pk:
            _absorb(first, subject)
    for first in kept.values():
        typed = Subject.objects.filter(petition_id=first.petition_id, person__isnull=True)
        for subject in typed:
            if _fold(subject.name) == _fold(first.name):
                _absorb(first, subject)


def _absorb(first, duplicate):
    if duplicate.position and not first.position:
        first.position = duplicate.position
        first.save(update_fields=["position"])
    duplicate.delete()


class Migration(migrations.Migration):
    dependencies = [("petitions", "0005_encrypted_at_rest")]
    operations = [migrations.RunPython(merge, migrations.RunPython.noop)]
