"""Vietnamese text: folding for search, collation keys for ordering, and names.

`fold` makes every way of typing a name compare equal (tone marks or none, đ or d, NFC or NFD,
old or new tone placement, invisible format characters or none). `sort_key` gives a bytes value
whose plain byte order is the Vietnamese list order (given name, then middle, then family; CLDR
`vi` letters and tones), so it can be stored in an indexed column and sort identically in
Python, SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# The five tone marks, in the CLDR `vi` order: huyền, hỏi, ngã, sắc, nặng ("none" sorts first).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_WHITESPACE = re.compile(r"\s+")
_WORD = re.compile(r"[a-z0-9]+")

# The CLDR `vi` primary order; f j w z (foreign letters) take their Latin places.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_DIGITS = "0123456789"

# Byte layout of a key: weights are >= 0x10, the level separator is 0x01 and the part
# separator 0x00, so a shorter key sorts before a longer one that it starts.
_PART_SEPARATOR = b"\x00"
_LEVEL_SEPARATOR = b"\x01"
_SPACE_WEIGHT = 0x10
_DIGIT_BASE = 0x11
_LETTER_BASE = _DIGIT_BASE + len(_DIGITS)
_OTHER_WEIGHT = 0xFE  # anything else sorts after letters; followed by its code point
_SECONDARY_BASE = 0x05
_TERTIARY_LOWER, _TERTIARY_UPPER = 0x05, 0x06


def visible(text: str) -> str:
    """The text without Unicode format characters (category Cf: zero-width space and
    (non-)joiner, word joiner, BOM, soft hyphen ...). They print as nothing, so a name pasted
    with one is the same name, and must neither hide it from search nor sort it apart."""
    return _format_characters().sub("", text)


@lru_cache(maxsize=1)
def _format_characters() -> re.Pattern[str]:
    """Every Cf character of this Python's Unicode tables, as one class: a regex removes them
    at C speed (a category lookup per character was a fifth of an import's time)."""
    chars = "".join(chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf")
    return re.compile(f"[{re.escape(chars)}]")


def _clusters(text: str) -> list[tuple[str, list[int]]]:
    """Split NFD text into (letter, tone weights): a base character with its own marks."""
    clusters: list[tuple[str, list[int]]] = []
    base, marks, tones = "", "", list[int]()
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and base:
            if ch in _TONES:
                tones.append(_TONES[ch])
            else:
                marks += ch
            continue
        if base:
            clusters.append((unicodedata.normalize("NFC", base + marks), tones))
        base, marks, tones = ch, "", []
    if base:
        clusters.append((unicodedata.normalize("NFC", base + marks), tones))
    return clusters


def fold(text: str) -> str:
    """Search form: lower-case, no tone or letter marks, đ -> d, no format characters, single
    spaces.

    Removing every combining mark makes NFC and NFD equal and makes the old and new tone
    placements (hoà / hòa) the same string.
    """
    decomposed = unicodedata.normalize("NFD", visible(text).lower())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.replace("đ", "d")
    return _WHITESPACE.sub(" ", bare).strip()


def words(text: str) -> list[str]:
    """The folded words of a text, letters and digits only: “Đảng ủy xã (Hòa-Bình)” ->
    ['dang', 'uy', 'xa', 'hoa', 'binh']. Safe to put in a tsquery: no operator survives."""
    return _WORD.findall(fold(text))


@lru_cache(maxsize=65536)
def _part_key(part: str) -> bytes:
    """Three-level key of one name part: letters, then tones, then case."""
    primary = bytearray()
    secondary = bytearray()
    tertiary = bytearray()
    for letter, tones in _clusters(part):
        if letter.isspace():
            primary.append(_SPACE_WEIGHT)
            continue
        lower = letter.lower()
        if lower in _ALPHABET and len(lower) == 1:
            primary.append(_LETTER_BASE + _ALPHABET.index(lower))
        elif lower in _DIGITS and len(lower) == 1:
            primary.append(_DIGIT_BASE + _DIGITS.index(lower))
        else:
            for ch in lower:
                primary.append(_OTHER_WEIGHT)
                primary.extend(ord(ch).to_bytes(3, "big"))
        secondary.append(_SECONDARY_BASE)
        secondary.extend(_SECONDARY_BASE + tone for tone in tones)
        tertiary.append(_TERTIARY_LOWER if letter == lower else _TERTIARY_UPPER)
    return bytes(primary) + _LEVEL_SEPARATOR + bytes(secondary) + _LEVEL_SEPARATOR + bytes(tertiary)


def sort_key(family: str, middle: str, given: str) -> bytes:
    """Collation key ordering people by given name, then middle name(s), then family name."""
    parts = (_WHITESPACE.sub(" ", visible(p)).strip() for p in (given, middle, family))
    return _PART_SEPARATOR.join(_part_key(p) for p in parts)


def text_key(text: str) -> bytes:
    """Collation key of a single string (organization names, places) in `vi` order."""
    return _part_key(_WHITESPACE.sub(" ", visible(text)).strip())


# ---------------------------------------------------------------------------------------------
# Names

# Two-word family names that a naive "first word is the family name" split would break.
COMPOUND_FAMILY_NAMES = frozenset(
    {"tôn nữ", "tôn thất", "âu dương", "tư mã", "gia cát", "thượng quan", "công tằng tôn nữ"}
)


@dataclass(frozen=True)
class Name:
    family: str
    middle: str
    given: str

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.family, self.middle, self.given) if p)

    @property
    def display(self) -> str:
        """The name in use as printed on the citizen ID card: capitals."""
        return upper(self.full)


def clean(text: str) -> str:
    """NFC, no format characters, single spaces, trimmed: the form names are stored in."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", visible(text))).strip()


def title(text: str) -> str:
    """'nguyễn  THỊ minh' -> 'Nguyễn Thị Minh' (each word capitalised, NFC)."""
    return " ".join(word[:1].upper() + word[1:].lower() for word in clean(text).split(" ") if word)


def upper(text: str) -> str:
    """Capitals, as on the ID card: 'Nguyễn Thị Ánh' -> 'NGUYỄN THỊ ÁNH'."""
    return clean(text).upper()


def parse_name(full: str) -> Name:
    """Split a full name into family, middle and given names.

    The last word is the given name, the first word (or a known two-word family name) the
    family name, and everything between the middle name(s).
    """
    words = title(full).split(" ") if clean(full) else []
    if not words:
        raise ValueError("empty name")
    if len(words) == 1:
        return Name("", "", words[0])
    family_words = 1
    for size in (4, 3, 2):
        if len(words) > size and " ".join(words[:size]).lower() in COMPOUND_FAMILY_NAMES:
            family_words = size
            break
    family = " ".join(words[:family_words])
    return Name(family, " ".join(words[family_words:-1]), words[-1])
