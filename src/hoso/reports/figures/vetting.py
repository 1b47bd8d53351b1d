"""Indicators of vetting casework: cases, conclusions, verification requests.

Dates are those the records carry: a case is received on `received_on`, concluded when its
first conclusion (not a correction) is signed, withdrawn at the date of that step in its
history. "Open" and "overdue" are read at the end of the period: received by then and neither
concluded nor withdrawn by then; overdue when the due date (as now recorded) fell before that
day.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoso.access.policy import Action
from hoso.lib.periods import Period
from hoso.reports.indicators import CONCLUSIONS, HELP, REQUESTS, VETTING, Indicator, register
from hoso.vetting.models import (
    OPEN_HELP,
    Case,
    CaseStep,
    Conclusion,
    HelpRequest,
    HelpState,
    Reply,
    RequestState,
    State,
    VerificationRequest,
)
from hoso.vetting.models.help import REQUESTER, HelpQuerySet
from hoso.vetting.verification import IDENTITY

CASE = "organization__path"
BY_TYPE = {"by": "case_type__code", "by_label": "case_type__current__name"}
BY_COMMITTEE = {"by": "competent_committee", "by_label": "competent_committee__name"}
CASE_COLUMNS = (
    (_("case"), lambda c: c.pk),
    (_("subject"), lambda c: c.person.full_name),
    (_("type"), lambda c: c.version.name),
    (_("target post or purpose"), lambda c: c.purpose),
    (_("received on"), lambda c: c.received_on),
    (_("state"), lambda c: c.get_state_display()),
    (_("due by"), lambda c: c.due_on),
)


def _cases(user: Any) -> QuerySet[Case]:
    return Case.objects.visible_to(user).select_related("person", "version")


def _case_link(case: Case) -> str:
    return reverse("case-detail", args=[case.pk])


def _closed_by(day: Any) -> Q:
    """Concluded (the first conclusion signed) or withdrawn by `day`. An archived case was
    concluded first."""
    signed = Conclusion.objects.filter(
        case=OuterRef("pk"), supersedes__isnull=True, signed_on__lte=day
    )
    withdrawn = CaseStep.objects.filter(
        case=OuterRef("pk"), to_state=State.WITHDRAWN, at__date__lte=day
    )
    return Q(Exists(signed)) | Q(Exists(withdrawn))


def received(user: Any, period: Period) -> QuerySet[Case]:
    return _cases(user).filter(received_on__range=(period.start, period.end))


def concluded(user: Any, period: Period) -> QuerySet[Case]:
    first = Conclusion.objects.filter(
        case=OuterRef("pk"), supersedes__isnull=True, signed_on__range=(period.start, period.end)
    )
    return _cases(user).filter(Exists(first))


def withdrawn(user: Any, period: Period) -> QuerySet[Case]:
    step = CaseStep.objects.filter(
        case=OuterRef("pk"),
        to_state=State.WITHDRAWN,
        at__date__range=(period.start, period.end),
    )
    return _cases(user).filter(Exists(step))


def open_at_end(user: Any, period: Period) -> QuerySet[Case]:
    return _cases(user).filter(received_on__lte=period.end).exclude(_closed_by(period.end))


def overdue_at_end(user: Any, period: Period) -> QuerySet[Case]:
    return open_at_end(user, period).filter(due_on__lt=period.end)


def _case_indicator(code: str, label: Any, definition: Any, records: Any, **by: str) -> Indicator:
    return Indicator(
        code=code,
        section=VETTING,
        label=label,
        definition=definition,
        action=Action.CASE_VIEW,
        records=records,
        path=CASE,
        columns=CASE_COLUMNS,
        link=_case_link,
        **by,  # type: ignore[arg-type]
    )


def current_conclusions(user: Any, period: Period) -> QuerySet[Conclusion]:
    """Conclusions signed in the period and not corrected since: what was decided."""
    cases = Case.objects.visible_to(user).values("pk")
    return (
        Conclusion.objects.filter(case__in=cases, signed_on__range=(period.start, period.end))
        .filter(superseded_by__isnull=True)
        .select_related("case__person", "case__version")
    )


def _request_rows(user: Any) -> QuerySet[VerificationRequest]:
    return VerificationRequest.objects.visible_to(user).select_related("document", "addressee")


def requests_issued(user: Any, period: Period) -> QuerySet[VerificationRequest]:
    return _request_rows(user).filter(sent_on__range=(period.start, period.end))


def requests_answered(user: Any, period: Period) -> QuerySet[VerificationRequest]:
    """Requests whose first reply arrived in the period (one request, one count)."""
    earlier = Reply.objects.filter(request=OuterRef("pk"), received_on__lt=period.start)
    within = Reply.objects.filter(
        request=OuterRef("pk"), received_on__range=(period.start, period.end)
    )
    return _request_rows(user).filter(Exists(within)).exclude(Exists(earlier))


def requests_overdue(user: Any, period: Period) -> QuerySet[VerificationRequest]:
    """Not answered by the end of the period although the reply was due before it."""
    answered = Reply.objects.filter(request=OuterRef("pk"), received_on__lte=period.end)
    return (
        _request_rows(user)
        .filter(sent_on__lte=period.end, due_on__lt=period.end)
        .exclude(state=RequestState.CANCELLED)
        .exclude(Exists(answered))
    )


# One human being per request: the identity (through links and merges); a relative linked
# to nobody counts by their declared row, kept apart from persons by the sign.
PERSON = Coalesce(IDENTITY, -1 * Coalesce("relative", 0))  # also reports/persons.py: WHO
REQUEST = "case__organization__path"
REQUEST_COLUMNS = (
    (_("number"), lambda r: r.document.reference),
    (_("person verified"), lambda r: r.person_label),
    (_("addressee"), lambda r: r.addressee.name),
    (_("sent on"), lambda r: r.sent_on),
    (_("reply due by"), lambda r: r.due_on),
    (_("state"), lambda r: r.get_state_display()),
)


def _request_link(request: VerificationRequest) -> str:
    return reverse("request-detail", args=[request.pk])


def _request_indicator(
    code: str, label: Any, definition: Any, records: Any, **kw: Any
) -> Indicator:
    return Indicator(
        code=code,
        section=REQUESTS,
        label=label,
        definition=definition,
        action=Action.CASE_VIEW,
        records=records,
        path=REQUEST,
        columns=REQUEST_COLUMNS,
        link=_request_link,
        by="addressee__name",
        **kw,
    )


def _help_rows(user: Any) -> HelpQuerySet:
    return HelpRequest.objects.visible_to(user)


def _named(qs: QuerySet[HelpRequest]) -> QuerySet[HelpRequest]:
    return qs.annotate(body=REQUESTER)


def help_received(user: Any, period: Period) -> QuerySet[HelpRequest]:
    return _named(_help_rows(user).received_in(period.start, period.end))


def help_answered(user: Any, period: Period) -> QuerySet[HelpRequest]:
    return _named(_help_rows(user).answered_in(period.start, period.end))


def help_overdue(user: Any, period: Period) -> QuerySet[HelpRequest]:
    """Received by the end of the period, not answered by then (nor declined or cancelled
    since), due before that day."""
    end = period.end
    late = Q(answered_on__isnull=True) | Q(answered_on__gt=end)
    still = Q(state__in=OPEN_HELP) | Q(state=HelpState.ANSWERED)
    found = _help_rows(user).filter(received_on__lte=end, due_on__lt=end).filter(late, still)
    return _named(found)


def _help_indicator(code: str, label: Any, definition: Any, records: Any) -> Indicator:
    return Indicator(
        code=code,
        section=HELP,
        label=label,
        definition=definition,
        action=Action.CASE_VIEW,
        records=records,
        path="organization__path",
        by="body",
        columns=(
            (_("requesting body"), lambda h: h.body),
            (_("person asked about"), lambda h: h.subject_name),
            (_("received on"), lambda h: h.received_on),
            (_("answer due by"), lambda h: h.due_on),
            (_("state"), lambda h: h.get_state_display()),
        ),
        link=lambda h: reverse("help-detail", args=[h.pk]),
    )


def register_help() -> None:
    register(
        _help_indicator(
            "help.received",
            _("Requests for verification help received"),
            _(
                "Requests from other provinces' committees or bodies to verify someone or to"
                " provide a dossier, received in the period, by requesting body."
            ),
            help_received,
        ),
        _help_indicator(
            "help.answered",
            _("Requests for verification help answered"),
            _("Those answered by a numbered document dated in the period, by requesting body."),
            help_answered,
        ),
        _help_indicator(
            "help.overdue",
            _("Requests for verification help overdue at the end of the period"),
            _(
                "Received by the end of the period, not answered by then, neither declined nor"
                " cancelled, whose answer was due before that day."
            ),
            help_overdue,
        ),
    )


def register_all() -> None:
    register_help()
    register(
        _case_indicator(
            "cases.received",
            _("Cases received"),
            _("Vetting cases whose requesting papers were received in the period, by type."),
            received,
            **BY_TYPE,
        ),
        _case_indicator(
            "cases.received.committee",
            _("Cases received, by competent committee"),
            _("The same cases, by the committee competent to conclude."),
            received,
            **BY_COMMITTEE,
        ),
        _case_indicator(
            "cases.concluded",
            _("Cases concluded"),
            _("Cases whose conclusion (the first one, not a correction) was signed in the period."),
            concluded,
            **BY_TYPE,
        ),
        _case_indicator(
            "cases.open",
            _("Cases open at the end of the period"),
            _(
                "Cases received by the last day of the period and neither concluded (first"
                " conclusion signed) nor withdrawn by then."
            ),
            open_at_end,
            **BY_TYPE,
        ),
        _case_indicator(
            "cases.overdue",
            _("Cases overdue at the end of the period"),
            _(
                "Open cases at the end of the period whose due date (as now recorded, after"
                " pauses) was before that day."
            ),
            overdue_at_end,
            **BY_TYPE,
        ),
        _case_indicator(
            "cases.withdrawn",
            _("Cases withdrawn"),
            _("Cases withdrawn in the period (the date of the withdrawal in the case history)."),
            withdrawn,
            **BY_TYPE,
        ),
        Indicator(
            code="conclusions.outcome",
            section=CONCLUSIONS,
            label=_("Conclusions by recorded outcome"),
            definition=_(
                "Conclusions signed in the period and not corrected since, by the outcome the"
                " competent committee recorded: a count of what people decided, never a score."
            ),
            action=Action.CASE_VIEW,
            records=current_conclusions,
            path="case__organization__path",
            by="outcome",
            by_label="outcome_label",
            columns=(
                (_("case"), lambda c: c.case_id),
                (_("subject"), lambda c: c.case.person.full_name),
                (_("type"), lambda c: c.case.version.name),
                (_("document number"), lambda c: c.number),
                (_("date signed"), lambda c: c.signed_on),
                (_("outcome"), lambda c: c.outcome_label),
            ),
            link=lambda c: reverse("case-detail", args=[c.case_id]),
            sensitive=True,
        ),
        _request_indicator(
            "requests.issued",
            _("Verification requests issued"),
            _("Numbered request slips sent in the period, by addressee."),
            requests_issued,
        ),
        _request_indicator(
            "requests.answered",
            _("Verification requests answered"),
            _("Requests whose first reply was received in the period, by addressee."),
            requests_answered,
        ),
        _request_indicator(
            "requests.overdue",
            _("Verification requests overdue at the end of the period"),
            _(
                "Requests sent by the end of the period, not cancelled, with no reply received"
                " by then although it was due before that day."
            ),
            requests_overdue,
        ),
        _request_indicator(
            "requests.persons",
            _("Persons concerned by the requests issued"),
            _(
                "Distinct persons the requests issued in the period concern: a person vetted"
                " and also declared as someone's relative, once linked, is one person. Not"
                " additive: recomputed at each level."
            ),
            requests_issued,
            distinct=PERSON,
        ),
    )
