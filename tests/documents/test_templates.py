"""Uploaded Word templates are untrusted code: sandboxed, checked at upload and at print,
rendered on plain values only, and every upload and print audited with the template's hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hoso.audit import events
from hoso.audit.models import AuditEvent
from hoso.documents import actions, render
from hoso.documents.models import DocumentKind
from hoso.documents.templating import Sandbox, TemplateRefused, require_plain
from hoso.orgs.models import Term
from tests.conftest import Personas, World, client_for, make_user
from tests.documents.test_render import docx_text, slip

PAYLOADS = {
    "{{ lipsum.__globals__['os'].popen('id').read() }}": "lipsum",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}": "cycler",
    "{{ self._TemplateReference__context }}": "self",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}": "''.__class__",
    "{{ person.member_set }}": "person",
    "{{ summary.__class__ }}": "summary.__class__",
    "{{ body|attr('__class__') }}": "|attr",
    "{% for r in recipients %}{{ r.__class__.__base__ }}{% endfor %}": "r.__class__",
    "{{ data_table.tpl }}": "data_table.tpl",
    "{{ recipients['__class__'] }}": "recipients['__class__']",
    "{% include 'x' %}": "Include",
    "{{ body.pop() }}": "body.pop()",
}


def template_with(expression: str) -> bytes:
    """The shipped template with the summary placeholder replaced by `expression`."""
    source = zipfile.ZipFile(render.DEFAULT_DOCX)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"{{ summary }}", escape(expression).encode())
            target.writestr(item, data)
    return out.getvalue()


@pytest.fixture
def national_admin(world: World) -> object:
    return make_user("admin_tw", world.root, "admin")


def upload(admin: object, kind: DocumentKind, content: bytes) -> object:
    return client_for(admin).post(  # type: ignore[arg-type]
        reverse("documents-template-upload", args=[kind.pk]),
        {"template": SimpleUploadedFile("mau.docx", content)},
        follow=True,
    )


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_it_refuses_a_template_that_reaches_beyond_its_variables(
    world: World, national_admin: object, payload: str
) -> None:
    kind = DocumentKind.objects.get(code="CV")
    response = upload(national_admin, kind, template_with(payload))
    kind.refresh_from_db()
    assert not kind.template and not kind.template_sha256
    page = response.content.decode()  # type: ignore[attr-defined]
    assert "uid=" not in page
    assert escape(PAYLOADS[payload]).replace("'", "&#x27;") in page
    assert not AuditEvent.objects.filter(event_type=events.TEMPLATE_UPLOADED.code).exists()


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_a_refused_template_does_not_print_even_if_planted_on_disk(
    tmp_path: Path, payload: str
) -> None:
    """A file put in place behind hoso's back (with a matching hash) is refused at print."""
    path = tmp_path / "planted.docx"
    path.write_bytes(template_with(payload))
    with pytest.raises(TemplateRefused):
        render.to_docx(slip(), path, render.sha256_of(path))


def test_the_sandbox_has_no_globals_and_only_listed_filters() -> None:
    sandbox = Sandbox(["summary"])
    assert sandbox.globals == {}
    assert "attr" not in sandbox.filters and "map" not in sandbox.filters
    assert sandbox.from_string("{{ summary|upper }}").render(summary="ấp") == "ẤP"


def test_the_context_holds_plain_values_only(world: World) -> None:
    require_plain({"a": "x", "b": [1, dt.date(2026, 1, 1), {"c": None}]})
    with pytest.raises(TypeError, match="organization"):
        require_plain({"organization": world.root})
    with pytest.raises(TypeError, match=r"rows\[0\]"):
        require_plain({"rows": [DocumentKind.objects.all()]})


def test_it_refuses_a_file_that_is_not_a_word_document(
    world: World, national_admin: object
) -> None:
    kind = DocumentKind.objects.get(code="CV")
    page = upload(national_admin, kind, b"PK\x03\x04 not really").content.decode()  # type: ignore[attr-defined]
    assert "docx" in page
    kind.refresh_from_db()
    assert not kind.template


def test_a_good_template_is_saved_with_its_hash_and_every_print_records_it(
    world: World, personas: Personas, national_admin: object
) -> None:
    Term.objects.create(
        organization=world.commune_a, name="2025-2030", starts_on=dt.date(2025, 10, 1)
    )
    kind = DocumentKind.objects.get(code="TB")
    content = template_with(
        "MẪU RIÊNG {{ summary|upper }} {% for r in recipients %}{{ loop.index }}{% endfor %}"
    )
    sha = hashlib.sha256(content).hexdigest()
    upload(national_admin, kind, content)
    kind.refresh_from_db()
    assert kind.template_sha256 == sha
    event = AuditEvent.objects.get(event_type=events.TEMPLATE_UPLOADED.code)
    assert event.details["sha256"] == sha and event.details["kind"] == "TB"
    # Filed under the root, so national auditors see it.
    assert event.organization == world.root
    auditor = make_user("auditor_tw", world.root, "auditor")
    assert AuditEvent.objects.visible_to(auditor).filter(pk=event.pk).exists()
    assert not AuditEvent.objects.visible_to(personas.auditor_a).filter(pk=event.pk).exists()

    document = actions.numbering.allocate(
        personas.clerk_a, world.commune_a, kind, issued_on=dt.date(2026, 5, 4), summary="Thông báo"
    )
    file, _ = actions.copies.generate(
        personas.clerk_a, document, slip(summary="thông báo"), file_format="docx"
    )
    assert "MẪU RIÊNG THÔNG BÁO 12" in docx_text(file)
    printed = AuditEvent.objects.filter(event_type=events.DOCUMENT_GENERATED.code).latest("id")
    assert printed.details["template_sha256"] == sha
    actions.copies.generate(personas.clerk_a, document, slip(), file_format="pdf")
    printed = AuditEvent.objects.filter(event_type=events.DOCUMENT_GENERATED.code).latest("id")
    assert printed.details["template_sha256"] == render.PRINT_HTML_SHA256


def test_a_template_changed_on_disk_after_upload_is_refused_at_print(
    world: World, personas: Personas, national_admin: object
) -> None:
    Term.objects.create(
        organization=world.commune_a, name="2025-2030", starts_on=dt.date(2025, 10, 1)
    )
    kind = DocumentKind.objects.get(code="TB")
    upload(national_admin, kind, template_with("{{ summary }}"))
    kind.refresh_from_db()
    Path(kind.template.path).write_bytes(template_with("{{ issuer }} đổi"))
    document = actions.numbering.allocate(
        personas.clerk_a, world.commune_a, kind, issued_on=dt.date(2026, 5, 4), summary="TB"
    )
    response = client_for(personas.clerk_a).post(
        reverse("documents-generate", args=[document.pk]),
        {"file_format": "docx", "place": "An Bình", "signer_title": "Bí thư"},
    )
    assert response["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(event_type=events.DOCUMENT_GENERATED.code).exists()


def test_only_a_national_administrator_uploads(world: World, personas: Personas) -> None:
    kind = DocumentKind.objects.get(code="CV")
    assert upload(personas.admin_a, kind, template_with("{{ summary }}")).status_code == 404  # type: ignore[attr-defined]
    kind.refresh_from_db()
    assert not kind.template
