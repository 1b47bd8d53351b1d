"""The verification plan's decisions: a line (or one relative on it) not to be verified, with
the reason, and the withdrawal of such a decision. Both are new rows: nothing is deleted."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record_on
from hoso.people.models import Relative
from hoso.vetting import plan
from hoso.vetting.models import Case, PlanSkip
from hoso.vetting.verification import SENDING_STATES


class PlanError(ValueError):
    pass


def _check(actor: User, case: Case, reason: str) -> None:
    policy.require(actor, policy.Action.CASE_MANAGE, case.organization, case.classification)
    if case.state not in SENDING_STATES:
        raise PlanError(_("The verification plan is settled while planning or verifying."))
    if not reason.strip():
        raise PlanError(_("Give the reason."))


def _lock(case: Case) -> None:
    """Concurrent decisions on one plan take turns on the case's row."""
    Case.objects.select_for_update().filter(pk=case.pk).exists()


def skip_plan_line(
    actor: User,
    case: Case,
    *,
    line: int,
    reason: str,
    relative: Relative | None = None,
) -> PlanSkip:
    """Record that a line of the plan, or one relative on it, is not verified, and why."""
    _check(actor, case, reason)
    rules = plan.rules(case.version)
    if not 0 <= line < len(rules):
        raise PlanError(_("This line is not in the case's verification plan."))
    rule = rules[line]
    if relative is not None and (
        relative.person_id != case.person_id
        or rule.is_self
        or not rule.takes(relative, timezone.localdate().year)
    ):
        raise PlanError(_("This relative is not on that line of the plan."))
    with transaction.atomic():
        _lock(case)
        current = plan.of_case(case)
        assert current is not None
        target = current.lines[line]
        already = (
            target.skip
            if relative is None
            else next((f.skip for f in target.fillers if f.relative.pk == relative.pk), None)
        )
        if already is not None:
            raise PlanError(_("Already recorded as not verified."))
        skip = PlanSkip.objects.create(
            case=case, line=line, relative=relative, reason=reason.strip(), recorded_by=actor
        )
        record_on(
            events.PLAN_LINE_SKIPPED.code,
            actor,
            case,
            skip=skip.pk,
            line=line,
            label=rule.label,
            relative=relative.pk if relative is not None else None,
            reason=skip.reason,
        )
    return skip


def withdraw_skip(actor: User, skip: PlanSkip, *, reason: str) -> PlanSkip:
    """Withdraw a decision not to verify: the line (or relative) is to be verified again."""
    case = skip.case
    _check(actor, case, reason)
    if skip.withdraws_id is not None:
        raise PlanError(_("This record is itself a withdrawal."))
    with transaction.atomic():
        _lock(case)
        if PlanSkip.objects.filter(withdraws=skip).exists():
            raise PlanError(_("Already withdrawn."))
        withdrawal = PlanSkip.objects.create(
            case=case,
            line=skip.line,
            relative=skip.relative,
            reason=reason.strip(),
            withdraws=skip,
            recorded_by=actor,
        )
        record_on(
            events.PLAN_SKIP_WITHDRAWN.code,
            actor,
            case,
            skip=skip.pk,
            line=skip.line,
            relative=skip.relative_id,
            reason=withdrawal.reason,
        )
    return withdrawal
