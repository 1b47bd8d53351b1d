"""Case pages: work queues, opening a case, the case page and its actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.audit import events
from hoso.audit.chain import record
from hoso.audit.reads import excel_list, listed
from hoso.lib import query
from hoso.lib.respond import private_file
from hoso.people import identity
from hoso.people import reads as people_reads
from hoso.people.models import Member, Person
from hoso.vetting import (
    actions,
    clock,
    difference,
    hooks,
    papers,
    plan,
    reads,
    transitions,
    validity,
    verification,
)
from hoso.vetting.forms import (
    BulkForm,
    CaseForm,
    ClockForm,
    FileForm,
    MoveForm,
    NewPersonForm,
    PaperForm,
    ReasonForm,
    TeamForm,
    TextForm,
    ValidityForm,
)
from hoso.vetting.models import (
    Case,
    CaseFile,
    CasePetition,
    CaseType,
    HelpRequest,
    RequestState,
    State,
    VerificationRequest,
)
from hoso.vetting.models.cases import CaseQuerySet
from hoso.vetting.views.common import done, officers, visible_case

A = policy.Action
PAGE = 100


def _page(cases: QuerySet[Case], after: str) -> tuple[list[Case], str]:
    """Keyset page in (due date, id) order: `after` is the last row of the previous page."""
    due, _sep, pk = after.partition(".")
    try:
        day: dt.date | None = dt.date.fromisoformat(due)
    except ValueError:
        day = None  # not a cursor of ours (they are always well formed): the first page
    last = query.as_id(pk)
    if day is not None and last is not None:
        cases = cases.filter(Q(due_on__gt=day) | Q(due_on=day, pk__gt=last))
    rows = list(cases[: PAGE + 1])
    following = (
        f"{rows[PAGE - 1].due_on.isoformat()}.{rows[PAGE - 1].pk}" if len(rows) > PAGE else ""
    )
    return rows[:PAGE], following


QUEUES: dict[str, tuple[Any, Any]] = {
    "mine": (gettext_lazy("My cases"), lambda qs, u, d: qs.open().on_team(u)),
    "office": (
        gettext_lazy("My office's cases"),
        lambda qs, u, d: qs.open().filter(organization=u.organization_id),
    ),
    "overdue": (gettext_lazy("Overdue"), lambda qs, u, d: clock.overdue(qs, d)),
    "week": (gettext_lazy("Due within 7 days"), lambda qs, u, d: clock.breaching(qs, d, 7)),
    "awaiting": (
        gettext_lazy("Awaiting replies"),
        lambda qs, u, d: qs.open().filter(
            Exists(VerificationRequest.objects.filter(case=OuterRef("pk"), state=RequestState.OPEN))
        ),
    ),
    "open": (gettext_lazy("All open cases"), lambda qs, u, d: qs.open()),
    "closed": (
        gettext_lazy("Concluded, archived, withdrawn"),
        lambda qs, u, d: qs.exclude(pk__in=qs.open().values("pk")),
    ),
}

COLUMNS = [
    ("Số", lambda c: c.pk),
    ("Người được thẩm tra", lambda c: str(c.person)),
    ("Loại", lambda c: c.version.name),
    ("Chức danh, mục đích", lambda c: c.purpose),
    ("Đơn vị thụ lý", lambda c: c.organization.name),
    ("Bước", lambda c: c.get_state_display()),
    ("Hạn", lambda c: c.due_on.strftime("%d/%m/%Y")),
    ("Tạm dừng từ", lambda c: c.paused_since.strftime("%d/%m/%Y") if c.paused_since else ""),
    ("Người thụ lý", lambda c: str(c.assignee or "")),
]


def queue(user: Any, name: str, today: dt.date, *, mine: bool = False) -> QuerySet[Case]:
    """The cases of a queue as this user sees them; `mine`: only those they are on (?mine=1,
    the home page's counts of an officer's own work)."""
    qs: CaseQuerySet = QUEUES[name][1](Case.objects.visible_to(user), user, today)
    return qs.on_team(user) if mine else qs


def _queue(request: HttpRequest) -> tuple[str, QuerySet[Case]]:
    user = acting_user(request)
    name = request.GET.get("queue", "mine")
    if name not in QUEUES:
        name = "mine"
    qs = queue(user, name, timezone.localdate(), mine=request.GET.get("mine") == "1")
    if request.GET.get("type"):
        qs = qs.filter(case_type__code=request.GET["type"])
    if request.GET.get("org"):
        qs = qs.filter(organization__code=request.GET["org"].upper())
    related = ("person", "version", "organization", "assignee")
    return name, qs.select_related(*related).order_by("due_on", "id")


def case_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not policy.scope_paths(user, A.CASE_VIEW):
        raise Http404
    name, cases = _queue(request)
    if request.GET.get("format") == "xlsx":
        title = str(QUEUES[name][0])
        return excel_list(user, "ho-so-tham-tra", title, COLUMNS, cases, request.GET)
    from hoso.vetting.models import CaseType

    rows, following = _page(cases, request.GET.get("after", ""))
    listed(user, "cases", request.GET, len(rows))
    directs = bool(policy.scope_paths(user, A.CASE_DIRECT))
    return render(
        request,
        "vetting/case_list.html",
        {
            "queues": [(k, label) for k, (label, _f) in QUEUES.items()],
            "queue": name,
            "mine": request.GET.get("mine") == "1",
            "cases": rows,
            "following": following,
            "types": CaseType.objects.filter(current__isnull=False).select_related("current"),
            "can_open": bool(policy.scope_paths(user, A.CASE_MANAGE)),
            "can_bulk": bool(policy.scope_paths(user, A.CASE_MANAGE)),
            "directs": directs,
            "forecast": clock.breaching(
                Case.objects.visible_to(user), timezone.localdate()
            ).count(),
            "bulk": BulkForm(candidates=_assignable(user)) if directs else None,
            # The requests for verification help on this officer's desk (their own queue).
            "help_mine": HelpRequest.objects.visible_to(user)
            .open()
            .filter(assignee=user.pk)
            .count(),
        },
    )


def _assignable(user: Any) -> Any:
    """Officers inside the user's directing scope."""
    paths = policy.scope_paths(user, A.CASE_DIRECT)
    if not paths:
        return policy.users_who_may(A.CASE_MANAGE).none()
    return policy.users_who_may(A.CASE_MANAGE, under=paths).order_by("full_name")


