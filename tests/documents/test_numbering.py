from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection

from hoso.access.policy import Denied
from hoso.audit.chain import verify
from hoso.documents import actions
from hoso.documents.models import DocumentKind, OutgoingDocument
from hoso.orgs import actions as orgs_actions
from hoso.orgs.forms import RenameForm
from hoso.orgs.models import Term
from tests.conftest import Personas, World

D = dt.date


@pytest.fixture
def terms(world: World) -> tuple[Term, Term]:
    old = Term.objects.create(
        organization=world.commune_a,
        name="2020-2025",
        starts_on=D(2020, 10, 1),
        ends_on=D(2025, 9, 30),
    )
    new = Term.objects.create(
        organization=world.commune_a, name="2025-2030", starts_on=D(2025, 10, 1)
    )
    return old, new


def kind(code: str) -> DocumentKind:
    return DocumentKind.objects.get(code=code)


def test_numbers_restart_per_term_and_type(
    world: World, personas: Personas, terms: tuple[Term, Term]
) -> None:
    clerk = personas.clerk_a
    a = actions.numbering.allocate(
        clerk, world.commune_a, kind("KH"), issued_on=D(2025, 9, 1), summary="Kế hoạch rà soát"
    )
    b = actions.numbering.allocate(
        clerk, world.commune_a, kind("KH"), issued_on=D(2025, 9, 2), summary="Kế hoạch 2"
    )
    c = actions.numbering.allocate(
        clerk,
        world.commune_a,
        kind("KH"),
        issued_on=D(2025, 10, 2),
        summary="Kế hoạch nhiệm kỳ mới",
    )
    d = actions.numbering.allocate(
        clerk, world.commune_a, kind("BC"), issued_on=D(2025, 10, 2), summary="Báo cáo"
    )
    assert [x.reference for x in (a, b, c, d)] == [
        "01-KH/ĐU",
        "02-KH/ĐU",
        "01-KH/ĐU",
        "01-BC/ĐU",
    ]
    assert (a.term, c.term) == terms
    # A cell without a term of its own uses its commune's.
    e = actions.numbering.allocate(
        clerk, world.cell_a, kind("TB"), issued_on=D(2026, 1, 5), summary="Thông báo"
    )
    assert e.reference == "01-TB/CB" and e.term == terms[1]
    assert verify()[1] is None


def test_secret_documents_share_the_sequence_and_need_clearance(
    world: World, personas: Personas, terms: tuple[Term, Term]
) -> None:
    plain = actions.numbering.allocate(
        personas.clerk_a,
        world.commune_a,
        kind("CV"),
        issued_on=D(2026, 2, 2),
        summary="Công văn thường",
    )
    secret = actions.numbering.allocate(
        personas.clerk_a,
        world.commune_a,
        kind("CV"),
        issued_on=D(2026, 2, 2),
        summary="Công văn mật",
        classification=1,
    )
    assert (plain.number, secret.number) == (1, 2)
    with pytest.raises(Denied):  # the clerk holds Mật, not Tối mật
        actions.numbering.allocate(
            personas.clerk_a,
            world.commune_a,
            kind("CV"),
            issued_on=D(2026, 2, 2),
            summary="x",
            classification=2,
        )
    assert OutgoingDocument.objects.count() == 2


def test_cancelled_numbers_are_kept_not_reused(
    world: World, personas: Personas, terms: tuple[Term, Term]
) -> None:
    first = actions.numbering.allocate(
        personas.clerk_a, world.commune_a, kind("QĐ"), issued_on=D(2026, 3, 1), summary="QĐ 1"
    )
    with pytest.raises(actions.numbering.NumberingError):
        actions.numbering.cancel(personas.clerk_a, first, reason=" ")
    actions.numbering.cancel(personas.clerk_a, first, reason="Ký nhầm")
    second = actions.numbering.allocate(
        personas.clerk_a, world.commune_a, kind("QĐ"), issued_on=D(2026, 3, 1), summary="QĐ 2"
    )
    assert second.number == 2
    first.refresh_from_db()
    assert first.cancelled and first.cancel_reason == "Ký nhầm"


def test_no_term_no_number(world: World, personas: Personas) -> None:
    with pytest.raises(actions.numbering.NumberingError):
        actions.numbering.allocate(
            personas.clerk_a, world.commune_a, kind("KH"), issued_on=D(2026, 1, 1), summary="x"
        )


def test_incoming_arrival_numbers_per_year(world: World, personas: Personas) -> None:
    one = actions.numbering.register_incoming(
        personas.clerk_a,
        world.commune_a,
        received_on=D(2025, 12, 30),
        sender="Công an tỉnh",
        sender_reference="12/CAT-PV01",
        summary="Trả lời xác minh",
    )
    two = actions.numbering.register_incoming(
        personas.clerk_a,
        world.commune_a,
        received_on=D(2026, 1, 2),
        sender="Tỉnh ủy",
        sender_reference="5-CV/TU",
        summary="Công văn",
    )
    assert (one.arrival_number, one.year, two.arrival_number, two.year) == (1, 2025, 1, 2026)


@pytest.mark.django_db(transaction=True)
def test_parallel_allocation_never_duplicates_or_skips(
    transactional_db: Any, world: World, personas: Personas
) -> None:
    Term.objects.create(organization=world.commune_a, name="2025-2030", starts_on=D(2025, 10, 1))
    # Seeded rows are gone after an earlier transactional test's flush: make sure of ours.
    kh, _ = DocumentKind.objects.get_or_create(code="KH", defaults={"name": "Kế hoạch"})
    errors: list[BaseException] = []

    def issue() -> None:
        try:
            for _ in range(10):
                actions.numbering.allocate(
                    personas.clerk_a,
                    world.commune_a,
                    kh,
                    issued_on=D(2026, 4, 1),
                    summary="song song",
                )
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    numbers = sorted(OutgoingDocument.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 61))
    assert verify()[1] is None


def test_the_number_carries_the_issuers_abbreviation_not_hosos_code(
    world: World, personas: Personas, terms: tuple[Term, Term]
) -> None:
    """Issue 16, defect 5: "06-PYC/SYN1-P01-U002" printed hoso's internal code. An issuer's
    abbreviation on documents is used when recorded, its level's usual sign otherwise; numbers
    already issued keep theirs."""
    clerk = personas.clerk_a
    first = actions.numbering.allocate(
        clerk, world.commune_a, kind("KH"), issued_on=D(2026, 3, 2), summary="Kế hoạch"
    )
    orgs_actions.rename_organization(
        personas.head_p,
        world.commune_a,
        name=world.commune_a.name,
        short_name="",
        abbreviation="ĐUPA",
        reason="Quy định ký hiệu văn bản",
    )
    world.commune_a.refresh_from_db()
    second = actions.numbering.allocate(
        clerk, world.commune_a, kind("KH"), issued_on=D(2026, 3, 3), summary="Kế hoạch 2"
    )
    first.refresh_from_db()
    assert (first.reference, second.reference) == ("01-KH/ĐU", "02-KH/ĐUPA")


def test_an_abbreviation_is_capitals_without_spaces(world: World, personas: Personas) -> None:
    form = RenameForm({"name": "Đảng ủy xã A", "abbreviation": "btc tu", "reason": "x"})
    assert not form.is_valid() and "abbreviation" in form.errors
    form = RenameForm({"name": "Đảng ủy xã A", "abbreviation": "đu-pa", "reason": "x"})
    assert form.is_valid() and form.cleaned_data["abbreviation"] == "ĐU-PA"
