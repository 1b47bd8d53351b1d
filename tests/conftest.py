"""Shared fixtures: a small organization tree and named personas.

The tree:  TW (central) > TUP (province) > DUA (commune A) > CBA1 (cell)
                                          > ZZB (commune B) > ZZB1 (cell)
Everything under ZZB carries the marker "ZZB" so a test can assert that it never leaks to a
persona whose scope is elsewhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from hoso.access.models import Grant, User
from hoso.access.roles import Clearance, Role
from hoso.orgs.models import Level, Organization

PASSWORD = "Mật-khẩu-2026!"
FOREIGN_MARKER = "ZZB"


@dataclass
class World:
    root: Organization
    province: Organization
    commune_a: Organization
    cell_a: Organization
    commune_b: Organization
    cell_b: Organization


def _org(parent: Organization | None, name: str, code: str, level: str) -> Organization:
    fields = {"name": name, "code": code, "level": level}
    manager = Organization.objects
    node = (
        manager.add_root(create_kwargs=fields)
        if parent is None
        else manager.add_child(parent, create_kwargs=fields)
    )
    node.refresh_from_db()
    return node


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> None:
    """Uploaded scans go to a temporary folder, never to the data directory."""
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture(autouse=True)
def default_language() -> Any:
    """Each test starts in the default language: a request in English (set_language, a user's
    choice) leaves it active in the thread, as the locale middleware does not undo it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def world(db: Any) -> World:
    root = _org(None, "Ban Chấp hành Trung ương", "TW", Level.CENTRAL)
    province = _org(root, "Tỉnh ủy Thử Nghiệm", "TUP", Level.PROVINCIAL)
    commune_a = _org(province, "Đảng ủy xã An Bình", "DUA", Level.UPPER_BASE)
    cell_a = _org(commune_a, "Chi bộ thôn Đông", "CBA1", Level.CELL)
    commune_b = _org(province, "Đảng ủy phường ZZB Bên Kia", "ZZB", Level.UPPER_BASE)
    cell_b = _org(commune_b, "Chi bộ ZZB Một", "ZZB1", Level.CELL)
    for node in (root, province, commune_a):
        node.refresh_from_db()
    return World(root, province, commune_a, cell_a, commune_b, cell_b)


def make_user(
    username: str, org: Organization, role: str | None, clearance: int = Clearance.NONE
) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        full_name=username.replace("_", " ").title(),
        organization=org,
        clearance=clearance,
    )
    if role:
        Grant.objects.create(user=user, organization=org, role=role)
    return user


@dataclass
class Personas:
    clerk_a: User
    officer_b: User
    officer_a: User
    head_p: User
    auditor_p: User
    auditor_a: User
    admin_root: User
    admin_a: User
    nobody: User


@pytest.fixture
def personas(world: World) -> Personas:
    return Personas(
        clerk_a=make_user("clerk_a", world.commune_a, Role.CLERK, Clearance.CONFIDENTIAL),
        officer_b=make_user("zzb_officer", world.commune_b, Role.OFFICER, Clearance.CONFIDENTIAL),
        officer_a=make_user("officer_dua", world.commune_a, Role.OFFICER, Clearance.CONFIDENTIAL),
        head_p=make_user("head_p", world.province, Role.HEAD, Clearance.CONFIDENTIAL),
        auditor_p=make_user("auditor_p", world.province, Role.AUDITOR),
        auditor_a=make_user("auditor_a", world.commune_a, Role.AUDITOR),
        admin_root=make_user("admin_root", world.root, Role.ADMIN),
        admin_a=make_user("admin_a", world.commune_a, Role.ADMIN),
        nobody=make_user("nobody", world.commune_a, None),
    )


def client_for(user: User, *, enrol: bool = True) -> Client:
    """A client signed in as `user`. force_login skips the sign-in and its second factor: a
    user whose clearance needs one is enrolled first, as signing in would have required
    (enrol=False keeps the account as it is)."""
    if enrol and user.totp_required and not user.totp_enrolled:
        from django.utils import timezone

        user.totp_secret = "JBSWY3DPEHPK3PXP"
        user.totp_confirmed_at = timezone.now()
        user.save(update_fields=["totp_secret", "totp_confirmed_at"])
    client = Client()
    client.force_login(user)
    return client


