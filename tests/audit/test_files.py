"""`hoso files verify` (issue 14, item 7): every stored file against the SHA-256 of its record."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from hoso.audit import files
from hoso.people import actions as people
from hoso.people.models import DocumentType, Member, MemberStatus, Person, Scan
from tests.conftest import Personas, World

PDF = b"%PDF-1.4\n% bien ban\n%%EOF\n"


def test_every_file_field_keeps_the_hash_of_its_bytes() -> None:
    kinds = files.stored()
    assert {kind.label for kind in kinds} >= {
        "people.scan.file",
        "vetting.casefile.file",
        "petitions.scan.file",
        "documents.documentkind.template",
        "jobs.job.output",
    }
    for kind in kinds:
        field = kind.model._meta.get_field(kind.hash_field)  # FieldDoesNotExist: add it
        assert field.get_internal_type() == "CharField" and field.max_length == 64


def _scans(world: World, personas: Personas, count: int) -> list[Scan]:
    person = Person.objects.create(family_name="Lê", given_name="Cúc", sex="F")
    member = Member.objects.create(
        person=person, organization=world.cell_a, status=MemberStatus.OFFICIAL
    )
    document = people.dossier.add_document(
        personas.clerk_a, member, doc_type=DocumentType.objects.get(code="QĐ-KN"), classification=0
    )
    return [
        people.dossier.add_scan(
            personas.clerk_a, document, SimpleUploadedFile(f"{n}.pdf", PDF + bytes([n]))
        )
        for n in range(count)
    ]


def test_the_files_are_intact(world: World, personas: Personas) -> None:
    _scans(world, personas, 3)
    out = io.StringIO()
    call_command("files", "verify", stdout=out)
    assert "stored files intact: 3 checked" in out.getvalue()


def test_a_changed_and_a_missing_file_are_named(world: World, personas: Personas) -> None:
    altered, missing, _intact = _scans(world, personas, 3)
    Path(altered.file.path).write_bytes(PDF + b"one more line\n")
    Path(missing.file.path).unlink()
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 of 3 stored files are missing or altered"):
        call_command("files", "verify", stdout=out)
    lines = sorted(out.getvalue().splitlines())
    assert lines == sorted([
        f"people.scan.file #{altered.pk} {altered.file.name}: altered",
        f"people.scan.file #{missing.pk} {missing.file.name}: missing",
    ])  # fmt: skip
