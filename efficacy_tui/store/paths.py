"""Where the database lives, and creating it privately (0600 in a 0700 folder)."""

import os
from pathlib import Path

ENV_VAR = "EFFICACY_DB"


def default_db_path() -> Path:
    """The per-user data file, from platformdirs, unless EFFICACY_DB names another."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("efficacy", appauthor=False)) / "efficacy.db"


def resolve_db_path(option: str | os.PathLike | None) -> Path:
    """`--db PATH` wins over EFFICACY_DB, which wins over the platform default."""
    if option:
        return Path(option).expanduser()
    return default_db_path()


def make_private_dir(folder: Path) -> None:
    """Create missing folders 0700; folders that already exist are left as the user set them."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        path.mkdir(mode=0o700)
        os.chmod(path, 0o700)


def create_private(path: Path | str) -> int:
    """A new file opened for writing (its descriptor), mode 0600 from the first byte: O_EXCL, so
    a file or link another user put there first is never written through (FileExistsError)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
    os.fchmod(fd, 0o600)  # whatever the umask
    return fd


def create_private_file(path: Path) -> bool:
    """Create an empty file with mode 0600 if it is missing; True when it was created here."""
    make_private_dir(path.parent)
    try:
        fd = create_private(path)
    except FileExistsError:
        return False
    os.close(fd)
    return True
