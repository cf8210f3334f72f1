"""The archive: content-addressed blobs, versions, migrations, assessments, and surviving kills and concurrency."""

from __future__ import annotations

import datetime as dt
import json
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


def test_each_document_numbers_its_versions_from_one_in_date_order(archive):
    """Ids are archive-wide (another document's versions take the ids between), so what people read is each
    document's own count, 1, 2, 3 in date order; a saved copy dated before them renumbers the later ones, and the
    stored ids stay what snapshots refer to."""
    for day, clause in ((1, "30 days"), (3, "90 days")):
        record(archive, f"We keep loan records for {clause}.", T0 + dt.timedelta(days=day))
        record(archive, f"Terms {clause}.", T0 + dt.timedelta(days=day), kind="terms",
               source="https://quillmoss.example/terms")
    ids = [v.id for v in archive.versions("quillmoss", "privacy-policy")]
    record(archive, "We keep loan records for a week.", T0, origin="mailed by the vendor")
    policy = archive.versions("quillmoss", "privacy-policy")
    assert [v.number for v in policy] == [1, 2, 3] and [v.id for v in policy[1:]] == ids
    assert ids[1] - ids[0] == 2 and [v.number for v in archive.versions("quillmoss", "terms")] == [1, 2]
    later = archive.versions("quillmoss", "privacy-policy", since=T0 + dt.timedelta(days=2))
    assert [v.number for v in later] == [3] and archive.version(ids[1]).number == 3


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
        assert archive.schema_version == SCHEMA_VERSION == 5
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


# -- left-overs: temporary files and unreferenced blobs -------------------------------------------------------------

HANGING_WRITER = """
import datetime as dt, os, sys, time
from assessor import archive as archive_module
from assessor.archive import Archive
stage = sys.argv[2]
def hang(*args, **kwargs):
    print("hanging", flush=True)
    time.sleep(60)
with Archive(sys.argv[1]) as store:
    if stage == "rename":  # the blob's temporary file is written and fsynced, not yet renamed
        archive_module.replace_file = hang
    else:  # the blob is in place, its rows not yet written
        store._transaction = hang
    store.record(vendor="quillmoss", kind="privacy-policy", source="https://quillmoss.example/p",
                 body=b"<p>We keep loans for a month.</p>" * 100, content_type="text/html",
                 fetched_at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), document=None)
"""


