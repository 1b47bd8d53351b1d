"""Insider flags (issue 14, item 5): facts found in the audit trail, for auditors only."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hoso.audit import events
from hoso.audit.models import AuditEvent
from hoso.people.models import Member, MemberStatus, Person
from hoso.trail import flags
from hoso.trail.models import Flag, FlagScan, Rule
from hoso.workcal.models import SpecialDay
from tests.conftest import Personas, World, client_for, make_user, record_event
from tests.vetting.office import Office, open_case


def _members(world: World, n: int) -> list[Member]:
    found = []
    for i in range(n):
        person = Person.objects.create(family_name="Lê", middle_name="Văn", given_name=f"An{i}")
        found.append(
            Member.objects.create(
                person=person, organization=world.cell_a, status=MemberStatus.OFFICIAL
            )
        )
    return found


def _open_dossiers(user: Any, members: list[Member]) -> list[int]:
    """Opens each member's page as `user` (the real page); the ids of the read events."""
    client = client_for(user)
    first = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    for member in members:
        assert client.get(reverse("member-detail", args=[member.pk])).status_code == 200
    return list(
        AuditEvent.objects.filter(id__gt=first, event_type=events.MEMBER_VIEWED.code)
        .order_by("id")
        .values_list("id", flat=True)
    )


def _scan() -> str:
    out = io.StringIO()
    call_command("audit", "flags", stdout=out)
    return out.getvalue()


def _working_today(hours: tuple[str, str], settings: Any) -> None:
    """Today is a working day (a substituted one if it falls on a weekend), with these hours,
    and one read out of hours is a flag."""
    today = timezone.localdate()
    SpecialDay.objects.create(date=today, kind=SpecialDay.Kind.WORKING, name="làm bù")
    settings.FLAG_WORK_START = dt.time.fromisoformat(hours[0])
    settings.FLAG_WORK_END = dt.time.fromisoformat(hours[1])
    settings.FLAG_AFTER_HOURS_READS = 1


# ---- bulk viewing --------------------------------------------------------------------------


def test_a_scripted_bulk_read_raises_one_flag_with_its_events(
    world: World, personas: Personas
) -> None:
    viewed = _open_dossiers(personas.officer_a, _members(world, 60))
    assert len(viewed) == 60
    assert "1 raised" in _scan()
    flag = Flag.objects.get()
    assert flag.rule == Rule.BULK_VIEWING and flag.actor == personas.officer_a
    assert flag.count == 60 and flag.threshold == 50
    assert sorted(flag.events.values_list("id", flat=True)) == viewed
    assert flag.detail == {"minutes": 10, "records": 60}
    assert flag.organization == world.cell_a  # every event is filed under the cell
    raised = AuditEvent.objects.get(event_type=events.FLAG_RAISED.code)
    assert raised.object_id == str(flag.pk) and raised.organization == world.cell_a
    assert raised.details["account"] == "officer_dua" and raised.details["count"] == 60


def test_below_the_threshold_no_flag(world: World, personas: Personas) -> None:
    _open_dossiers(personas.officer_a, _members(world, 49))
    _scan()
    assert not Flag.objects.exists()


def test_scanning_twice_raises_nothing_more(world: World, personas: Personas) -> None:
    _open_dossiers(personas.officer_a, _members(world, 55))
    _scan()
    before = AuditEvent.objects.count()
    assert "0 raised, 0 extended" in _scan()
    assert Flag.objects.count() == 1 and AuditEvent.objects.count() == before
    # Even with the cursor put back, the same events make no second flag.
    FlagScan.objects.update(last_event_id=0)
    _scan()
    assert Flag.objects.count() == 1 and AuditEvent.objects.count() == before


def test_a_burst_cut_by_a_scan_is_one_flag_extended(world: World, personas: Personas) -> None:
    members = _members(world, 70)
    first = _open_dossiers(personas.officer_a, members[:52])
    _scan()
    more = _open_dossiers(personas.officer_a, members[52:])
    assert "1 extended" in _scan()
    flag = Flag.objects.get()
    assert flag.count == 70
    assert sorted(flag.events.values_list("id", flat=True)) == first + more
    assert AuditEvent.objects.filter(event_type=events.FLAG_EXTENDED.code).count() == 1


def test_bursts_merge_overlapping_windows_only() -> None:
    start = timezone.now()

    def ev(i: int, minute: float) -> flags.Ev:
        at = start + dt.timedelta(minutes=minute)
        return flags.Ev(i, 1, "u", at, "member.viewed", None, "people.member", str(i), {})

    rows = [ev(i, i * 0.1) for i in range(5)] + [ev(10 + i, 30 + i * 0.1) for i in range(5)]
    runs = flags.bursts(rows, 5, 10)
    assert [[e.id for e in run] for run in runs] == [[0, 1, 2, 3, 4], [10, 11, 12, 13, 14]]
    assert flags.bursts(rows, 6, 10) == []
    assert len(flags.bursts(rows, 6, 31)) == 1  # one window of 31 minutes holds them all


# ---- after hours ---------------------------------------------------------------------------


