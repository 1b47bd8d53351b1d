"""The casework figures served by the exact counters (reports/counters.py) equal, number for
number, the grouped queries over the records they replace: totals, categories with their
labels and order, and the breakdown by the organizations directly below, on the several years
of casework of `hoso synth --full`; for periods of whole months and for periods beginning or
ending inside a month (a cut-off day, a range, the current quarter so far), whose days are
counted from the points of the records of those days; for a head of the nation, a head of a
province with a lower clearance and an officer (who does not see restricted cases: computed
from the records for the case figures).

That every write path keeps them equal to a recount is checked after every test of the suite
that writes casework (tests/counts_guard.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from hoso.access.roles import Clearance, Role
from hoso.lib.periods import Period, parse
from hoso.orgs.models import Organization
from hoso.reports import compute, counters, indicators
from hoso.reports.ledgers import CODES
from hoso.vetting.models import Case
from tests.conftest import make_user

AS_OF = dt.date(2026, 11, 20)
WHOLE_MONTHS = (parse("2026-9m"), parse("2025"), parse("2026-q3"), parse("2026-m10"))
OTHER_DAYS = (
    parse("2026-q3", cutoff=14),
    parse("2024-02-10..2026-05-20"),
    parse("2026-10-01..2026-11-17"),  # a quarter so far: states at a day inside a month
)


@pytest.fixture
def loaded(db: Any) -> Organization:
    call_command("synth", members=1500, seed=19, full=True, as_of=AS_OF)
    return Organization.objects.get(code="SYN19")


def described(figure: compute.Figure) -> tuple[Any, ...]:
    categories = [(c.value, str(c.label), c.n) for c in figure.categories]
    parts = [(p.org.code if p.org else None, p.n, p.by) for p in figure.parts or []]
    return figure.total, categories, parts


def from_records(user: Any, code: str, org: Organization, period: Period) -> compute.Figure:
    """The figure as the grouped queries over the records compute it."""
    return compute.grouped(user, indicators.REGISTRY[code], org, period, parts=True)


def orgs_of(root: Organization) -> list[Organization]:
    province = Organization.objects.filter(depth=root.depth + 1).order_by("path").first()
    assert province is not None and province.depth == 2
    below = {"organization__path__startswith": province.path, "organization__depth__gt": 2}
    busiest = Case.objects.filter(**below).values_list("organization", flat=True).first()
    return [root, province, Organization.objects.get(pk=busiest)]


@pytest.mark.audit_guard_off  # synth writes in bulk, without events
def test_served_figures_equal_the_records_for_every_counted_indicator(loaded: Any) -> None:
    root = loaded
    province = orgs_of(root)[1]
    viewers = [
        (make_user("c_nation", root, Role.HEAD, Clearance.TOP_SECRET), orgs_of(root)),
        (make_user("c_province", province, Role.HEAD, Clearance.CONFIDENTIAL), orgs_of(root)[1:]),
    ]
    served = 0
    for user, orgs in viewers:
        for org in orgs:
            for period in (*WHOLE_MONTHS, *OTHER_DAYS):
                for code in sorted(CODES):
                    figure = compute.from_counters(
                        user, indicators.REGISTRY[code], org, period, parts=True
                    )
                    truth = from_records(user, code, org, period)
                    assert figure is not None, (code, period.key)
                    assert described(figure) == described(truth), (code, org.code, period.key)
                    served += 1
    assert served > 400
    # The casework is there to count: the figures are not equal by being empty.
    nation = make_user("c_nation2", root, Role.HEAD, Clearance.TOP_SECRET)
    for code in ("cases.received", "cases.open", "requests.overdue", "conclusions.outcome"):
        assert compute.compute(nation, indicators.REGISTRY[code], root, parse("2026-9m")).total


@pytest.mark.audit_guard_off
def test_an_officer_is_served_from_the_records_and_sees_no_more(loaded: Any) -> None:
    root = loaded
    province = orgs_of(root)[1]
    officer = make_user("c_officer", province, Role.OFFICER, Clearance.TOP_SECRET)
    period = parse("2026-9m")
    indicator = indicators.REGISTRY["cases.received"]
    assert compute.from_counters(officer, indicator, province, period, parts=True) is None
    assert Case.objects.filter(restricted=True).exists()
    figure = compute.compute(officer, indicator, province, period, parts=True)
    assert described(figure) == described(from_records(officer, "cases.received", province, period))
    # Petitions hold no restricted case: the counters serve the officer.
    petitions = indicators.REGISTRY["petitions.received"]
    assert compute.from_counters(officer, petitions, province, period, parts=True) is not None


@pytest.mark.audit_guard_off
def test_the_counters_are_exact_after_the_load_and_a_rebuild_changes_nothing(loaded: Any) -> None:
    compared, found = counters.differences()
    assert compared > 1000 and found == []
    before = counters.recount()
    with transaction.atomic():
        written = counters.rebuild()
    assert written == len(before)
    assert counters.differences()[1] == []


def test_the_months_of_a_period_and_the_days_left_over() -> None:
    D = dt.date
    whole, edges = counters.months(D(2026, 1, 1), D(2026, 9, 30))
    assert edges == []
    assert str(whole).count("span") == 1  # nine month rows of one year, not the year's row
    whole, edges = counters.months(D(2025, 12, 15), D(2027, 2, 14))
    assert edges == [(D(2025, 12, 15), D(2025, 12, 31)), (D(2027, 2, 1), D(2027, 2, 14))]
    assert "'y'" in str(whole) and str(whole).count("span") == 2  # 2026's row, January 2027
    inside = (D(2026, 3, 3), D(2026, 3, 20))
    assert counters.months(*inside) == (None, [inside])


@pytest.mark.audit_guard_off  # synth writes in bulk, without events
def test_a_moved_office_takes_its_casework_to_its_new_ancestors(loaded: Any) -> None:
    from hoso.orgs import actions as orgs

    root = loaded
    office = orgs_of(root)[2]
    old, new = (
        Organization.objects.get_parent(office),
        Organization.objects.filter(depth=root.depth + 1).order_by("-path").first(),
    )
    assert new is not None and not office.path.startswith(new.path)
    admin = make_user("c_admin", root, Role.ADMIN, Clearance.TOP_SECRET)
    head = make_user("c_head", root, Role.HEAD, Clearance.TOP_SECRET)
    period = parse("2026-9m")
    indicator = indicators.REGISTRY["cases.open"]
    before = {o.pk: compute.compute(head, indicator, o, period).total for o in (old, new)}
    moving = compute.compute(head, indicator, office, period).total
    assert moving > 0
    orgs.move_organization(admin, office, new, reason="Sáp nhập")
    old.refresh_from_db()
    new.refresh_from_db()
    after = {o.pk: compute.compute(head, indicator, o, period).total for o in (old, new)}
    assert after == {old.pk: before[old.pk] - moving, new.pk: before[new.pk] + moving}
    for org in (old, new):
        figure = compute.compute(head, indicator, org, period, parts=True)
        assert described(figure) == described(from_records(head, "cases.open", org, period))