def xlsx_cells(content: bytes) -> list[tuple[Any, ...]]:
    """The cells of an exported sheet, after checking that not one of them is a formula."""
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows())
    formulas = [c.coordinate for row in rows for c in row if c.data_type == "f"]
    assert not formulas, f"formula cells in an export: {formulas}"
    return rows


def record_event(*args: Any, **kwargs: Any) -> Any:
    """Write an audit event the way an action does: inside a transaction (record() refuses a
    change's event outside one)."""
    from django.db import transaction

    from hoso.audit.chain import record

    with transaction.atomic():
        return record(*args, **kwargs)


def require_env(flag: str) -> bool:
    """CI sets HOSO_REQUIRE_<X>=1 so that a skipped capability fails instead."""
    return os.environ.get(flag, "") == "1"


# The vetting office (officers, a head, a subject with relatives, addressees), shared by the
# vetting, petitions, travel and browser tests.
pytest_plugins = ["tests.vetting.office", "tests.audit_guard", "tests.counts_guard"]

from hypothesis import settings as hypothesis_settings  # noqa: E402

# The first call of a cached function can be slow on a busy CI machine; time is not under test.
hypothesis_settings.register_profile("hoso", deadline=None)
hypothesis_settings.load_profile("hoso")


@pytest.fixture(scope="session", autouse=True)
def flush_around_delete_guards() -> Any:
    """On SQLite, append-only tables refuse DELETE by trigger, and Django empties the test
    database between transactional tests with DELETE. Lift those triggers for the length of
    the flush only, as PostgreSQL's TRUNCATE passes its row triggers. Tests only."""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    operations = type(connection.ops)
    original = operations.execute_sql_flush

    def execute_sql_flush(self: Any, sql_list: list[str]) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?",
                ["%_no_delete"],
            )
            guards = cursor.fetchall()
            for name, _sql in guards:
                cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            original(self, sql_list)
        finally:
            with self.connection.cursor() as cursor:
                for _name, sql in guards:
                    cursor.execute(sql)

    operations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]
    yield
    operations.execute_sql_flush = original  # type: ignore[method-assign]



@pytest.fixture(scope="session", autouse=True)  # at the start, before any test writes
def seeded_rows(django_db_setup: Any, django_db_blocker: Any) -> str:
    """The rows the migrations seeded (catalogues, case types, time limits ...), as JSON, read
    once before any test changed them (content types and permissions are remade by a flush)."""
    from django.apps import apps
    from django.core import serializers

    # Content types and permissions are remade by a flush; the audit chain is not a seeded
    # row: written again from JSON (times to the millisecond) its events would not verify,
    # and an emptied database starts a chain of its own.
    skipped = {"contenttypes.contenttype", "auth.permission", "audit.auditevent", "audit.chainhead"}
    with django_db_blocker.unblock():
        models = [m for m in apps.get_models() if m._meta.label_lower not in skipped]
        ordered = serializers.sort_dependencies([(None, models)], allow_cycles=True)
        rows = [obj for model in ordered for obj in model._default_manager.order_by("pk")]
        return serializers.serialize("json", rows)


@pytest.fixture
def reseeded(seeded_rows: str, transactional_db: Any) -> None:
    """The seeded rows written again. pytest-django runs the transactional tests after the
    others, and each empties the database when it ends: a transactional test that needs the
    seeded catalogues asks for this."""
    from django.core import serializers
    from django.db import transaction

    with transaction.atomic():
        for found in serializers.deserialize("json", seeded_rows):
            # Still there when no transactional test ran before.
            if not type(found.object)._default_manager.filter(pk=found.object.pk).exists():
                found.save()


@pytest.fixture
def own_audit_keys(tmp_path: Path, settings: Any) -> Path:
    """A copy of the run's audit key directory for this test alone: a key it makes (a
    rotation) stays out of the other tests' chains, which would have to introduce it."""
    import shutil

    own = tmp_path / "audit-keys"
    shutil.copytree(settings.HOSO_AUDIT_KEY_DIR, own)
    settings.HOSO_AUDIT_KEY_DIR = own
    return own


@pytest.fixture
def own_field_keys(tmp_path: Path, settings: Any) -> Path:
    """A copy of the run's field keys for this test alone: a key its rotation makes must not
    encrypt the other tests' values."""
    import shutil

    own = tmp_path / "field-keys"
    if Path(settings.HOSO_FIELD_KEY_DIR).is_dir():
        shutil.copytree(settings.HOSO_FIELD_KEY_DIR, own)
    settings.HOSO_FIELD_KEY_DIR = own
    return own
