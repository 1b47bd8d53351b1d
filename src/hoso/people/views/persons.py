"""A person's page (every role one human being has in hoso), the candidate duplicates of a
scope, and the identity decisions an officer takes from them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.orgs.models import Organization
from hoso.people import actions, hooks, identity, reads
from hoso.people.actions.identity import IdentityError
from hoso.people.forms import DecisionForm, FromRelativeForm
from hoso.people.models import IdentityDecision, Member, Person, Relative

A = policy.Action


def _may_decide(user: Any) -> bool:
    return bool(policy.scope_paths(user, A.PERSON_LINK))


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    person = reads.open_person(user, pk)
    visible = identity.visible_persons(user)
    member = Member.objects.visible_to(user).filter(person=person).first()
    context = {
        "person": person,
        "member": member,
        "kept": person.merged_into_id and visible.filter(pk=person.merged_into_id).first(),
        "merged": visible.filter(merged_into=person),
        "declared_as": Relative.objects.visible_to(user)
        .filter(identity=person)
        .select_related("relationship", "person__member"),
        "decisions": _decisions(user, person),
        "candidates": identity.candidates_for(user, person) if _may_decide(user) else [],
        "can_decide": _may_decide(user),
        "form": DecisionForm(),
        "sections": [
            (section.title, render_to_string(section.template, section.context, request))
            for section in hooks.sections_for(user, person)
        ],
    }
    return render(request, "people/person.html", context)


def _decisions(user: Any, person: Person) -> list[dict[str, Any]]:
    """The decisions about this record; the other record of each is named only to those who
    may see it."""
    rows = IdentityDecision.objects.filter(Q(person=person) | Q(other=person)).select_related(
        "by", "person", "other", "relative"
    )
    seen = set(
        identity.visible_persons(user)
        .filter(pk__in={r.other_id for r in rows} | {r.person_id for r in rows})
        .values_list("pk", flat=True)
    )
    relatives = set(
        Relative.objects.visible_to(user)
        .filter(pk__in={r.relative_id for r in rows if r.relative_id})
        .values_list("pk", flat=True)
    )
    found = []
    for row in rows.order_by("at", "id"):
        other: Person | Relative | None = row.other if row.person_id == person.pk else row.person
        if row.relative_id:
            other = row.relative if row.relative_id in relatives else None
        elif other is not None and other.pk not in seen:
            other = None
        found.append({"d": row, "other": other})
    return found


def _decided(request: HttpRequest, done: str) -> None:
    messages.success(request, done)


def _reason(request: HttpRequest) -> str:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        raise IdentityError(_("Give the reason for this decision (at least 5 characters)."))
    return str(form.cleaned_data["reason"])


def _visible_person(user: Any, raw: str) -> Person:
    found = identity.visible_persons(user).filter(pk=_number(raw)).first()
    if found is None:
        raise Http404
    return found


def _number(raw: str) -> int:
    return int(raw) if raw.isdigit() and len(raw) < 19 else 0


@require_POST
def person_decide(request: HttpRequest, pk: int, op: str) -> HttpResponse:
    """merge (other into this one), unmerge (this one from where it was merged), distinct
    (this one and `other`, a person `p<id>` or a relative `r<id>`)."""
    user = acting_user(request)
    person = reads.open_person(user, pk)
    other = request.POST.get("other", "")
    try:
        reason = _reason(request)
        if op == "merge":
            actions.identity.merge(user, person, _visible_person(user, other), reason=reason)
            _decided(request, _("The two records are now one person."))
        elif op == "unmerge":
            actions.identity.unmerge(user, person, reason=reason)
            _decided(request, _("The merge is undone: the two records are separate again."))
        elif op == "distinct":
            actions.identity.mark_distinct(user, person, _other(user, other), reason=reason)
            _decided(request, _("Recorded: they are two people; the pair is no longer proposed."))
        else:
            raise Http404
    except IdentityError as exc:
        messages.error(request, str(exc))
    return redirect("person-detail", pk=person.pk)


def _other(user: Any, raw: str) -> Person | Relative:
    if raw.startswith("r"):
        relative = Relative.objects.visible_to(user).filter(pk=_number(raw[1:])).first()
        if relative is None:
            raise Http404
        return relative
    return _visible_person(user, raw.removeprefix("p"))


def relative_identity(request: HttpRequest, pk: int) -> HttpResponse:
    """Who a declared relative is: the persons proposed, linking to one, making the relative
    a person of their own (to vet them), or undoing the link."""
    user = acting_user(request)
    if request.method == "POST":  # a decision: audited as itself, not as a read
        relative = get_object_or_404(Relative.objects.visible_to(user), pk=pk)
        return _relative_decide(request, user, relative)
    relative = reads.open_relative(user, pk)
    proposed = sex = None
    if relative.identity_id is None and _may_decide(user):
        proposed = identity.persons_for_relative(user, relative)
        sex = identity.SEX_OF_RELATIONSHIP.get(relative.relationship.code)
    linked = relative.identity_id and (
        identity.visible_persons(user).filter(pk=relative.identity_id).first()
    )
    context = {
        "relative": relative,
        "member": Member.objects.visible_to(user).filter(person=relative.person_id).first(),
        "linked": linked,
        "proposed": proposed,
        "can_decide": _may_decide(user),
        "form": DecisionForm(),
        "person_form": FromRelativeForm(initial={"sex": sex}),
    }
    return render(request, "people/relative_identity.html", context)


def _relative_decide(request: HttpRequest, user: Any, relative: Relative) -> HttpResponse:
    op = request.POST.get("op")
    try:
        if op == "link":
            person = _visible_person(user, request.POST.get("person", ""))
            actions.identity.link_relative(user, relative, person, reason=_reason(request))
            _decided(request, _("The relative is linked to the person."))
        elif op == "unlink":
            actions.identity.unlink_relative(user, relative, reason=_reason(request))
            _decided(request, _("The link is undone."))
        elif op == "person":
            form = FromRelativeForm(request.POST)
            if not form.is_valid():
                raise IdentityError(_("Choose the sex and give the reason."))
            person = actions.identity.person_from_relative(
                user, relative, sex=form.cleaned_data["sex"], reason=form.cleaned_data["reason"]
            )
            _decided(request, _("A person record was made from the relative."))
            return redirect("person-detail", pk=person.pk)
        else:
            raise Http404
    except IdentityError as exc:
        messages.error(request, str(exc))
    return redirect("relative-identity", pk=relative.pk)


PAGE = 100


def duplicates(request: HttpRequest) -> HttpResponse:
    """The candidate pairs under one organization of the user's scope (default: their
    first grant), a hundred a page."""
    user = acting_user(request)
    paths = policy.scope_paths(user, A.PERSON_LINK)
    if not paths:
        raise Http404
    visible = Organization.objects.visible_to(user, A.PERSON_LINK)
    code = request.GET.get("org", "").strip().upper()
    org = visible.filter(code=code).first() if code else visible.filter(path=paths[0]).first()
    if org is None:
        raise Http404
    pairs = reads.list_duplicates(user, org)
    page = Paginator(pairs, PAGE).get_page(request.GET.get("page"))
    context = {"org": org, "page": page, "count": len(pairs), "form": DecisionForm()}
    return render(request, "people/duplicates.html", context)