def test_reads_after_hours_are_one_flag_per_day(
    world: World, personas: Personas, settings: Any
) -> None:
    now = timezone.localtime()
    # Working hours that ended before now (or, just after midnight, begin after now).
    hours = ("00:00", f"{now.hour:02d}:00") if now.hour >= 1 else ("23:00", "23:59")
    _working_today(hours, settings)
    members = _members(world, 3)
    viewed = _open_dossiers(personas.officer_a, members[:2])
    _scan()
    viewed += _open_dossiers(personas.officer_a, members[2:])
    _scan()
    flag = Flag.objects.get(rule=Rule.AFTER_HOURS)
    assert sorted(flag.events.values_list("id", flat=True)) == viewed
    assert flag.count == 3 and flag.threshold == 1
    assert flag.detail["day"] == now.date().isoformat() and flag.detail["working_day"]
    assert flag.key == f"{personas.officer_a.pk}:{now.date().isoformat()}"


def test_reads_in_working_hours_raise_nothing(
    world: World, personas: Personas, settings: Any
) -> None:
    _working_today(("00:00", "23:59"), settings)
    settings.FLAG_WORK_END = dt.time.max
    _open_dossiers(personas.officer_a, _members(world, 2))
    _scan()
    assert not Flag.objects.filter(rule=Rule.AFTER_HOURS).exists()


def test_a_holiday_is_out_of_hours_all_day(world: World, personas: Personas, settings: Any) -> None:
    SpecialDay.objects.create(
        date=timezone.localdate(), kind=SpecialDay.Kind.HOLIDAY, name="Quốc khánh"
    )
    settings.FLAG_WORK_START, settings.FLAG_WORK_END = dt.time.min, dt.time.max
    settings.FLAG_AFTER_HOURS_READS = 2
    _open_dossiers(personas.officer_a, _members(world, 2))
    _scan()
    flag = Flag.objects.get(rule=Rule.AFTER_HOURS)
    assert flag.count == 2 and flag.detail["working_day"] is False


# ---- failed searches and large exports ----------------------------------------------------


def test_many_searches_that_found_nothing(world: World, personas: Personas, settings: Any) -> None:
    settings.FLAG_FAILED_SEARCHES = 5
    _members(world, 1)
    client = client_for(personas.officer_a)
    for name in ("nguyễn", "trần", "phạm", "hoàng", "huỳnh"):
        assert client.get(reverse("api-member-list"), {"search": name}).json()["results"] == []
    client.get(reverse("api-member-list"))  # a list with no filter is not a search
    client.get(reverse("api-member-list"), {"search": "lê"})  # found one
    _scan()
    flag = Flag.objects.get()
    assert flag.rule == Rule.FAILED_SEARCHES and flag.count == 5 and flag.threshold == 5
    searched = [e.details for e in flag.events.order_by("id")]
    assert [d["search"] for d in searched] == ["nguyễn", "trần", "phạm", "hoàng", "huỳnh"]
    assert all(d["rows"] == 0 and d["list"] == "members" for d in searched)


def test_a_large_export_is_a_flag_of_its_event(world: World, office: Office, settings: Any) -> None:
    settings.FLAG_EXPORT_ROWS = 2
    open_case(office, world)
    open_case(office, world)
    client_for(office.officer).get(reverse("case-list"), {"format": "xlsx"})
    _scan()
    flag = Flag.objects.get()
    exported = AuditEvent.objects.get(event_type=events.LIST_EXPORTED.code)
    assert flag.rule == Rule.LARGE_EXPORT and list(flag.events.all()) == [exported]
    assert flag.detail == {"rows": 2, "list": "ho-so-tham-tra"} and flag.key == str(exported.pk)
    assert flag.count == 1 and flag.threshold == 2
    assert "2" in flag.fact() and "ho-so-tham-tra" in flag.fact()


def test_an_export_below_the_threshold_is_no_flag(
    world: World, office: Office, settings: Any
) -> None:
    settings.FLAG_EXPORT_ROWS = 3
    open_case(office, world)
    open_case(office, world)
    client_for(office.officer).get(reverse("case-list"), {"format": "xlsx"})
    _scan()
    assert not Flag.objects.exists()


# ---- who sees them -------------------------------------------------------------------------


def _bulk_flag(world: World, personas: Personas, settings: Any) -> Flag:
    settings.FLAG_BULK_VIEWS = 3
    _open_dossiers(personas.officer_a, _members(world, 3))
    _scan()
    return Flag.objects.get()


def test_auditors_in_scope_see_the_flag_and_its_events(
    world: World, personas: Personas, settings: Any
) -> None:
    flag = _bulk_flag(world, personas, settings)
    for auditor in (personas.auditor_p, personas.auditor_a):
        client = client_for(auditor)
        listed = client.get(reverse("audit-flags")).content.decode()
        assert reverse("audit-flag", args=[flag.pk]) in listed
        page = client.get(reverse("audit-flag", args=[flag.pk]))
        assert page.status_code == 200
        body = page.content.decode()
        for event in flag.events.all():
            assert f"object_id={event.object_id}" in body
    viewed = AuditEvent.objects.filter(event_type=events.FLAG_VIEWED.code)
    assert viewed.count() == 2 and viewed.first().object_id == str(flag.pk)  # type: ignore[union-attr]
    assert AuditEvent.objects.filter(event_type=events.FLAGS_VIEWED.code).count() == 2


