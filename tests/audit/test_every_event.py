"""Every audit event type has a scenario (issue 11, item 9), after Zulip's
zerver/tests/test_audit_log.py.

A scenario sets the scene, performs the one thing under test inside `stage.act()` (the action,
or the page, API call or command when only they write the event), and returns what the event
must carry: actor, object, organization, address, reason and details. Every event written
inside `act()` is accounted for: the one under test exactly once, and whatever else the act
writes by design, named in `also`. Nothing else may appear.

The test is generated from the registry: an event type without a scenario fails, and so does a
scenario for a type that is not registered. Some types have several writers (a page and the
API, a pause and a resume): each writer gets its own scenario under the same code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyotp
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import models
from django.db.models import Max
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hoso.access.models import AccessRequest, ApiToken, BreakGlass, Grant, User
from hoso.access.roles import Clearance, Role
from hoso.accounts import actions as access
from hoso.audit import events
from hoso.audit.chain import verify
from hoso.audit.models import AuditEvent
from hoso.cadres import actions as cadres
from hoso.documents import actions as document_actions
from hoso.documents import render
from hoso.documents.models import DocumentKind, OutgoingDocument
from hoso.jobs import actions as jobs
from hoso.jobs.models import Job
from hoso.lib.periods import parse
from hoso.orgs import actions as orgs
from hoso.orgs.models import Level, Organization, Term
from hoso.people import actions as people
from hoso.people import jobs as people_jobs
from hoso.people.models import (
    DecisionKind,
    DocumentType,
    DossierDocument,
    IdentityDecision,
    Member,
    MemberStatus,
    Person,
    Relationship,
    Transfer,
)
from hoso.people.registers import REGISTERS
from hoso.people.transitions import Move as MemberMove
from hoso.petitions import actions as petitions
from hoso.petitions.models import Kind, Petition, PetitionRule, Scan
from hoso.reports import actions as reports
from hoso.reports.models import ReportForm
from hoso.trail import actions as flag_actions
from hoso.trail.models import Flag
from hoso.travel import actions as travel
from hoso.travel.models import RelationKind, Stay, Trip
from hoso.vetting import actions as vetting
from hoso.vetting.models import Case, CaseFile, CasePetition, Verdict, VerificationRequest
from hoso.vetting.transitions import HelpMove
from hoso.vetting.transitions import Move as CaseMove
from hoso.vetting.verification import Target
from hoso.workcal.models import SpecialDay
from tests.cadres import helpers as cadre_help
from tests.cadres import test_import as cadre_import
from tests.conftest import PASSWORD, Personas, World, client_for, make_user, record_event
from tests.documents.test_render import slip
from tests.documents.test_templates import template_with
from tests.jobs.helpers import work
from tests.people.test_dossier import PDF
from tests.people.test_import import row, xlsx
from tests.petitions.test_petitions import classify, receive
from tests.petitions.test_scans import MASKED, ORIGINAL
from tests.travel.test_stays import record as record_stay
from tests.travel.test_travel import approve as approve_trip
from tests.travel.test_travel import request as request_trip
from tests.vetting.office import (
    ALL_STEPS,
    OUTCOMES,
    D,
    Office,
    conclude,
    issue,
    make_type,
    open_case,
    proposed_with_reply,
    to_verifying,
)
from tests.vetting.test_help import receive as help_receive
from tests.vetting.test_help import rules as help_rules

WEB = "127.0.0.1"  # the test client's address, which the request context hands to record()
NEW_PASSWORD = "Mật-khẩu-mới-2026!"


# ---- the stage, the expectation and the registry of scenarios ----------------------------


def _last_event_id() -> int:
    last: int | None = AuditEvent.objects.aggregate(n=Max("id"))["n"]
    return last or 0


class Stage:
    """What a scenario works with: the fixtures it asks for, and the one act under test."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request
        self.window: tuple[int, int] | None = None

    def fixture(self, name: str) -> Any:
        return self._request.getfixturevalue(name)

    @property
    def world(self) -> World:
        world: World = self.fixture("world")
        return world

    @property
    def personas(self) -> Personas:
        personas: Personas = self.fixture("personas")
        return personas

    @property
    def office(self) -> Office:
        office: Office = self.fixture("office")
        return office

    @contextmanager
    def act(self) -> Iterator[None]:
        """The act under test: the events written inside this block are the scenario's."""
        assert self.window is None, "a scenario performs one act"
        first = _last_event_id()
        yield
        self.window = (first, _last_event_id())

    def written(self) -> list[AuditEvent]:
        assert self.window is not None, "the scenario never called stage.act()"
        first, last = self.window
        return list(AuditEvent.objects.filter(pk__gt=first, pk__lte=last).order_by("id"))


@dataclass
class Expect:
    """The event the act must write: compared field by field, details as a whole."""

    actor: User | None
    obj: models.Model | None
    organization: Organization | None
    details: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    ip: str | None = None  # WEB for what a page or the API writes; None for actions, commands
    also: tuple[str, ...] = ()  # the other events the act writes by design, repeated if twice


Scenario = Callable[[Stage], Expect]
SCENARIOS: dict[str, dict[str, Scenario]] = {}


def scenario(code: str) -> Callable[[Scenario], Scenario]:
    """Register a scenario for the event type `code` (several writers, several scenarios)."""

    def add(function: Scenario) -> Scenario:
        variants = SCENARIOS.setdefault(code, {})
        assert function.__name__ not in variants
        variants[function.__name__] = function
        return function

    return add


def _described(event: AuditEvent) -> dict[str, Any]:
    return {
        "actor": (event.actor_id, event.actor_name),
        "object": (event.object_type, event.object_id),
        "organization": (event.organization_id, event.organization.code)
        if event.organization
        else None,
        "details": event.details,
        "reason": event.reason,
        "ip": event.ip,
    }


def _expected(expect: Expect) -> dict[str, Any]:
    actor, obj, org = expect.actor, expect.obj, expect.organization
    return {
        "actor": (actor.pk, actor.username) if actor is not None else (None, ""),
        "object": (obj._meta.label_lower, str(obj.pk)) if obj is not None else ("", ""),
        "organization": (org.pk, org.code) if org is not None else None,
        "details": expect.details,
        "reason": expect.reason,
        "ip": expect.ip,
    }


# ---- authentication ------------------------------------------------------------------------


