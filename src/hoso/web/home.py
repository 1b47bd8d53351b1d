"""The home page: the signed-in user's work, in panels by role.

Each panel counts with the apps' own queues and due rules: the very functions their list
pages filter with (the case queues, the request list's `shown`, the petition and trip
filters, the deadlines of people/due.py, the trail's filter form ...). So a count is exactly
the rows of the list it links to, and a rule lives in one place. Every count starts from
`visible_to(user)`: what the user may not see is not counted, and a panel the user holds no
role for is absent (its function returns None).

- an officer: their own casework (cases they are on, the requests of those cases, requests
  for verification help assigned to them), petitions near their limit, trips whose report or
  passport is due, life-cycle deadlines of their organizations;
- a head or a committee leader: the same for the whole office (everything in scope), plus the
  current quarter's figures of the reports app with a small chart (audited reads);
- a records clerk: the registers and dossiers waiting;
- an auditor: today's sensitive reads and exports in their scope.

Speed: counts only (no list is materialized), each a COUNT under the user's scope on indexed
columns (states, due dates, the organization path); the reports' member stocks, which scan
every member, are left out on purpose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count as Counted
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from markupsafe import Markup

from hoso.access import policy
from hoso.access.models import User
from hoso.access.roles import Role
from hoso.audit import events
from hoso.audit.models import AuditEvent
from hoso.documents import registers
from hoso.documents.models import IncomingDocument
from hoso.lib import charts, periods
from hoso.lib.periods import Period
from hoso.orgs.models import Organization
from hoso.people import books, dossier
from hoso.people import due as people_due
from hoso.people.filters import MemberFilterForm
from hoso.people.models import Member
from hoso.petitions.models import Petition
from hoso.petitions.views import FILTERS as PETITION_FILTERS
from hoso.reports import compute, indicators, reads
from hoso.reports.models import ReportForm, ReportState
from hoso.reports.views.figures import scope_of
from hoso.trail.filters import AuditFilterForm
from hoso.travel.models import Trip
from hoso.travel.views import FILTERS as TRIP_FILTERS
from hoso.vetting import help as vetting_help
from hoso.vetting import verification
from hoso.vetting.models import HelpRequest
from hoso.vetting.views import cases as case_views
from hoso.vetting.views import requests as request_views

A = policy.Action
HEADS = {Role.HEAD, Role.LEADER}
ADDRESSEES_SHOWN = 6  # addressees listed by name; the total counts them all
EVENT_TYPES_SHOWN = 8
QUARTERS = 5  # the chart: this quarter and the four before (the same quarter a year ago)
KEY_FIGURES = (
    "cases.received",
    "cases.concluded",
    "cases.overdue",
    "requests.overdue",
    "petitions.overdue",
    "trips.report_overdue",
)
CHART_SERIES = ("cases.received", "cases.concluded")


@dataclass(frozen=True)
class Count:
    label: str
    n: int
    url: str
    late: bool = False  # a count of late items: marked when it is not zero


@dataclass
class Panel:
    key: str
    title: str
    counts: list[Count]
    groups: list[tuple[str, list[Count]]] = field(default_factory=list)  # a heading, counts
    link: tuple[str, str] | None = None  # (label, address) of the app's page
    chart: Markup | None = None
    table: charts.Table | None = None
    wide: bool = False


PanelFunction = Callable[[User, dt.date], Panel | None]


def _url(name: str, *args: Any, anchor: str = "", **params: Any) -> str:
    address = reverse(name, args=args)
    if params:
        address += "?" + urlencode(params)
    return address + (f"#{anchor}" if anchor else "")


def _holds(user: User, roles: set[Role]) -> bool:
    return bool(policy.role_paths(user, roles))


def _office(user: User) -> bool:
    """Heads and leaders see the office's work; an officer their own."""
    return _holds(user, HEADS)


def _works(user: User, action: str) -> bool:
    """An officer, head or leader with the action somewhere."""
    return _holds(user, {Role.OFFICER, *HEADS}) and bool(policy.scope_paths(user, action))


# ---- casework ------------------------------------------------------------------------------


