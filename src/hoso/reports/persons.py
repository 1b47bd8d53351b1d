"""The persons the verification requests concern, one row per request (reports.RequestPerson),
so that "persons concerned by the requests issued" (distinct, not additive) counts one narrow
table in the viewer's scope rather than joining every request of the period to its person,
relative and their merges.

The rows are kept in the transaction of each change, by the models' save and delete signals:
a request, its case (place, secrecy), a person (merged into another) or a declared relative
(linked to a person) refreshes the rows of the requests it concerns. Organizations moved:
the path is a registered copy (orgs.hooks.PATH_COPIES). Rebuilt and checked with the other
counters by `hoso aggregates rebuild | verify`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Model, Q, QuerySet
from django.db.models.signals import post_delete, post_save

from hoso.lib.periods import Period
from hoso.people.models import Person, Relative
from hoso.reports.figures.vetting import PERSON
from hoso.reports.ledgers import PERSONS
from hoso.reports.models import RequestPerson
from hoso.vetting.models import Case, VerificationRequest

TABLE = RequestPerson._meta.db_table
COLUMNS = ("request_id", "org_path", "sent_on", "addressee_id", "who", "classification",
           "restricted")  # fmt: skip
CHUNK = 500
CODE = PERSONS


def _select(requests: QuerySet[VerificationRequest]) -> tuple[str, Any]:
    """The rows of `requests`, as SQL (columns in COLUMNS' order) and its parameters."""
    rows = requests.order_by().values(
        r_id=F("pk"),
        r_path=F("case__organization__path"),
        r_sent=F("sent_on"),
        r_to=F("addressee_id"),
        r_who=PERSON,  # as requests.persons counts them
        r_cls=F("case__classification"),
        r_res=F("case__restricted"),
    )
    return rows.query.sql_with_params()


def _insert(requests: QuerySet[VerificationRequest]) -> int:
    sql, params = _select(requests)
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) {sql}", params)
        return int(cur.rowcount)


def refresh(pks: Iterable[int]) -> None:
    """Write again the rows of these requests (gone ones: removed)."""
    wanted = sorted(set(pks))
    for i in range(0, len(wanted), CHUNK):
        chunk = wanted[i : i + CHUNK]
        RequestPerson.objects.filter(request_id__in=chunk).delete()
        _insert(VerificationRequest.objects.filter(pk__in=chunk))


def rebuild() -> int:
    """All the rows again from the requests; call inside a transaction."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"LOCK TABLE {TABLE} IN SHARE MODE")
        cur.execute(f"DELETE FROM {TABLE}")  # noqa: S608
    return _insert(VerificationRequest.objects.all())


@dataclass(frozen=True)
class Difference:
    request_id: int
    counted: tuple[Any, ...] | None
    stored: tuple[Any, ...] | None
    organization_id: int = 0  # none: the command names the request

    def line(self, codes: dict[int, str]) -> str:
        return f"request {self.request_id}: counted {self.counted}, stored {self.stored}"


def differences() -> tuple[int, list[Difference]]:
    """(rows compared, the requests whose row differs from what the records say now)."""
    counted = {row[0]: row for row in _rows_now()}
    stored = {row[0]: row for row in RequestPerson.objects.values_list(*COLUMNS).iterator()}
    found = [
        Difference(pk, counted.get(pk), stored.get(pk))
        for pk in sorted(set(counted) | set(stored))
        if counted.get(pk) != stored.get(pk)
    ]
    return len(stored), found


def _rows_now() -> Iterable[tuple[Any, ...]]:
    sql, params = _select(VerificationRequest.objects.all())
    with connection.cursor() as cur:
        cur.execute(sql, params)
        for row in cur.fetchall():
            yield (*row[:6], bool(row[6]))


# ---- maintenance -----------------------------------------------------------------------------


def _of_request(obj: Any) -> list[int]:
    return [obj.pk]


def _of_case(case: Any) -> Iterable[int]:
    return VerificationRequest.objects.filter(case_id=case.pk).values_list("pk", flat=True)


def _of_person(person: Any) -> Iterable[int]:
    concerned = Q(person_id=person.pk) | Q(relative__identity_id=person.pk)
    return VerificationRequest.objects.filter(concerned).values_list("pk", flat=True)


def _of_relative(relative: Any) -> Iterable[int]:
    return VerificationRequest.objects.filter(relative_id=relative.pk).values_list("pk", flat=True)


WATCH: dict[type[Model], Any] = {
    VerificationRequest: _of_request,
    Case: _of_case,
    Person: _of_person,
    Relative: _of_relative,
}


def _changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if kwargs.get("raw") or instance.pk is None:
        return
    refresh(WATCH[sender](instance))


def connect() -> None:
    for model in WATCH:
        uid = f"reports.persons.{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + ".delete")


def fill_if_empty(**kwargs: Any) -> None:
    """After `migrate`: an installation upgraded to these rows gets them written once."""
    if not RequestPerson.objects.exists() and VerificationRequest.objects.exists():
        with transaction.atomic():
            rebuild()


def records(user: Any, period: Period) -> QuerySet[RequestPerson]:
    """The rows of the requests sent in the period, up to the viewer's clearance (the caller
    makes sure the viewer sees the whole subtree and restricted cases)."""
    return RequestPerson.objects.filter(
        sent_on__range=(period.start, period.end), classification__lte=user.clearance
    )
