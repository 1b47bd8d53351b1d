"""Fuzzing the API with schemathesis: every operation of the published OpenAPI schema, as an
officer and as a head of the demo data, with inputs that fit the schema and inputs that do
not, the mutating operations (POST) included.

It runs in-process through the Django WSGI application (`hoso.config.wsgi.application`): the
whole middleware stack, URL resolution, session authentication and CSRF are exercised as behind
gunicorn, but inside the test's database transaction, so the demo data loaded for the test is
there and every change the fuzzer makes is rolled back. A `live_server` would need a
transactional database (the demo flushed and reloaded for every test, the server in another
thread) for no more coverage of hoso's own code.

Checks on every response: no 5xx, the status code is documented, and the content type and
body conform to the schema. Bounded: MAX_EXAMPLES per operation and kind of input; the run
prints its figures (operations, examples, seconds). HOSO_FUZZ_SEED picks another seed (the
default one is fixed, so that CI is reproducible); HOSO_FUZZ_EXAMPLES another bound;
HOSO_FUZZ_ONLY="POST /api/v1/cases" only the operations whose label contains it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.db.models import Model
from django.test import Client
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from schemathesis import checks
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi import unregister_string_format

from hoso.access.models import User
from hoso.audit.models import AuditEvent
from hoso.cadres.models import Cadre, Entry, Plan, Post
from hoso.config.wsgi import application
from hoso.documents.models import IncomingDocument, OutgoingDocument
from hoso.jobs.models import Job
from hoso.orgs.models import Organization
from hoso.people import identity
from hoso.people.models import Member, Relative
from hoso.petitions.models import Petition
from hoso.travel.models import Relation, Stay, Trip
from hoso.vetting.models import Case, HelpRequest, VerificationRequest

pytestmark = pytest.mark.fuzz

MAX_EXAMPLES = int(os.environ.get("HOSO_FUZZ_EXAMPLES", "30"))
SEED = int(os.environ.get("HOSO_FUZZ_SEED", "20260"))
ONLY = os.environ.get("HOSO_FUZZ_ONLY", "")  # e.g. "POST /api/v1/cases": those operations only
PERSONAS = ("chuyenvien", "truongphong")  # the demo's officer and head
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
# The model behind each `/api/v1/<name>/{id}/`, to point the fuzzer at a record in scope too.
RESOURCES: dict[str, type[Model]] = {
    "orgs": Organization,
    "members": Member,
    "audit-events": AuditEvent,
    "cases": Case,
    "verification-requests": VerificationRequest,
    "help-requests": HelpRequest,
    "petitions": Petition,
    "trips": Trip,
    "foreign-relations": Relation,
    "stays": Stay,
    "outgoing-documents": OutgoingDocument,
    "incoming-documents": IncomingDocument,
    "cadres": Cadre,
    "cadre-posts": Post,
    "cadre-lists": Plan,
    "cadre-list-entries": Entry,
    "relatives": Relative,
    "jobs": Job,
}


@contextmanager
def plausible_dates() -> Iterator[None]:
    """Dates mostly within the range hoso accepts (1900 to a year ahead), sometimes anywhere in
    0001..9999: uniform years would almost never get a body past its date fields, and the code
    behind them would go untested."""
    today = dt.date.today()
    plausible = st.dates(dt.date(1900, 1, 1), today + dt.timedelta(days=366))
    dates = st.one_of(plausible, plausible, plausible, st.dates()).map(dt.date.isoformat)
    schemathesis.openapi.format("date", dates)
    try:
        yield
    finally:
        unregister_string_format("date")  # back to schemathesis' own


@contextmanager
def in_test_transaction() -> Iterator[None]:
    """Requests through the WSGI handler would close the connection at every request (and with
    it the test's transaction); Django's own test client turns that off the same way. The
    thousands of expected 4xx are not logged; a 5xx still is, with its traceback."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    requests_log = logging.getLogger("django.request")
    level = requests_log.level
    requests_log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        requests_log.setLevel(level)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def signed_in(user: User) -> Callable[..., Any]:
    """The WSGI application as a browser signed in as `user` calls it: session cookie, and the
    CSRF cookie with its header, as the pages' scripts send them."""
    client = Client()
    client.force_login(user)
    csrf = secrets.token_hex(16)
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}"

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        environ["HTTP_COOKIE"] = cookie
        environ["HTTP_X_CSRFTOKEN"] = csrf
        return application(environ, start_response)

    return app


def known_id(path: str, user: User) -> int | None:
    resource = path.split("/")[3]
    if resource == "persons":  # seen through every app's scope, not one model's
        visible: Any = identity.visible_persons(user)
    else:
        visible = RESOURCES[resource].objects.visible_to(user)  # type: ignore[attr-defined]
    row = visible.order_by("pk").first()
    return None if row is None else int(row.pk)


def fuzz(operation: Any, mode: GenerationMode, statuses: Counter[str], **fixed: Any) -> int:
    """Run one operation's examples; the number of requests made (their status codes are
    counted in `statuses`)."""
    made = 0

    @seed(SEED)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, **fixed))
    def run(case: Any) -> None:
        nonlocal made
        made += 1
        response = case.call_and_validate(checks=CHECKS)
        statuses[f"{response.status_code}"] += 1

    run()
    return made


def test_every_operation_as_officer_and_head(db: Any, capsys: Any) -> None:
    call_command("demo", members=300)
    capsys.readouterr()  # the demo's account list
    failures: list[str] = []
    statuses: defaultdict[str, Counter[str]] = defaultdict(Counter)
    operations = examples = 0
    started = time.monotonic()
    with in_test_transaction(), plausible_dates():
        for username in PERSONAS:
            user = User.objects.get(username=username)
            schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", signed_in(user))
            for result in schema.get_all_operations():
                operation = result.ok()
                if ONLY not in operation.label:
                    continue
                operations += 1
                runs: list[tuple[GenerationMode, dict[str, Any]]] = [
                    (GenerationMode.POSITIVE, {}),
                    (GenerationMode.NEGATIVE, {}),
                ]
                if "{id}" in operation.path:
                    pk = known_id(operation.path, user)
                    if pk is not None:
                        runs.append((GenerationMode.POSITIVE, {"path_parameters": {"id": pk}}))
                for mode, fixed in runs:
                    try:
                        examples += fuzz(operation, mode, statuses[operation.label], **fixed)
                    except (Exception, BaseExceptionGroup) as exc:
                        failures.append(f"{username} {operation.label} {mode.value}: {exc}")
    seconds = time.monotonic() - started
    print(f"\nfuzz: {operations} operations, {examples} requests, {seconds:.0f} s, seed {SEED}")
    for label, counts in sorted(statuses.items()):
        print(f"  {label}: {dict(sorted(counts.items()))}")
    assert not failures, "\n\n".join(failures)
