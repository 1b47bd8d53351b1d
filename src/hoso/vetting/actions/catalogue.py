"""Editing a case type writes a new version; cases already open keep the one they had."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record
from hoso.vetting import plan
from hoso.vetting.models import CaseType, CaseTypeVersion, Step


def new_version(actor: User, case_type: CaseType, data: dict[str, Any]) -> CaseTypeVersion:
    if not policy.national(actor, policy.Action.CONFIG_MANAGE):
        raise policy.Denied(policy.Action.CONFIG_MANAGE)
    steps = list(data["steps"])
    if Step.PROPOSAL in steps and Step.COMPILING not in steps:
        raise ValueError(_("A proposal is written after compiling: tick both."))
    if data.get("plan_relations") and not {Step.VERIFICATION, Step.COMPILING} <= set(steps):
        # The plan is checked when the case leaves verifying for compiling.
        raise ValueError(
            _("A verification plan needs the verification and compiling steps: tick both.")
        )
    with transaction.atomic():
        case_type = CaseType.objects.select_for_update().get(pk=case_type.pk)
        last = case_type.versions.aggregate(n=Max("number"))["n"] or 0
        version = CaseTypeVersion.objects.create(
            case_type=case_type,
            number=last + 1,
            created_by=actor,
            **{k: v for k, v in data.items() if k not in ("active", "steps")},
            steps=steps,
        )
        case_type.current, case_type.active = version, data["active"]
        case_type.save(update_fields=["current", "active"])
        record(
            events.CATALOGUE_CHANGED.code,
            actor=actor,
            details={"catalogue": "case-types", "id": case_type.pk, "version": version.number},
        )
    return version


def initial(case_type: CaseType) -> dict[str, Any]:
    v = case_type.current
    assert v is not None
    return {
        "name": v.name,
        "period_days": v.period_days,
        "period_unit": v.period_unit,
        "pausable": v.pausable,
        "default_classification": v.default_classification,
        "min_team_size": v.min_team_size,
        "reply_days": v.reply_days,
        "validity_months": v.validity_months,
        "plan_relations": plan.as_text(v.plan_relations or []),
        "outcomes": "\n".join(f"{code} | {label}" for code, label in v.outcomes),
        "steps": v.steps,
        "active": case_type.active,
    }
