"""Reading a case, or a request for verification help, for display: one function each, used by
the web page, the API and the console command alike, so that no interface can forget the
read's audit event."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record
from hoso.audit.reads import open_one
from hoso.vetting.models import Case, HelpRequest, VerificationRequest


def open_case(actor: User, pk: int, *, via: str = "") -> Case:
    """The case, if `actor` may see it (else Http404), with the read recorded; `via` names an
    interface other than the web page and the API."""
    visible = Case.objects.visible_to(actor).select_related(
        "organization", "competent_committee", "version", "case_type", "person", "assignee"
    )
    details = {"via": via} if via else {}
    return open_one(visible, pk, events.CASE_VIEWED.code, actor, **details)


def note_case(actor: User, case: Case, page: str) -> None:
    """The read of a case a page has already opened and allowed (the conclusion form, which
    shows the case and the conclusion being corrected)."""
    record(events.CASE_VIEWED.code, actor=actor, obj=case, details={"page": page})


def open_help(actor: User, pk: int, *, via: str = "") -> HelpRequest:
    """The request for verification help, if `actor` may see it (else Http404), with the read
    recorded: it names a person another body asked about, and what was answered."""
    visible = HelpRequest.objects.visible_to(actor).select_related(
        "organization", "incoming", "requester_addressee", "assignee", "person", "answer"
    )
    details = {"via": via} if via else {}
    return open_one(visible, pk, events.HELP_VIEWED.code, actor, **details)


def open_request(actor: User, pk: int, *, via: str = "") -> VerificationRequest:
    """The verification request, if `actor` may see it (else Http404), with the read
    recorded: it names the person verified and what the addressee answered."""
    found = (
        VerificationRequest.objects.visible_to(actor)
        .select_related("case__organization", "document", "addressee")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    details = {"request_id": found.pk, **({"via": via} if via else {})}
    # Filed under its case, as the request's other events are.
    record(events.REQUEST_VIEWED.code, actor=actor, obj=found.case, details=details)
    return found


def case_subjects(user: Any, action: str | None, under: str) -> Any:
    """The persons of the cases `user` may see (under the path, if given), for the person
    pages and the candidate duplicates (people.hooks.PERSON_SOURCES)."""
    cases = Case.objects.visible_to(user, action)
    if under:
        cases = cases.filter(organization__path__startswith=under)
    return cases.values("person_id")


def person_cases(user: Any, person: Any) -> Any:
    """The person page's section: the cases about this human being (this record, and the
    records merged with it) that `user` may see."""
    from hoso.people.hooks import Section

    same = {person.pk, *person.merged.values_list("pk", flat=True)}
    if person.merged_into_id:
        same.add(person.merged_into_id)
    cases = (
        Case.objects.visible_to(user)
        .filter(person__in=same)
        .select_related("version", "organization")
        .prefetch_related("conclusions")
        .order_by("-received_on", "-id")
    )
    if not cases:
        return None
    return Section(_("Vetting cases"), "vetting/_person_cases.html", {"cases": cases})
