"""Planning and candidacy lists: entries added and removed by decision (never deleted), the
conclusion in force for the list's purpose, the link that opens a case."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hoso.access.policy import Denied
from hoso.cadres import actions
from hoso.cadres.actions.records import CadreError
from hoso.cadres.models import Entry, ListKind
from hoso.people.models import Member, Person
from tests.cadres.helpers import cadre, concluded, entry, plan, serves
from tests.conftest import Personas, World, client_for
from tests.vetting.office import D, Office


def test_a_list_takes_the_kind_default_case_types(office: Office, world: World) -> None:
    from hoso.vetting.models import CaseType

    CaseType.objects.get_or_create(code="UNG_CU_HDND")
    listed = actions.plans.create_plan(
        office.head,
        world.commune_a,
        kind=ListKind.COUNCIL_COMMUNE,
        name="Danh sách ứng cử đại biểu HĐND xã",
        election_on=D(2026, 3, 15),
    )
    assert listed.type_codes == ["UNG_CU_HDND"]
    with pytest.raises(CadreError):  # a candidacy list is for an election
        actions.plans.create_plan(
            office.head, world.commune_a, kind=ListKind.NATIONAL_ASSEMBLY, name="Ứng cử"
        )
    with pytest.raises(CadreError):
        plan(office, world, case_types="KHONG_CO")


def test_entries_are_added_and_removed_by_decision(office: Office, world: World) -> None:
    listed = plan(office, world)
    with pytest.raises(CadreError):
        entry(office, listed, decision_number="")
    added = entry(office, listed)
    with pytest.raises(CadreError):  # once while current
        entry(office, listed)
    with pytest.raises(CadreError):
        actions.plans.remove_entry(
            office.officer, added, decision_number="130-QĐ/ĐU", decision_on=D(2026, 6, 1),
            reason=" ",
        )  # fmt: skip
    actions.plans.remove_entry(
        office.officer, added, decision_number="130-QĐ/ĐU", decision_on=D(2026, 6, 1),
        reason="Chuyển công tác",
    )  # fmt: skip
    again = entry(office, listed, decision_on=D(2026, 7, 1))  # may be added again later
    assert Entry.objects.count() == 2 and again.current
    assert Entry.objects.get(pk=added.pk).removed_reason == "Chuyển công tác"


def test_a_person_outside_the_scope_cannot_be_listed(
    office: Office, world: World, personas: Personas
) -> None:
    foreign = Person.objects.create(family_name="Đỗ", given_name="ZZB", sex="M")
    Member.objects.create(person=foreign, organization=world.cell_b, status="official")
    listed = plan(office, world)
    with pytest.raises(CadreError):
        entry(office, listed, person=foreign)
    with pytest.raises(Denied):
        actions.plans.add_entry(
            personas.officer_b, listed, foreign, decision_number="1", decision_on=D(2026, 5, 4)
        )


def _page(office: Office, listed: Any, **params: Any) -> Any:
    return client_for(office.officer).get(reverse("plan-detail", args=[listed.pk]), params)


def test_each_entry_shows_the_conclusion_in_force(office: Office, world: World) -> None:
    conclusion = concluded(office, world, months=12)
    listed = plan(office, world)
    entry(office, listed)
    response = _page(office, listed)
    assert response.status_code == 200
    (line,) = response.context["lines"]
    assert line["conclusion"].pk == conclusion.pk and line["shown"]
    assert line["until"] == serves(12)
    assert "15-KL/ĐU" in response.content.decode()
    link = urlparse(line["case_url"])
    assert link.path == reverse("case-new")
    assert parse_qs(link.query) == {
        "member": [str(office.member.pk)],
        "type": ["T_BO_NHIEM"],
        "purpose": [f"{listed.name}: Bí thư Đảng ủy xã"],
    }
    assert _page(office, listed, show="without").context["lines"] == []
    assert len(_page(office, listed, show="expiring", days=400).context["lines"]) == 1
    assert _page(office, listed, show="expiring", days=30).context["lines"] == []


def test_the_page_asks_once_for_all_conclusions(
    office: Office, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The conclusions of a page are one batch, not one query per entry."""
    from hoso.access import middleware

    monkeypatch.setattr(middleware, "current_minute", lambda: 1)  # no session save between
    listed = plan(office, world)
    client = client_for(office.officer)
    client.get(reverse("plan-detail", args=[listed.pk]))  # the session's first save

    def count() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(reverse("plan-detail", args=[listed.pk])).status_code == 200
        return len(seen.captured_queries)

    for n in range(2):
        person = Person.objects.create(family_name="Hà", given_name=f"Văn {n}", sex="M")
        Member.objects.create(person=person, organization=world.cell_a, status="official")
        entry(office, listed, person=person)
    few = count()
    for n in range(2, 8):
        person = Person.objects.create(family_name="Hà", given_name=f"Văn {n}", sex="M")
        Member.objects.create(person=person, organization=world.cell_a, status="official")
        entry(office, listed, person=person)
    assert count() == few


@pytest.mark.counts_stale  # the setup puts records in a state around the models
def test_a_conclusion_of_a_case_out_of_sight_shows_only_its_dates(
    office: Office, world: World, personas: Personas
) -> None:
    """The province's officer lists a commune member whose case is restricted to its team:
    that a conclusion serves, and until when, is shown; its number is not."""
    from hoso.vetting.models import Case

    concluded(office, world, months=12)
    Case.objects.update(restricted=True)
    listed = plan(office, world)
    entry(office, listed)
    from hoso.access.roles import Clearance, Role
    from tests.conftest import make_user

    outsider = make_user("officer_p", world.province, Role.OFFICER, Clearance.CONFIDENTIAL)
    response = client_for(outsider).get(reverse("plan-detail", args=[listed.pk]))
    (line,) = response.context["lines"]
    assert line["conclusion"] is not None and not line["shown"]
    assert "15-KL/ĐU" not in response.content.decode()


def test_the_list_export_is_audited(office: Office, world: World) -> None:
    from hoso.audit.models import AuditEvent
    from tests.conftest import xlsx_cells

    listed = plan(office, world)
    entry(office, listed)
    response = _page(office, listed, format="xlsx")
    rows = xlsx_cells(response.content)
    assert rows[1][0].value == office.member.person.display_name
    assert rows[1][7].value == "Chưa có kết luận còn giá trị"
    event = AuditEvent.objects.get(event_type="cadre.exported")
    assert event.details == {"list": f"danh-sach-{listed.pk}", "plan": listed.pk, "show": ""}


def test_adding_from_the_page(office: Office, world: World, personas: Personas) -> None:
    cadre(office, world)
    listed = plan(office, world)
    client = client_for(office.officer)
    url = reverse("entry-add", args=[listed.pk])
    found = client.get(url, {"q": "hoa"}).context["found"]
    assert [p.pk for p in found] == [office.member.person_id]
    response = client.post(
        f"{url}?person={office.member.person_id}",
        {"target_post": "Bí thư", "decision_number": "120-QĐ/ĐU", "decision_on": "2026-05-04"},
    )
    assert response.status_code == 302 and Entry.objects.count() == 1
    foreign = Person.objects.create(family_name="Đỗ", given_name="ZZB", sex="M")
    Member.objects.create(person=foreign, organization=world.cell_b, status="official")
    assert client.get(url, {"person": foreign.pk}).status_code == 404
    assert client.get(url, {"q": "zzb"}).context["found"] == []