@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    ids = [int(i) for i in request.POST.getlist("case") if i.isdigit()]
    cases = list(Case.objects.visible_to(user).filter(pk__in=ids))
    form = BulkForm(request.POST, candidates=_assignable(user))
    if not cases or not form.is_valid():
        messages.error(request, _("Choose at least one case and an action."))
        return redirect(request.POST.get("next") or "case-list")
    try:
        if form.cleaned_data["action"] == "assign":
            if form.cleaned_data["assignee"] is None:
                raise actions.cases.CaseError(_("Choose the officer in charge."))
            count = actions.cases.assign(user, cases, form.cleaned_data["assignee"])
            messages.success(request, _("%(n)s cases assigned.") % {"n": count})
        else:
            due = verification.overdue(
                VerificationRequest.objects.filter(case__in=cases), timezone.localdate()
            )
            count = actions.requests.remind(
                user, list(due.select_related("case")), on=timezone.localdate()
            )
            messages.success(request, _("%(n)s reminders recorded.") % {"n": count})
    except (ValueError, policy.Denied) as exc:
        messages.error(request, str(exc) if isinstance(exc, ValueError) else _("Not allowed."))
    return redirect(request.POST.get("next") or "case-list")


def _subject(
    request: HttpRequest, user: Any
) -> tuple[Person | None, Member | None, NewPersonForm | None]:
    """The subject: a member in scope (?member=ID), a person the user may see (?person=ID: a
    relative made a person of their own, an earlier subject), or a person entered on the
    form."""
    member_id = query.record_id(request.GET, "member") or query.record_id(request.POST, "member")
    if member_id:
        member = get_object_or_404(
            Member.objects.visible_to(user).select_related("person"), pk=member_id
        )
        return member.person, member, None
    person_id = query.record_id(request.GET, "person") or query.record_id(request.POST, "person")
    if person_id:
        person = get_object_or_404(identity.visible_persons(user), pk=person_id)
        return person, Member.objects.visible_to(user).filter(person=person).first(), None
    return None, None, NewPersonForm(request.POST or None, prefix="person")


def _initial(request: HttpRequest) -> dict[str, Any]:
    """What a link may prefill (a planning list's "open a case"): the type and the purpose."""
    initial: dict[str, Any] = {}
    code = request.GET.get("type", "")[:32]
    case_type = CaseType.objects.filter(code=code, active=True).first() if code else None
    if case_type is not None:
        initial["case_type"] = case_type.pk
    if purpose := request.GET.get("purpose", "").strip()[:255]:
        initial["purpose"] = purpose
    return initial


