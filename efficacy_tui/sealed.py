"""Encryption in the age format with a passphrase (pyrage's scrypt recipient), so the standard
`age` tool can decrypt what efficacy writes: `age --decrypt FILE`, then the passphrase.

The passphrase comes from the file named by EFFICACY_PASSPHRASE_FILE, or is asked for on the
terminal by the command line; efficacy never writes it anywhere.
"""

import os
from pathlib import Path

from efficacy_tui.content import say

MAGIC = b"age-encryption.org/v1\n"
ENV_VAR = "EFFICACY_PASSPHRASE_FILE"
MAX_PASSPHRASE_BYTES = 4096


class SealError(ValueError):
    """A passphrase that cannot be used, or a file it does not open; str() is one sentence."""


def is_sealed(head: bytes) -> bool:
    """Whether bytes read from the start of a file are an age file's."""
    return head.startswith(MAGIC)


def seal(data: bytes, passphrase: str) -> bytes:
    import pyrage

    return pyrage.passphrase.encrypt(data, passphrase)


def unseal(data: bytes, passphrase: str, name: object) -> bytes:
    """The plain bytes of an age file; a wrong passphrase, or a file changed or cut short since
    it was written (age checks every byte), is one sentence naming it."""
    import pyrage

    try:
        return pyrage.passphrase.decrypt(data, passphrase)
    except pyrage.DecryptError:
        raise SealError(say("sync.wrong_passphrase", path=name)) from None


def passphrase_from_file() -> str | None:
    """The passphrase in the file EFFICACY_PASSPHRASE_FILE names (its first line), or None when
    the variable is not set."""
    named = os.environ.get(ENV_VAR, "").strip()
    if not named:
        return None
    path = Path(named).expanduser()
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_PASSPHRASE_BYTES + 1)
    except OSError as err:
        raise SealError(say("sync.passphrase_file_unreadable", path=path,
                            error=(err.strerror or str(err)).lower())) from None
    lines = raw.decode("utf-8", errors="replace").splitlines()
    text = lines[0].strip() if lines else ""
    if not text or len(raw) > MAX_PASSPHRASE_BYTES:
        raise SealError(say("sync.passphrase_file_empty", path=path))
    return text
