"""Files only the account running the counter (or the hub) may read: 0600 files, 0700 directories.

The store (ID numbers, names, phones), ``settings.toml`` (the hub's device token) and the scans are personal
data; on a shared PC the default umask (0644 / 0755) lets every local account read them. Everything here is a
no-op on Windows, where permissions are ACLs inherited from the parent folder: there the data directory lives in
the user's profile (``%LOCALAPPDATA%``, readable by that user, SYSTEM and administrators only) and docs/security.md
gives the ``icacls`` line for a data directory placed elsewhere.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
POSIX = os.name == "posix"


def private_dir(path: Path, *, tighten: bool = False) -> Path:
    """Create ``path`` and any missing parents as 0700. An existing directory is tightened to 0700 only when
    ``tighten`` is set (the app's own data directory), never a parent the admin chose (a shared ``/srv``)."""
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for directory in reversed(missing):
        try:
            directory.mkdir(mode=DIR_MODE)
        except FileExistsError:
            pass
        if POSIX:
            os.chmod(directory, DIR_MODE)  # mkdir's mode is filtered by the umask
    if tighten and POSIX and path.is_dir() and not missing:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, DIR_MODE)
    return path


def private_file(path: Path, *, create: bool = False) -> Path:
    """Make ``path`` 0600 (creating it empty first when ``create`` is set and it does not exist)."""
    if create and not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    if POSIX and path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, FILE_MODE)
    return path


def open_private(path: Path) -> int:
    """A new (or truncated) file for writing, 0600 from its first byte; returns the descriptor."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), FILE_MODE)
    if POSIX:
        os.fchmod(fd, FILE_MODE)  # an existing file keeps its old mode through O_CREAT
    return fd
