from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from hoso.access.policy import Denied
from hoso.audit.models import AuditEvent
from hoso.people import actions, books
from hoso.people.models import DocumentType, Member, MemberStatus, Person
from hoso.people.reconcile import quarter_bounds, reconcile
from hoso.people.transitions import Move
from tests.conftest import Personas, World, client_for

D = dt.date


@pytest.fixture
def member(world: World) -> Member:
    person = Person.objects.create(family_name="Mai", middle_name="Văn", given_name="Năm", sex="M")
    return Member.objects.create(person=person, organization=world.cell_a, status="official")


def test_supplement_declared_then_certified(member: Member, personas: Personas) -> None:
    qs = Member.objects.visible_to(personas.clerk_a)
    assert list(books.supplements_due(qs, 2025)) == [member]
    supplement = actions.books.declare_supplement(
        personas.clerk_a, member, year=2025, declared_on=D(2026, 1, 12), changes="Không thay đổi"
    )
    assert [m.declared for m in books.supplements_due(qs, 2025)] == [True]
    with pytest.raises(actions.books.BookError):
        actions.books.declare_supplement(
            personas.clerk_a, member, year=2025, declared_on=D(2026, 1, 13), changes="x"
        )
    actions.books.certify_supplement(personas.head_p, supplement, certified_on=D(2026, 1, 20))
    assert list(books.supplements_due(qs, 2025)) == []
    page = client_for(personas.clerk_a).get(reverse("supplements"), {"year": 2024})
    assert [m.pk for m, _ in page.context["rows"]] == [member.pk]


def test_matters_need_a_source_and_respect_clearance(
    member: Member, world: World, personas: Personas
) -> None:
    with pytest.raises(actions.books.BookError):
        actions.books.add_matter(
            personas.clerk_a,
            world.commune_a,
            subject="Mai Văn Năm",
            recorded_on=D(2026, 2, 1),
            matter="...",
            source=" ",
        )
    actions.books.add_matter(
        personas.clerk_a,
        world.commune_a,
        subject="Mai Văn Năm",
        member=member,
        recorded_on=D(2026, 2, 1),
        matter="Có đơn phản ánh",
        source="Đơn ngày 1/2",
    )
    with pytest.raises(Denied):
        actions.books.add_matter(
            personas.clerk_a,
            world.commune_a,
            subject="X",
            recorded_on=D(2026, 2, 1),
            matter="m",
            source="s",
            classification=2,
        )
    with pytest.raises(actions.books.BookError):  # a member of another commune
        other = Member.objects.create(
            person=Person.objects.create(family_name="A", given_name="B", sex="M"),
            organization=world.cell_b,
            status="official",
        )
        actions.books.add_matter(
            personas.clerk_a,
            world.commune_a,
            subject="A B",
            member=other,
            recorded_on=D(2026, 2, 1),
            matter="m",
            source="s",
        )
    page = client_for(personas.clerk_a).get(reverse("matters")).content.decode()
    assert "Có đơn phản ánh" in page
    assert AuditEvent.objects.filter(event_type="matters.viewed").count() == 1
    assert (
        "Có đơn phản ánh"
        not in client_for(personas.officer_b).get(reverse("matters")).content.decode()
    )


def test_handover_lists_each_dossier_with_pages(
    member: Member, world: World, personas: Personas
) -> None:

    actions.dossier.add_document(
        personas.clerk_a, member, doc_type=DocumentType.objects.get(code="2-KNĐ"), pages=8
    )
    actions.dossier.add_document(
        personas.clerk_a, member, doc_type=DocumentType.objects.get(code="QĐ-KN"), pages=1
    )
    handover = actions.books.create_handover(
        personas.clerk_a,
        world.commune_a,
        receiver="Đảng ủy mới",
        from_keeper="Nguyễn Thị Lan",
        to_keeper="Trần Văn Hùng",
        date=D(2026, 3, 1),
        reason="Thay đổi người quản lý hồ sơ",
    )
    item = handover.items.get()
    assert (item.documents, item.pages) == (2, 9)
    page = client_for(personas.clerk_a).get(reverse("handover-detail", args=[handover.pk]))
    body = page.content.decode()
    assert "BIÊN BẢN BÀN GIAO HỒ SƠ ĐẢNG VIÊN" in body and "MAI VĂN NĂM" in body


def test_quarter_bounds() -> None:
    assert quarter_bounds(2026, 1) == (D(2026, 1, 1), D(2026, 3, 31))
    assert quarter_bounds(2026, 4) == (D(2026, 10, 1), D(2026, 12, 31))


