"""Cadres (cán bộ): the management category and the posts a person holds, and the planning
and candidacy lists (quy hoạch, danh sách ứng cử) with the people in them.

A cadre record is kept by an organization (its scope) for one person, member or not. What the
worker reads to remind of an expiring conclusion (the latest conclusion a post or an entry
depends on, and until when it serves) is copied onto the cadre and the entry rows
(`cadres/actions/depends.py`), so that the reminder's deadline is a column of its own row.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.querysets import Scope, ScopedQuerySet, ScopedRecord
from hoso.orgs.models import Level


def codes(text: str) -> list[str]:
    """Case type codes written as a comma-separated list."""
    return [c.strip().upper() for c in text.replace(";", ",").split(",") if c.strip()]


# ---- catalogues --------------------------------------------------------------------------


class ManagementCategory(models.Model):
    """Diện quản lý: which committee manages a cadre (diện Ban Thường vụ Tỉnh ủy quản lý …)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    level = models.CharField(
        _("level of the managing committee"),
        max_length=16,
        choices=Level.choices,
        help_text=_("The managing committee is proposed at this level above the person."),
    )
    active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("management category")
        verbose_name_plural = _("management categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class PostMode(models.TextChoices):
    ELECTED = "elected", _("Elected (committee member, deputy)")
    APPOINTED = "appointed", _("Appointed")


class PostKind(models.Model):
    """Chức danh: a kind of post, whether it is key (chủ chốt) or secret/important (trọng yếu,
    cơ mật), elected or appointed."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    key = models.BooleanField(_("key post (chủ chốt)"), default=False)
    secret = models.BooleanField(_("secret or important post (trọng yếu, cơ mật)"), default=False)
    mode = models.CharField(_("elected or appointed"), max_length=10, choices=PostMode.choices)
    active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("post kind")
        verbose_name_plural = _("post kinds")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def elected(self) -> bool:
        return self.mode == PostMode.ELECTED


class CadreRule(models.Model):
    """The configurable reminder rule (one row)."""

    lead_days = models.PositiveSmallIntegerField(
        _("remind this many days before a conclusion expires"), default=60
    )
    post_case_types = models.CharField(
        _("case types whose conclusions serve for a post"),
        max_length=255,
        blank=True,
        default="BO_NHIEM,QUY_HOACH,LUAN_CHUYEN,TRONG_YEU,UNG_CU_QH,UNG_CU_HDND,NHAN_SU_DH",
        help_text=_("Codes separated by commas; empty: a conclusion of any type."),
    )

    class Meta:
        verbose_name = _("cadre reminder rule")
        verbose_name_plural = _("cadre reminder rule")

    def __str__(self) -> str:
        return str(_("%(days)d days before expiry") % {"days": self.lead_days})

    @classmethod
    def current(cls) -> CadreRule:
        """The row, or its defaults before anyone saved it (read without writing)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @property
    def case_types(self) -> list[str] | None:
        return codes(self.post_case_types) or None


class ListKind(models.TextChoices):
    PLANNING = "planning", _("Planning (quy hoạch)")
    NATIONAL_ASSEMBLY = "national_assembly", _("Candidacy: National Assembly")
    COUNCIL_PROVINCE = "council_province", _("Candidacy: People's Council of the province")
    COUNCIL_COMMUNE = "council_commune", _("Candidacy: People's Council of the commune")
    CONGRESS = "congress", _("Party congress personnel")


# The case types whose conclusions serve each kind of list, unless configured (ListRule).
LIST_DEFAULTS = {
    ListKind.PLANNING: "QUY_HOACH",
    ListKind.NATIONAL_ASSEMBLY: "UNG_CU_QH",
    ListKind.COUNCIL_PROVINCE: "UNG_CU_HDND",
    ListKind.COUNCIL_COMMUNE: "UNG_CU_HDND",
    ListKind.CONGRESS: "NHAN_SU_DH",
}


class ListRule(models.Model):
    """For each kind of list, the case types whose conclusions serve for it (the default of a
    new list)."""

    kind = models.CharField(_("kind of list"), max_length=20, choices=ListKind.choices, unique=True)
    case_types = models.CharField(
        _("case types whose conclusions serve"),
        max_length=255,
        help_text=_("Codes separated by commas, e.g. QUY_HOACH; empty: any type."),
        blank=True,
    )

    class Meta:
        verbose_name = _("case types of a kind of list")
        verbose_name_plural = _("case types of the kinds of lists")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.case_types}"


