from django.db import migrations

SEED = [
    ("NQ", "Nghị quyết"),
    ("QĐ", "Quyết định"),
    ("QĐi", "Quy định"),
    ("QC", "Quy chế"),
    ("CT", "Chỉ thị"),
    ("KL", "Kết luận"),
    ("HD", "Hướng dẫn"),
    ("KH", "Kế hoạch"),
    ("BC", "Báo cáo"),
    ("TB", "Thông báo"),
    ("CV", "Công văn"),
    ("TTr", "Tờ trình"),
    ("CTr", "Chương trình"),
    ("BB", "Biên bản"),
    ("GGT", "Giấy giới thiệu"),
    ("PYC", "Phiếu yêu cầu thẩm tra, xác minh"),
]


def seed(apps, schema_editor):
    DocumentKind = apps.get_model("documents", "DocumentKind")
    for code, name in SEED:
        DocumentKind.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
