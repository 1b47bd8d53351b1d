"""`hoso cases --user USERNAME`: a user's work queues and requests from the console.

  hoso cases --user hoa --queue overdue          cases in a queue (mine, overdue, week, ...)
  hoso cases --user hoa --show 42                one case, its requests and conclusions
  hoso cases --user hoa --requests overdue       requests: open, overdue or all
  hoso cases --user hoa --count 2026-07-01 2026-09-30   requests and distinct persons

The console sees exactly what the user would see on the pages; showing a case is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils import timezone, translation

from hoso.access.models import User
from hoso.vetting import reads, verification
from hoso.vetting.models import Case, RequestState, VerificationRequest
from hoso.vetting.views.cases import QUEUES


class Command(BaseCommand):
    help = "List and show vetting cases and verification requests as a given user sees them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True)
        parser.add_argument("--queue", default="open", choices=list(QUEUES))
        parser.add_argument("--show", type=int)
        parser.add_argument("--requests", choices=["open", "overdue", "all"])
        parser.add_argument("--count", nargs=2, metavar=("FROM", "TO"))
        parser.add_argument("--lang", default="vi", choices=["vi", "en"])

    def handle(self, *args: Any, user: str, lang: str, **options: Any) -> None:
        translation.activate(lang)
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"unknown user {user!r}")
        cases = Case.objects.visible_to(actor)
        requests = VerificationRequest.objects.filter(case__in=cases.values("pk"))
        today = timezone.localdate()
        if options["show"]:
            self._show(actor, options["show"])
        elif options["requests"]:
            rows = {"open": requests.filter(state=RequestState.OPEN),
                    "overdue": verification.overdue(requests, today),
                    "all": requests}[options["requests"]]  # fmt: skip
            for vr in rows.select_related("document", "addressee").order_by("due_on", "id"):
                self.stdout.write(
                    f"{vr.document.reference}\t{vr.sent_on:%d/%m/%Y}\t{vr.due_on:%d/%m/%Y}\t"
                    f"{vr.get_state_display()}\t{vr.person_label}\t{vr.addressee}"
                )
        elif options["count"]:
            try:
                start, end = (dt.date.fromisoformat(d) for d in options["count"])
            except ValueError:
                raise CommandError("dates as YYYY-MM-DD") from None
            counted = verification.counts(requests, start, end)
            self.stdout.write(" ".join(f"{k}={v}" for k, v in counted.items()))
        else:
            queue = QUEUES[options["queue"]][1](cases, actor, today)
            for case in queue.select_related("person", "version").order_by("due_on", "id"):
                self.stdout.write(
                    f"{case.pk}\t{case.due_on:%d/%m/%Y}\t{case.get_state_display()}\t"
                    f"{case.person}\t{case.version.name}\t{case.purpose}"
                )

    def _show(self, actor: User, pk: int) -> None:
        try:
            case = reads.open_case(actor, pk, via="console")
        except Http404:
            raise CommandError(f"no case {pk} visible to {actor.username}") from None
        self.stdout.write(f"{case.pk} {case.person} — {case.version.name} — {case.purpose}")
        self.stdout.write(f"{case.get_state_display()}, hạn {case.due_on:%d/%m/%Y}")
        for vr in case.requests.select_related("document", "addressee"):
            self.stdout.write(f"  {vr.document.reference} {vr.person_label} → {vr.addressee}: "
                              f"{vr.get_state_display()}")  # fmt: skip
        for c in case.conclusions.all():
            self.stdout.write(f"  {c.number} {c.signed_on:%d/%m/%Y}: {c.outcome_label}")
