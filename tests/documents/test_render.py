from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from pypdf import PdfReader

from hoso.access.policy import Denied
from hoso.audit.models import AuditEvent
from hoso.documents import actions, render
from hoso.documents.models import DocumentKind
from hoso.documents.paper import Paper, date_line
from hoso.orgs.models import Term
from tests.conftest import Personas, World, make_user


def slip(**overrides: object) -> Paper:
    values: dict[str, object] = {
        "parent_issuer": "Tỉnh ủy Hà Tĩnh",
        "issuer": "Ban Tổ chức",
        "reference": "07-PYC/BTCTU",
        "place": "Hà Tĩnh",
        "date": dt.date(2026, 2, 4),
        "kind": "Phiếu yêu cầu thẩm tra, xác minh lý lịch",
        "summary": "V/v xác minh lý lịch đồng chí Nguyễn Thị Ánh",
        "body": [
            "Kính gửi: Phòng Hồ sơ nghiệp vụ, Công an tỉnh Hà Tĩnh.",
            "Đề nghị xác minh ông Đặng Văn Bảy, sinh năm 1948, quê xã Hòa Bình, là bố đẻ "
            "của đồng chí Nguyễn Thị Ánh, về lịch sử chính trị và chính trị hiện nay.",
        ],
        "authority": "T/L",
        "authority_of": "Ban Thường vụ",
        "signer_title": "Trưởng Ban",
        "signer_name": "Lê Minh Tuấn",
        "recipients": ["Như trên", "Lưu VT"],
    }
    values.update(overrides)
    return Paper(**values)  # type: ignore[arg-type]


def pdf_pages(content: bytes) -> list[str]:
    return [
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(content)).pages
    ]


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    section = document.sections[0]
    parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return " ".join(" ".join(parts).split())


def test_date_line_follows_the_guidance() -> None:
    assert date_line("Hà Tĩnh", dt.date(2026, 2, 4)) == "Hà Tĩnh, ngày 04 tháng 02 năm 2026"
    assert date_line("Huế", dt.date(2026, 11, 23)) == "Huế, ngày 23 tháng 11 năm 2026"


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_slip_renders_with_every_vietnamese_letter(fmt: str) -> None:
    paper = slip(secrecy=1)
    text = (
        " ".join(pdf_pages(render.to_pdf(paper)))
        if fmt == "pdf"
        else docx_text(render.to_docx(paper))
    )
    for expected in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 07-PYC/BTCTU",
        "TỈNH ỦY HÀ TĨNH",
        "Hà Tĩnh, ngày 04 tháng 02 năm 2026",
        "MẬT",
        "PHIẾU YÊU CẦU THẨM TRA, XÁC MINH LÝ LỊCH",
        "Đặng Văn Bảy",
        "Nguyễn Thị Ánh",
        "T/L BAN THƯỜNG VỤ",
        "TRƯỞNG BAN",
        "Lê Minh Tuấn",
        "Nơi nhận:",
    ]:
        assert expected in text, (fmt, expected)


@pytest.fixture
def secret_document(world: World, personas: Personas) -> object:
    Term.objects.create(
        organization=world.commune_a, name="2025-2030", starts_on=dt.date(2025, 10, 1)
    )
    return actions.numbering.allocate(
        personas.clerk_a,
        world.commune_a,
        DocumentKind.objects.get(code="PYC"),
        issued_on=dt.date(2026, 2, 4),
        summary="Phiếu yêu cầu",
        classification=1,
        copies=2,
    )


def test_secret_copies_are_numbered_registered_and_marked_on_every_page(
    secret_document: object, personas: Personas
) -> None:
    long_body = [
        f"Đoạn {i}: nội dung xác minh lý lịch của người được thẩm tra." * 3 for i in range(40)
    ]
    content, copy = actions.copies.generate(
        personas.clerk_a,
        secret_document,
        slip(body=long_body),  # type: ignore[arg-type]
        file_format="pdf",
        recipient="Công an tỉnh",
    )
    pages = pdf_pages(content)
    assert len(pages) > 1
    assert all("Bản số 01/02 – Nơi nhận: Công an tỉnh" in page for page in pages)
    assert all("MẬT" in page for page in pages)
    assert copy is not None and copy.number == 1
    second, copy2 = actions.copies.generate(
        personas.clerk_a,
        secret_document,
        slip(),  # type: ignore[arg-type]
        file_format="docx",
        recipient="Lưu VT",
    )
    assert copy2 is not None and "Bản số 02/02 – Nơi nhận: Lưu VT" in docx_text(second)
    with pytest.raises(actions.copies.CopyError):
        actions.copies.generate(
            personas.clerk_a,
            secret_document,
            slip(),
            file_format="pdf",  # type: ignore[arg-type]
            recipient="Thêm",
        )
    with pytest.raises(actions.copies.CopyError):
        actions.copies.generate(
            personas.clerk_a,
            secret_document,
            slip(),
            file_format="pdf",  # type: ignore[arg-type]
            recipient="",
        )
    assert AuditEvent.objects.filter(event_type="document.generated").count() == 2


def test_no_clearance_no_secret_document(secret_document: object, world: World) -> None:
    uncleared = make_user("clerk_nc", world.commune_a, "clerk", clearance=0)
    with pytest.raises(Denied):
        actions.copies.generate(
            uncleared,
            secret_document,
            slip(),
            file_format="pdf",  # type: ignore[arg-type]
            recipient="X",
        )
