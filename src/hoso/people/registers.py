"""Registers generated from the recorded events, never typed twice.

- the member register (sổ danh sách đảng viên, 7-HSĐV): 14 columns, one row per member who
  belongs or belonged to the organization, in order of admission;
- the transfer register (sổ giới thiệu sinh hoạt đảng, 10-SHĐ);
- the register of deceased members.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from hoso.orgs.models import Organization
from hoso.people.models import EventKind, LeftForm, Member, MemberEvent, Transfer

MAX_ROWS = 10_000  # a register belongs to a base organization; larger scopes are refused


@dataclass(frozen=True)
class Register:
    code: str
    title: str
    columns: list[tuple[str, Callable[[Any], Any]]]


def _date(day: Any) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _event(row: dict[str, Any], kind: str) -> MemberEvent | None:
    return next((e for e in row["events"] if e.kind == kind), None)


def _event_text(row: dict[str, Any], kind: str, with_place: bool = True) -> str:
    event = _event(row, kind)
    if event is None:
        return ""
    extra = event.counterpart if with_place else event.detail
    if kind == EventKind.LEFT and event.detail in LeftForm.values:
        extra = str(LeftForm(event.detail).label)
    return f"{_date(event.date)} – {extra}" if extra else _date(event.date)


def _member_rows(org: Organization) -> QuerySet[Member]:
    local_events = MemberEvent.objects.filter(organization__path__startswith=org.path)
    return (
        Member.objects.filter(
            Q(org_path__startswith=org.path) | Q(events__organization__path__startswith=org.path)
        )
        .distinct()
        .select_related("person")
        .prefetch_related(Prefetch("events", queryset=local_events, to_attr="local_events"))
        .order_by("admitted_on", "id")
    )


def member_register(org: Organization) -> list[dict[str, Any]]:
    rows = []
    for number, member in enumerate(_member_rows(org)[: MAX_ROWS + 1], start=1):
        local: list[MemberEvent] = member.local_events  # type: ignore[attr-defined]
        rows.append({"no": number, "member": member, "person": member.person, "events": local})
    return rows


MEMBER_REGISTER = Register(
    "7-HSĐV",
    "Sổ danh sách đảng viên",
    [
        ("STT", lambda r: r["no"]),
        (
            "Họ và tên (tên khai sinh)",
            lambda r: (
                r["person"].display_name
                + (f" ({r['person'].birth_name})" if r["person"].birth_name else "")
            ),
        ),
        (
            "Giới tính, dân tộc, tôn giáo",
            lambda r: ", ".join(
                x
                for x in (
                    r["person"].get_sex_display(),
                    r["person"].ethnicity,
                    r["person"].religion,
                )
                if x
            ),
        ),
        ("Quê quán", lambda r: r["person"].home_town),
        (
            "Học vấn, lý luận, chuyên môn, ngoại ngữ",
            lambda r: "; ".join(
                x
                for x in (
                    r["person"].education,
                    r["person"].political_theory,
                    r["person"].profession,
                    r["person"].foreign_language,
                )
                if x
            ),
        ),
        (
            "Nghề nghiệp trước khi vào Đảng / hiện nay",
            lambda r: " / ".join(
                x for x in (r["person"].occupation_before, r["person"].occupation) if x
            ),
        ),
        (
            "Ngày vào Đảng / chính thức",
            lambda r: " / ".join(
                x for x in (_date(r["member"].admitted_on), _date(r["member"].official_on)) if x
            ),
        ),
        (
            "Số thẻ, số lý lịch, số huy hiệu",
            lambda r: ", ".join(
                x
                for x in (
                    r["member"].card_number,
                    r["member"].resume_number,
                    r["member"].badge_number,
                )
                if x
            ),
        ),
        (
            "Quân đội, công an, nghỉ hưu",
            lambda r: r["member"].get_service_display() if r["member"].service else "",
        ),
        ("Chuyển đi (ngày, nơi đến)", lambda r: _event_text(r, EventKind.TRANSFER_OUT)),
        ("Chuyển đến (ngày, nơi đi)", lambda r: _event_text(r, EventKind.TRANSFER_IN)),
        ("Từ trần (ngày, lý do)", lambda r: _event_text(r, EventKind.DEATH, with_place=False)),
        ("Ra khỏi Đảng (ngày, hình thức)", lambda r: _event_text(r, EventKind.LEFT, False)),
        ("Ghi chú", lambda r: r["member"].get_status_display()),
    ],
)


def transfer_register(org: Organization, year: int | None = None) -> list[dict[str, Any]]:
    transfers = (
        Transfer.objects.filter(
            Q(from_org__path__startswith=org.path) | Q(to_org__path__startswith=org.path)
        )
        .select_related("member__person", "from_org", "to_org")
        .order_by("introduced_on", "id")
    )
    if year:
        transfers = transfers.filter(introduced_on__year=year)
    rows = []
    for number, transfer in enumerate(transfers[: MAX_ROWS + 1], start=1):
        outgoing = transfer.from_org.path.startswith(org.path)
        rows.append({"no": number, "t": transfer, "direction": "Đi" if outgoing else "Đến"})
    return rows


TRANSFER_REGISTER = Register(
    "10-SHĐ",
    "Sổ giới thiệu sinh hoạt đảng",
    [
        ("STT", lambda r: r["no"]),
        ("Họ và tên", lambda r: r["t"].member.person.display_name),
        (
            "Năm sinh",
            lambda r: (
                r["t"].member.person.birth_date.year if r["t"].member.person.birth_date else ""
            ),
        ),
        ("Số thẻ đảng viên", lambda r: r["t"].member.card_number),
        ("Đi / đến", lambda r: r["direction"]),
        ("Chính thức / tạm thời", lambda r: r["t"].get_kind_display()),
        ("Ngày giới thiệu", lambda r: _date(r["t"].introduced_on)),
        ("Số giấy giới thiệu", lambda r: r["t"].letter_number),
        ("Nơi đi", lambda r: r["t"].from_org.name),
        ("Nơi đến", lambda r: r["t"].destination),
        ("Ngày tiếp nhận", lambda r: _date(r["t"].received_on)),
        ("Tình trạng", lambda r: r["t"].get_state_display()),
    ],
)


def deceased_register(org: Organization) -> list[dict[str, Any]]:
    deaths = (
        MemberEvent.objects.filter(kind=EventKind.DEATH, organization__path__startswith=org.path)
        .select_related("member__person", "organization")
        .order_by("date", "id")
    )
    return [{"no": n, "e": e} for n, e in enumerate(deaths[: MAX_ROWS + 1], start=1)]


DECEASED_REGISTER = Register(
    "TT",
    "Sổ đảng viên từ trần",
    [
        ("STT", lambda r: r["no"]),
        ("Họ và tên", lambda r: r["e"].member.person.display_name),
        ("Ngày sinh", lambda r: r["e"].member.person.birth_date_display()),
        ("Quê quán", lambda r: r["e"].member.person.home_town),
        ("Ngày vào Đảng", lambda r: _date(r["e"].member.admitted_on)),
        ("Ngày từ trần", lambda r: _date(r["e"].date)),
        ("Lý do", lambda r: r["e"].detail),
        ("Tổ chức đảng", lambda r: r["e"].organization.name),
    ],
)

REGISTERS: dict[str, tuple[Register, Callable[..., list[dict[str, Any]]]]] = {
    "members": (MEMBER_REGISTER, member_register),
    "transfers": (TRANSFER_REGISTER, transfer_register),
    "deceased": (DECEASED_REGISTER, deceased_register),
}
