"""Seed the catalogues with the categories and posts of Quy định 80-QĐ/TW and the usual posts
of a province and a commune (editable defaults: the office adds its own), the case types that
serve each kind of list, and the reminder rule."""

from django.db import migrations

# code, name, level of the managing committee
CATEGORIES = [
    ("BCT", "Diện Bộ Chính trị quản lý", "central"),
    ("BBT", "Diện Ban Bí thư quản lý", "central"),
    ("BTVTU", "Diện Ban Thường vụ Tỉnh ủy, Thành ủy quản lý", "provincial"),
    ("BTVDUTT", "Diện Ban Thường vụ Đảng ủy trực thuộc Tỉnh ủy quản lý", "upper_base"),
    ("BTVDUX", "Diện Ban Thường vụ Đảng ủy xã, phường, đặc khu quản lý", "upper_base"),
    ("BTVDUCS", "Diện Ban Thường vụ Đảng ủy cơ sở quản lý", "base"),
]
# code, name, key, secret, elected
# fmt: off
POSTS = [
    ("BT_TU", "Bí thư Tỉnh ủy", True, False, True),
    ("PBT_TU", "Phó Bí thư Tỉnh ủy", True, False, True),
    ("UV_BTV_TU", "Ủy viên Ban Thường vụ Tỉnh ủy", True, False, True),
    ("TUV", "Tỉnh ủy viên", False, False, True),
    ("CT_HDND_TINH", "Chủ tịch Hội đồng nhân dân tỉnh", True, False, True),
    ("CT_UBND_TINH", "Chủ tịch Ủy ban nhân dân tỉnh", True, False, True),
    ("PCT_UBND_TINH", "Phó Chủ tịch Ủy ban nhân dân tỉnh", True, False, True),
    ("DBQH", "Đại biểu Quốc hội", False, False, True),
    ("DB_HDND_TINH", "Đại biểu Hội đồng nhân dân tỉnh", False, False, True),
    ("TB_DANG_TINH", "Trưởng ban đảng Tỉnh ủy", True, False, False),
    ("GD_SO", "Giám đốc sở, thủ trưởng cơ quan ngang sở", True, False, False),
    ("PGD_SO", "Phó Giám đốc sở", False, False, False),
    ("BT_DU_XA", "Bí thư Đảng ủy xã, phường", True, False, True),
    ("PBT_DU_XA", "Phó Bí thư Đảng ủy xã, phường", True, False, True),
    ("DUV_XA", "Đảng ủy viên xã, phường", False, False, True),
    ("CT_HDND_XA", "Chủ tịch Hội đồng nhân dân xã, phường", True, False, True),
    ("CT_UBND_XA", "Chủ tịch Ủy ban nhân dân xã, phường", True, False, True),
    ("PCT_UBND_XA", "Phó Chủ tịch Ủy ban nhân dân xã, phường", True, False, True),
    ("DB_HDND_XA", "Đại biểu Hội đồng nhân dân xã, phường", False, False, True),
    ("TRUONG_PHONG", "Trưởng phòng và tương đương", False, False, False),
    ("BVCTNB", "Cán bộ làm công tác bảo vệ chính trị nội bộ", False, True, False),
    ("TCCB", "Cán bộ làm công tác tổ chức, cán bộ", False, True, False),
    ("CO_YEU", "Cán bộ làm công tác cơ yếu", False, True, False),
    ("VT_MAT", "Cán bộ văn thư, lưu trữ tài liệu mật", False, True, False),
]
# fmt: on
LISTS = {
    "planning": "QUY_HOACH",
    "national_assembly": "UNG_CU_QH",
    "council_province": "UNG_CU_HDND",
    "council_commune": "UNG_CU_HDND",
    "congress": "NHAN_SU_DH",
}


def seed(apps, schema_editor):
    Category = apps.get_model("cadres", "ManagementCategory")
    PostKind = apps.get_model("cadres", "PostKind")
    ListRule = apps.get_model("cadres", "ListRule")
    CadreRule = apps.get_model("cadres", "CadreRule")
    for order, (code, name, level) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "order": order * 10}
        )
    for order, (code, name, key, secret, elected) in enumerate(POSTS, start=1):
        PostKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "key": key,
                "secret": secret,
                "mode": "elected" if elected else "appointed",
                "order": order * 10,
            },
        )
    for kind, types in LISTS.items():
        ListRule.objects.get_or_create(kind=kind, defaults={"case_types": types})
    CadreRule.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("cadres", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
