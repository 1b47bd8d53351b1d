"""Turning a Paper into PDF (WeasyPrint) and Word (.docx, docxtpl).

Everything is local: the HTML has no external reference and the fonts come from the system
(Debian's fonts-liberation2 has every Vietnamese letter). Without WeasyPrint's libraries,
PDF output says so and Word output still works.

Both templates, the shipped ones and any uploaded Word template, are compiled in the paper
sandbox (templating.py) on plain values only.
"""

from __future__ import annotations

import base64
import hashlib
import io
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from jinja2 import FileSystemLoader
from markupsafe import Markup

from hoso.documents.paper import VARIABLES, Paper
from hoso.documents.templating import Sandbox, require_plain

DEFAULT_DOCX = Path(__file__).with_name("docx") / "paper.docx"
PRINT_DIR = Path(__file__).with_name("templates") / "documents" / "print"


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries (Pango) are missing on this server."""


class TemplateChanged(RuntimeError):
    """The template file on disk is not the one that was checked and recorded at upload."""


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


DEFAULT_DOCX_SHA256 = sha256_of(DEFAULT_DOCX)
PRINT_HTML_SHA256 = sha256_of(PRINT_DIR / "paper.html")


def shipped_template_sha256(file_format: str) -> str:
    """The hash of the shipped template a paper in this format prints with ("" for others),
    for the audit event of the print."""
    return {"pdf": PRINT_HTML_SHA256, "docx": DEFAULT_DOCX_SHA256}.get(file_format, "")


def css_string(value: object) -> Markup:
    """Text for a CSS string (`content: "…"`): everything but letters, digits and spaces is
    escaped, so a quote or `</style>` in a copy recipient cannot end the string."""
    text = str(value)
    # A CSS escape ends at the first space after its hex digits, which it swallows.
    escaped = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text)
    return Markup(escaped)  # noqa: S704 (nothing but letters, digits and spaces is left as is)


def _html_sandbox() -> Sandbox:
    sandbox = Sandbox(VARIABLES, css_string=css_string)
    sandbox.loader = FileSystemLoader(PRINT_DIR)
    return sandbox


_HTML = _html_sandbox()


def to_html(paper: Paper) -> str:
    context = paper.context()
    require_plain(context)
    return _HTML.get_template("paper.html").render(context)


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


def _table_xml(document: Any, paper: Paper) -> Markup:
    """The paper's data table as Word XML (a real table, with a header row). It goes into the
    context as text, not as docxtpl's Subdoc object, which reaches the whole document."""
    sub = document.new_subdoc()
    table = sub.add_table(rows=1, cols=len(paper.table_headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, paper.table_headers, strict=True):
        cell.text = text
    for values in paper.table_rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = str(text)
    # python-docx wrote every cell's text escaped: this XML holds no markup from the data.
    return Markup(str(sub))  # noqa: S704


def _sections_xml(document: Any, paper: Paper) -> Markup:
    """The numbered parts of a paper (headings, paragraphs, charts as pictures, tables) as
    Word XML, in the place of the data table. python-docx escapes every text it writes."""
    from docx.shared import Mm

    xml = []
    for heading, paragraphs, headers, rows, _svgs, pngs in paper.sections:
        sub = document.new_subdoc()
        sub.add_paragraph().add_run(str(heading)).bold = True
        for para in paragraphs:  # type: ignore[attr-defined]
            sub.add_paragraph(str(para))
        xml.append(str(sub))
        for png in pngs:  # type: ignore[attr-defined]
            picture = document.docx.part.new_pic_inline(
                io.BytesIO(base64.b64decode(str(png))), Mm(160), None
            )
            xml.append(f"<w:p {_W}><w:r><w:drawing>{picture.xml}</w:drawing></w:r></w:p>")
        if headers:
            sub = document.new_subdoc()
            table = sub.add_table(rows=1, cols=len(headers))  # type: ignore[arg-type]
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, headers, strict=True):  # type: ignore[call-overload]
                cell.text = str(text)
            for values in rows:  # type: ignore[attr-defined]
                for cell, text in zip(table.add_row().cells, values, strict=True):
                    cell.text = str(text)
            xml.append(str(sub))
    return Markup("".join(xml))  # noqa: S704


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def to_docx(paper: Paper, template: Path | None = None, sha256: str = "") -> bytes:
    """Render the Word template (the shipped one when None). An uploaded template is given
    with the SHA-256 recorded at upload; a file that no longer matches it is refused."""
    from docxtpl import DocxTemplate

    if template is not None and sha256_of(template) != sha256:
        raise TemplateChanged(
            _(
                "The Word template of this type is not the one checked at upload (changed "
                "outside hoso, or uploaded before templates were checked): a national "
                "administrator must upload it again."
            )
        )
    document = DocxTemplate(str(template or DEFAULT_DOCX))
    context: dict[str, Any] = paper.context()
    context["data_table"] = _table_xml(document, paper) if paper.table_headers else ""
    if paper.sections:
        context["data_table"] = _sections_xml(document, paper)
    require_plain(context)
    document.render(context, jinja_env=Sandbox(VARIABLES), autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
