from django.db import migrations

SEED = [
    ("bo-de", "Bố đẻ"),
    ("me-de", "Mẹ đẻ"),
    ("bo-nuoi", "Bố nuôi"),
    ("me-nuoi", "Mẹ nuôi"),
    ("nguoi-nuoi-duong", "Người nuôi dưỡng"),
    ("vo", "Vợ"),
    ("chong", "Chồng"),
    ("con-de", "Con đẻ"),
    ("con-nuoi", "Con nuôi"),
    ("anh-ruot", "Anh ruột"),
    ("chi-ruot", "Chị ruột"),
    ("em-ruot", "Em ruột"),
    ("bo-vo-chong", "Bố vợ / bố chồng"),
    ("me-vo-chong", "Mẹ vợ / mẹ chồng"),
    ("ong-noi", "Ông nội"),
    ("ba-noi", "Bà nội"),
    ("ong-ngoai", "Ông ngoại"),
    ("ba-ngoai", "Bà ngoại"),
]


def seed(apps, schema_editor):
    Relationship = apps.get_model("people", "Relationship")
    for order, (code, name) in enumerate(SEED, start=1):
        Relationship.objects.get_or_create(code=code, defaults={"name": name, "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("people", "0007_resume")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
