"""`hoso backup` and `hoso restore`: the database and the files directory in one archive.

The archive is a tar stream encrypted to the security officer's public key(s) in the age
format (pyrage; `age -d -i key.txt archive | tar t` reads it on any machine). Its members:
the database dump (audit/dumps.py), every file of the files directory under `files/`, then a
manifest (size and SHA-256 of every member, the audit chain's head inside the dump, the
migrations) and the manifest's Ed25519 signature under the installation's audit key. age alone
proves nothing about who made an archive (anyone holding the public key can encrypt one):
the signature does, so a restore refuses an archive this installation's keys did not sign.

Nothing plaintext leaves the server: the dump is spooled in a private folder beside the files
directory (mode 0700, removed afterwards) and the tar is encrypted as it is written. A restore
writes only into an empty database and an empty files directory, after every member's hash and
the signature have been checked, and records itself in the restored chain.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path, PurePosixPath
from typing import IO, Any

import pyrage
from django.conf import settings
from django.db import transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from pyrage import x25519

from hoso.audit import chain, dumps, events, keys
from hoso.audit.models import AuditEvent

FORMAT = "hoso-backup/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
FILES = "files"


class BackupError(Exception):
    """The archive cannot be made or restored; the message says why."""


@dataclass(frozen=True)
class Summary:
    manifest: dict[str, Any]
    manifest_sha256: str
    size: int  # bytes of the encrypted archive

    @property
    def members(self) -> int:
        return len(self.manifest["members"])

    def details(self, archive: Path) -> dict[str, Any]:
        return {
            "archive": archive.name,
            "bytes": self.size,
            "members": self.members,
            "manifest_sha256": self.manifest_sha256,
            "made_at": self.manifest["made_at"],
            "audit_head": self.manifest["audit_head"]["event_id"],
        }


def recipients(texts: list[str]) -> list[x25519.Recipient]:
    if not texts:
        raise BackupError("no recipient: give the security officer's public key (age1…)")
    try:
        return [x25519.Recipient.from_str(text.strip()) for text in texts]
    except pyrage.RecipientError as exc:
        raise BackupError(f"not an age public key: {exc}") from exc


def identities(path: Path) -> list[x25519.Identity]:
    lines = [line.strip() for line in path.read_text().splitlines()]
    try:
        found = [x25519.Identity.from_str(line) for line in lines if line.startswith("AGE-SECRET")]
    except pyrage.IdentityError as exc:
        raise BackupError(f"{path}: not an age secret key ({exc})") from exc
    if not found:
        raise BackupError(f"{path}: no age secret key (AGE-SECRET-KEY-1…) in it")
    return found


def keygen(path: Path) -> str:
    """A new identity for the security officer, written readable by this user only; returns
    its public key, the recipient of the backups."""
    identity = x25519.Identity.generate()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    public = str(identity.to_public())
    with os.fdopen(descriptor, "w") as out:
        out.write(f"# hoso backup identity, public key: {public}\n{identity}\n")
    return public


@contextmanager
def _private_dir() -> Iterator[Path]:
    # Beside the files directory: moving restored files there stays on one filesystem.
    near = Path(settings.MEDIA_ROOT).parent
    near.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=".hoso-backup-", dir=near))  # mode 0700
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


class _Hashing:
    """A file read through: what tarfile reads is what is hashed."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle, self.sha = handle, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        block = self.handle.read(size)
        self.sha.update(block)
        return block


def _add(tar: tarfile.TarFile, name: str, path: Path, entries: list[dict[str, Any]]) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = path.stat().st_size, 0o600, int(path.stat().st_mtime)
    with path.open("rb") as handle:
        hashing = _Hashing(handle)
        tar.addfile(info, hashing)
    entries.append({"name": name, "size": info.size, "sha256": hashing.sha.hexdigest()})


def _add_bytes(tar: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(content), 0o600, int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(content))