# ---- cadres and their posts ---------------------------------------------------------------


class Cadre(ScopedRecord):
    """One person as a cadre: management category and managing committee, kept by an
    organization. The worker's columns remind before the conclusion the person's current
    key, secret or elected post depends on expires."""

    scope = Scope(policy.Action.CADRE_VIEW, path="org_path")
    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="cadre", verbose_name=_("person")
    )
    # Copies, so that scope, search and name order are one table and its indexes (as Member's):
    # the keeping organization's path, the person's collation key and folded names (kept in
    # step with the person by cadres.actions.names).
    org_path = models.CharField(max_length=255, editable=False)
    sort_key = models.BinaryField(editable=False)
    search_text = models.CharField(max_length=600, editable=False)
    category = models.ForeignKey(
        ManagementCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("management category"),
    )
    committee = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("managing committee"),
    )
    category_since = models.DateField(_("in the category since"), null=True, blank=True)
    category_decision = models.CharField(_("decision number"), max_length=64, blank=True)
    category_decision_on = models.DateField(_("decision date"), null=True, blank=True)
    # Copied by cadres.actions.depends: the latest conclusion a post depends on, until when.
    conclusion = models.ForeignKey(
        "vetting.Conclusion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    conclusion_until = models.DateField(null=True, blank=True, db_index=True)
    # Compare-and-swap token of the worker: see notices/due.py.
    alert_version = models.PositiveIntegerField(default=0)
    alert_stage = models.PositiveSmallIntegerField(default=0)
    alert_due_on = models.DateField(null=True, blank=True)
    alert_claim = models.CharField(max_length=32, blank=True)

    objects = ScopedQuerySet["Cadre"].as_manager()

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        indexes = [
            models.Index(
                fields=["org_path"], name="cadre_org_path", opclasses=["varchar_pattern_ops"]
            ),
            # List pages: ORDER BY sort_key, id with keyset pagination, filtered by scope.
            models.Index(fields=["sort_key", "id"], name="cadre_sort"),
        ]

    def __str__(self) -> str:
        return str(self.person)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.org_path = self.organization.path
        self.sort_key = self.person.sort_key
        self.search_text = self.person.search_text
        fields = kwargs.get("update_fields")
        if fields is not None:
            kwargs["update_fields"] = {*fields, "org_path", "sort_key", "search_text"}
        super().save(*args, **kwargs)


class Post(models.Model):
    """A post held (or once held), with its dates and decisions; ended, never deleted."""

    scope = Scope(policy.Action.CADRE_VIEW, path="cadre__org_path")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="posts")
    kind = models.ForeignKey(
        PostKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("post kind")
    )
    title = models.CharField(_("post as written in the decision"), max_length=255)
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Party organization"),
    )
    body = models.CharField(
        _("agency or body (as written)"),
        max_length=255,
        blank=True,
        help_text=_("When it is not a Party organization in hoso."),
    )
    elected_body = models.CharField(
        _("elected body"),
        max_length=255,
        blank=True,
        help_text=_("e.g. Ban Chấp hành Đảng bộ tỉnh, Hội đồng nhân dân tỉnh"),
    )
    term = models.CharField(_("term"), max_length=32, blank=True, help_text=_("e.g. 2025-2030"))
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True)
    decision_number = models.CharField(
        _("appointing or electing decision number"), max_length=64, blank=True
    )
    decision_on = models.DateField(_("decision date"), null=True, blank=True)
    end_decision_number = models.CharField(_("ending decision number"), max_length=64, blank=True)
    end_decision_on = models.DateField(_("ending decision date"), null=True, blank=True)
    end_reason = models.CharField(_("reason for the end"), max_length=500, blank=True)
    recorded_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet["Post"].as_manager()

    class Meta:
        verbose_name = _("post held")
        verbose_name_plural = _("posts held")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["cadre", "ended_on"], name="post_cadre_current")]

    def __str__(self) -> str:
        return self.title

    @property
    def current(self) -> bool:
        return self.ended_on is None

    @property
    def where(self) -> str:
        return self.organization.name if self.organization is not None else self.body


