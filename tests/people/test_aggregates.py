"""The exact member aggregates: counts known by construction, kept in the transaction of every
kind of change, rebuilt and verified by command, and concurrent writers that never deadlock."""

from __future__ import annotations

import datetime as dt
import io
import threading
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from hoso.audit.models import AuditEvent
from hoso.orgs import actions as orgs
from hoso.orgs.models import Organization
from hoso.people import actions, aggregates, reconcile
from hoso.people.models import ACTIVE_STATUSES, Dimension, MemberCount, MemberStatus, TransferKind
from hoso.people.models.counts import IN_PARTY
from hoso.people.transitions import Move
from tests.conftest import Personas, World
from tests.people.population import Population, populate, register
from tests.people.test_import import row, xlsx

D = dt.date
S = MemberStatus


@pytest.fixture
def people(world: World, personas: Personas) -> Population:
    return populate(world, personas)


def of(org: Any, dimension: str) -> dict[str, int]:
    org.refresh_from_db()
    return aggregates.counts(org, dimension)


def exact() -> bool:
    compared, found = aggregates.differences()
    assert compared > 0
    assert found == [], found
    return True


def test_in_party_is_the_members_active_statuses() -> None:
    assert frozenset(ACTIVE_STATUSES) == IN_PARTY


def test_counts_known_by_construction(people: Population, world: World) -> None:
    assert of(world.root, Dimension.STATUS) == {
        "official": 4,
        "probationary": 1,
        "candidate": 1,
        "suspended": 1,
        "deceased": 1,
    }
    assert of(world.commune_a, Dimension.SEX) == {"M": 3, "F": 2}  # A3 is no member yet
    assert of(world.commune_a, Dimension.BIRTH_YEAR) == {
        "1980": 1,
        "1995": 1,
        "1960": 1,
        "": 1,
        "1955": 1,
    }
    assert of(world.cell_a, Dimension.ETHNICITY) == {"Kinh": 1, "Tày": 1}
    assert of(people.cell_a2, Dimension.RELIGION) == {"": 1, "Không": 1}
    assert of(world.province, Dimension.EDUCATION) == {"12/12": 4, "9/12": 1, "": 1}
    assert of(world.commune_b, Dimension.SEX) == {"M": 1}  # B2 deceased
    assert aggregates.in_party(world.province) == 6
    assert exact()


def test_an_event_moves_the_counts(people: Population, world: World) -> None:
    head = people.head
    actions.members.record_move(
        head, people.a3, Move.ADMIT, date=D(2026, 1, 5), decision_number="1"
    )
    assert of(world.commune_a, Dimension.SEX) == {"M": 3, "F": 3}
    actions.members.record_move(head, people.a1, Move.DIE, date=D(2026, 2, 1))
    assert of(world.cell_a, Dimension.STATUS) == {"probationary": 2, "deceased": 1}
    assert of(world.root, Dimension.BIRTH_YEAR).get("1980") is None
    actions.members.record_move(
        head, people.a4, Move.EXEMPT, date=D(2026, 2, 2), decision_number="2"
    )
    assert of(world.root, Dimension.STATUS)["exempted"] == 1
    assert of(world.root, Dimension.SEX) == {"M": 3, "F": 3}  # exempted: still in the Party
    assert exact()


def test_a_transfer_moves_the_member_between_subtrees(people: Population, world: World) -> None:
    head = people.head
    transfer = actions.members.introduce_transfer(
        head,
        people.a2,
        kind=TransferKind.OFFICIAL,
        letter_number="5-GGT",
        introduced_on=D(2026, 3, 1),
        to_org=world.cell_b,
    )
    assert of(world.commune_b, Dimension.SEX) == {"M": 1}  # not before it is accepted
    actions.members.accept_transfer(head, transfer, received_on=D(2026, 3, 5))
    assert of(world.commune_b, Dimension.SEX) == {"M": 1, "F": 1}
    assert of(world.commune_a, Dimension.ETHNICITY) == {"Kinh": 3, "Hoa": 1}
    assert of(world.province, Dimension.ETHNICITY) == {"Kinh": 4, "Tày": 1, "Hoa": 1}
    # Out of hoso: the record stays, transferred out, and leaves the Party's counts here.
    actions.members.introduce_transfer(
        head,
        people.b1,
        kind=TransferKind.OFFICIAL,
        letter_number="6-GGT",
        introduced_on=D(2026, 3, 6),
        to_text="Tỉnh ủy Lào Cai",
    )
    assert of(world.cell_b, Dimension.STATUS) == {
        "probationary": 1,
        "transferred_out": 1,
        "deceased": 1,
    }
    assert exact()


