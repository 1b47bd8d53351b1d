"""Import a cadre list from Excel: management categories and posts of persons already in hoso,
found by citizen ID or by Party card number within the importer's scope.

The sheet is read, cut into batches and parsed by people.importer's machinery (the same
limits against oversized or malicious files, the same cell parsers and Vietnamese messages);
this module only names the columns and checks what a row means. The whole file is written in
one transaction by `cadres.actions.imports`, or nothing is.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoso.access import policy
from hoso.access.models import User
from hoso.cadres.actions.records import CadreError, check_post, committee_above
from hoso.cadres.models import Cadre, ManagementCategory, PostKind
from hoso.cadres.reach import line_orgs, reachable
from hoso.lib import excel, vntext
from hoso.orgs.models import Organization
from hoso.people.importer import Column, Invalid, Report, _digits, _plain_date, _text
from hoso.people.models import Member, Person

MANAGE = policy.Action.CADRE_MANAGE


def _code(limit: int) -> Any:
    return lambda value: _text(value, limit)


COLUMNS = [
    Column("Số CCCD", "citizen_id", _digits(12, "Số CCCD")),
    Column("Số thẻ đảng viên", "card_number", _code(32)),
    Column("Họ và tên", "full_name", _code(200)),
    Column("Diện quản lý", "category", _code(255)),
    Column("Thuộc diện từ ngày", "category_since", _plain_date),
    Column("Quyết định về diện quản lý", "category_decision", _code(64)),
    Column("Chức danh", "kind", _code(255)),
    Column("Chức vụ (ghi như quyết định)", "title", _code(255)),
    Column("Ký hiệu tổ chức đảng", "org_code", lambda v: _text(v, 32).upper()),
    Column("Cơ quan, đơn vị", "body", _code(255)),
    Column("Cơ quan dân cử", "elected_body", _code(255)),
    Column("Nhiệm kỳ", "term", _code(32)),
    Column("Từ ngày", "started_on", _plain_date),
    Column("Số quyết định", "decision_number", _code(64)),
    Column("Ngày quyết định", "decision_on", _plain_date),
]

TEMPLATE_EXAMPLE = [
    "001080012345",
    "",
    "Nguyễn Văn An",
    "BTVTU",
    "01/11/2025",
    "125-QĐ/TU",
    "PCT_UBND_XA",
    "Phó Chủ tịch Ủy ban nhân dân xã An Bình",
    "",
    "Ủy ban nhân dân xã An Bình",
    "Hội đồng nhân dân xã An Bình",
    "2021-2026",
    "15/07/2021",
    "05/NQ-HĐND",
    "15/07/2021",
]

COLUMN_HELP = gettext_lazy(
    "Each row: a person already in hoso within your scope, by citizen ID or Party card "
    "number; then a management category (code or name, with the date), a post (kind code or "
    "name, from date, decision), or both. Several rows may name the same person (one post "
    "each). Dates as dd/mm/yyyy. An elected post needs the elected body and the term."
)


def template() -> bytes:
    columns = [(c.header, operator.itemgetter(i)) for i, c in enumerate(COLUMNS)]
    return excel.write_table("Danh sách cán bộ", columns, [TEMPLATE_EXAMPLE])


def _catalogue(model: Any) -> dict[str, Any]:
    """Active items by folded code and by folded name."""
    found: dict[str, Any] = {}
    for item in model.objects.filter(active=True):
        found[vntext.fold(item.name)] = item
        found[vntext.fold(item.code)] = item
    return found


@dataclass
class Lookups:
    """What a batch's rows name, read once per batch."""

    categories: dict[str, ManagementCategory]
    kinds: dict[str, PostKind]
    by_citizen_id: dict[str, Person]
    by_card: dict[str, Person]
    cadres: dict[int, Cadre]  # person id -> their cadre record, wherever kept
    managed: set[int]  # cadre ids the importer may change
    orgs: dict[str, Organization]  # where posts are held, by code
    homes: dict[int, Organization]  # person id -> the organization the committee is above
    committees: dict[tuple[int, str], Organization | None]  # (home id, level), as found

    def committee(self, person: Person, level: str) -> Organization | None:
        home = self.homes[person.pk]
        if (home.pk, level) not in self.committees:
            self.committees[(home.pk, level)] = committee_above(home, level)
        return self.committees[(home.pk, level)]


