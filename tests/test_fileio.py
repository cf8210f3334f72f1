"""Atomic writes: permissions, what killed writers leave, and Windows semantics where they can be simulated."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
import time

import pytest

from assessor import fileio
from assessor.archive import Archive
from assessor.errors import AssessorError
from assessor.fileio import atomic_write_bytes, is_stale_temp, remove_stale_temp_files, temp_path


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    return int(done.stdout)


def test_written_files_get_the_usual_permissions_not_mkstemps_0600(tmp_path, umask_022):
    target = tmp_path / "report" / "vendor.html"
    atomic_write_bytes(target, b"<p>report</p>")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    atomic_write_bytes(target, b"<p>again</p>")  # replacing keeps them
    assert stat.S_IMODE(target.stat().st_mode) == 0o644 and target.read_bytes() == b"<p>again</p>"


def test_archive_blobs_get_the_usual_permissions(tmp_path, umask_022):
    with Archive(tmp_path / "archive") as archive:
        sha = archive._put_blob(b"a body")
        assert stat.S_IMODE(archive.blob_path(sha).stat().st_mode) == 0o644


def test_which_temporary_files_are_stale(tmp_path):
    dead = tmp_path / f".report.html.{_dead_pid()}-0123abcd.tmp"
    mine = temp_path(tmp_path, ".report.html.")
    young_unknown = tmp_path / ".report.html.x7Qk2.tmp"  # an older assessor's mkstemp name: no pid
    old_unknown = tmp_path / ".notes.yaml.p0Zt9.tmp"
    for path in (dead, mine, young_unknown, old_unknown):
        path.write_bytes(b"half")
    two_hours_ago = time.time() - 7200
    os.utime(old_unknown, (two_hours_ago, two_hours_ago))
    assert [is_stale_temp(p) for p in (dead, mine, young_unknown, old_unknown)] == [True, False, False, True]
    assert remove_stale_temp_files(tmp_path) == sorted([dead, old_unknown])
    assert sorted(tmp_path.iterdir()) == sorted([mine, young_unknown])


def test_the_next_write_in_a_folder_removes_what_dead_writers_left(tmp_path):
    leftover = tmp_path / f".portfolio.csv.{_dead_pid()}-9f8e7d.tmp"
    leftover.write_bytes(b"half a report")
    atomic_write_bytes(tmp_path / "other.md", b"# other")
    assert not leftover.exists() and [p.name for p in tmp_path.iterdir()] == ["other.md"]


@pytest.fixture
def windows_folders(monkeypatch):
    """Windows semantics: a folder cannot be opened (so not fsynced); the code must not try."""
    real_open = os.open

    def no_folders(path, flags, *args, **kwargs):
        if os.path.isdir(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(fileio, "FOLDERS_SYNC", False)
    monkeypatch.setattr(os, "open", no_folders)


def test_writes_work_where_folders_cannot_be_opened(tmp_path, windows_folders):
    atomic_write_bytes(tmp_path / "a.txt", b"text")
    with Archive(tmp_path / "archive") as archive:
        sha = archive._put_blob(b"a body")
        assert archive.read_blob(sha) == b"a body"
    assert (tmp_path / "a.txt").read_bytes() == b"text"


def test_the_simulation_would_catch_a_folder_fsync(tmp_path, windows_folders, monkeypatch):
    monkeypatch.setattr(fileio, "FOLDERS_SYNC", True)
    with pytest.raises(PermissionError):
        atomic_write_bytes(tmp_path / "a.txt", b"text")
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]  # the rename happened; only the fsync failed


@pytest.fixture
def held_open(monkeypatch):
    """Windows semantics: renaming over a file another program holds open (Excel, a virus scanner) fails with
    PermissionError for as long as it is held. Returns the set of held paths and the number of refusals."""
    real_replace = os.replace
    held: set[str] = set()
    refused = [0]

    def replace(src, dst):
        if str(dst) in held:
            refused[0] += 1
            raise PermissionError(13, "The process cannot access the file because it is being used by another "
                                      "process", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(fileio, "REPLACE_RETRIES", (0.0, 0.0, 0.0))
    return held, refused


def test_a_file_held_open_for_a_moment_is_replaced_after_a_retry(tmp_path, held_open, monkeypatch):
    held, refused = held_open
    target = tmp_path / "findings.xlsx"
    target.write_bytes(b"old")
    held.add(str(target))
    monkeypatch.setattr(fileio.time, "sleep", lambda _: held.clear())  # the scanner lets go while we wait
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new" and refused[0] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["findings.xlsx"]


def test_a_file_kept_open_is_a_one_line_error_and_keeps_its_content(tmp_path, held_open):
    held, refused = held_open
    target = tmp_path / "findings.xlsx"
    target.write_bytes(b"old")
    held.add(str(target))
    with pytest.raises(AssessorError, match="findings.xlsx: cannot be replaced .*close it and try again") as exc:
        atomic_write_bytes(target, b"new")
    assert "\n" not in str(exc.value) and refused[0] == 4
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["findings.xlsx"]


def test_the_archive_reports_a_held_blob_the_same_way(tmp_path, held_open):
    held, _ = held_open
    with Archive(tmp_path / "archive") as archive:
        held.add(str(archive.blob_path(hashlib.sha256(b"a body").hexdigest())))
        with pytest.raises(AssessorError, match="cannot be replaced"):
            archive._put_blob(b"a body")
        assert not list(archive.tmp_dir.glob("*.tmp"))
