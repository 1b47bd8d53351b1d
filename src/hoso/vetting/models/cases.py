"""A vetting case and what hangs on it: team, pauses, evidence, steps taken, conclusions."""

from __future__ import annotations

from typing import Any, Self

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hoso.access import policy
from hoso.access.querysets import Scope, ScopedQuerySet, ScopedRecord
from hoso.access.roles import Clearance
from hoso.documents.models import Authority


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    REVIEW = "review", _("First review")
    AWAITING_DECISION = "awaiting_decision", _("Awaiting the decision to verify")
    PLANNING = "planning", _("Planning")
    VERIFYING = "verifying", _("Verifying")
    COMPILING = "compiling", _("Compiling and appraisal")
    PROPOSED = "proposed", _("Proposed")
    CONCLUDED = "concluded", _("Concluded")
    ARCHIVED = "archived", _("Archived")
    MORE_DOCUMENTS = "more_documents", _("More documents requested")
    SUSPENDED = "suspended", pgettext_lazy("case", "Suspended")  # paused, not a member's discipline
    WITHDRAWN = "withdrawn", _("Withdrawn")


CLOSED_STATES = (State.CONCLUDED, State.ARCHIVED, State.WITHDRAWN)


class CaseQuerySet(ScopedQuerySet["Case"]):
    def visible_to(self, user: Any, action: str | None = None) -> Self:
        """Scope and clearance; a restricted case only to its team and the heads above it."""
        qs = super().visible_to(user, action)
        if not getattr(user, "is_authenticated", False):
            return qs  # already empty
        on_team = Exists(TeamMember.objects.filter(case=OuterRef("pk"), user=user.pk))
        clause = policy.restricted_clause(
            user, action or self.view_action, involved=Q(assignee=user.pk) | Q(on_team)
        )
        return qs if clause is None else qs.filter(clause)

    def open(self) -> Self:
        return self.exclude(state__in=CLOSED_STATES)

    def on_team(self, user: Any) -> Self:
        """The cases the user is on: officer in charge or member of the team."""
        on_team = Exists(TeamMember.objects.filter(case=OuterRef("pk"), user=user.pk))
        return self.filter(Q(assignee=user.pk) | Q(on_team))


class Case(ScopedRecord):
    scope = Scope(policy.Action.CASE_VIEW, classification="classification")
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handling office"),
    )
    case_type = models.ForeignKey(
        "vetting.CaseType", on_delete=models.PROTECT, related_name="+", verbose_name=_("type")
    )
    version = models.ForeignKey(
        "vetting.CaseTypeVersion", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="cases", verbose_name=_("subject")
    )
    purpose = models.CharField(_("target post or purpose"), max_length=255)
    competent_committee = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("competent committee"),
    )
    request_number = models.CharField(_("requesting document number"), max_length=64)
    request_date = models.DateField(_("requesting document date"))
    request_issuer = models.CharField(_("issued by"), max_length=255)
    received_on = models.DateField(_("received on"))
    handed_over_by = models.CharField(_("handed over by"), max_length=150)
    handover_items = models.TextField(_("papers received (handover record)"))
    decision_number = models.CharField(_("decision to verify: number"), max_length=64, blank=True)
    decision_date = models.DateField(_("decision to verify: date"), null=True, blank=True)
    plan = models.TextField(_("verification plan"), blank=True)
    proposal = models.TextField(_("appraisal report and proposal"), blank=True)
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Clearance.choices, default=Clearance.CONFIDENTIAL
    )
    restricted = models.BooleanField(
        _("restricted"),
        default=False,
        help_text=_("Visible only to the team and the heads of the office and above."),
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    return_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    assignee = models.ForeignKey(
        "access.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("officer in charge"),
    )
    due_on = models.DateField(_("due by"), db_index=True)
    paused_since = models.DateField(_("clock paused since"), null=True, blank=True)
    # Compare-and-swap token of the worker: see notices/due.py.
    alert_version = models.PositiveIntegerField(default=0)
    alert_stage = models.PositiveSmallIntegerField(default=0)
    alert_due_on = models.DateField(null=True, blank=True)
    alert_claim = models.CharField(max_length=32, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("vetting case")
        verbose_name_plural = _("vetting cases")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["state", "due_on"], name="case_state_due"),
            # The report's days inside a month walk these (reports/ledgers.py: touched).
            models.Index(fields=["received_on"], name="case_received_on"),
            # The open cases of a scope (queues, the home page): a few percent of all cases,
            # found per organization without reading the closed ones (349 → 31 ms at 5M).
            models.Index(
                fields=["organization", "due_on"],
                condition=~models.Q(state__in=CLOSED_STATES),
                name="case_open_org",
            ),
        ]

    def __str__(self) -> str:
        return _("Case %(n)s") % {"n": self.pk}

    @property
    def is_open(self) -> bool:
        return self.state not in CLOSED_STATES