def cases(user: User, today: dt.date) -> Panel | None:
    if not _works(user, A.CASE_VIEW):
        return None
    office = _office(user)
    mine = {} if office else {"mine": "1"}

    def count(label: str, queue: str, late: bool = False) -> Count:
        n = case_views.queue(user, queue, today, mine=not office and queue != "mine").count()
        params = {"queue": queue, **({} if queue == "mine" else mine)}
        return Count(label, n, _url("case-list", **params), late)

    return Panel(
        "cases",
        _("Vetting cases of the office") if office else _("My vetting cases"),
        [
            count(_("Overdue"), "overdue", late=True),
            count(_("Reaching the time limit within 7 days"), "week"),
            count(_("Open"), "open" if office else "mine"),
        ],
        link=(_("Vetting cases"), reverse("case-list")),
    )


def requests(user: User, today: dt.date) -> Panel | None:
    """Verification requests awaiting a reply, by addressee (an officer: those of their
    cases)."""
    if not _works(user, A.CASE_VIEW):
        return None
    office = _office(user)
    mine = {} if office else {"mine": "1"}
    visible = request_views.visible_requests(user, mine=not office)
    by = verification.open_by_addressee(visible)  # one grouped query; its sum is the total
    overdue = request_views.shown(visible, "overdue", today).count()
    return Panel(
        "requests",
        _("Verification requests awaiting a reply"),
        [
            Count(_("Overdue"), overdue, _url("request-list", show="overdue", **mine), True),
            Count(
                _("Awaiting a reply"),
                sum(row["count"] for row in by),
                _url("request-list", show="open", **mine),
            ),
        ],
        groups=[
            (
                _("By addressee"),
                [
                    Count(
                        row["addressee__name"],
                        row["count"],
                        _url("request-list", show="open", addressee=row["addressee"], **mine),
                    )
                    for row in by[:ADDRESSEES_SHOWN]
                ],
            )
        ]
        if by
        else [],
        link=(_("Verification requests"), reverse("request-list")),
    )


def help_requests(user: User, today: dt.date) -> Panel | None:
    """Requests for verification help from other bodies (xác minh, nghiên cứu giúp)."""
    if not _works(user, A.CASE_VIEW):
        return None
    visible = HelpRequest.objects.visible_to(user)
    queues = ("overdue", "unassigned", "open") if _office(user) else ("overdue", "mine")

    def count(queue: str) -> Count:
        label, rows = vetting_help.QUEUES[queue]
        n = rows(visible, user, today).count()
        return Count(str(label), n, _url("help-list", queue=queue), queue == "overdue")

    return Panel(
        "help",
        _("Verification help for other bodies"),
        [count(queue) for queue in queues],
        link=(_("Verification help for other bodies"), reverse("help-list")),
    )


# ---- petitions, travel, the member life cycle -----------------------------------------------


def petitions(user: User, today: dt.date) -> Panel | None:
    if not _works(user, A.PETITION_VIEW):
        return None
    visible = Petition.objects.visible_to(user)

    def count(label: str, show: str) -> Count:
        n = PETITION_FILTERS[show](visible, today).count()
        return Count(label, n, _url("petition-list", show=show), show == "overdue")

    return Panel(
        "petitions",
        _("Petitions"),
        [count(_("Overdue"), "overdue"), count(_("Near the time limit (3 days)"), "soon")],
        link=(_("Petitions"), reverse("petition-list")),
    )


def trips(user: User, today: dt.date) -> Panel | None:
    if not _works(user, A.TRAVEL_VIEW):
        return None
    visible = Trip.objects.visible_to(user)

    def count(label: str, show: str) -> Count:
        n = TRIP_FILTERS[show](visible, today).count()
        return Count(label, n, _url("trip-list", show=show), show.endswith("overdue"))

    return Panel(
        "trips",
        _("Trips abroad"),
        [
            count(_("Report overdue"), "report_overdue"),
            count(_("Report due within 7 days"), "report_due"),
            count(_("Official passport not handed back"), "passport_overdue"),
        ],
        link=(_("Foreign travel"), reverse("trip-list")),
    )


