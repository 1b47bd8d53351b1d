from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from hoso.audit.models import AuditEvent
from hoso.people import actions
from hoso.people.models import MemberStatus
from hoso.people.transitions import Move
from tests.conftest import Personas, World, client_for

D = dt.date


def _history(world: World, personas: Personas) -> None:
    clerk = personas.clerk_a
    first = actions.members.register_member(
        clerk,
        world.cell_a,
        {
            "family_name": "Nguyễn",
            "middle_name": "Văn",
            "given_name": "Một",
            "sex": "M",
            "ethnicity": "Kinh",
            "religion": "Không",
            "home_town": "xã An Bình",
            "education": "12/12",
            "political_theory": "Trung cấp",
        },
        {
            "status": MemberStatus.OFFICIAL,
            "admitted_on": D(1990, 5, 19),
            "official_on": D(1991, 5, 19),
            "card_number": "010001",
        },
    )
    second = actions.members.register_member(
        clerk,
        world.cell_a,
        {"family_name": "Trần", "middle_name": "Thị", "given_name": "Hai", "sex": "F"},
        {"status": MemberStatus.OFFICIAL, "admitted_on": D(2000, 1, 1)},
    )
    actions.members.record_move(
        clerk, second, Move.DIE, date=D(2026, 2, 3), detail="Bệnh hiểm nghèo"
    )
    transfer = actions.members.introduce_transfer(
        clerk,
        first,
        kind="official",
        letter_number="9-GGT",
        introduced_on=D(2026, 3, 2),
        to_org=world.cell_b,
    )
    actions.members.accept_transfer(personas.officer_b, transfer, received_on=D(2026, 3, 10))


def test_member_register_has_14_columns_from_events(world: World, personas: Personas) -> None:
    _history(world, personas)
    page = client_for(personas.clerk_a).get(reverse("register", args=["members"]))
    headers, table = page.context["headers"], page.context["table"]
    assert len(headers) == 14
    assert [row[1] for row in table] == ["NGUYỄN VĂN MỘT", "TRẦN THỊ HAI"]
    first = dict(zip(headers, table[0], strict=True))
    assert first["Chuyển đi (ngày, nơi đến)"] == "02/03/2026 – Chi bộ ZZB Một"
    assert first["Giới tính, dân tộc, tôn giáo"] == "Nam, Kinh, Không"
    second = dict(zip(headers, table[1], strict=True))
    assert second["Từ trần (ngày, lý do)"] == "03/02/2026 – Bệnh hiểm nghèo"
    assert AuditEvent.objects.filter(event_type="register.viewed").count() == 1
    # The receiving commune's register shows the arrival, not the death.
    received = client_for(personas.officer_b).get(reverse("register", args=["members"]))
    rows = [
        dict(zip(received.context["headers"], r, strict=True)) for r in received.context["table"]
    ]
    assert [r["Chuyển đến (ngày, nơi đi)"] for r in rows] == ["10/03/2026 – Chi bộ thôn Đông"]