def _source(request: HttpRequest, user: Any) -> tuple[str, Any, Any]:
    """The record the case is opened from (?petition=ID ...), if any and visible:
    (parameter, record, its source) or ("", None, None)."""
    for param, source in hooks.OPENED_FROM.items():
        pk = query.record_id(request.GET, param) or query.record_id(request.POST, param)
        if pk:
            return param, source.find(user, pk), source
    return "", None, None


def case_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not policy.scope_paths(user, A.CASE_MANAGE):
        raise Http404
    subject, member, person_form = _subject(request, user)
    param, origin, source = _source(request, user)
    proposed = hooks.proposed_committee(user, subject) if subject is not None else None
    form = CaseForm(request.POST or None, actor=user, proposed=proposed, initial=_initial(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and (person_form is None or person_form.is_valid())
    ):
        data = dict(form.cleaned_data)
        try:
            if subject is not None:
                person: Person | dict[str, Any] = subject
            else:
                assert person_form is not None
                person = dict(person_form.cleaned_data)
            case = actions.cases.open_case(
                user,
                data.pop("organization"),
                data.pop("case_type"),
                person,
                opened_from=(source, origin) if source is not None else None,
                **data,
            )
        except actions.cases.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Case opened; due by %(day)s.") % {"day": case.due_on.strftime("%d/%m/%Y")},
            )
            return redirect("case-detail", pk=case.pk)
    earlier = difference.since(subject, user) if subject else None
    if subject is not None and subject.pk:  # a person's history since their last conclusion
        people_reads.note_person(user, subject, "case-new")
    return render(
        request,
        "vetting/case_new.html",
        {
            "form": form,
            "person_form": person_form,
            "member": member,
            "subject": subject,
            "since": earlier,
            param or "origin": origin,
        },
    )


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    case = reads.open_case(user, pk)
    moves = transitions.CASES.available(case, user)
    manage = policy.can(user, A.CASE_MANAGE, case.organization, case.classification)
    direct = policy.can(user, A.CASE_DIRECT, case.organization, case.classification)
    conclusions = list(
        validity.with_validity(case.conclusions.all())
        .select_related("supersedes", "recorded_by")
        .prefetch_related("validity__recorded_by")
    )
    in_force = validity.in_force_among(conclusions)
    team = list(case.team.select_related("user"))
    requests = list(
        case.requests.select_related("document", "addressee").prefetch_related(
            "replies__items", "reminders"
        )
    )
    return render(
        request,
        "vetting/case_detail.html",
        {
            "case": case,
            "moves": sorted(
                (
                    (m.value, transitions.LABELS[m])
                    for m in moves
                    if m is not transitions.Move.CONCLUDE
                ),
                key=lambda move: move[0] in transitions.SIDE_MOVES,
            ),
            "side_moves": transitions.SIDE_MOVES,
            "may_conclude": transitions.Move.CONCLUDE in moves,
            "may_correct": policy.can(
                user, A.CASE_CONCLUDE, case.organization, case.classification
            ),
            "needs_decision": transitions.Move.RECORD_DECISION in moves,
            "move_form": MoveForm(),
            "manage": manage and case.is_open,
            "direct": direct and case.is_open,
            "team": team,
            "team_form": _team_form(case, team) if direct and case.is_open else None,
            "clock_form": ClockForm(initial={"on": timezone.localdate()}),
            "pauses": case.pauses.all(),
            "files": case.files.select_related("uploaded_by"),
            "file_form": FileForm(),
            "requests": requests,
            "can_send": manage and case.state in verification.SENDING_STATES,
            "petitions": case.petitions.select_related("considered_by"),
            "reason_form": ReasonForm(),
            "conclusions": conclusions,
            "in_force": in_force,
            "validity_form": ValidityForm(),
            "plan": plan.of_case(case, requests=requests),
            "can_plan": manage and case.state in verification.SENDING_STATES,
            "steps": case.steps.select_related("by"),
            "since": difference.since(case.person, user, before=case),
            "papers": papers.of_case(case),
            "paper_form": PaperForm(initial={"on": timezone.localdate()}),
            "can_issue": {
                "decision": case.state == State.AWAITING_DECISION
                and policy.can(
                    user, A.DOCUMENT_MANAGE, case.competent_committee, case.classification
                ),
                "appraisal": case.state in (State.COMPILING, State.PROPOSED)
                and bool(case.proposal.strip())
                and policy.can(user, A.DOCUMENT_MANAGE, case.organization, case.classification),
            },
            "text_state": {
                "plan": case.state == State.PLANNING,
                "proposal": case.state == State.COMPILING,
            },
        },
    )


