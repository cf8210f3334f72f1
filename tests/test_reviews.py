"""Librarian overrides: recorded atomically without losing others, applied on every run, stale when evidence moves."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import filelock
import pytest
import yaml

from assessor import fileio
from assessor.fileio import LOCK_NAME
from assessor.loading import LoadError
from assessor.models import Override, RiskTier, Status
from assessor.pipeline import review_vendor
from assessor.reviews import load_reviews, reviews_dir, reviews_path, save_override
from assessor.score import evidence_sha256
from assessor.settings import REVIEWS_ENV as REVIEWS_DIR_ENV

from .conftest import ROOT

VENDOR = "brightshelf"  # a synthetic sample vendor shipped with the project


@pytest.fixture(scope="module")
def automatic():
    """The vendor's assessment with no overrides (computed once)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(REVIEWS_DIR_ENV, "/nonexistent-reviews")
        return review_vendor(VENDOR).assessment


def override(criterion: str, status: Status = Status.MET, sha: str | None = None) -> Override:
    return Override(criterion=criterion, status=status, note="Checked the signed contract.", reviewer="A. Librarian",
                    date=dt.date(2026, 3, 1), evidence_sha256=sha)


@pytest.fixture
def reviews(tmp_path, monkeypatch) -> Path:
    """An empty reviews folder, used by default through the environment variable."""
    folder = tmp_path / "reviews"
    monkeypatch.setenv(REVIEWS_DIR_ENV, str(folder))
    return folder


def test_folder_comes_from_parameter_then_environment(tmp_path, monkeypatch):
    monkeypatch.delenv(REVIEWS_DIR_ENV, raising=False)
    assert reviews_dir() == ROOT / "reviews"
    monkeypatch.setenv(REVIEWS_DIR_ENV, str(tmp_path / "env"))
    assert reviews_dir() == tmp_path / "env" and reviews_dir(tmp_path / "p") == tmp_path / "p"


def test_save_keeps_other_overrides_and_replaces_the_same_criterion(reviews):
    save_override(override("B-02"), VENDOR)
    save_override(override("A-01"), VENDOR)
    save_override(override("B-02", Status.NOT_MET), VENDOR)
    loaded = load_reviews(VENDOR)
    assert [(o.criterion, o.status) for o in loaded.overrides] == [("A-01", Status.MET), ("B-02", Status.NOT_MET)]
    assert yaml.safe_load(reviews_path(VENDOR).read_text())["vendor"] == VENDOR
    # no temporary file left behind; the lock file (git-ignored) stays where the OS lock lives
    assert sorted(p.name for p in reviews.iterdir()) == [LOCK_NAME, f"{VENDOR}.yaml"]


def _save_one(args: tuple[str, str]) -> None:
    folder, criterion = args
    save_override(override(criterion), VENDOR, Path(folder))


@pytest.mark.parametrize("lock_class", [filelock.FileLock, filelock.SoftFileLock], ids=["os-lock", "soft-lock"])
def test_concurrent_writers_lose_nothing(tmp_path, monkeypatch, lock_class):
    """Under the OS lock (fcntl here, msvcrt on Windows) and under the lock-file-exists variant filelock falls back
    to where a file system has no locks: the forked writers inherit the lock class chosen."""
    monkeypatch.setattr(fileio, "LOCK_CLASS", lock_class)
    criteria = [f"C-{i:02d}" for i in range(16)]
    with ProcessPoolExecutor(max_workers=4, mp_context=multiprocessing.get_context("fork")) as pool:
        list(pool.map(_save_one, [(str(tmp_path), c) for c in criteria]))
    assert [o.criterion for o in load_reviews(VENDOR, tmp_path).overrides] == criteria
    assert list(tmp_path.glob(".*.tmp")) == []