def test_transfer_and_deceased_registers_and_excel(world: World, personas: Personas) -> None:
    _history(world, personas)
    client = client_for(personas.head_p)
    transfers = client.get(reverse("register", args=["transfers"]), {"org": "TUP", "year": 2026})
    assert [row[4] for row in transfers.context["table"]] == ["Đi"]
    deceased = client.get(reverse("register", args=["deceased"]), {"org": "DUA"})
    assert [row[1] for row in deceased.context["table"]] == ["TRẦN THỊ HAI"]
    response = client.get(reverse("register", args=["members"]), {"org": "DUA", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows[0]) == 14 and rows[1][1] == "NGUYỄN VĂN MỘT"
    assert AuditEvent.objects.filter(event_type="register.exported").count() == 1


def test_register_of_a_foreign_organization_is_missing(world: World, personas: Personas) -> None:
    client = client_for(personas.clerk_a)
    assert client.get(reverse("register", args=["members"]), {"org": "ZZB"}).status_code == 404
    assert client.get(reverse("register", args=["nonsense"])).status_code == 404


def test_record_events_through_the_pages(world: World, personas: Personas) -> None:
    client = client_for(personas.clerk_a)
    response = client.post(
        reverse("member-new"),
        {
            "p-family_name": "Lê",
            "p-middle_name": "Văn",
            "p-given_name": "Ba",
            "p-sex": "M",
            "p-birth_date_precision": "day",
            "p-nationality": "Việt Nam",
            "m-organization": world.cell_a.pk,
            "m-status": "candidate",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    member_url = response["Location"]
    page = client.get(member_url).content.decode()
    assert "Ghi nhận quyết định kết nạp" in page
    pk = int(member_url.rstrip("/").split("/")[-1])
    refused = client.post(reverse("member-move", args=[pk, "admit"]), {"date": "2026-01-16"})
    assert "decision" in refused.content.decode() or "quyết định" in refused.content.decode()
    client.post(
        reverse("member-move", args=[pk, "admit"]),
        {"date": "2026-01-16", "decision_number": "3-QĐ/ĐU"},
    )
    assert "Đảng viên dự bị" in client.get(member_url).content.decode()
    bad = client.post(reverse("member-move", args=[pk, "reinstate"]), {"date": "2026-01-17"})
    assert bad.status_code == 200 and "Không thể" in bad.content.decode()


def test_transfer_pages(world: World, personas: Personas) -> None:
    member = actions.members.register_member(
        personas.clerk_a,
        world.cell_a,
        {"family_name": "Phan", "middle_name": "Văn", "given_name": "Tư", "sex": "M"},
        {"status": MemberStatus.OFFICIAL},
    )
    sender = client_for(personas.clerk_a)
    unknown = sender.post(
        reverse("member-transfer", args=[member.pk]),
        {
            "kind": "official",
            "to_code": "NOPE",
            "letter_number": "1",
            "introduced_on": "2026-03-02",
        },
    )
    assert "Không có tổ chức" in unknown.content.decode()
    sender.post(
        reverse("member-transfer", args=[member.pk]),
        {
            "kind": "official",
            "to_code": "zzb1",
            "letter_number": "10-GGT",
            "introduced_on": "2026-03-02",
        },
    )
    receiver = client_for(personas.officer_b)
    queue = receiver.get(reverse("transfer-list"))
    assert [t.member for t in queue.context["incoming"]] == [member]
    transfer = queue.context["incoming"][0]
    receiver.post(reverse("transfer-accept", args=[transfer.pk]), {"received_on": "2026-03-05"})
    member.refresh_from_db()
    assert member.organization == world.cell_b


def test_registers_as_pdf_and_word(world: World, personas: Personas) -> None:
    from tests.documents.test_render import docx_text, pdf_pages

    _history(world, personas)
    client = client_for(personas.head_p)
    url = reverse("register", args=["members"])
    pdf = client.get(url, {"org": "DUA", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(pdf_pages(pdf.content))
    assert "SỔ DANH SÁCH ĐẢNG VIÊN" in text and "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "NGUYỄN VĂN MỘT" in text and "Bệnh hiểm nghèo" in text
    word = docx_text(client.get(url, {"org": "DUA", "format": "docx"}).content)
    assert "TRẦN THỊ HAI" in word and "Thử Nghiệm" in word  # the date line's place
    assert AuditEvent.objects.filter(event_type="register.exported").count() == 2


def test_a_register_of_a_scope_too_large_answers_at_once_with_the_units_below(
    world: World, personas: Personas, monkeypatch: object
) -> None:
    """A province's 7-HSĐV is not built and cut (at 5,000,000 members that read 10,001
    members and their events first): the exact counts say it is too large, and the page lists
    the units below with theirs. Nothing of the members is read, so no read is recorded."""
    from hoso.people.views import registers

    _history(world, personas)
    monkeypatch.setattr(registers, "MAX_ROWS", 1)  # type: ignore[attr-defined]
    url = reverse("register", args=["members"])
    answer = client_for(personas.head_p).get(url, {"org": "TUP"})
    body = answer.content.decode()
    assert answer.status_code == 200 and "NGUYỄN VĂN MỘT" not in body.upper()
    assert "Chọn một đơn vị trực thuộc" in body
    assert 'href="?org=DUA"' in body and 'href="?org=ZZB"' in body
    assert not AuditEvent.objects.filter(event_type="register.viewed").exists()
    commune = client_for(personas.head_p).get(url, {"org": "CBA1"})  # one record: within 1
    assert "NGUYỄN VĂN MỘT" in commune.content.decode().upper()