class TeamMember(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    leader = models.BooleanField(_("team leader"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="team_member_once")]
        ordering = ["-leader", "id"]

    def __str__(self) -> str:
        return str(self.user)


class Pause(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    started_on = models.DateField(_("paused on"))
    ended_on = models.DateField(_("resumed on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255)
    due_before = models.DateField()
    due_after = models.DateField(null=True, blank=True)
    started_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return self.reason


class CaseStep(models.Model):
    """The history of the case: every move, who made it, when, with what note."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    move = models.CharField(max_length=24)
    from_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=State.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(
                fields=["at"],
                condition=models.Q(to_state="withdrawn"),
                name="casestep_withdrawn_at",
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class FileKind(models.TextChoices):
    MINUTES = "minutes", _("Minutes of verification")
    EXPLANATION = "explanation", _("The subject's written explanation")
    REPLY = "reply", _("Reply to a verification request")
    OTHER = "other", _("Other document")


def _file_path(instance: CaseFile, filename: str) -> str:
    return f"cases/{instance.sha256[:2]}/{instance.sha256}"


class CaseFile(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="files")
    reply = models.ForeignKey(
        "vetting.Reply", on_delete=models.PROTECT, null=True, blank=True, related_name="files"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=FileKind.choices)
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(upload_to=_file_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class Conclusion(models.Model):
    """As signed by the competent committee. Never edited: a correction supersedes it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="conclusions")
    outcome = models.CharField(_("outcome"), max_length=32)
    outcome_label = models.CharField(max_length=150)
    text = models.TextField(_("full text as signed"))
    number = models.CharField(_("document number"), max_length=64)
    signed_on = models.DateField(_("date signed"))
    signer = models.CharField(_("signer"), max_length=150)
    authority = models.CharField(_("authority"), max_length=3, choices=Authority.choices)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("corrects"),
    )
    reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)
    # What the conclusion serves (purpose, post or list) and until when: set when it is
    # recorded, from the case and its type's rule; a later change is a ConclusionValidity.
    serves = models.CharField(_("serves (purpose, post or list)"), max_length=255, blank=True)
    valid_until = models.DateField(_("serves until"), null=True, blank=True, db_index=True)
    recorded_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        ordering = ["recorded_at", "id"]
        indexes = [models.Index(fields=["signed_on"], name="conclusion_signed_on")]

    def __str__(self) -> str:
        return f"{self.number} – {self.outcome_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("a conclusion is never edited: record a correction")
        super().save(*args, **kwargs)


class ConclusionValidity(models.Model):
    """A later statement of until when a conclusion serves (e.g. to the end of the term it
    was used for), with its reason and document. Append-only: the latest one counts."""

    conclusion = models.ForeignKey(Conclusion, on_delete=models.PROTECT, related_name="validity")
    valid_until = models.DateField(_("serves until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500)
    document = models.CharField(_("document number and date"), max_length=150, blank=True)
    recorded_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("validity of a conclusion")
        verbose_name_plural = _("validity of conclusions")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.conclusion} → {self.valid_until}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("a validity record is never edited: record a new one")
        super().save(*args, **kwargs)


class PlanSkip(models.Model):
    """A line of the verification plan, or one relative on it, that the officer decided not to
    verify, with the reason (e.g. a party member fully declared, HD 01-HD/TW §3.4). With
    `withdraws`, the withdrawal of such a decision. Append-only: never edited or deleted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="plan_skips")
    line = models.PositiveSmallIntegerField(_("line of the plan"))
    relative = models.ForeignKey(
        "people.Relative",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("relative"),
    )
    reason = models.CharField(_("reason"), max_length=500)
    withdraws = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="withdrawal",
        verbose_name=_("withdraws"),
    )
    recorded_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("line of the plan not verified")
        verbose_name_plural = _("lines of the plan not verified")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.line}: {self.reason}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("a plan record is never edited: record a withdrawal")
        super().save(*args, **kwargs)


class CasePetition(models.Model):
    """A petition about the subject received while the case is open: blocks the conclusion
    until an officer records how it was taken into account."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="petitions")
    petition_id = models.PositiveBigIntegerField(null=True, blank=True)
    reference = models.CharField(_("petition reference"), max_length=64)
    received_on = models.DateField(_("received on"))
    summary = models.CharField(_("summary"), max_length=500)
    consideration = models.TextField(_("how it was taken into account"), blank=True)
    considered_by = models.ForeignKey(
        "access.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    considered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return self.reference