@pytest.mark.parametrize("lock_class", [filelock.FileLock, filelock.SoftFileLock], ids=["os-lock", "soft-lock"])
def test_a_lock_held_too_long_is_a_one_line_error(reviews, monkeypatch, lock_class):
    monkeypatch.setattr(fileio, "LOCK_CLASS", lock_class)
    with fileio.folder_lock(reviews), pytest.raises(fileio.LockTimeout, match="locked by another assessor"):
        with fileio.folder_lock(reviews, timeout=0.2):
            pass


def test_a_soft_lock_left_by_a_killed_process_says_which_file_to_remove(reviews, monkeypatch):
    """Where a file system has no locks, a lock file outlives its killed owner: the error names it."""
    monkeypatch.setattr(fileio, "LOCK_CLASS", filelock.SoftFileLock)
    monkeypatch.setattr(fileio, "LOCK_TIMEOUT", 0.2)
    reviews.mkdir()
    (reviews / LOCK_NAME).write_text("")
    with pytest.raises(fileio.LockTimeout) as info:
        save_override(override("A-01"), VENDOR)
    assert str(info.value).endswith(f"(if none is running, remove {reviews / LOCK_NAME})")
    assert not reviews_path(VENDOR).exists()


KILLED_WRITER = """
import os, sys, time
from pathlib import Path
from assessor import fileio
def hang(*args):  # the temporary file is written and fsynced: stop before the rename and wait to be killed
    print("written", flush=True)
    time.sleep(60)
fileio.os.replace = hang
fileio.atomic_write_text(Path(sys.argv[1]), "vendor: brightshelf\\noverrides: []\\n")
"""


def test_a_killed_writers_temporary_file_is_removed_by_the_next_write(reviews):
    reviews.mkdir()
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(reviews_path(VENDOR))], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None and writer.stdout.readline() == "written\n"
    writer.send_signal(signal.SIGKILL)
    writer.wait(10)
    (leftover,) = reviews.glob(".*.tmp")
    assert leftover.name.startswith(f".{VENDOR}.yaml.{writer.pid}-")
    save_override(override("A-01"), VENDOR)
    assert list(reviews.glob(".*.tmp")) == [] and len(load_reviews(VENDOR).overrides) == 1


def test_malformed_file_is_a_located_error_and_is_left_untouched(reviews):
    reviews.mkdir()
    path = reviews_path(VENDOR)
    bad = f"vendor: {VENDOR}\noverrides:\n  - criterion: A-01\n    status: maybe\n"
    path.write_text(bad)
    with pytest.raises(LoadError) as exc:
        save_override(override("B-02"), VENDOR)
    assert f"{path}:4: overrides[0].status" in str(exc.value)
    assert path.read_text() == bad


@pytest.mark.parametrize("text, where", [
    ("vendor: someone-else\n", "vendor"),
    ("vendor: brightshelf\noverrides: [{criterion: A, status: met, note: n, reviewer: r, date: 2026-01-01},"
     " {criterion: A, status: met, note: n, reviewer: r, date: 2026-01-02}]\n", "overrides[1]"),
    ("vendor: brightshelf\noverrides: [\n", ":3"),
])
def test_other_mistakes_are_located(reviews, text, where):
    reviews.mkdir()
    reviews_path(VENDOR).write_text(text)
    with pytest.raises(LoadError, match=r"brightshelf\.yaml") as exc:
        load_reviews(VENDOR)
    assert where in str(exc.value)


def test_overrides_apply_on_every_run_and_stay_visible(reviews, automatic):
    target = next(f for f in automatic.findings if f.status == Status.MET and f.severity.value == "critical")
    save_override(override(target.criterion, Status.NOT_MET, evidence_sha256(target.evidence)), VENDOR)
    a = review_vendor(VENDOR).assessment
    f = next(f for f in a.findings if f.criterion == target.criterion)
    assert f.status == Status.NOT_MET and f.override and f.override.automatic_status == Status.MET
    assert not f.override.stale and "A. Librarian" in f.rationale and f.evidence == target.evidence
    assert a.tier == RiskTier.CRITICAL and a.score < automatic.score  # the score follows the override
    assert a.inventory == automatic.inventory


