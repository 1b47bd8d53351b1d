"""Encryption at rest (issue 14, item 6): what someone reading the database sees of the sealed
petitioner identity, the sensitive notes of a resume, the values a correction keeps and the TOTP
secrets (ciphertext only); what the app still reads (everything, as before); what can no longer
be searched; and the rotation of the key by command, chained in the audit trail, resumable."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from hoso.access.models import User
from hoso.access.roles import Clearance, Role
from hoso.accounts import actions
from hoso.audit import actions as audit
from hoso.audit.chain import verify
from hoso.audit.models import AuditEvent
from hoso.lib import bulkrows, encrypted, vault
from hoso.people import actions as people
from hoso.people.models import (
    BiographyEntry,
    Correction,
    Member,
    MemberStatus,
    Person,
    Relationship,
    Relative,
)
from hoso.petitions import actions as petitions
from hoso.petitions.models import Petition
from tests.conftest import PASSWORD, Personas, World, client_for, make_user

HISTORY = "Ông nội: sĩ quan chế độ cũ, đã học tập cải tạo 1975-1978"
STATUS = "Hiện định cư tại Hoa Kỳ, không tham gia tổ chức nào"
ENTRY = "Bị kỷ luật khiển trách năm 2015 vì vi phạm quy định về kê khai tài sản"
PETITIONER = ("Nguyễn Văn Dân", "Thôn Trung, xã An Bình", "0912345678")
CORRECTED = "Ông nội: sĩ quan chế độ cũ (đính chính theo xác minh)"
TOTP = "JBSWY3DPEHPK3PXP"  # the suite's enrolled secret (conftest.client_for)


@dataclass
class Stored:
    relative: Relative
    entry: BiographyEntry
    petition: Petition
    correction: Correction
    user: User


def _store(world: World, personas: Personas) -> Stored:
    clerk = personas.clerk_a
    person = Person.objects.create(family_name="Lê", middle_name="Văn", given_name="Tám", sex="M")
    member = Member.objects.create(
        person=person, organization=world.cell_a, status=MemberStatus.OFFICIAL
    )
    relative = people.resume.add_relative(
        clerk, member, relationship=Relationship.objects.get(code="bo-de"),
        full_name="Lê Văn Chín", birth_year=1940, political_history=HISTORY, current_status=STATUS,
    )  # fmt: skip
    entry = people.resume.add_entry(
        clerk, member, kind="discipline", started_on=dt.date(2015, 3, 1), content=ENTRY
    )
    correction = people.dossier.correct(
        clerk, relative, {"political_history": CORRECTED}, approval="12-BC", reason="Xác minh"
    )
    petition = petitions.receive(
        personas.officer_a, world.commune_a, received_on=dt.date.today(), channel="post",
        summary="Phản ánh", subjects=[("Lê Văn Tám", "", person)],
        petitioner_name=PETITIONER[0], petitioner_address=PETITIONER[1],
        petitioner_contact=PETITIONER[2],
    )  # fmt: skip
    secret = make_user("secret_clerk", world.commune_a, Role.CLERK, Clearance.SECRET)
    client_for(secret)  # enrols the TOTP secret, as signing in would have required
    return Stored(relative, entry, petition, correction, secret)


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return str(cur.fetchone()[0])


def _columns(stored: Stored) -> dict[tuple[str, str], tuple[int, str]]:
    """(table, column) -> (row, a plain text that must not be in it)."""
    s = stored
    return {
        ("people_relative", "political_history"): (s.relative.pk, "sĩ quan"),
        ("people_relative", "current_status"): (s.relative.pk, "Hoa Kỳ"),
        ("people_biographyentry", "content"): (s.entry.pk, "khiển trách"),
        ("people_correction", "before"): (s.correction.pk, "sĩ quan"),
        ("people_correction", "after"): (s.correction.pk, "đính chính"),
        ("petitions_petition", "petitioner_name"): (s.petition.pk, "Dân"),
        ("petitions_petition", "petitioner_address"): (s.petition.pk, "Thôn Trung"),
        ("petitions_petition", "petitioner_contact"): (s.petition.pk, "0912345678"),
        ("access_user", "totp_secret"): (s.user.pk, TOTP),
    }


def test_the_database_holds_only_ciphertext_and_the_app_reads_plain_text(
    world: World, personas: Personas
) -> None:
    stored = _store(world, personas)
    columns = _columns(stored)
    # Every encrypted field of the models is one of these: a new one is tested here too.
    assert {(f.model._meta.db_table, f.column) for f in encrypted.fields()} == set(columns)
    for (table, column), (pk, plain) in columns.items():
        raw = _raw(table, column, pk)
        assert raw.startswith(vault.PREFIX) and plain not in raw, (table, column)

    relative = Relative.objects.get(pk=stored.relative.pk)
    assert (relative.political_history, relative.current_status) == (CORRECTED, STATUS)
    assert BiographyEntry.objects.get(pk=stored.entry.pk).content == ENTRY
    correction = Correction.objects.get(pk=stored.correction.pk)
    assert (correction.before, correction.after) == (
        {"political_history": HISTORY},
        {"political_history": CORRECTED},
    )
    shown = petitions.reveal(personas.head_p, stored.petition, reason="Xác minh người gửi đơn")
    assert tuple(shown.values()) == PETITIONER
    assert User.objects.get(pk=stored.user.pk).totp_secret == TOTP
    # values_list decrypts too (the exports read it).
    assert Relative.objects.filter(pk=relative.pk).values_list("current_status", flat=True)[0] \
        == STATUS  # fmt: skip


def test_a_sign_in_with_the_encrypted_secret_still_checks_the_code(world: World) -> None:
    import pyotp

    user = make_user("secret_clerk", world.commune_a, Role.CLERK, Clearance.SECRET)
    secret = pyotp.random_base32()
    actions.enrol_totp(user, secret, 0)
    assert _raw("access_user", "totp_secret", user.pk).startswith(vault.PREFIX)
    client = Client()
    response = client.post(reverse("login"), {"username": "secret_clerk", "password": PASSWORD})
    assert response["Location"] == reverse("login-otp")
    response = client.post(reverse("login-otp"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(reverse("home")).status_code == 200


def test_the_secret_being_enrolled_is_encrypted_in_the_session(
    world: World, personas: Personas
) -> None:
    from django.contrib.sessions.models import Session

    make_user("secret_clerk", world.commune_a, Role.CLERK, Clearance.SECRET)
    client = Client()
    client.post(reverse("login"), {"username": "secret_clerk", "password": PASSWORD})
    page = client.get(reverse("totp-enroll")).content.decode()
    secret = page.split('data-testid="totp-secret">')[1].split("<")[0]
    assert len(secret) >= 16
    (session,) = Session.objects.all()
    assert secret not in session.session_data and secret not in str(session.get_decoded())


def test_an_encrypted_field_refuses_to_be_searched(db: None) -> None:
    with pytest.raises(FieldError, match="encrypted: it cannot be searched"):
        list(Relative.objects.filter(political_history="cải tạo"))
    with pytest.raises(FieldError, match="encrypted"):
        list(Petition.objects.filter(petitioner_name__icontains="Dân"))
    with pytest.raises(FieldError, match="encrypted"):
        list(BiographyEntry.objects.filter(content__startswith="Bị kỷ luật"))
    # Whether a note was written is not secret: `= ''` and isnull still work.
    assert not Relative.objects.exclude(political_history="").exists()


@pytest.mark.audit_guard_off  # the bulk writer below synth, which writes without events
def test_a_bulk_load_writes_ciphertext_too(world: World, personas: Personas) -> None:
    person = Person.objects.create(family_name="Hà", given_name="An", sex="F")
    table = bulkrows.Table(BiographyEntry)
    row = table.row({"id": 10**6, "person_id": person.pk, "kind": "health", "content": ENTRY,
                     "recorded_by_id": personas.clerk_a.pk,
                     "recorded_at": dt.datetime(2026, 1, 5, tzinfo=dt.UTC)})  # fmt: skip
    table.write([row])
    entry = BiographyEntry.objects.get(person=person)
    assert entry.content == ENTRY
    assert "khiển trách" not in _raw("people_biographyentry", "content", entry.pk)


def test_a_rotation_reencrypts_every_value_and_is_chained(
    world: World, personas: Personas, own_field_keys: Path
) -> None:
    stored = _store(world, personas)
    older = vault.newest_id()
    out = io.StringIO()
    call_command("vault", "rotate", stdout=out)
    newer = vault.newest_id()
    assert newer != older and f"field key {newer} made" in out.getvalue()
    for table, column in _columns(stored):
        assert encrypted.census(table, column) == {
            newer: 1 if table != "access_user" else User.objects.exclude(totp_secret="").count()
        }
    # The older key can now leave the server (for the safe): nothing here needs it.
    (own_field_keys / f"{older}.key").unlink()
    vault.ring(fresh=True)  # a process lists the directory at most once a second
    assert Relative.objects.get(pk=stored.relative.pk).current_status == STATUS
    assert Petition.objects.get(pk=stored.petition.pk).petitioner_contact == PETITIONER[2]
    (made,) = AuditEvent.objects.filter(event_type="system.field_key_made")
    resealed = AuditEvent.objects.filter(event_type="system.fields_resealed").order_by("pk")
    assert made.details == {"key": newer} and made.pk < resealed[0].pk
    # One event per chunk, naming its rows: here one row of each column (the users: theirs).
    by_column = {e.details["column"]: e.details for e in resealed}
    assert set(by_column) == {f"{t}.{c}" for t, c in _columns(stored)}
    assert by_column["people_relative.current_status"] == {
        "column": "people_relative.current_status", "key": newer,
        "first": stored.relative.pk, "last": stored.relative.pk, "values": 1,
    }  # fmt: skip
    assert verify()[1] is None  # the chain, with both events, is intact

    status = io.StringIO()
    call_command("vault", "status", stdout=status)
    assert f"{newer}: " in status.getvalue() and "in use" in status.getvalue()
    assert "people_correction.before: " + newer in status.getvalue()


def test_an_interrupted_reseal_resumes_and_plain_text_is_encrypted(
    world: World, personas: Personas, own_field_keys: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A column written before it was encrypted (the migration's case), re-encrypted by chunks
    that commit one by one: a failure half-way leaves the rest for the next run."""
    stored = _store(world, personas)
    member = stored.relative.person.member
    extra = [
        people.resume.add_entry(personas.clerk_a, member, kind="work", content=f"Công tác {i}")
        for i in range(4)
    ]
    ids = [stored.entry.pk, *(e.pk for e in extra)]
    with connection.cursor() as cur:
        for pk in ids:
            cur.execute(
                "UPDATE people_biographyentry SET content = %s WHERE id = %s", [f"rõ {pk}", pk]
            )
    status = io.StringIO()
    call_command("vault", "status", stdout=status)
    assert "not encrypted: 5 values" in status.getvalue()
    with pytest.raises(vault.Unreadable, match="not an encrypted value"):
        BiographyEntry.objects.get(pk=ids[0])

    monkeypatch.setattr(encrypted, "CHUNK", 2)
    real_seal, calls = vault.seal, []

    def failing_seal(plain: str, context: str) -> str:
        calls.append(plain)
        if len(calls) == 3:  # the first value of the second chunk
            raise OSError("disk full")
        return real_seal(plain, context)

    monkeypatch.setattr(vault, "seal", failing_seal)
    with pytest.raises(OSError):
        audit.reseal_column("people_biographyentry", "content")
    monkeypatch.setattr(vault, "seal", real_seal)
    assert encrypted.census("people_biographyentry", "content") == {"": 3, vault.newest_id(): 2}
    assert audit.reseal_column("people_biographyentry", "content") == 3
    chunks = AuditEvent.objects.filter(event_type="system.fields_resealed").order_by("pk")
    # The chunk that failed wrote nothing, its event neither.
    assert [(c.details["first"], c.details["last"], c.details["values"]) for c in chunks] == [
        (ids[0], ids[1], 2),
        (ids[2], ids[3], 2),
        (ids[4], ids[4], 1),
    ]
    assert [BiographyEntry.objects.get(pk=pk).content for pk in ids] == [f"rõ {pk}" for pk in ids]


@pytest.mark.audit_guard_off  # migrate's own path (the owner role), as the other backfills
def test_the_migration_undone_gives_the_plain_text_back(
    world: World, personas: Personas, own_field_keys: Path
) -> None:
    stored = _store(world, personas)
    table, column = "petitions_petition", "petitioner_name"
    assert encrypted.reseal(table, column, plain=True) == 1
    assert _raw(table, column, stored.petition.pk) == PETITIONER[0]
    assert encrypted.reseal(table, column) == 1
    assert Petition.objects.get(pk=stored.petition.pk).petitioner_name == PETITIONER[0]


def test_the_suite_keeps_its_keys_out_of_the_data_directory() -> None:
    # The keys are never under the files directory (which the backup archives).
    assert not Path(settings.HOSO_FIELD_KEY_DIR).is_relative_to(settings.MEDIA_ROOT)
