"""A commune's periodic report: drafted, submitted upward with frozen figures, seen arriving by
the province, returned and submitted again; printed to Excel, PDF and Word."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from hoso.access import policy
from hoso.access.roles import Clearance, Role
from hoso.audit.models import AuditEvent
from hoso.documents.models import Copy, OutgoingDocument
from hoso.jobs.models import Job, State
from hoso.lib.periods import parse
from hoso.people import reconcile
from hoso.reports import actions, indicators, reads, tables
from hoso.reports.actions import ReportError
from hoso.reports.models import FormRow, ReportForm, ReportState
from hoso.vetting.models import CaseType
from tests.conftest import Personas, World, client_for, make_user
from tests.jobs.helpers import work
from tests.vetting.office import Office, office, open_case

__all__ = ["office"]  # the fixture, imported for pytest

D = dt.date
Q1 = parse("2026-q1")


@pytest.fixture
def form(db: None) -> ReportForm:
    return ReportForm.objects.get(code="BVCTNB")


def test_the_seeded_form_names_only_registered_indicators_and_categories(form: ReportForm) -> None:
    rows = list(FormRow.objects.filter(section__form=form))
    assert len(rows) > 30
    for row in rows:
        indicator = indicators.get(row.indicator)
        assert indicator is not None, row.indicator
        if row.value and indicator.categories:
            assert row.value in indicator.categories(), (row.indicator, row.value)
    case_types = set(CaseType.objects.values_list("code", flat=True))
    assert {r.value for r in rows if r.indicator == "cases.received" and r.value} <= case_types


def _drafted(office: Office, world: World, form: ReportForm) -> actions.Report:
    open_case(office, world, received_on=D(2026, 2, 3), request_date=D(2026, 2, 1))
    report = actions.start(office.officer, form, world.commune_a, Q1)
    return actions.write(
        office.officer,
        report,
        narrative={"1": "Tiếp nhận hồ sơ đúng quy trình.", "99": "bỏ qua"},
        signer_title="Trưởng ban",
        signer_name="Nguyễn Văn An",
        classification=Clearance.CONFIDENTIAL,
    )


def test_submitting_freezes_numbers_and_hashes_the_snapshot(
    world: World, personas: Personas, office: Office, form: ReportForm
) -> None:
    report = _drafted(office, world, form)
    assert report.narrative == {"1": "Tiếp nhận hồ sơ đúng quy trình."}  # unknown part dropped
    with pytest.raises(policy.Denied):
        actions.submit(office.officer, report, issued_on=D(2026, 4, 2))  # officers do not sign
    submission = actions.submit(office.head, report, issued_on=D(2026, 4, 2))
    assert submission.sha256 == tables.digest(submission.snapshot)
    document = OutgoingDocument.objects.get(pk=submission.document_id)
    assert document.kind.code == "BC" and document.object_type == "reports.report"
    frozen = submission.snapshot
    assert frozen["reference"] == document.reference
    first = frozen["sections"][0]
    assert first["rows"][0] == {
        "label": "Số hồ sơ tiếp nhận",
        "indicator": "cases.received",
        "value": "",
        "indent": 0,
        "now": 1,
        "before": 0,
    }
    assert frozen["indicators"]["cases.received"]["version"] == 1
    # The member count on the last day is the count reported for the reconciliation.
    assert frozen["members_at_end"] == 1  # the office's member (the case subject)
    rows = {row.org.code: row for row in reconcile.reconcile(world.province, 2026, 1)}
    assert rows["DUA"].reported == 1 and rows["DUA"].discrepancy == 0
    assert rows["ZZB"].reported is None
    with pytest.raises(ReportError):
        actions.write(office.head, report, narrative={}, signer_title="", signer_name="x",
                      classification=1)  # fmt: skip
    # A case received later in the period changes today's figure, not the submitted one.
    open_case(office, world, received_on=D(2026, 3, 3), request_date=D(2026, 3, 1))
    live = tables.fill(office.head, form, world.commune_a, Q1)
    assert ("Số hồ sơ tiếp nhận", 1, 2) in tables.differences(frozen, live)
    page = client_for(office.head).get(
        reverse("report-document", args=["BVCTNB"]),
        {"org": world.commune_a.pk, "period": "2026-q1"},
    )
    assert "Số liệu đã gửi giữ nguyên" in page.content.decode()


def test_the_level_above_sees_it_arrive_returns_it_and_it_comes_back(
    world: World, personas: Personas, office: Office, form: ReportForm
) -> None:
    november = parse("2026-11-01..2026-11-30")  # due on 5 December: today is before it
    open_case(office, world, received_on=D(2026, 11, 3), request_date=D(2026, 11, 1))
    report = actions.start(office.officer, form, world.commune_a, november)
    report = actions.write(office.officer, report, narrative={}, signer_title="Trưởng ban",
                           signer_name="Nguyễn Văn An", classification=1)  # fmt: skip
    province_head = make_user("head_prov", world.province, Role.HEAD, Clearance.SECRET)
    status = reads.completeness(province_head, form, world.province, november)
    assert [(b.org.code, b.report) for b in status["below"]] == [("DUA", report), ("ZZB", None)]
    assert not any(b.late for b in status["below"])  # not due yet
    actions.submit(office.head, report, issued_on=D(2026, 12, 1))
    status = reads.completeness(province_head, form, world.province, november)
    dua, zzb = status["below"]
    assert dua.report is not None and dua.report.state == ReportState.SUBMITTED
    assert zzb.report is None and not zzb.late
    consolidated = {label: total for label, _i, total, _now in status["rows"]}
    assert consolidated["Số hồ sơ tiếp nhận"] == 1
    assert consolidated["Số người được xác minh"] is None  # not additive: never summed
    # Past the due day, an organization that has not submitted is late.
    assert all(b.late for b in reads.completeness(province_head, form, world.province, Q1)["below"])
    with pytest.raises(policy.Denied):
        actions.return_report(office.head, report, reason="tự trả")  # not the level above
    actions.return_report(province_head, report, reason="Bổ sung số liệu đơn thư")
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    again = actions.submit(office.head, report, issued_on=D(2026, 12, 2))
    assert again.sequence == 2
    first = report.submissions.get(sequence=1)
    assert first.returned_reason == "Bổ sung số liệu đơn thư" and first.snapshot["reference"]
    assert first.snapshot["reference"] != again.snapshot["reference"]  # each one numbered


def test_printed_to_excel_pdf_and_word_through_the_copy_register(
    world: World, personas: Personas, office: Office, form: ReportForm
) -> None:
    report = _drafted(office, world, form)
    client = client_for(office.head)
    draft_pdf = client.get(reverse("report-export", args=[report.pk, "pdf"]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(draft_pdf.content)).pages)
    assert "DỰ THẢO" in text and "Tiếp nhận hồ sơ đúng quy trình." in text
    assert "Số hồ sơ tiếp nhận: quý I năm 2026" in text  # the chart by organization, as SVG
    submission = actions.submit(office.head, report, issued_on=D(2026, 4, 2))
    book = client.get(reverse("report-export", args=[report.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(book.content)).worksheets[0]
    assert sheet.freeze_panes == "A6"
    values = [
        c.value for c in next(r for r in sheet.iter_rows() if r[1].value == "Số hồ sơ tiếp nhận")
    ]
    assert values[:4] == [1, "Số hồ sơ tiếp nhận", 1, 0]  # real numbers
    # Classified: each PDF or Word file is a registered copy with its recipient.
    refused = client.get(reverse("report-export", args=[report.pk, "pdf"]))
    assert refused.status_code == 302
    pdf = client.get(
        reverse("report-export", args=[report.pk, "pdf"]), {"recipient": "Ban Tổ chức Tỉnh ủy"}
    )
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert submission.document.reference in text and "DỰ THẢO" not in text
    copy = Copy.objects.get(document=submission.document)
    assert copy.recipient == "Ban Tổ chức Tỉnh ủy" and copy.number == 1
    word = client.get(reverse("report-export", args=[report.pk, "docx"]), {"recipient": "Lưu"})
    assert word.status_code == 200
    pictures = docx.Document(io.BytesIO(word.content)).inline_shapes
    assert len(pictures) >= 1  # the same chart as PNG


def test_reports_of_another_commune_answer_as_missing(
    world: World, personas: Personas, office: Office, form: ReportForm
) -> None:
    report = _drafted(office, world, form)
    stranger = make_user("zzb_head", world.commune_b, Role.HEAD, Clearance.SECRET)
    client = client_for(stranger)
    assert client.get(reverse("report-kept", args=[report.pk])).status_code == 404
    assert client.get(reverse("report-export", args=[report.pk, "xlsx"])).status_code == 404
    assert client.post(reverse("report-submit", args=[report.pk])).status_code == 404
    url = reverse("report-document", args=["BVCTNB"])
    assert client.get(url, {"org": world.commune_a.pk}).status_code == 404


def test_a_large_organizations_draft_is_printed_by_a_job(
    world: World, personas: Personas, office: Office, form: ReportForm, settings: Any
) -> None:
    """Above HOSO_REPORT_BACKGROUND_MEMBERS the draft's download is offered as a background job
    (its figures are computed now); the worker prints it as the officer who asked."""
    report = _drafted(office, world, form)
    client = client_for(office.officer)
    url = reverse("report-export", args=[report.pk, "docx"])
    settings.REPORT_BACKGROUND_MEMBERS = 1
    assert client.get(url)["Content-Type"].startswith("application/vnd.openxml")  # 1 member
    settings.REPORT_BACKGROUND_MEMBERS = 0
    offer = client.get(url)
    assert offer.status_code == 200 and "Chuẩn bị tệp trong nền" in offer.content.decode()
    exported = AuditEvent.objects.filter(event_type="report.exported")
    assert exported.count() == 1  # the download at once; the offer read nothing
    started = client.post(url)
    job = Job.objects.get()
    assert started["Location"] == reverse("job-detail", kwargs={"pk": job.pk})
    assert job.owner == office.officer and job.sensitive
    work()
    job.refresh_from_db()
    assert job.state == State.DONE, job.error
    assert job.output_name == f"bao-cao-bvctnb-{report.period}.docx"
    event = exported.latest("pk")
    assert exported.count() == 2 and event.actor == office.officer
    assert (event.details["format"], job.classification) == ("docx", Clearance.CONFIDENTIAL)
    download = client.get(reverse("job-download", kwargs={"pk": job.pk}))
    paper = docx.Document(io.BytesIO(b"".join(download.streaming_content)))
    assert "Tiếp nhận hồ sơ đúng quy trình." in [p.text for p in paper.paragraphs]
    # A submitted report prints from its snapshot, at once.
    actions.submit(office.head, report, issued_on=D(2026, 4, 2))
    assert client_for(office.head).post(url).status_code == 404