def depends_on_conclusion() -> Q:
    """Posts a conclusion must serve: current, key, secret or elected."""
    return Q(ended_on__isnull=True) & (
        Q(kind__key=True) | Q(kind__secret=True) | Q(kind__mode=PostMode.ELECTED)
    )


# ---- planning and candidacy lists -------------------------------------------------------


class Plan(ScopedRecord):
    """A planning list (per term and post level) or a candidacy list (per election, per party
    congress) of an organization."""

    scope = Scope(policy.Action.CADRE_VIEW)
    kind = models.CharField(_("kind of list"), max_length=20, choices=ListKind.choices)
    name = models.CharField(_("name"), max_length=255)
    term = models.CharField(_("term"), max_length=32, blank=True, help_text=_("e.g. 2025-2030"))
    election_on = models.DateField(_("election or congress date"), null=True, blank=True)
    post_level = models.CharField(
        _("post level or target posts"),
        max_length=255,
        blank=True,
        help_text=_("e.g. Ủy viên Ban Thường vụ Tỉnh ủy"),
    )
    case_types = models.CharField(
        _("case types whose conclusions serve"),
        max_length=255,
        blank=True,
        help_text=_("Codes separated by commas; empty: any type."),
    )
    decision_number = models.CharField(_("approving decision number"), max_length=64, blank=True)
    decision_on = models.DateField(_("decision date"), null=True, blank=True)
    ends_on = models.DateField(
        _("in use until"),
        null=True,
        blank=True,
        help_text=_("After this day its entries are no longer reminded of."),
    )

    objects = ScopedQuerySet["Plan"].as_manager()

    class Meta:
        verbose_name = _("planning or candidacy list")
        verbose_name_plural = _("planning and candidacy lists")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def type_codes(self) -> list[str] | None:
        return codes(self.case_types) or None


class Entry(models.Model):
    """A person in a list: added by a decision, removed by a decision, never deleted."""

    scope = Scope(policy.Action.CADRE_VIEW, path="plan__organization__path")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="entries")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    target_post = models.CharField(_("target post"), max_length=255, blank=True)
    added_number = models.CharField(_("added by decision number"), max_length=64)
    added_on = models.DateField(_("decision date"))
    added_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    removed_number = models.CharField(_("removed by decision number"), max_length=64, blank=True)
    removed_on = models.DateField(_("removal decision date"), null=True, blank=True)
    removed_reason = models.CharField(_("reason for the removal"), max_length=500, blank=True)
    removed_by = models.ForeignKey(
        "access.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Copied by cadres.actions.depends: the latest conclusion of the list's case types.
    conclusion = models.ForeignKey(
        "vetting.Conclusion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    conclusion_until = models.DateField(null=True, blank=True, db_index=True)
    alert_version = models.PositiveIntegerField(default=0)
    alert_stage = models.PositiveSmallIntegerField(default=0)
    alert_due_on = models.DateField(null=True, blank=True)
    alert_claim = models.CharField(max_length=32, blank=True)

    objects = ScopedQuerySet["Entry"].as_manager()

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        ordering = ["plan", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "person"],
                condition=Q(removed_on__isnull=True),
                name="entry_once_per_list",
            )
        ]
        indexes = [models.Index(fields=["plan", "removed_on"], name="entry_plan_current")]

    def __str__(self) -> str:
        return f"{self.plan}: {self.person}"

    @property
    def current(self) -> bool:
        return self.removed_on is None