def _stored_files() -> Iterator[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield f"{FILES}/{path.relative_to(root).as_posix()}", path


class _Writer:
    """`work(pipe)` writing into a pipe from a thread, while the caller reads the other end
    (`source`); its exception, if any, kept for the caller to raise once the stream is over."""

    def __init__(self, name: str, work: Callable[[io.BufferedWriter], None]) -> None:
        read_end, write_end = os.pipe()
        self.source = io.BufferedReader(io.FileIO(read_end, "rb"))
        self.failed: list[BaseException] = []
        self.thread = threading.Thread(target=self._run, args=(write_end, work), name=name)
        self.thread.daemon = True
        self.thread.start()

    def _run(self, descriptor: int, work: Callable[[io.BufferedWriter], None]) -> None:
        try:
            with io.BufferedWriter(io.FileIO(descriptor, "wb")) as pipe:
                work(pipe)
        except BaseException as exc:  # reported by the caller, after the stream ends
            self.failed.append(exc)

    def close(self) -> None:
        """Stop reading (a writer still writing gets a broken pipe) and wait for the thread."""
        self.source.close()
        self.thread.join()


def _encrypted(
    sink: io.BufferedIOBase, to: list[x25519.Recipient], write: Callable[[Any], None]
) -> None:
    """A tar stream written by `write` in a thread, encrypted into `sink` as it comes."""

    def produce(pipe: io.BufferedWriter) -> None:
        with tarfile.open(fileobj=pipe, mode="w|") as tar:
            write(tar)

    tar = _Writer("backup-tar", produce)
    try:
        pyrage.encrypt_io(tar.source, sink, to)
    finally:
        tar.close()
    if tar.failed:
        raise tar.failed[0]


def _applied_migrations() -> list[str]:
    applied = MigrationRecorder.Migration.objects.values_list("app", "name")
    return sorted(f"{app}.{name}" for app, name in applied)


def make(out: Path, to: list[str]) -> Summary:
    """Write the archive to `out` (through `out.partial`, renamed when complete)."""
    officers = recipients(to)
    key = keys.newest(keys.ring())
    if key is None or key.private is None:
        raise BackupError(f"no audit key in {keys.directory()} to sign the archive with")
    vendor = dumps.vendor()
    written: dict[str, Any] = {}
    with _private_dir() as work:
        database = work / dumps.NAMES[vendor]
        head = dumps.dump(database)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "made_at": timezone.now().isoformat(),
            "hoso_version": version("hoso"),
            "database": vendor,
            "audit_head": {"event_id": head.event_id, "hash": head.hash},
            "migrations": _applied_migrations(),
            "members": [],
        }

        def write(tar: tarfile.TarFile) -> None:
            _add(tar, dumps.NAMES[vendor], database, manifest["members"])
            for name, path in _stored_files():
                _add(tar, name, path, manifest["members"])
            text = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            written["sha256"] = hashlib.sha256(text).hexdigest()
            signature = {"key_id": key.id, "signature": key.sign(text.decode())}
            _add_bytes(tar, MANIFEST, text)
            _add_bytes(tar, SIGNATURE, json.dumps(signature).encode())

        partial = out.with_name(out.name + ".partial")
        try:
            with partial.open("wb") as sink:
                _encrypted(sink, officers, write)
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
    summary = Summary(manifest, written["sha256"], out.stat().st_size)
    with transaction.atomic():
        chain.record(events.BACKUP_MADE.code, details={**summary.details(out), "to": to})
    return summary


# ---- restore ---------------------------------------------------------------------------------


def _member_path(work: Path, name: str) -> Path:
    """Where a member is staged; anything but a plain relative name is refused."""
    parts = PurePosixPath(name).parts
    allowed = name in {MANIFEST, SIGNATURE, *dumps.NAMES.values()} or (
        len(parts) > 1 and parts[0] == FILES
    )
    if not allowed or PurePosixPath(name).is_absolute() or ".." in parts:
        raise BackupError(f"unexpected member {name!r} in the archive: not a hoso backup")
    return work.joinpath(*parts)


