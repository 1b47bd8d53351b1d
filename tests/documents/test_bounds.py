"""The registers refuse implausible dates and counts, and classifications above the user's
clearance, as form errors in Vietnamese (issue 10: an outgoing document dated 9999-12-31 with
99,999,999,999 copies was registered; a Tối mật one gave a bare 403 page)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from hoso.access.roles import Clearance
from hoso.documents.models import DocumentKind, IncomingDocument, OutgoingDocument
from hoso.orgs.models import Term
from hoso.people.forms import MatterForm
from hoso.petitions.forms import IntakeForm
from hoso.vetting.forms import CaseForm
from tests.conftest import Personas, World, client_for
from tests.vetting.office import Office, make_type


def _outgoing(world: World, **changes: Any) -> dict[str, Any]:
    Term.objects.get_or_create(
        organization=world.commune_a, name="2025-2030", defaults={"starts_on": dt.date(2025, 10, 1)}
    )
    data = {
        "organization": world.commune_a.pk,
        "classification": 0,
        "kind": DocumentKind.objects.get(code="CV").pk,
        "issued_on": "2026-05-04",
        "summary": "Công văn",
        "copies": 2,
    }
    return {**data, **changes}


def test_an_implausible_date_and_copy_count_are_form_errors(
    world: World, personas: Personas
) -> None:
    client = client_for(personas.clerk_a)
    response = client.post(
        reverse("documents-outgoing"),
        _outgoing(world, issued_on="9999-12-31", copies=99_999_999_999),
    )
    assert response.status_code == 200  # the form again, with its errors
    errors = response.context["form"].errors
    assert "Nhập ngày từ 01/01/1930" in str(errors["issued_on"])
    assert "1000" in str(errors["copies"])
    assert not OutgoingDocument.objects.exists()
    # A smallint's worth of copies would overflow on PostgreSQL: refused everywhere.
    response = client.post(reverse("documents-outgoing"), _outgoing(world, copies=40_000))
    assert "copies" in response.context["form"].errors
    assert client.post(reverse("documents-outgoing"), _outgoing(world)).status_code == 302


def test_incoming_dates_are_bounded(world: World, personas: Personas) -> None:
    response = client_for(personas.clerk_a).post(
        reverse("documents-incoming"),
        {
            "organization": world.commune_a.pk,
            "classification": 0,
            "received_on": "0001-01-01",
            "sender": "Công an tỉnh",
            "sender_reference": "45/CAT-PV01",
            "sender_date": "9999-12-31",
            "summary": "Trả lời",
        },
    )
    assert set(response.context["form"].errors) == {"received_on", "sender_date"}
    assert not IncomingDocument.objects.exists()


def test_a_classification_above_the_clearance_is_a_form_error(
    world: World, personas: Personas
) -> None:
    client = client_for(personas.clerk_a)  # clearance Mật
    page = client.get(reverse("documents-outgoing"))
    offered = [v for v, _ in page.context["form"].fields["classification"].choices]
    assert offered == [Clearance.NONE, Clearance.CONFIDENTIAL]
    response = client.post(
        reverse("documents-outgoing"), _outgoing(world, classification=Clearance.SECRET)
    )
    assert response.status_code == 200  # it was a bare 403 page
    assert "cao hơn mức được tiếp cận bí mật của bạn (Mật)" in response.content.decode()
    assert not OutgoingDocument.objects.exists()


def test_the_other_forms_with_a_classification_limit_it_too(office: Office, world: World) -> None:
    officer = office.officer  # Mật
    secret = str(Clearance.SECRET)
    matter = MatterForm({"classification": secret}, actor=officer)
    intake = IntakeForm({"classification": secret}, actor=officer)
    case = CaseForm({"classification": secret}, actor=officer)
    for form in (matter, intake, case):
        assert not form.is_valid()
        assert "cao hơn mức được tiếp cận" in str(form.errors["classification"]), form
    # A case left at its type's default: refused on the form if the default is too high.
    secret_type = make_type("T_MAT", default_classification=Clearance.SECRET)
    default = CaseForm({"case_type": secret_type.pk, "classification": ""}, actor=officer)
    assert not default.is_valid() and "classification" in default.errors
