"""The API and the console command see and do what the pages do."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from hoso.audit.models import AuditEvent
from hoso.vetting.models import Case
from tests.conftest import World, client_for
from tests.vetting.office import Office, issue, open_case, to_verifying


def test_cases_and_requests_through_the_api(office: Office, world: World) -> None:
    client = client_for(office.officer)
    created = client.post(
        "/api/v1/cases/",
        {
            "type_code": office.case_type.code,
            "member": office.member.pk,
            "organization_code": "DUA",
            "competent_committee_code": "TUP",
            "purpose": "Phó Bí thư",
            "request_number": "1-TTr/ĐU",
            "request_date": "2026-03-02",
            "request_issuer": "Đảng ủy xã",
            "received_on": "2026-03-04",
            "handed_over_by": "Giao",
            "handover_items": "Hồ sơ",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["state"], body["due_on"], body["type_version"]) == ("received", "2026-04-15", 1)
    refused = client.post(
        f"/api/v1/cases/{body['id']}/move/", {"move": "compile"}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert "Không thể thực hiện" in refused.json()["detail"]
    moved = client.post(
        f"/api/v1/cases/{body['id']}/move/", {"move": "review"}, content_type="application/json"
    )
    assert moved.json()["state"] == "review"
    listing = client.get("/api/v1/cases/?queue=mine").json()
    assert [c["id"] for c in listing["results"]] == [body["id"]]
    assert client.get("/api/v1/cases/?queue=nonsense").status_code == 400
    client.get(f"/api/v1/cases/{body['id']}/")
    assert AuditEvent.objects.filter(event_type="case.viewed", object_id=str(body["id"])).exists()


def test_issuing_requests_through_the_api(office: Office, world: World) -> None:
    case = to_verifying(office, open_case(office, world))
    client = client_for(office.officer)
    made = client.post(
        f"/api/v1/cases/{case.pk}/requests/",
        {
            "persons": [f"p{case.person_id}", f"r{office.father.pk}"],
            "addressees": [office.police.pk],
            "questions": "Xác minh",
            "sent_on": "2026-03-12",
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert [r["reference"] for r in made.json()] == ["01-PYC/ĐU", "02-PYC/ĐU"]
    open_ones = client.get(f"/api/v1/verification-requests/?state=open&case={case.pk}").json()
    assert len(open_ones["results"]) == 2
    overdue = client.get("/api/v1/verification-requests/?state=overdue").json()
    assert len(overdue["results"]) == 2  # due 2/4/2026, long past today
    unknown = client.post(
        f"/api/v1/cases/{case.pk}/requests/",
        {
            "persons": ["p999999"],
            "addressees": [office.police.pk],
            "questions": "x",
            "sent_on": "2026-03-12",
        },
        content_type="application/json",
    )
    assert unknown.status_code == 400


def test_the_schema_documents_cases_and_requests(office: Office) -> None:
    schema = client_for(office.officer).get("/api/v1/schema/").content.decode()
    for path in (
        "/api/v1/cases/{id}/move/",
        "/api/v1/cases/{id}/requests/",
        "/api/v1/verification-requests/",
    ):
        assert path in schema


def test_the_console_command(office: Office, world: World, capsys: Any) -> None:
    case = to_verifying(office, open_case(office, world))
    issue(office, case)
    call_command("cases", "--user", "officer_a", "--queue", "mine")
    out = capsys.readouterr().out
    assert f"{case.pk}\t15/04/2026\tĐang thẩm tra, xác minh\tTrần Thị Hoà" in out
    call_command("cases", "--user", "officer_a", "--show", str(case.pk))
    assert "01-PYC/ĐU TRẦN THỊ HOÀ (1985) → Phòng PV06 Công an tỉnh" in capsys.readouterr().out
    call_command("cases", "--user", "officer_a", "--count", "2026-01-01", "2026-03-31")
    assert "requests=1 persons=1" in capsys.readouterr().out
    call_command("cases", "--user", "zzb_officer", "--queue", "open")
    assert capsys.readouterr().out == ""
    assert Case.objects.count() == 1
