"""What a conclusion serves and until when: from the type's rule when it is recorded, from a
later validity record after; in force or not; re-vetting starts from the one in force."""

from __future__ import annotations

from typing import Any

import pytest

from hoso.access.policy import Denied
from hoso.audit.models import AuditEvent
from hoso.vetting import actions, difference, validity
from hoso.vetting.models import Conclusion, ConclusionValidity
from tests.conftest import World, client_for
from tests.vetting.office import (
    D,
    Office,
    conclude,
    make_type,
    open_case,
    proposed_with_reply,
)


def _concluded(office: Office, world: World, months: int | None = 24, **changes: Any) -> Any:
    office.case_type = make_type("T_VALID", validity_months=months)
    return conclude(office, proposed_with_reply(office, world), **changes)


def _in_force(on: Any = None) -> set[int]:
    """The ids in force, by the query and by the case page's reading of the loaded rows: the
    two must agree."""
    by_query = set(validity.in_force(Conclusion.objects.all(), on).values_list("pk", flat=True))
    loaded = list(validity.with_validity(Conclusion.objects.all()))
    assert validity.in_force_among(loaded, on) == by_query
    return by_query


def test_the_conclusion_serves_the_purpose_until_the_types_rule(
    office: Office, world: World
) -> None:
    conclusion = _concluded(office, world)
    assert (conclusion.serves, conclusion.valid_until) == ("Phó Chủ tịch UBND xã", D(2028, 4, 20))
    corrected = actions.cases.correct_conclusion(
        office.head,
        conclusion,
        reason="Sai ngày ký",
        outcome="DU",
        text="Đủ tiêu chuẩn chính trị.",
        number="16-KL/ĐU",
        signed_on=D(2026, 4, 22),
        signer="Nguyễn Văn An",
        authority="T/M",
        serves="Danh sách quy hoạch Ban Thường vụ 2025-2030",
    )
    assert corrected.serves == "Danh sách quy hoạch Ban Thường vụ 2025-2030"
    assert corrected.valid_until == D(2028, 4, 22)
    assert _in_force() == {corrected.pk}  # the corrected one no longer
    assert _in_force(D(2028, 4, 23)) == set()  # past its end


def test_without_a_rule_it_serves_without_an_end(office: Office, world: World) -> None:
    conclusion = _concluded(office, world, months=None, serves="  ")
    assert (conclusion.serves, conclusion.valid_until) == ("Phó Chủ tịch UBND xã", None)
    assert validity.in_force(Conclusion.objects.all(), D(2099, 1, 1)).get() == conclusion


def test_recording_until_when_it_serves(office: Office, world: World) -> None:
    conclusion = _concluded(office, world)
    record = actions.cases.record_validity
    with pytest.raises(actions.cases.CaseError, match="Ghi lý do"):
        record(office.head, conclusion, valid_until=D(2026, 5, 1), reason=" ")
    with pytest.raises(actions.cases.CaseError, match="trước ngày ký"):
        record(office.head, conclusion, valid_until=D(2026, 4, 1), reason="x")
    with pytest.raises(Denied):
        record(office.officer, conclusion, valid_until=D(2026, 5, 1), reason="x")
    record(
        office.head,
        conclusion,
        valid_until=D(2026, 5, 1),
        reason="Đã dùng cho kỳ bổ nhiệm tháng 4",
        document="20-TB/ĐU ngày 01/5/2026",
    )
    assert validity.serves_until(conclusion) == D(2026, 5, 1)
    assert not validity.in_force(Conclusion.objects.all()).exists()
    assert _in_force(D(2026, 5, 1)) == {conclusion.pk}  # the last day it serves
    event = AuditEvent.objects.get(event_type="conclusion.validity_recorded")
    assert event.details == {
        "conclusion": conclusion.pk,
        "old": "2028-04-20",
        "new": "2026-05-01",
        "reason": "Đã dùng cho kỳ bổ nhiệm tháng 4",
        "document": "20-TB/ĐU ngày 01/5/2026",
    }
    # The latest record counts, and may say "without an end".
    record(office.head, conclusion, valid_until=None, reason="Quyết định của Ban Thường vụ")
    assert validity.serves_until(conclusion) is None
    assert validity.in_force(Conclusion.objects.all()).get() == conclusion
    assert _in_force(D(2099, 1, 1)) == {conclusion.pk}
    assert ConclusionValidity.objects.count() == 2


def test_a_corrected_conclusion_takes_no_validity_record(office: Office, world: World) -> None:
    first = _concluded(office, world)
    actions.cases.correct_conclusion(
        office.head,
        first,
        reason="Sai",
        outcome="DU",
        text="t",
        number="16-KL/ĐU",
        signed_on=D(2026, 4, 22),
        signer="A",
        authority="T/M",
    )
    with pytest.raises(actions.cases.CaseError, match="đã được đính chính"):
        actions.cases.record_validity(office.head, first, valid_until=None, reason="x")


