"""The Party organization tree (tổ chức đảng) and committee terms (nhiệm kỳ cấp ủy)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from hoso.access import policy
from hoso.access.querysets import Scope, ScopedQuerySetMixin
from hoso.lib import vntext


class Level(models.TextChoices):
    """Levels of Party organization, top to bottom (no district level since 07/2025)."""

    CENTRAL = "central", _("Central")
    PROVINCIAL = "provincial", _("Provincial committee")
    UPPER_BASE = "upper_base", _("Upper-base committee")
    BASE = "base", _("Base organization")
    SUB_BASE = "sub_base", _("Sub-base committee")
    CELL = "cell", _("Party cell")
    GROUP = "group", _("Party group")


# The sign an issuer carries on its documents' numbers ("15-KL/ĐU") when none is recorded:
# the usual one of its level (Hướng dẫn 36-HD/VPTW on Party documents' format).
LEVEL_SIGNS = {
    Level.CENTRAL: "TW",
    Level.PROVINCIAL: "TU",
    Level.UPPER_BASE: "ĐU",
    Level.BASE: "ĐU",
    Level.SUB_BASE: "ĐU",
    Level.CELL: "CB",
    Level.GROUP: "TĐ",
}
ABBREVIATION = RegexValidator(
    r"^[A-ZĐ0-9]+(-[A-ZĐ0-9]+)*$",
    _("Capital letters and digits only, parts joined by a hyphen, no spaces (e.g. BTCTU, ĐU)."),
)


def document_sign(level: str, abbreviation: str = "") -> str:
    return abbreviation or LEVEL_SIGNS.get(Level(level), "")


class OrganizationQuerySet(ScopedQuerySetMixin, MP_NodeQuerySet):
    def open_on(self, day: date) -> OrganizationQuerySet:
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


class OrganizationManager(MP_NodeManager):
    """Treebeard's manager hard-codes its queryset class; this one returns the scoped one."""

    def get_queryset(self) -> OrganizationQuerySet:
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")

    def visible_to(self, user: Any, action: str | None = None) -> OrganizationQuerySet:
        return self.get_queryset().visible_to(user, action)


class Organization(MP_Node):
    """One node of the tree. A grant on a node covers its whole subtree (its path prefix)."""

    scope = Scope(policy.Action.ORG_VIEW, path="path")

    # Four base-36 characters per level: 1.6 million siblings, 63 levels.
    steplen = 4
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    node_order_by = None

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        help_text=_("The unit's unique code in hoso (imports, exchange); not printed."),
    )
    abbreviation = models.CharField(
        _("abbreviation on documents"),
        max_length=20,
        blank=True,
        validators=[ABBREVIATION],
        help_text=_("After the slash in document numbers, e.g. BTCTU in 13-KH/BTCTU; empty: "
                    "the level's usual one (TU, ĐU, CB)."),
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    valid_from = models.DateField(_("valid from"), default=date(1930, 2, 3))
    valid_to = models.DateField(_("closed on"), null=True, blank=True)
    closed_reason = models.CharField(_("reason for closing"), max_length=255, blank=True)
    # Copies of the name kept by save(): its folded words between spaces (the picker's search,
    # orgs/search.py, GIN-indexed on PostgreSQL) and its collation key (the results' order).
    search_name = models.CharField(max_length=400, editable=False, default="")
    sort_key = models.BinaryField(editable=False, default=b"")

    objects = OrganizationManager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["path"]
        indexes = [
            # Subtree filters are `path LIKE 'prefix%'`; PostgreSQL needs pattern ops to use an
            # index for that under a non-C collation (ignored on SQLite).
            models.Index(
                fields=["path"], name="org_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
            # The organizations directly below one (`depth = d AND path LIKE 'prefix%'`): the
            # reports' breakdowns; without it the whole subtree is read to keep one level.
            models.Index(
                fields=["depth", "path"],
                name="org_children",
                opclasses=["int4_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.valid_to is None

    @property
    def document_sign(self) -> str:
        return document_sign(self.level, self.abbreviation)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name, self.sort_key = name_columns(self.name, self.short_name)
        fields = kwargs.get("update_fields")
        if fields is not None and {"name", "short_name"} & set(fields):
            kwargs["update_fields"] = {*fields, "search_name", "sort_key"}
        self.full_clean(exclude=["path", "depth", "numchild"])
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        # Treebeard would delete the whole subtree; records must survive, so nodes are closed.
        raise RuntimeError("organizations are closed, never deleted")


def name_columns(name: str, short_name: str = "") -> tuple[str, bytes]:
    """(search_name, sort_key) of a name: what save() stores, and what a bulk writer (synth)
    must store too. The short name's words are searched as well (“BTCTU”, “Tỉnh ủy HN”)."""
    words = vntext.words(f"{name} {short_name}")
    return f" {' '.join(words)} "[:400], vntext.text_key(name)


class Term(models.Model):
    """A committee term (nhiệm kỳ). Document numbers restart in each term."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="terms", verbose_name=_("organization")
    )
    name = models.CharField(_("name"), max_length=64, help_text=_("e.g. 2025-2030"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("committee term")
        verbose_name_plural = _("committee terms")
        ordering = ["organization", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="term_unique_name"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="term_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization.code} {self.name}"
