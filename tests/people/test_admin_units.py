from __future__ import annotations

from django.core.management import call_command

from hoso.lib import vntext
from hoso.people.models import AdminUnit


def test_load_current_units_once(db: object) -> None:
    call_command("load_admin_units")
    assert AdminUnit.objects.filter(level="province").count() == 34
    assert AdminUnit.objects.filter(level="commune").count() == 3321
    call_command("load_admin_units")  # idempotent
    assert AdminUnit.objects.count() == 34 + 3321
    ward = AdminUnit.objects.get(level="commune", code="00070")
    assert ward.name == "Phường Hoàn Kiếm" and ward.parent is not None
    assert ward.parent.name == "Thành phố Hà Nội"
    assert "hoan kiem" in ward.name_folded
    assert AdminUnit.objects.filter(name_folded__contains=vntext.fold("Hoàn Kiếm")).exists()
