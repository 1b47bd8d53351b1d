"""The resume page (lý lịch): relatives and biography, sensitive notes masked until revealed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.audit import reasons
from hoso.people import actions, reads, resume
from hoso.people.forms import EntryForm, PassportForm, RelativeForm
from hoso.people.views.dossier import _member


def member_resume(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk, opened=True)  # its actions check their own permissions
    user = acting_user(request)
    revealed = False
    relative_form, entry_form = RelativeForm(prefix="r"), EntryForm(prefix="e")
    passport_form = PassportForm(prefix="h")
    if request.method == "POST":
        op = request.POST.get("op")
        if op == "reveal":
            try:  # Denied (403) for roles that may not
                actions.resume.reveal(user, member, reason=request.POST.get("reason", ""))
            except reasons.ReasonError as exc:
                messages.error(request, str(exc))
            else:
                revealed = True
        elif op == "passport":
            passport_form = PassportForm(request.POST, prefix="h")
            if passport_form.is_valid():
                passport = actions.resume.add_passport(user, member, **passport_form.cleaned_data)
                messages.success(
                    request, _("Passport %(number)s added.") % {"number": passport.number}
                )
                return redirect("member-resume", pk=pk)
        elif op in {"relative", "entry"}:
            form = (
                RelativeForm(request.POST, prefix="r")
                if op == "relative"
                else EntryForm(request.POST, prefix="e")
            )
            if form.is_valid():
                add = actions.resume.add_relative if op == "relative" else actions.resume.add_entry
                try:
                    add(user, member, **form.cleaned_data)
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    done = _("Relative added.") if op == "relative" else _("Biography entry added.")
                    messages.success(request, done)
                    return redirect("member-resume", pk=pk)
            relative_form = form if op == "relative" else relative_form  # type: ignore[assignment]
            entry_form = form if op == "entry" else entry_form  # type: ignore[assignment]
    reads.note_member(user, member, "resume")
    return render(
        request,
        "people/resume.html",
        {
            "member": member,
            "revealed": revealed,
            "relatives": resume.masked_relatives(member, revealed),
            "entries": resume.masked_entries(member, revealed),
            "can_manage": policy.can(user, policy.Action.MEMBER_MANAGE, member.organization),
            "can_reveal": policy.can(user, policy.Action.SENSITIVE_REVEAL, member.organization),
            "passports": member.person.passports.order_by("-issued_on", "number"),
            "passport_form": passport_form,
            "relative_form": relative_form,
            "entry_form": entry_form,
        },
    )
