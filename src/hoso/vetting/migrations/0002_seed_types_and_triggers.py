"""Seed the case types (editable defaults: the regulations' numbers are not all confirmed, see
domain.md §2) and make conclusions immutable in the database itself."""

from django.db import migrations

ALL = ["review", "verification", "compiling", "proposal"]
STANDARD = [
    ["DU", "Đủ tiêu chuẩn chính trị"],
    ["CHUA_DU_CAN_CU", "Chưa đủ căn cứ kết luận, tiếp tục thẩm tra, xác minh"],
    ["KHONG_DU", "Không đủ tiêu chuẩn chính trị"],
]
TRAVEL = [
    ["KHONG_VUONG", "Không vướng mắc về chính trị"],
    ["VUONG", "Có vướng mắc về chính trị"],
]
PETITION = [
    ["DUNG", "Nội dung đơn đúng"],
    ["DUNG_MOT_PHAN", "Nội dung đơn đúng một phần"],
    ["SAI", "Nội dung đơn không đúng"],
]
# code, name, days, working?, pausable, classification, team, outcomes, steps
# fmt: off
TYPES = [
    ("BO_NHIEM", "Đề bạt, bổ nhiệm", 30, True, True, 1, 3, STANDARD, ALL),
    ("QUY_HOACH", "Quy hoạch cán bộ", 30, True, True, 1, 3, STANDARD, ALL),
    ("LUAN_CHUYEN", "Luân chuyển cán bộ", 30, True, True, 1, 3, STANDARD, ALL),
    ("UNG_CU_QH", "Ứng cử đại biểu Quốc hội", 20, True, False, 1, 3, STANDARD, ALL),
    ("UNG_CU_HDND", "Ứng cử đại biểu Hội đồng nhân dân", 20, True, False, 1, 3, STANDARD, ALL),
    ("NHAN_SU_DH", "Nhân sự đại hội đảng", 30, True, True, 1, 3, STANDARD, ALL),
    ("KET_NAP", "Kết nạp đảng viên", 60, True, True, 1, 3, STANDARD, ALL),
    ("TRONG_YEU", "Bố trí vào vị trí trọng yếu, cơ mật", 30, True, True, 2, 3, STANDARD, ALL),
    ("RA_NUOC_NGOAI", "Ra nước ngoài", 10, True, False, 1, 1, TRAVEL, ["review", "compiling"]),
    ("QUAN_HE_NN", "Quan hệ với tổ chức, cá nhân nước ngoài", 30, True, True, 1, 3, STANDARD, ALL),
    ("KET_HON_NN", "Kết hôn với người nước ngoài (bản thân hoặc con)", 30, True, True, 1, 3,
     STANDARD, ALL),
    ("DON_THU", "Đơn thư về tiêu chuẩn chính trị", 90, True, True, 1, 3, PETITION, ALL),
    ("KHAC", "Thẩm tra, xác minh khác", 30, True, True, 1, 3, STANDARD, ALL),
]
# fmt: on

PG_UP = """
CREATE OR REPLACE FUNCTION hoso_conclusion_immutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'a conclusion is never edited or deleted: record a correction';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER conclusion_immutable BEFORE UPDATE OR DELETE ON vetting_conclusion
  FOR EACH ROW EXECUTE FUNCTION hoso_conclusion_immutable();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS conclusion_immutable ON vetting_conclusion;
DROP FUNCTION IF EXISTS hoso_conclusion_immutable();
"""
# SQLite: UPDATE only, so that the test database can still be emptied between tests.
SQLITE_UP = """
CREATE TRIGGER conclusion_immutable BEFORE UPDATE ON vetting_conclusion
BEGIN SELECT RAISE(ABORT, 'a conclusion is never edited: record a correction'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS conclusion_immutable;"


def seed(apps, schema_editor):
    CaseType = apps.get_model("vetting", "CaseType")
    Version = apps.get_model("vetting", "CaseTypeVersion")
    for code, name, days, working, pausable, level, team, outcomes, steps in TYPES:
        case_type, _ = CaseType.objects.get_or_create(code=code)
        if case_type.current_id:
            continue
        case_type.current = Version.objects.create(
            case_type=case_type,
            number=1,
            name=name,
            period_days=days,
            period_unit="working" if working else "calendar",
            pausable=pausable,
            default_classification=level,
            min_team_size=team,
            reply_days=15,
            outcomes=outcomes,
            steps=steps,
        )
        case_type.save()


def triggers_up(apps, schema_editor):
    pg = schema_editor.connection.vendor == "postgresql"
    schema_editor.execute(PG_UP if pg else SQLITE_UP)


def triggers_down(apps, schema_editor):
    pg = schema_editor.connection.vendor == "postgresql"
    schema_editor.execute(PG_DOWN if pg else SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("vetting", "0001_initial")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(triggers_up, triggers_down),
    ]
