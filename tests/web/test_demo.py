"""`hoso demo` (the quick start) loads work at every step, through the real actions."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from hoso.audit.chain import verify
from hoso.cadres.models import Cadre, Entry, Plan
from hoso.notices.models import Notification
from hoso.petitions.models import Petition
from hoso.travel.models import Trip
from hoso.vetting.models import Case, Conclusion


def test_demo_loads_cases_petitions_and_trips(db: Any, capsys: Any) -> None:
    call_command("demo", members=1500)
    out = capsys.readouterr().out
    for account in ("vanthu", "chuyenvien2", "truongphong", "lanhdao"):
        assert account in out
    assert Case.objects.count() == 6 and Conclusion.objects.count() == 3
    assert set(Case.objects.values_list("state", flat=True)) == {
        "received",
        "verifying",
        "concluded",
    }
    assert Petition.objects.count() == 3 and Trip.objects.count() == 3
    assert Cadre.objects.count() == 6 and Plan.objects.count() == 1
    assert Entry.objects.count() == 3
    # The conclusions of the vetting demo serve the posts of the cadres they concern.
    assert Cadre.objects.filter(conclusion__isnull=False).exists()
    assert verify()[1] is None  # every demo change went through an audited action
    assert Notification.objects.exists()  # one worker pass ran
    call_command("demo", members=1500)  # a second run only resets the passwords
    assert Case.objects.count() == 6 and Petition.objects.count() == 3
