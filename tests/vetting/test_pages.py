"""The case pages, driven as an officer and a head would, in Vietnamese."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from hoso.audit.models import AuditEvent
from hoso.vetting.models import Case, CaseFile, State, VerificationRequest
from tests.conftest import Personas, World, client_for, make_user
from tests.vetting.office import D, Office, open_case, to_verifying


def _flash(response: object) -> list[str]:
    text = response.content.decode()  # type: ignore[attr-defined]
    return re.findall(r'<p class="flash [a-z]+">([^<]*)</p>', text)


def test_open_a_case_from_the_member_page(office: Office, world: World) -> None:
    client = client_for(office.officer)
    member_page = client.get(f"/members/{office.member.pk}/").content.decode()
    assert f"/cases/new/?member={office.member.pk}" in member_page
    form = client.get(f"/cases/new/?member={office.member.pk}").content.decode()
    assert "Tiếp nhận hồ sơ" in form and "Trần Thị Hoà" in form
    response = client.post(
        f"/cases/new/?member={office.member.pk}",
        {
            "case_type": office.case_type.pk,
            "organization": world.commune_a.pk,
            "competent_committee": world.province.pk,
            "purpose": "Bí thư Đảng ủy xã",
            "request_number": "20-TTr/ĐU",
            "request_date": "2026-03-02",
            "request_issuer": "Đảng ủy xã An Bình",
            "received_on": "2026-03-04",
            "handed_over_by": "Nguyễn Văn Giao",
            "handover_items": "Tờ trình, lý lịch",
        },
        follow=True,
    )
    case = Case.objects.get()
    assert (case.person, case.competent_committee) == (office.member.person, world.province)
    assert _flash(response) == ["Đã mở hồ sơ; hạn 15/04/2026."]
    page = response.content.decode()
    assert "Bắt đầu nghiên cứu ban đầu" in page  # the one move open to an officer now
    assert "Rút hồ sơ" not in page  # heads withdraw


def test_a_person_who_is_not_a_member(office: Office, world: World) -> None:
    client = client_for(office.officer)
    data = {
        "case_type": office.case_type.pk,
        "organization": world.commune_a.pk,
        "competent_committee": world.commune_a.pk,
        "purpose": "Ứng cử HĐND xã",
        "request_number": "3-CV/UB",
        "request_date": "2026-03-02",
        "request_issuer": "UBND",
        "received_on": "2026-03-04",
        "handed_over_by": "A",
        "handover_items": "Hồ sơ",
        "person-family_name": "Đỗ",
        "person-middle_name": "Minh",
        "person-given_name": "Khoa",
        "person-sex": "M",
        "person-birth_date": "1990-05-06",
        "person-home_town": "Hải Phòng",
        "person-citizen_id": "12345",
    }
    response = client.post("/cases/new/", data)
    assert "Số CCCD phải gồm đúng 12 chữ số." in response.content.decode()
    assert not Case.objects.exists()
    data["person-citizen_id"] = "031090001234"
    client.post("/cases/new/", data)
    assert str(Case.objects.get().person) == "Đỗ Minh Khoa"


def test_moves_refusals_and_evidence_on_the_page(office: Office, world: World) -> None:
    case = open_case(office, world)
    client = client_for(office.officer)
    response = client.post(f"/cases/{case.pk}/move/", {"move": "compile"}, follow=True)
    assert _flash(response)[0].startswith("Không thể thực hiện “Kết thúc xác minh, tổng hợp”")
    client.post(f"/cases/{case.pk}/move/", {"move": "review"})
    client.post(f"/cases/{case.pk}/move/", {"move": "ask_decision"})
    response = client.post(
        f"/cases/{case.pk}/move/",
        {"move": "record_decision", "decision_number": "05-QĐ/ĐU", "decision_date": "2026-03-10"},
        follow=True,
    )
    case.refresh_from_db()
    assert (case.state, case.decision_number) == (State.PLANNING, "05-QĐ/ĐU")
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban", "application/pdf")
    client.post(
        f"/cases/{case.pk}/files/", {"kind": "minutes", "title": "Biên bản", "file": upload}
    )
    item = CaseFile.objects.get()
    download = client.get(f"/cases/files/{item.pk}/")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(event_type="case.file_opened").count() == 1
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00", "application/octet-stream")
    response = client.post(f"/cases/{case.pk}/files/", {"kind": "other", "file": bad}, follow=True)
    assert "Chỉ nhận tệp PDF" in _flash(response)[-1]
    assert CaseFile.objects.count() == 1


def test_requests_and_replies_through_the_pages(office: Office, world: World) -> None:
    case = to_verifying(office, open_case(office, world))
    client = client_for(office.officer)
    page = client.get(f"/cases/{case.pk}/requests/").content.decode()
    assert "Trần Văn Bình (Bố đẻ, 1955)" in page
    response = client.post(
        f"/cases/{case.pk}/requests/",
        {
            "targets": [f"p{case.person_id}", f"r{office.mother.pk}"],
            "addressees": [office.police.pk],
            "questions": "Xác minh lịch sử chính trị",
            "sent_on": "2026-03-12",
        },
        follow=True,
    )
    assert _flash(response) == ["Đã phát hành phiếu: 01-PYC/ĐU, 02-PYC/ĐU"]
    request = VerificationRequest.objects.get(document__number=2)
    response = client.post(
        f"/cases/requests/{request.pk}/",
        {
            "received_on": "2026-03-20",
            "reference": "88/PV06",
            "summary": "Đã xác minh",
            "topic_0": "Nơi ở",
            "finding_0": "Khác với khai",
            "verdict_0": "discrepancy",
            "topic_1": "Nghề nghiệp",
            "finding_1": "",
            "verdict_1": "",
        },
    )
    assert "Đánh dấu nội dung là khớp hoặc chưa khớp." in response.content.decode()
    client.post(
        f"/cases/requests/{request.pk}/",
        {
            "received_on": "2026-03-20",
            "reference": "88/PV06",
            "summary": "Đã xác minh",
            "topic_0": "Nơi ở",
            "finding_0": "Khác với khai",
            "verdict_0": "discrepancy",
        },
    )
    request.refresh_from_db()
    assert request.state == "answered"
    item = request.replies.get().items.get()
    client.post(f"/cases/requests/items/{item.pk}/resolve/", {"text": "Đã giải trình"})
    item.refresh_from_db()
    assert item.resolution == "Đã giải trình"
    listing = client.get("/cases/requests/?from=2026-01-01&to=2026-03-31").content.decode()
    assert "phát hành 2 phiếu yêu cầu xác minh về 2 người" in listing


def test_conclusion_page_proposes_nothing_and_officers_cannot_open_it(
    office: Office, world: World
) -> None:
    case = to_verifying(office, open_case(office, world))
    Case.objects.filter(pk=case.pk).update(state=State.PROPOSED, proposal="Đề xuất")
    assert client_for(office.officer).get(f"/cases/{case.pk}/conclude/").status_code == 404
    head = client_for(office.head)
    form = head.get(f"/cases/{case.pk}/conclude/").content.decode()
    assert '<option value="" selected>—</option>' in form  # no outcome preselected
    assert (
        "selected"
        not in form.split('<option value="" selected>—</option>')[1].split("</select>")[0]
    )
    response = head.post(
        f"/cases/{case.pk}/conclude/",
        {
            "outcome": "DU",
            "text": "Đủ tiêu chuẩn",
            "number": "15-KL/ĐU",
            "signed_on": "2026-04-20",
            "signer": "Nguyễn Văn An",
            "authority": "T/M",
        },
        follow=True,
    )
    assert "Đã ghi nhận kết luận" in _flash(response)[0]
    assert "15-KL/ĐU" in response.content.decode()


def test_queues_bulk_assignment_and_excel(office: Office, world: World) -> None:
    first, second = open_case(office, world), open_case(office, world)
    head = client_for(office.head)
    response = head.post(
        "/cases/bulk/",
        {"case": [first.pk, second.pk], "action": "assign", "assignee": office.officer2.pk},
        follow=True,
    )
    assert _flash(response) == ["Đã giao 2 hồ sơ."]
    mine = client_for(office.officer2).get("/cases/?queue=mine").content.decode()
    assert f'href="/cases/{first.pk}/"' in mine and f'href="/cases/{second.pk}/"' in mine
    assert (
        'href="/cases/'
        not in client_for(office.officer3)
        .get("/cases/?queue=mine")
        .content.decode()
        .split("<tbody>")[1]
    )
    export = head.get("/cases/?queue=open&format=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "Người được thẩm tra" in values and "Trần Thị Hoà" in values
    # An officer may not assign.
    refused = client_for(office.officer).post(
        "/cases/bulk/",
        {"case": [first.pk], "action": "assign", "assignee": office.officer.pk},
        follow=True,
    )
    first.refresh_from_db()
    assert first.assignee == office.officer2 and refused.status_code in (200, 403)


def test_case_type_edits_make_versions_and_open_cases_keep_theirs(
    office: Office, world: World, personas: object
) -> None:
    case = open_case(office, world)
    admin = client_for(personas.admin_root)  # type: ignore[attr-defined]
    url = f"/cases/types/{office.case_type.pk}/"
    page = admin.get(url).content.decode()
    assert "DU | Đủ tiêu chuẩn chính trị" in page
    admin.post(
        url,
        {
            "name": "Đề bạt, bổ nhiệm",
            "period_days": 45,
            "period_unit": "working",
            "pausable": "on",
            "default_classification": 1,
            "min_team_size": 3,
            "reply_days": 20,
            "outcomes": "DU | Đủ\nKHONG_DU | Không đủ",
            "steps": ["review", "verification", "compiling", "proposal"],
            "active": "on",
        },
    )
    office.case_type.refresh_from_db()
    assert office.case_type.current.number == 2 and office.case_type.current.period_days == 45
    case.refresh_from_db()
    assert case.version.number == 1 and case.version.period_days == 30
    bad = admin.post(
        url,
        {
            "name": "x",
            "period_days": 5,
            "period_unit": "working",
            "default_classification": 1,
            "min_team_size": 1,
            "reply_days": 5,
            "outcomes": "no separator",
            "steps": ["review"],
            "active": "on",
        },
    )
    assert "MÃ | tên" in bad.content.decode()
    assert client_for(office.officer).get(url).status_code == 404


def test_issue_the_decision_from_the_case_page(office: Office, world: World) -> None:
    case = open_case(office, world)
    for move in ("review", "ask_decision"):
        client_for(office.officer).post(f"/cases/{case.pk}/move/", {"move": move})
    head = client_for(office.head)
    page = head.get(f"/cases/{case.pk}/").content.decode()
    assert "Ban hành quyết định thẩm tra, xác minh (cấp số QĐ)" in page
    response = head.post(
        f"/cases/{case.pk}/papers/decision/",
        {"on": "2026-03-10", "signer": "Nguyễn Văn An", "authority": "T/M"},
        follow=True,
    )
    assert _flash(response) == ["Đã cấp số: Số 01-QĐ/ĐU."]
    case.refresh_from_db()
    assert (case.state, case.decision_number) == (State.PLANNING, "01-QĐ/ĐU")
    assert "01-QĐ/ĐU" in response.content.decode()
    again = head.post(
        f"/cases/{case.pk}/papers/decision/",
        {"on": "2026-03-11", "signer": "A", "authority": "T/M"},
        follow=True,
    )
    assert "chỉ được ban hành khi hồ sơ đang chờ" in _flash(again)[0]


def test_queues_come_in_keyset_pages(office: Office, world: World, monkeypatch: Any) -> None:
    from hoso.vetting.views import cases as views

    monkeypatch.setattr(views, "PAGE", 2)
    made = [
        open_case(office, world, received_on=D(2026, 3, day), request_date=D(2026, 3, 1))
        for day in (4, 2, 3)
    ]
    client = client_for(office.officer)
    first = client.get("/cases/?queue=open").content.decode()
    ids = [int(i) for i in re.findall(r'href="/cases/(\d+)/"', first)]
    assert ids == [made[1].pk, made[2].pk]  # earliest due first
    following = re.search(r'after=([0-9.-]+)"', first)
    assert following is not None
    second = client.get(f"/cases/?queue=open&after={following.group(1)}").content.decode()
    assert [int(i) for i in re.findall(r'href="/cases/(\d+)/"', second)] == [made[0].pk]
    assert "Trang sau" not in second and "Trang sau" in first


def test_open_a_case_from_a_petition(office: Office, world: World) -> None:
    """Petitions register themselves as a place a case is opened from (vetting.hooks)."""
    from hoso.petitions import actions as petitions

    petition = petitions.receive(
        office.clerk,
        world.commune_a,
        received_on=dt.date(2026, 3, 2),
        channel="post",
        summary="Đơn phản ánh",
        subjects=[("Trần Thị Hoà", "", office.member.person)],
    )
    client = client_for(office.officer)
    url = f"/cases/new/?member={office.member.pk}&petition={petition.pk}"
    assert petition.reference in client.get(url).content.decode()
    client.post(
        url,
        {
            "case_type": office.case_type.pk,
            "organization": world.commune_a.pk,
            "competent_committee": world.province.pk,
            "purpose": "Xác minh đơn",
            "request_number": "21-TTr/ĐU",
            "request_date": "2026-03-02",
            "request_issuer": "Đảng ủy xã An Bình",
            "received_on": "2026-03-04",
            "handed_over_by": "Nguyễn Văn Giao",
            "handover_items": "Đơn",
        },
    )
    petition.refresh_from_db()
    assert petition.case == Case.objects.get()
    # A petition out of sight answers like a missing one.
    outsider = client_for(make_user("zzb_off2", world.commune_b, "officer"))
    assert outsider.get(f"/cases/new/?petition={petition.pk}").status_code == 404


def test_the_competent_committee_proposed_for_the_subject(
    office: Office, world: World, monkeypatch: Any
) -> None:
    """A proposer (the cadres app registers one) preselects the committee, if the form offers
    it; the officer may still choose another."""
    from hoso.vetting import hooks

    asked: list[Any] = []

    def propose(user: Any, person: Any) -> Any:
        asked.append((user, person))
        return world.province

    monkeypatch.setattr(hooks, "COMMITTEE_PROPOSERS", [lambda u, p: None, propose])
    client = client_for(office.officer)
    form = client.get(f"/cases/new/?member={office.member.pk}").content.decode()
    assert asked == [(office.officer, office.member.person)]
    # The organization picker shows the proposed committee in its text box.
    chosen = re.search(r'<input type="text" name="competent_committee-q" value="([^"]*)"', form)
    assert chosen is not None
    assert chosen.group(1) == f"{world.province.name} ({world.province.code})"
    assert "Đề xuất theo phân cấp quản lý cán bộ của người này" in form
    # A committee the form does not offer (another province's) is not preselected.
    monkeypatch.setattr(hooks, "COMMITTEE_PROPOSERS", [lambda u, p: world.commune_b])
    form = client.get(f"/cases/new/?member={office.member.pk}").content.decode()
    chosen = re.search(r'<input type="text" name="competent_committee-q" value="([^"]*)"', form)
    assert chosen is not None and chosen.group(1) == ""
    # Without a known subject, nothing is asked.
    asked.clear()
    monkeypatch.setattr(hooks, "COMMITTEE_PROPOSERS", [propose])
    client.get("/cases/new/")
    assert asked == []


def test_case_type_edits_set_the_validity_and_the_plan(
    office: Office, world: World, personas: object
) -> None:
    admin = client_for(personas.admin_root)  # type: ignore[attr-defined]
    url = f"/cases/types/{office.case_type.pk}/"
    data = {
        "name": "Đề bạt, bổ nhiệm",
        "period_days": 30,
        "period_unit": "working",
        "pausable": "on",
        "default_classification": 1,
        "min_team_size": 3,
        "reply_days": 15,
        "validity_months": 24,
        "outcomes": "DU | Đủ",
        "plan_relations": "self | Bản thân\nown:bo, me\ncon-de, 18+ | Con đã thành niên",
        "steps": ["review", "verification", "compiling", "proposal"],
        "active": "on",
    }
    assert admin.post(url, data).status_code == 302
    version = office.case_type.versions.get(number=2)
    assert version.validity_months == 24
    assert version.plan_relations == [
        {"label": "Bản thân", "codes": ["self"], "adult": False},
        {"label": "Bố đẻ (Bên bản thân) / Mẹ đẻ", "codes": ["own:bo", "me"], "adult": False},
        {"label": "Con đã thành niên", "codes": ["con-de"], "adult": True},
    ]
    page = admin.get(url).content.decode()
    assert "own:bo, me | Bố đẻ (Bên bản thân) / Mẹ đẻ" in page and "con-de, 18+ |" in page
    listing = admin.get("/cases/types/").content.decode()
    assert "<td>24</td>" in listing and "<li>Con đã thành niên</li>" in listing
    for plan_text, error in [
        ("cha-ruot | Cha", "Mã không có: cha-ruot"),
        ("aunt:bo", "Mã không có: aunt:bo"),
        ("self, bo", "Mã self phải đứng riêng một dòng."),
        ("| Không mã", "Ghi mỗi dòng theo dạng: mã | tên diện."),
    ]:
        page = admin.post(url, {**data, "plan_relations": plan_text}).content.decode()
        assert error in page, plan_text
    without_compiling = {**data, "steps": ["review", "verification"]}
    page = admin.post(url, without_compiling).content.decode()
    assert "Kế hoạch xác minh cần có bước xác minh và bước tổng hợp" in page
    assert office.case_type.versions.count() == 2


def test_open_a_case_for_a_relative_made_a_person(
    office: Office, world: World, personas: Personas
) -> None:
    """A declared relative to be vetted in their own right: made a person, then the case is
    opened on that record (?person=), with the type and purpose a link may prefill."""
    from hoso.people import actions as people_actions

    father = people_actions.identity.person_from_relative(
        office.officer, office.father, sex="M", reason="Thẩm tra bố đẻ"
    )
    client = client_for(office.officer)
    url = f"/cases/new/?person={father.pk}&type={office.case_type.code}&purpose=Tổ trưởng"
    form = client.get(url).content.decode()
    assert "TRẦN VĂN BÌNH" in form and 'value="Tổ trưởng"' in form
    assert f'<option value="{office.case_type.pk}" selected>' in form
    data = {
        "case_type": office.case_type.pk, "organization": world.commune_a.pk,
        "competent_committee": world.commune_a.pk, "purpose": "Tổ trưởng",
        "request_number": "4-CV/UB", "request_date": "2026-03-02", "request_issuer": "UBND",
        "received_on": "2026-03-04", "handed_over_by": "A", "handover_items": "Hồ sơ",
    }  # fmt: skip
    client.post(url, data)
    assert Case.objects.get().person == father
    # A person nobody in commune B may see answers as missing.
    foreign = client_for(personas.officer_b).get(f"/cases/new/?person={father.pk}")
    assert foreign.status_code == 404


def test_the_queue_names_follow_the_users_language(office: Office) -> None:
    """The queue labels are translated when shown, not when the module was imported."""
    client = client_for(office.officer)
    page = client.get(reverse("case-list")).content.decode()
    assert "Đang chờ trả lời xác minh" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("case-list")).content.decode()
    for label in ("My office's cases", "Awaiting replies", "Concluded, archived, withdrawn"):
        assert label.replace("'", "&#x27;") in page, label


def test_pausing_a_case_is_not_a_members_discipline_nor_the_primary_button(
    office: Office, world: World
) -> None:
    """Issue 16, defect 3: the pause move read "Đình chỉ sinh hoạt" (a member-discipline term)
    and was the red primary button; it is the case's "Tạm dừng hồ sơ", secondary, after the
    moves that advance the case."""
    case = open_case(office, world)
    head = client_for(office.head)
    head.post(f"/cases/{case.pk}/move/", {"move": "review"})
    page = head.get(f"/cases/{case.pk}/").content.decode()
    start = page.index('data-testid="moves"')
    moves = page[start : page.index("</section>", start)]
    assert "Đình chỉ sinh hoạt" not in moves and "Tạm dừng hồ sơ" in moves
    pause = moves[: moves.index("Tạm dừng hồ sơ")].rsplit("<button", 1)[1]
    assert 'class="secondary"' in pause
    assert moves.index("Tạm dừng hồ sơ") > moves.index("<button")  # not the first button
    primary = re.findall(r'<button class="">([^<]+)</button>', moves)
    assert primary and all(label not in TAKE_ASIDE for label in primary)


TAKE_ASIDE = ("Tạm dừng hồ sơ", "Rút hồ sơ", "Đề nghị bổ sung tài liệu")
