"""Time limits of the member life cycle (Quy định 294-QĐ/TW, Hướng dẫn 06-HD/TW, 2025).

Each limit says whether it counts working days or calendar days; working days follow the
holiday calendar (hoso.workcal).
"""

from __future__ import annotations

import datetime as dt

from hoso.lib.workdays import Period, Unit
from hoso.workcal.service import deadline

CEREMONY_AFTER_DECISION = Period(30, Unit.WORKING)
PROBATION_MONTHS = 12
RECOGNITION_AFTER_PROBATION = Period(30, Unit.WORKING)
PRESENT_AFTER_INTRODUCTION = Period(30, Unit.WORKING)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):  # 29/02 + 12 months is 28/02
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def ceremony_due(admitted_on: dt.date) -> dt.date:
    return deadline(admitted_on, CEREMONY_AFTER_DECISION)


def probation_end(ceremony_on: dt.date) -> dt.date:
    return add_months(ceremony_on, PROBATION_MONTHS)


def recognition_due(ceremony_on: dt.date) -> dt.date:
    return deadline(probation_end(ceremony_on), RECOGNITION_AFTER_PROBATION)


def present_due(introduced_on: dt.date) -> dt.date:
    return deadline(introduced_on, PRESENT_AFTER_INTRODUCTION)


def periods() -> list[Period]:
    """The life cycle's time limits (workcal.horizons)."""
    return [CEREMONY_AFTER_DECISION, RECOGNITION_AFTER_PROBATION, PRESENT_AFTER_INTRODUCTION]
