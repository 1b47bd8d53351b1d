"""Member search and keyset pagination.

A query is folded like the stored names (no tone marks, đ=d, NFC=NFD, old or new tone
placement), split into words that may come in any order; the last word matches as a prefix
while the user is still typing it. A query with a digit in it is an identifier instead:
citizen ID, old ID or Party card number.

PostgreSQL answers from a GIN full-text index over `search_text`; SQLite, sized for one office,
matches the same words with LIKE on the same column. Both give the same results.

Scope first (PostgreSQL, docs/architecture.md): the members' index holds each word also
qualified by the member's path cut at depth 2 and 3 (migration people 0015), and a search within
scopes at those depths or below asks for the qualified words, so it reads that scope's entries
only. A list of a scope at depth 3 or below is read path first and then sorted.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import OperationalError, connection, transaction
from django.db.models import BinaryField, BooleanField, F, Q, QuerySet, Value
from django.db.models.expressions import CombinedExpression, RawSQL
from psycopg.errors import QueryCanceled

from hoso.access.querysets import paths_of
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


SORT_AFTER_ROWS = 50_000  # a search estimated to match fewer rows is sorted after it is found
_SORT_AFTER = "hoso_sort_after"  # marks such a queryset's query (Django carries it along)
_WALK = "hoso_walk"  # a search of many rows: the name index is walked, within WALK_MS
WALK_MS = 60
SORT_WORK_MEM = "64MB"
QUALIFIED = (8, 12)  # the path lengths (depths 2 and 3) the members' index qualifies words by
SCOPE_FIRST = 12  # a scope this deep or deeper is listed path first
MEMBER_WORDS = (
    "to_tsvector('simple', member_search_words(people_member.search_text, people_member.org_path))"
)


def _qualifier(path: str) -> str:
    """`q` and the path cut at the deepest qualified depth within it ("" above depth 2)."""
    usable = [length for length in QUALIFIED if len(path) >= length]
    return f"q{path[: usable[-1]]}" if usable else ""


def _tsquery(terms: Terms, paths: tuple[str, ...]) -> str:
    """All the words, within any of `paths` (the qualified words of each scope); the plain
    words when a path is above depth 2 or none is given. Words are [a-z0-9]+ and paths
    [0-9A-Z]+, so the text cannot carry operators."""
    parts = list(terms.words) + ([f"{terms.prefix}:*"] if terms.prefix else [])
    qualifiers = sorted({_qualifier(path) for path in paths}) or [""]
    if "" in qualifiers:
        return " & ".join(parts)
    return " | ".join("(" + " & ".join(q + part for part in parts) + ")" for q in qualifiers)


def _name_filter(
    terms: Terms, column: str = "people_member.search_text", paths: tuple[str, ...] = ()
) -> Any:
    """The words on a `search_text` column (a member's, within `paths`, or another table's
    copy of the same folded names with its own GIN index, such as the cadres')."""
    if connection.vendor == "postgresql":
        if column == "people_member.search_text":
            sql = f"{MEMBER_WORDS} @@ to_tsquery('simple', %s)"
            return RawSQL(sql, [_tsquery(terms, paths)], output_field=BooleanField())  # noqa: S611
        sql = f"to_tsvector('simple', {column}) @@ to_tsquery('simple', %s)"
        return RawSQL(sql, [_tsquery(terms, ())], output_field=BooleanField())  # noqa: S611
    return _like(terms)


def _like(terms: Terms) -> Q:
    """The words as LIKE conditions on `search_text`: SQLite's search, and PostgreSQL's test
    of each entry while it walks the name index (which holds `search_text`)."""
    condition = Q()
    for word in terms.words:
        condition &= Q(search_text__contains=f" {word} ")
    if terms.prefix:
        condition &= Q(search_text__contains=f" {terms.prefix}")
    return condition


def search_members(qs: QuerySet[Any], query: str) -> QuerySet[Any]:
    """Filter members by name or identifier. A trailing space means the last word is whole.
    The words are looked up within the scope `qs` is known to be limited to (`paths_of`)."""
    if not query.strip():
        return qs
    if is_identifier(query):
        ident = query.strip()
        return qs.filter(
            Q(person__citizen_id=ident) | Q(person__old_id=ident) | Q(card_number=ident)
        )
    terms = parse(query)
    if terms.empty:
        return qs.none()
    paths = paths_of(qs)
    found = qs.filter(_name_filter(terms, paths=paths))
    if connection.vendor != "postgresql" or _small(paths):
        return found
    if _few(found):
        setattr(found.query, _SORT_AFTER, True)
        return found
    # Many matches: the page walks the name index (`_walked`), testing each entry with LIKE
    # on the `search_text` the index holds; the words' condition stays for the fallback.
    walking = found.filter(_like(terms))
    setattr(walking.query, _WALK, True)
    return walking


def _small(paths: tuple[str, ...]) -> bool:
    """Scopes all at depth 3 or below: read path first."""
    return bool(paths) and min(len(path) for path in paths) >= SCOPE_FIRST


def _few(qs: QuerySet[Any]) -> bool:
    """PostgreSQL's own estimate (from its statistics of the words) that the search matches
    few enough rows to sort them all: then the page is sorted after the index finds them.
    Otherwise the planner may walk the name index and test each row, which is quick when
    matches are everywhere in name order and not when they cluster far into it: a national
    "nguyen van hu" walked 850,000 rows to the H of the given names (15 s; 3,700 matches)."""
    plan = json.loads(qs.explain(format="json"))
    return float(plan[0]["Plan"]["Plan Rows"]) <= SORT_AFTER_ROWS


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


def _name_order(qs: QuerySet[Any]) -> Any:
    """The name key to sort `qs` by. Within scopes at depth 3 or below, and for a search that
    matches few rows (`_few`), it is written so that no index matches it (PostgreSQL): the
    planner then reads the scope's rows by their path, or the search's by the words, and sorts
    them, rather than walking the national name index, which at 5,000,000 members it chose for
    4 of 299 sampled communes and units (0.26 to 2.5 s instead of a few ms)."""
    if connection.vendor != "postgresql" or qs.model._meta.label_lower != "people.member":
        return F("sort_key")
    if not (getattr(qs.query, _SORT_AFTER, False) or _small(paths_of(qs))):
        return F("sort_key")
    return _unindexed_key()


def _unindexed_key() -> Any:
    """`sort_key || ''`: the same order, and no index to walk for it."""
    return CombinedExpression(
        F("sort_key"), "||", Value(b"", output_field=BinaryField()), output_field=BinaryField()
    )


def page(qs: QuerySet[Any], cursor: str = "", size: int = PAGE_SIZE) -> tuple[list[Any], str]:
    """One page in Vietnamese name order after `cursor`, and the cursor of the next page. A
    members' queryset known to be within small scopes (`paths_of`) is read path first."""
    qs = qs.order_by(_name_order(qs), "id")
    position = decode_cursor(cursor) if cursor else None
    if position is not None:
        key, pk = position
        # The >= bound lets the (sort_key, id) index start at the right place.
        qs = qs.filter(sort_key__gte=key).filter(Q(sort_key__gt=key) | Q(id__gt=pk))
    searched = getattr(qs.query, _WALK, False) or getattr(qs.query, _SORT_AFTER, False)
    rows = _searched(qs, size + 1) if searched else list(qs[: size + 1])
    following = (
        encode_cursor(rows[size - 1].sort_key, rows[size - 1].pk) if len(rows) > size else ""
    )
    return rows[:size], following


def _searched(qs: QuerySet[Any], limit: int) -> list[Any]:
    """The first rows of a search in a large scope. A search of many matches walks the name
    index for at most `WALK_MS`, reading the ids from the index alone (it holds the path, the
    status and the folded names). Past that, the matches cluster far into the name order (a
    given name: "hung" is found only at the H of 5,000,000 names); they are then found through
    the words' index and sorted, as a search of few matches is at once. Both ways give the
    same rows."""
    if getattr(qs.query, _WALK, False):
        try:
            with _local(statement_timeout=f"{WALK_MS}ms", enable_bitmapscan="off"):
                ids = list(qs.order_by("sort_key", "id").values_list("id", flat=True)[:limit])
        except OperationalError as exc:
            if not isinstance(exc.__cause__, QueryCanceled):
                raise
        else:
            rows = {row.pk: row for row in qs.order_by().filter(pk__in=ids)}
            return [rows[pk] for pk in ids if pk in rows]
    sorted_after = qs.order_by(_unindexed_key(), "id")[:limit]
    if all(_qualifier(path) for path in paths_of(qs) or ("",)):
        return list(sorted_after)  # a province's entries of a word: a bitmap that fits
    with _local(work_mem=SORT_WORK_MEM):  # a nation's: not lossy (each row tested again)
        return list(sorted_after)


@contextmanager
def _local(**values: str) -> Iterator[None]:
    """PostgreSQL settings for the statements inside, put back after: they hold for the
    transaction, and this one may be inside a longer one (a rollback puts them back too)."""
    names = list(values)
    listed = ", ".join(["current_setting(%s)"] * len(names))
    setting = ", ".join(["set_config(%s, %s, true)"] * len(names))
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"SELECT {listed}", names)
        before = dict(zip(names, cur.fetchone(), strict=True))
        cur.execute(f"SELECT {setting}", [x for n in names for x in (n, values[n])])
        yield
        cur.execute(f"SELECT {setting}", [x for n in names for x in (n, before[n])])
