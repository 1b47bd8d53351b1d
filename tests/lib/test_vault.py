"""Encryption at rest, the cipher (issue 14, item 6): a value opens only with its key and its
column, an altered one or one whose key is gone fails loudly, and a rotation leaves the older
values readable."""

from __future__ import annotations

import base64
import stat
from pathlib import Path
from typing import Any

import pytest

from hoso.lib import vault


@pytest.fixture
def keys(tmp_path: Path, settings: Any) -> Path:
    settings.HOSO_FIELD_KEY_DIR = tmp_path / "field-keys"
    return settings.HOSO_FIELD_KEY_DIR


def test_a_sealed_value_opens_with_its_column_only(keys: Path) -> None:
    stored = vault.seal("Ông nội: tham gia quân đội chế độ cũ", "people_relative.political_history")
    assert stored.startswith(vault.PREFIX) and "quân đội" not in stored
    assert vault.open_(stored, "people_relative.political_history").startswith("Ông nội")
    with pytest.raises(vault.Unreadable, match="altered"):
        vault.open_(stored, "people_relative.current_status")  # copied to another column


def test_the_first_value_makes_the_key_readable_by_this_user_only(keys: Path) -> None:
    assert not keys.exists()
    stored = vault.seal("x", "t.c")
    (made,) = keys.glob("*.key")
    assert vault.key_of(stored) == made.stem and len(made.stem) == vault.KEY_ID_WIDTH
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    assert len(base64.b64decode(made.read_bytes())) == 32


def test_each_value_is_sealed_afresh(keys: Path) -> None:
    # The same note twice gives two ciphertexts: equal notes cannot be told apart in the table.
    assert vault.seal("Không", "t.c") != vault.seal("Không", "t.c")


def test_an_empty_value_stays_empty_and_needs_no_key(keys: Path) -> None:
    assert vault.seal("", "t.c") == "" and vault.open_("", "t.c") == ""
    assert not keys.exists()


def test_an_altered_value_is_refused(keys: Path) -> None:
    stored = vault.seal("Nguyễn Văn Dân", "petitions_petition.petitioner_name")
    body = bytearray(base64.urlsafe_b64decode(stored.split(":")[2]))
    body[-1] ^= 1
    forged = f"{vault.PREFIX}{vault.key_of(stored)}:{base64.urlsafe_b64encode(body).decode()}"
    with pytest.raises(vault.Unreadable, match="altered"):
        vault.open_(forged, "petitions_petition.petitioner_name")
    with pytest.raises(vault.Unreadable, match="not an encrypted value"):
        vault.open_("Nguyễn Văn Dân", "petitions_petition.petitioner_name")


def test_a_missing_key_is_named(keys: Path) -> None:
    stored = vault.seal("JBSWY3DPEHPK3PXP", "access_user.totp_secret")
    (keys / f"{vault.key_of(stored)}.key").unlink()
    vault.ring(fresh=True)  # a process lists the directory at most once a second
    with pytest.raises(vault.Unreadable, match=rf"{vault.key_of(stored)} is not in .*field-keys"):
        vault.open_(stored, "access_user.totp_secret")


def test_a_new_key_encrypts_and_the_older_ones_still_open(keys: Path) -> None:
    older = vault.seal("cũ", "t.c")
    newer_id = vault.make()
    newer = vault.seal("mới", "t.c")
    assert vault.key_of(newer) == newer_id != vault.key_of(older)
    assert vault.newest_id() == newer_id
    assert (vault.open_(older, "t.c"), vault.open_(newer, "t.c")) == ("cũ", "mới")


def test_a_file_that_is_not_a_key_is_refused(keys: Path) -> None:
    vault.make()
    (keys / "20990101000000000000-000000.key").write_text("not a key\n")
    with pytest.raises(ValueError, match="not a field key"):
        vault.ring(fresh=True)


def test_a_key_made_by_another_process_is_seen(keys: Path) -> None:
    older = vault.seal("a", "t.c")
    # Another process rotates: its key file appears; this one writes under it within a second,
    # and reads a value made under it at once.
    other = vault.make()
    (keys / f"{other}.key").rename(keys / "kept")
    vault.ring(fresh=True)
    (keys / "kept").rename(keys / f"{other}.key")
    assert vault.newest_id() == vault.key_of(older)  # not listed again yet
    made_elsewhere = f"{vault.PREFIX}{other}:" + "A" * 40
    with pytest.raises(vault.Unreadable, match="altered"):  # listed again: the key is found
        vault.open_(made_elsewhere, "t.c")
    assert vault.key_of(vault.seal("b", "t.c")) == other
