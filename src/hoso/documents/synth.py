"""Numbers for the documents of a synthetic load (`hoso synth --full`), by the registry's own
rules: one sequence per issuing organization, committee term and type, numbered in the order
of the documents' dates (`numbering.term_for` decides the term: the one in force on the day,
at the organization or its nearest ancestor); arrival numbers per receiving organization and
calendar year. The counters are left as `numbering.allocate` would leave them, so a number
allocated afterwards follows the last one loaded.

A load registers its documents (`outgoing`, `incoming`) with the records that hold them, then
`number()` gives the numbers of a batch in date order before the rows are written.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from hoso.documents.models import (
    ArrivalSequence,
    DocumentKind,
    IncomingDocument,
    OutgoingDocument,
    Sequence,
)
from hoso.lib.bulkrows import Connection, Table, move_sequence, next_id, update_rows
from hoso.orgs.models import Organization, Term


class Org(NamedTuple):
    """An organization as a load needs it: where documents are issued or received."""

    id: int
    path: str
    code: str
    name: str
    sign: str = ""  # after the slash in document numbers (Organization.document_sign)


@dataclass(eq=False)
class Outgoing:
    id: int
    org: Org
    kind: str  # type code: PYC, QĐ, KL, CV, TB ...
    issued_on: dt.date
    values: dict[str, Any]
    number: int = 0
    reference: str = ""
    late: bool = False  # some value is known only once the batch is numbered


@dataclass(eq=False)
class Incoming:
    id: int
    org: Org
    received_on: dt.date
    values: dict[str, Any]
    arrival_number: int = 0
    late: bool = False


@dataclass
class _Terms:
    """Committee terms by organization path: (starts, ends or None, id), newest first."""

    by_path: dict[str, list[tuple[dt.date, dt.date | None, int]]] = field(default_factory=dict)

    def add(self, path: str, starts: dt.date, ends: dt.date | None, pk: int) -> None:
        """A term the load itself writes (not read back: another connection writes it)."""
        terms = self.by_path.setdefault(path, [])
        terms.append((starts, ends, pk))
        terms.sort(key=lambda t: t[0], reverse=True)

    def term_for(self, path: str, day: dt.date) -> int:
        step = Organization.steplen
        for end in range(len(path), 0, -step):
            for starts, ends, pk in self.by_path.get(path[:end], ()):
                if starts <= day and (ends is None or ends >= day):
                    return pk
        raise ValueError(f"no committee term covers {day} for the organization at {path}")


class Numbers:
    """The registry's counters for one load, read once and written back at the end."""

    def __init__(self) -> None:
        self.kinds = dict(DocumentKind.objects.values_list("code", "id"))
        self.terms = _Terms()
        for org_path, starts, ends, pk in Term.objects.order_by("-starts_on").values_list(
            "organization__path", "starts_on", "ends_on", "id"
        ):
            self.terms.by_path.setdefault(org_path, []).append((starts, ends, pk))
        # [id or 0 when new, last number, last number when read]
        self.sequences: dict[tuple[int, int, int], list[int]] = {
            (o, t, k): [pk, last, last]
            for pk, o, t, k, last in Sequence.objects.values_list(
                "id", "organization", "term", "kind", "last"
            )
        }
        self.arrivals: dict[tuple[int, int], list[int]] = {
            (o, y): [pk, last, last]
            for pk, o, y, last in ArrivalSequence.objects.values_list(
                "id", "organization", "year", "last"
            )
        }
        self.outgoing_table = Table(OutgoingDocument)
        self.incoming_table = Table(IncomingDocument)
        self._next_out = next_id(self.outgoing_table.name)
        self._next_in = next_id(self.incoming_table.name)

    def outgoing(self, org: Org, kind: str, issued_on: dt.date, **values: Any) -> Outgoing:
        """A document to be numbered in `org`'s register (values: summary, body, recipients,
        classification, object_type, object_id, created_by_id, created_at ...)."""
        if kind not in self.kinds:
            raise ValueError(f"document type {kind!r} is not in the list of types")
        doc = Outgoing(self._next_out, org, kind, issued_on, values)
        self._next_out += 1
        return doc

    def incoming(self, org: Org, received_on: dt.date, **values: Any) -> Incoming:
        doc = Incoming(self._next_in, org, received_on, values)
        self._next_in += 1
        return doc

    def number(self, outgoing: list[Outgoing], incoming: list[Incoming]) -> None:
        """Give the documents of a batch their numbers, in the order of their dates (the
        batch holds every document of its issuers: numbers follow the dates)."""
        groups: dict[tuple[int, int, int], list[Outgoing]] = defaultdict(list)
        for doc in outgoing:
            term = self.terms.term_for(doc.org.path, doc.issued_on)
            doc.values["term_id"] = term
            groups[(doc.org.id, term, self.kinds[doc.kind])].append(doc)
        for key, docs in groups.items():
            counter = self.sequences.setdefault(key, [0, 0, 0])
            for doc in sorted(docs, key=lambda d: (d.issued_on, d.id)):
                counter[1] += 1
                doc.number = counter[1]
                doc.reference = f"{doc.number:02d}-{doc.kind}/{doc.org.sign}"
        arrivals: dict[tuple[int, int], list[Incoming]] = defaultdict(list)
        for arrived in incoming:
            arrivals[(arrived.org.id, arrived.received_on.year)].append(arrived)
        for (org, year), letters in arrivals.items():
            counter = self.arrivals.setdefault((org, year), [0, 0, 0])
            for letter in sorted(letters, key=lambda d: (d.received_on, d.id)):
                counter[1] += 1
                letter.arrival_number = counter[1]

    def rows(
        self, outgoing: list[Outgoing], incoming: list[Incoming]
    ) -> list[tuple[Table, list[list[Any]]]]:
        """The rows of numbered documents (after number()), table by table."""
        out, inc = self.outgoing_table, self.incoming_table
        kinds = self.kinds
        sent = [
            out.row(
                {
                    "id": d.id,
                    "organization_id": d.org.id,
                    "kind_id": kinds[d.kind],
                    "number": d.number,
                    "reference": d.reference,
                    "issued_on": d.issued_on,
                    **d.values,
                }
            )
            for d in outgoing
        ]
        received = [
            inc.row(
                {
                    "id": d.id,
                    "organization_id": d.org.id,
                    "year": d.received_on.year,
                    "arrival_number": d.arrival_number,
                    "received_on": d.received_on,
                    **d.values,
                }
            )
            for d in incoming
        ]
        return [(out, sent), (inc, received)]

    def finish(self, using: Connection | None = None) -> None:
        """Write the counters back: new ones inserted, the others moved to their last number."""
        sequences, arrivals = Table(Sequence), Table(ArrivalSequence)
        new_id = next_id(sequences.name)
        rows, moved = [], []
        for (org, term, kind), (pk, last, before) in sorted(self.sequences.items()):
            if pk:
                if last != before:
                    moved.append((pk, last))
                continue
            rows.append(
                sequences.row(
                    {
                        "id": new_id,
                        "organization_id": org,
                        "term_id": term,
                        "kind_id": kind,
                        "last": last,
                    }
                )
            )
            new_id += 1
        sequences.write(rows, using=using)
        update_rows(sequences.name, "id", ("last",), moved, using=using)
        new_id = next_id(arrivals.name)
        rows, moved = [], []
        for (org, year), (pk, last, before) in sorted(self.arrivals.items()):
            if pk:
                if last != before:
                    moved.append((pk, last))
                continue
            rows.append(
                arrivals.row({"id": new_id, "organization_id": org, "year": year, "last": last})
            )
            new_id += 1
        arrivals.write(rows, using=using)
        update_rows(arrivals.name, "id", ("last",), moved, using=using)
        for table in (out.name for out in (self.outgoing_table, self.incoming_table)):
            move_sequence(table, using=using)
        move_sequence(sequences.name, using=using)
        move_sequence(arrivals.name, using=using)