def test_a_person_edit_moves_the_counts(people: Population, world: World) -> None:
    actions.dossier.correct(
        people.head,
        people.a1.person,
        {"sex": "F", "birth_date": D(1981, 2, 3), "religion": "Công giáo", "education": "10/10"},
        approval="Quyết định 3-QĐ",
        reason="Sai khi nhập",
    )
    assert of(world.cell_a, Dimension.SEX) == {"F": 2}
    assert of(world.root, Dimension.BIRTH_YEAR)["1981"] == 1
    assert "1980" not in of(world.root, Dimension.BIRTH_YEAR)
    assert of(world.commune_a, Dimension.RELIGION) == {
        "Không": 2,
        "Phật giáo": 1,
        "": 1,
        "Công giáo": 1,
    }
    # The candidate's person is not counted by sex: an edit changes nothing there.
    actions.dossier.correct(
        people.head, people.a3.person, {"sex": "M"}, approval="QĐ 4", reason="Sai khi nhập"
    )
    assert of(world.cell_a, Dimension.SEX) == {"F": 2}
    assert exact()


def test_moving_an_organization_moves_its_subtree_counts(
    people: Population, world: World, personas: Personas
) -> None:
    # Cell A2 (A4, A5) goes from commune A to commune B: the province does not change.
    before = of(world.province, Dimension.STATUS)
    orgs.move_organization(people.head, people.cell_a2, world.commune_b, reason="Sáp nhập")
    assert of(world.commune_b, Dimension.STATUS) == {"official": 2, "suspended": 1, "deceased": 1}
    assert of(world.commune_a, Dimension.STATUS) == {
        "official": 2,
        "probationary": 1,
        "candidate": 1,
    }
    assert of(people.cell_a2, Dimension.SEX) == {"F": 1, "M": 1}  # its own rows unchanged
    assert of(world.province, Dimension.STATUS) == before
    assert exact()


def test_an_import_counts_its_rows(people: Population, world: World, personas: Personas) -> None:
    data = xlsx(
        row(),
        row(**{"Tên": "Lan", "Số CCCD": "001175000002", "Giới tính": "Nam", "Dân tộc": "Mường"}),
    )
    report = actions.imports.import_file(data, world.cell_a, personas.clerk_a, "ds.xlsx")
    assert report.imported == 2 and not report.errors
    assert of(world.cell_a, Dimension.ETHNICITY) == {"Kinh": 2, "Tày": 1, "Mường": 1}
    assert of(world.root, Dimension.BIRTH_YEAR)["1975"] == 2
    assert exact()


def test_a_refused_import_counts_nothing(
    people: Population, world: World, personas: Personas
) -> None:
    before = of(world.root, Dimension.STATUS)
    data = xlsx(row(), row(**{"Số CCCD": "001175000001"}))  # the same ID twice
    report = actions.imports.import_file(data, world.cell_a, personas.clerk_a, "ds.xlsx")
    assert report.errors and report.imported == 0
    assert of(world.root, Dimension.STATUS) == before
    assert exact()


