"""Importing members from Excel: the whole file is checked, then written in one transaction
with its audit event, or nothing is (the parsing is hoso.people.importer's)."""

from __future__ import annotations

import hashlib
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record
from hoso.lib import xlsxread
from hoso.orgs.models import Organization
from hoso.people import bulk
from hoso.people.importer import (
    Report,
    _batches,
    _check_duplicates,
    _check_organizations,
    _rows,
    check_dates,
    read_row,
)
from hoso.people.models.counts import State, Tally


def import_file(
    handle: IO[bytes], default_org: Organization, actor: User, filename: str = ""
) -> Report:
    """Validate the whole file; if nothing is wrong, import every row in one transaction.

    Raises Refused when the file is not read at all (not a workbook, over a limit)."""
    policy.require(actor, policy.Action.MEMBER_MANAGE, default_org)
    digest = hashlib.sha256()
    handle.seek(0)
    for block in iter(lambda: handle.read(1 << 20), b""):
        digest.update(block)
    handle.seek(0)
    report = Report()
    today = timezone.localdate()
    seen: dict[str, int] = {}
    tally = Tally()  # the member counts of the rows written, applied once at the end
    with transaction.atomic():
        for batch in _batches(_rows(handle, report, xlsxread.Limits.from_settings())):
            # Every row is checked whole, even one with a cell in error, so that one pass
            # reports every error of the file (not a new round after each fix).
            parsed = [(n, read_row(n, raw, report)[0]) for n, raw in batch]
            for number, row in parsed:
                check_dates(number, row, report, today)
            _check_organizations(parsed, default_org, actor, report)
            _check_duplicates(parsed, seen, report)
            if report.truncated:
                break  # enough to fix the file; reading on would only cost time
            if not report.errors:
                _insert([row for _, row in parsed], tally)
                report.imported += len(parsed)
        if not report.rows and not report.errors:
            report.add(2, "", _("The file has no member rows."))
        if report.errors:
            transaction.set_rollback(True)  # the batches written before the first error
            report.imported = 0
            report.sort()
            return report
        tally.apply()
        record(
            events.MEMBERS_IMPORTED.code,
            actor=actor,
            organization=default_org,
            details={"rows": report.imported, "file": filename, "sha256": digest.hexdigest()},
        )
    return report


def _insert(rows: list[dict[str, Any]], tally: Tally) -> None:
    """COPY / executemany through people.bulk, which fills the stored search columns; the
    rows bypass Member.save(), so their counts go to `tally` from the same values."""
    person_ids = bulk.reserve_ids("people_person", len(rows))
    member_ids = bulk.reserve_ids("people_member", len(rows))
    people, members = [], []
    for row, person_id, member_id in zip(rows, person_ids, member_ids, strict=True):
        birth, precision = row["birth"]
        person = bulk.person_values(
            {
                "id": person_id,
                "family_name": row["family_name"],
                "sex": row["sex"],
                "middle_name": row["middle_name"],
                "given_name": row["given_name"],
                "birth_date": birth,
                "birth_date_precision": precision,
                "old_id": row["old_id"],
                "home_town": row["home_town"],
                "residence": row["residence"],
                "ethnicity": row["ethnicity"],
                "religion": row["religion"],
                "citizen_id": row["citizen_id"],
            }
        )
        people.append(person)
        members.append(
            bulk.member_values(
                {
                    "id": member_id,
                    "organization_id": row["organization"].pk,
                    "status": row["status"],
                    "admitted_on": row["admitted_on"],
                    "official_on": row["official_on"],
                    "card_number": row["card_number"],
                    "resume_number": row["resume_number"],
                },
                person,
                row["organization"].path,
            )
        )
    for person, member in zip(people, members, strict=True):
        tally.add(_state(person, member))
    bulk.write("people_person", bulk.PERSON_COLUMNS, people)
    bulk.write("people_member", bulk.MEMBER_COLUMNS, members)


def _state(person: dict[str, Any], member: dict[str, Any]) -> State:
    """What of a bulk-written member is counted, as bulk.write stores it ("" for blanks)."""
    return State(
        status=member["status"],
        org_path=member["org_path"],
        sex=person["sex"] or "",
        birth_year=person["birth_year"],
        ethnicity=person.get("ethnicity") or "",
        religion=person.get("religion") or "",
        education=person.get("education") or "",
    )