def life_cycle(user: User, today: dt.date) -> Panel | None:
    """Admission ceremonies, official recognitions and transfers due within 30 days or
    overdue, in the user's organizations (the deadlines page)."""
    if not _works(user, A.MEMBER_VIEW):
        return None
    due = people_due.upcoming(user, today)
    labels = {
        "ceremonies": _("Admission ceremonies"),
        "recognitions": _("Official recognitions"),
        "transfers": _("Transfers to present"),
    }
    return Panel(
        "life-cycle",
        _("Life-cycle deadlines (30 days and overdue)"),
        [
            Count(label, due[key].count(), _url("deadlines", anchor=key))
            for key, label in labels.items()
        ],
        link=(_("Deadlines"), reverse("deadlines")),
    )


# ---- records clerks ------------------------------------------------------------------------


def registers_waiting(user: User, today: dt.date) -> Panel | None:
    """What waits for a records clerk: dossiers lacking a required document, annual
    supplements declared and not certified, members to receive, letters filed nowhere."""
    if not _holds(user, {Role.CLERK}) or not policy.scope_paths(user, A.MEMBER_VIEW):
        return None
    current = MemberFilterForm({}).apply(Member.objects.visible_to(user), user)
    year = today.year - 1  # the supplements page's default: last year's supplement
    unfiled = {"year": str(today.year), "unfiled": "1"}
    incoming = registers.filtered(IncomingDocument.objects.visible_to(user), unfiled)
    return Panel(
        "registers",
        _("Registers and dossiers waiting"),
        [
            Count(
                _("Dossiers lacking a required document"),
                dossier.incomplete(current).count(),
                reverse("dossier-incomplete"),
            ),
            Count(
                _("Annual supplements %(year)s to certify") % {"year": year},
                books.to_certify(current, year).count(),
                _url("supplements", year=year, declared="1"),
            ),
            Count(
                _("Transferred members to receive"),
                people_due.to_accept(user).count(),
                reverse("transfer-list"),
            ),
            Count(
                _("Incoming documents of %(year)s belonging to no record") % {"year": today.year},
                incoming.count(),
                _url("documents-incoming", **unfiled),
            ),
        ],
        link=(_("Registers"), reverse("books")),
    )


# ---- auditors ------------------------------------------------------------------------------


def audit_today(user: User, today: dt.date) -> Panel | None:
    """Today's reads of sensitive data and exports in the auditor's scope, by event type."""
    if not _holds(user, {Role.AUDITOR}) or not policy.scope_paths(user, A.AUDIT_VIEW):
        return None
    day = {"date_from": today.isoformat(), "date_to": today.isoformat()}

    def todays(kind: str) -> Any:
        return AuditFilterForm({"kind": kind, **day}).apply(AuditEvent.objects.visible_to(user))

    by_type = (
        todays("read")
        .order_by()
        .values("event_type")
        .annotate(n=Counted("id"))
        .order_by("-n", "event_type")
    )
    rows = list(by_type)
    return Panel(
        "audit",
        _("Today's sensitive reads and exports"),
        [
            Count(
                _("Sensitive reads"),
                sum(row["n"] for row in rows),
                _url("audit-list", kind="read", **day),
            ),
            Count(_("Exports"), todays("export").count(), _url("audit-list", kind="export", **day)),
        ],
        groups=[
            (
                _("By event"),
                [
                    Count(
                        str(events.get(row["event_type"]).label),
                        row["n"],
                        _url("audit-list", event_type=row["event_type"], **day),
                    )
                    for row in rows[:EVENT_TYPES_SHOWN]
                ],
            )
        ]
        if rows
        else [],
        link=(_("Audit trail"), reverse("audit-list")),
    )


# ---- heads: the quarter's figures ----------------------------------------------------------


def _quarters(today: dt.date) -> list[Period]:
    """The quarters before the current one, oldest first, then the current quarter so far:
    from its first day to today (a figure "at the end of the period" is then today's, as
    the work panels count, not the quarter's last day still to come)."""
    current = periods.containing(today, periods.QUARTER, cutoff=settings.HOSO_REPORT_CUTOFF_DAY)
    found = [current]
    while len(found) < QUARTERS:
        last = found[-1]
        year, number = (last.year, last.number - 1) if last.number > 1 else (last.year - 1, 4)
        found.append(Period(periods.QUARTER, year, number, last.cutoff))
    so_far = Period(periods.RANGE, today.year, first=current.start, last=today)
    return [*found[:0:-1], so_far]