def test_others_get_404_and_see_no_flag(world: World, personas: Personas, settings: Any) -> None:
    flag = _bulk_flag(world, personas, settings)
    auditor_b = make_user("auditor_zzb", world.commune_b, "auditor")
    client = client_for(auditor_b)
    assert client.get(reverse("audit-flag", args=[flag.pk])).status_code == 404
    assert (
        reverse("audit-flag", args=[flag.pk])
        not in client.get(reverse("audit-flags")).content.decode()
    )
    for user in (personas.officer_a, personas.head_p, personas.admin_root, personas.clerk_a):
        client = client_for(user)
        assert client.get(reverse("audit-flags")).status_code == 404
        assert client.get(reverse("audit-flag", args=[flag.pk])).status_code == 404


def test_a_flag_across_two_communes_is_seen_from_above_both(
    world: World, personas: Personas, settings: Any
) -> None:
    settings.FLAG_EXPORT_ROWS = 1
    for org in (world.commune_a, world.commune_b):
        record_event(
            events.LIST_EXPORTED.code, actor=personas.head_p, organization=org,
            details={"list": "x", "rows": 5},
        )  # fmt: skip
    settings.FLAG_EXPORT_ROWS = 10**6
    settings.FLAG_BULK_VIEWS = 2
    for org in (world.commune_a, world.commune_b):
        record_event(events.MEMBER_VIEWED.code, actor=personas.head_p, organization=org)
    _scan()
    flag = Flag.objects.get(rule=Rule.BULK_VIEWING)
    assert flag.organization == world.province
    assert Flag.objects.visible_to(personas.auditor_a).count() == 0
    assert list(Flag.objects.visible_to(personas.auditor_p)) == [flag]


# ---- retention -----------------------------------------------------------------------------


def test_purge_deletes_old_flags_and_says_how_many(
    world: World, personas: Personas, settings: Any
) -> None:
    flag = _bulk_flag(world, personas, settings)
    Flag.objects.filter(pk=flag.pk).update(created_at=timezone.now() - dt.timedelta(days=731))
    out = io.StringIO()
    call_command("audit", "flags", "--purge", stdout=out)
    assert "purged: 1" in out.getvalue() and not Flag.objects.exists()
    purged = AuditEvent.objects.get(event_type=events.FLAGS_PURGED.code)
    assert purged.details["deleted"] == 1 and purged.details["days"] == 730
    assert AuditEvent.objects.filter(event_type=events.MEMBER_VIEWED.code).count() == 3


def test_the_worker_scans_and_purges_only_what_is_due(
    world: World, personas: Personas, settings: Any
) -> None:
    settings.FLAG_BULK_VIEWS = 3
    _open_dossiers(personas.officer_a, _members(world, 3))
    call_command("worker", "--once", stdout=io.StringIO())
    assert Flag.objects.count() == 1
    assert not AuditEvent.objects.filter(event_type=events.FLAGS_PURGED.code).exists()


# ---- what a flag is not ------------------------------------------------------------------


WORDS = ("score", "rank", "risk", "rating", "total", "weight", "sum")


def test_no_field_resembles_a_score_or_a_ranking() -> None:
    names = [f.name for f in Flag._meta.get_fields()]
    assert not [n for n in names for w in WORDS if w in n.lower()]
    assert Flag._meta.ordering == ["-id"]


def test_the_page_lists_newest_first_never_by_size(
    world: World, personas: Personas, settings: Any
) -> None:
    settings.FLAG_BULK_VIEWS = 2
    _open_dossiers(personas.officer_a, _members(world, 5))  # the bigger flag, raised first
    _scan()
    _open_dossiers(personas.clerk_a, _members(world, 2))
    _scan()
    older, newer = Flag.objects.order_by("id")
    assert older.count > newer.count
    settings.LANGUAGE_CODE = "en"
    body = client_for(personas.auditor_p).get(reverse("audit-flags")).content.decode()
    assert body.index(f'href="{reverse("audit-flag", args=[newer.pk])}"') < body.index(
        f'href="{reverse("audit-flag", args=[older.pk])}"'
    )
    headers = re.findall(r"<th>(.*?)</th>", body)
    assert headers and not [h for h in headers for w in WORDS if w in h.lower()]
    assert "?order" not in body and "sort=" not in body


def test_the_record_openings_bulk_viewing_counts() -> None:
    assert flags.record_reads() == {
        "member.viewed", "person.viewed", "case.viewed", "help.viewed", "request.viewed",
        "petition.viewed", "trip.viewed", "stay.viewed", "relation.viewed",
        "dossier.scan_opened", "case.file_opened",
    } | {code for code in ("cadre.viewed", "plan.viewed") if code in events.REGISTRY}  # fmt: skip
