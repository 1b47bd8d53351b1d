"""`/api/v1/outgoing-documents/` and `/api/v1/incoming-documents/`: the registers, read-only,
with the rows the register pages show (scope, clearance, owners) and the pages' filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from hoso.access.roles import Clearance, Role
from hoso.documents import api
from hoso.documents.actions import numbering
from hoso.documents.models import DocumentKind, IncomingDocument, OutgoingDocument
from hoso.orgs.models import Term
from tests.conftest import Personas, World, client_for, make_user

D = dt.date
OUT = "/api/v1/outgoing-documents/"
IN = "/api/v1/incoming-documents/"


def _kind(code: str) -> DocumentKind:
    return DocumentKind.objects.get(code=code)


@pytest.fixture
def registers(world: World, personas: Personas) -> dict[str, Any]:
    """Commune A: a plan of 2025, a letter and a Mật report of 2026, a Tối mật letter; two
    incoming documents (one Tối mật). Commune B: one outgoing and one incoming document."""
    for commune in (world.commune_a, world.commune_b):
        Term.objects.create(organization=commune, name="2025-2030", starts_on=D(2025, 10, 1))
    secret_clerk = make_user("clerk_a_secret", world.commune_a, Role.CLERK, Clearance.SECRET)
    clerk = personas.clerk_a
    a = world.commune_a
    docs = {
        "plan": numbering.allocate(
            clerk, a, _kind("KH"), issued_on=D(2025, 11, 3), summary="Kế hoạch rà soát đảng viên"
        ),
        "letter": numbering.allocate(
            clerk,
            a,
            _kind("CV"),
            issued_on=D(2026, 2, 2),
            summary="V/v lịch họp chi bộ",
            body="Nội dung không được gửi qua API.",
            recipients="Các chi bộ\nLưu VP",
        ),
        "report": numbering.allocate(
            clerk,
            a,
            _kind("BC"),
            issued_on=D(2026, 3, 4),
            summary="Báo cáo tình hình",
            classification=Clearance.CONFIDENTIAL,
        ),
        "secret": numbering.allocate(
            secret_clerk,
            a,
            _kind("CV"),
            issued_on=D(2026, 3, 5),
            summary="Công văn tối mật",
            classification=Clearance.SECRET,
        ),
        "foreign": numbering.allocate(
            personas.officer_b,
            world.commune_b,
            _kind("KH"),
            issued_on=D(2026, 1, 7),
            summary="ZZB kế hoạch",
        ),
        "reply": numbering.register_incoming(
            clerk,
            a,
            received_on=D(2026, 3, 20),
            sender="Công an tỉnh",
            sender_reference="45/CAT-PV01",
            sender_date=D(2026, 3, 18),
            summary="Trả lời phiếu yêu cầu",
        ),
        "old_reply": numbering.register_incoming(
            clerk,
            a,
            received_on=D(2025, 12, 1),
            sender="Ủy ban kiểm tra",
            sender_reference="12/UBKT",
            summary="Thông báo kết luận",
        ),
        "secret_in": numbering.register_incoming(
            secret_clerk,
            a,
            received_on=D(2026, 3, 21),
            sender="Ban Tổ chức",
            sender_reference="7/BTC-TM",
            summary="Văn bản tối mật",
            classification=Clearance.SECRET,
        ),
        "foreign_in": numbering.register_incoming(
            personas.officer_b,
            world.commune_b,
            received_on=D(2026, 1, 8),
            sender="CA",
            sender_reference="1/CA",
            summary="ZZB đến",
        ),
    }
    docs["secret_clerk"] = secret_clerk
    return docs


def _ids(client: Client, url: str, **params: Any) -> list[int]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def _pks(*documents: Any) -> list[int]:
    return [d.pk for d in documents]


def test_outgoing_register_newest_first_in_scope_and_clearance(
    registers: dict[str, Any], personas: Personas
) -> None:
    r = registers
    clerk = client_for(personas.clerk_a)
    # Mật clearance: not the Tối mật letter; commune A only.
    assert _ids(clerk, OUT) == _pks(r["report"], r["letter"], r["plan"])
    secret = client_for(r["secret_clerk"])
    assert _ids(secret, OUT) == _pks(r["secret"], r["report"], r["letter"], r["plan"])
    assert clerk.get(f"{OUT}{r['secret'].pk}/").status_code == 404
    assert secret.get(f"{OUT}{r['secret'].pk}/").status_code == 200
    # Commune B sees its own document only; the province head sees both communes.
    assert _ids(client_for(personas.officer_b), OUT) == _pks(r["foreign"])
    assert clerk.get(f"{OUT}{r['foreign'].pk}/").status_code == 404
    province = _ids(client_for(personas.head_p), OUT)
    assert set(province) == set(_pks(r["report"], r["letter"], r["plan"], r["foreign"]))


def test_outgoing_document_fields_without_its_text(
    registers: dict[str, Any], personas: Personas, world: World
) -> None:
    letter = registers["letter"]
    body = client_for(personas.clerk_a).get(f"{OUT}{letter.pk}/").json()
    assert body == {
        "id": letter.pk,
        "reference": "01-CV/ĐU",
        "number": 1,
        "kind": "CV",
        "issued_on": "2026-02-02",
        "summary": "V/v lịch họp chi bộ",
        "signer": "",
        "authority": "",
        "recipients": "Các chi bộ\nLưu VP",
        "classification": 0,
        "copies": 1,
        "organization": world.commune_a.pk,
        "organization_code": "DUA",
        "object_type": "",
        "object_id": "",
        "cancelled": False,
        "cancel_reason": "",
    }
    numbering.cancel(personas.clerk_a, letter, reason="Ký nhầm")
    again = client_for(personas.clerk_a).get(f"{OUT}{letter.pk}/").json()
    assert again["cancelled"] is True and again["cancel_reason"] == "Ký nhầm"


def test_without_a_grant_the_registers_are_empty(
    registers: dict[str, Any], personas: Personas
) -> None:
    for user in (personas.nobody, personas.admin_a):  # no grant; a grant with no register
        client = client_for(user)
        assert _ids(client, OUT) == [] and _ids(client, IN) == []
        assert client.get(f"{OUT}{registers['letter'].pk}/").status_code == 404
        assert client.get(f"{IN}{registers['reply'].pk}/").status_code == 404
    assert Client().get(OUT).status_code == 401


def test_outgoing_filters(registers: dict[str, Any], personas: Personas) -> None:
    r = registers
    clerk = client_for(personas.clerk_a)
    assert _ids(clerk, OUT, kind="KH") == _pks(r["plan"])
    assert _ids(clerk, OUT, kind="QĐ") == []  # a type with nothing registered
    assert _ids(clerk, OUT, year="2026") == _pks(r["report"], r["letter"])
    assert _ids(clerk, OUT, year="2025", kind="KH") == _pks(r["plan"])
    assert _ids(clerk, OUT, q="lịch họp") == _pks(r["letter"])
    assert _ids(clerk, OUT, q="01-BC") == _pks(r["report"])
    # The filters never widen the scope.
    assert _ids(clerk, OUT, q="ZZB") == [] and _ids(clerk, OUT, q="tối mật") == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "1899"}, "year"),
        ({"year": "99999"}, "year"),
        ({"year": "hai nghìn"}, "year"),
        ({"kind": "KHÔNG-CÓ"}, "kind"),
    ],
)
def test_outgoing_bad_parameters_are_400(
    registers: dict[str, Any], personas: Personas, params: dict[str, str], field: str
) -> None:
    response = client_for(personas.clerk_a).get(OUT, params)
    assert response.status_code == 400
    assert list(response.json()) == [field] and response.json()[field][0]


def test_outgoing_pages_follow_the_cursor(
    registers: dict[str, Any], personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api.NewestIssued, "page_size", 2)
    client = client_for(personas.clerk_a)
    first = client.get(OUT).json()
    second = client.get(first["next"]).json()
    ids = [row["id"] for row in first["results"] + second["results"]]
    r = registers
    assert ids == _pks(r["report"], r["letter"], r["plan"]) and second["next"] is None
    assert client.get(OUT, {"cursor": "nonsense"}).status_code == 404


def test_incoming_register_scope_clearance_and_filters(
    registers: dict[str, Any], personas: Personas, world: World
) -> None:
    r = registers
    clerk = client_for(personas.clerk_a)
    assert _ids(clerk, IN) == _pks(r["reply"], r["old_reply"])  # latest arrival first
    assert _ids(client_for(r["secret_clerk"]), IN) == _pks(
        r["secret_in"], r["reply"], r["old_reply"]
    )
    assert _ids(client_for(personas.officer_b), IN) == _pks(r["foreign_in"])
    assert clerk.get(f"{IN}{r['foreign_in'].pk}/").status_code == 404
    assert clerk.get(f"{IN}{r['secret_in'].pk}/").status_code == 404
    assert _ids(clerk, IN, year="2025") == _pks(r["old_reply"])
    assert _ids(clerk, IN, q="CAT-PV01") == _pks(r["reply"])
    assert _ids(clerk, IN, q="kết luận") == _pks(r["old_reply"])
    bad = clerk.get(IN, {"year": "3000"})
    assert bad.status_code == 400 and "year" in bad.json()
    assert clerk.get(f"{IN}{r['reply'].pk}/").json() == {
        "id": r["reply"].pk,
        "arrival_number": 1,
        "year": 2026,
        "received_on": "2026-03-20",
        "sender": "Công an tỉnh",
        "sender_reference": "45/CAT-PV01",
        "sender_date": "2026-03-18",
        "summary": "Trả lời phiếu yêu cầu",
        "classification": 0,
        "organization": world.commune_a.pk,
        "organization_code": "DUA",
        "object_type": "",
        "object_id": "",
    }


def test_the_page_and_the_api_filter_alike(registers: dict[str, Any], personas: Personas) -> None:
    """One reading of the parameters: the register page takes the same ones."""
    client = client_for(personas.clerk_a)
    page = client.get("/documents/outgoing/", {"year": "2025"}).content.decode()
    assert "01-KH/ĐU" in page and "01-CV/ĐU" not in page
    assert client.get("/documents/outgoing/", {"year": "99999"}).status_code == 400


def test_every_document_is_seen_in_the_list_exactly_when_its_detail_answers(
    registers: dict[str, Any], personas: Personas
) -> None:
    everything = [*OutgoingDocument.objects.all(), *IncomingDocument.objects.all()]
    for user in (personas.clerk_a, personas.officer_b, personas.head_p, registers["secret_clerk"]):
        client = client_for(user)
        listed = {OUT: set(_ids(client, OUT)), IN: set(_ids(client, IN))}
        for document in everything:
            url = OUT if isinstance(document, OutgoingDocument) else IN
            found = client.get(f"{url}{document.pk}/").status_code
            assert (found == 200) == (document.pk in listed[url]), (user, document)
            assert found in (200, 404)
