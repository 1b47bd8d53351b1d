"""Public holidays and substituted working days 2025-2027 (Labour Code 2019, art. 112, and the
government's yearly notices). 2025 follows the published notices; 2026 and 2027 follow the law
with the usual arrangements and are marked unconfirmed: an administrator checks each year's
notice and confirms or corrects them on the calendar page."""

import datetime as dt

from django.db import migrations

H, W = "holiday", "working"


def days(y, m, first, last):
    return [dt.date(y, m, d) for d in range(first, last + 1)]


SEED = (
    # 2025 (published notices)
    [(dt.date(2025, 1, 1), H, "Tết Dương lịch", True)]
    + [(d, H, "Tết Nguyên đán Ất Tỵ", True) for d in days(2025, 1, 27, 31)]
    + [
        (dt.date(2025, 4, 7), H, "Giỗ Tổ Hùng Vương (10/3 âm lịch)", True),
        (dt.date(2025, 4, 26), W, "Làm bù cho ngày 02/5", True),
        (dt.date(2025, 4, 30), H, "Ngày Giải phóng miền Nam", True),
        (dt.date(2025, 5, 1), H, "Ngày Quốc tế Lao động", True),
        (dt.date(2025, 5, 2), H, "Nghỉ hoán đổi (làm bù 26/4)", True),
        (dt.date(2025, 9, 1), H, "Quốc khánh (ngày liền kề)", True),
        (dt.date(2025, 9, 2), H, "Quốc khánh", True),
    ]
    # 2026
    + [(dt.date(2026, 1, 1), H, "Tết Dương lịch", False)]
    + [(d, H, "Tết Nguyên đán Bính Ngọ", False) for d in days(2026, 2, 16, 20)]
    + [
        (dt.date(2026, 4, 27), H, "Nghỉ bù Giỗ Tổ Hùng Vương (26/4 là Chủ nhật)", False),
        (dt.date(2026, 4, 30), H, "Ngày Giải phóng miền Nam", False),
        (dt.date(2026, 5, 1), H, "Ngày Quốc tế Lao động", False),
        (dt.date(2026, 9, 1), H, "Quốc khánh (ngày liền kề)", False),
        (dt.date(2026, 9, 2), H, "Quốc khánh", False),
    ]
    # 2027
    + [(dt.date(2027, 1, 1), H, "Tết Dương lịch", False)]
    + [
        (d, H, "Tết Nguyên đán Đinh Mùi", False)
        for d in [dt.date(2027, 2, 4), dt.date(2027, 2, 5), *days(2027, 2, 8, 10)]
    ]
    + [
        (dt.date(2027, 4, 16), H, "Giỗ Tổ Hùng Vương (10/3 âm lịch)", False),
        (dt.date(2027, 4, 30), H, "Ngày Giải phóng miền Nam", False),
        (dt.date(2027, 5, 3), H, "Nghỉ bù Quốc tế Lao động (1/5 là thứ Bảy)", False),
        (dt.date(2027, 9, 2), H, "Quốc khánh", False),
        (dt.date(2027, 9, 3), H, "Quốc khánh (ngày liền kề)", False),
    ]
)


def seed(apps, schema_editor):
    SpecialDay = apps.get_model("workcal", "SpecialDay")
    for date, kind, name, confirmed in SEED:
        SpecialDay.objects.get_or_create(
            date=date, defaults={"kind": kind, "name": name, "confirmed": confirmed}
        )


class Migration(migrations.Migration):
    dependencies = [("workcal", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
