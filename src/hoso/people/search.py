"""Member search and keyset pagination.

A query is folded like the stored names (no tone marks, đ=d, NFC=NFD, old or new tone
placement), split into words that may come in any order; the last word matches as a prefix
while the user is still typing it. A query with a digit in it is an identifier instead:
citizen ID, old ID or Party card number.

PostgreSQL answers from a GIN full-text index over `search_text`; SQLite, sized for one office,
matches the same words with LIKE on the same column. Both give the same results.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from hoso.lib import query, vntext

_WORD = re.compile(r"[a-z0-9]+")
PAGE_SIZE = 50


@dataclass(frozen=True)
class Terms:
    words: tuple[str, ...]
    prefix: str | None

    @property
    def empty(self) -> bool:
        return not self.words and not self.prefix


def parse(query: str) -> Terms:
    tokens = _WORD.findall(vntext.fold(query))
    if not tokens:
        return Terms((), None)
    if query[-1:].isspace():  # the user finished the last word
        return Terms(tuple(tokens), None)
    return Terms(tuple(tokens[:-1]), tokens[-1])


def is_identifier(query: str) -> bool:
    query = query.strip()
    return bool(query) and " " not in query and any(ch.isdigit() for ch in query)


def _name_filter(terms: Terms, column: str = "people_member.search_text") -> Any:
    """The words on a `search_text` column (a member's, or another table's copy of the same
    folded names with its own GIN index, such as the cadres')."""
    if connection.vendor == "postgresql":
        parts = list(terms.words) + ([f"{terms.prefix}:*"] if terms.prefix else [])
        # Words are [a-z0-9]+ only, so the tsquery text cannot carry operators.
        sql = f"to_tsvector('simple', {column}) @@ to_tsquery('simple', %s)"
        return RawSQL(sql, [" & ".join(parts)], output_field=BooleanField())  # noqa: S611
    condition = Q()
    for word in terms.words:
        condition &= Q(search_text__contains=f" {word} ")
    if terms.prefix:
        condition &= Q(search_text__contains=f" {terms.prefix}")
    return condition


def search_members(qs: QuerySet[Any], query: str) -> QuerySet[Any]:
    """Filter members by name or identifier. A trailing space means the last word is whole."""
    if not query.strip():
        return qs
    if is_identifier(query):
        ident = query.strip()
        return qs.filter(
            Q(person__citizen_id=ident) | Q(person__old_id=ident) | Q(card_number=ident)
        )
    terms = parse(query)
    return qs.filter(_name_filter(terms)) if not terms.empty else qs.none()


# ---- keyset pagination on (sort_key, id) -------------------------------------------------


def encode_cursor(sort_key: bytes, pk: int) -> str:
    return base64.urlsafe_b64encode(bytes(sort_key)).decode().rstrip("=") + f".{pk}"


def decode_cursor(cursor: str) -> tuple[bytes, int] | None:
    try:
        key_text, pk_text = cursor.rsplit(".", 1)
        key = base64.urlsafe_b64decode(key_text + "=" * (-len(key_text) % 4))
    except (ValueError, TypeError):
        return None
    pk = query.as_id(pk_text)
    return None if pk is None else (key, pk)


def page(qs: QuerySet[Any], cursor: str = "", size: int = PAGE_SIZE) -> tuple[list[Any], str]:
    """One page in Vietnamese name order after `cursor`, and the cursor of the next page."""
    qs = qs.order_by("sort_key", "id")
    position = decode_cursor(cursor) if cursor else None
    if position is not None:
        key, pk = position
        # The >= bound lets the (sort_key, id) index start at the right place.
        qs = qs.filter(sort_key__gte=key).filter(Q(sort_key__gt=key) | Q(id__gt=pk))
    rows = list(qs[: size + 1])
    following = (
        encode_cursor(rows[size - 1].sort_key, rows[size - 1].pk) if len(rows) > size else ""
    )
    return rows[:size], following
