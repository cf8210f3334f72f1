"""Atomic file writes and folder locks that work on Linux, macOS and Windows.

A write goes to a temporary file beside its target (named after the writing process), is fsynced and renamed over the
target: a crash or Ctrl-C leaves the old content or the new, never half of either. The temporary files a killed
writer leaves behind are removed by the next write in that folder. Files get the permissions any new file gets
(0644 under the usual umask 022), not the 0600 of `tempfile.mkstemp`. On Windows a file another program holds open
(a report open in Excel, a virus scanner reading it) cannot be renamed over: the rename is retried for a moment, then
refused with a one-line error naming the file, the old content intact.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import AssessorError

if TYPE_CHECKING:  # imported when a lock is taken: a write (a cache file) needs no lock
    import filelock

# `<prefix><pid>-<random>.tmp`: the pid says whether the writer is still alive.
_TEMP_NAME = re.compile(r"(?:^|\.)(\d+)-\w+\.tmp$")
# A temporary file nobody has touched for this long is stale whoever wrote it (a write takes seconds).
STALE_AFTER = 3600.0
LOCK_NAME = ".assessor.lock"
# Windows cannot open a folder to fsync it (its renames are durable already).
FOLDERS_SYNC = os.name != "nt"
LOCK_TIMEOUT = 60.0
# How long a rename over a file that another program holds open is retried (Windows refuses it meanwhile).
REPLACE_RETRIES = (0.05, 0.1, 0.2, 0.4, 0.8)


def temp_path(folder: Path, prefix: str = "") -> Path:
    """A fresh temporary file name in `folder` that records this process's id."""
    return folder / f"{prefix}{os.getpid()}-{uuid.uuid4().hex}.tmp"


def is_stale_temp(path: Path) -> bool:
    """Whether a temporary file was left by a writer that is gone: its process is dead (or the name records none)
    and, whatever the name says, nobody has written to it for an hour."""
    try:
        age = time.time() - path.stat().st_mtime
    except OSError:
        return False
    if age > STALE_AFTER:
        return True
    match = _TEMP_NAME.search(path.name)
    if match is None:
        return False  # a young file of unknown origin may be a write in progress
    import psutil  # here, not at import: most commands never meet a temporary file

    pid = int(match.group(1))
    return pid != os.getpid() and not psutil.pid_exists(pid)


def remove_stale_temp_files(folder: Path, pattern: str = ".*.tmp") -> list[Path]:
    """Remove the temporary files in `folder` (matching `pattern`) whose writers are gone; the paths removed."""
    removed = []
    for path in sorted(folder.glob(pattern)):
        if is_stale_temp(path):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (where the platform allows it)."""
    if not FOLDERS_SYNC:
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_durably(path: Path, data: bytes) -> None:
    """Write `data` to a new file at `path` and fsync it (the caller renames it into place)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o666)  # the umask decides, as for any new file
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def replace_file(tmp: Path, target: Path) -> None:
    """Rename `tmp` over `target`. Where the target is held open by another program (Windows refuses the rename with
    PermissionError) retry for a moment, then raise AssessorError asking to close it."""
    for pause in (*REPLACE_RETRIES, None):
        try:
            os.replace(tmp, target)
            return
        except PermissionError as exc:
            if pause is None:
                raise AssessorError(f"{target}: cannot be replaced ({exc.strerror or exc}); if another program has it "
                                    "open, close it and try again") from None
            time.sleep(pause)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, fsync it, then rename it over `path`; first remove what killed
    writers left in that folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(path.parent)
    tmp = temp_path(path.parent, prefix=f".{path.name}.")
    try:
        write_durably(tmp, data)
        replace_file(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str) -> None:
    """`atomic_write_bytes` for UTF-8 text."""
    atomic_write_bytes(path, text.encode("utf-8"))


class LockTimeout(AssessorError):
    """Another assessor held a folder's lock for too long."""


# The lock class (None: `filelock.FileLock`): an OS lock (fcntl on Linux and macOS, msvcrt on Windows), released when
# its process dies; filelock falls back to a lock file's existence where the file system has no locks (tests run both).
LOCK_CLASS: type[filelock.BaseFileLock] | None = None


@contextmanager
def folder_lock(folder: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock on a folder (the file `.assessor.lock` in it) for a read-modify-write cycle between
    processes; LockTimeout (one line) when another holds it for over `timeout` seconds (`LOCK_TIMEOUT`)."""
    import filelock

    timeout = LOCK_TIMEOUT if timeout is None else timeout
    folder.mkdir(parents=True, exist_ok=True)
    lock = (LOCK_CLASS or filelock.FileLock)(folder / LOCK_NAME, timeout=timeout)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise LockTimeout(f"{folder}: locked by another assessor for over {timeout:g} s (if none is running, "
                          f"remove {folder / LOCK_NAME})") from None
    try:
        yield
    finally:
        lock.release()
