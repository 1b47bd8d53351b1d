"""The keys of the audit chain, kept outside the database.

Each key is an Ed25519 key pair in its own file of the key directory (`HOSO_AUDIT_KEY_DIR`,
by default `<data dir>/audit-keys`; the app's process user reads it, the database role never
can), named by the key's id. From the private key:
- each event's hash is an HMAC-SHA256 under a secret derived from it (`chain_secret`), so
  someone who can write the database but cannot read the key cannot make an edited or
  forged event verify;
- the anchors (the chain's head, signed once a day: audit/anchors.py) are Ed25519 signatures,
  which anyone holding only the public key can check (the security officer, the level above).

The newest key is the one in use. A new key is introduced by an event of the chain made under
the key before it (`hoso audit rotate-key`), so the rotation itself is chained; the first key
of an installation is made and introduced by the first event that needs it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

SUFFIX = ".pem"
PUBLIC_SUFFIX = ".pub"


@dataclass(frozen=True)
class Key:
    id: str
    private: Ed25519PrivateKey | None  # None: only the public key is at hand (an offline check)
    public: Ed25519PublicKey

    @property
    def public_hex(self) -> str:
        raw = self.public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return raw.hex()

    def chain_secret(self) -> bytes:
        if self.private is None:
            raise KeyError(f"audit key {self.id}: only its public key is here")
        raw = self.private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return hmac.new(raw, b"hoso audit chain", hashlib.sha256).digest()

    def mac(self, message: str) -> str:
        return hmac.new(self.chain_secret(), message.encode(), hashlib.sha256).hexdigest()

    def sign(self, message: str) -> str:
        if self.private is None:
            raise KeyError(f"audit key {self.id}: only its public key is here")
        return self.private.sign(message.encode()).hex()

    def signed(self, message: str, signature: str) -> bool:
        try:
            self.public.verify(bytes.fromhex(signature), message.encode())
        except Exception:
            return False
        return True


def directory() -> Path:
    return Path(settings.HOSO_AUDIT_KEY_DIR)


def load(where: Path | None = None) -> dict[str, Key]:
    """{key id: key} of the directory, oldest first (ids sort by time)."""
    where = where or directory()
    found: dict[str, Key] = {}
    if not where.is_dir():
        return found
    for path in sorted(where.glob(f"*{SUFFIX}")):
        private = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(private, Ed25519PrivateKey):
            raise ValueError(f"{path}: not an Ed25519 key")
        found[path.stem] = Key(path.stem, private, private.public_key())
    for path in sorted(where.glob(f"*{PUBLIC_SUFFIX}")):
        if path.stem not in found:  # a checker's copy: the public key alone
            public = serialization.load_pem_public_key(path.read_bytes())
            if not isinstance(public, Ed25519PublicKey):
                raise ValueError(f"{path}: not an Ed25519 public key")
            found[path.stem] = Key(path.stem, None, public)
    return dict(sorted(found.items()))


_cache: dict[tuple[str, tuple[str, ...]], dict[str, Key]] = {}


def ring() -> dict[str, Key]:
    """The keys of the directory, read again only when its files change."""
    where = directory()
    names = tuple(sorted(os.listdir(where))) if where.is_dir() else ()
    found = _cache.get((str(where), names))
    if found is None:
        _cache.clear()
        found = _cache[(str(where), names)] = load(where)
    return found


def newest(keys: dict[str, Key]) -> Key | None:
    return keys[next(reversed(keys))] if keys else None


def make() -> Key:
    """A new key pair written to the directory (the private key readable by this user only),
    and its public key beside it for the checkers."""
    where = directory()
    where.mkdir(parents=True, exist_ok=True, mode=0o700)
    key_id = f"{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S}-{secrets.token_hex(3)}"
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path = where / f"{key_id}{SUFFIX}"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(pem)
    public = private.public_key()
    (where / f"{key_id}{PUBLIC_SUFFIX}").write_bytes(
        public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return Key(key_id, private, public)