def test_the_case_page_shows_what_it_serves_and_until_when(office: Office, world: World) -> None:
    conclusion = _concluded(office, world)
    head = client_for(office.head)
    page = head.get(f"/cases/{conclusion.case_id}/").content.decode()
    assert "Phó Chủ tịch UBND xã" in page and "20/04/2028" in page and "Còn giá trị" in page
    response = head.post(
        f"/cases/conclusions/{conclusion.pk}/validity/",
        {"valid_until": "2026-05-01", "reason": "Hết kỳ sử dụng", "document": "20-TB/ĐU"},
        follow=True,
    )
    page = response.content.decode()
    assert "Đã ghi nhận thời hạn giá trị của kết luận." in page
    assert "Hết giá trị" in page and "Hết kỳ sử dụng (20-TB/ĐU)" in page
    assert "Theo quy định của loại hồ sơ: 20/04/2028" in page  # the history keeps the first
    refused = client_for(office.officer).post(
        f"/cases/conclusions/{conclusion.pk}/validity/", {"reason": "x"}, follow=True
    )
    assert "Không được phép" in refused.content.decode() or refused.status_code == 403
    assert ConclusionValidity.objects.count() == 1


def test_the_form_says_until_when_before_saving(office: Office, world: World) -> None:
    office.case_type = make_type("T_VALID", validity_months=24)
    case = proposed_with_reply(office, world)
    head = client_for(office.head)
    form = head.get(f"/cases/{case.pk}/conclude/").content.decode()
    assert 'value="Phó Chủ tịch UBND xã"' in form  # what it serves, by default
    assert "Kết luận sẽ có giá trị 24 tháng kể từ ngày ký" in form
    assert f'hx-get="/cases/{case.pk}/conclude/?preview=1"' in form
    preview = head.get(f"/cases/{case.pk}/conclude/?preview=1&signed_on=2026-04-20")
    assert preview.content.decode().strip() == (
        "Kết luận sẽ có giá trị đến 20/04/2028 (24 tháng kể từ ngày ký, theo quy định của loại"
        " hồ sơ)."
    )
    head.post(
        f"/cases/{case.pk}/conclude/",
        {
            "outcome": "DU",
            "text": "Đủ tiêu chuẩn chính trị.",
            "serves": "Bí thư Đảng ủy xã nhiệm kỳ 2025-2030",
            "number": "15-KL/ĐU",
            "signed_on": "2026-04-20",
            "signer": "Nguyễn Văn An",
            "authority": "T/M",
        },
    )
    assert Conclusion.objects.get().serves == "Bí thư Đảng ủy xã nhiệm kỳ 2025-2030"


def test_re_vetting_starts_from_the_conclusion_in_force(office: Office, world: World) -> None:
    conclusion = _concluded(office, world)
    later = open_case(office, world, received_on=D(2026, 8, 3), request_date=D(2026, 8, 1))
    found = difference.since(office.member.person, office.officer, before=later)
    assert found is not None and found.conclusion == conclusion
    page = client_for(office.officer).get(f"/cases/{later.pk}/").content.decode()
    assert "Dùng cho: Phó Chủ tịch UBND xã. Có giá trị đến 20/04/2028." in page
    actions.cases.record_validity(
        office.head, conclusion, valid_until=D(2026, 6, 30), reason="Hết nhiệm kỳ"
    )
    assert difference.since(office.member.person, office.officer, before=later) is None


def test_conclusions_through_the_api(office: Office, world: World) -> None:
    conclusion = _concluded(office, world)
    client = client_for(office.head)
    (row,) = client.get(f"/api/v1/cases/{conclusion.case_id}/conclusions/").json()
    assert (row["serves"], row["valid_until"], row["serves_until"], row["in_force"]) == (
        "Phó Chủ tịch UBND xã",
        "2028-04-20",
        "2028-04-20",
        True,
    )
    made = client.post(
        f"/api/v1/cases/{conclusion.case_id}/validity/",
        {"conclusion": conclusion.pk, "valid_until": "2026-05-01", "reason": "Hết kỳ"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert (made.json()["serves_until"], made.json()["in_force"]) == ("2026-05-01", False)
    assert made.json()["validity"][0]["reason"] == "Hết kỳ"
    refused = client.post(
        f"/api/v1/cases/{conclusion.case_id}/validity/",
        {"conclusion": conclusion.pk, "valid_until": "2026-01-01", "reason": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "trước ngày ký" in refused.json()["detail"]
    other = client.post(
        f"/api/v1/cases/{conclusion.case_id}/validity/",
        {"conclusion": 999999, "valid_until": None, "reason": "x"},
        content_type="application/json",
    )
    assert other.status_code == 400


def test_a_conclusion_on_a_merged_record_serves_the_person(office: Office, world: World) -> None:
    """One human being: the person's conclusion serves the second record merged into it (and
    the kept record, asked for by either)."""
    from hoso.people import actions as people_actions
    from tests.people.test_identity import _husband_case, _twin_record

    conclusion = _concluded(office, world)
    person, twin = office.member.person, _twin_record(office)
    _husband_case(office, world, twin)  # the twin record is a subject the officer sees
    assert validity.latest_in_force([twin.pk]) == {}
    people_actions.identity.merge(office.officer, person, twin, reason="Cùng một người")
    found = validity.latest_in_force([person.pk, twin.pk])
    assert found == {person.pk: conclusion, twin.pk: conclusion}