def _short(period: Period) -> str:
    if period.kind == periods.RANGE:
        return _("to %(day)s") % {"day": f"{period.end:%d/%m}"}
    roman = ("", "I", "II", "III", "IV")[period.number]
    return _("Q%(roman)s/%(year)s") % {"roman": roman, "year": period.year}


def figures(user: User, today: dt.date) -> Panel | None:
    """The current quarter's key figures of the office's report, and cases received and
    concluded over the last five quarters; read through reports.reads (audited: one event
    for them all)."""
    if not _holds(user, HEADS):
        return None
    try:
        org = scope_of(user, {})
    except Http404:  # no figure anywhere in the user's scope
        return None
    chosen = [indicators.get(code) for code in dict.fromkeys(KEY_FIGURES + CHART_SERIES)]
    shown = [i for i in chosen if i is not None and compute.may_see(user, i, org)]
    if not shown:
        return None
    *earlier, current = _quarters(today)
    series = [i for i in shown if i.code in CHART_SERIES]
    read = reads.many(user, org, [(current, shown), *((p, series) for p in earlier)], via="home")
    now = {f.indicator.code: f for f in read[0]}
    totals = [{f.indicator.code: f.total for f in found} for found in read[1:]]
    counts = [
        Count(
            str(f.indicator.label),
            f.total,
            _url("report-indicator", f.indicator.code, org=org.pk, period=current.key),
        )
        for f in now.values()
    ]
    panel = Panel(
        "figures",
        _("Figures of this quarter so far (%(period)s): %(org)s")
        % {"period": current.label, "org": org.name},
        counts,
        link=(_("The whole report"), _url("report-home", org=org.pk, period=current.key)),
        wide=True,
    )
    if series:
        chart = charts.Lines(
            title=_("Vetting cases by quarter (this quarter: so far)"),
            x_labels=[_short(p) for p in (*earlier, current)],
            series=[
                charts.Series(str(i.label), [*(t[i.code] for t in totals), now[i.code].total])
                for i in series
            ],
            category_header=_("Quarter"),
        )
        panel.chart, panel.table = charts.svg(chart), charts.table(chart)
    return panel


def lower_reports(user: User, today: dt.date) -> Panel | None:
    """For heads and leaders: the last quarter's periodic report of the organizations directly
    below their office — submitted, late, returned — each count linking to the status page."""
    if not _holds(user, HEADS) or not policy.scope_paths(user, policy.Action.REPORT_VIEW):
        return None
    form = ReportForm.objects.filter(active=True).order_by("code").first()
    root = Organization.objects.filter(
        path=policy.scope_paths(user, policy.Action.REPORT_VIEW)[0]
    ).first()
    if form is None or root is None:
        return None
    current = periods.containing(today, periods.QUARTER, cutoff=form.cutoff_day)
    index = current.year * 4 + current.number - 2  # the quarter before, being reported now
    period = Period(periods.QUARTER, index // 4, index % 4 + 1, form.cutoff_day)
    found, due = reads.below(user, form, root, period)
    if not found:
        return None
    url = _url("report-status", form.code, org=root.pk, period=period.key)

    def shown(which: str) -> str:
        return _url("report-status", form.code, org=root.pk, period=period.key, show=which)

    submitted = sum(1 for b in found if b.report and b.report.state == ReportState.SUBMITTED)
    returned = sum(1 for b in found if b.report and b.report.state == ReportState.RETURNED)
    return Panel(
        "lower-reports",
        _("Reports of the organizations below: %(period)s (due %(day)s)")
        % {"period": period.label, "day": f"{due:%d/%m/%Y}"},
        [
            Count(_("Submitted"), submitted, shown("submitted")),
            Count(_("Late"), sum(1 for b in found if b.late), shown("late"), late=True),
            Count(_("Returned for correction"), returned, shown("returned")),
            Count(_("Organizations below"), len(found), url),
        ],
        link=(_("Reports of the organizations below"), url),
    )


PANELS: tuple[PanelFunction, ...] = (
    cases,
    requests,
    help_requests,
    petitions,
    trips,
    life_cycle,
    registers_waiting,
    audit_today,
    figures,
    lower_reports,
)


def panels(user: User, today: dt.date) -> list[Panel]:
    """The user's panels, in the page's order; those of roles the user does not hold are
    absent."""
    return [panel for make in PANELS if (panel := make(user, today)) is not None]
