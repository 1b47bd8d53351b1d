"""Emergency access to a dossier outside one's grants: opening it (a number typed in full and
a reason), ending it early, and the heads' review queue."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.access.models import BreakGlass, User
from hoso.audit import events
from hoso.audit.chain import record
from hoso.audit.models import AuditEvent
from hoso.audit.reads import listed
from hoso.people.actions import glass as actions

READS_SHOWN = 200  # the reads under one access listed for its review


class OpenForm(forms.Form):
    card_number = forms.CharField(label=gettext_lazy("Party card number"), required=False,
                                  max_length=32)  # fmt: skip
    citizen_id = forms.CharField(label=gettext_lazy("or citizen ID (CCCD)"), required=False,
                                 max_length=12)  # fmt: skip
    reason = forms.CharField(label=gettext_lazy("Why it must be opened now"),
                             widget=forms.Textarea(attrs={"rows": 3}), max_length=500)  # fmt: skip
    hours = forms.TypedChoiceField(label=gettext_lazy("For"), coerce=int)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        most = settings.BREAK_GLASS_MAX_HOURS
        choices = [
            (h, _("%(h)d hours") % {"h": h} if h > 1 else _("1 hour")) for h in range(1, most + 1)
        ]
        self.fields["hours"].choices = choices  # type: ignore[attr-defined]
        self.fields["hours"].initial = min(2, most)


class ReviewForm(forms.Form):
    justified = forms.TypedChoiceField(
        label=gettext_lazy("Verdict"),
        coerce=lambda v: v == "yes",
        choices=[("yes", gettext_lazy("Justified")), ("no", gettext_lazy("Not justified"))],
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500)


def _holder(request: HttpRequest) -> User:
    user = acting_user(request)
    if not policy.scope_paths(user, policy.Action.MEMBER_VIEW):
        raise Http404
    return user


def glass_open(request: HttpRequest) -> HttpResponse:
    user = _holder(request)
    form = OpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            glass = actions.open_glass(user, **form.cleaned_data)
        except actions.GlassError as exc:
            form.add_error(None, str(exc))
        else:
            opened = _("Emergency access opened: every read is recorded and the heads above "
                       "the dossier will review it.")  # fmt: skip
            messages.warning(request, opened)
            return redirect("member-detail", pk=glass.member_id)
    mine = BreakGlass.objects.filter(user=user).select_related("reviewed_by")[:50]
    context = {"form": form, "mine": mine, "now": timezone.now(),
               "most": settings.BREAK_GLASS_MAX_HOURS}  # fmt: skip
    return render(request, "people/glass.html", context)


@require_POST
def glass_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = _holder(request)
    glass = get_object_or_404(BreakGlass, pk=pk, user=user)
    try:
        actions.close_glass(user, glass)
    except actions.GlassError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Emergency access ended."))
    return redirect("glass-open")


def _reviewable(user: User) -> QuerySet[BreakGlass]:
    return BreakGlass.objects.visible_to(user).select_related("user", "organization", "reviewed_by")


def glass_review(request: HttpRequest) -> HttpResponse:
    """The accesses to dossiers under the head's organizations, those waiting first."""
    user = acting_user(request)
    if not policy.scope_paths(user, policy.Action.BREAK_GLASS_REVIEW):
        raise Http404
    pending_first = Case(When(review=BreakGlass.Review.PENDING, then=Value(0)), default=Value(1),
                         output_field=IntegerField())  # fmt: skip
    rows = list(_reviewable(user).order_by(pending_first, "-opened_at", "-id")[:200])
    listed(user, "emergency-accesses", request.GET, len(rows))  # names, numbers, reasons
    return render(request, "people/glass_review.html", {"rows": rows, "now": timezone.now()})


def glass_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One access for its review: who, which dossier, why, and every read made under it."""
    user = acting_user(request)
    glass = get_object_or_404(_reviewable(user), pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.review_glass(user, glass, justified=form.cleaned_data["justified"],
                                 note=form.cleaned_data["note"])  # fmt: skip
        except actions.GlassError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Review recorded."))
            return redirect("glass-review")
    end = min(glass.closed_at or glass.expires_at, glass.expires_at)
    made = AuditEvent.objects.filter(  # the holder's reads that went through this access
        actor=glass.user, created_at__range=(glass.opened_at, end), details__break_glass=glass.pk
    ).order_by("created_at", "id")
    total = made.count()
    # What the holder read is itself a page of the audit trail.
    record(events.AUDIT_VIEWED.code, actor=user, obj=glass, details={"reviewed": glass.pk})
    shown = [(event, events.REGISTRY[event.event_type].label) for event in made[:READS_SHOWN]]
    context = {"glass": glass, "reads": shown, "total": total, "form": form,
               "own": glass.user_id == user.pk}  # fmt: skip
    return render(request, "people/glass_detail.html", context)