def _stage(tar: tarfile.TarFile, work: Path) -> dict[str, dict[str, Any]]:
    staged: dict[str, dict[str, Any]] = {}
    for member in tar:
        if not member.isfile() or member.name in staged:
            raise BackupError(f"unexpected member {member.name!r} in the archive")
        target = _member_path(work, member.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        source = tar.extractfile(member)
        assert source is not None  # a regular file
        with target.open("wb") as out:
            hashing = _Hashing(source)
            while block := hashing.read(1 << 20):
                out.write(block)
        staged[member.name] = {"size": target.stat().st_size, "sha256": hashing.sha.hexdigest()}
    return staged


def _decrypted(archive: Path, officer: list[x25519.Identity], work: Path) -> dict[str, Any]:
    """Decrypt and stage every member of the archive in `work`; {name: size and hash}."""

    def decrypt(pipe: io.BufferedWriter) -> None:
        with archive.open("rb") as source:
            pyrage.decrypt_io(source, pipe, officer)

    plain = _Writer("restore-decrypt", decrypt)
    try:
        with tarfile.open(fileobj=plain.source, mode="r|") as tar:
            staged = _stage(tar, work)
    except tarfile.TarError as exc:
        plain.close()  # the decryption's own failure first: it is the cause
        raise BackupError(f"{archive}: {_why(plain.failed) or exc}") from exc
    finally:
        plain.close()
    if plain.failed:
        raise BackupError(f"{archive}: {_why(plain.failed)}")
    return staged


def _why(failed: list[BaseException]) -> str:
    # age authenticates every chunk: a changed byte fails like a wrong key, as an OSError.
    if not failed:
        return ""
    return f"cannot be decrypted with this identity, or it was altered ({failed[0]})"


def _signed_manifest(work: Path, staged: dict[str, Any]) -> tuple[dict[str, Any], str]:
    if MANIFEST not in staged or SIGNATURE not in staged:
        raise BackupError("the archive has no signed manifest: not a complete hoso backup")
    text = (work / MANIFEST).read_text()
    signature = json.loads((work / SIGNATURE).read_text())
    key = keys.ring().get(str(signature.get("key_id")))
    if key is None:
        raise BackupError(
            f"the archive is signed by audit key {signature.get('key_id')}, which is not in "
            f"{keys.directory()}: copy the installation's audit keys there first"
        )
    if not key.signed(text, str(signature.get("signature"))):
        raise BackupError("the manifest's signature does not hold: the archive was altered")
    manifest = json.loads(text)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"archive format {manifest.get('format')!r}, expected {FORMAT}")
    return manifest, hashlib.sha256(text.encode()).hexdigest()


def _check_members(manifest: dict[str, Any], staged: dict[str, Any]) -> None:
    listed = {entry["name"]: entry for entry in manifest["members"]}
    found = {name: value for name, value in staged.items() if name not in {MANIFEST, SIGNATURE}}
    if set(listed) != set(found):
        odd = sorted(set(listed) ^ set(found))[:5]
        raise BackupError(f"the archive's members are not those of its manifest: {odd}")
    for name, entry in listed.items():
        if found[name] != {"size": entry["size"], "sha256": entry["sha256"]}:
            raise BackupError(f"{name}: its bytes are not those of the manifest")


def _require_empty_files() -> Path:
    root = Path(settings.MEDIA_ROOT)
    if root.exists() and any(root.iterdir()):
        raise BackupError(f"the files directory {root} is not empty: restore into a new one")
    return root


def _place_files(work: Path) -> None:
    root = _require_empty_files()
    staged = work / FILES
    if root.exists():
        root.rmdir()
    root.parent.mkdir(parents=True, exist_ok=True)
    if staged.is_dir():
        shutil.move(staged, root)
    else:
        root.mkdir()


def _check_head(manifest: dict[str, Any]) -> None:
    head = manifest["audit_head"]
    if (
        head["event_id"]
        and not AuditEvent.objects.filter(pk=head["event_id"], hash=head["hash"]).exists()
    ):
        raise BackupError(
            "the restored database does not hold the audit chain its manifest names: drop it"
        )


def restore(archive: Path, identity: Path) -> Summary:
    """Restore the archive into the configured, empty database and files directory."""
    from django.core.management import call_command

    officer = identities(identity)
    dumps.require_empty()
    _require_empty_files()
    with _private_dir() as work:
        staged = _decrypted(archive, officer, work)
        manifest, manifest_sha256 = _signed_manifest(work, staged)
        _check_members(manifest, staged)
        if manifest["database"] != dumps.vendor():
            raise BackupError(
                f"the archive holds a {manifest['database']} database, this installation "
                f"runs {dumps.vendor()}"
            )
        dumps.load(work / dumps.NAMES[manifest["database"]])
        _check_head(manifest)
        _place_files(work)
    call_command("migrate", verbosity=0)  # a newer hoso than the archive's: its migrations
    summary = Summary(manifest, manifest_sha256, archive.stat().st_size)
    record_restore(summary, archive)
    return summary


def record_restore(summary: Summary, archive: Path) -> None:
    """The restore's last step: its event, the first of the restored chain's continuation."""
    with transaction.atomic():
        chain.record(events.BACKUP_RESTORED.code, details=summary.details(archive))
