from __future__ import annotations

import re
from pathlib import Path

import hoso

PO = Path(hoso.__file__).parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"
ENTRY = re.compile(r'^msgid "(.+)"\nmsgstr ""\n\n', re.MULTILINE)


def test_every_string_has_a_vietnamese_translation() -> None:
    text = PO.read_text(encoding="utf-8")
    untranslated = ENTRY.findall(text)
    assert not untranslated, f"untranslated: {untranslated}"
    assert "#, fuzzy" not in text
    assert PO.with_suffix(".mo").exists(), "run make messages"


def test_page_titles_are_plain_text() -> None:
    """A <title> holds text only (an edit once pasted a whole section into one)."""
    templates = Path(hoso.__file__).parent.glob("*/templates/**/*.html")
    bad = []
    for template in templates:
        match = re.search(r"{% block title %}(.*?){% endblock %}", template.read_text(), re.S)
        if match and ("<" in match.group(1) or "\n" in match.group(1)):
            bad.append(template.name)
    assert not bad


def test_translation_functions_keep_names_makemessages_reads() -> None:
    """makemessages reads `_` and the gettext names; a string marked through another alias
    (`gettext_lazy as _lazy` once) is dropped from the catalogue and shows in English."""
    alias = re.compile(r"from django\.utils\.translation import .*\bas (?!_\b)(\w+)")
    sources = Path(hoso.__file__).parent.rglob("*.py")
    bad = [f"{p.name}: {m.group(1)}" for p in sources for m in alias.finditer(p.read_text())]
    assert not bad
