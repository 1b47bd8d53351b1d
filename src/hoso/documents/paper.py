"""What an official document says, laid out by Hướng dẫn 36-HD/VPTW (2018).

Top left the issuing body (and the body above it), top right "ĐẢNG CỘNG SẢN VIỆT NAM" with a
rule under it; the number and reference under the issuer; "<place>, ngày dd tháng mm năm yyyy"
under the party line; the document type and summary; the body; the signature block with its
authority prefix (T/M, K/T, T/L); the recipients. A secret document carries its level mark,
and every generated copy its number and recipient on every page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hoso.access.roles import Clearance

SECRECY_MARKS = {
    Clearance.CONFIDENTIAL: "MẬT",
    Clearance.SECRET: "TỐI MẬT",
    Clearance.TOP_SECRET: "TUYỆT MẬT",
}


def date_line(place: str, day: dt.date) -> str:
    """'Hà Tĩnh, ngày 04 tháng 5 năm 2026': days below 10 and months 1-2 take a leading zero,
    so that nothing can be written in front of them."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


@dataclass
class Paper:
    issuer: str
    reference: str
    place: str
    date: dt.date
    kind: str
    summary: str
    body: list[str]
    signer_title: str
    signer_name: str
    authority: str = ""
    authority_of: str = ""
    parent_issuer: str = ""
    recipients: list[str] = field(default_factory=list)
    secrecy: int = 0
    copy_number: int | None = None
    copies: int | None = None
    copy_recipient: str = ""
    # An optional table after the body (registers, handover item lists) and its orientation.
    table_headers: list[str] = field(default_factory=list)
    table_rows: list[list[str]] = field(default_factory=list)
    landscape: bool = False
    # Numbered parts after the body (a periodic report): each [heading, paragraphs, headers,
    # rows, charts as base64 SVG (PDF), the same as base64 PNG (Word)] (a list: the paper
    # sandbox reads items by index only); no headers, no table.
    sections: list[list[object]] = field(default_factory=list)
    draft: bool = False  # printed "DỰ THẢO": not an issued document

    @property
    def secrecy_mark(self) -> str:
        return SECRECY_MARKS.get(Clearance(self.secrecy), "")

    @property
    def page_mark(self) -> str:
        """Printed at the top of every page: the secrecy level, and DỰ THẢO on a draft."""
        marks = ["DỰ THẢO"] if self.draft else []
        return " – ".join([*marks, self.secrecy_mark] if self.secrecy_mark else marks)

    @property
    def copy_mark(self) -> str:
        if self.copy_number is None:
            return ""
        return (
            f"Bản số {self.copy_number:02d}/{self.copies or self.copy_number:02d} – "
            f"Nơi nhận: {self.copy_recipient}"
        )

    def context(self) -> dict[str, object]:
        """Variables a template may use (listed on the template page)."""
        return {
            "parent_issuer": self.parent_issuer.upper(),
            "issuer": self.issuer.upper(),
            "reference": f"Số {self.reference}" if self.reference else "",
            "date_line": date_line(self.place, self.date),
            "kind": self.kind.upper(),
            "summary": self.summary,
            "body": self.body,
            "authority": self.authority,
            "authority_of": self.authority_of.upper(),
            "signer_title": self.signer_title.upper(),
            "signer_name": self.signer_name,
            "recipients": self.recipients,
            "secrecy_mark": self.secrecy_mark,
            "copy_mark": self.copy_mark,
            "table_headers": self.table_headers,
            "table_rows": self.table_rows,
            "landscape": self.landscape,
            "sections": self.sections,
            "page_mark": self.page_mark,
        }


VARIABLES = [
    "parent_issuer", "issuer", "reference", "date_line", "kind", "summary", "body", "authority",
    "authority_of", "signer_title", "signer_name", "recipients", "secrecy_mark", "copy_mark",
    "table_headers", "table_rows", "data_table", "landscape", "sections", "page_mark",
]  # fmt: skip
