"""The sync folder's files: its marker, each device's numbered change files and the empty file
whose time says when that device last synced. Each device writes only under its own uid, each
file to a hidden temporary name first and then renamed, so a sync service never carries half a
file and two devices never write the same one. With a passphrase every file is age-encrypted.

Layout (docs/SYNC.md):

    DIR/efficacy-sync.json | efficacy-sync.age   the marker: plain, or encrypted
    DIR/<device uid>/00000001.json | .age         numbered change files, append-only
    DIR/<device uid>/synced                       empty; its time is the last sync
"""

import hashlib
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from efficacy_tui.content import say
from efficacy_tui.sealed import is_sealed, seal, unseal
from efficacy_tui.store.paths import create_private, make_private_dir

FOLDER_FORMAT = "efficacy-sync-folder"
FILE_FORMAT = "efficacy-sync-changes"
VERSION = 1
PLAIN_MARKER = "efficacy-sync.json"
SEALED_MARKER = "efficacy-sync.age"
SYNCED = "synced"
MAX_FILE_BYTES = 256 * 1024 * 1024
DEVICE_NAME = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
FILE_NAME = re.compile(r"^([0-9]{8})\.(json|age)$")


# Encrypted folders this process has opened, or made, with a passphrase (kept as a digest, in
# memory only), and their marker's time and size then: the app's later syncs skip decrypting the
# marker again, a second of scrypt each, while the marker is unchanged.
_OPENED: dict[tuple[str, str], tuple[int, int]] = {}


class FolderError(ValueError):
    """A folder that cannot be synced through; str() is one sentence and nothing was written."""


class BadFile(ValueError):
    """A change file that cannot be merged; str() is one sentence naming it."""


def kind(path: Path) -> str:
    """'sealed' or 'plain' for a sync folder, 'new' for a missing or empty folder, 'other' for
    anything else (a file, another program's folder)."""
    if not path.exists():
        return "new"
    if not path.is_dir():
        return "other"
    sealed, plain = (path / SEALED_MARKER).exists(), (path / PLAIN_MARKER).exists()
    if sealed != plain:
        return "sealed" if sealed else "plain"
    if sealed and plain:
        return "other"
    return "new" if not [p for p in path.iterdir() if not p.name.startswith(".")] else "other"


