"""Backup and restore (issue 14, item 7): the drill on the suite's database (SQLite or
PostgreSQL), and the archives a restore must refuse.

The drill is the one an operator runs: `hoso backup` from this installation, then `hoso restore`
into a fresh database and files directory by the real command in its own process, `hoso audit
verify` and `hoso files verify` there, and a dossier scan downloaded from the restored
installation byte for byte.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from pyrage import x25519

from hoso.audit import backup
from hoso.people import actions as people
from hoso.people.models import DocumentType, Member, MemberStatus, Person, Relationship, Scan
from tests.conftest import Personas, World, client_for

NOTE = "Bà ngoại: tham gia tổ chức phản động năm 1968"
PDF = b"%PDF-1.4\n% ly lich\n" + secrets.token_bytes(3000) + b"\n%%EOF\n"


@dataclass
class Officer:
    identity: Path
    public: str


@pytest.fixture
def officer(tmp_path: Path) -> Officer:
    identity = tmp_path / "officer.key"
    return Officer(identity, backup.keygen(identity))


def _scan(world: World, personas: Personas) -> Scan:
    person = Person.objects.create(family_name="Bùi", middle_name="Thị", given_name="Xuân", sex="F")
    member = Member.objects.create(
        person=person, organization=world.cell_a, status=MemberStatus.OFFICIAL
    )
    document = people.dossier.add_document(
        personas.clerk_a, member, doc_type=DocumentType.objects.get(code="QĐ-KN"), classification=0
    )
    return people.dossier.add_scan(personas.clerk_a, document, SimpleUploadedFile("ll.pdf", PDF))


@dataclass
class Target:
    """A fresh installation: its own database and files directory, this run's audit keys."""

    env: dict[str, str]
    files: Path

    def hoso(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "hoso.cli", *args]
        return subprocess.run(command, env=self.env, capture_output=True, text=True, check=False)


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Target]:
    data = tmp_path / "restored"
    env = {key: value for key, value in os.environ.items() if not key.startswith("HOSO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="hoso.config.settings",
        HOSO_DEBUG="1",
        HOSO_HTTPS="0",
        HOSO_SECRET_KEY=secrets.token_urlsafe(64),
        HOSO_DATA_DIR=str(data),
        HOSO_AUDIT_KEY_DIR=str(settings.HOSO_AUDIT_KEY_DIR),
        # The field keys travel apart from the archive too (docs/operations.md).
        HOSO_FIELD_KEY_DIR=str(settings.HOSO_FIELD_KEY_DIR),
    )
    name = ""
    if connection.vendor == "postgresql":
        name = f"hoso_drill_{secrets.token_hex(4)}"
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {name}")
        host, port = connection.settings_dict["HOST"], connection.settings_dict["PORT"]
        env["HOSO_DATABASE_URL"] = f"postgresql://:{port}/{name}?host={host}"  # the same server
    yield Target(env, data / "files")
    if name:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _shell(target: Target, script: str) -> str:
    """What `print("out:", …)` of the script printed, run in the restored installation."""
    done = target.hoso("shell", "--no-imports", "-c", script)
    assert done.returncode == 0, done.stderr
    (line,) = [line for line in done.stdout.splitlines() if line.startswith("out: ")]
    return line.removeprefix("out: ")


def _download(target: Target, scan: Scan, user_pk: int) -> bytes:
    """The scan through the restored installation's own download page."""
    return bytes.fromhex(_shell(target, (
        "from django.test.utils import setup_test_environment; setup_test_environment(); "
        "from django.test import Client; from hoso.access.models import User; "
        f"client = Client(); client.force_login(User.objects.get(pk={user_pk})); "
        f"response = client.get('{reverse('scan-download', args=[scan.pk])}'); "
        "assert response.status_code == 200, response.status_code; "
        "print('out:', b''.join(response.streaming_content).hex())"
    )))  # fmt: skip


def _events_of(target: Target, code: str) -> list[dict[str, Any]]:
    return list(json.loads(_shell(target, (
        "import json; from hoso.audit.models import AuditEvent; print('out:', json.dumps(list("
        f"AuditEvent.objects.filter(event_type='{code}').values_list('details', flat=True))))"
    ))))  # fmt: skip


def test_the_restore_drill(
    transactional_db: None,
    reseeded: None,
    world: World,
    personas: Personas,
    officer: Officer,
    target: Target,
    tmp_path: Path,
) -> None:
    scan = _scan(world, personas)
    relative = people.resume.add_relative(
        personas.clerk_a, scan.document.member, relationship=Relationship.objects.get(code="me-de"),
        full_name="Bùi Thị Mơ", political_history=NOTE,
    )  # fmt: skip
    client_for(personas.clerk_a)  # enrolled as a sign-in would have required, before the copy
    archive = tmp_path / "hoso.age"
    out = io.StringIO()
    call_command("backup", "--out", str(archive), "--to", officer.public, stdout=out)
    assert f"backup written to {archive}" in out.getvalue()
    assert PDF not in archive.read_bytes()  # encrypted: not a byte of the scan in clear

    restored = target.hoso("restore", str(archive), "--identity", str(officer.identity))
    assert restored.returncode == 0, restored.stderr
    verified = target.hoso("audit", "verify")
    assert verified.returncode == 0 and "audit chain intact" in verified.stdout, verified.stderr
    files = target.hoso("files", "verify")
    assert files.returncode == 0, files.stdout + files.stderr
    assert "stored files intact: 1 checked" in files.stdout
    assert _download(target, scan, personas.clerk_a.pk) == PDF
    # An encrypted note reads back through the restored installation (with the keys copied).
    assert _shell(target, (
        "from hoso.people.models import Relative; "
        f"print('out:', Relative.objects.get(pk={relative.pk}).political_history)"
    )) == NOTE  # fmt: skip
    assert _shell(target, (  # and the restored database holds it encrypted, as this one did
        "from django.db import connection; cur = connection.cursor(); cur.execute("
        f"'SELECT political_history FROM people_relative WHERE id = {relative.pk}'); "
        "print('out:', cur.fetchone()[0][:4])"
    )) == "hv1:"  # fmt: skip
    (event,) = _events_of(target, "system.backup_restored")
    assert event["archive"] == "hoso.age" and event["members"] == 2  # the dump and the scan


def test_a_restore_writes_only_into_an_empty_database(
    transactional_db: None, reseeded: None, officer: Officer, tmp_path: Path
) -> None:
    archive = tmp_path / "hoso.age"
    call_command("backup", "--out", str(archive), "--to", officer.public, stdout=io.StringIO())
    with pytest.raises(CommandError, match="the target database is not empty"):
        call_command("restore", str(archive), "--identity", str(officer.identity))


def test_no_backup_without_a_recipient(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="outside any transaction"):  # `db`: the test's own
        call_command("backup", "--out", str(tmp_path / "x.age"), "--to", backup.keygen(
            tmp_path / "officer.key"), stdout=io.StringIO())  # fmt: skip
    with pytest.raises(CommandError, match="no recipient"):
        call_command("backup", "--out", str(tmp_path / "x.age"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not an age public key"):
        call_command("backup", "--out", str(tmp_path / "x.age"), "--to", "age1nonsense")
    assert not (tmp_path / "x.age").exists()


def _members(archive: Path, identity: Path) -> dict[str, bytes]:
    plain = pyrage.decrypt(archive.read_bytes(), backup.identities(identity))
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar}  # type: ignore[union-attr]


def _forge(members: dict[str, bytes], to: str, path: Path) -> Path:
    """An archive anyone holding the officer's public key could make."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    path.write_bytes(pyrage.encrypt(buffer.getvalue(), [x25519.Recipient.from_str(to)]))
    return path


def _altered_scan(members: dict[str, bytes]) -> dict[str, bytes]:
    (name,) = [n for n in members if n.startswith("files/")]
    return {**members, name: members[name].replace(b"ly lich", b"ly LICH")}


def _resigned(members: dict[str, bytes]) -> dict[str, bytes]:
    """The manifest rewritten to hash an altered scan, signed by a key of the forger's own
    under the installation key's id."""
    altered = _altered_scan(members)
    manifest = json.loads(members[backup.MANIFEST])
    for entry in manifest["members"]:
        if entry["name"].startswith("files/"):
            entry["sha256"] = hashlib.sha256(altered[entry["name"]]).hexdigest()
    text = json.dumps(manifest).encode()
    key_id = json.loads(members[backup.SIGNATURE])["key_id"]
    signature = {"key_id": key_id, "signature": Ed25519PrivateKey.generate().sign(text).hex()}
    return {**altered, backup.MANIFEST: text, backup.SIGNATURE: json.dumps(signature).encode()}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("flipped byte", "cannot be decrypted with this identity, or it was altered"),
        ("other identity", "cannot be decrypted with this identity"),
        ("scan replaced", "its bytes are not those of the manifest"),
        ("manifest re-signed", "the manifest's signature does not hold"),
        ("no signature", "the archive has no signed manifest"),
    ],
)
def test_a_restore_refuses_an_archive_not_as_made(
    transactional_db: None,
    reseeded: None,
    world: World,
    personas: Personas,
    officer: Officer,
    target: Target,
    tmp_path: Path,
    change: str,
    message: str,
) -> None:
    _scan(world, personas)
    archive = tmp_path / "hoso.age"
    call_command("backup", "--out", str(archive), "--to", officer.public, stdout=io.StringIO())
    identity = officer.identity
    if change == "flipped byte":
        content = bytearray(archive.read_bytes())
        content[len(content) // 2] ^= 0x01
        archive.write_bytes(bytes(content))
    elif change == "other identity":
        identity = tmp_path / "someone.key"
        backup.keygen(identity)
    else:
        members = _members(archive, identity)
        forged = {
            "scan replaced": _altered_scan,
            "manifest re-signed": _resigned,
            "no signature": lambda m: {k: v for k, v in m.items() if k != backup.SIGNATURE},
        }[change](members)
        _forge(forged, officer.public, archive)
    restored = target.hoso("restore", str(archive), "--identity", str(identity))
    assert restored.returncode != 0
    assert message in restored.stderr
    # Nothing written: the target is still empty, so a second, correct restore could run.
    assert not target.files.exists() or not any(target.files.iterdir())
    tables = "from django.db import connection as c; print('out:', c.introspection.table_names())"
    assert _shell(target, tables) == "[]"


def test_keygen_writes_a_private_identity_once(tmp_path: Path) -> None:
    identity = tmp_path / "officer.key"
    out = io.StringIO()
    call_command("backup", "keygen", "--identity", str(identity), stdout=out)
    public = out.getvalue().split()[-1]
    assert public.startswith("age1") and identity.stat().st_mode & 0o777 == 0o600
    (found,) = backup.identities(identity)
    assert str(found.to_public()) == public
    with pytest.raises(CommandError, match="File exists"):  # never over the officer's key
        call_command("backup", "keygen", "--identity", str(identity), stdout=io.StringIO())