def lookups(
    actor: User, organization: Organization, rows: list[tuple[int, dict[str, Any]]]
) -> Lookups:
    """Everything the rows of a batch name, in a few queries. New cadre records are kept by
    `organization`, so the managing committee of a non-member is proposed above it."""
    ids = {row["citizen_id"] for _, row in rows if row["citizen_id"]}
    cards = {row["card_number"] for _, row in rows if row["card_number"]}
    people = reachable(actor, MANAGE)
    by_cid = {p.citizen_id: p for p in people.filter(citizen_id__in=ids) if p.citizen_id}
    by_card = {
        p.member.card_number: p
        for p in people.filter(member__card_number__in=cards).select_related("member")
    }
    persons = {p.pk for p in (*by_cid.values(), *by_card.values())}
    cadres = {
        c.person_id: c
        for c in Cadre.objects.filter(person_id__in=persons).select_related("organization")
    }
    managed = set(
        Cadre.objects.visible_to(actor, MANAGE)
        .filter(pk__in=[c.pk for c in cadres.values()])
        .values_list("pk", flat=True)
    )
    wanted = {row["org_code"] for _, row in rows if row["org_code"]}
    orgs = {o.code: o for o in line_orgs(actor).filter(code__in=wanted)}
    homes = {pk: cadres[pk].organization if pk in cadres else organization for pk in persons}
    for member in Member.objects.filter(person_id__in=persons).select_related("organization"):
        homes[member.person_id] = member.organization
    return Lookups(
        _catalogue(ManagementCategory),
        _catalogue(PostKind),
        by_cid,
        by_card,
        cadres,
        managed,
        orgs,
        homes,
        {},
    )


def _person(row: dict[str, Any], found: Lookups) -> Person:
    if not (row["citizen_id"] or row["card_number"]):
        raise Invalid(_("Give the citizen ID or the Party card number."))
    person = (
        found.by_citizen_id.get(row["citizen_id"])
        if row["citizen_id"]
        else found.by_card.get(row["card_number"])
    )
    if person is None:
        raise Invalid(_("No cadre or member of your scope has this number."))
    if row["full_name"] and vntext.fold(row["full_name"]) != vntext.fold(person.full_name):
        raise Invalid(
            _("The name does not match the record of this number (%(name)s).")
            % {"name": person.full_name}
        )
    cadre = found.cadres.get(person.pk)
    if cadre is not None and cadre.pk not in found.managed:
        raise Invalid(
            _("This person's cadre record is kept by an organization outside your scope.")
        )
    return person


def _category(row: dict[str, Any], person: Person, found: Lookups) -> dict[str, Any] | None:
    if not row["category"]:
        return None
    category = found.categories.get(vntext.fold(row["category"]))
    if category is None:
        raise Invalid(_("Unknown management category: write its code or name as configured."))
    if row["category_since"] is None:
        raise Invalid(_("Give the date from which the person is in this category."))
    committee = found.committee(person, category.level)
    if committee is None:
        raise Invalid(_("No committee of this category's level above the person."))
    return {
        "category": category,
        "committee": committee,
        "category_since": row["category_since"],
        "category_decision": row["category_decision"],
    }


def _post(row: dict[str, Any], person: Person, found: Lookups) -> dict[str, Any] | None:
    if not row["kind"]:
        return None
    kind = found.kinds.get(vntext.fold(row["kind"]))
    if kind is None:
        raise Invalid(_("Unknown post kind: write its code or name as configured."))
    organization = None
    if row["org_code"]:
        organization = found.orgs.get(row["org_code"])
        if organization is None:
            raise Invalid(_("Unknown organization code, closed, or outside your scope."))
    if row["started_on"] is None:
        raise Invalid(_("Give the date the post started."))
    values = {
        "kind": kind,
        "title": row["title"] or kind.name,
        "organization": organization,
        "body": row["body"],
        "elected_body": row["elected_body"],
        "term": row["term"],
        "started_on": row["started_on"],
        "decision_number": row["decision_number"],
        "decision_on": row["decision_on"],
    }
    try:
        check_post(values)
    except CadreError as exc:
        raise Invalid(str(exc)) from None
    return values


# What a row may carry besides the person, each with the column its error is reported under.
PARTS = (("category", "Diện quản lý"), ("post", "Chức danh"))


def check(
    parsed: list[tuple[int, dict[str, Any]]], found: Lookups, report: Report
) -> list[dict[str, Any]]:
    """What each row means (person, category, post), or its errors in the report."""
    meant = []
    for number, row in parsed:
        try:
            person = _person(row, found)
        except Invalid as exc:
            report.add(number, "Số CCCD", str(exc))
            continue
        values: dict[str, Any] = {"person": person}
        ok = True
        for (key, column), resolve in zip(PARTS, (_category, _post), strict=True):
            try:
                values[key] = resolve(row, person, found)
            except Invalid as exc:
                report.add(number, column, str(exc))
                ok = False
        if ok and values["category"] is None and values["post"] is None:
            report.add(number, "", _("Nothing to import: give a management category or a post."))
            ok = False
        if ok:
            meant.append(values)
    return meant
