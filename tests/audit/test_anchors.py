"""Anchors: the chain's head signed with the key and kept outside the database; a rewritten
history or a cut tail disagrees with them, and an anchor cannot be forged without the key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hoso.audit import anchors, events, keys
from hoso.audit.models import AuditEvent
from tests.audit.test_chain import _some_events, _tamper
from tests.conftest import Personas, World


@pytest.fixture
def anchor_file(tmp_path: Path, settings: Any) -> Path:
    settings.HOSO_AUDIT_ANCHOR_FILE = tmp_path / "anchors.jsonl"
    return Path(settings.HOSO_AUDIT_ANCHOR_FILE)


def test_an_anchor_signs_the_head_and_is_checked(
    world: World, personas: Personas, anchor_file: Path, capsys: Any
) -> None:
    made = _some_events(personas, world, 3)
    anchor = anchors.make()
    assert (anchor.event_id, anchor.hash) == (made[-1].pk, made[-1].hash)
    line = json.loads(anchor_file.read_text().strip())
    assert line["event_id"] == made[-1].pk and line["signature"] == anchor.signature
    assert keys.ring()[anchor.key_id].signed(
        anchors.Anchor(**{**anchor.as_dict(), "signature": ""}).message(), anchor.signature
    )
    recorded = AuditEvent.objects.order_by("-id").first()
    assert recorded is not None and recorded.event_type == events.ANCHORED.code
    assert recorded.details["hash"] == anchor.hash
    call_command("audit", "verify", anchors=anchor_file)
    assert "anchors hold: 1 signed heads checked" in capsys.readouterr().out


def test_a_history_rewritten_even_with_the_key_disagrees_with_the_anchor(
    world: World, personas: Personas, anchor_file: Path
) -> None:
    made = _some_events(personas, world, 3)
    anchors.make()
    key = keys.ring()[made[1].key_id]
    # Someone holding the key rewrites event 2 and every hash after it, and the head.
    later = list(AuditEvent.objects.filter(pk__gte=made[1].pk).order_by("id"))
    previous = made[0].hash
    for event in later:
        if event.pk == made[1].pk:
            event.reason = "sửa lén"
        event.prev_hash = previous
        event.hash = event.compute_hash(key)
        _tamper(
            "UPDATE audit_auditevent SET reason = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [event.reason, event.prev_hash, event.hash, event.pk],
        )
        previous = event.hash
    problems = anchors.problems(anchors.read(anchor_file))
    assert problems == [
        f"anchor of {anchors.read(anchor_file)[0].day} (event {made[-1].pk}): the event's hash"
        " is not the one anchored"
    ]


def test_a_cut_tail_and_a_forged_anchor_are_found(
    world: World, personas: Personas, anchor_file: Path
) -> None:
    made = _some_events(personas, world, 3)
    anchor = anchors.make()
    forged = {**anchor.as_dict(), "hash": "f" * 64}  # the signature left as it was
    with anchor_file.open("a") as out:
        out.write(json.dumps(forged) + "\n")
    _tamper("DELETE FROM audit_auditevent WHERE id >= %s", [made[-1].pk])
    found = anchors.problems(anchors.read(anchor_file))
    assert any("no longer in the chain" in p for p in found)
    assert any("signature does not match" in p for p in found)
    with pytest.raises(CommandError):
        call_command("audit", "verify", anchors=anchor_file)


def test_one_anchor_a_day_from_the_worker(
    world: World, personas: Personas, anchor_file: Path
) -> None:
    import datetime as dt

    _some_events(personas, world, 1)
    day = dt.date(2026, 12, 2)
    assert anchors.daily(day) is not None
    assert anchors.daily(day) is None
    assert anchors.daily(day + dt.timedelta(days=1)) is not None
    assert len(anchor_file.read_text().splitlines()) == 2


def test_a_file_that_is_not_anchors_is_refused(
    world: World, personas: Personas, tmp_path: Path
) -> None:
    _some_events(personas, world, 1)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"day": "2026-12-02"}\n')
    with pytest.raises(CommandError, match="line 1: not an anchor"):
        call_command("audit", "verify", anchors=bad)


def test_the_anchor_paper_prints_the_signed_head(
    world: World, personas: Personas, anchor_file: Path, tmp_path: Path
) -> None:
    from tests.documents.test_render import pdf_pages

    _some_events(personas, world, 1)
    pdf = tmp_path / "anchor.pdf"
    call_command("audit", "anchor", pdf=pdf)
    anchor = anchors.read(anchor_file)[-1]
    text = " ".join(pdf_pages(pdf.read_bytes())).replace(" ", "")
    assert "XácnhậnđầuchuỗinhậtkýkiểmtoánSự" in text.replace("\n", "") or "nhậtký" in text
    assert anchor.hash[:32] in text and anchor.signature[:32] in text
