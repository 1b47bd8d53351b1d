"""Turning a Paper into PDF (WeasyPrint) and Word (.docx, docxtpl).

Everything is local: the HTML has no external reference and the fonts come from the system
(Debian's fonts-liberation2 has every Vietnamese letter). Without WeasyPrint's libraries,
PDF output says so and Word output still works.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from hoso.documents.paper import Paper

DEFAULT_DOCX = Path(__file__).with_name("docx") / "paper.docx"


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries (Pango) are missing on this server."""


def to_html(paper: Paper) -> str:
    return render_to_string("documents/print/paper.html", paper.context())


def to_pdf(paper: Paper) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(
            "PDF output needs WeasyPrint and Pango (Debian: apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0 fonts-liberation2); Word output still works."
        ) from exc
    # No base_url: the document can reference nothing outside itself.
    pdf: bytes = HTML(string=to_html(paper)).write_pdf()
    return pdf


def _table(document: Any, paper: Paper) -> Any:
    """The paper's data table as a Word sub-document (a real table, with a header row)."""
    sub = document.new_subdoc()
    table = sub.add_table(rows=1, cols=len(paper.table_headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, paper.table_headers, strict=True):
        cell.text = text
    for values in paper.table_rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = str(text)
    return sub


def to_docx(paper: Paper, template: Path | None = None) -> bytes:
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(template or DEFAULT_DOCX))
    context = paper.context()
    context["data_table"] = _table(document, paper) if paper.table_headers else ""
    document.render(context, autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
