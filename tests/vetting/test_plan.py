"""The verification plan of a case: who its type says is to be verified, who fills each line
from the declared relatives, the requests and skips that satisfy it, and compiling held until
every line is done."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import DatabaseError, transaction
from openpyxl import load_workbook

from hoso.access.policy import Denied
from hoso.audit.models import AuditEvent
from hoso.people.models import Person, Relationship, Relative
from hoso.vetting import actions, plan
from hoso.vetting.models import CaseType, PlanSkip, State, VerificationRequest
from hoso.vetting.transitions import IllegalMove, Move
from hoso.vetting.verification import Target
from tests.conftest import World, client_for
from tests.vetting.office import D, Office, issue, make_type, open_case, to_verifying

PLAN = [
    {"label": "Bản thân", "codes": ["self"], "adult": False},
    {"label": "Bố đẻ", "codes": ["own:bo"], "adult": False},
    {"label": "Mẹ đẻ", "codes": ["me"], "adult": False},
    {"label": "Vợ hoặc chồng", "codes": ["vo", "chong"], "adult": False},
    {"label": "Con từ đủ 18 tuổi", "codes": ["con-de"], "adult": True},
]


def _relative(office: Office, code: str, name: str, year: int, **more: Any) -> Relative:
    relationship, _ = Relationship.objects.get_or_create(code=code, defaults={"name": code})
    return Relative.objects.create(
        person=office.member.person,
        relationship=relationship,
        full_name=name,
        birth_year=year,
        recorded_by=office.officer,
        **more,
    )


def _planned_case(office: Office, world: World) -> Any:
    """A case of a type with PLAN, verifying; the subject declared father, mother (office),
    a child of 10 and the spouse's father (as bo, on the spouse's side)."""
    for code in ("vo", "chong", "con-de"):
        Relationship.objects.get_or_create(code=code, defaults={"name": code})
    office.case_type = make_type("T_PLAN", plan_relations=PLAN)
    _relative(office, "con-de", "Trần Minh Nhỏ", 2016)
    _relative(office, "bo", "Phạm Văn Thông", 1950, side="spouse")
    return to_verifying(office, open_case(office, world))


def _reply(office: Office, request: VerificationRequest) -> None:
    actions.requests.record_reply(
        office.officer,
        request,
        received_on=D(2026, 3, 20),
        reference=f"{request.pk}/PV06",
        summary="Không có vấn đề",
        items=[],
    )


def test_who_fills_each_line(office: Office, world: World) -> None:
    case = _planned_case(office, world)
    found = plan.of_case(case)
    assert found is not None
    fills = {line.rule.label: [f.relative.full_name for f in line.fillers] for line in found.lines}
    # The spouse's father is not the subject's father (own: only); a child of 10 is not 18.
    assert fills == {
        "Bản thân": [],
        "Bố đẻ": ["Trần Văn Bình"],
        "Mẹ đẻ": ["Lê Thị Cúc"],
        "Vợ hoặc chồng": [],
        "Con từ đủ 18 tuổi": [],
    }
    assert [line.satisfied for line in found.lines] == [False] * 5
    assert [r.full_name for r in found.lines[4].minors] == ["Trần Minh Nhỏ"]
    assert found.draft_keys() == [
        f"p{case.person_id}",
        f"r{office.father.pk}",
        f"r{office.mother.pk}",
    ]


def test_compiling_waits_for_every_line_and_names_the_missing(office: Office, world: World) -> None:
    case = _planned_case(office, world)
    targets = [Target(person=case.person), Target(relative=office.father)]
    for request in issue(office, case, targets=targets):
        _reply(office, request)
    with pytest.raises(IllegalMove) as refused:
        actions.cases.move(office.officer, case, Move.COMPILE)
    assert str(refused.value) == (
        "Kế hoạch xác minh còn thiếu: Mẹ đẻ; Vợ hoặc chồng; Con từ đủ 18 tuổi. Gửi phiếu yêu cầu"
        " xác minh hoặc ghi lý do không xác minh diện đó."
    )
    (mother,) = issue(office, case, targets=[Target(relative=office.mother)])
    _reply(office, mother)
    actions.plan.skip_plan_line(office.officer, case, line=3, reason="Chưa kết hôn")
    actions.plan.skip_plan_line(office.officer, case, line=4, reason="Chưa có con đủ 18 tuổi")
    assert plan.unsatisfied(case) == []
    case = actions.cases.move(office.officer, case, Move.COMPILE)
    assert case.state == State.COMPILING


def test_a_cancelled_request_does_not_count(office: Office, world: World) -> None:
    case = _planned_case(office, world)
    (request,) = issue(office, case, targets=[Target(relative=office.father)])
    assert plan.of_case(case).lines[1].satisfied  # type: ignore[union-attr]
    actions.requests.cancel(office.officer, request, reason="Gửi nhầm")
    assert not plan.of_case(case).lines[1].satisfied  # type: ignore[union-attr]


def test_a_request_about_the_person_the_relative_is_counts(office: Office, world: World) -> None:
    """A request naming the person hoso holds who was confirmed to be the relative counts."""
    case = _planned_case(office, world)
    father = Person.objects.create(family_name="Trần", middle_name="Văn", given_name="Bình")
    office.father.identity = father
    office.father.save(update_fields=["identity"])
    (request,) = issue(office, case)
    assert not plan.of_case(case).lines[1].satisfied  # type: ignore[union-attr]
    request.person = father
    request.save(update_fields=["person"])
    assert plan.of_case(case).lines[1].satisfied  # type: ignore[union-attr]


def test_skipping_one_relative_and_withdrawing(office: Office, world: World) -> None:
    case = _planned_case(office, world)
    officer = office.officer
    with pytest.raises(actions.plan.PlanError, match="Ghi lý do"):
        actions.plan.skip_plan_line(officer, case, line=1, relative=office.father, reason=" ")
    with pytest.raises(actions.plan.PlanError, match="không thuộc diện"):
        actions.plan.skip_plan_line(officer, case, line=2, relative=office.father, reason="x")
    with pytest.raises(actions.plan.PlanError, match="không có trong kế hoạch"):
        actions.plan.skip_plan_line(officer, case, line=9, reason="x")
    skip = actions.plan.skip_plan_line(
        officer, case, line=1, relative=office.father, reason="Là đảng viên, đã khai đầy đủ"
    )
    assert plan.of_case(case).lines[1].satisfied  # type: ignore[union-attr]
    with pytest.raises(actions.plan.PlanError, match="Đã ghi nhận"):
        actions.plan.skip_plan_line(officer, case, line=1, relative=office.father, reason="y")
    withdrawal = actions.plan.withdraw_skip(officer, skip, reason="Chưa rõ sinh hoạt đảng")
    assert not plan.of_case(case).lines[1].satisfied  # type: ignore[union-attr]
    with pytest.raises(actions.plan.PlanError, match="Đã rút lại"):
        actions.plan.withdraw_skip(officer, skip, reason="z")
    with pytest.raises(actions.plan.PlanError, match="đã là một lần rút lại"):
        actions.plan.withdraw_skip(officer, withdrawal, reason="z")
    # Skipped again later: a new record; the history keeps all three.
    actions.plan.skip_plan_line(officer, case, line=1, relative=office.father, reason="Đã rõ")
    assert plan.of_case(case).lines[1].satisfied  # type: ignore[union-attr]
    assert PlanSkip.objects.filter(case=case).count() == 3
    with pytest.raises(Denied):
        actions.plan.skip_plan_line(office.clerk, case, line=3, reason="x")


def test_plan_records_are_immutable(office: Office, world: World) -> None:
    case = _planned_case(office, world)
    skip = actions.plan.skip_plan_line(office.officer, case, line=3, reason="Chưa kết hôn")
    with pytest.raises(ValueError, match="never edited"):
        skip.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        PlanSkip.objects.filter(pk=skip.pk).update(reason="khác")
    with pytest.raises(DatabaseError), transaction.atomic():
        PlanSkip.objects.filter(pk=skip.pk).delete()


def test_skips_only_while_planning_or_verifying(office: Office, world: World) -> None:
    office.case_type = make_type("T_PLAN", plan_relations=PLAN)
    case = open_case(office, world)
    with pytest.raises(actions.plan.PlanError, match="lập kế hoạch hoặc đang xác minh"):
        actions.plan.skip_plan_line(office.officer, case, line=3, reason="Chưa kết hôn")


def test_a_case_opened_before_the_plan_is_not_held(office: Office, world: World) -> None:
    """The plan is a rule of the version: a case keeps the one it was opened under."""
    case = to_verifying(office, open_case(office, world))
    make_type(office.case_type.code, plan_relations=PLAN)  # a new version, with a plan
    (request,) = issue(office, case)
    _reply(office, request)
    assert plan.of_case(case) is None
    assert actions.cases.move(office.officer, case, Move.COMPILE).state == State.COMPILING


def test_seeded_plans_and_recruitment(db: Any) -> None:
    admission = CaseType.objects.get(code="KET_NAP").current
    assert admission is not None
    assert [line["label"] for line in admission.plan_relations] == [
        "Bản thân",
        "Bố đẻ hoặc người trực tiếp nuôi dưỡng",
        "Mẹ đẻ hoặc người trực tiếp nuôi dưỡng",
        "Bố vợ / bố chồng",
        "Mẹ vợ / mẹ chồng",
        "Vợ hoặc chồng",
        "Con đẻ từ đủ 18 tuổi",
    ]
    assert (admission.number, admission.validity_months) == (2, None)
    codes = {c for line in admission.plan_relations for c in line["codes"]}
    relationships = set(Relationship.objects.values_list("code", flat=True))
    assert {c.rpartition(":")[2] for c in codes} - {"self"} <= relationships
    recruitment = CaseType.objects.get(code="TUYEN_DUNG").current
    assert recruitment is not None
    assert (recruitment.name, recruitment.plan_relations) == (
        "Tuyển dụng",
        admission.plan_relations,
    )
    appointment = CaseType.objects.get(code="BO_NHIEM").current
    assert appointment is not None and appointment.validity_months == 60
    other = CaseType.objects.get(code="KHAC").current
    assert other is not None and (other.number, other.plan_relations) == (1, [])


# ---- the case page, the drafts and the printed list ---------------------------------------


def test_the_case_page_shows_the_plan_and_drafts_the_requests(office: Office, world: World) -> None:
    case = _planned_case(office, world)
    client = client_for(office.officer)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Những người cần thẩm tra, xác minh" in page
    assert "Còn 5 diện cần xác minh." in page
    assert page.count("chưa khai") == 2  # the spouse and the adult children
    child = Relative.objects.get(full_name="Trần Minh Nhỏ")
    assert f"Dưới 18 tuổi, không thuộc diện này: Trần Minh Nhỏ ({child.relationship}, 2016)" in page
    draft = f"/cases/{case.pk}/requests/?target=r{office.mother.pk}"
    assert f'href="{draft}"' in page
    assert "Soạn phiếu yêu cầu xác minh" in page
    form = client.get(draft).content.decode()
    assert _checked(form) == [f"r{office.mother.pk}"]
    assert "làm rõ những vấn đề về lịch sử chính trị và chính trị hiện nay" in form
    assert "phẩm chất" not in form  # the subject's own questions are not asked of a relative


def test_the_draft_ticks_exactly_the_persons_asked(office: Office, world: World) -> None:
    case = _planned_case(office, world)
    form = client_for(office.officer).get(
        f"/cases/{case.pk}/requests/?target=p{case.person_id}&target=r999999"
    )
    page = form.content.decode()
    assert _checked(page) == [f"p{case.person_id}"]
    assert "phẩm chất chính trị, đạo đức, lối sống" in page  # the subject's own questions
    untouched = client_for(office.officer).get(f"/cases/{case.pk}/requests/").content.decode()
    assert _checked(untouched) == [] and "lịch sử chính trị" not in untouched


def _checked(page: str) -> list[str]:
    """The persons ticked on the request form."""
    return [
        chunk.split('value="')[1].split('"')[0]
        for chunk in page.split("<input")[1:]
        if 'name="targets"' in chunk and " checked" in chunk.split(">")[0]
    ]


def test_skipping_and_withdrawing_from_the_page(office: Office, world: World) -> None:
    case = _planned_case(office, world)
    client = client_for(office.officer)
    response = client.post(
        f"/cases/{case.pk}/plan/skip/", {"line": 3, "reason": "Chưa kết hôn"}, follow=True
    )
    assert "Đã ghi nhận không xác minh." in response.content.decode()
    assert "Không xác minh: Chưa kết hôn" in response.content.decode().replace("</em>", "")
    skip = PlanSkip.objects.get()
    response = client.post(
        f"/cases/{case.pk}/plan/withdraw/", {"skip": skip.pk, "reason": "Đã kết hôn"}, follow=True
    )
    assert "Đã rút lại: diện này cần được xác minh." in response.content.decode()
    assert not plan.of_case(case).lines[3].satisfied  # type: ignore[union-attr]
    # A relative of someone else is no part of this case.
    stranger = Relative.objects.create(
        person=Person.objects.create(family_name="Lý", given_name="Khác"),
        relationship=office.father.relationship,
        full_name="Lý Văn Khác",
        recorded_by=office.officer,
    )
    answer = client.post(
        f"/cases/{case.pk}/plan/skip/", {"line": 1, "relative": stranger.pk, "reason": "x"}
    )
    assert answer.status_code == 404


def test_the_printed_list_of_persons_to_verify(office: Office, world: World) -> None:
    case = _planned_case(office, world)
    issue(office, case, targets=[Target(relative=office.father)])
    actions.plan.skip_plan_line(office.officer, case, line=3, reason="Chưa kết hôn")
    client = client_for(office.officer)
    page = client.get(f"/cases/{case.pk}/plan/print/").content.decode()
    assert "DANH SÁCH NGƯỜI CẦN THẨM TRA, XÁC MINH" in page
    assert "Trần Văn Bình" in page and "01-PYC/ĐU (Chờ trả lời)" in page
    assert "Không xác minh: Chưa kết hôn" in page
    sheet = client.get(f"/cases/{case.pk}/plan/print/?format=xlsx")
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.values)
    assert rows[0][:3] == ("STT", "Diện thẩm tra", "Họ và tên")
    assert rows[2][2:4] == ("Trần Văn Bình", "Bố đẻ")
    assert [r[2] for r in rows[1:]] == [
        "TRẦN THỊ HOÀ",
        "Trần Văn Bình",
        "Lê Thị Cúc",
        "(chưa khai)",
        "(chưa khai)",
    ]
    assert AuditEvent.objects.filter(event_type="case.viewed", details={"via": "plan"}).count() == 2


def test_a_case_without_a_plan_has_no_plan_section(office: Office, world: World) -> None:
    case = to_verifying(office, open_case(office, world))
    client = client_for(office.officer)
    assert "Những người cần thẩm tra" not in client.get(f"/cases/{case.pk}/").content.decode()
    assert client.get(f"/cases/{case.pk}/plan/print/").status_code == 404


# ---- the API ------------------------------------------------------------------------------


def test_the_plan_through_the_api(office: Office, world: World) -> None:
    case = _planned_case(office, world)
    client = client_for(office.officer)
    body = client.get(f"/api/v1/cases/{case.pk}/plan/").json()
    assert body["applies"] is True
    assert [line["name"] for line in body["lines"]] == [line["label"] for line in PLAN]
    assert body["lines"][1]["persons"][0]["key"] == f"r{office.father.pk}"
    assert body["unsatisfied"] == [line["label"] for line in PLAN]
    made = client.post(
        f"/api/v1/cases/{case.pk}/plan/skips/",
        {"line": 1, "relative": office.father.pk, "reason": "Là đảng viên"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["relative"] == office.father.pk
    body = client.get(f"/api/v1/cases/{case.pk}/plan/").json()
    assert body["lines"][1]["satisfied"] and body["lines"][1]["persons"][0]["skip"]["reason"]
    refused = client.post(
        f"/api/v1/cases/{case.pk}/plan/skips/",
        {"line": 7, "reason": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "không có trong kế hoạch" in refused.json()["detail"]
    withdrawn = client.post(
        f"/api/v1/cases/{case.pk}/plan/withdraw/",
        {"skip": made.json()["id"], "reason": "Nhầm"},
        content_type="application/json",
    )
    assert withdrawn.status_code == 201 and withdrawn.json()["withdraws"] == made.json()["id"]
    assert not client.get(f"/api/v1/cases/{case.pk}/plan/").json()["lines"][1]["satisfied"]
