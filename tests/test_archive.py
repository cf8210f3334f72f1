"""The archive: content-addressed blobs, versions, migrations, assessments, and surviving kills and concurrency."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from itertools import pairwise

import pytest

from assessor.archive import MIGRATIONS, SCHEMA_VERSION, Archive, ArchiveError, text_fingerprint
from assessor.parse import parse_bytes
from assessor.pipeline import review_vendor

from .conftest import ROOT

T0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def doc(text: str, uri: str = "https://quillmoss.example/privacy"):
    return parse_bytes(f"<html><body><h1>Policy</h1><p>{text}</p></body></html>".encode(), uri=uri,
                       content_type="text/html")


def record(archive: Archive, text: str | None, when: dt.datetime, body: bytes | None = None, **kw):
    body = body if body is not None else f"<p>{text}</p>".encode()
    return archive.record(vendor=kw.pop("vendor", "quillmoss"), kind=kw.pop("kind", "privacy-policy"),
                          source=kw.pop("source", "https://quillmoss.example/privacy"), body=body,
                          content_type="text/html", fetched_at=when,
                          document=doc(text) if text is not None else None, **kw)


def test_blobs_are_content_addressed_and_kept_once(archive):
    first = record(archive, "We keep loans for 30 days.", T0)
    second = record(archive, "We keep loans for 30 days.", T0 + dt.timedelta(days=1))
    assert first.snapshot.sha256 == second.snapshot.sha256
    assert archive.blob_path(first.snapshot.sha256).read_bytes() == b"<p>We keep loans for 30 days.</p>"
    assert len(list(archive.blob_dir.glob("*/*"))) == 2  # the body and the extracted text, once each
    assert (first.new_version, second.new_version) == (True, False)
    (version,) = archive.versions("quillmoss")
    assert (version.snapshots, version.first_seen, version.last_seen) == (2, T0, T0 + dt.timedelta(days=1))


def test_versions_over_time_and_at_a_date(archive):
    for year, clause in ((2024, "30 days"), (2025, "90 days"), (2026, "as long as needed")):
        record(archive, f"We keep loan records for {clause}.", dt.datetime(year, 3, 1, tzinfo=dt.UTC))
    versions = archive.versions("quillmoss", "privacy-policy")
    assert [v.first_seen.year for v in versions] == [2024, 2025, 2026]
    assert "90 days" in archive.version_text(versions[1])
    since = archive.versions("quillmoss", since=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    assert [v.first_seen.year for v in since] == [2025, 2026]
    as_of = archive.latest_snapshot("quillmoss", "privacy-policy",
                                    until=dt.datetime(2025, 12, 31, tzinfo=dt.UTC))
    assert as_of is not None and as_of.version_id == versions[1].id


def test_cosmetic_edits_make_no_new_version():
    base = "Last updated March 3, 2025. We never sell loan records. © 2025 Quillmoss."
    assert text_fingerprint(base) == text_fingerprint(
        "Last updated April 9, 2026.  We never sell loan records. © 2026 Quillmoss.")
    assert text_fingerprint(base + " Generated 2026-11-25 10:31:07 UTC.") == text_fingerprint(
        base + " Generated 2026-11-26 08:00:01 UTC.")
    assert text_fingerprint(base + " ref a8F3kQ9zLm2Xc7Vb1Nd4Rt6Yw") == text_fingerprint(
        base + " ref Zq1Wx2Ec3Rv4Tb5Yn6Um7Ik8Ol")
    assert text_fingerprint(base) != text_fingerprint(base.replace("never", "sometimes"))


def test_a_body_without_text_is_kept_without_a_version(archive):
    result = record(archive, None, T0, body=b"<html><script>app()</script></html>",
                    error=("unparseable", "no text found"))
    assert result.version_id is None and archive.versions("quillmoss") == []
    (check,) = archive.checks("quillmoss")
    assert (check.outcome, check.error_kind) == ("failed", "unparseable")
    assert archive.latest_snapshot("quillmoss", "privacy-policy") is None
    assert archive.body(result.snapshot).startswith(b"<html>")


def test_times_must_carry_a_zone(archive):
    with pytest.raises(ArchiveError, match="time zone"):
        record(archive, "text", dt.datetime(2026, 1, 1))


def test_assessments_are_stored_with_their_checklists_and_snapshot(archive):
    review = review_vendor("brightshelf")
    snap = record(archive, "We never sell loan records.", T0, vendor="brightshelf")
    stored = archive.save_assessment(review.assessment, kind="privacy-policy", created_at=T0,
                                     snapshot_id=snap.snapshot.id, version_id=snap.version_id,
                                     source=snap.snapshot.source)
    again = archive.assessments("brightshelf")
    assert again == [stored] and archive.assessment(stored.id) == stored
    assert stored.assessment == review.assessment
    assert stored.checklists == review.assessment.checklists and stored.checklists
    assert archive.assessments("someone-else") == []


def test_migrations_bring_an_old_archive_up_to_date(tmp_path):
    root = tmp_path / "old"
    root.mkdir()
    db = sqlite3.connect(root / "archive.sqlite3")
    for statement in filter(str.strip, MIGRATIONS[0][1].split(";")):
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO checks (vendor, kind, source, checked_at, outcome) VALUES ('q', 'terms', 'u', "
               "'2025-01-01T00:00:00+00:00', 'failed')")
    db.commit()
    db.close()
    with Archive(root) as archive:
        assert archive.schema_version == SCHEMA_VERSION == 2
        assert archive.vendors() == ["q"] and archive.assessments() == []


def test_an_archive_from_a_newer_assessor_is_refused(tmp_path):
    root = tmp_path / "new"
    Archive(root).close()
    db = sqlite3.connect(root / "archive.sqlite3")
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    with pytest.raises(ArchiveError, match="newer"):
        Archive(root)


def test_verify_finds_missing_and_corrupted_blobs(archive):
    first = record(archive, "We never sell loan records.", T0)
    second = record(archive, "We keep loans for 30 days.", T0 + dt.timedelta(days=1))
    assert archive.verify() == ([], [])
    archive.blob_path(first.snapshot.sha256).write_bytes(b"tampered")
    archive.blob_path(second.snapshot.sha256).unlink()
    problems, _ = archive.verify()
    assert f"blob {first.snapshot.sha256[:12]} is corrupted" in problems
    assert f"blob {second.snapshot.sha256[:12]} is missing" in problems
    with pytest.raises(ArchiveError, match="corrupted"):
        archive.body(first.snapshot)


def test_temp_files_of_dead_writers_are_removed_on_open(tmp_path):
    root = tmp_path / "archive"
    Archive(root).close()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    leftover = root / "tmp" / f"{dead.stdout.strip()}-abc.tmp"
    leftover.write_bytes(b"half a blob")
    mine = root / "tmp" / f"{os.getpid()}-live.tmp"
    mine.write_bytes(b"being written")
    with Archive(root) as archive:
        assert not leftover.exists() and mine.exists()
        assert archive.verify()[0] == []
    mine.unlink()


# -- crashes and concurrent writers ------------------------------------------------------------------------------------

WRITER = """
import datetime as dt, os, sys
from assessor.archive import Archive
from assessor.parse import parse_bytes
root, tag, count, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
t0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
with Archive(root) as archive:
    for i in range(count):
        text = f"Clause {i % 3} of the {tag} policy: we keep loans for {i % 3 + 1} months."
        document = parse_bytes(f"<p>{text}</p>".encode(), uri="u", content_type="text/html")
        body = os.urandom(size) + text.encode()
        archive.record(vendor="quillmoss", kind="privacy-policy", source="https://quillmoss.example/p",
                       body=body, content_type="text/html", fetched_at=t0 + dt.timedelta(seconds=i),
                       document=document)
        print(i, flush=True)
