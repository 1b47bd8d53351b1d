"""Test-only guard: hoso's code never changes a domain table without writing an audit event in
the same transaction.

Every INSERT, UPDATE and DELETE the database receives is attributed to the code that asked for
it: walking the stack outwards past Django, other libraries and hoso's model layer (a model's
own `save()` keeping a sort key), the first frame that is either in `tests/` or in `src/hoso/`
decides. A test's own setup is not under guard; hoso's code is. Such a write belongs to the
outermost transaction hoso's code opened (the test's wrapping block does not count) or, outside
any, stands alone; when that transaction commits without an insert into the audit table, the
test fails naming the tables and the code that wrote them.

Raw SQL and `QuerySet.update()` are caught too, since the guard watches the statements, not
the model signals.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction

SRC = str(Path(__file__).resolve().parent.parent / "src" / "hoso") + "/"
TESTS = str(Path(__file__).resolve().parent) + "/"
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
AUDIT_TABLE = "audit_auditevent"

# Tables whose rows are not records of the domain, each with the reason.
UNGUARDED_TABLES = {
    "audit_chainhead": "the audit chain's own head, written with each event",
    "django_session": "sessions: signing in and out are audited as auth.* events",
    "access_loginattempt": "the lockout counters: the attempts are audited as auth.* events",
    "notices_notification": "a user's own inbox (the worker's messages, read marks)",
}
# Columns that are bookkeeping, not record: an UPDATE setting only these is not a change.
BOOKKEEPING_COLUMNS = {
    "alert_version": "the worker's claim on a due item (compare-and-swap)",
    "alert_claim": "the worker's claim token",
    "alert_stage": "the reminder stage the worker reached",
    "alert_due_on": "the due date the worker's reminder was about",
    "totp_last_step": "the second factor's replay counter, moved by each sign-in",
}
SET_COLUMNS = re.compile(r'"(\w+)"\s*=')
# hoso modules that write without events by design (anywhere on the stack), with the reason.
UNGUARDED_MODULES = {
    "hoso.people.synth": "synthetic data for benchmarks and the demo, never real records",
    "hoso.vetting.demo": "the demo office's catalogue, loaded with the demo",
    "hoso.petitions.demo": "the demo's petitions rules",
    "hoso.travel.demo": "the demo's trips",
    "hoso.web.management.commands.demo": "the demo loader",
}


def _is_model_layer(module: str) -> bool:
    return ".models" in module or module.endswith(".managers")


def _origin() -> str | None:
    """The hoso module that asked for the statement, or None for a test's own setup or for a
    module that writes without events by design."""
    frame, origin = sys._getframe(1), None
    while frame is not None:
        path = frame.f_code.co_filename
        if path.startswith(TESTS) and path != __file__:
            break
        if path.startswith(SRC):
            module = str(frame.f_globals.get("__name__", ""))
            if module in UNGUARDED_MODULES:
                return None
            if origin is None and not _is_model_layer(module):
                origin = module
        frame = frame.f_back  # type: ignore[assignment]
    return origin


def _bookkeeping(sql: str) -> bool:
    if not sql.lstrip().upper().startswith("UPDATE"):
        return False
    assignments = re.split(r"\bWHERE\b", sql, maxsplit=1, flags=re.IGNORECASE)[0]
    columns = set(SET_COLUMNS.findall(assignments.split(" SET ", 1)[-1]))
    return bool(columns) and columns <= BOOKKEEPING_COLUMNS.keys()


@dataclass
class Transaction:
    writes: list[tuple[str, str]] = field(default_factory=list)  # (table, module)
    audited: bool = False


@dataclass
class Guard:
    open: Transaction | None = None
    unaudited: list[str] = field(default_factory=list)

    def statement(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        match = WRITE.match(sql)
        if match and not _bookkeeping(sql):
            self.note(match.group(1).lower())
        return execute(sql, params, many, context)

    def note(self, table: str) -> None:
        alone = self.open is None
        current = self.open or Transaction()
        if table == AUDIT_TABLE:
            current.audited = True
        elif table not in UNGUARDED_TABLES:
            module = _origin()
            if module is not None:
                current.writes.append((table, module))
        if alone:
            self.check(current)

    def check(self, done: Transaction) -> None:
        if done.writes and not done.audited:
            written = sorted(set(done.writes))
            self.unaudited.append(", ".join(f"{table} by {module}" for table, module in written))


def _code_blocks() -> list[Any]:
    return [b for b in connection.atomic_blocks if not getattr(b, "_from_testcase", False)]


@pytest.fixture(autouse=True)
def audit_guard(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if "audit_guard_off" in request.keywords:
        yield
        return
    guard = Guard()
    enter, exit_ = transaction.Atomic.__enter__, transaction.Atomic.__exit__

    def entering(self: transaction.Atomic) -> None:
        enter(self)
        if len(_code_blocks()) == 1 and guard.open is None:
            guard.open = Transaction()

    def exiting(self: transaction.Atomic, exc_type: Any, exc: Any, tb: Any) -> None:
        outermost = _code_blocks() == [self]
        committing = exc_type is None and not connection.needs_rollback
        exit_(self, exc_type, exc, tb)
        if outermost and guard.open is not None:
            done, guard.open = guard.open, None
            if committing:
                guard.check(done)

    monkeypatch.setattr(transaction.Atomic, "__enter__", entering)
    monkeypatch.setattr(transaction.Atomic, "__exit__", exiting)
    with connection.execute_wrapper(guard.statement):
        yield
    assert not guard.unaudited, (
        "hoso's code changed records without an audit event in the same transaction: "
        + "; ".join(guard.unaudited)
    )