def _login(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


def _enrol(user: User) -> pyotp.TOTP:
    user.totp_secret = pyotp.random_base32()
    user.totp_confirmed_at = timezone.now()
    user.save(update_fields=["totp_secret", "totp_confirmed_at"])
    return pyotp.TOTP(user.totp_secret)


def _wrong_code(totp: pyotp.TOTP) -> str:
    now = time.time()
    near = {totp.at(now + 30 * step) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in near)


@scenario("auth.login")
def login_with_a_password(s: Stage) -> Expect:
    clerk = s.personas.clerk_a
    client = Client()
    with s.act():
        response = _login(client, clerk.username)
    assert response["Location"] == reverse("home")
    return Expect(clerk, clerk, s.world.commune_a, ip=WEB)


@scenario("auth.login")
def login_after_the_second_factor(s: Stage) -> Expect:
    head = s.personas.head_p
    totp = _enrol(head)
    client = Client()
    with s.act():
        assert _login(client, head.username)["Location"] == reverse("login-otp")
        done = client.post(reverse("login-otp"), {"code": totp.now()})
    assert done["Location"] == reverse("home")
    return Expect(head, head, s.world.province, ip=WEB)


@scenario("auth.login_failed")
def wrong_password(s: Stage) -> Expect:
    clerk = s.personas.clerk_a
    with s.act():
        _login(Client(), clerk.username, "sai-mật-khẩu")
    return Expect(None, clerk, s.world.commune_a, details={"username": "clerk_a"}, ip=WEB)


@scenario("auth.login_failed")
def unknown_username(s: Stage) -> Expect:
    s.fixture("personas")  # accounts exist, just not this one
    with s.act():
        _login(Client(), "ghost", "sai-mật-khẩu")
    return Expect(None, None, None, details={"username": "ghost"}, ip=WEB)


@scenario("auth.lockout")
def account_locked(s: Stage) -> Expect:
    s.fixture("settings").LOCKOUT_ACCOUNT_ATTEMPTS = 3
    clerk = s.personas.clerk_a
    client = Client()
    for _ in range(2):
        _login(client, clerk.username, "sai")
    with s.act():
        _login(client, clerk.username, "sai")  # the third failure locks the account
        _login(client, clerk.username)  # refused, even with the right password: no new event
    assert "_auth_user_id" not in client.session
    return Expect(
        None,
        clerk,
        s.world.commune_a,
        details={"username": "clerk_a"},
        ip=WEB,
        also=("auth.login_failed",),
    )


@scenario("auth.lockout")
def address_locked(s: Stage) -> Expect:
    settings = s.fixture("settings")
    settings.LOCKOUT_ADDRESS_ATTEMPTS, settings.LOCKOUT_ACCOUNT_ATTEMPTS = 2, 100
    s.fixture("personas")
    client = Client(REMOTE_ADDR="10.9.8.7")
    _login(client, "a1", "sai")
    with s.act():
        _login(client, "a2", "sai")  # the second failure from this address locks it
        _login(client, "clerk_a")  # refused from that address
    assert "_auth_user_id" not in client.session
    return Expect(
        None, None, None, details={"username": "a2"}, ip="10.9.8.7", also=("auth.login_failed",)
    )


@scenario("auth.unlock")
def administrator_unlocks(s: Stage) -> Expect:
    clerk, admin = s.personas.clerk_a, s.personas.admin_a
    with s.act():
        access.unlock(admin, clerk)
    return Expect(admin, clerk, s.world.commune_a)


@scenario("auth.logout")
def sign_out(s: Stage) -> Expect:
    clerk = s.personas.clerk_a
    client = client_for(clerk)
    with s.act():
        client.post(reverse("logout"))
    return Expect(clerk, clerk, s.world.commune_a, ip=WEB)


@scenario("auth.otp_failed")
def wrong_second_factor(s: Stage) -> Expect:
    head = s.personas.head_p
    totp = _enrol(head)
    client = Client()
    with s.act():  # the password step writes nothing: the sign-in is not finished
        _login(client, head.username)
        client.post(reverse("login-otp"), {"code": _wrong_code(totp)})
    assert "_auth_user_id" not in client.session
    return Expect(None, head, s.world.province, details={"username": "head_p"}, ip=WEB)


@scenario("auth.otp_enrolled")
def enrolled_from_the_profile(s: Stage) -> Expect:
    user = s.personas.nobody
    client = client_for(user)
    secret = client.get(reverse("totp-enroll")).context["secret"]
    with s.act():
        response = client.post(reverse("totp-enroll"), {"code": pyotp.TOTP(secret).now()})
    assert response["Location"] == reverse("profile")
    return Expect(user, user, s.world.commune_a, ip=WEB)


@scenario("auth.otp_enrolled")
def enrolled_at_the_first_sign_in(s: Stage) -> Expect:
    head = make_user("secret_head", s.world.province, Role.HEAD, Clearance.SECRET)
    client = Client()
    assert _login(client, head.username)["Location"] == reverse("totp-enroll")
    secret = client.get(reverse("totp-enroll")).context["secret"]
    with s.act():
        client.post(reverse("totp-enroll"), {"code": pyotp.TOTP(secret).now()})
    return Expect(head, head, s.world.province, ip=WEB, also=("auth.login",))


@scenario("auth.password_changed")
def password_changed(s: Stage) -> Expect:
    clerk = s.personas.clerk_a
    with s.act():
        access.change_password(clerk, NEW_PASSWORD)
    assert clerk.check_password(NEW_PASSWORD)
    return Expect(clerk, clerk, s.world.commune_a)


# ---- accounts, grants and the requests a second person decides ----------------------------


def _asked_grant(s: Stage) -> AccessRequest:
    asked = access.add_grant(
        s.personas.admin_a, s.personas.nobody, s.world.commune_a, Role.OFFICER, "QĐ 12-QĐ/ĐU"
    )
    assert isinstance(asked, AccessRequest)
    return asked


def _request_details(asked: AccessRequest, **changes: Any) -> dict[str, Any]:
    values = {
        "request": asked.pk,
        "kind": "grant",
        "role": "officer",
        "clearance": None,
        "organization": "DUA",
        "account": "nobody",
    }
    return {**values, **changes}


@scenario("account.created")
def account_created(s: Stage) -> Expect:
    admin = s.personas.admin_a
    with s.act():
        user = access.create_account(
            admin,
            username="moi",
            full_name="Người Mới",
            organization=s.world.commune_a,
            password=PASSWORD,
        )
    return Expect(admin, user, s.world.commune_a, details={"username": "moi", "clearance_asked": 0})


@scenario("account.created")
def account_created_asking_for_a_clearance(s: Stage) -> Expect:
    admin = s.personas.admin_a
    with s.act():
        user = access.create_account(
            admin,
            username="moi",
            full_name="Người Mới",
            organization=s.world.commune_a,
            password=PASSWORD,
            clearance=Clearance.CONFIDENTIAL,
            reason="QĐ 5-QĐ/ĐU",
        )
    assert user.clearance == Clearance.NONE  # until approved
    return Expect(
        admin,
        user,
        s.world.commune_a,
        details={"username": "moi", "clearance_asked": 1},
        reason="QĐ 5-QĐ/ĐU",
        also=("account.access_requested",),
    )


@scenario("account.updated")
def full_name_changed(s: Stage) -> Expect:
    admin, account = s.personas.admin_a, s.personas.nobody
    with s.act():
        access.update_account(admin, account, reason="Theo CCCD", full_name="Nguyễn Văn Mới")
    return Expect(
        admin,
        account,
        s.world.commune_a,
        details={"before": {"full_name": "Nobody"}, "after": {"full_name": "Nguyễn Văn Mới"}},
        reason="Theo CCCD",
    )


@scenario("account.updated")
def clearance_lowered_at_once(s: Stage) -> Expect:
    admin, clerk = s.personas.admin_a, s.personas.clerk_a
    with s.act():
        access.update_account(admin, clerk, reason="QĐ 7-QĐ/ĐU", clearance=Clearance.NONE)
    clerk.refresh_from_db()
    assert clerk.clearance == Clearance.NONE
    return Expect(
        admin,
        clerk,
        s.world.commune_a,
        details={"before": {"clearance": 1}, "after": {"clearance": 0}},
        reason="QĐ 7-QĐ/ĐU",
    )


@scenario("account.grant_added")
def grant_added(s: Stage) -> Expect:
    admin, account = s.personas.admin_a, s.personas.nobody
    with s.act():
        made = access.add_grant(admin, account, s.world.commune_a, Role.AUDITOR, "QĐ 9-QĐ/ĐU")
    assert isinstance(made, Grant)  # a role that reads no dossier is granted at once
    return Expect(
        admin,
        account,
        s.world.commune_a,
        details={"role": "auditor", "organization": "DUA"},
        reason="QĐ 9-QĐ/ĐU",
    )


@scenario("account.grant_removed")
def grant_removed(s: Stage) -> Expect:
    admin, auditor = s.personas.admin_a, s.personas.auditor_a
    grant = auditor.grants.get()
    with s.act():
        access.remove_grant(admin, grant)
    assert not auditor.grants.exists()
    return Expect(
        admin, auditor, s.world.commune_a, details={"role": "auditor", "organization": "DUA"}
    )


@scenario("account.access_requested")
def dossier_grant_asked_for(s: Stage) -> Expect:
    with s.act():
        asked = _asked_grant(s)
    return Expect(
        s.personas.admin_a,
        s.personas.nobody,
        s.world.commune_a,
        details=_request_details(asked),
        reason="QĐ 12-QĐ/ĐU",
    )


@scenario("account.access_requested")
def higher_clearance_asked_for(s: Stage) -> Expect:
    admin, account = s.personas.admin_a, s.personas.nobody
    with s.act():
        access.update_account(admin, account, reason="QĐ 3-QĐ/ĐU", clearance=Clearance.SECRET)
    asked = AccessRequest.objects.get()
    return Expect(
        admin,
        account,
        s.world.commune_a,
        details=_request_details(asked, kind="clearance", role="", clearance=2),
        reason="QĐ 3-QĐ/ĐU",
    )


@scenario("account.access_approved")
def grant_approved(s: Stage) -> Expect:
    asked, head = _asked_grant(s), s.personas.head_p
    with s.act():
        access.approve_access(head, asked, note="Đồng ý")
    assert Grant.objects.filter(user=s.personas.nobody, role=Role.OFFICER).exists()
    return Expect(
        head,
        s.personas.nobody,
        s.world.commune_a,
        details={**_request_details(asked), "clearance_before": 0},
        reason="Đồng ý",
    )


@scenario("account.access_approved")
def secret_clearance_approved_with_a_code(s: Stage) -> Expect:
    account, head = s.personas.nobody, s.office.head
    access.update_account(s.personas.admin_a, account, reason="QĐ 3", clearance=Clearance.SECRET)
    asked = AccessRequest.objects.get()
    totp = _enrol(head)
    with s.act():
        access.approve_access(head, asked, code=totp.now())
    account.refresh_from_db()
    assert account.clearance == Clearance.SECRET
    return Expect(
        head,
        account,
        s.world.commune_a,
        details={
            **_request_details(asked, kind="clearance", role="", clearance=2),
            "clearance_before": 0,
        },
    )


@scenario("account.access_refused")
def grant_refused(s: Stage) -> Expect:
    asked, head = _asked_grant(s), s.personas.head_p
    with s.act():
        access.refuse_access(head, asked, note="Chưa đủ điều kiện")
    return Expect(
        head,
        s.personas.nobody,
        s.world.commune_a,
        details=_request_details(asked),
        reason="Chưa đủ điều kiện",
    )


@scenario("account.access_withdrawn")
def request_withdrawn(s: Stage) -> Expect:
    asked, admin = _asked_grant(s), s.personas.admin_a
    with s.act():
        access.withdraw_access_request(admin, asked)
    return Expect(admin, s.personas.nobody, s.world.commune_a, details=_request_details(asked))


@scenario("system.bootstrap")
def bootstrap_command(s: Stage) -> Expect:
    s.fixture("db")
    s.fixture("monkeypatch").setenv("HOSO_BOOTSTRAP_PASSWORD", "Khởi-tạo-2026!")
    with s.act():
        call_command(
            "bootstrap",
            root_name="Tỉnh ủy Hà Tĩnh",
            root_code="TU",
            admin="quantri",
            stdout=io.StringIO(),
        )
    admin = User.objects.get(username="quantri")
    return Expect(
        None,  # whoever holds the machine: nobody signed in
        admin,
        Organization.objects.get(code="TU"),
        details={
            "source": "hoso bootstrap",
            "account": "quantri",
            "role": "admin",
            "organization": "TU",
            "clearance": 0,
        },
        also=("org.created",),  # the top organization it makes
    )


@scenario("org.created")
def root_created(s: Stage) -> Expect:
    s.fixture("db")
    with s.act():
        root = orgs.create_root(
            name="Tỉnh ủy Hà Tĩnh", code="TU", level=Level.PROVINCIAL, source="hoso bootstrap"
        )
    details = {"name": "Tỉnh ủy Hà Tĩnh", "code": "TU", "parent": "", "source": "hoso bootstrap"}
    return Expect(None, root, root, details=details)


# ---- the organization tree and the calendar -------------------------------------------------


@scenario("org.created")
def unit_created(s: Stage) -> Expect:
    head = s.personas.head_p
    with s.act():
        node = orgs.create_organization(
            head, s.world.commune_a, name="Chi bộ thôn Tây", code="CBA2", level=Level.CELL
        )
    return Expect(
        head, node, node, details={"name": "Chi bộ thôn Tây", "code": "CBA2", "parent": "DUA"}
    )


@scenario("org.renamed")
def unit_renamed(s: Stage) -> Expect:
    head, cell = s.personas.head_p, s.world.cell_a
    with s.act():
        orgs.rename_organization(
            head, cell, name="Chi bộ thôn Đông Hải", short_name="CB Đông Hải", reason="QĐ 3"
        )
    return Expect(
        head,
        cell,
        cell,
        details={
            "before": {"name": "Chi bộ thôn Đông", "short_name": "", "abbreviation": ""},
            "after": {
                "name": "Chi bộ thôn Đông Hải",
                "short_name": "CB Đông Hải",
                "abbreviation": "",
            },
        },
        reason="QĐ 3",
    )


@scenario("org.moved")
def unit_moved(s: Stage) -> Expect:
    head, node = s.personas.head_p, s.world.commune_b
    with s.act():
        orgs.move_organization(head, node, s.world.commune_a, reason="Sáp nhập, QĐ 12-QĐ/TU")
    return Expect(
        head, node, node, details={"from": "TUP", "to": "DUA"}, reason="Sáp nhập, QĐ 12-QĐ/TU"
    )


@scenario("org.closed")
def unit_closed(s: Stage) -> Expect:
    head, cell, today = s.personas.head_p, s.world.cell_b, dt.date.today()
    with s.act():
        orgs.close_organization(head, cell, closed_on=today, reason="Giải thể")
    return Expect(head, cell, cell, details={"closed_on": today.isoformat()}, reason="Giải thể")


@scenario("org.term_added")
def term_added(s: Stage) -> Expect:
    head, province = s.personas.head_p, s.world.province
    with s.act():
        orgs.add_term(head, province, name="2025-2030", starts_on=D(2025, 10, 1))
    return Expect(
        head,
        province,
        province,
        details={"term": "2025-2030", "starts_on": "2025-10-01", "ends_on": None},
    )


HOLIDAY = {"date": "2026-09-03", "kind": "holiday", "name": "Nghỉ thêm Quốc khánh"}


def _holiday(client: Client) -> SpecialDay:
    client.post(reverse("calendar"), {**HOLIDAY, "confirmed": "on"})
    return SpecialDay.objects.get(date=D(2026, 9, 3))


@scenario("calendar.changed")
def holiday_added(s: Stage) -> Expect:
    admin = s.personas.admin_root
    client = client_for(admin)
    with s.act():
        day = _holiday(client)
    return Expect(admin, day, None, details={"op": "added", **HOLIDAY, "confirmed": True}, ip=WEB)


@scenario("calendar.changed")
def holiday_changed(s: Stage) -> Expect:
    admin = s.personas.admin_root
    client = client_for(admin)
    day = _holiday(client)
    with s.act():
        client.post(reverse("calendar-day", args=[day.pk]), {**HOLIDAY, "name": "Quốc khánh"})
    return Expect(
        admin,
        day,
        None,
        details={"op": "changed", **HOLIDAY, "name": "Quốc khánh", "confirmed": False},
        ip=WEB,
    )


@scenario("calendar.changed")
def holiday_removed(s: Stage) -> Expect:
    admin = s.personas.admin_root
    client = client_for(admin)
    day = _holiday(client)
    with s.act():
        client.post(reverse("calendar-day", args=[day.pk]), {"op": "delete"})
    assert not SpecialDay.objects.filter(pk=day.pk).exists()
    return Expect(
        admin,
        day,
        None,
        details={"op": "removed", "date": "2026-09-03", "name": HOLIDAY["name"]},
        ip=WEB,
    )


@scenario("config.catalogue_changed")
def catalogue_entry_edited(s: Stage) -> Expect:
    admin = s.personas.admin_root
    rule = PetitionRule.objects.get(kind=Kind.DENUNCIATION)
    with s.act():
        client_for(admin).post(
            reverse("catalogue-item", args=["petition-limits", rule.pk]),
            {"kind": "denunciation", "days": 60, "unit": "working"},
        )
    return Expect(
        admin,
        None,
        None,  # installation-wide: only auditors of a root node read it
        details={
            "catalogue": "petition-limits",
            "id": rule.pk,
            "values": {"kind": "denunciation", "days": "60", "unit": "working"},
        },
        ip=WEB,
    )


@scenario("config.catalogue_changed")
def catalogue_entry_added(s: Stage) -> Expect:
    admin = s.personas.admin_root
    with s.act():
        client_for(admin).post(
            reverse("catalogue", args=["relationships"]),
            {"code": "chu", "name": "Chú ruột", "order": 50},
        )
    added = Relationship.objects.get(code="chu")
    return Expect(
        admin,
        None,
        None,
        details={
            "catalogue": "relationships",
            "id": added.pk,
            "values": {"code": "chu", "name": "Chú ruột", "order": "50"},
        },
        ip=WEB,
    )


@scenario("config.catalogue_changed")
def case_type_new_version(s: Stage) -> Expect:
    admin, case_type = s.personas.admin_root, s.office.case_type
    data = {
        "name": "Đề bạt, bổ nhiệm",
        "period_days": 45,
        "period_unit": "working",
        "pausable": True,
        "default_classification": Clearance.CONFIDENTIAL,
        "min_team_size": 3,
        "reply_days": 15,
        "outcomes": OUTCOMES,
        "steps": ALL_STEPS,
        "active": True,
    }
    with s.act():
        version = vetting.catalogue.new_version(admin, case_type, data)
    assert version.number == 2
    return Expect(
        admin, None, None, details={"catalogue": "case-types", "id": case_type.pk, "version": 2}
    )


# ---- members: records, life events, transfers, registers -----------------------------------


def _member(world: World, organization: Organization | None = None) -> Member:
    person = Person.objects.create(family_name="Bùi", middle_name="Thị", given_name="Xuân", sex="F")
    return Member.objects.create(
        person=person, organization=organization or world.cell_a, status=MemberStatus.OFFICIAL
    )


def _transfer(s: Stage, member: Member) -> Transfer:
    return people.members.introduce_transfer(
        s.personas.clerk_a,
        member,
        kind="official",
        letter_number="45-GGT/ĐU",
        introduced_on=D(2026, 3, 2),
        to_org=s.world.cell_b,
    )


@scenario("member.registered")
def applicant_registered(s: Stage) -> Expect:
    clerk = s.personas.clerk_a
    with s.act():
        member = people.members.register_member(
            clerk,
            s.world.cell_a,
            {"family_name": "Võ", "middle_name": "Thị", "given_name": "Sáu", "sex": "F"},
            {"status": MemberStatus.CANDIDATE},
        )
    return Expect(clerk, member, s.world.cell_a, details={"status": "candidate", "arrived": False})


@scenario("member.registered")
def member_received_from_outside(s: Stage) -> Expect:
    clerk = s.personas.clerk_a
    arrival = {
        "from_text": "Đảng ủy phường Bến Nghé",
        "letter_number": "12-GGT/ĐU",
        "received_on": D(2026, 3, 2),
    }
    with s.act():
        member = people.members.register_member(
            clerk,
            s.world.cell_a,
            {"family_name": "Hồ", "middle_name": "Minh", "given_name": "Châu", "sex": "M"},
            {"status": MemberStatus.OFFICIAL, "official_on": D(2010, 3, 3)},
            arrival,
        )
    return Expect(clerk, member, s.world.cell_a, details={"status": "official", "arrived": True})


@scenario("member.life_event")
def admission_recorded(s: Stage) -> Expect:
    clerk = s.personas.clerk_a
    member = _member(s.world)
    member.status = MemberStatus.CANDIDATE
    member.save()
    with s.act():
        people.members.record_move(
            clerk, member, MemberMove.ADMIT, date=D(2026, 1, 16), decision_number="12-QĐ/ĐU"
        )
    return Expect(
        clerk,
        member,
        s.world.cell_a,
        details={
            "move": "admit",
            "date": "2026-01-16",
            "status": "probationary",
            "decision": "12-QĐ/ĐU",
        },
    )


@scenario("transfer.introduced")
def transfer_inside_hoso(s: Stage) -> Expect:
    member = _member(s.world)
    with s.act():
        transfer = _transfer(s, member)
    return Expect(
        s.personas.clerk_a,
        member,
        s.world.cell_a,
        details={
            "transfer": transfer.pk,
            "kind": "official",
            "to": s.world.cell_b.name,
            "letter": "45-GGT/ĐU",
        },
    )


@scenario("transfer.introduced")
def transfer_outside_hoso(s: Stage) -> Expect:
    member = _member(s.world)
    with s.act():
        transfer = people.members.introduce_transfer(
            s.personas.clerk_a,
            member,
            kind="official",
            letter_number="47-GGT/ĐU",
            introduced_on=D(2026, 3, 2),
            to_text="Đảng ủy phường Bến Nghé, TP Hồ Chí Minh",
        )
    return Expect(
        s.personas.clerk_a,
        member,
        s.world.cell_a,  # filed where the member was, though the member has now left it
        details={
            "transfer": transfer.pk,
            "kind": "official",
            "to": "Đảng ủy phường Bến Nghé, TP Hồ Chí Minh",
            "letter": "47-GGT/ĐU",
        },
    )


@scenario("transfer.accepted")
def transfer_accepted(s: Stage) -> Expect:
    member = _member(s.world)
    transfer = _transfer(s, member)
    receiver = s.personas.officer_b
    with s.act():
        people.members.accept_transfer(receiver, transfer, received_on=D(2026, 3, 9))
    return Expect(
        receiver, member, s.world.cell_b, details={"transfer": transfer.pk, "from": "CBA1"}
    )


@scenario("transfer.cancelled")
def transfer_cancelled(s: Stage) -> Expect:
    member = _member(s.world)
    transfer = _transfer(s, member)
    clerk = s.personas.clerk_a
    with s.act():
        people.members.cancel_transfer(clerk, transfer, reason="Nhầm đơn vị")
    return Expect(
        clerk, member, s.world.cell_a, details={"transfer": transfer.pk}, reason="Nhầm đơn vị"
    )


def _register(s: Stage, file_format: str) -> Expect:
    _member(s.world)
    clerk = s.personas.clerk_a
    params = {"format": file_format} if file_format else {}
    with s.act():
        response = client_for(clerk).get(reverse("register", args=["members"]), params)
    assert response.status_code == 200
    return Expect(
        clerk,
        None,
        s.world.commune_a,
        details={
            "register": REGISTERS["members"][0].code,
            "rows": 1,
            "format": file_format,
            "template_sha256": {"docx": render.DEFAULT_DOCX_SHA256}.get(file_format, ""),
        },
        ip=WEB,
    )


@scenario("register.viewed")
def register_on_screen(s: Stage) -> Expect:
    return _register(s, "")


@scenario("register.exported")
def register_as_excel(s: Stage) -> Expect:
    return _register(s, "xlsx")


@scenario("register.exported")
def register_as_word(s: Stage) -> Expect:
    return _register(s, "docx")


@scenario("list.exported")
def case_list_exported(s: Stage) -> Expect:
    """Every list page's Excel download (tests/audit/test_list_exports.py walks them all)."""
    head = s.personas.head_p
    with s.act():
        response = client_for(head).get(reverse("case-list"), {"format": "xlsx", "q": "x"})
    assert response.status_code == 200
    details = {"list": "ho-so-tham-tra", "rows": 0, "q": "x"}
    return Expect(head, None, s.world.province, details=details, ip=WEB)


@scenario("list.viewed")
def member_list_searched(s: Stage) -> Expect:
    """Every sensitive list page (the permission matrix asserts them route by route); a
    search that found nobody is a read too, `rows: 0`."""
    _member(s.world)
    clerk = s.personas.clerk_a
    with s.act():
        response = client_for(clerk).get(reverse("member-list"), {"q": "không ai"})
    assert response.status_code == 200
    details = {"list": "members", "rows": 0, "q": "không ai"}
    return Expect(clerk, None, s.world.commune_a, details=details, ip=WEB)


@scenario("api.listed")
def member_api_page_listed(s: Stage) -> Expect:
    """Every page of a sensitive API list (tests/audit/test_api_lists.py walks them all)."""
    _member(s.world)
    clerk = s.personas.clerk_a
    with s.act():
        response = client_for(clerk).get(reverse("api-member-list"), {"search": "xuân"})
    assert response.status_code == 200
    details = {"list": "members", "rows": 1, "search": "xuân"}
    return Expect(clerk, None, s.world.commune_a, details=details, ip=WEB)


@scenario("member.imported")
def members_imported(s: Stage) -> Expect:
    clerk = s.personas.clerk_a
    data = xlsx(row(), row(**{"Tên": "Lan", "Số CCCD": "001175000002"}))
    with s.act():  # one event for the file, none per member
        report = people.imports.import_file(data, s.world.commune_a, clerk, "ds.xlsx")
    assert report.imported == 2
    return Expect(
        clerk,
        None,
        s.world.commune_a,
        details={
            "rows": 2,
            "file": "ds.xlsx",
            "sha256": hashlib.sha256(data.getvalue()).hexdigest(),
        },
    )


@scenario("member.viewed")
def member_page(s: Stage) -> Expect:
    member, clerk = _member(s.world), s.personas.clerk_a
    with s.act():
        assert client_for(clerk).get(reverse("member-detail", args=[member.pk])).status_code == 200
    return Expect(clerk, member, s.world.cell_a, ip=WEB)


@scenario("member.viewed")
def dossier_page(s: Stage) -> Expect:
    member, clerk = _member(s.world), s.personas.clerk_a
    with s.act():
        client_for(clerk).get(reverse("member-dossier", args=[member.pk]))
    return Expect(clerk, member, s.world.cell_a, details={"page": "dossier"}, ip=WEB)


@scenario("member.viewed")
def member_through_the_api(s: Stage) -> Expect:
    member, clerk = _member(s.world), s.personas.clerk_a
    with s.act():
        assert client_for(clerk).get(f"/api/v1/members/{member.pk}/").status_code == 200
    return Expect(clerk, member, s.world.cell_a, ip=WEB)


@scenario("member.sensitive_revealed")
def sensitive_fields_revealed(s: Stage) -> Expect:
    member, head = _member(s.world), s.personas.head_p
    with s.act():
        people.members.reveal_sensitive(head, member, reason="Xác minh để kết nạp")
    fields = [name for name, _label in Person.sensitive_labels()]
    assert fields  # the event names what was shown
    return Expect(
        head, member, s.world.cell_a, details={"fields": fields}, reason="Xác minh để kết nạp"
    )


@scenario("member.exported")
def member_list_exported(s: Stage) -> Expect:
    _member(s.world)
    clerk = s.personas.clerk_a
    with s.act():
        client_for(clerk).get(reverse("member-export"), {"q": "xuân"})
    return Expect(
        clerk, None, s.world.commune_a, details={"list": "dang-vien", "q": "xuân"}, ip=WEB
    )


@scenario("member.exported")
def supplements_due_exported(s: Stage) -> Expect:
    _member(s.world)
    clerk = s.personas.clerk_a
    with s.act():
        client_for(clerk).get(reverse("supplements"), {"year": 2025, "format": "xlsx"})
    return Expect(
        clerk, None, s.world.commune_a, details={"list": "bo-sung-2025", "year": 2025}, ip=WEB
    )


@scenario("member.exported")
def incomplete_dossiers_exported(s: Stage) -> Expect:
    _member(s.world)
    clerk = s.personas.clerk_a
    with s.act():
        client_for(clerk).get(reverse("dossier-incomplete"), {"format": "xlsx"})
    return Expect(clerk, None, s.world.commune_a, details={"list": "ho-so-thieu"}, ip=WEB)


@scenario("member.exported")
def member_list_exported_by_a_background_job(s: Stage) -> Expect:
    """The page starts the job; the worker writes the read, as the clerk, from the clerk's
    address."""
    _member(s.world)
    clerk = s.personas.clerk_a
    with s.act():
        client_for(clerk).post(reverse("member-export") + "?q=xuân")
        work()
    job = Job.objects.get()
    return Expect(
        clerk, None, s.world.commune_a, details={"list": "dang-vien", "q": "xuân", "job": job.pk},
        ip=WEB, also=("audit.anchored",),  # the worker's pass signs the day's head
    )  # fmt: skip


def _exported_job(s: Stage) -> Job:
    _member(s.world)
    job = jobs.start(s.personas.clerk_a, people_jobs.export_members, title="DS", filters={})
    work()
    job.refresh_from_db()
    assert job.state == "done", job.error
    return job


def _downloaded(job: Job) -> dict[str, Any]:
    return {
        "kind": "hoso.people.jobs.export_members",
        "file": job.output_name,
        "size": job.output_size,
        "sha256": job.output_sha256,
    }


@scenario("job.output_downloaded")
def job_output_downloaded_from_its_page(s: Stage) -> Expect:
    job, clerk = _exported_job(s), s.personas.clerk_a
    with s.act():
        response = client_for(clerk).get(reverse("job-download", kwargs={"pk": job.pk}))
        assert response.status_code == 200
    return Expect(clerk, job, s.world.commune_a, details={**_downloaded(job), "via": "web"}, ip=WEB)


@scenario("job.output_downloaded")
def job_output_downloaded_through_the_api(s: Stage) -> Expect:
    job, clerk = _exported_job(s), s.personas.clerk_a
    with s.act():
        assert client_for(clerk).get(f"/api/v1/jobs/{job.pk}/download/").status_code == 200
    return Expect(clerk, job, s.world.commune_a, details={**_downloaded(job), "via": "api"}, ip=WEB)


@scenario("system.admin_units_loaded")
def admin_units_loaded(s: Stage) -> Expect:
    s.fixture("db")
    with s.act():
        call_command("load_admin_units", stdout=io.StringIO())
        call_command("load_admin_units", stdout=io.StringIO())  # nothing new: no event
    return Expect(None, None, None, details={"created": 34 + 3321})


@scenario("system.synth_loaded")
def synthetic_data_loaded(s: Stage) -> Expect:
    s.fixture("db")
    with s.act():
        call_command("synth", members=30, seed=5, stdout=io.StringIO())
    root = Organization.objects.get(code="SYN5")
    also = ("system.aggregates_rebuilt",)  # the bulk rows counted after the load
    return Expect(None, root, root, details={"members": 30, "seed": 5}, also=also)


@scenario("system.aggregates_rebuilt")
def member_aggregates_rebuilt(s: Stage) -> Expect:
    _member(s.world)
    with s.act():
        call_command("aggregates", "rebuild", stdout=io.StringIO())
    # One member, official, in the cell: 6 dimensions x 4 levels (TW, TUP, DUA, CBA1).
    return Expect(None, None, None, details={"rows": 24})


@scenario("system.aggregates_verified")
def member_aggregates_verified(s: Stage) -> Expect:
    _member(s.world)
    with s.act():
        call_command("aggregates", "verify", stdout=io.StringIO())
    return Expect(None, None, None, details={"rows": 24, "differences": 0})


# ---- the dossier, the resume and the books -------------------------------------------------


def _document(s: Stage, member: Member) -> DossierDocument:
    return people.dossier.add_document(
        s.personas.clerk_a,
        member,
        doc_type=DocumentType.objects.get(code="QĐ-KN"),
        number="12-QĐ/ĐU",
        issued_on=D(2001, 5, 19),
        pages=1,
    )


@scenario("dossier.document_added")
def document_recorded(s: Stage) -> Expect:
    member = _member(s.world)
    with s.act():
        document = _document(s, member)
    return Expect(
        s.personas.clerk_a,
        member,
        s.world.cell_a,
        details={"document": document.pk, "type": "QĐ-KN", "present": True},
    )


@scenario("dossier.corrected")
def document_corrected(s: Stage) -> Expect:
    member = _member(s.world)
    document, clerk = _document(s, member), s.personas.clerk_a
    with s.act():
        people.dossier.correct(
            clerk, document, {"number": "21-QĐ/ĐU"}, approval="CV 7-CV/ĐU", reason="Ghi nhầm số"
        )
    return Expect(
        clerk,
        member,
        s.world.cell_a,
        details={
            "object": "people.dossierdocument",
            "id": document.pk,
            "fields": ["number"],
            "approval": "CV 7-CV/ĐU",
            "version": 2,
        },
        reason="Ghi nhầm số",
    )


@scenario("dossier.corrected")
def name_corrected(s: Stage) -> Expect:
    member, clerk = _member(s.world), s.personas.clerk_a
    with s.act():
        people.dossier.correct(
            clerk, member.person, {"given_name": "Xuyến"}, approval="QĐ 3", reason="Theo CCCD"
        )
    return Expect(
        clerk,
        member,
        s.world.cell_a,
        details={
            "object": "people.person",
            "id": member.person_id,
            "fields": ["given_name"],
            "approval": "QĐ 3",
            "version": 2,
        },
        reason="Theo CCCD",
    )


@scenario("dossier.scan_added")
def dossier_scan_added(s: Stage) -> Expect:
    member = _member(s.world)
    document = _document(s, member)
    with s.act():
        people.dossier.add_scan(
            s.personas.clerk_a, document, SimpleUploadedFile("ly lich.pdf", PDF)
        )
    return Expect(
        s.personas.clerk_a,
        member,
        s.world.cell_a,
        details={
            "document": document.pk,
            "sha256": hashlib.sha256(PDF).hexdigest(),
            "size": len(PDF),
        },
    )


@scenario("dossier.scan_opened")
def dossier_scan_downloaded(s: Stage) -> Expect:
    member, clerk = _member(s.world), s.personas.clerk_a
    document = _document(s, member)
    scan = people.dossier.add_scan(clerk, document, SimpleUploadedFile("ly lich.pdf", PDF))
    with s.act():
        response = client_for(clerk).get(reverse("scan-download", args=[scan.pk]))
        assert b"".join(response.streaming_content) == PDF
    return Expect(
        clerk, member, s.world.cell_a, details={"document": document.pk, "scan": scan.pk}, ip=WEB
    )


# ---- person identity -----------------------------------------------------------------------


def _twin(s: Stage) -> Person:
    """A second record of the office's member, subject of a case of its own."""
    twin = Person.objects.create(
        family_name="Trần", middle_name="Thị", given_name="Hoà", sex="F",
        birth_date=dt.date(1985, 3, 2), home_town="An Bình",
    )  # fmt: skip
    _open_case_for(s, twin)
    return twin


def _open_case_for(s: Stage, person: Person) -> Case:
    office = s.office
    return vetting.cases.open_case(
        office.officer, s.world.commune_a, office.case_type, person,
        purpose="Bí thư chi bộ", competent_committee=s.world.commune_a,
        request_number="14-TTr/UBND", request_date=dt.date(2026, 3, 2),
        request_issuer="UBND xã", received_on=dt.date(2026, 3, 4),
        handed_over_by="Nguyễn Văn Giao", handover_items="Tờ trình",
    )  # fmt: skip


def _decision(kind: str) -> IdentityDecision:
    return IdentityDecision.objects.get(kind=kind)


@scenario("person.viewed")
def person_page(s: Stage) -> Expect:
    office = s.office
    person = office.member.person
    with s.act():
        response = client_for(office.officer).get(reverse("person-detail", args=[person.pk]))
        assert response.status_code == 200
    return Expect(office.officer, person, s.world.cell_a, ip=WEB)


@scenario("person.duplicates_listed")
def duplicates_page(s: Stage) -> Expect:
    office = s.office
    _twin(s)
    with s.act():
        response = client_for(office.officer).get(reverse("person-duplicates"))
        assert response.status_code == 200
    return Expect(office.officer, None, s.world.commune_a, details={"pairs": 1}, ip=WEB)


@scenario("report.viewed")
def report_figures(s: Stage) -> Expect:
    office, org = s.office, s.world.commune_a
    params = {"org": org.pk, "period": "2026-q1", "indicator": "cases.received"}
    with s.act():
        response = client_for(office.officer).get(reverse("api-reports"), params)
        assert response.status_code == 200
    details = {"period": "2026-q1", "indicators": ["cases.received"], "via": "api"}
    return Expect(office.officer, None, org, details=details, ip=WEB)


@scenario("report.records_listed")
def report_records(s: Stage) -> Expect:
    office, org = s.office, s.world.commune_a
    url = reverse("report-records", args=["cases.received"])
    with s.act():
        response = client_for(office.officer).get(url, {"org": org.pk, "period": "2026-q1"})
        assert response.status_code == 200
    details = {"period": "2026-q1", "indicator": "cases.received", "count": 0}
    return Expect(office.officer, None, org, details=details, ip=WEB)


def _report(s: Stage, *, submitted: bool = False) -> Any:
    office = s.office
    form = ReportForm.objects.get(code="BVCTNB")
    report = reports.start(office.officer, form, s.world.commune_a, parse("2026-q1"))
    report = reports.write(office.officer, report, narrative={"1": "Nội dung"},
                           signer_title="Trưởng ban", signer_name="Nguyễn Văn An",
                           classification=0)  # fmt: skip
    if submitted:
        reports.submit(office.head, report, issued_on=dt.date(2026, 4, 2))
    return report


@scenario("report.records_exported")
def report_records_exported(s: Stage) -> Expect:
    office, org = s.office, s.world.commune_a
    url = reverse("report-records-export", args=["cases.received"])
    with s.act():
        response = client_for(office.officer).post(
            f"{url}?org={org.pk}&period=2026-q1", {"reason": "Đối chiếu số liệu"}
        )
        assert response.status_code == 200
    details = {"period": "2026-q1", "indicator": "cases.received", "count": 0}
    return Expect(office.officer, None, org, details=details, reason="Đối chiếu số liệu", ip=WEB)


@scenario("report.drafted")
def report_drafted(s: Stage) -> Expect:
    office, form = s.office, ReportForm.objects.get(code="BVCTNB")
    with s.act():
        report = reports.start(office.officer, form, s.world.commune_a, parse("2026-q1"))
    return Expect(office.officer, report, s.world.commune_a, details={"period": "2026-q1"})


@scenario("report.written")
def report_written(s: Stage) -> Expect:
    office = s.office
    form = ReportForm.objects.get(code="BVCTNB")
    report = reports.start(office.officer, form, s.world.commune_a, parse("2026-q1"))
    with s.act():
        reports.write(office.officer, report, narrative={"1": "x"}, signer_title="",
                      signer_name="", classification=0)  # fmt: skip
    return Expect(office.officer, report, s.world.commune_a, details={"period": "2026-q1"})


@scenario("report.submitted")
def report_submitted(s: Stage) -> Expect:
    office, report = s.office, _report(s)
    with s.act():
        submission = reports.submit(office.head, report, issued_on=dt.date(2026, 4, 2))
    details = {
        "period": "2026-q1",
        "reference": submission.document.reference,
        "sha256": submission.sha256,
        "sequence": 1,
    }
    return Expect(office.head, report, s.world.commune_a, details=details,
                  also=("document.number_allocated",))  # fmt: skip


@scenario("report.returned")
def report_returned(s: Stage) -> Expect:
    report = _report(s, submitted=True)
    above = make_user("head_prov_r", s.world.province, Role.HEAD, Clearance.SECRET)
    with s.act():
        reports.return_report(above, report, reason="Bổ sung")
    details = {"period": "2026-q1", "sequence": 1}
    return Expect(above, report, s.world.commune_a, details=details, reason="Bổ sung")


@scenario("report.exported")
def report_exported(s: Stage) -> Expect:
    office, report = s.office, _report(s)
    with s.act():
        response = client_for(office.head).get(reverse("report-export", args=[report.pk, "xlsx"]))
        assert response.status_code == 200
    details = {"period": "2026-q1", "format": "xlsx", "reference": ""}
    return Expect(office.head, report, s.world.commune_a, details=details, ip=WEB)


@scenario("person.relative_linked")
def relative_linked(s: Stage) -> Expect:
    office = s.office
    twin = _twin(s)
    with s.act():
        people.identity.link_relative(office.officer, office.father, twin, reason="Đối chiếu")
    link = _decision(DecisionKind.LINK)
    details = {"decision": link.pk, "person": twin.pk, "relative": office.father.pk}
    return Expect(office.officer, link, s.world.cell_a, details=details, reason="Đối chiếu")


@scenario("person.relative_unlinked")
def relative_unlinked(s: Stage) -> Expect:
    office = s.office
    twin = _twin(s)
    people.identity.link_relative(office.officer, office.father, twin, reason="Đối chiếu")
    with s.act():
        people.identity.unlink_relative(office.officer, office.father, reason="Nhầm người")
    undo = _decision(DecisionKind.UNLINK)
    details = {"decision": undo.pk, "person": twin.pk, "relative": office.father.pk}
    return Expect(office.officer, undo, s.world.cell_a, details=details, reason="Nhầm người")


@scenario("person.created_from_relative")
def relative_becomes_a_person(s: Stage) -> Expect:
    office = s.office
    with s.act():
        person = people.identity.person_from_relative(
            office.officer, office.father, sex="M", reason="Thẩm tra bố đẻ"
        )
    link = _decision(DecisionKind.LINK)
    details = {"decision": link.pk, "person": person.pk, "relative": office.father.pk}
    return Expect(office.officer, link, s.world.cell_a, details=details, reason="Thẩm tra bố đẻ")


@scenario("person.merged")
def persons_merged(s: Stage) -> Expect:
    office = s.office
    kept, twin = office.member.person, _twin(s)
    with s.act():
        people.identity.merge(office.officer, kept, twin, reason="Cùng một người")
    merge = _decision(DecisionKind.MERGE)
    details = {"decision": merge.pk, "person": kept.pk, "other": twin.pk}
    return Expect(office.officer, merge, s.world.cell_a, details=details, reason="Cùng một người")


@scenario("person.unmerged")
def persons_unmerged(s: Stage) -> Expect:
    office = s.office
    kept, twin = office.member.person, _twin(s)
    people.identity.merge(office.officer, kept, twin, reason="Cùng một người")
    with s.act():
        people.identity.unmerge(office.officer, twin, reason="Hai người trùng tên")
    undo = _decision(DecisionKind.UNMERGE)
    details = {"decision": undo.pk, "person": kept.pk, "other": twin.pk}
    return Expect(
        office.officer, undo, s.world.cell_a, details=details, reason="Hai người trùng tên"
    )


@scenario("person.marked_distinct")
def pair_marked_distinct(s: Stage) -> Expect:
    office = s.office
    person, twin = office.member.person, _twin(s)
    with s.act():
        people.identity.mark_distinct(office.officer, person, twin, reason="Khác cha mẹ")
    mark = _decision(DecisionKind.DISTINCT)
    details = {"decision": mark.pk, "person": person.pk, "other": twin.pk}
    return Expect(office.officer, mark, s.world.cell_a, details=details, reason="Khác cha mẹ")


@scenario("resume.added")
def relative_declared(s: Stage) -> Expect:
    member, clerk = _member(s.world), s.personas.clerk_a
    with s.act():
        relative = people.resume.add_relative(
            clerk,
            member,
            relationship=Relationship.objects.get(code="bo-de"),
            full_name="Bùi Văn Chín",
            birth_year=1940,
        )
    return Expect(clerk, member, s.world.cell_a, details={"item": "relative", "id": relative.pk})


@scenario("resume.added")
def biography_entry_recorded(s: Stage) -> Expect:
    member, clerk = _member(s.world), s.personas.clerk_a
    with s.act():
        entry = people.resume.add_entry(
            clerk,
            member,
            kind="work",
            started_on=D(2000, 3, 1),
            started_precision="month",
            content="Cán bộ xã An Bình",
        )
    return Expect(clerk, member, s.world.cell_a, details={"item": "biographyentry", "id": entry.pk})


@scenario("resume.revealed")
def resume_notes_revealed(s: Stage) -> Expect:
    member, head = _member(s.world), s.personas.head_p
    with s.act():
        people.resume.reveal(head, member, reason="Xác minh lý lịch để kết nạp")
    return Expect(head, member, s.world.cell_a, reason="Xác minh lý lịch để kết nạp")


def _supplement(s: Stage, member: Member) -> Any:
    return people.books.declare_supplement(
        s.personas.clerk_a, member, year=2025, declared_on=D(2026, 1, 12), changes="Không thay đổi"
    )


@scenario("supplement.declared")
def supplement_declared(s: Stage) -> Expect:
    member = _member(s.world)
    with s.act():
        _supplement(s, member)
    return Expect(s.personas.clerk_a, member, s.world.cell_a, details={"year": 2025})


@scenario("supplement.certified")
def supplement_certified(s: Stage) -> Expect:
    member = _member(s.world)
    supplement, head = _supplement(s, member), s.personas.head_p
    with s.act():
        people.books.certify_supplement(head, supplement, certified_on=D(2026, 1, 20))
    return Expect(head, member, s.world.cell_a, details={"year": 2025})


@scenario("matters.logged")
def matter_logged(s: Stage) -> Expect:
    member, clerk = _member(s.world), s.personas.clerk_a
    with s.act():
        entry = people.books.add_matter(
            clerk,
            s.world.commune_a,
            subject="Bùi Thị Xuân",
            member=member,
            recorded_on=D(2026, 2, 1),
            matter="Có đơn phản ánh",
            source="Đơn ngày 1/2",
        )
    return Expect(
        clerk, entry, s.world.commune_a, details={"entry": entry.pk, "source": "Đơn ngày 1/2"}
    )


@scenario("matters.viewed")
def matters_log_read(s: Stage) -> Expect:
    clerk = s.personas.clerk_a
    with s.act():
        client_for(clerk).get(reverse("matters"), {"q": "đơn"})
    return Expect(clerk, None, s.world.commune_a, details={"q": "đơn", "export": False}, ip=WEB)


@scenario("matters.viewed")
def matters_log_exported(s: Stage) -> Expect:
    clerk = s.personas.clerk_a
    with s.act():
        client_for(clerk).get(reverse("matters"), {"format": "xlsx"})
    return Expect(clerk, None, s.world.commune_a, details={"q": "", "export": True}, ip=WEB)


def _handover(s: Stage) -> Any:
    return people.books.create_handover(
        s.personas.clerk_a,
        s.world.commune_a,
        receiver="Đảng ủy mới",
        from_keeper="Nguyễn Thị Lan",
        to_keeper="Trần Văn Hùng",
        date=D(2026, 3, 1),
        reason="Thay đổi người quản lý hồ sơ",
    )


@scenario("handover.recorded")
def handover_recorded(s: Stage) -> Expect:
    _member(s.world)
    with s.act():
        handover = _handover(s)
    return Expect(
        s.personas.clerk_a,
        handover,
        s.world.commune_a,
        details={"items": 1, "receiver": "Đảng ủy mới"},
    )


@scenario("register.count_reported")
def count_reported(s: Stage) -> Expect:
    with s.act():
        reported = people.books.report_count(
            s.personas.clerk_a, s.world.cell_a, year=2026, quarter=3, count=41
        )
    return Expect(
        s.personas.clerk_a,
        reported,
        s.world.cell_a,
        details={"year": 2026, "quarter": 3, "count": 41},
    )


# ---- outgoing and incoming documents -------------------------------------------------------


def _term(world: World) -> Term:
    return Term.objects.create(
        organization=world.commune_a, name="2025-2030", starts_on=D(2025, 10, 1)
    )


def _outgoing(s: Stage, **changes: Any) -> OutgoingDocument:
    values: dict[str, Any] = {"issued_on": D(2026, 1, 5), "summary": "Kế hoạch rà soát"}
    values.update(changes)
    return document_actions.numbering.allocate(
        s.personas.clerk_a, s.world.commune_a, DocumentKind.objects.get(code="KH"), **values
    )


@scenario("document.number_allocated")
def number_allocated(s: Stage) -> Expect:
    _term(s.world)
    with s.act():
        document = _outgoing(s)
    return Expect(
        s.personas.clerk_a,
        document,
        s.world.commune_a,
        details={"reference": "01-KH/ĐU", "term": "2025-2030"},
    )


@scenario("document.number_cancelled")
def number_cancelled(s: Stage) -> Expect:
    _term(s.world)
    document = _outgoing(s)
    with s.act():
        document_actions.numbering.cancel(s.personas.clerk_a, document, reason="Sai nơi nhận")
    return Expect(
        s.personas.clerk_a,
        document,
        s.world.commune_a,
        details={"reference": "01-KH/ĐU"},
        reason="Sai nơi nhận",
    )


@scenario("document.incoming_registered")
def incoming_registered(s: Stage) -> Expect:
    clerk = s.personas.clerk_a
    with s.act():
        incoming = document_actions.numbering.register_incoming(
            clerk,
            s.world.commune_a,
            received_on=D(2026, 3, 2),
            sender="Phòng PV06 Công an tỉnh",
            sender_reference="9/PV06",
            summary="Trả lời phiếu xác minh",
        )
    return Expect(
        clerk, incoming, s.world.commune_a, details={"arrival": "1/2026", "from": "9/PV06"}
    )


@scenario("document.generated")
def ordinary_document_generated(s: Stage) -> Expect:
    _term(s.world)
    document = _outgoing(s)
    with s.act():
        content, copy = document_actions.copies.generate(
            s.personas.clerk_a, document, slip(), file_format="docx"
        )
    assert content and copy is None
    return Expect(
        s.personas.clerk_a,
        document,
        s.world.commune_a,
        details={
            "reference": "01-KH/ĐU",
            "format": "docx",
            "copy": None,
            "recipient": "",
            "template_sha256": render.DEFAULT_DOCX_SHA256,
        },
    )


@scenario("document.generated")
def secret_copy_generated(s: Stage) -> Expect:
    _term(s.world)
    document = _outgoing(s, classification=Clearance.CONFIDENTIAL, copies=2)
    with s.act():
        _content, copy = document_actions.copies.generate(
            s.personas.clerk_a, document, slip(), file_format="docx", recipient="Công an tỉnh"
        )
    assert copy is not None and copy.number == 1
    return Expect(
        s.personas.clerk_a,
        document,
        s.world.commune_a,
        details={
            "reference": "01-KH/ĐU",
            "format": "docx",
            "copy": 1,
            "recipient": "Công an tỉnh",
            "template_sha256": render.DEFAULT_DOCX_SHA256,
        },
    )


@scenario("document.generated")
def handover_record_printed(s: Stage) -> Expect:
    _member(s.world)
    handover, clerk = _handover(s), s.personas.clerk_a
    with s.act():
        response = client_for(clerk).get(
            reverse("handover-detail", args=[handover.pk]), {"format": "docx"}
        )
    assert response.status_code == 200
    return Expect(
        clerk,
        handover,
        s.world.commune_a,
        details={
            "handover": handover.pk,
            "format": "docx",
            "template_sha256": render.DEFAULT_DOCX_SHA256,
        },
        ip=WEB,
    )


@scenario("document.template_uploaded")
def word_template_uploaded(s: Stage) -> Expect:
    admin, kind = s.personas.admin_root, DocumentKind.objects.get(code="TB")
    content = template_with("MẪU RIÊNG {{ summary|upper }}")
    with s.act():
        document_actions.templates.upload_template(admin, kind, content)
    return Expect(
        admin,
        kind,
        s.world.root,  # national configuration: filed under the root
        details={
            "kind": "TB",
            "sha256": hashlib.sha256(content).hexdigest(),
            "previous_sha256": "",
            "bytes": len(content),
        },
    )


# ---- the audit trail itself ----------------------------------------------------------------


@scenario("audit.viewed")
def audit_trail_read(s: Stage) -> Expect:
    auditor = s.personas.auditor_p
    with s.act():
        client_for(auditor).get(reverse("audit-list"), {"event_type": "org.renamed"})
    return Expect(auditor, None, s.world.province, details={"event_type": "org.renamed"}, ip=WEB)


@scenario("audit.exported")
def audit_trail_exported(s: Stage) -> Expect:
    auditor = s.personas.auditor_p
    with s.act():
        client_for(auditor).get(reverse("audit-export"), {"event_type": "org.renamed"})
    return Expect(auditor, None, s.world.province, details={"event_type": "org.renamed"}, ip=WEB)


# ---- insider flags -------------------------------------------------------------------------


def _flagged_export(s: Stage) -> None:
    """An export of 5 rows by the clerk, over a threshold of 1 (not scanned yet)."""
    s.fixture("settings").FLAG_EXPORT_ROWS = 1
    record_event(
        events.LIST_EXPORTED.code, actor=s.personas.clerk_a, organization=s.world.commune_a,
        details={"list": "ho-so-tham-tra", "rows": 5},
    )  # fmt: skip


def _flag(s: Stage) -> Flag:
    _flagged_export(s)
    call_command("audit", "flags", stdout=io.StringIO())
    return Flag.objects.get()


@scenario("audit.flag_raised")
def flag_raised_by_the_scan(s: Stage) -> Expect:
    _flagged_export(s)
    with s.act():
        call_command("audit", "flags", stdout=io.StringIO())
    flag = Flag.objects.get()
    return Expect(None, flag, s.world.commune_a, details=flag_actions.described(flag))


@scenario("audit.flag_extended")
def flag_extended_by_later_reads(s: Stage) -> Expect:
    s.fixture("settings").FLAG_BULK_VIEWS = 2
    clerk = s.personas.clerk_a
    for _ in range(2):
        record_event(events.MEMBER_VIEWED.code, actor=clerk, organization=s.world.cell_a)
    call_command("audit", "flags", stdout=io.StringIO())
    record_event(events.MEMBER_VIEWED.code, actor=clerk, organization=s.world.cell_a)
    with s.act():
        call_command("audit", "flags", stdout=io.StringIO())
    flag = Flag.objects.get()
    assert flag.count == 3
    return Expect(None, flag, s.world.cell_a, details=flag_actions.described(flag))


@scenario("audit.flags_purged")
def flags_past_retention_purged(s: Stage) -> Expect:
    flag = _flag(s)
    Flag.objects.filter(pk=flag.pk).update(created_at=timezone.now() - dt.timedelta(days=800))
    with s.act():
        call_command("audit", "flags", "--purge", stdout=io.StringIO())
    assert not Flag.objects.exists()
    before = s.written()[-1].details["before"]  # the moment the purge counted back from
    return Expect(None, None, None, details={"deleted": 1, "days": 730, "before": before})


@scenario("audit.flags_viewed")
def flags_listed(s: Stage) -> Expect:
    auditor = s.personas.auditor_p
    with s.act():
        client_for(auditor).get(reverse("audit-flags"), {"rule": "large_export"})
    return Expect(auditor, None, s.world.province, details={"rule": "large_export"}, ip=WEB)


@scenario("audit.flag_viewed")
def flag_opened(s: Stage) -> Expect:
    flag = _flag(s)
    auditor = s.personas.auditor_a
    with s.act():
        client_for(auditor).get(reverse("audit-flag", args=[flag.pk]))
    return Expect(auditor, flag, s.world.commune_a, ip=WEB)


# ---- vetting cases -------------------------------------------------------------------------


def _planning(office: Office, case: Case) -> Case:
    case = vetting.cases.move(office.officer, case, CaseMove.REVIEW)
    case = vetting.cases.move(office.officer, case, CaseMove.ASK_DECISION)
    return vetting.cases.move(
        office.officer,
        case,
        CaseMove.RECORD_DECISION,
        decision_number="05-QĐ/ĐU",
        decision_date=D(2026, 3, 10),
    )


def _case_file(office: Office, case: Case) -> CaseFile:
    upload = SimpleUploadedFile("bien-ban.pdf", PDF, "application/pdf")
    return vetting.cases.add_file(office.officer, case, upload, kind="minutes", title="Biên bản")


@scenario("case.opened")
def case_opened(s: Stage) -> Expect:
    office = s.office
    with s.act():
        case = open_case(office, s.world)
    return Expect(
        office.officer,
        case,
        s.world.commune_a,
        details={"type": "T_BO_NHIEM", "version": 1, "due_on": "2026-04-15"},
    )


@scenario("case.moved")
def first_review_begun(s: Stage) -> Expect:
    office = s.office
    case = open_case(office, s.world)
    with s.act():
        vetting.cases.move(office.officer, case, CaseMove.REVIEW)
    return Expect(
        office.officer, case, s.world.commune_a, details={"move": "review", "to": "review"}
    )


@scenario("case.moved")
def decision_to_verify_recorded(s: Stage) -> Expect:
    office = s.office
    case = open_case(office, s.world)
    case = vetting.cases.move(office.officer, case, CaseMove.REVIEW)
    case = vetting.cases.move(office.officer, case, CaseMove.ASK_DECISION)
    with s.act():
        vetting.cases.move(
            office.officer,
            case,
            CaseMove.RECORD_DECISION,
            decision_number="05-QĐ/ĐU",
            decision_date=D(2026, 3, 10),
        )
    return Expect(
        office.officer,
        case,
        s.world.commune_a,
        details={"move": "record_decision", "to": "planning"},
    )


@scenario("case.changed")
def plan_written(s: Stage) -> Expect:
    office = s.office
    case = _planning(office, open_case(office, s.world))
    text = "Xác minh lý lịch bản thân và bố mẹ."
    with s.act():
        vetting.cases.write(office.officer, case, field="plan", text=text)
    return Expect(
        office.officer, case, s.world.commune_a, details={"field": "plan", "length": len(text)}
    )


@scenario("case.changed")
def team_formed(s: Stage) -> Expect:
    office = s.office
    case = _planning(office, open_case(office, s.world))
    team = [office.officer, office.officer2, office.officer3]
    with s.act():
        vetting.cases.set_team(office.head, case, team, office.officer2)
    return Expect(
        office.head,
        case,
        s.world.commune_a,
        details={"team": ["officer_a", "officer_a2", "officer_a3"], "leader": "officer_a2"},
    )


@scenario("case.changed")
def case_assigned(s: Stage) -> Expect:
    office = s.office
    case = open_case(office, s.world)
    with s.act():
        assert vetting.cases.assign(office.head, [case], office.officer2) == 1
    return Expect(office.head, case, s.world.commune_a, details={"assignee": "officer_a2"})


@scenario("case.clock")
def case_clock_paused(s: Stage) -> Expect:
    office = s.office
    case = open_case(office, s.world)
    with s.act():
        vetting.cases.pause_clock(office.officer, case, reason="Chờ văn bản", on=D(2026, 3, 10))
    return Expect(
        office.officer,
        case,
        s.world.commune_a,
        details={"paused": "2026-03-10", "reason": "Chờ văn bản"},
    )


@scenario("case.clock")
def case_clock_resumed(s: Stage) -> Expect:
    office = s.office
    case = open_case(office, s.world)
    vetting.cases.pause_clock(office.officer, case, reason="Chờ văn bản", on=D(2026, 3, 10))
    due_before = case.due_on
    with s.act():
        vetting.cases.resume_clock(office.officer, case, on=D(2026, 3, 17))
    case.refresh_from_db()
    assert case.due_on > due_before  # the paused working days are given back
    return Expect(
        office.officer,
        case,
        s.world.commune_a,
        details={"resumed": "2026-03-17", "due_on": case.due_on.isoformat()},
    )


@scenario("case.viewed")
def case_page(s: Stage) -> Expect:
    office = s.office
    case = open_case(office, s.world)
    with s.act():
        assert client_for(office.officer).get(reverse("case-detail", args=[case.pk])).status_code
    return Expect(office.officer, case, s.world.commune_a, ip=WEB)


@scenario("case.viewed")
def case_through_the_api(s: Stage) -> Expect:
    office = s.office
    case = open_case(office, s.world)
    with s.act():
        assert client_for(office.officer).get(f"/api/v1/cases/{case.pk}/").status_code == 200
    return Expect(office.officer, case, s.world.commune_a, ip=WEB)


@scenario("case.viewed")
def case_on_the_console(s: Stage) -> Expect:
    office = s.office
    case = open_case(office, s.world)
    out = io.StringIO()
    with s.act():
        call_command("cases", "--user", "officer_a", "--show", str(case.pk), stdout=out)
    assert "TRẦN THỊ HOÀ" in out.getvalue().upper()
    return Expect(office.officer, case, s.world.commune_a, details={"via": "console"})


@scenario("case.file_added")
def evidence_attached(s: Stage) -> Expect:
    office = s.office
    case = open_case(office, s.world)
    with s.act():
        _case_file(office, case)
    return Expect(
        office.officer,
        case,
        s.world.commune_a,
        details={"kind": "minutes", "sha256": hashlib.sha256(PDF).hexdigest()},
    )


@scenario("case.file_opened")
def evidence_downloaded(s: Stage) -> Expect:
    office = s.office
    case = open_case(office, s.world)
    item = _case_file(office, case)
    with s.act():
        response = client_for(office.officer).get(reverse("case-file", args=[item.pk]))
        assert b"".join(response.streaming_content) == PDF
    return Expect(office.officer, case, s.world.commune_a, details={"file": item.pk}, ip=WEB)


@scenario("case.concluded")
def conclusion_recorded(s: Stage) -> Expect:
    office = s.office
    case = proposed_with_reply(office, s.world)
    with s.act():
        conclusion = conclude(office, case)
    return Expect(
        office.head,
        case,
        s.world.commune_a,
        details={"conclusion": conclusion.pk, "number": "15-KL/ĐU", "outcome": "DU"},
    )


@scenario("case.conclusion_corrected")
def conclusion_corrected(s: Stage) -> Expect:
    office = s.office
    case = proposed_with_reply(office, s.world)
    first = conclude(office, case)
    with s.act():
        second = vetting.cases.correct_conclusion(
            office.head,
            first,
            reason="Sai năm sinh trong văn bản",
            outcome="DU",
            text="Đồng chí Trần Thị Hoà (sinh năm 1985) đủ tiêu chuẩn chính trị.",
            number="16-KL/ĐU",
            signed_on=D(2026, 4, 22),
            signer="Nguyễn Văn An",
            authority="T/M",
        )
    return Expect(
        office.head,
        case,
        s.world.commune_a,
        details={
            "conclusion": second.pk,
            "supersedes": first.pk,
            "reason": "Sai năm sinh trong văn bản",
        },
    )


@scenario("conclusion.validity_recorded")
def conclusion_validity_recorded_on_the_page(s: Stage) -> Expect:
    office = s.office
    office.case_type = make_type("T_VALID", validity_months=24)
    conclusion = conclude(office, proposed_with_reply(office, s.world))
    head = client_for(office.head)
    with s.act():
        head.post(
            reverse("conclusion-validity", args=[conclusion.pk]),
            {"valid_until": "2026-06-30", "reason": "Hết nhiệm kỳ", "document": "3-TB/ĐU"},
        )
    return Expect(
        office.head,
        conclusion.case,
        s.world.commune_a,
        details={
            "conclusion": conclusion.pk,
            "old": "2028-04-20",
            "new": "2026-06-30",
            "reason": "Hết nhiệm kỳ",
            "document": "3-TB/ĐU",
        },
        ip=WEB,
    )


PLAN = [
    {"label": "Bản thân", "codes": ["self"], "adult": False},
    {"label": "Vợ hoặc chồng", "codes": ["vo", "chong"], "adult": False},
]


def _planned(s: Stage) -> Case:
    s.office.case_type = make_type("T_PLAN", plan_relations=PLAN)
    return _verifying(s)


@scenario("case.plan_skipped")
def plan_line_skipped(s: Stage) -> Expect:
    office, case = s.office, _planned(s)
    with s.act():
        skip = vetting.plan.skip_plan_line(office.officer, case, line=1, reason="Chưa kết hôn")
    return Expect(
        office.officer,
        case,
        s.world.commune_a,
        details={
            "skip": skip.pk,
            "line": 1,
            "label": "Vợ hoặc chồng",
            "relative": None,
            "reason": "Chưa kết hôn",
        },
    )


@scenario("case.plan_skip_withdrawn")
def plan_skip_withdrawn_through_the_api(s: Stage) -> Expect:
    office, case = s.office, _planned(s)
    skip = vetting.plan.skip_plan_line(office.officer, case, line=1, reason="Chưa kết hôn")
    with s.act():
        answer = client_for(office.officer).post(
            f"/api/v1/cases/{case.pk}/plan/withdraw/",
            {"skip": skip.pk, "reason": "Đã kết hôn năm 2025"},
            content_type="application/json",
        )
        assert answer.status_code == 201, answer.content
    return Expect(
        office.officer,
        case,
        s.world.commune_a,
        details={"skip": skip.pk, "line": 1, "relative": None, "reason": "Đã kết hôn năm 2025"},
        ip=WEB,
    )


@scenario("case.petition_linked")
def petition_received_about_the_subject(s: Stage) -> Expect:
    office = s.office
    case = open_case(office, s.world)
    with s.act():  # the petition names the subject of an open case: it is attached to it
        receive(office, s.world)
    return Expect(
        office.clerk,
        case,
        s.world.commune_a,
        details={"petition": "Đơn thư số đến 1/2026"},
        also=("document.incoming_registered", "petition.received"),
    )


@scenario("case.petition_linked")
def case_opened_from_a_petition(s: Stage) -> Expect:
    office = s.office
    petition = classify(office, receive(office, s.world))
    case = open_case(office, s.world)
    with s.act():
        petitions.link_case(office.officer, petition, case)
    return Expect(
        office.officer,
        case,
        s.world.commune_a,
        details={"petition": "Đơn thư số đến 1/2026"},
        also=("petition.moved",),
    )


@scenario("case.petition_considered")
def petition_taken_into_account(s: Stage) -> Expect:
    office = s.office
    case = proposed_with_reply(office, s.world)
    (link,) = vetting.cases.petition_received(
        case.person, reference="Đơn số 7/2026", received_on=D(2026, 4, 15), summary="Phản ánh"
    )
    with s.act():
        vetting.cases.consider_petition(
            office.officer, link, text="Đã xác minh, nội dung không đúng"
        )
    assert CasePetition.objects.get(pk=link.pk).considered_by == office.officer
    return Expect(office.officer, case, s.world.commune_a, details={"petition": "Đơn số 7/2026"})


# ---- verification requests -----------------------------------------------------------------


def _verifying(s: Stage) -> Case:
    return to_verifying(s.office, open_case(s.office, s.world))


def _reply(office: Office, request: VerificationRequest, *items: Any) -> Any:
    return vetting.requests.record_reply(
        office.officer,
        request,
        received_on=D(2026, 3, 20),
        reference="9/PV06",
        summary="Không có vấn đề",
        items=list(items),
    )


@scenario("request.sent")
def request_issued(s: Stage) -> Expect:
    office, case = s.office, _verifying(s)
    with s.act():
        issue(office, case)
    return Expect(
        office.officer,
        case,
        s.world.commune_a,
        details={"numbers": ["01-PYC/ĐU"]},
        also=("document.number_allocated",),
    )


@scenario("request.sent")
def requests_about_two_people_at_once(s: Stage) -> Expect:
    office, case = s.office, _verifying(s)
    targets = [Target(person=case.person), Target(relative=office.father)]
    with s.act():  # one slip per person, one event for the sending
        issue(office, case, targets=targets)
    return Expect(
        office.officer,
        case,
        s.world.commune_a,
        details={"numbers": ["01-PYC/ĐU", "02-PYC/ĐU"]},
        also=("document.number_allocated", "document.number_allocated"),
    )


@scenario("request.viewed")
def request_page_opened(s: Stage) -> Expect:
    office, case = s.office, _verifying(s)
    (request,) = issue(office, case)
    with s.act():
        page = client_for(office.officer).get(reverse("request-detail", args=[request.pk]))
    assert page.status_code == 200
    details = {"request_id": request.pk}
    return Expect(office.officer, case, s.world.commune_a, details=details, ip=WEB)


@scenario("request.viewed")
def request_read_through_the_api(s: Stage) -> Expect:
    office, case = s.office, _verifying(s)
    (request,) = issue(office, case)
    with s.act():
        answer = client_for(office.officer).get(
            reverse("api-verification-request-detail", args=[request.pk])
        )
    assert answer.status_code == 200 and answer.json()["id"] == request.pk
    details = {"request_id": request.pk}
    return Expect(office.officer, case, s.world.commune_a, details=details, ip=WEB)


@scenario("request.cancelled")
def request_cancelled(s: Stage) -> Expect:
    office, case = s.office, _verifying(s)
    (request,) = issue(office, case)
    with s.act():
        vetting.requests.cancel(office.officer, request, reason="Gửi nhầm nơi nhận")
    return Expect(
        office.officer,
        case,
        s.world.commune_a,
        details={"request_id": request.pk, "reason": "Gửi nhầm nơi nhận"},
    )


@scenario("request.replied")
def reply_recorded(s: Stage) -> Expect:
    office, case = s.office, _verifying(s)
    (request,) = issue(office, case)
    with s.act():
        _reply(office, request, ("Quê quán", "Đúng như khai", Verdict.MATCH))
    return Expect(
        office.officer,
        case,
        s.world.commune_a,
        details={"request_id": request.pk, "arrival": "1/2026"},
        also=("document.incoming_registered",),
    )


@scenario("request.resolved")
def discrepancy_resolved(s: Stage) -> Expect:
    office, case = s.office, _verifying(s)
    (request,) = issue(office, case)
    reply = _reply(office, request, ("Công tác 2005-2008", "Không có", Verdict.DISCREPANCY))
    item = reply.items.get()
    with s.act():
        vetting.requests.resolve(
            office.officer, item, resolution="Đương sự giải trình, có xác nhận"
        )
    return Expect(office.officer, case, s.world.commune_a, details={"item": item.pk})


@scenario("request.reminded")
def reminder_on_the_open_request_only(s: Stage) -> Expect:
    office, case = s.office, _verifying(s)
    targets = [Target(person=case.person), Target(relative=office.father)]
    first, second = issue(office, case, targets=targets)
    vetting.requests.cancel(office.officer, second, reason="Trùng")
    with s.act():
        assert vetting.requests.remind(office.officer, [first, second], on=D(2026, 4, 6)) == 1
    return Expect(office.officer, case, s.world.commune_a, details={"request_id": first.pk})


# ---- requests for verification help from other bodies --------------------------------------


@scenario("help.registered")
def help_request_received(s: Stage) -> Expect:
    office = s.office
    with s.act():
        hr = help_receive(office, s.world)
    return Expect(
        office.officer,
        hr,
        s.world.commune_a,
        details={"arrival": "1/2026", "kind": "verify", "due_on": "2026-03-23"},
        also=("document.incoming_registered",),
    )


@scenario("help.registered")
def help_request_from_a_registered_letter(s: Stage) -> Expect:
    office = s.office
    help_rules()
    letter = document_actions.numbering.register_incoming(
        office.clerk,
        s.world.commune_a,
        received_on=D(2026, 3, 2),
        sender="Ban Tổ chức Tỉnh ủy Hà Tĩnh",
        sender_reference="88-CV/BTCTU",
        summary="Đề nghị cung cấp bản sao hồ sơ",
    )
    with s.act():
        hr = vetting.help.take_over(
            office.officer, letter, kind="dossier", subject_name="Lê Văn Tám",
            asked="Bản sao lý lịch", classification=Clearance.CONFIDENTIAL,
        )  # fmt: skip
    return Expect(
        office.officer,
        hr,
        s.world.commune_a,
        details={"arrival": "1/2026", "kind": "dossier", "due_on": "2026-03-23"},
    )


@scenario("help.assigned")
def help_request_assigned(s: Stage) -> Expect:
    office = s.office
    hr = help_receive(office, s.world)
    with s.act():
        vetting.help.assign(office.head, hr, office.officer)
    return Expect(office.head, hr, s.world.commune_a, details={"assignee": "officer_a"})


@scenario("help.moved")
def help_request_started(s: Stage) -> Expect:
    office = s.office
    hr = vetting.help.assign(office.head, help_receive(office, s.world), office.officer)
    with s.act():
        vetting.help.move(office.officer, hr, HelpMove.START)
    return Expect(
        office.officer, hr, s.world.commune_a, details={"move": "start", "to": "in_progress"}
    )


@scenario("help.moved")
def help_request_declined(s: Stage) -> Expect:
    office = s.office
    hr = help_receive(office, s.world)
    with s.act():
        vetting.help.move(office.head, hr, HelpMove.DECLINE, reason="Không cư trú tại địa phương")
    return Expect(
        office.head,
        hr,
        s.world.commune_a,
        details={"move": "decline", "to": "declined", "reason": "Không cư trú tại địa phương"},
    )


@scenario("help.answered")
def help_request_answered(s: Stage) -> Expect:
    office = s.office
    hr = vetting.help.assign(office.head, help_receive(office, s.world), office.officer)
    with s.act():
        vetting.help.answer(office.officer, hr, answered_on=D(2026, 3, 16), summary="Đã xác minh")
    return Expect(
        office.officer,
        hr,
        s.world.commune_a,
        details={"reference": "01-CV/ĐU"},
        also=("document.number_allocated",),
    )


@scenario("help.due_changed")
def help_request_due_changed(s: Stage) -> Expect:
    office = s.office
    hr = help_receive(office, s.world)
    with s.act():
        vetting.help.change_due(office.head, hr, due_on=D(2026, 4, 3), reason="Gia hạn")
    return Expect(
        office.head,
        hr,
        s.world.commune_a,
        details={"before": "2026-03-23", "after": "2026-04-03", "reason": "Gia hạn"},
    )


@scenario("help.person_linked")
def help_request_person_named(s: Stage) -> Expect:
    office = s.office
    hr = help_receive(office, s.world)
    person = office.member.person
    with s.act():
        vetting.help.name_person(office.officer, hr, person)
    return Expect(office.officer, hr, s.world.commune_a, details={"person": person.pk})


@scenario("help.viewed")
def help_request_page(s: Stage) -> Expect:
    office = s.office
    hr = help_receive(office, s.world)
    with s.act():
        page = client_for(office.officer).get(reverse("help-detail", args=[hr.pk]))
    assert page.status_code == 200
    return Expect(office.officer, hr, s.world.commune_a, ip=WEB)


@scenario("help.viewed")
def help_request_through_the_api(s: Stage) -> Expect:
    office = s.office
    hr = help_receive(office, s.world)
    with s.act():
        answer = client_for(office.officer).get(f"/api/v1/help-requests/{hr.pk}/")
    assert answer.status_code == 200
    return Expect(office.officer, hr, s.world.commune_a, ip=WEB)


# ---- petitions -----------------------------------------------------------------------------


def _accepted(s: Stage) -> Petition:
    petition = classify(s.office, receive(s.office, s.world))
    petitions.move(s.office.officer, petition, "accept", on=D(2026, 3, 4))
    petition.refresh_from_db()
    return petition


def _original(s: Stage) -> tuple[Petition, Scan]:
    petition = receive(s.office, s.world)
    scan = petitions.add_scan(s.office.clerk, petition, SimpleUploadedFile("don.pdf", ORIGINAL))
    return petition, scan


@scenario("petition.received")
def petition_received(s: Stage) -> Expect:
    office = s.office
    with s.act():
        petition = receive(office, s.world)
    return Expect(
        office.clerk,
        petition,
        s.world.commune_a,
        details={"arrival": "1/2026", "subjects": 1},  # the petitioner is not named
        also=("document.incoming_registered",),
    )


@scenario("petition.moved")
def petition_classified(s: Stage) -> Expect:
    office = s.office
    petition = receive(office, s.world)
    with s.act():
        classify(office, petition)
    return Expect(
        office.officer,
        petition,
        s.world.commune_a,
        details={"to": "classified", "kind": "denunciation", "naming": "named", "reason": ""},
    )


@scenario("petition.moved")
def petition_accepted(s: Stage) -> Expect:
    office = s.office
    petition = classify(office, receive(office, s.world))
    with s.act():  # the acknowledgment is a numbered notice
        petitions.move(office.officer, petition, "accept", on=D(2026, 3, 4))
    return Expect(
        office.officer,
        petition,
        s.world.commune_a,
        details={"to": "accepted", "move": "accept"},
        also=("document.number_allocated",),
    )


@scenario("petition.moved")
def petition_linked_to_a_case(s: Stage) -> Expect:
    office = s.office
    petition = classify(office, receive(office, s.world))
    case = open_case(office, s.world)
    with s.act():
        petitions.link_case(office.officer, petition, case)
    return Expect(
        office.officer,
        petition,
        s.world.commune_a,
        details={"case": case.pk},
        also=("case.petition_linked",),
    )


@scenario("petition.clock")
def petition_paused(s: Stage) -> Expect:
    petition = _accepted(s)
    with s.act():
        petitions.pause(s.office.officer, petition, on=D(2026, 3, 10), reason="Chờ xác minh")
    return Expect(s.office.officer, petition, s.world.commune_a, details={"paused": "2026-03-10"})


@scenario("petition.clock")
def petition_resumed(s: Stage) -> Expect:
    petition = _accepted(s)
    petitions.pause(s.office.officer, petition, on=D(2026, 3, 10), reason="Chờ xác minh")
    due_before = petition.due_on
    with s.act():
        petitions.resume(s.office.officer, petition, on=D(2026, 3, 17))
    petition.refresh_from_db()
    assert petition.due_on > due_before
    return Expect(
        s.office.officer,
        petition,
        s.world.commune_a,
        details={"resumed": "2026-03-17", "due_on": petition.due_on.isoformat()},
    )


@scenario("petition.clock")
def petition_time_limit_extended(s: Stage) -> Expect:
    petition = _accepted(s)
    with s.act():
        petitions.extend_deadline(
            s.office.officer, petition, days=10, reason="Vụ việc phức tạp", decision="QĐ 3"
        )
    petition.refresh_from_db()
    return Expect(
        s.office.officer,
        petition,
        s.world.commune_a,
        details={"extended": 10, "decision": "QĐ 3", "due_on": petition.due_on.isoformat()},
    )


@scenario("petition.viewed")
def petition_page(s: Stage) -> Expect:
    office = s.office
    petition = receive(office, s.world)
    with s.act():
        client_for(office.officer).get(reverse("petition-detail", args=[petition.pk]))
    return Expect(office.officer, petition, s.world.commune_a, ip=WEB)


@scenario("petition.viewed")
def petition_through_the_api(s: Stage) -> Expect:
    office = s.office
    petition = receive(office, s.world)
    with s.act():
        response = client_for(office.officer).get(f"/api/v1/petitions/{petition.pk}/")
    assert response.status_code == 200
    return Expect(office.officer, petition, s.world.commune_a, ip=WEB)


@scenario("petition.petitioner_revealed")
def petitioner_revealed(s: Stage) -> Expect:
    office = s.office
    petition = receive(office, s.world)
    with s.act():
        sealed = petitions.reveal(office.head, petition, reason="Xác minh người tố cáo")
    assert sealed["petitioner_name"] == "Phạm Văn Tố"
    return Expect(office.head, petition, s.world.commune_a, reason="Xác minh người tố cáo")


@scenario("petition.scan_added")
def petition_scan_added(s: Stage) -> Expect:
    office = s.office
    petition = receive(office, s.world)
    with s.act():
        petitions.add_scan(office.clerk, petition, SimpleUploadedFile("don.pdf", ORIGINAL))
    return Expect(
        office.clerk,
        petition,
        s.world.commune_a,
        details={"sha256": hashlib.sha256(ORIGINAL).hexdigest()},
    )


@scenario("petition.scan_masked")
def masked_copy_added(s: Stage) -> Expect:
    petition, original = _original(s)
    with s.act():
        copy = petitions.add_masked_copy(
            s.office.clerk, original, SimpleUploadedFile("don-che.pdf", MASKED)
        )
    return Expect(
        s.office.clerk,
        petition,
        s.world.commune_a,
        details={
            "scan": copy.pk,
            "original": original.pk,
            "sha256": hashlib.sha256(MASKED).hexdigest(),
        },
    )


@scenario("petition.scan_opened")
def masked_copy_opened(s: Stage) -> Expect:
    petition, original = _original(s)
    copy = petitions.add_masked_copy(
        s.office.clerk, original, SimpleUploadedFile("don-che.pdf", MASKED)
    )
    officer = s.office.officer
    with s.act():
        response = client_for(officer).get(reverse("petition-scan", args=[copy.pk]))
        assert b"".join(response.streaming_content) == MASKED
    return Expect(officer, petition, s.world.commune_a, details={"scan": copy.pk}, ip=WEB)


@scenario("petition.scan_revealed")
def sealed_original_opened(s: Stage) -> Expect:
    petition, original = _original(s)
    head = s.office.head
    why = "Đối chiếu chữ ký người tố cáo"
    with s.act():
        response = client_for(head).post(
            reverse("petition-scan", args=[original.pk]), {"reason": why}
        )
        assert b"".join(response.streaming_content) == ORIGINAL
    return Expect(
        head, petition, s.world.commune_a, details={"scan": original.pk}, reason=why, ip=WEB
    )


# ---- trips abroad and foreign relations ----------------------------------------------------


@scenario("trip.recorded")
def trip_requested(s: Stage) -> Expect:
    office = s.office
    with s.act():
        trip = request_trip(office)
    return Expect(office.officer, trip, s.world.cell_a, details={"countries": "Nhật Bản, Hàn Quốc"})


@scenario("trip.moved")
def cell_opinion_recorded(s: Stage) -> Expect:
    office = s.office
    trip = request_trip(office)
    with s.act():
        travel.move(office.officer, trip, "opinion", on=D(2026, 5, 6), text="Chi bộ đồng ý")
    return Expect(
        office.officer, trip, s.world.cell_a, details={"move": "opinion", "to": "opinion"}
    )


@scenario("trip.moved")
def decision_notified(s: Stage) -> Expect:
    office = s.office
    trip = request_trip(office)
    travel.move(office.officer, trip, "opinion", on=D(2026, 5, 6), text="Chi bộ đồng ý")
    travel.move(office.head, trip, "approve", on=D(2026, 5, 8), number="45-QĐ/ĐU")
    with s.act():  # the notice to the member is a numbered document
        travel.move(office.officer, trip, "notify", on=D(2026, 5, 9))
    return Expect(
        office.officer,
        trip,
        s.world.cell_a,
        details={"move": "notify", "to": "notified"},
        also=("document.number_allocated",),
    )


@scenario("trip.moved")
def official_passport_handed_back(s: Stage) -> Expect:
    office = s.office
    trip = approve_trip(
        office, request_trip(office, purpose="official", passport_type="official", commitment="")
    )
    travel.move(office.officer, trip, "depart", on=D(2026, 6, 1))
    travel.move(office.officer, trip, "return", on=D(2026, 6, 19))
    trip = Trip.objects.get(pk=trip.pk)
    with s.act():
        travel.passport_back(office.officer, trip, on=D(2026, 6, 22))
    return Expect(office.officer, trip, s.world.cell_a, details={"passport_back": "2026-06-22"})


def _marriage(office: Office) -> Any:
    return travel.declare_relation(
        office.officer,
        office.member,
        kind=RelationKind.MARRIAGE_CHILD,
        person_name="Kim Min-jun",
        relationship="con rể",
        country="Hàn Quốc",
        declared_on=D(2026, 1, 12),
    )


@scenario("relation.declared")
def foreign_relation_declared(s: Stage) -> Expect:
    office = s.office
    with s.act():
        relation = _marriage(office)
    return Expect(office.officer, relation, s.world.cell_a, details={"kind": "marriage_child"})


@scenario("relation.decided")
def foreign_relation_decided(s: Stage) -> Expect:
    office = s.office
    relation = _marriage(office)
    with s.act():
        travel.decide_relation(
            office.head, relation, approved=True, number="2-QĐ/ĐU", on=D(2026, 2, 1)
        )
    return Expect(office.head, relation, s.world.cell_a, details={"approved": True})


@scenario("trip.viewed")
def trip_page_opened(s: Stage) -> Expect:
    office = s.office
    trip = request_trip(office)
    with s.act():
        page = client_for(office.officer).get(reverse("trip-detail", args=[trip.pk]))
    assert page.status_code == 200
    return Expect(office.officer, trip, s.world.cell_a, ip=WEB)


@scenario("trip.viewed")
def trip_read_through_the_api(s: Stage) -> Expect:
    office = s.office
    trip = request_trip(office)
    with s.act():
        answer = client_for(office.officer).get(reverse("api-trip-detail", args=[trip.pk]))
    assert answer.status_code == 200 and answer.json()["id"] == trip.pk
    return Expect(office.officer, trip, s.world.cell_a, ip=WEB)


@scenario("relation.viewed")
def relation_read_through_the_api(s: Stage) -> Expect:
    office = s.office
    relation = _marriage(office)
    with s.act():
        answer = client_for(office.officer).get(reverse("api-relation-detail", args=[relation.pk]))
    assert answer.status_code == 200 and answer.json()["id"] == relation.pk
    return Expect(office.officer, relation, s.world.cell_a, ip=WEB)


# ---- long stays abroad ---------------------------------------------------------------------


@scenario("stay.recorded")
def stay_recorded(s: Stage) -> Expect:
    office = s.office
    with s.act():
        stay = record_stay(office)
    return Expect(
        office.officer, stay, s.world.cell_a, details={"kind": "study", "country": "Nhật Bản"}
    )


@scenario("stay.viewed")
def stay_page_opened(s: Stage) -> Expect:
    office = s.office
    stay = record_stay(office)
    with s.act():
        page = client_for(office.officer).get(reverse("stay-detail", args=[stay.pk]))
    assert page.status_code == 200
    return Expect(office.officer, stay, s.world.cell_a, ip=WEB)


@scenario("stay.viewed")
def stay_read_through_the_api(s: Stage) -> Expect:
    office = s.office
    stay = record_stay(office)
    with s.act():
        answer = client_for(office.officer).get(reverse("api-stay-detail", args=[stay.pk]))
    assert answer.status_code == 200 and answer.json()["id"] == stay.pk
    return Expect(office.officer, stay, s.world.cell_a, ip=WEB)


@scenario("stay.recorded")
def stay_recorded_through_the_api(s: Stage) -> Expect:
    office = s.office
    client = client_for(office.officer)
    body = {
        "member": office.member.pk, "kind": "work", "country": "Lào", "place": "Viêng Chăn",
        "decision_number": "3-QĐ", "decision_date": "2025-01-02", "decision_issuer": "UBND",
        "since": "2025-02-01", "planned_return": "2027-02-01", "managing_body": "Chi bộ",
    }  # fmt: skip
    with s.act():
        response = client.post("/api/v1/stays/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    stay = Stay.objects.get()
    return Expect(
        office.officer, stay, s.world.cell_a, details={"kind": "work", "country": "Lào"}, ip=WEB
    )


@scenario("stay.returned")
def stay_returned(s: Stage) -> Expect:
    office = s.office
    stay = record_stay(office)
    with s.act():
        travel.record_return(office.officer, stay, on=D(2026, 11, 2))
    return Expect(office.officer, stay, s.world.cell_a, details={"returned_on": "2026-11-02"})


@scenario("stay.cancelled")
def stay_cancelled(s: Stage) -> Expect:
    office = s.office
    stay = record_stay(office)
    with s.act():
        travel.cancel_stay(office.officer, stay, reason="Ghi nhầm đảng viên")
    return Expect(office.officer, stay, s.world.cell_a, reason="Ghi nhầm đảng viên")


@scenario("stay.corrected")
def stay_corrected(s: Stage) -> Expect:
    office = s.office
    stay = record_stay(office)
    with s.act():
        travel.correct_stay(
            office.officer, stay, {"planned_return": D(2029, 8, 31)}, reason="QĐ gia hạn 7"
        )
    return Expect(
        office.officer,
        stay,
        s.world.cell_a,
        details={
            "before": {"planned_return": "2028-08-31"},
            "after": {"planned_return": "2029-08-31"},
        },
        reason="QĐ gia hạn 7",
    )


# ---- cadres, planning and candidacy lists ---------------------------------------------------


def _cadre(s: Stage) -> Any:
    return cadre_help.cadre(s.office, s.world)


@scenario("cadre.recorded")
def cadre_record_opened(s: Stage) -> Expect:
    office = s.office
    cadre_help.rule()
    with s.act():
        record = cadres.records.open_record(office.officer, office.member.person, s.world.commune_a)
    return Expect(office.officer, record, s.world.commune_a, details={"person": record.person_id})


@scenario("cadre.category_set")
def cadre_category_set(s: Stage) -> Expect:
    office, record = s.office, _cadre(s)
    with s.act():
        cadres.records.set_category(
            office.officer, record, cadre_help.category(), since=D(2025, 11, 1),
            decision_number="12-QĐ/ĐU",
        )  # fmt: skip
    old = {"category": None, "committee": None, "since": None, "decision": ""}
    new = {"category": "BTVDUX", "committee": "DUA", "since": "2025-11-01", "decision": "12-QĐ/ĐU"}
    return Expect(office.officer, record, s.world.commune_a, details={"old": old, "new": new})


@scenario("cadre.post_recorded")
def cadre_post_recorded(s: Stage) -> Expect:
    office, record = s.office, _cadre(s)
    with s.act():
        held = cadre_help.post(office, record)
    return Expect(
        office.officer,
        record,
        s.world.commune_a,
        details={"post": held.pk, "kind": "PCT_UBND_XA", "title": held.title,
                 "started_on": "2021-07-15"},
    )  # fmt: skip


@scenario("cadre.post_ended")
def cadre_post_ended(s: Stage) -> Expect:
    office, record = s.office, _cadre(s)
    held = cadre_help.post(office, record)
    with s.act():
        cadres.records.end_post(
            office.officer, held, ended_on=D(2026, 3, 1), decision_number="9-QĐ/UBND"
        )
    return Expect(
        office.officer,
        record,
        s.world.commune_a,
        details={"post": held.pk, "ended_on": "2026-03-01", "decision": "9-QĐ/UBND"},
    )


@scenario("cadre.corrected")
def cadre_post_corrected(s: Stage) -> Expect:
    office, record = s.office, _cadre(s)
    held = cadre_help.post(office, record)
    with s.act():
        cadres.records.correct_post(office.officer, held, reason="Theo NQ 05", term="2021-2025")
    return Expect(
        office.officer,
        record,
        s.world.commune_a,
        reason="Theo NQ 05",
        details={"post": held.pk, "changes": {"term": ["2021-2026", "2021-2025"]}},
    )


@scenario("cadre.corrected")
def cadre_category_corrected(s: Stage) -> Expect:
    office, record = s.office, _cadre(s)
    record = cadres.records.set_category(
        office.officer, record, cadre_help.category(), since=D(2025, 11, 1)
    )
    with s.act():
        cadres.records.correct_cadre(
            office.officer, record, reason="Nhầm ngày", category_since=D(2025, 11, 2)
        )
    return Expect(
        office.officer,
        record,
        s.world.commune_a,
        reason="Nhầm ngày",
        details={"changes": {"category_since": ["2025-11-01", "2025-11-02"]}},
    )


@scenario("cadre.imported")
def cadre_list_imported(s: Stage) -> Expect:
    office = s.office
    cadre_help.rule()
    cadre_help.category()
    cadre_help.kind()
    office.member.person.citizen_id = "001185000001"
    office.member.person.save()
    data = cadre_import.xlsx(cadre_import.row())
    with s.act():  # one event for the file
        report = cadres.imports.import_file(data, s.world.commune_a, office.officer, "cb.xlsx")
    assert report.imported == 1
    return Expect(
        office.officer,
        None,
        s.world.commune_a,
        details={"rows": 1, "cadres": 1, "categories": 1, "posts": 1, "file": "cb.xlsx",
                 "sha256": hashlib.sha256(data.getvalue()).hexdigest()},
    )  # fmt: skip


@scenario("cadre.viewed")
def cadre_page_opened(s: Stage) -> Expect:
    office, record = s.office, _cadre(s)
    with s.act():
        page = client_for(office.officer).get(reverse("cadre-detail", args=[record.pk]))
    assert page.status_code == 200
    return Expect(office.officer, record, s.world.commune_a, ip=WEB)


@scenario("cadre.viewed")
def cadre_post_read_through_the_api(s: Stage) -> Expect:
    office, record = s.office, _cadre(s)
    post = cadre_help.post(office, record)
    with s.act():
        answer = client_for(office.officer).get(reverse("api-cadre-post-detail", args=[post.pk]))
    assert answer.status_code == 200
    details = {"page": "post", "post": post.pk}
    return Expect(office.officer, record, s.world.commune_a, details=details, ip=WEB)


@scenario("plan.viewed")
def planning_list_opened(s: Stage) -> Expect:
    office = s.office
    listed = cadre_help.plan(office, s.world)
    cadre_help.entry(office, listed)
    with s.act():
        page = client_for(office.officer).get(reverse("plan-detail", args=[listed.pk]))
    assert page.status_code == 200
    return Expect(office.officer, listed, s.world.commune_a, details={"rows": 1}, ip=WEB)


@scenario("cadre.exported")
def cadre_list_exported(s: Stage) -> Expect:
    office = s.office
    _cadre(s)
    with s.act():
        client_for(office.officer).get(reverse("cadre-export"), {"q": "hoa"})
    return Expect(
        office.officer, None, s.world.commune_a, details={"list": "can-bo", "q": "hoa"}, ip=WEB
    )


@scenario("cadre.exported")
def key_posts_exported(s: Stage) -> Expect:
    office = s.office
    _cadre(s)
    with s.act():
        client_for(office.officer).get(reverse("cadre-key-posts"), {"format": "xlsx"})
    return Expect(
        office.officer, None, s.world.commune_a, details={"list": "chuc-vu-chua-co-ket-luan"},
        ip=WEB,
    )  # fmt: skip


@scenario("cadre.exported")
def planning_list_exported(s: Stage) -> Expect:
    office = s.office
    listed = cadre_help.plan(office, s.world)
    with s.act():
        client_for(office.officer).get(reverse("plan-detail", args=[listed.pk]), {"format": "xlsx"})
    return Expect(
        office.officer,
        None,
        s.world.commune_a,
        details={"list": f"danh-sach-{listed.pk}", "plan": listed.pk, "show": ""},
        ip=WEB,
    )


@scenario("plan.created")
def planning_list_created(s: Stage) -> Expect:
    office = s.office
    with s.act():
        listed = cadre_help.plan(office, s.world)
    return Expect(
        office.head, listed, s.world.commune_a,
        details={"kind": "planning", "case_types": "T_BO_NHIEM"},
    )  # fmt: skip


@scenario("plan.entry_added")
def planning_entry_added(s: Stage) -> Expect:
    office = s.office
    listed = cadre_help.plan(office, s.world)
    with s.act():
        added = cadre_help.entry(office, listed)
    return Expect(
        office.officer, added, s.world.commune_a,
        details={"plan": listed.pk, "person": added.person_id, "decision": "120-QĐ/ĐU"},
    )  # fmt: skip


@scenario("plan.entry_removed")
def planning_entry_removed(s: Stage) -> Expect:
    office = s.office
    listed = cadre_help.plan(office, s.world)
    added = cadre_help.entry(office, listed)
    with s.act():
        cadres.plans.remove_entry(
            office.officer, added, decision_number="130-QĐ/ĐU", decision_on=D(2026, 6, 1),
            reason="Chuyển công tác",
        )  # fmt: skip
    return Expect(
        office.officer, added, s.world.commune_a, reason="Chuyển công tác",
        details={"plan": listed.pk, "person": added.person_id, "decision": "130-QĐ/ĐU"},
    )  # fmt: skip


# ---- the tests -----------------------------------------------------------------------------


@scenario("audit.key_introduced")
def audit_key_rotated(s: Stage) -> Expect:
    from hoso.audit import keys

    s.fixture("own_audit_keys")
    with s.act():
        call_command("audit", "rotate-key", stdout=io.StringIO())
    key = keys.newest(keys.ring())
    assert key is not None
    return Expect(None, None, None, details={"key_id": key.id, "public_key": key.public_hex})


@scenario("system.field_key_made")
def field_key_rotated(s: Stage) -> Expect:
    from hoso.lib import vault

    s.fixture("own_field_keys")
    with s.act():
        call_command("vault", "rotate", stdout=io.StringIO())  # no value yet to re-encrypt
    return Expect(None, None, None, details={"key": vault.newest_id()})


@scenario("system.fields_resealed")
def fields_resealed(s: Stage) -> Expect:
    from hoso.lib import vault

    s.fixture("own_field_keys")
    member, clerk = _member(s.world), s.personas.clerk_a
    relative = people.resume.add_relative(
        clerk, member, relationship=Relationship.objects.get(code="bo-de"),
        full_name="Bùi Văn Chín", political_history="Tham gia quân đội chế độ cũ",
    )  # fmt: skip
    vault.make()  # a rotation that stopped after its key was made
    with s.act():
        call_command("vault", "reseal", stdout=io.StringIO())
    details = {"column": "people_relative.political_history", "key": vault.newest_id(),
               "first": relative.pk, "last": relative.pk, "values": 1}  # fmt: skip
    return Expect(None, None, None, details=details)


@scenario("audit.anchored")
def audit_head_anchored(s: Stage) -> Expect:
    from hoso.audit import anchors

    s.fixture("settings").HOSO_AUDIT_ANCHOR_FILE = s.fixture("tmp_path") / "anchors.jsonl"
    with s.act():
        call_command("audit", "anchor", stdout=io.StringIO())
    anchor = anchors.read(anchors.path())[-1]
    return Expect(None, None, None, details=anchor.as_dict())


@scenario("system.backup_made")
def backup_made(s: Stage) -> Expect:
    from hoso.audit import backup

    tmp_path = s.fixture("tmp_path")
    public = backup.keygen(tmp_path / "officer.key")
    archive = tmp_path / "hoso.age"
    with s.act():
        call_command("backup", "--out", str(archive), "--to", public, stdout=io.StringIO())
    summary = _archive_summary(archive, tmp_path / "officer.key")
    return Expect(None, None, None, details={**summary.details(archive), "to": [public]})


def _archive_summary(archive: Any, identity: Any) -> Any:
    """The manifest of an archive, read back with the officer's identity."""
    import hashlib
    import tarfile

    import pyrage

    from hoso.audit import backup

    plain = pyrage.decrypt(archive.read_bytes(), backup.identities(identity))
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        text = tar.extractfile(backup.MANIFEST).read()  # type: ignore[union-attr]
    manifest = json.loads(text)
    return backup.Summary(manifest, hashlib.sha256(text).hexdigest(), archive.stat().st_size)


@scenario("system.backup_restored")
def backup_restored(s: Stage) -> Expect:
    # The restore's own last step, in this database: the whole restore writes into another
    # one, where tests/audit/test_backup.py's drill finds this event.
    from hoso.audit import backup

    archive = s.fixture("tmp_path") / "hoso.age"
    archive.write_bytes(b"age")
    manifest = {"made_at": "2026-12-01T22:00:00+07:00", "members": [{}, {}],
                "audit_head": {"event_id": 41, "hash": "ab" * 32}}  # fmt: skip
    summary = backup.Summary(manifest, "cd" * 32, 3)
    with s.act():
        backup.record_restore(summary, archive)
    details = {"archive": "hoso.age", "bytes": 3, "members": 2, "manifest_sha256": "cd" * 32,
               "made_at": "2026-12-01T22:00:00+07:00", "audit_head": 41}  # fmt: skip
    return Expect(None, None, None, details=details)


@scenario("system.files_verified")
def stored_files_verified(s: Stage) -> Expect:
    member, clerk = _member(s.world), s.personas.clerk_a
    document = _document(s, member)
    scan = people.dossier.add_scan(clerk, document, SimpleUploadedFile("ly lich.pdf", PDF))
    Path(scan.file.path).unlink()
    with s.act(), pytest.raises(CommandError, match="1 of 1 stored files"):
        call_command("files", "verify", stdout=io.StringIO())
    return Expect(None, None, None, details={"checked": 1, "missing": 1, "altered": 0})


@scenario("account.token_created")
def api_token_made(s: Stage) -> Expect:
    officer = s.personas.officer_a
    with s.act():
        client_for(officer).post(reverse("api-tokens"), {"name": "HR", "scope": "read", "days": 30})
    token = ApiToken.objects.get(user=officer)
    details = {"token": token.pk, "name": "HR", "scope": "read",
               "expires": f"{token.expires_at:%Y-%m-%d}"}  # fmt: skip
    return Expect(officer, officer, s.world.commune_a, details=details, ip=WEB)


@scenario("account.token_revoked")
def api_token_revoked(s: Stage) -> Expect:
    officer = s.personas.officer_a
    token, _text = access.create_token(officer, "HR", "read", 30)
    with s.act():
        client_for(officer).post(reverse("api-token-revoke", args=[token.pk]))
    return Expect(officer, officer, s.world.commune_a, details={"token": token.pk, "name": "HR"},
                  ip=WEB)  # fmt: skip


GLASS_WHY = "Hội đồng kỷ luật họp sáng nay"


def _glass(s: Stage) -> tuple[Member, Any]:
    """Officer A's emergency access to a dossier of commune B (outside their grants)."""
    member = _member(s.world, s.world.cell_b)
    member.card_number = "KC-1"
    member.save(update_fields=["card_number"])
    return member, s.personas.officer_a


@scenario("access.break_glass_opened")
def emergency_access_opened(s: Stage) -> Expect:
    member, officer = _glass(s)
    with s.act():
        answer = client_for(officer).post(
            reverse("glass-open"), {"card_number": "KC-1", "reason": GLASS_WHY, "hours": 3}
        )
    assert answer.status_code == 302
    opened = BreakGlass.objects.get()
    return Expect(officer, opened, s.world.cell_b, reason=GLASS_WHY,
                  details={"member": member.pk, "hours": 3}, ip=WEB)  # fmt: skip


@scenario("access.break_glass_refused")
def emergency_access_to_a_number_nobody_has(s: Stage) -> Expect:
    """A number looked up and not found is recorded: trying numbers is an insider's probe."""
    _member, officer = _glass(s)
    with s.act():
        answer = client_for(officer).post(
            reverse("glass-open"), {"card_number": "KC-404", "reason": GLASS_WHY, "hours": 1}
        )
    assert answer.status_code == 200
    details = {"card_number": "KC-404",
               "refused": "Không có đảng viên nào có số thẻ hoặc số CCCD này."}  # fmt: skip
    return Expect(officer, None, s.world.commune_a, reason=GLASS_WHY, details=details, ip=WEB)


@scenario("access.break_glass_closed")
def emergency_access_ended_early(s: Stage) -> Expect:
    member, officer = _glass(s)
    opened = people.glass.open_glass(officer, reason=GLASS_WHY, hours=1, card_number="KC-1")
    with s.act():
        client_for(officer).post(reverse("glass-close", args=[opened.pk]))
    return Expect(officer, opened, s.world.cell_b, details={"member": member.pk}, ip=WEB)


@scenario("access.break_glass_reviewed")
def emergency_access_reviewed(s: Stage) -> Expect:
    _member, officer = _glass(s)
    opened = people.glass.open_glass(officer, reason=GLASS_WHY, hours=1, card_number="KC-1")
    head = s.personas.head_p
    with s.act():
        client_for(head).post(reverse("glass-detail", args=[opened.pk]), {"justified": "yes"})
    details = {"justified": True, "holder": officer.get_username()}
    return Expect(head, opened, s.world.cell_b, details=details, ip=WEB)


@scenario("api.token_used")
def api_called_with_a_token(s: Stage) -> Expect:
    officer = s.personas.officer_a
    token, text = access.create_token(officer, "HR", "read", 30)
    with s.act():
        Client().get(reverse("api-org-list"), HTTP_AUTHORIZATION=f"Bearer {text}")
    details = {"token": token.pk, "name": "HR", "method": "GET", "path": reverse("api-org-list")}
    return Expect(officer, None, s.world.commune_a, details=details, ip=WEB)


# Scenarios whose act must see committed rows (a backup is taken outside any transaction).
TRANSACTIONAL = {"system.backup_made"}


def _cases(transactional: bool) -> list[Any]:
    """(code, scenario) for every registered type and every scenario; None marks a type that
    has no scenario, so that it shows up as a failing case of its own."""
    codes = sorted(set(events.REGISTRY) | set(SCENARIOS))
    return [
        pytest.param(code, name, id=f"{code}:{name}")
        for code in codes
        if (code in TRANSACTIONAL) == transactional
        for name in (sorted(SCENARIOS[code]) if code in SCENARIOS else [None])
    ]


def test_every_event_type_has_a_scenario() -> None:
    missing = sorted(set(events.REGISTRY) - set(SCENARIOS))
    assert not missing, f"event types with no scenario in {__name__}: {missing}"


def test_no_scenario_for_an_unknown_event_type() -> None:
    unknown = sorted(set(SCENARIOS) - set(events.REGISTRY))
    assert not unknown, f"scenarios for event types that are not registered: {unknown}"


def _check(code: str, name: str | None, request: pytest.FixtureRequest) -> None:
    assert code in events.REGISTRY, f"a scenario for {code!r}, which is not registered"
    assert name is not None, f"no scenario writes {code!r}: add one to {__name__}"
    stage = Stage(request)
    expect = SCENARIOS[code][name](stage)
    written = stage.written()
    assert all(other in events.REGISTRY for other in expect.also)
    assert Counter(e.event_type for e in written) == Counter([code, *expect.also])
    (event,) = [e for e in written if e.event_type == code]
    assert _described(event) == _expected(expect)
    assert verify()[1] is None


@pytest.mark.parametrize(("code", "name"), _cases(transactional=False))
def test_event(code: str, name: str | None, request: pytest.FixtureRequest, db: None) -> None:
    _check(code, name, request)


@pytest.mark.parametrize(("code", "name"), _cases(transactional=True))
def test_event_committed(
    code: str, name: str | None, request: pytest.FixtureRequest, reseeded: None
) -> None:
    _check(code, name, request)
