"""The pages and the API of requests for verification help from other bodies: the queues and
the period's counts, the form, the detail page and its actions, the incoming register's link,
the officer's own work; and that another commune's request never shows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from hoso.access.roles import Clearance
from hoso.audit.models import AuditEvent
from hoso.documents.actions import numbering
from hoso.vetting import actions
from hoso.vetting.models import HelpRequest, HelpState
from tests.conftest import Personas, World, client_for, xlsx_cells
from tests.vetting.office import D, Office
from tests.vetting.test_help import NGHE_AN, answered, receive, rules

JSON = "application/json"


def _page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return str(response.content.decode())


def test_the_list_shows_the_queues_and_the_counts_of_a_period(office: Office, world: World) -> None:
    answered(office, world)
    waiting = receive(office, world, subject_name="Phạm Thị Lụa", received_on=D(2026, 3, 20))
    client = client_for(office.officer)
    page = _page(client, "/cases/help/?queue=open")
    assert "Phạm Thị Lụa" in page and "Nguyễn Văn Bình" not in page  # answered: not open
    assert "quá hạn" in page  # due 17/4/2026, long past today
    page = _page(client, "/cases/help/?queue=answered")
    assert "Nguyễn Văn Bình" in page and "01-CV/ĐU" in page
    counts = _page(client, "/cases/help/?queue=all&from=2026-03-01&to=2026-03-31")
    assert (
        "Từ 01/03/2026 đến 31/03/2026: tiếp nhận 2 đề nghị, 1 đề nghị còn đang giải quyết;"
        " đã trả lời 1 đề nghị (1 đề nghị đúng hạn)."
    ) in counts
    assert f"<td>{NGHE_AN}</td><td>2</td><td>1</td>" in counts
    # The officer's own work is the default queue once something is assigned to them.
    assert '<strong class="chip">Đang giải quyết</strong>' in _page(client, "/cases/help/")
    actions.help.assign(office.head, waiting, office.officer)
    mine = _page(client, "/cases/help/")
    assert "Phạm Thị Lụa" in mine and '<strong class="chip">Giao cho tôi</strong>' in mine
    # The case list says so, and links to it.
    cases = _page(client, "/cases/")
    assert "Đồng chí đang được giao 1 đề nghị xác minh giúp" in cases
    assert "/cases/help/?queue=mine" in cases
    export = client.get("/cases/help/?queue=all&format=xlsx")
    rows = xlsx_cells(export.content)
    assert [c.value for c in rows[0]][:3] == ["Số đến", "Ngày đến", "Cơ quan đề nghị"]
    assert {r[5].value for r in rows[1:]} == {
        "Nguyễn Văn Bình, 1975, xã An Bình",
        "Phạm Thị Lụa, 1975, xã An Bình",
    }
    assert client.get("/cases/help/?addressee=abc").status_code == 400


def test_registering_from_the_form_and_its_vietnamese_messages(
    office: Office, world: World
) -> None:
    rules()
    client = client_for(office.officer)
    form = _page(client, "/cases/help/new/")
    assert "15 ngày làm việc" in form
    values = {
        "organization": world.commune_a.pk,
        "received_on": "2026-03-02",
        "requester": "",
        "sender_reference": "125-CV/BTCTU",
        "kind": "verify",
        "subject_name": "Nguyễn Văn Bình",
        "subject_birth_year": "1975",
        "asked": "Xác minh lịch sử chính trị",
        "classification": "1",
    }
    refused = client.post("/cases/help/new/", values)
    assert "Chọn cơ quan trong danh mục hoặc ghi tên cơ quan đề nghị." in refused.content.decode()
    refused = client.post(
        "/cases/help/new/", {**values, "requester": NGHE_AN, "subject_birth_year": "1700"}
    )
    assert "lớn hơn hoặc bằng với 1850" in refused.content.decode()
    refused = client.post(
        "/cases/help/new/", {**values, "requester": NGHE_AN, "sender_date": "2026-03-09"}
    )
    assert "Ngày của văn bản đề nghị không thể sau ngày tiếp nhận." in refused.content.decode()
    assert not HelpRequest.objects.exists()
    made = client.post("/cases/help/new/", {**values, "requester": NGHE_AN})
    hr = HelpRequest.objects.get()
    assert made["Location"] == f"/cases/help/{hr.pk}/"
    flash = _page(client, made["Location"])
    assert "Đã vào sổ: 1/2026, hạn trả lời 23/03/2026." in flash
    assert hr.created_by == office.officer and hr.due_on == D(2026, 3, 23)


def test_the_incoming_register_offers_a_letter_and_links_the_request(
    office: Office, world: World, personas: Personas
) -> None:
    rules()
    letter = numbering.register_incoming(
        office.clerk, world.commune_a, received_on=D(2026, 3, 2), sender=NGHE_AN,
        sender_reference="125-CV/BTCTU", summary="Đề nghị xác minh giúp ông Bình",
    )  # fmt: skip
    offer = f"/cases/help/new/?incoming={letter.pk}"
    assert offer in _page(client_for(office.officer), "/documents/incoming/")
    assert offer not in _page(client_for(office.clerk), "/documents/incoming/")  # not casework
    form = _page(client_for(office.officer), offer)
    assert "Số đến 1/2026" in form and 'name="received_on"' not in form
    assert client_for(personas.officer_b).get(offer).status_code == 404  # commune A's letter
    made = client_for(office.officer).post(
        offer,
        {
            "incoming": letter.pk, "requester": "", "requester_addressee": "",
            "kind": "verify", "subject_name": "Nguyễn Văn Bình", "asked": "Xác minh",
            "classification": "1",
        },
    )  # fmt: skip
    hr = HelpRequest.objects.get()
    assert made["Location"] == f"/cases/help/{hr.pk}/" and hr.requester == NGHE_AN
    register = _page(client_for(office.officer), "/documents/incoming/")
    assert f'href="/cases/help/{hr.pk}/"' in register and offer not in register
    assert client_for(office.officer).get(offer).status_code == 404  # taken


def test_the_detail_page_and_its_actions(office: Office, world: World) -> None:
    hr = receive(office, world)
    head, officer = client_for(office.head), client_for(office.officer)
    page = _page(head, f"/cases/help/{hr.pk}/")
    assert "Mới tiếp nhận, chưa giao" in page and 'action="/cases/help/' in page
    assert AuditEvent.objects.filter(event_type="help.viewed", object_id=str(hr.pk)).exists()
    assert f'action="/cases/help/{hr.pk}/assign/"' in page
    assert f'action="/cases/help/{hr.pk}/assign/"' not in _page(officer, f"/cases/help/{hr.pk}/")
    head.post(f"/cases/help/{hr.pk}/assign/", {"assignee": office.officer.pk})
    hr.refresh_from_db()
    assert (hr.state, hr.assignee) == (HelpState.ASSIGNED, office.officer)
    officer.post(f"/cases/help/{hr.pk}/move/", {"move": "start"})
    refused = officer.post(
        f"/cases/help/{hr.pk}/answer/", {"answered_on": "2026-02-01", "summary": "x"}, follow=True
    )
    assert (
        "Ngày của văn bản trả lời phải từ ngày tiếp nhận đến hôm nay." in refused.content.decode()
    )
    officer.post(
        f"/cases/help/{hr.pk}/answer/",
        {"answered_on": "2026-03-16", "summary": "Không vi phạm.", "signer": "", "authority": ""},
    )
    hr.refresh_from_db()
    assert hr.state == HelpState.ANSWERED and hr.answer is not None
    page = _page(officer, f"/cases/help/{hr.pk}/")
    assert "01-CV/ĐU" in page and f"/documents/outgoing/{hr.answer_id}/file/" in page
    refused = head.post(
        f"/cases/help/{hr.pk}/due/", {"due_on": "2026-04-01", "reason": "x"}, follow=True
    )
    assert "Chỉ đề nghị đang giải quyết mới đổi được hạn trả lời." in refused.content.decode()
    assert officer.post(f"/cases/help/{hr.pk}/move/", {"move": "answer"}).status_code == 404


def test_naming_the_person_on_record(office: Office, world: World) -> None:
    person = office.member.person  # TRẦN THỊ HOÀ, 1985, xã An Bình
    hr = receive(office, world, subject_name="Trần Thị Hòa", subject_birth_year=1985)
    officer = client_for(office.officer)
    page = _page(officer, f"/cases/help/{hr.pk}/")
    assert f'name="person" value="{person.pk}"' in page
    officer.post(f"/cases/help/{hr.pk}/person/", {"person": person.pk})
    hr.refresh_from_db()
    assert hr.person == person
    gone = officer.post(f"/cases/help/{hr.pk}/person/", {"person": 10**12}, follow=True)
    assert "Đồng chí không có quyền xem người này." in gone.content.decode()
    officer.post(f"/cases/help/{hr.pk}/person/", {})
    hr.refresh_from_db()
    assert hr.person is None


def test_another_communes_request_is_missing_everywhere(
    office: Office, world: World, personas: Personas
) -> None:
    hr = answered(office, world)
    stranger = client_for(personas.officer_b)
    for url in (
        f"/cases/help/{hr.pk}/",
        f"/api/v1/help-requests/{hr.pk}/",
    ):
        assert stranger.get(url).status_code == 404, url
    for action in ("assign", "move", "answer", "due", "person"):
        assert stranger.post(f"/cases/help/{hr.pk}/{action}/", {"move": "start"}).status_code == 404
        assert (
            stranger.post(
                f"/api/v1/help-requests/{hr.pk}/{action}/", {}, content_type=JSON
            ).status_code
            == 404
        )
    assert stranger.get(f"/cases/help/{hr.pk + 1000}/").status_code == 404  # as a missing one
    assert "Nguyễn Văn Bình" not in _page(stranger, "/cases/help/?queue=all")
    assert stranger.get("/api/v1/help-requests/?queue=all").json()["results"] == []
    # Its answer and its letter follow the request: not in the stranger's registers either.
    assert "125-CV/BTCTU" not in _page(stranger, "/documents/incoming/")
    assert "01-CV/ĐU" not in _page(stranger, "/documents/outgoing/")
    # A clerk of the same commune keeps the register but no longer sees vetting work in it.
    assert "125-CV/BTCTU" not in _page(client_for(office.clerk), "/documents/incoming/")
    assert client_for(personas.head_p).get(f"/cases/help/{hr.pk}/").status_code == 200


def test_the_api_registers_moves_and_answers(office: Office, world: World) -> None:
    rules()
    officer, head = client_for(office.officer), client_for(office.head)
    body = {
        "organization_code": "DUA", "received_on": "2026-03-02", "requester": NGHE_AN,
        "sender_reference": "125-CV/BTCTU", "kind": "verify", "subject_name": "Nguyễn Văn Bình",
        "subject_birth_year": 1975, "asked": "Xác minh lịch sử chính trị",
    }  # fmt: skip
    created = officer.post("/api/v1/help-requests/", body, content_type=JSON)
    assert created.status_code == 201, created.content
    made = created.json()
    assert (made["reference"], made["state"], made["due_on"]) == (
        "1/2026",
        "received",
        "2026-03-23",
    )
    assert (made["classification"], made["answer_reference"]) == (Clearance.CONFIDENTIAL, None)
    pk = made["id"]
    refused = officer.post("/api/v1/help-requests/", {**body, "requester": ""}, content_type=JSON)
    assert refused.status_code == 400
    assert refused.json()["detail"] == "Ghi rõ cơ quan gửi đề nghị."
    refused = officer.post(
        f"/api/v1/help-requests/{pk}/assign/", {"assignee": office.officer.pk}, content_type=JSON
    )
    assert refused.status_code == 403  # an officer does not assign
    assigned = head.post(
        f"/api/v1/help-requests/{pk}/assign/", {"assignee": office.officer.pk}, content_type=JSON
    )
    assert assigned.json()["state"] == "assigned"
    listing = officer.get("/api/v1/help-requests/?queue=mine").json()
    assert [r["id"] for r in listing["results"]] == [pk]
    assert officer.get("/api/v1/help-requests/?queue=nonsense").status_code == 400
    assert officer.get("/api/v1/help-requests/?kind=nonsense").status_code == 400
    moved = officer.post(
        f"/api/v1/help-requests/{pk}/move/", {"move": "decline", "reason": ""}, content_type=JSON
    )
    assert moved.status_code == 403  # declining is a head's decision
    due = head.post(
        f"/api/v1/help-requests/{pk}/due/",
        {"due_on": "2026-04-03", "reason": "Gia hạn"},
        content_type=JSON,
    )
    assert due.json()["due_on"] == "2026-04-03"
    named = officer.post(
        f"/api/v1/help-requests/{pk}/person/",
        {"person": office.member.person_id},
        content_type=JSON,
    )
    assert named.json()["person"] == office.member.person_id
    answer = officer.post(
        f"/api/v1/help-requests/{pk}/answer/",
        {"answered_on": "2026-03-16", "summary": "Không vi phạm."},
        content_type=JSON,
    )
    assert answer.status_code == 200, answer.content
    assert (answer.json()["state"], answer.json()["answer_reference"]) == ("answered", "01-CV/ĐU")
    again = officer.post(
        f"/api/v1/help-requests/{pk}/answer/",
        {"answered_on": "2026-03-16", "summary": "Lần nữa"},
        content_type=JSON,
    )
    assert again.status_code == 400 and "Không thể “Trả lời" in again.json()["detail"]
    future = (timezone.localdate() + dt.timedelta(days=400)).isoformat()
    far = head.post(
        f"/api/v1/help-requests/{pk}/due/", {"due_on": future, "reason": "x"}, content_type=JSON
    )
    assert far.status_code == 400  # beyond the plausible range of a date
    assert officer.get(f"/api/v1/help-requests/{pk}/").json()["answer_summary"] == "Không vi phạm."