def _kill_writer_at(root, stage: str) -> int:
    Archive(root).close()
    writer = subprocess.Popen([sys.executable, "-c", HANGING_WRITER, str(root), stage], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None and writer.stdout.readline() == "hanging\n"
    writer.send_signal(signal.SIGKILL)
    writer.wait(10)
    return writer.pid


def test_a_writer_killed_before_its_rename_leaves_a_temporary_file_the_next_write_removes(tmp_path):
    root = tmp_path / "archive"
    pid = _kill_writer_at(root, "rename")
    (leftover,) = (root / "tmp").glob("*.tmp")
    assert leftover.name.startswith(f"{pid}-")
    with Archive(root) as store:  # opening removes it; put it back to see the next write remove it too
        leftover.write_bytes(b"half a blob")
        assert store.verify()[0] == [f"left-over temporary file {leftover.name}"]
        record(store, "We keep loans for a month.", T0)
        assert list((root / "tmp").glob("*.tmp")) == []
        assert store.verify() == ([], [])


def test_a_writer_killed_between_blob_and_rows_leaves_an_orphan_that_can_be_removed(tmp_path):
    root = tmp_path / "archive"
    _kill_writer_at(root, "rows")
    with Archive(root) as store:
        problems, orphans = store.verify()
        assert problems == [] and len(orphans) == 1
        assert store.snapshots() == []
        assert store.remove_orphans() == orphans
        assert store.verify() == ([], []) and list(store.blob_dir.glob("*/*")) == []


def test_removing_orphans_while_a_fetch_runs_loses_nothing(archive):
    body = b"<p>We delete loan records after thirty days.</p>"
    sha = archive._put_blob(body)  # a fetch has written its blob ...
    assert archive.remove_orphans() == [sha]  # ... verify --remove-orphans runs before its rows are written ...
    recorded = record(archive, "We delete loan records after thirty days.", T0, body=body)
    assert archive.body(recorded.snapshot) == body  # ... and the record puts the blob back in its transaction
    assert archive.verify() == ([], [])


def test_verify_names_rows_that_cannot_be_read_back(tmp_path):
    root = tmp_path / "archive"
    with Archive(root) as store:
        first = record(store, "We keep loans for a month.", T0)
        second = record(store, "We never sell reading records.", T0 + dt.timedelta(days=1))
    db = sqlite3.connect(root / "archive.sqlite3")
    db.execute("UPDATE snapshots SET headers = '{\"etag\": ' WHERE id = ?", (first.snapshot.id,))  # cut short
    db.execute("UPDATE checks SET checked_at = 'yesterday' WHERE snapshot_id = ?", (second.snapshot.id,))
    db.commit()
    db.close()
    with Archive(root) as store:
        problems, orphans = store.verify()
    check_id = second.snapshot.id  # one check per snapshot, in order
    assert [p.split(":")[0] for p in problems] == [f"snapshots row {first.snapshot.id} cannot be read",
                                                   f"checks row {check_id} cannot be read"]
    assert orphans == []


def test_an_unchanged_text_leaves_no_orphan(archive):
    record(archive, "We keep loans for 30 days. Page generated 2026-01-05.", T0)
    record(archive, "We keep loans for 30 days. Page generated 2026-01-06.", T0 + dt.timedelta(days=1))
    assert len(archive.versions("quillmoss")) == 1 and archive.verify() == ([], [])


def test_archive_verify_command(tmp_path, cli):
    root = tmp_path / "archive"
    with Archive(root) as store:
        good = record(store, "We keep loans for a month.", T0)
        bad = record(store, "We never sell reading records.", T0 + dt.timedelta(days=1))
        orphan = store._put_blob(b"an unrecorded body")
    store.blob_path(bad.snapshot.sha256).write_bytes(b"tampered")
    done = cli("archive", "verify", "--archive", str(root))
    assert done.returncode == 1
    assert f"problem: blob {bad.snapshot.sha256[:12]} is corrupted" in done.stdout
    assert f"unreferenced blob {orphan}" in done.stdout and good.snapshot.sha256 not in done.stdout
    assert "1 problem(s), 1 unreferenced blob(s)" in done.stderr
    store.blob_path(bad.snapshot.sha256).unlink()
    with Archive(root) as store:
        store._put_blob(b"<p>We never sell reading records.</p>")
    removed = cli("archive", "verify", "--remove-orphans", "--archive", str(root))
    assert (removed.returncode, removed.stdout) == (0, f"removed blob {orphan}\n")
    assert cli("archive", "verify", "--quick", "--archive", str(root)).stderr.startswith("0 problem(s), 0 unref")


# -- saved copies: evidence kept outside the archive, put into the history at their real date --------------------


def saved(archive: Archive, text: str, when: dt.datetime, origin: str = "mailed by the vendor"):
    return archive.add_saved_copy(vendor="quillmoss", kind="privacy-policy", source="https://quillmoss.example/privacy",
                                  body=f"<p>{text}</p>".encode(), content_type="text/html", saved_at=when,
                                  origin=origin, document=doc(text))


def test_a_saved_copy_goes_where_its_date_puts_it_in_the_history(archive):
    y = lambda year, month=3: dt.datetime(year, month, 1, tzinfo=dt.UTC)  # noqa: E731
    record(archive, "We keep loan records for 30 days.", y(2024))
    record(archive, "We keep loan records as long as needed.", y(2026))
    # a copy the vendor mailed, dated between the two fetches, with a text neither has: a version of its own
    middle = saved(archive, "We keep loan records for 90 days.", y(2025), origin="PDF mailed by the vendor")
    assert middle.new_version and middle.snapshot.renderer == "saved-copy"
    assert middle.snapshot.origin == "PDF mailed by the vendor"
    versions = archive.versions("quillmoss")
    assert [(v.first_seen.year, v.origin) for v in versions] == [(2024, None), (2025, "PDF mailed by the vendor"),
                                                                 (2026, None)]
    # a Wayback capture showing the 2026 text already in late 2025: that version started earlier than we knew
    early = saved(archive, "We keep loan records as long as needed.", y(2025, 11), origin="web.archive.org capture")
    assert not early.new_version and early.version_id == versions[2].id
    moved = archive.version(versions[2].id)
    assert (moved.first_seen, moved.first_snapshot, moved.snapshots) == (y(2025, 11), early.snapshot.id, 2)
    assert moved.origin == "web.archive.org capture"
    # a copy of the text in force at its date joins that version and changes nothing else
    same = saved(archive, "We keep loan records for 30 days.", y(2024, 6))
    assert not same.new_version and same.version_id == versions[0].id
    assert len(archive.versions("quillmoss")) == 3
    # the newest copy is still the one read last, not the back-dated ones
    assert archive.latest_snapshot("quillmoss", "privacy-policy").fetched_at == y(2026)
    assert archive.verify() == ([], [])
    checks = [c.outcome for c in archive.checks("quillmoss")]
    assert checks.count("new-version") == 3


def test_a_saved_copy_needs_an_origin_and_a_past_date(archive):
    with pytest.raises(ArchiveError, match="origin"):
        saved(archive, "text", T0, origin="  ")
    with pytest.raises(ArchiveError, match="future"):
        saved(archive, "text", dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    assert archive.snapshots() == [] and archive.checks() == []


def test_month_year_and_other_stated_dates_make_no_new_version(archive):
    record(archive, "This policy is effective as of April 2015. We never sell loan records.", T0)
    again = record(archive, "This policy is effective as of June 2016. We never sell loan records.",
                   T0 + dt.timedelta(days=1))
    assert not again.new_version
    assert text_fingerprint("Last revised on Sept. 9th, 2021. Hello") == text_fingerprint(
        "Last revised on 3 May 2024. Hello")


def test_fetch_from_file_cli(tmp_path, cli):
    copy = tmp_path / "mailed.html"
    copy.write_text("<html><body><h1>Brightshelf privacy</h1><p>We never sell what you read. Loan records are "
                    "deleted 14 days after return.</p></body></html>")
    archive_dir = str(tmp_path / "archive")
    ok = cli("fetch", "brightshelf", "--from-file", str(copy), "--date", "2023-04-02", "--origin",
             "mailed by the vendor's account manager", "--archive", archive_dir)
    assert ok.returncode == 0, ok.stderr
    assert "saved copy of 2023-04-02 (mailed by the vendor's account manager) stored as a new version" in ok.stdout
    history = cli("history", "brightshelf", "--format", "json", "--archive", archive_dir)
    [doc_history] = json.loads(history.stdout)
    [version] = doc_history["versions"]
    assert version["first_seen"].startswith("2023-04-02") and version["origin"].startswith("mailed by")
    missing = cli("fetch", "brightshelf", "--from-file", str(copy), "--date", "2023-04-02", "--archive", archive_dir)
    assert missing.returncode == 2 and "--origin" in missing.stderr
    broken = tmp_path / "scan.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    bad = cli("fetch", "brightshelf", "--from-file", str(broken), "--date", "2023-04-02", "--origin", "x",
              "--archive", archive_dir)
    assert bad.returncode == 1 and "scan.pdf" in bad.stderr and "Traceback" not in bad.stderr
