"""The member stock figures served by people's exact aggregates equal, number for number, the
grouped queries over the member records they replace: totals, categories with their labels and
order, and the breakdown by the organizations directly below (with the members kept at the
organization itself) — on a population of known counts and after each kind of change."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoso.lib.periods import Period, parse
from hoso.orgs import actions as orgs
from hoso.orgs.models import Organization
from hoso.people import actions
from hoso.people.models import TransferKind
from hoso.people.transitions import Move
from hoso.reports import compute, indicators, reads
from tests.conftest import Personas, World
from tests.people.population import Population, populate
from tests.people.test_import import row, xlsx

D = dt.date
STOCKS = (
    "members.status",
    "members.sex",
    "members.age",
    "members.ethnicity",
    "members.religion",
    "members.education",
)
PERIODS = (parse("2026"), parse("2031-q1"))  # the bands move with the period's year


@pytest.fixture
def people(world: World, personas: Personas) -> Population:
    return populate(world, personas)


def described(figure: compute.Figure) -> tuple[Any, ...]:
    categories = [(c.value, str(c.label), c.n) for c in figure.categories]
    parts = [(p.org.code if p.org else None, p.n, p.by) for p in figure.parts or []]
    return figure.total, categories, parts


def grouped(user: Any, code: str, org: Organization, period: Period) -> compute.Figure:
    """The figure as the grouped query over the member records computes it."""
    plain = dataclasses.replace(indicators.REGISTRY[code], aggregate=None)
    return compute.compute(user, plain, org, period, parts=True)


def assert_same_figures(user: Any, *, seen: int = 1) -> None:
    """Every stock, every organization the user may ask for, both periods."""
    checked = 0
    for org in Organization.objects.all():
        for code in STOCKS:
            indicator = indicators.REGISTRY[code]
            if not compute.may_see(user, indicator, org):
                continue
            for period in PERIODS:
                served = compute.compute(user, indicator, org, period, parts=True)
                assert described(served) == described(grouped(user, code, org, period)), (
                    code,
                    org.code,
                    period.key,
                )
                checked += 1
    assert checked >= seen


def test_known_figures_and_the_same_as_the_grouped_queries(
    people: Population, world: World, personas: Personas
) -> None:
    head = people.head
    figure = compute.compute(head, indicators.REGISTRY["members.age"], world.province, PERIODS[0])
    bands = {c.value: c.n for c in figure.categories}
    # 1995 -> 31-40, 1980 -> 41-50, 1970 -> 51-60, 1960 and 1955 -> over 60, one unknown.
    assert bands == {"30": 0, "31-40": 1, "41-50": 1, "51-60": 1, "61": 2, "": 1}
    assert figure.total == 6
    with_parts = compute.compute(
        head, indicators.REGISTRY["members.sex"], world.commune_a, PERIODS[0], parts=True
    )
    parts = [(p.org.code if p.org else None, p.n, p.by) for p in with_parts.parts or []]
    assert parts == [
        (None, 1, {"M": 1}),
        ("CBA1", 2, {"M": 1, "F": 1}),
        ("CBA2", 2, {"F": 1, "M": 1}),
    ]
    assert_same_figures(head, seen=72)  # 6 organizations x 6 stocks x 2 periods
    assert_same_figures(personas.officer_a)  # commune A's officer: served below it only


def test_the_figures_read_no_member_record(people: Population, world: World) -> None:
    """Served by the counters: no statement reads people_member, whatever the members."""
    period = PERIODS[0]
    chosen = [indicators.REGISTRY[code] for code in STOCKS]
    with CaptureQueriesContext(connection) as queries:
        figures = reads.figures(people.head, world.province, period, chosen, parts=True)
    assert [f.total for f in figures] == [8, 6, 6, 6, 6, 6]
    read = [q["sql"] for q in queries if '"people_member"' in q["sql"]]
    assert read == []
    # The drill-down still lists the records, through the viewer's scope.
    count, rows = reads.drill(
        people.head, indicators.REGISTRY["members.sex"], world.commune_a, period, value="F"
    )
    assert count == 2 and {m.pk for m in rows} == {people.a2.pk, people.a4.pk}


def test_the_same_after_each_kind_of_change(
    people: Population, world: World, personas: Personas
) -> None:
    head = people.head
    actions.members.record_move(
        head, people.a3, Move.ADMIT, date=D(2026, 1, 5), decision_number="1"
    )
    actions.members.record_move(head, people.a1, Move.DIE, date=D(2026, 2, 1))
    assert_same_figures(head)
    transfer = actions.members.introduce_transfer(
        head,
        people.a2,
        kind=TransferKind.OFFICIAL,
        letter_number="5-GGT",
        introduced_on=D(2026, 3, 1),
        to_org=world.cell_b,
    )
    actions.members.accept_transfer(head, transfer, received_on=D(2026, 3, 5))
    assert_same_figures(head)
    actions.dossier.correct(
        head,
        people.a6.person,
        {"sex": "F", "birth_date": D(2000, 1, 1), "ethnicity": "Khmer", "education": ""},
        approval="QĐ 9",
        reason="Sai khi nhập",
    )
    assert_same_figures(head)
    orgs.move_organization(head, people.cell_a2, world.commune_b, reason="Sáp nhập")
    assert_same_figures(head)
    report = actions.imports.import_file(
        xlsx(
            row(),
            row(
                **{
                    "Tên": "Lan",
                    "Số CCCD": "001175000002",
                    "Trạng thái": "Dự bị",
                    "Ngày vào Đảng": "19/05/2026",
                    "Ngày chính thức": "",
                }
            ),
        ),
        world.commune_a,
        personas.clerk_a,
        "ds.xlsx",
    )
    assert report.imported == 2
    assert_same_figures(head)
    assert_same_figures(personas.officer_b)


def test_a_closed_cell_with_former_members_still_shows(people: Population, world: World) -> None:
    """A closed unit is listed below its parent while it still counts records (here, the
    deceased): as the grouped query lists it."""
    head = people.head
    actions.members.record_move(head, people.b1, Move.DIE, date=D(2026, 2, 1))
    orgs.close_organization(head, world.cell_b, closed_on=D(2026, 3, 1), reason="Giải thể")
    figure = compute.compute(
        head, indicators.REGISTRY["members.status"], world.commune_b, PERIODS[0], parts=True
    )
    assert [(p.org.code if p.org else None, p.n) for p in figure.parts or []] == [("ZZB1", 2)]
    sexes = compute.compute(
        head, indicators.REGISTRY["members.sex"], world.commune_b, PERIODS[0], parts=True
    )
    assert sexes.total == 0 and sexes.parts == []
    assert_same_figures(head)
