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


def test_unit_search_and_the_person_form(db: object) -> None:
    from django.urls import reverse

    from hoso.orgs.models import Organization
    from hoso.people.forms import PersonForm
    from tests.conftest import client_for, make_user

    call_command("load_admin_units")
    root = Organization.objects.add_root(
        create_kwargs={"name": "X", "code": "X", "level": "central"}
    )
    client = client_for(make_user("u", root, "clerk"))
    options = client.get(reverse("admin-units"), {"p-home_town_unit-q": "hoan kiem"})
    ward = AdminUnit.objects.get(level="commune", code="00070")
    assert f'value="{ward.pk}"' in options.content.decode()
    assert "Hoàn Kiếm" in options.content.decode()
    form = PersonForm(
        {
            "family_name": "A",
            "given_name": "B",
            "sex": "M",
            "birth_date_precision": "day",
            "nationality": "Việt Nam",
            "home_town": "Hoàn Kiếm",
            "home_town_unit": ward.pk,
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["home_town_unit"] == ward
    # Only the chosen unit is sent back in the page, not the whole register.
    assert str(form["home_town_unit"]).count("<option") == 2
