"""Encryption at rest of the most sensitive values, under keys kept outside the database.

Each key is 32 random bytes (AES-256-GCM) in its own file of the key directory
(`HOSO_FIELD_KEY_DIR`, by default `<data dir>/field-keys`; mode 0700, each file 0600: the app's
process user reads it, the database role and the database's backups never hold it), named by
its id. The newest key encrypts; every key of the directory decrypts, since each value names
the key it was made under:

    hv1:<key id>:<base64url of nonce (12 bytes) + ciphertext + tag>

The column's name is the associated data, so a value copied into another encrypted column no
longer opens. Empty values stay empty (whether a note was written is not secret, and an empty
form field must not need a key). The first key is made by the first value that needs one;
`hoso vault rotate` makes a new one and re-encrypts every value under it (encrypted.py).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "hv1:"
SUFFIX = ".key"
NONCE_BYTES = 12
KEY_ID_WIDTH = len("20261202184700123456-a1b2c3")  # make(): the time (µs), a random part


class Unreadable(ValueError):
    """A stored value that cannot be decrypted here: its key is missing, or it was altered."""


def directory() -> Path:
    return Path(settings.HOSO_FIELD_KEY_DIR)


def load(where: Path | None = None) -> dict[str, bytes]:
    """{key id: key} of the directory, oldest first (ids sort by time)."""
    where = where or directory()
    found: dict[str, bytes] = {}
    if not where.is_dir():
        return found
    for path in sorted(where.glob(f"*{SUFFIX}")):
        try:
            key = base64.b64decode(path.read_bytes().strip(), validate=True)
        except binascii.Error:
            key = b""
        if len(key) != 32:
            raise ValueError(f"{path}: not a field key (32 bytes, base64)")
        found[path.stem] = key
    return found


# Each process lists the key directory at most once a second (a page may decrypt thousands of
# values): a key another process made is used for writing here within a second, and for
# reading at once (an unknown key id lists the directory again).
RECHECK_SECONDS = 1.0


@dataclass
class _Ring:
    where: str = ""
    names: tuple[str, ...] = ()
    checked: float = -RECHECK_SECONDS
    ciphers: dict[str, AESGCM] = field(default_factory=dict)  # oldest first


_ring = _Ring()


def ring(*, fresh: bool = False) -> dict[str, AESGCM]:
    """The ciphers of the directory's keys, by key id, oldest first."""
    where = directory()
    now = time.monotonic()
    if not fresh and _ring.where == str(where) and now - _ring.checked < RECHECK_SECONDS:
        return _ring.ciphers
    names = tuple(sorted(os.listdir(where))) if where.is_dir() else ()
    if (_ring.where, _ring.names) != (str(where), names):
        ciphers = {key_id: AESGCM(key) for key_id, key in load(where).items()}
        _ring.where, _ring.names, _ring.ciphers = str(where), names, ciphers
    _ring.checked = now
    return _ring.ciphers


def newest_id() -> str | None:
    keys = ring()
    return next(reversed(keys)) if keys else None


def make() -> str:
    """A new key written to the directory, readable by this user only; returns its id."""
    where = directory()
    where.mkdir(parents=True, exist_ok=True, mode=0o700)
    # To the microsecond: a key made right after the first one (a rotation) sorts after it.
    key_id = f"{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S%f}-{secrets.token_hex(3)}"
    descriptor = os.open(where / f"{key_id}{SUFFIX}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(base64.b64encode(AESGCM.generate_key(bit_length=256)) + b"\n")
    ring(fresh=True)  # this process writes under it from now on
    return key_id


def seal(plain: str, context: str) -> str:
    """`plain` encrypted under the newest key, bound to `context` (the column)."""
    if not plain:
        return ""
    key_id = newest_id() or make()
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring()[key_id].encrypt(nonce, plain.encode(), context.encode())
    return f"{PREFIX}{key_id}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def key_of(stored: str) -> str:
    """The id of the key a stored value was made under ("" for an empty value)."""
    if not stored:
        return ""
    if not stored.startswith(PREFIX) or stored.count(":") != 2:
        raise Unreadable("not an encrypted value (hv1:…)")
    return stored.split(":")[1]


def open_(stored: str, context: str) -> str:
    """The plain text of a value made by seal() for the same context."""
    key_id = key_of(stored)
    if not key_id:
        return ""
    cipher = ring().get(key_id) or ring(fresh=True).get(key_id)
    if cipher is None:
        raise Unreadable(
            f"field key {key_id} is not in {directory()} (HOSO_FIELD_KEY_DIR): copy it back "
            "from the security officer's safe"
        )
    try:
        raw = base64.urlsafe_b64decode(stored.split(":")[2])
        plain = cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
    except (InvalidTag, binascii.Error, ValueError) as error:
        raise Unreadable(f"a value of {context} under key {key_id} was altered") from error
    return plain.decode()
