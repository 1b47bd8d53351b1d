"""The anchor of the audit chain as a paper for the security officer (`hoso audit anchor
--pdf`): the signed head in the layout of the office's papers, to sign and keep apart."""

from __future__ import annotations

import datetime as dt

from hoso.audit.anchors import Anchor
from hoso.audit.keys import ring
from hoso.documents.paper import Paper
from hoso.documents.render import to_pdf
from hoso.orgs.models import Organization


def _split(text: str, width: int = 32) -> str:
    """A long hexadecimal value in groups that a reader can compare by eye."""
    return " ".join(text[i : i + width] for i in range(0, len(text), width))


def paper(anchor: Anchor) -> Paper:
    root = Organization.objects.get_root_nodes().first()
    key = ring().get(anchor.key_id)
    day = dt.date.fromisoformat(anchor.day)
    return Paper(
        issuer=root.name if root else "hoso",
        reference="",
        place="",
        date=day,
        kind="PHIẾU",
        summary=f"Xác nhận đầu chuỗi nhật ký kiểm toán ngày {day:%d/%m/%Y}",
        body=[
            "Đầu chuỗi nhật ký kiểm toán của hệ thống hoso tại thời điểm lập phiếu được ký số"
            " bằng khóa của hệ thống. Cán bộ bảo mật ký nhận, lưu phiếu tách khỏi máy chủ;"
            " khi kiểm tra, lệnh `hoso audit verify --anchors` phải cho cùng sự kiện và mã băm.",
        ],
        signer_title="CÁN BỘ BẢO MẬT",
        signer_name="",
        table_headers=["Mục", "Giá trị"],
        table_rows=[
            ["Ngày", f"{day:%d/%m/%Y}"],
            ["Sự kiện cuối (số)", str(anchor.event_id)],
            ["Mã băm của sự kiện", _split(anchor.hash)],
            ["Khóa", anchor.key_id],
            ["Khóa công khai", _split(key.public_hex) if key else ""],
            ["Chữ ký số (Ed25519)", _split(anchor.signature)],
        ],
    )


def anchor_pdf(anchor: Anchor) -> bytes:
    return to_pdf(paper(anchor))
