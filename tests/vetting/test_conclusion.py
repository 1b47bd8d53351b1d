"""Conclusions: only by those allowed, only after the required steps, never edited,
corrected by superseding, blocked by a petition not yet taken into account."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from hoso.access.policy import Denied
from hoso.vetting import actions
from hoso.vetting.models import Conclusion, State
from hoso.vetting.transitions import IllegalMove
from tests.conftest import World
from tests.vetting.office import (
    D,
    Office,
    conclude,
    open_case,
    proposed_with_reply,
    to_verifying,
)


def test_no_conclusion_before_the_required_steps(office: Office, world: World) -> None:
    case = to_verifying(office, open_case(office, world))
    with pytest.raises(IllegalMove):
        conclude(office, case)
    assert not Conclusion.objects.exists()


def test_an_officer_may_not_conclude(office: Office, world: World) -> None:
    case = proposed_with_reply(office, world)
    with pytest.raises(Denied):
        actions.cases.conclude(
            office.officer,
            case,
            outcome="DU",
            text="x",
            number="1-KL/ĐU",  # type: ignore[arg-type]
            signed_on=D(2026, 4, 20),
            signer="A",
            authority="T/M",
        )
    assert not Conclusion.objects.exists()


def test_the_outcome_comes_from_the_types_list_and_is_typed_in(
    office: Office, world: World
) -> None:
    case = proposed_with_reply(office, world)
    with pytest.raises(actions.cases.CaseError, match="không dùng kết quả"):
        conclude(office, case, outcome="TOT")  # type: ignore[arg-type]
    with pytest.raises(actions.cases.CaseError, match="T/M, K/T"):
        conclude(office, case, authority="")  # type: ignore[arg-type]
    with pytest.raises(actions.cases.CaseError, match="Ngày ký"):
        conclude(office, case, signed_on=D(2026, 1, 1))  # type: ignore[arg-type]
    conclusion = conclude(office, case)  # type: ignore[arg-type]
    assert (conclusion.outcome, conclusion.outcome_label) == ("DU", "Đủ tiêu chuẩn chính trị")
    case.refresh_from_db()  # type: ignore[attr-defined]
    assert case.state == State.CONCLUDED  # type: ignore[attr-defined]


def test_a_conclusion_is_never_edited(office: Office, world: World) -> None:
    conclusion = conclude(office, proposed_with_reply(office, world))  # type: ignore[arg-type]
    conclusion.text = "sửa lén"
    with pytest.raises(ValueError, match="never edited"):
        conclusion.save()
    with (  # the database refuses too
        pytest.raises(DatabaseError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE vetting_conclusion SET text = 'x' WHERE id = %s", [conclusion.pk])
    with (  # and a delete, on SQLite as on PostgreSQL
        pytest.raises(DatabaseError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM vetting_conclusion WHERE id = %s", [conclusion.pk])
    conclusion.refresh_from_db()
    assert conclusion.text.startswith("Đồng chí")


def test_a_correction_supersedes_and_keeps_both(office: Office, world: World) -> None:
    case = proposed_with_reply(office, world)
    first = conclude(office, case, number="15-KL/ĐU")  # type: ignore[arg-type]
    with pytest.raises(actions.cases.CaseError, match="lý do"):
        actions.cases.correct_conclusion(
            office.head,
            first,
            reason=" ",
            outcome="DU",
            text="t",
            number="16-KL/ĐU",
            signed_on=D(2026, 4, 22),
            signer="B",
            authority="T/M",
        )
    second = actions.cases.correct_conclusion(
        office.head,
        first,
        reason="Sai năm sinh trong văn bản",
        outcome="DU",
        text="Đồng chí Trần Thị Hoà (sinh năm 1985) đủ tiêu chuẩn chính trị.",
        number="16-KL/ĐU",
        signed_on=D(2026, 4, 22),
        signer="Nguyễn Văn An",
        authority="T/M",
    )
    assert second.supersedes == first
    assert list(Conclusion.objects.order_by("id").values_list("number", flat=True)) == [
        "15-KL/ĐU",
        "16-KL/ĐU",
    ]
    with pytest.raises(actions.cases.CaseError, match="đã được đính chính"):
        actions.cases.correct_conclusion(
            office.head,
            first,
            reason="again",
            outcome="DU",
            text="t",
            number="17-KL/ĐU",
            signed_on=D(2026, 4, 23),
            signer="B",
            authority="T/M",
        )


def test_a_petition_blocks_the_conclusion_until_taken_into_account(
    office: Office, world: World
) -> None:
    case = proposed_with_reply(office, world)
    (link,) = actions.cases.petition_received(
        case.person,  # type: ignore[attr-defined]
        reference="Đơn số 7/2026",
        received_on=D(2026, 4, 15),
        summary="Phản ánh về lý lịch",
    )
    with pytest.raises(IllegalMove, match="đơn thư"):
        conclude(office, case)  # type: ignore[arg-type]
    actions.cases.consider_petition(office.officer, link, text="Đã xác minh, nội dung không đúng")
    assert conclude(office, case).number == "15-KL/ĐU"  # type: ignore[arg-type]


def test_petitions_attach_only_to_open_cases_of_that_person(office: Office, world: World) -> None:
    closed = proposed_with_reply(office, world)
    conclude(office, closed)  # type: ignore[arg-type]
    open_one = open_case(office, world)
    links = actions.cases.petition_received(
        office.member.person, reference="Đơn 8", received_on=D(2026, 5, 1), summary="s"
    )
    assert [link.case_id for link in links] == [open_one.pk]