def test_a_partial_save_counts_what_it_wrote(people: Population, world: World) -> None:
    """update_fields: what was changed in memory but not written is not counted."""
    person = people.a1.person
    person.ethnicity, person.sex = "Chăm", "F"
    person.save(update_fields=["sex"])  # the ethnicity stays as stored
    member = people.a2
    member.status, member.card_number = S.DECEASED, "0123"
    member.save(update_fields=["card_number"])  # the status stays as stored
    assert of(world.cell_a, Dimension.ETHNICITY) == {"Kinh": 1, "Tày": 1}
    assert of(world.cell_a, Dimension.SEX) == {"F": 2}
    assert of(world.cell_a, Dimension.STATUS)["probationary"] == 1
    assert exact()


def test_a_failed_change_leaves_the_counts(people: Population, world: World) -> None:
    before = of(world.root, Dimension.STATUS)
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.members.record_move(people.head, people.a1, Move.DIE, date=D(2026, 2, 1))
        raise RuntimeError("the transaction rolls back")
    assert of(world.root, Dimension.STATUS) == before


def test_the_reconciliation_reads_the_counts(people: Population, world: World) -> None:
    assert reconcile.count_at(world.commune_a, D(2099, 1, 1)) == 5
    assert reconcile.count_at(world.province, D(2099, 1, 1)) == 6


@pytest.mark.counts_stale  # the test damages the counts itself, then repairs them
def test_verify_names_each_difference_and_rebuild_repairs(people: Population, world: World) -> None:
    MemberCount.objects.filter(
        organization=world.commune_a, dimension=Dimension.SEX, value="M"
    ).update(n=7)
    MemberCount.objects.filter(organization=world.cell_b, dimension=Dimension.STATUS).delete()
    out = io.StringIO()
    with pytest.raises(CommandError, match="DIFFER from a recount: 3 rows"):
        call_command("aggregates", "verify", stdout=out)
    lines = out.getvalue().splitlines()
    assert "DUA sex='M': counted 3, stored 7" in lines
    assert "ZZB1 status='official': counted 1, stored 0" in lines
    event = AuditEvent.objects.filter(event_type="system.aggregates_verified").get()
    assert event.details["differences"] == 3
    call_command("aggregates", "rebuild", stdout=out)
    assert "member aggregates rebuilt" in out.getvalue()
    call_command("aggregates", "verify", stdout=out)
    assert "member aggregates exact" in out.getvalue()
    assert exact()


def test_synth_counts_its_members(db: Any) -> None:
    call_command("synth", members=120, seed=21, stdout=io.StringIO())
    assert exact()
    root = Organization.objects.get(code="SYN21")
    assert sum(aggregates.counts(root, Dimension.STATUS).values()) == 120


@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_never_deadlock_and_stay_exact(
    transactional_db: Any, world: World, personas: Personas
) -> None:
    """Officers change members of different cells at once, in opposite directions (one
    suspends while another reinstates, one edits a sex while another's member dies): every
    transaction touches the nation's rows; the lock order makes them wait, never deadlock."""
    head = personas.head_p
    members = [
        register(head, cell, f"T{i}", S.OFFICIAL if i % 2 else S.SUSPENDED, "MF"[i % 2], 1970 + i)
        for i, cell in enumerate([world.cell_a, world.cell_b] * 4)
    ]
    errors: list[BaseException] = []
    start = threading.Barrier(len(members))

    def officer_at_work(i: int, member: Any) -> None:
        try:
            start.wait()
            for round_ in range(3):
                member.refresh_from_db()
                if member.status == S.OFFICIAL:
                    actions.members.record_move(
                        head, member, Move.SUSPEND, date=D(2026, 1, 1), decision_number="1"
                    )
                else:
                    actions.members.record_move(
                        head, member, Move.REINSTATE, date=D(2026, 1, 2), decision_number="2"
                    )
                sex = "F" if (i + round_) % 2 else "M"
                person = member.person
                person.refresh_from_db()
                if person.sex != sex:
                    actions.dossier.correct(head, person, {"sex": sex}, approval="1", reason="r")
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=officer_at_work, args=p) for p in enumerate(members)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert exact()
    assert sum(of(world.root, Dimension.STATUS).values()) == len(members)
