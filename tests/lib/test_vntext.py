from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hoso.lib import vntext
from tests.conftest import require_env

VI_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]


@st.composite
def syllables(draw: st.DrawFn) -> str:
    letters = draw(st.text(alphabet=VI_LETTERS, min_size=1, max_size=6))
    tone = draw(st.sampled_from(TONES))
    position = draw(st.integers(0, len(letters) - 1))
    word = letters[: position + 1] + tone + letters[position + 1 :]
    word = unicodedata.normalize("NFC", word)
    return word.capitalize() if draw(st.booleans()) else word


names = st.lists(syllables(), min_size=1, max_size=3).map(" ".join)


@pytest.fixture(scope="module")
def collator() -> Any:
    """ICU's Vietnamese collator; a visible skip where PyICU is missing (a failure in CI)."""
    try:
        import icu
    except ImportError:
        if require_env("HOSO_REQUIRE_ICU"):
            raise
        pytest.skip("PyICU is not installed (needs libicu-dev): ICU comparison not run")
    return icu.Collator.createInstance(icu.Locale("vi"))


class TestFold:
    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("hoà", "hòa"),
            ("thuý", "thúy"),
            ("khoẻ", "khỏe"),
            ("Nguyen Van An", "Nguyễn Văn An"),
            ("dang thi", "Đặng Thị"),
            ("  NGUYỄN   văn  ", "nguyễn văn"),
        ],
    )
    def test_ways_of_typing_fold_equal(self, typed: str, stored: str) -> None:
        assert vntext.fold(typed) == vntext.fold(stored)

    def test_distinct_names_stay_distinct(self) -> None:
        assert vntext.fold("Nguyễn Văn An") != vntext.fold("Nguyễn Văn Anh")

    @given(names)
    def test_nfc_nfd_and_case_equal(self, name: str) -> None:
        folded = vntext.fold(name)
        assert vntext.fold(unicodedata.normalize("NFD", name)) == folded
        assert vntext.fold(name.upper()) == folded
        assert vntext.fold(folded) == folded  # idempotent
        assert folded.isascii()

    @given(names, st.data())
    def test_format_characters_are_ignored(self, name: str, data: st.DataObject) -> None:
        """Zero-width space, (non-)joiner, word joiner, BOM, soft hyphen, any Cf character:
        invisible, so a name typed or pasted with one is the same name (issue 10)."""
        marks = st.sampled_from(INVISIBLE) | st.characters(categories=["Cf"])
        at = data.draw(st.integers(0, len(name)))
        mark = data.draw(marks)
        marked = name[:at] + mark + name[at:]
        assert vntext.fold(marked) == vntext.fold(name)
        assert vntext.clean(marked) == vntext.clean(name)
        assert vntext.sort_key(marked, "", "") == vntext.sort_key(name, "", "")


class TestSortKey:
    def test_given_name_first(self) -> None:
        people = [("Nguyễn", "Văn", "Bình"), ("Trần", "Thị", "An"), ("Lê", "Văn", "An")]
        ordered = sorted(people, key=lambda p: vntext.sort_key(*p))
        assert ordered == [("Trần", "Thị", "An"), ("Lê", "Văn", "An"), ("Nguyễn", "Văn", "Bình")]

    def test_vietnamese_letter_and_tone_order(self) -> None:
        words = [
            "Ba",
            "Bà",
            "Bả",
            "Bã",
            "Bá",
            "Bạ",
            "An",
            "Ăn",
            "Ân",
            "Da",
            "Đa",
            "Anh",
            "Ơn",
            "Ôn",
            "On",
        ]
        expected = [
            "An",
            "Anh",
            "Ăn",
            "Ân",
            "Ba",
            "Bà",
            "Bả",
            "Bã",
            "Bá",
            "Bạ",
            "Da",
            "Đa",
            "On",
            "Ôn",
            "Ơn",
        ]
        assert sorted(words, key=vntext.text_key) == expected

    @given(names, names, names)
    def test_nfc_and_nfd_give_the_same_key(self, family: str, middle: str, given_: str) -> None:
        nfd = [unicodedata.normalize("NFD", s) for s in (family, middle, given_)]
        assert vntext.sort_key(*nfd) == vntext.sort_key(family, middle, given_)

    @given(names, names)
    def test_key_order_is_a_total_order_consistent_with_equality(self, a: str, b: str) -> None:
        ka, kb = vntext.text_key(a), vntext.text_key(b)
        assert (ka == kb) == (unicodedata.normalize("NFC", a) == unicodedata.normalize("NFC", b))

    def test_matches_icu_vi_collation(self, collator: Any) -> None:
        """Thousands of generated names, ordered by sort_key and by ICU's `vi` collator."""
        import random

        from hoso.people.synth import FAMILY_WEIGHTS, GIVEN, MIDDLE

        rng = random.Random(7)
        extra = "Hoà Hòa Thuý Thúy Khoẻ Khỏe Ưng Uông Ơn Ôn Đào Dao Yến Ý Ánh Anh Ân Ấn".split()
        givens = GIVEN["M"] + GIVEN["F"] + extra
        middles = MIDDLE["M"] + MIDDLE["F"] + ["Văn Hữu", "Thị Ngọc"]
        people = [
            (rng.choice([f for f, _ in FAMILY_WEIGHTS]), rng.choice(middles), rng.choice(givens))
            for _ in range(5000)
        ]

        def icu_key(p: tuple[str, str, str]) -> tuple[bytes, bytes, bytes]:
            return tuple(collator.getSortKey(part) for part in (p[2], p[1], p[0]))  # type: ignore[return-value]

        by_icu = sorted(people, key=icu_key)
        by_us = sorted(people, key=lambda p: vntext.sort_key(*p))
        assert [icu_key(p) for p in by_us] == [icu_key(p) for p in by_icu]

    def test_single_words_match_icu_pairwise(self, collator: Any) -> None:

        @settings(max_examples=2000)
        @given(syllables(), syllables())
        def check(a: str, b: str) -> None:
            ours = (vntext.text_key(a) > vntext.text_key(b)) - (
                vntext.text_key(a) < vntext.text_key(b)
            )
            assert ours == collator.compare(a, b), (a, b)

        check()


class TestNames:
    def test_parse_simple_and_compound(self) -> None:
        assert vntext.parse_name("nguyễn  văn an") == vntext.Name("Nguyễn", "Văn", "An")
        assert vntext.parse_name("Tôn Nữ Thị Ánh") == vntext.Name("Tôn Nữ", "Thị", "Ánh")
        assert vntext.parse_name("Lê Thị Ngọc Bích").middle == "Thị Ngọc"
        assert vntext.parse_name("Hà") == vntext.Name("", "", "Hà")

    def test_empty_name_refused(self) -> None:
        with pytest.raises(ValueError, match="empty"):
            vntext.parse_name("   ")

    def test_display_is_capitals_as_on_id_card(self) -> None:
        assert vntext.parse_name("đặng thị ánh").display == "ĐẶNG THỊ ÁNH"
        nfd = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
        assert vntext.upper(nfd) == "NGUYỄN THỊ ÁNH"


def test_visible_removes_every_format_character_and_nothing_else() -> None:
    everything = "".join(chr(c) for c in range(0x20, 0x30000) if not 0xD800 <= c < 0xE000)
    kept = "".join(ch for ch in everything if unicodedata.category(ch) != "Cf")
    assert len(kept) < len(everything) and vntext.visible(everything) == kept
