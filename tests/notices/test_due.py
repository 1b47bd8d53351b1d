"""The registry, the command, and the inbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from hoso.lib import context
from hoso.notices import due
from hoso.notices.models import Notification
from tests.conftest import Personas, client_for


def test_two_sources_may_not_share_a_name() -> None:
    case = due.SOURCES["case"]
    assert due.register(case) is case  # registering the same source again is harmless
    with pytest.raises(ValueError, match="'case'"):
        due.register(due.Source(**{**vars(case), "key": None}))
    assert due.SOURCES["case"] is case


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        (dt.date(2026, 4, 11), 0),
        (dt.date(2026, 4, 12), 1),
        (dt.date(2026, 4, 15), 1),
        (dt.date(2026, 4, 16), 2),
    ],
)
def test_stages(today: dt.date, stage: int) -> None:
    assert due.stage(dt.date(2026, 4, 15), dt.date(2026, 4, 12), today) == stage
    assert due.stage(dt.date(2026, 4, 15), None, today) == (2 if stage == 2 else 0)


def test_the_command_runs_as_the_worker(db: Any, monkeypatch: Any, capsys: Any) -> None:
    from hoso.notices.management.commands import worker

    seen: list[str] = []

    def run_once(today: dt.date) -> due.Pass:
        seen.append(context.current().channel)
        return due.Pass(3, 5, {"case": (1, 2), "petition": (2, 3)})

    monkeypatch.setattr(worker, "run_once", run_once)
    call_command("worker", "--once", verbosity=2)
    assert seen == ["worker"]
    out = capsys.readouterr().out
    assert "claimed 3, notifications 5" in out and "petition: claimed 2, notifications 3" in out


def test_each_reads_and_marks_only_their_own(personas: Personas) -> None:
    mine = Notification.objects.create(user=personas.clerk_a, key="a", text="Của tôi", url="/")
    other = Notification.objects.create(user=personas.officer_b, key="b", text="ZZB khác")
    client = client_for(personas.clerk_a)
    page = client.get(reverse("notices")).content.decode()
    assert "Của tôi" in page and "ZZB" not in page
    assert client.post(reverse("notices-read")).status_code == 302
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.read_at is not None and other.read_at is None
