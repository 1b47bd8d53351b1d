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
from django.db.backends.signals import connection_created

SRC = str(Path(__file__).resolve().parent.parent / "src" / "hoso") + "/"
TESTS = str(Path(__file__).resolve().parent) + "/"
# Frames of the test guards' own statement watchers, which are no test's setup.
GUARDS = frozenset({__file__, TESTS + "counts_guard.py"})
WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?',
    re.IGNORECASE,
)
AUDIT_TABLE = "audit_auditevent"

# Tables whose rows are not records of the domain, each with the reason.
UNGUARDED_TABLES = {
    "audit_chainhead": "the audit chain's own head, written with each event",
    "django_session": "sessions: signing in and out are audited as auth.* events",
    "access_loginattempt": "the lockout counters: the attempts are audited as auth.* events",
    "notices_notification": "a user's own inbox (the worker's messages, read marks)",
    "jobs_job": (
        "a user's own background jobs (state, progress, output): what a job does is audited by "
        "the actions it calls, a sensitive output's download is a read event"
    ),
    "django_tasks_database_dbtaskresult": "the task queue's rows, behind the jobs",
    "reports_requestperson": "who each request concerns, derived in the request's transaction",
    "trail_flagscan": (
        "the insider flags' scan cursor (the last audit event read): each flag it raises, "
        "extends or purges is an audit event"
    ),
    "reports_indicatorcount": (
        "the casework counters, derived from the records in the transaction that writes them "
        "(that write is audited)"
    ),
}
# Columns that are bookkeeping, not record: an UPDATE setting only these is not a change.
BOOKKEEPING_COLUMNS = {
    "alert_version": "the worker's claim on a due item (compare-and-swap)",
    "alert_claim": "the worker's claim token",
    "alert_stage": "the reminder stage the worker reached",
    "alert_due_on": "the due date the worker's reminder was about",
    "totp_last_step": "the second factor's replay counter, moved by each sign-in",
    "last_login": "when the account last signed in (the sign-in is audited as auth.login)",
}
SET_COLUMNS = re.compile(r'"(\w+)"\s*=')
# hoso modules that write without events by design (anywhere on the stack), with the reason.
UNGUARDED_MODULES = {
    "hoso.people.synth": "synthetic data for benchmarks and the demo, never real records",
    "hoso.people.synthworld": "the casework of synth --full (every app's stage runs under it)",
    "hoso.vetting.demo": "the demo office's catalogue, loaded with the demo",
    "hoso.petitions.demo": "the demo's petitions rules",
    "hoso.travel.demo": "the demo's trips",
    "hoso.web.management.commands.demo": "the demo loader",
    "hoso.orgs.migrations.0002_search_name": "migrate's backfill of the names' search copies",
}


def _is_model_layer(module: str) -> bool:
    return ".models" in module or module.endswith(".managers")


@dataclass(frozen=True)
class Origin:
    module: str  # the innermost hoso module (past the model layer) that asked for the write
    in_action: bool  # an actions module is on the stack


def _origin() -> Origin | None:
    """Who asked for the statement, or None for a test's own setup or for a module that writes
    without events by design."""
    frame, module, in_action = sys._getframe(1), None, False
    while frame is not None:
        path = frame.f_code.co_filename
        if path.startswith(TESTS) and path not in GUARDS:
            break
        if path.startswith(SRC):
            name = str(frame.f_globals.get("__name__", ""))
            if name in UNGUARDED_MODULES:
                return None
            in_action = in_action or ".actions" in name
            if module is None and not _is_model_layer(name):
                module = name
        frame = frame.f_back  # type: ignore[assignment]
    return None if module is None else Origin(module, in_action)


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

    def merge(self, inner: Transaction) -> None:
        """A savepoint released into this block: its writes and events are now this block's."""
        self.writes += inner.writes
        self.audited = self.audited or inner.audited


@dataclass
class Guard:
    """One per test. `blocks` holds, per database connection (one per thread), a Transaction
    for each atomic block hoso's code has open, outermost first."""

    blocks: dict[int, list[Transaction]] = field(default_factory=dict)
    unaudited: list[str] = field(default_factory=list)
    outside_actions: list[str] = field(default_factory=list)

    def statement(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        match = WRITE.match(sql)
        if match and not _bookkeeping(sql):
            self.note(id(context["connection"]), match.group(1).lower())
        return execute(sql, params, many, context)

    def note(self, key: int, table: str) -> None:
        stack = self.blocks.get(key) or []
        current = stack[-1] if stack else Transaction()
        if table == AUDIT_TABLE:
            current.audited = True
        elif table not in UNGUARDED_TABLES:
            origin = _origin()
            if origin is not None:
                current.writes.append((table, origin.module))
                if not origin.in_action:
                    self.outside_actions.append(f"{table} by {origin.module}")
        if not stack:  # autocommit: the statement is its own transaction
            self.check(current)

    def entered(self, key: int) -> None:
        self.blocks.setdefault(key, []).append(Transaction())

    def exited(self, key: int, kept: bool) -> None:
        """A block of hoso's code ended; `kept`: committed, or released into its parent."""
        stack = self.blocks.get(key) or []
        if not stack:
            return
        done = stack.pop()
        if kept and stack:
            stack[-1].merge(done)
        elif kept:
            self.check(done)

    def check(self, done: Transaction) -> None:
        if done.writes and not done.audited:
            written = sorted(set(done.writes))
            self.unaudited.append(", ".join(f"{table} by {module}" for table, module in written))


def _is_code_block(atomic: Any) -> bool:
    return not getattr(atomic, "_from_testcase", False)


@pytest.fixture(autouse=True)
def audit_guard(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if "audit_guard_off" in request.keywords:
        yield
        return
    guard = Guard()
    enter, exit_ = transaction.Atomic.__enter__, transaction.Atomic.__exit__

    def entering(self: transaction.Atomic) -> None:
        enter(self)
        if _is_code_block(self):
            guard.entered(id(transaction.get_connection(self.using)))

    def exiting(self: transaction.Atomic, exc_type: Any, exc: Any, tb: Any) -> None:
        db = transaction.get_connection(self.using)
        kept = exc_type is None and not db.needs_rollback
        try:
            exit_(self, exc_type, exc, tb)
        except BaseException:
            kept = False  # the commit itself failed
            raise
        finally:
            if _is_code_block(self):
                guard.exited(id(db), kept)

    def watch(sender: Any, connection: Any, **kwargs: Any) -> None:
        """A connection opened by another thread (a concurrent test, the live server)."""
        if guard.statement not in connection.execute_wrappers:
            connection.execute_wrappers.append(guard.statement)

    monkeypatch.setattr(transaction.Atomic, "__enter__", entering)
    monkeypatch.setattr(transaction.Atomic, "__exit__", exiting)
    connection_created.connect(watch, weak=False)
    try:
        with connection.execute_wrapper(guard.statement):
            yield
    finally:
        connection_created.disconnect(watch)
    assert not guard.unaudited, (
        "hoso's code changed records without an audit event in the same transaction: "
        + "; ".join(guard.unaudited)
    )
    assert not guard.outside_actions, (
        "hoso's code changed records outside an actions module: "
        + "; ".join(sorted(set(guard.outside_actions)))
    )