def digest(changes: list[dict[str, Any]]) -> str:
    text = json.dumps(changes, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Folder:
    """An open sync folder, plain or encrypted with `passphrase`."""

    path: Path
    passphrase: str | None

    @property
    def ext(self) -> str:
        return "age" if self.passphrase else "json"

    def _bytes(self, data: dict[str, Any]) -> bytes:
        raw = (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        return seal(raw, self.passphrase) if self.passphrase else raw

    def _write(self, target: Path, data: bytes) -> None:
        """To a hidden temporary name beside it, synced, then renamed over it."""
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            with os.fdopen(create_private(temp), "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, target)
        except OSError as err:
            temp.unlink(missing_ok=True)
            raise FolderError(say("sync.cannot_write", path=target,
                                  error=(err.strerror or str(err)).lower())) from None

    def devices(self) -> tuple[list[str], list[str]]:
        """The device folders here, and the names of anything else (hidden files, which sync
        services keep for themselves, aside)."""
        found, foreign = [], []
        for entry in sorted(self.path.iterdir()):
            if entry.name.startswith(".") or entry.name in (PLAIN_MARKER, SEALED_MARKER):
                continue
            if entry.is_dir() and DEVICE_NAME.match(entry.name):
                found.append(entry.name)
            else:
                foreign.append(entry.name)
        return found, foreign

    def files(self, device: str, after: int) -> tuple[list[tuple[int, Path]], list[str]]:
        """The change files of `device` numbered after `after`, in order, and the names of files
        in its folder that are not efficacy's (or are of the other kind, plain or encrypted)."""
        folder = self.path / device
        numbered, foreign = [], []
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            return [], []
        for entry in entries:
            if entry.name.startswith(".") or entry.name == SYNCED:
                continue
            match = FILE_NAME.match(entry.name)
            if match is None or match.group(2) != self.ext or not entry.is_file():
                foreign.append(f"{device}/{entry.name}")
            elif int(match.group(1)) > after:
                numbered.append((int(match.group(1)), entry))
        return numbered, foreign

    def change_path(self, device: str, number: int) -> Path:
        return self.path / device / f"{number:08d}.{self.ext}"

    def _own_folder(self, target: Path) -> Path:
        """The folder `target` goes in, made when missing; FolderError when it cannot be (another
        program's file has its name)."""
        try:
            target.parent.mkdir(mode=0o700, exist_ok=True)
        except OSError as err:
            raise FolderError(say("sync.cannot_write", path=target,
                                  error=(err.strerror or str(err)).lower())) from None
        return target.parent

    def write_changes(self, device: str, number: int, changes: list[dict[str, Any]],
                      schema_version: int) -> Path:
        target = self.change_path(device, number)
        self._clear_parts(self._own_folder(target))
        self._write(target, self._bytes({
            "format": FILE_FORMAT, "version": VERSION, "schema_version": schema_version,
            "device": device, "number": number, "digest": digest(changes), "changes": changes,
        }))
        return target

    def _clear_parts(self, folder: Path) -> None:
        """Temporary files a killed sync left in this device's own folder."""
        for part in folder.glob(".*.part"):
            part.unlink(missing_ok=True)

    def read_changes(self, device: str, number: int, path: Path,
                     schema_version: int) -> list[dict[str, Any]]:
        """The changes in a change file, checked to be whole and untouched; BadFile otherwise."""
        shown = f"{device}/{path.name}"
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise BadFile(say("sync.bad_file", path=shown, reason=say("sync.reasons.large")))
            raw = path.read_bytes()
        except OSError as err:
            raise BadFile(say("sync.bad_file", path=shown,
                              reason=(err.strerror or str(err)).lower())) from None
        if self.passphrase:
            if not is_sealed(raw):
                raise BadFile(say("sync.bad_file", path=shown, reason=say("sync.reasons.plain")))
            try:
                raw = unseal(raw, self.passphrase, shown)
            except ValueError:
                raise BadFile(say("sync.bad_file", path=shown,
                                  reason=say("sync.reasons.sealed"))) from None
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise BadFile(say("sync.bad_file", path=shown,
                              reason=say("sync.reasons.cut"))) from None
        except RecursionError:  # nested deeper than Python reads: JSON, but not efficacy's
            raise BadFile(say("sync.bad_file", path=shown,
                              reason=say("sync.reasons.format"))) from None
        if not isinstance(data, dict) or data.get("format") != FILE_FORMAT:
            raise BadFile(say("sync.bad_file", path=shown, reason=say("sync.reasons.format")))
        version, known = data.get("version"), data.get("schema_version")
        if not isinstance(version, int) or not isinstance(known, int):
            raise BadFile(say("sync.bad_file", path=shown, reason=say("sync.reasons.format")))
        if version > VERSION or known > schema_version:
            raise BadFile(say("sync.bad_file", path=shown, reason=say("sync.reasons.newer")))
        changes = data.get("changes")
        if (data.get("device") != device or data.get("number") != number
                or not isinstance(changes, list)):
            raise BadFile(say("sync.bad_file", path=shown, reason=say("sync.reasons.tampered")))
        try:
            written = digest(changes)
        except (UnicodeEncodeError, RecursionError):  # a \ud800 escape, or nested too deep
            raise BadFile(say("sync.bad_file", path=shown,
                              reason=say("sync.reasons.format"))) from None
        if data.get("digest") != written:
            raise BadFile(say("sync.bad_file", path=shown, reason=say("sync.reasons.tampered")))
        return changes

    def touch(self, device: str) -> None:
        """Say in the folder that `device` has just synced: an empty file, its time the news."""
        target = self.path / device / SYNCED
        self._own_folder(target)
        self._write(target, b"")

    def last_synced(self, device: str) -> float | None:
        try:
            return (self.path / device / SYNCED).stat().st_mtime
        except OSError:
            return None


def _opened_key(path: Path, passphrase: str) -> tuple[str, str]:
    return str(path), hashlib.sha256(passphrase.encode()).hexdigest()


def open_folder(path: Path, passphrase: str | None) -> Folder:
    """The sync folder at `path`, made (with its marker) when it is missing or empty. Refused with
    one sentence: another program's folder, a plain folder with a passphrase or an encrypted one
    without, a wrong passphrase, a folder from a newer efficacy."""
    path = path.expanduser().absolute()
    found = kind(path)
    if found == "other":
        raise FolderError(say("sync.not_sync_folder", path=path))
    if found == "plain" and passphrase:
        raise FolderError(say("sync.folder_plain", path=path))
    if found == "sealed" and not passphrase:
        raise FolderError(say("sync.folder_sealed", path=path))
    folder = Folder(path, passphrase)
    if found == "new":
        try:
            make_private_dir(path)
        except OSError as err:
            raise FolderError(say("sync.cannot_write", path=path,
                                  error=(err.strerror or str(err)).lower())) from None
        marker = path / (SEALED_MARKER if passphrase else PLAIN_MARKER)
        folder._write(marker, folder._bytes({"format": FOLDER_FORMAT, "version": VERSION}))
        if passphrase:
            seen = marker.stat()
            _OPENED[_opened_key(path, passphrase)] = (seen.st_mtime_ns, seen.st_size)
        return folder
    marker = path / (SEALED_MARKER if passphrase else PLAIN_MARKER)
    try:
        seen = marker.stat()
        raw = marker.read_bytes()[:MAX_FILE_BYTES]
    except OSError as err:
        raise FolderError(say("sync.cannot_write", path=marker,
                              error=(err.strerror or str(err)).lower())) from None
    known = _opened_key(path, passphrase or "")
    if passphrase and _OPENED.get(known) == (seen.st_mtime_ns, seen.st_size):
        return folder
    if passphrase:
        raw = unseal(raw, passphrase, path)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        data = None
    if not isinstance(data, dict) or data.get("format") != FOLDER_FORMAT:
        raise FolderError(say("sync.not_sync_folder", path=path))
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        raise FolderError(say("sync.newer_folder", path=path))
    if passphrase:
        _OPENED[known] = (seen.st_mtime_ns, seen.st_size)
    return folder
