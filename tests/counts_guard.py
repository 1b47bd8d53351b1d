"""Test-only guard: every test that wrote members, persons, the organization tree or the
casework leaves the exact member counts (people/aggregates.py) and the casework counters
(reports/counters.py) equal to a recount, so that each write path the suite walks (actions,
fixtures through the models, imports, moves) is checked to keep them.

Synthetic data (`hoso.people.synth`, the casework of `hoso.people.synthworld`) is bulk-written
around the models by design and counted by the rebuild the `synth` command runs after it: a
test that loads it without the command is not checked. A test that itself writes around the
models says so with `@pytest.mark.counts_stale`.
"""

from __future__ import annotations

import sys
from collections.abc import Generator
from typing import Any

import pytest
from django.db import connection

from tests.audit_guard import WRITE

MEMBERS = frozenset({"people_member", "people_person", "orgs_organization", "people_membercount"})
CASEWORK = frozenset(
    {
        "vetting_case",
        "vetting_conclusion",
        "vetting_casestep",
        "vetting_verificationrequest",
        "vetting_reply",
        "vetting_helprequest",
        "petitions_petition",
        "travel_trip",
        "travel_destination",
        "cadres_cadre",
        "people_memberevent",
        "reports_indicatorcount",
        "reports_requestperson",
        "people_relative",
    }
)
WATCHED = MEMBERS | CASEWORK
SYNTH = (("hoso.people.synth", ""), ("hoso.people.synthworld", ""))  # bulk-load, uncounted
REBUILD = ("hoso.people.actions.aggregates", "rebuild")  # counts everything again


def _on_stack(where: tuple[str, str]) -> bool:
    module, function = where
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_globals.get("__name__") == module and function in ("", frame.f_code.co_name):
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, Any]:
    if "counts_stale" in item.keywords:
        return (yield)
    touched: list[str] = []
    stale = [False]  # synthetic rows written and not yet recounted

    def watch(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        match = WRITE.match(sql)
        if match and match.group(1).lower() in WATCHED:
            touched.append(match.group(1))
            if match.group(1).lower() == "reports_indicatorcount" and _on_stack(REBUILD):
                stale[0] = False
        # Synthetic loads write by COPY on PostgreSQL, which no execute wrapper sees: any
        # statement they run marks the counts stale.
        if any(_on_stack(where) for where in SYNTH):
            touched.append("synth")
            stale[0] = True
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        result = yield  # a failing test fails as it is, unchecked
    if touched and not stale[0] and not connection.needs_rollback:
        from hoso.orgs.models import Organization
        from hoso.people import aggregates
        from hoso.reports import counters, persons

        _compared, found = aggregates.differences()
        _compared, different = counters.differences()
        _compared, mismatched = persons.differences()
        if found or different or mismatched:
            codes = dict(Organization.objects.values_list("id", "code"))
            lines = "; ".join(d.line(codes) for d in [*found, *different, *mismatched][:10])
            pytest.fail(f"exact counts differ from a recount after this test: {lines}")
    return result
