"""The usual contents of a member dossier (Hướng dẫn 12-HD/BTCTW and its successors). Form
codes change between guidance versions: administrators edit this catalogue."""

from django.db import migrations

CURRENT = ["probationary", "official", "exempted", "suspended"]
SEED = [
    ("1-KNĐ", "Đơn xin vào Đảng", True, CURRENT, 10),
    ("2-KNĐ", "Lý lịch của người xin vào Đảng", True, CURRENT, 20),
    ("4-KNĐ", "Giấy giới thiệu người vào Đảng", True, CURRENT, 30),
    ("QĐ-KN", "Quyết định kết nạp đảng viên", True, CURRENT, 40),
    ("9-KNĐ", "Bản tự kiểm điểm của đảng viên dự bị", False, ["official"], 50),
    ("QĐ-CT", "Quyết định công nhận đảng viên chính thức", True, ["official", "exempted"], 60),
    ("2-HSĐV", "Phiếu đảng viên", True, ["official", "exempted", "suspended"], 70),
    ("3-HSĐV", "Phiếu bổ sung hồ sơ đảng viên", False, [], 80),
    ("GGT", "Giấy giới thiệu sinh hoạt đảng", False, [], 90),
    ("XM", "Văn bản thẩm tra, xác minh lý lịch", False, [], 100),
]


def seed(apps, schema_editor):
    DocumentType = apps.get_model("people", "DocumentType")
    for code, name, required, statuses, order in SEED:
        DocumentType.objects.get_or_create(
            code=code,
            defaults={"name": name, "required": required, "statuses": statuses, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0005_dossier")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
