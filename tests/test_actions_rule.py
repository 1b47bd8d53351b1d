"""Every change is an action: no call writing to the database outside an `actions` module.

A static check over src/hoso: `.save()`, `.delete()`, `bulk_create`, `update_or_create` …
anywhere, and `.create()` / `.update()` on a manager or a query. The runtime half is
tests/audit_guard.py, which also sees `QuerySet.update()` on a variable and the raw SQL of
people/bulk.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "hoso"
ALWAYS = {"save", "delete", "bulk_create", "bulk_update", "update_or_create", "get_or_create"}
ON_QUERIES = {"create", "update"}
QUERY_STEPS = {"objects", "_default_manager", "filter", "exclude", "all", "select_for_update"}

# Modules that may write outside an actions module, each with the reason.
EXEMPT = {
    "audit/chain.py": "the audit trail's own writer, called by every action",
    "people/synth.py": "synthetic data for benchmarks and the demo",
    "vetting/demo.py": "the demo office's catalogue",
    "access/lockout.py": "the lockout counters (the attempts are audited as auth.* events)",
    "access/totp.py": "the replay counter of the second factor, moved on each sign-in",
    "orgs/hooks.py": "the path copies, rewritten inside the move action's transaction",
    "notices/due.py": "the worker's claims and notifications (bookkeeping, not records)",
    "reports/persons.py": "who each request concerns, written in the transaction of the change",
}


def _is_action_module(relative: str) -> bool:
    return relative.endswith("/actions.py") or "/actions/" in relative


def _model_layer(relative: str) -> bool:
    """A model's own save() calling its parent (keeping sort keys and search text)."""
    return "/models/" in relative or relative.endswith("/models.py")


def _receiver_steps(node: ast.expr) -> set[str]:
    steps: set[str] = set()
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            steps.add(node.attr)
            node = node.value
        else:
            return steps


def _writes(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name = node.func.attr
        if name in {"save", "delete"} and node.args:
            continue  # a workbook's save(buffer), a storage's delete(name): not a model
        if name in ALWAYS or (
            name in ON_QUERIES and _receiver_steps(node.func.value) & QUERY_STEPS
        ):
            found.append((node.lineno, name))
    return found


def _offences() -> list[str]:
    offences = []
    for path in sorted(SRC.rglob("*.py")):
        relative = str(path.relative_to(SRC))
        if "/migrations/" in relative or _is_action_module(relative):
            continue
        if relative in EXEMPT or _model_layer(relative):
            continue
        for line, name in _writes(ast.parse(path.read_text(), str(path))):
            offences.append(f"{relative}:{line} .{name}()")
    return offences


def test_no_write_outside_an_actions_module() -> None:
    assert _offences() == []


def test_the_check_sees_the_writes_it_must() -> None:
    code = ast.parse(
        "Case.objects.filter(pk=1).update(state='x')\n"
        "item.save()\n"
        "Person.objects.create(name='A')\n"
        "fields.update(extra)\n"  # a dict
        "book.save(buffer)\n"  # a workbook
    )
    assert [name for _, name in _writes(code)] == ["update", "save", "create"]


def test_every_exemption_is_still_needed() -> None:
    for relative in EXEMPT:
        path = SRC / relative
        assert path.exists(), f"{relative} is gone: drop its exemption"
        assert _writes(ast.parse(path.read_text())), f"{relative} writes nothing: drop it"


def test_reads_of_members_cases_and_petitions_are_recorded_in_their_reads_module() -> None:
    """The web, the API and the console open a member, a case, a request for verification help
    or a petition through `<app>/reads.py`, so that none of them writes (or forgets) the read
    event on its own."""
    homes = {
        ("MEMBER_VIEWED", '"member.viewed"'): "people/reads.py",
        ("CASE_VIEWED", '"case.viewed"'): "vetting/reads.py",
        ("HELP_VIEWED", '"help.viewed"'): "vetting/reads.py",
        ("PETITION_VIEWED", '"petition.viewed"'): "petitions/reads.py",
        ("TRIP_VIEWED", '"trip.viewed"'): "travel/reads.py",
        ("STAY_VIEWED", '"stay.viewed"'): "travel/reads.py",
        ("RELATION_VIEWED", '"relation.viewed"'): "travel/reads.py",
        ("CADRE_VIEWED", '"cadre.viewed"'): "cadres/reads.py",
        ("PLAN_VIEWED", '"plan.viewed"'): "cadres/reads.py",
    }
    elsewhere = [
        f"{path.relative_to(SRC)}: {name}"
        for path in sorted(SRC.rglob("*.py"))
        for names, home in homes.items()
        for name in names
        if name in path.read_text() and str(path.relative_to(SRC)) not in {home, "audit/events.py"}
    ]
    assert elsewhere == []
