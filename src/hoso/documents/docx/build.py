"""Builds docx/paper.docx, the default Word template (docxtpl tags), in the layout of
Hướng dẫn 36. Run once when the layout changes: `python src/hoso/documents/docx/build.py`.
The file is committed; administrators may upload a replacement per document type."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

CENTER = WD_ALIGN_PARAGRAPH.CENTER


def _para(
    cell_or_doc: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    align: Any = CENTER,
    size: int = 14,
) -> Any:
    paragraph = cell_or_doc.add_paragraph()
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def build(target: Path) -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(14)
    _para(section.header, "{{ secrecy_mark }}", bold=True)
    _para(section.footer, "{{ copy_mark }}", italic=True, size=10, align=WD_ALIGN_PARAGRAPH.RIGHT)
    head = doc.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    left.paragraphs[0].text = "{{ parent_issuer }}"
    left.paragraphs[0].alignment = CENTER
    _para(left, "{{ issuer }}", bold=True)
    _para(left, "*")
    _para(left, "{{ reference }}", size=13)
    right.paragraphs[0].add_run("ĐẢNG CỘNG SẢN VIỆT NAM").bold = True
    right.paragraphs[0].alignment = CENTER
    _para(right, "________")
    _para(right, "{{ date_line }}", italic=True, size=13)
    _para(doc, "{{ kind }}", bold=True)
    _para(doc, "{{ summary }}", bold=True)
    doc.add_paragraph("{%p for para in body %}")
    body = doc.add_paragraph("{{ para }}")
    body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.first_line_indent = Mm(10)
    doc.add_paragraph("{%p endfor %}")
    # The optional data table (registers, item lists), inserted as a sub-document.
    doc.add_paragraph("{{p data_table }}")
    foot = doc.add_table(rows=1, cols=2)
    recipients, sign = foot.rows[0].cells
    recipients.paragraphs[0].add_run("Nơi nhận:").italic = True
    recipients.add_paragraph("{%p for r in recipients %}")
    recipients.add_paragraph("- {{ r }}")
    recipients.add_paragraph("{%p endfor %}")
    sign.paragraphs[0].text = "{{ authority }} {{ authority_of }}"
    sign.paragraphs[0].alignment = CENTER
    _para(sign, "{{ signer_title }}", bold=True)
    for _ in range(3):
        _para(sign, "")
    _para(sign, "{{ signer_name }}", bold=True)
    doc.save(str(target))


if __name__ == "__main__":
    build(Path(__file__).with_name("paper.docx"))