def _team_form(case: Case, team: list[Any]) -> TeamForm:
    return TeamForm(
        candidates=officers(case),
        initial={
            "members": [t.user_id for t in team],
            "leader": next((t.user_id for t in team if t.leader), None),
        },
    )


@require_POST
def case_move(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid() or form.cleaned_data["move"] not in set(transitions.Move):
        raise Http404
    data = form.cleaned_data
    step = transitions.Move(data["move"])
    return done(
        request,
        case,
        lambda: actions.cases.move(
            acting_user(request),
            case,
            step,
            note=data["note"],
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
        ),
        lambda moved: (
            _("Case %(n)s is now at “%(state)s”.")
            % {"n": moved.pk, "state": moved.get_state_display()}
        ),
    )


@require_POST
def case_text(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case(request, pk)
    form = TextForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The text is empty."))
        return redirect("case-detail", pk=case.pk)
    data = form.cleaned_data
    return done(
        request,
        case,
        lambda: actions.cases.write(
            acting_user(request), case, field=data["field"], text=data["text"]
        ),
        _("Saved."),
    )


@require_POST
def case_team(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case(request, pk)
    form = TeamForm(request.POST, candidates=officers(case))
    if not form.is_valid():
        messages.error(request, _("Choose the team members and their leader."))
        return redirect("case-detail", pk=case.pk)
    data = form.cleaned_data
    return done(
        request,
        case,
        lambda: actions.cases.set_team(
            acting_user(request), case, list(data["members"]), data["leader"]
        ),
        _("Team saved."),
    )


@require_POST
def case_clock(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case(request, pk)
    form = ClockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date."))
        return redirect("case-detail", pk=case.pk)
    user, data = acting_user(request), form.cleaned_data
    if case.paused_since is None:
        return done(
            request,
            case,
            lambda: actions.cases.pause_clock(user, case, reason=data["reason"], on=data["on"]),
            _("Clock paused."),
        )
    return done(
        request,
        case,
        lambda: actions.cases.resume_clock(user, case, on=data["on"]),
        _("Clock restarted; the due date moved by the paused time."),
    )


@require_POST
def case_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case(request, pk)
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file and its kind."))
        return redirect("case-detail", pk=case.pk)
    data = form.cleaned_data
    return done(
        request,
        case,
        lambda: actions.cases.add_file(
            acting_user(request),
            case,
            data["file"],
            kind=data["kind"],
            title=data["title"],
        ),
        _("File attached."),
    )


def case_file(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence has no public address: every download is checked and recorded."""
    item = get_object_or_404(CaseFile, pk=pk)
    case = visible_case(request, item.case_id)
    record(
        events.CASE_FILE_OPENED.code,
        actor=request.user,
        obj=case,
        organization=case.organization,
        details={"file": item.pk},
    )
    return private_file(item.file, item.content_type, item.original_name)


@require_POST
def case_paper(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    """Issue the decision to verify or the appraisal report as a numbered document."""
    case = visible_case(request, pk)
    issue = {
        "decision": actions.papers.issue_decision,
        "appraisal": actions.papers.issue_appraisal,
    }.get(which)
    form = PaperForm(request.POST)
    if issue is None or not form.is_valid():
        messages.error(request, _("Give the date, the signer and the authority."))
        return redirect("case-detail", pk=pk)
    try:
        document = issue(acting_user(request), case, **form.cleaned_data)
    except (ValueError, policy.Denied) as exc:
        messages.error(request, str(exc) if isinstance(exc, ValueError) else _("Not allowed."))
        return redirect("case-detail", pk=pk)
    messages.success(request, _("Numbered: %(doc)s.") % {"doc": document})
    return redirect("case-detail", pk=pk)


@require_POST
def petition_consider(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(CasePetition, pk=pk)
    case = visible_case(request, link.case_id)
    form = ReasonForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    return done(
        request,
        case,
        lambda: actions.cases.consider_petition(acting_user(request), link, text=text),
        _("Recorded how the petition was taken into account."),
    )