def test_reconciliation_from_events(world: World, personas: Personas) -> None:
    clerk = personas.clerk_a
    old = actions.members.register_member(
        clerk,
        world.cell_a,
        {"family_name": "Cũ", "given_name": "Một", "sex": "M"},
        {"status": MemberStatus.OFFICIAL},
    )
    new = actions.members.register_member(
        clerk,
        world.cell_a,
        {"family_name": "Mới", "given_name": "Hai", "sex": "F"},
        {"status": MemberStatus.CANDIDATE},
    )
    actions.members.record_move(clerk, new, Move.ADMIT, date=D(2026, 2, 10), decision_number="1")
    actions.members.record_move(clerk, old, Move.DIE, date=D(2026, 5, 3), detail="Tuổi cao")
    q1 = {r.org.code: r for r in reconcile(world.commune_a, 2026, 1)}
    assert (q1["DUA"].start, q1["DUA"].admitted, q1["DUA"].end) == (1, 1, 2)
    assert q1["DUA"].balanced and q1["CBA1"].end == 2
    q2 = {r.org.code: r for r in reconcile(world.commune_a, 2026, 2)}
    assert (q2["DUA"].start, q2["DUA"].died, q2["DUA"].end) == (2, 1, 1)
    client = client_for(clerk)
    url = reverse("reconciliation")
    client.post(f"{url}?org=DUA&year=2026&quarter=1", {"unit": world.cell_a.pk, "count": 3})
    page = client.get(url, {"org": "DUA", "year": 2026, "quarter": 1})
    rows = {r.org.code: r for r in page.context["rows"]}
    assert rows["CBA1"].reported == 3 and rows["CBA1"].discrepancy == 1


def test_handover_record_as_pdf(member: Member, world: World, personas: Personas) -> None:
    from tests.documents.test_render import pdf_pages

    handover = actions.books.create_handover(
        personas.clerk_a,
        world.commune_a,
        receiver="Đảng ủy mới",
        from_keeper="Nguyễn Thị Lan",
        to_keeper="Trần Văn Hùng",
        date=D(2026, 3, 1),
        reason="Thay đổi người quản lý hồ sơ",
    )
    response = client_for(personas.clerk_a).get(
        reverse("handover-detail", args=[handover.pk]), {"format": "pdf"}
    )
    text = " ".join(pdf_pages(response.content))
    assert "BIÊN BẢN BÀN GIAO HỒ SƠ ĐẢNG VIÊN" in text and "Hồ sơ đảng viên MAI VĂN NĂM" in text
    assert "ngày 01 tháng 3 năm 2026" in text and "Trần Văn Hùng" in text


def test_reconciliation_counts_each_unit_as_its_own_count_would(
    world: World, personas: Personas
) -> None:
    """The rows of a province are read in one grouped statement over the events; each unit's
    start and end equal `count_at` of that unit alone, and more units cost no more queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hoso.access.roles import Clearance, Role
    from hoso.orgs.models import Organization
    from hoso.people.reconcile import count_at
    from tests.conftest import make_user

    head = make_user("clerk_p", world.province, Role.CLERK, Clearance.CONFIDENTIAL)
    made = []
    for org, given in ((world.cell_a, "Một"), (world.cell_b, "Hai"), (world.province, "Ba")):
        made.append(
            actions.members.register_member(
                head, org, {"family_name": "Lý", "given_name": given, "sex": "M"},
                {"status": MemberStatus.CANDIDATE},
            )
        )  # fmt: skip
    for member, day in zip(made, (D(2026, 2, 10), D(2026, 5, 20), D(2026, 8, 1)), strict=True):
        actions.members.record_move(head, member, Move.ADMIT, date=day, decision_number="1")
    actions.members.record_move(head, made[0], Move.DIE, date=D(2026, 5, 3), detail="Bệnh")

    def rows() -> dict[str, Any]:
        return {r.org.code: r for r in reconcile(world.province, 2026, 2)}

    with CaptureQueriesContext(connection) as two_units:
        q2 = rows()
    start, end = quarter_bounds(2026, 2)
    for code, unit in (("TUP", world.province), ("DUA", world.commune_a), ("ZZB", world.commune_b)):
        row = q2[code]
        assert (row.start, row.end) == (
            count_at(unit, start - dt.timedelta(days=1)),
            count_at(unit, end),
        ), code
        assert row.balanced, code
    assert (q2["TUP"].admitted, q2["TUP"].died) == (1, 1)
    assert (q2["ZZB"].admitted, q2["DUA"].died) == (1, 1)
    fields = {"name": "Đảng ủy xã Mới", "code": "XM", "level": "upper_base"}
    Organization.objects.add_child(world.province, create_kwargs=fields)
    world.province.refresh_from_db()
    with CaptureQueriesContext(connection) as three_units:
        assert "XM" in rows()
    assert len(three_units) == len(two_units)