def test_an_override_of_a_criterion_not_assessed_is_named(reviews):
    save_override(override("GONE-01"), VENDOR)
    assert "Overrides of criteria not assessed here: GONE-01." in review_vendor(VENDOR).assessment.summary


def test_override_goes_stale_when_the_evidence_changes(reviews, automatic):
    finding = next(f for f in automatic.findings if f.evidence)
    save_override(override(finding.criterion, sha=evidence_sha256([])), VENDOR)  # made against other text
    f = next(f for f in review_vendor(VENDOR).assessment.findings if f.criterion == finding.criterion)
    assert f.override and f.override.stale and "STALE" in f.rationale
    assert "1 set by a librarian, 1 of them stale." in review_vendor(VENDOR).assessment.summary


def cli(*args: str, reviews: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assessor", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, REVIEWS_DIR_ENV: str(reviews)}, timeout=120)


def test_cli_records_an_override_against_the_current_evidence(tmp_path, automatic):
    finding = next(f for f in automatic.findings if f.evidence)
    result = cli("override", VENDOR, finding.criterion, "--status", "partial", "--note", "Contract clause 7 differs",
                 "--reviewer", "J. Ortiz", "--date", "2026-02-03", reviews=tmp_path)
    assert result.returncode == 0, result.stderr
    (saved,) = load_reviews(VENDOR, tmp_path).overrides
    assert (saved.status, saved.reviewer, saved.date) == (Status.PARTIAL, "J. Ortiz", dt.date(2026, 2, 3))
    assert saved.evidence_sha256 == evidence_sha256(finding.evidence)


def run_main(*args: str) -> int:
    """The CLI in-process (the subprocess test above covers the real entry point)."""
    from assessor.cli import main

    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code


@pytest.mark.parametrize("args, message", [
    (["NO-SUCH-1", "--status", "met", "--note", "n"], "no finding of brightshelf 'NO-SUCH-1'"),
    (["ALA-US-01", "--status", "met", "--note", "n", "--date", "03/02/2026"], "expected YYYY-MM-DD"),
    (["ALA-US-01", "--status", "met", "--note", " "], "must not be empty"),
])
def test_cli_mistakes_are_one_line(reviews, capsys, args, message):
    code = run_main("override", VENDOR, *args, "--reviewer", "r")
    err = capsys.readouterr().err
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1
    assert not reviews_path(VENDOR).exists()


def test_cli_reports_a_malformed_reviews_file(reviews, capsys):
    reviews.mkdir()
    reviews_path(VENDOR).write_text("vendor: brightshelf\noverrides: {criterion: x}\n")
    code = run_main("override", VENDOR, "ALA-US-01", "--status", "met", "--note", "n", "--reviewer", "r")
    assert code == 1 and f"{VENDOR}.yaml:2" in capsys.readouterr().err


def test_validate_reports_what_a_review_would_refuse_with_its_line(tmp_path):
    """A reviews file that `assessor review` refuses (it names another vendor, or overrides a criterion twice) is
    not passed by `assessor validate`, and both say where the mistake is."""
    from assessor.validation import validate_paths

    entry = ("  - criterion: ALA-US-01\n    status: partial\n    note: contract section 7\n    reviewer: Dana Reyes\n"
             "    date: 2026-03-01\n")
    (tmp_path / "brightshelf.yaml").write_text("vendor: brightshelff\noverrides:\n" + entry + entry)
    _, problems = validate_paths([tmp_path])
    lines = sorted(str(p) for p in problems)
    assert lines == [f"{tmp_path / 'brightshelf.yaml'}:1: vendor: names vendor 'brightshelff', expected "
                     "'brightshelf' (the file's name)",
                     f"{tmp_path / 'brightshelf.yaml'}:8: overrides[1]: second override of ALA-US-01"]
    with pytest.raises(LoadError) as refused:
        load_reviews("brightshelf", tmp_path)
    assert sorted(str(p) for p in refused.value.problems) == lines