"""


def _writer(root, tag: str, count: int, size: int) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(root), tag, str(count), str(size)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)


def _assert_consistent(root) -> Archive:
    archive = Archive(root)
    problems, _orphans = archive.verify()
    assert problems == []
    snapshots = archive.snapshots()
    assert len(archive.checks()) == len(snapshots)
    for snapshot in snapshots:
        assert snapshot.version_id is not None
        archive.body(snapshot)  # present and matching its hash
    assert list((archive.root / "tmp").glob("*.tmp")) == []
    return archive


@pytest.mark.parametrize("delay", [0.0, 0.013, 0.037])
def test_a_kill_during_writes_leaves_the_archive_consistent(tmp_path, delay):
    root = tmp_path / "archive"
    writer = _writer(root, "killed", 200, 4 * 1024 * 1024)
    assert writer.stdout is not None
    for _ in range(3):
        writer.stdout.readline()  # three records done: the writer is in full flow
    time.sleep(delay)
    writer.send_signal(signal.SIGKILL)
    writer.wait(10)
    assert writer.returncode == -signal.SIGKILL
    archive = _assert_consistent(root)
    assert 3 <= len(archive.snapshots()) < 200
    archive.close()


def test_two_processes_writing_at_once(tmp_path):
    root = tmp_path / "archive"
    Archive(root).close()
    writers = [_writer(root, tag, 15, 64 * 1024) for tag in ("notebook", "cli")]
    for w in writers:
        out, _ = w.communicate(timeout=120)
        assert w.returncode == 0 and out.split()[-1] == "14"
    archive = _assert_consistent(root)
    assert len(archive.snapshots()) == 30
    versions = archive.versions("quillmoss")
    # whatever the interleaving, consecutive versions differ and every snapshot points at a version with its text
    assert all(a.fingerprint != b.fingerprint for a, b in pairwise(versions))
    assert sum(v.snapshots for v in versions) == 30
    archive.close()
