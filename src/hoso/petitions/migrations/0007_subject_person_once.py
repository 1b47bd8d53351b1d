from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("petitions", "0006_merge_duplicate_subjects")]
    operations = [
        migrations.AddConstraint(
            model_name="subject",
            constraint=models.UniqueConstraint(
                condition=models.Q(person__isnull=False),
                fields=("petition", "person"),
                name="petition_subject_person_once",
            ),
        ),
    ]
