"""The copies of the conclusions posts and list entries depend on follow what vetting
records (vetting.hooks.ON_CONCLUSION), with the types that serve each."""

from __future__ import annotations

from hoso.cadres.models import Cadre, Entry
from hoso.vetting import actions as vetting
from tests.cadres.helpers import cadre, concluded, entry, plan, post, rule, serves
from tests.conftest import World
from tests.vetting.office import D, Office


def test_a_conclusion_recorded_moves_the_copy(office: Office, world: World) -> None:
    record = cadre(office, world)
    post(office, record)
    assert Cadre.objects.get().conclusion_id is None
    version = Cadre.objects.get().alert_version
    conclusion = concluded(office, world, months=12)
    record = Cadre.objects.get()
    assert (record.conclusion_id, record.conclusion_until) == (conclusion.pk, serves(12))
    assert record.alert_version > version  # a claim on the old date is void
    corrected = vetting.cases.correct_conclusion(
        office.head,
        conclusion,
        reason="Sai số",
        outcome="DU",
        text="Đủ tiêu chuẩn chính trị.",
        number="16-KL/ĐU",
        signed_on=D(2026, 4, 21),
        signer="Nguyễn Văn An",
        authority="T/M",
    )
    record = Cadre.objects.get()
    assert record.conclusion_id == corrected.pk
    assert record.conclusion_until == D(2027, 4, 21)


def test_only_the_types_that_serve_count(office: Office, world: World) -> None:
    record = cadre(office, world)
    rule(post_case_types="UNG_CU_QH")
    listed = plan(office, world, case_types="")  # any type serves this list
    entry(office, listed)
    concluded(office, world, months=None)
    assert Cadre.objects.get(pk=record.pk).conclusion_id is None
    found = Entry.objects.get()
    assert found.conclusion_id is not None and found.conclusion_until is None  # without end


def test_an_entry_added_takes_the_conclusion_already_recorded(office: Office, world: World) -> None:
    conclusion = concluded(office, world, months=24)
    listed = plan(office, world)
    cadre(office, world)
    added = entry(office, listed)
    assert (added.conclusion_id, added.conclusion_until) == (conclusion.pk, serves(24))


def test_a_validity_recorded_later_moves_the_copy(office: Office, world: World) -> None:
    """Until when a conclusion serves may be stated again later (a validity record): the
    copies the reminders read follow it."""
    record = cadre(office, world)
    post(office, record)
    conclusion = concluded(office, world, months=12)
    vetting.cases.record_validity(
        office.head, conclusion, valid_until=D(2030, 10, 1), reason="Đến hết nhiệm kỳ",
        document="25-QĐ/ĐU ngày 02/05/2026",
    )  # fmt: skip
    assert Cadre.objects.get().conclusion_until == D(2030, 10, 1)
