"""The evidence archive: every fetched body kept once by its sha256, indexed in SQLite with when and where we read it.

Layout of an archive folder (`--archive DIR`, else the settings' archive: `$ASSESSOR_ARCHIVE`, else the project's
`data/archive/`, else the user's data folder; see `assessor.settings`):

    archive.sqlite3          the index (WAL mode, schema version in PRAGMA user_version, migrations below)
    blobs/ab/abcdef...       raw bodies and extracted texts, named by their sha256
    tmp/<pid>-<random>.tmp   files being written; renamed into blobs/ when complete

Three kinds of record, after Open Terms Archive: a *snapshot* is one body we read (always kept); a *version* is a
distinct extracted text of a document (a new one only when the text changed beyond boilerplate such as dates and
tokens); a *check* is one attempt to read a document (new version, unchanged, not modified, or failed and why).
*Assessments* computed from a snapshot are stored too, so any past audit can be reproduced.

Writes are atomic: a blob is written to `tmp/`, fsynced and renamed; its rows go in one transaction afterwards. A crash
leaves at worst an unreferenced blob (listed by `verify`, deleted by `remove_orphans`: `assessor archive verify`) and
a temporary file (removed by the next write), never a row without its blob or a half-written file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .diff import strip_boilerplate
from .errors import AssessorError
from .fileio import fsync_dir, is_stale_temp, remove_stale_temp_files, replace_file, temp_path, write_durably
from .models import Assessment, ChecklistRef, DocumentSpec, PolicyDocument, Provenance
from .settings import resolve_settings

DB_NAME = "archive.sqlite3"

# Each migration brings the schema from the previous version to its number; never edit one that has shipped.
MIGRATIONS: tuple[tuple[int, str], ...] = (
    (1, """
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL
);
CREATE TABLE snapshots (
    id INTEGER PRIMARY KEY,
    vendor TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    final_url TEXT,
    status INTEGER,
    redirects TEXT NOT NULL DEFAULT '[]',
    content_type TEXT NOT NULL,
    headers TEXT NOT NULL DEFAULT '{}',
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    size INTEGER NOT NULL,
    renderer TEXT NOT NULL DEFAULT 'http',
    fetched_at TEXT NOT NULL,
    version_id INTEGER REFERENCES versions(id)
);
CREATE INDEX snapshots_document ON snapshots(vendor, kind, source, fetched_at);
CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    vendor TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    text_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    title TEXT,
    stated_date TEXT,
    first_snapshot INTEGER NOT NULL REFERENCES snapshots(id),
    first_seen TEXT NOT NULL
);
CREATE INDEX versions_document ON versions(vendor, kind, source, first_seen);
CREATE TABLE checks (
    id INTEGER PRIMARY KEY,
    vendor TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    checked_at TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('new-version', 'unchanged', 'not-modified', 'failed')),
    snapshot_id INTEGER REFERENCES snapshots(id),
    error_kind TEXT,
    transient INTEGER,
    message TEXT
);
CREATE INDEX checks_document ON checks(vendor, kind, source, checked_at);
"""),
    (2, """
CREATE TABLE assessments (
    id INTEGER PRIMARY KEY,
    vendor TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT,
    snapshot_id INTEGER REFERENCES snapshots(id),
    version_id INTEGER REFERENCES versions(id),
    checklists TEXT NOT NULL,
    assessment TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX assessments_document ON assessments(vendor, kind, created_at);
"""),
    (3, """
ALTER TABLE snapshots ADD COLUMN origin TEXT
"""),
    (4, """
CREATE TABLE acceptances (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments(id),
    vendor TEXT NOT NULL,
    kind TEXT NOT NULL,
    accepted_at TEXT NOT NULL,
    accepted_by TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX acceptances_document ON acceptances(vendor, kind, accepted_at);
INSERT INTO acceptances (assessment_id, vendor, kind, accepted_at, accepted_by, note)
    SELECT a.id, a.vendor, a.kind, a.created_at, 'assessor', 'the last audit stored before acceptances existed'
    FROM assessments a WHERE a.id = (SELECT MAX(b.id) FROM assessments b WHERE b.vendor = a.vendor AND b.kind = a.kind);
CREATE TABLE assessment_cache (
    key TEXT PRIMARY KEY,
    assessment TEXT NOT NULL
)
"""),
    (5, """
CREATE TABLE document_cache (
    key TEXT PRIMARY KEY,
    document TEXT NOT NULL
)
"""),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]

# Volatile bits of page text that do not make a new version (on top of the diff's boilerplate: stated dates, ©).
_VOLATILE = (
    re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?(?:Z|UTC|GMT|[+-]\d{2}:?\d{2}))?)?"),
    re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?(?:\s?(?:UTC|GMT|[A-Z]{2,4}T))?\b"),
    re.compile(r"\b(?=[A-Za-z0-9_+/=-]*\d)(?=[A-Za-z0-9_+/=-]*[A-Za-z])[A-Za-z0-9_+/=-]{24,}\b"),
)
# A version with its last sighting, number of snapshots, the origin of its first snapshot (a saved copy's) and its
# number among its document's versions in date order (worked out on reading: nothing stored changes).
_VERSION_SELECT = ("SELECT v.*, MAX(s.fetched_at) AS last_seen, COUNT(s.id) AS n,"
                   " (SELECT f.origin FROM snapshots f WHERE f.id = v.first_snapshot) AS origin,"
                   " (SELECT COUNT(*) FROM versions w WHERE w.vendor = v.vendor AND w.kind = v.kind"
                   " AND w.source = v.source AND (w.first_seen < v.first_seen OR w.first_seen = v.first_seen"
                   " AND w.id <= v.id)) AS number FROM versions v ")


class ArchiveError(AssessorError):
    """The archive cannot be opened, or holds something it should not."""


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SnapshotRecord(_Record):
    """One body we read: where from, when, what the server said, and the version of the text it carries."""

    id: int
    vendor: str
    kind: str
    source: str = Field(description="The document's URL, or `path:<file>` for a local document.")
    final_url: str | None = None
    status: int | None = None
    redirects: list[str] = Field(default_factory=list)
    content_type: str = Field(description="As the server declared it (the parser sniffs the bytes).")
    headers: dict[str, str] = Field(default_factory=dict)
    sha256: str
    size: int
    renderer: str = Field("http", description="http, browser, file, or saved-copy (a copy someone kept).")
    fetched_at: dt.datetime = Field(description="When it was read; for a saved copy, when it was published or saved.")
    version_id: int | None = Field(None, description="None when no text could be extracted.")
    origin: str | None = Field(None, description="Where a saved copy came from (a mail, a browser, a web archive).")


class VersionRecord(_Record):
    """A distinct text of a document, first seen in `first_snapshot`; `last_seen` is its latest snapshot."""

    id: int = Field(description="Archive-wide and stable: what snapshots and assessments refer to.")
    number: int = Field(description="Its place among its document's versions in date order (1, 2, 3...), as shown "
                                    "to people; a saved copy dated earlier than a version renumbers the later ones.")
    vendor: str
    kind: str
    source: str
    fingerprint: str
    text_sha256: str
    title: str | None = None
    stated_date: dt.date | None = None
    first_snapshot: int
    first_seen: dt.datetime
    last_seen: dt.datetime
    snapshots: int
    origin: str | None = Field(None, description="The origin of its first snapshot, when that is a saved copy.")


class CheckRecord(_Record):
    """One attempt to read a document and what came of it."""

    id: int
    vendor: str
    kind: str
    source: str
    checked_at: dt.datetime
    outcome: Literal["new-version", "unchanged", "not-modified", "failed"]
    snapshot_id: int | None = None
    error_kind: str | None = None
    transient: bool | None = None
    message: str | None = None


class AssessmentRecord(_Record):
    """A stored assessment, with the checklists and the snapshot/version it was computed from."""

    id: int
    vendor: str
    kind: str
    source: str | None = None
    snapshot_id: int | None = None
    version_id: int | None = None
    checklists: list[ChecklistRef]
    assessment: Assessment
    created_at: dt.datetime


class AcceptanceRecord(_Record):
    """Someone's acceptance of a stored assessment as the one the CI gate compares with, from then on."""

    id: int
    assessment_id: int
    vendor: str
    kind: str
    accepted_at: dt.datetime
    accepted_by: str
    note: str


class Recorded(_Record):
    """What `Archive.record` did: the snapshot stored, its version, and whether that version is new."""

    snapshot: SnapshotRecord
    version_id: int | None
    new_version: bool


def text_fingerprint(text: str) -> str:
    """sha256 of a text with boilerplate masked (stated dates, ©, timestamps, tokens): equal for cosmetic edits."""
    masked = strip_boilerplate(text)
    for pattern in _VOLATILE:
        masked = pattern.sub(" ", masked)
    return hashlib.sha256(" ".join(masked.split()).encode("utf-8")).hexdigest()


def _iso(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise ArchiveError(f"time {value.isoformat()} has no time zone; archive times are UTC")
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


class Archive:
    """An archive folder. Safe to share between threads; several processes may write to it at once."""

    def __init__(self, root: Path | str | None = None):
        self.root = Path(root) if root is not None else resolve_settings().archive
        self.blob_dir = self.root / "blobs"
        self.tmp_dir = self.root / "tmp"
        try:
            self.blob_dir.mkdir(parents=True, exist_ok=True)
            self.tmp_dir.mkdir(exist_ok=True)
            self._db = sqlite3.connect(self.root / DB_NAME, timeout=30, isolation_level=None,
                                       check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise ArchiveError(f"{self.root}: cannot open the archive: {exc}") from exc
        self._lock = threading.RLock()
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA busy_timeout = 30000")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")
        self._db.execute("PRAGMA foreign_keys = ON")
        self._migrate()
        remove_stale_temp_files(self.tmp_dir, "*.tmp")

    # -- lifecycle --------------------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        """The schema version the database is at."""
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _migrate(self) -> None:
        with self._transaction() as db:
            current = int(db.execute("PRAGMA user_version").fetchone()[0])
            if current > SCHEMA_VERSION:
                raise ArchiveError(f"{self.root}: archive schema {current} is newer than this assessor knows "
                                   f"({SCHEMA_VERSION}); upgrade assessor")
            for version, script in MIGRATIONS:
                if version > current:
                    for statement in filter(str.strip, script.split(";")):
                        db.execute(statement)
                    db.execute(f"PRAGMA user_version = {version}")

    # -- blobs ------------------------------------------------------------------------------------------------

    def blob_path(self, sha256: str) -> Path:
        """Where the blob with that hash lives."""
        return self.blob_dir / sha256[:2] / sha256

    def _put_blob(self, data: bytes, sha: str | None = None) -> str:
        """Store bytes under their sha256 (written to tmp/, fsynced, renamed) unless already there; the hash."""
        sha = sha or hashlib.sha256(data).hexdigest()
        target = self.blob_path(sha)
        if target.exists() and target.stat().st_size == len(data):
            return sha
        target.parent.mkdir(exist_ok=True)
        remove_stale_temp_files(self.tmp_dir, "*.tmp")
        tmp = temp_path(self.tmp_dir)
        try:
            write_durably(tmp, data)
            replace_file(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        fsync_dir(target.parent)
        return sha

    def read_blob(self, sha256: str) -> bytes:
        """The bytes of a blob, checked against their hash."""
        try:
            data = self.blob_path(sha256).read_bytes()
        except OSError as exc:
            raise ArchiveError(f"{self.root}: blob {sha256[:12]} is missing: {exc.strerror or exc}") from exc
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ArchiveError(f"{self.root}: blob {sha256[:12]} is corrupted (its hash does not match)")
        return data

    # -- writing ----------------------------------------------------------------------------------------------

    def record(self, *, vendor: str, kind: str, source: str, body: bytes, content_type: str,
               fetched_at: dt.datetime, document: PolicyDocument | None, final_url: str | None = None,
               status: int | None = None, redirects: Sequence[str] = (),
               headers: dict[str, str] | None = None, renderer: str = "http",
               error: tuple[str, str] | None = None, origin: str | None = None) -> Recorded:
        """Keep a body and what we know of it; a new version when `document`'s text differs (beyond boilerplate)
        from the version in force at `fetched_at` (see `_place_version`: a copy dated in the past goes where it
        belongs in the history). `document` None means no text could be extracted: then `error` (kind, message)
        says why, and the check is recorded as failed. One transaction."""
        sha = self._put_blob(body)
        text = document.text.encode("utf-8") if document is not None else None
        text_sha = self._put_blob(text) if text is not None else None
        with self._transaction() as db:
            self._put_blob(body, sha)  # again, in case `remove_orphans` took them before this transaction began
            if text is not None:
                self._put_blob(text, text_sha)
            db.execute("INSERT OR IGNORE INTO blobs (sha256, size) VALUES (?, ?)", (sha, len(body)))
            cur = db.execute(
                "INSERT INTO snapshots (vendor, kind, source, final_url, status, redirects, content_type,"
                " headers, sha256, size, renderer, fetched_at, origin) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (vendor, kind, source, final_url, status, json.dumps(list(redirects)), content_type,
                 json.dumps(dict(sorted((headers or {}).items()))), sha, len(body), renderer, _iso(fetched_at),
                 origin))
            snapshot_id = int(cur.lastrowid or 0)
            version_id: int | None = None
            new_version = False
            if text is not None and text_sha is not None and document is not None:
                db.execute("INSERT OR IGNORE INTO blobs (sha256, size) VALUES (?, ?)", (text_sha, len(text)))
                version_id, new_version = self._place_version(db, vendor, kind, source, document, text_sha,
                                                              snapshot_id, fetched_at)
                db.execute("UPDATE snapshots SET version_id=? WHERE id=?", (version_id, snapshot_id))
            outcome = "new-version" if new_version else "unchanged" if version_id is not None else "failed"
            error_kind, message = error if error and document is None else (None, None)
            db.execute("INSERT INTO checks (vendor, kind, source, checked_at, outcome, snapshot_id, error_kind,"
                       " transient, message) VALUES (?,?,?,?,?,?,?,?,?)",
                       (vendor, kind, source, _iso(fetched_at), outcome, snapshot_id, error_kind,
                        0 if error_kind else None, message))
            row = db.execute("SELECT * FROM snapshots WHERE id=?", (snapshot_id,)).fetchone()
        return Recorded(snapshot=_snapshot(row), version_id=version_id, new_version=new_version)

    def _same_text(self, version: sqlite3.Row, fingerprint: str) -> bool:
        """Whether a stored version has this fingerprint (recomputed from its text when the masking rules changed
        since it was stored)."""
        return version["fingerprint"] == fingerprint or text_fingerprint(
            self.read_blob(version["text_sha256"]).decode("utf-8")) == fingerprint

    def _place_version(self, db: sqlite3.Connection, vendor: str, kind: str, source: str,
                       document: PolicyDocument, text_sha: str, snapshot_id: int,
                       at: dt.datetime) -> tuple[int, bool]:
        """(version id, whether new) of a text read at `at`: the version in force then if the text is the same;
        else the next version if it has this text (it was published earlier than we knew, so it now starts at
        `at`); else a new version starting at `at`."""
        fingerprint = text_fingerprint(document.text)
        key = (vendor, kind, source, _iso(at))
        before = db.execute("SELECT * FROM versions WHERE vendor=? AND kind=? AND source=? AND first_seen<=?"
                            " ORDER BY first_seen DESC, id DESC LIMIT 1", key).fetchone()
        if before is not None and self._same_text(before, fingerprint):
            return int(before["id"]), False
        stated = document.last_updated.isoformat() if document.last_updated else None
        after = db.execute("SELECT * FROM versions WHERE vendor=? AND kind=? AND source=? AND first_seen>?"
                           " ORDER BY first_seen, id LIMIT 1", key).fetchone()
        if after is not None and self._same_text(after, fingerprint):
            db.execute("UPDATE versions SET text_sha256=?, title=?, stated_date=?, first_snapshot=?, first_seen=?"
                       " WHERE id=?", (text_sha, document.title, stated, snapshot_id, _iso(at), after["id"]))
            return int(after["id"]), False
        cur = db.execute("INSERT INTO versions (vendor, kind, source, fingerprint, text_sha256, title, stated_date,"
                         " first_snapshot, first_seen) VALUES (?,?,?,?,?,?,?,?,?)",
                         (vendor, kind, source, fingerprint, text_sha, document.title, stated, snapshot_id,
                          _iso(at)))
        return int(cur.lastrowid or 0), True

    def add_saved_copy(self, *, vendor: str, kind: str, source: str, body: bytes, content_type: str,
                       saved_at: dt.datetime, origin: str, document: PolicyDocument) -> Recorded:
        """Put a copy kept outside the archive (a PDF the vendor mailed, a page saved from a browser, a web-archive
        capture) into the document's history as evidence, dated when it was published or saved and with where it
        came from; it joins the version in force at that date, or makes a new one there."""
        if not origin.strip():
            raise ArchiveError("a saved copy needs its origin (who sent it, or where it was saved from)")
        if _iso(saved_at) > _iso(dt.datetime.now(dt.UTC)):
            raise ArchiveError(f"a saved copy cannot be dated in the future ({saved_at.isoformat()})")
        return self.record(vendor=vendor, kind=kind, source=source, body=body, content_type=content_type,
                           fetched_at=saved_at, document=document, renderer="saved-copy", origin=origin.strip())

    def record_check(self, *, vendor: str, kind: str, source: str, checked_at: dt.datetime,
                     outcome: Literal["not-modified", "failed"], snapshot_id: int | None = None,
                     error_kind: str | None = None, transient: bool | None = None,
                     message: str | None = None) -> CheckRecord:
        """Record an attempt that stored no new body: the server said 304, or the fetch failed (and why)."""
        with self._transaction() as db:
            cur = db.execute("INSERT INTO checks (vendor, kind, source, checked_at, outcome, snapshot_id, error_kind,"
                             " transient, message) VALUES (?,?,?,?,?,?,?,?,?)",
                             (vendor, kind, source, _iso(checked_at), outcome, snapshot_id, error_kind,
                              None if transient is None else int(transient), message))
            row = db.execute("SELECT * FROM checks WHERE id=?", (cur.lastrowid,)).fetchone()
        return _check(row)

    def save_assessment(self, assessment: Assessment, *, kind: str, created_at: dt.datetime,
                        snapshot_id: int | None = None, version_id: int | None = None,
                        source: str | None = None) -> AssessmentRecord:
        """Store an assessment with the checklist versions it used and the snapshot/version it was computed from."""
        refs = json.dumps([c.model_dump(mode="json") for c in assessment.checklists], sort_keys=True)
        with self._transaction() as db:
            cur = db.execute("INSERT INTO assessments (vendor, kind, source, snapshot_id, version_id, checklists,"
                             " assessment, created_at) VALUES (?,?,?,?,?,?,?,?)",
                             (assessment.vendor, kind, source, snapshot_id, version_id, refs,
                              assessment.model_dump_json(), _iso(created_at)))
            row = db.execute("SELECT * FROM assessments WHERE id=?", (cur.lastrowid,)).fetchone()
        return _assessment(row)

    def accept(self, assessment_id: int, *, accepted_at: dt.datetime, accepted_by: str,
               note: str) -> AcceptanceRecord:
        """Record that a person accepted a stored assessment (what the gate compares with from now on)."""
        if not accepted_by.strip() or not note.strip():
            raise ArchiveError("an acceptance needs the name of who accepts and a note saying why")
        stored = self.assessment(assessment_id)
        with self._transaction() as db:
            cur = db.execute("INSERT INTO acceptances (assessment_id, vendor, kind, accepted_at, accepted_by, note)"
                             " VALUES (?,?,?,?,?,?)", (assessment_id, stored.vendor, stored.kind, _iso(accepted_at),
                                                       accepted_by.strip(), note.strip()))
            row = db.execute("SELECT * FROM acceptances WHERE id=?", (cur.lastrowid,)).fetchone()
        return _acceptance(row)

    def cache_assessment(self, key: str, assessment: Assessment) -> None:
        """Keep an assessment under a key naming everything it was computed from (see `audit.assess_cached`)."""
        self._cache("assessment_cache", key, assessment.model_dump_json())

    def cache_document(self, key: str, document: PolicyDocument) -> None:
        """Keep a parsed document under a key naming the snapshot, the parsing hints and the code."""
        self._cache("document_cache", key, document.model_dump_json())

    def _cache(self, table: Literal["assessment_cache", "document_cache"], key: str, value: str) -> None:
        with self._transaction() as db:
            db.execute(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", (key, value))

    # -- reading ----------------------------------------------------------------------------------------------

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return list(self._db.execute(sql, tuple(params)).fetchall())

    @staticmethod
    def _where(**filters: Any) -> tuple[str, list[Any]]:
        clauses, params = [], []
        for column, value in filters.items():
            if value is None:
                continue
            op = {"since": ">=", "until": "<="}.get(column.split("__")[-1], "=")
            clauses.append(f"{column.split('__')[0]} {op} ?")
            params.append(_iso(value) if isinstance(value, dt.datetime) else value)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def vendors(self) -> list[str]:
        """Vendors with anything in the archive."""
        return [r[0] for r in self._query("SELECT DISTINCT vendor FROM checks ORDER BY vendor")]

    def documents(self, vendor: str) -> list[tuple[str, str]]:
        """(kind, source) of every document of a vendor the archive has tried to read."""
        rows = self._query("SELECT DISTINCT kind, source FROM checks WHERE vendor=? ORDER BY kind, source", [vendor])
        return [(r["kind"], r["source"]) for r in rows]

    def snapshot(self, snapshot_id: int) -> SnapshotRecord:
        """One snapshot by id."""
        rows = self._query("SELECT * FROM snapshots WHERE id=?", [snapshot_id])
        if not rows:
            raise ArchiveError(f"no snapshot {snapshot_id} in {self.root}")
        return _snapshot(rows[0])

    def snapshots(self, vendor: str | None = None, kind: str | None = None, source: str | None = None, *,
                  since: dt.datetime | None = None, until: dt.datetime | None = None) -> list[SnapshotRecord]:
        """Snapshots, oldest first."""
        where, params = self._where(vendor=vendor, kind=kind, source=source, fetched_at__since=since,
                                    fetched_at__until=until)
        return [_snapshot(r) for r in self._query(f"SELECT * FROM snapshots{where} ORDER BY fetched_at, id", params)]

    def latest_snapshot(self, vendor: str, kind: str, source: str | None = None, *,
                        until: dt.datetime | None = None) -> SnapshotRecord | None:
        """The newest snapshot of a document whose text could be extracted (as of `until`, if given)."""
        where, params = self._where(vendor=vendor, kind=kind, source=source, fetched_at__until=until)
        rows = self._query(f"SELECT * FROM snapshots{where} AND version_id IS NOT NULL"
                           " ORDER BY fetched_at DESC, id DESC LIMIT 1", params)
        return _snapshot(rows[0]) if rows else None

    def body(self, snapshot: SnapshotRecord) -> bytes:
        """The raw bytes of a snapshot, checked against its hash."""
        return self.read_blob(snapshot.sha256)

    def versions(self, vendor: str, kind: str | None = None, source: str | None = None, *,
                 since: dt.datetime | None = None, until: dt.datetime | None = None) -> list[VersionRecord]:
        """Versions of a vendor's documents, oldest first (first seen within since..until, if given)."""
        where, params = self._where(**{"v.vendor": vendor, "v.kind": kind, "v.source": source,
                                       "v.first_seen__since": since, "v.first_seen__until": until})
        rows = self._query(_VERSION_SELECT + f"JOIN snapshots s ON s.version_id = v.id{where} GROUP BY v.id"
                           " ORDER BY v.kind, v.source, v.first_seen, v.id", params)
        return [_version(r) for r in rows]

    def version(self, version_id: int) -> VersionRecord:
        """One version by id."""
        rows = self._query(_VERSION_SELECT + "JOIN snapshots s ON s.version_id = v.id WHERE v.id=? GROUP BY v.id",
                           [version_id])
        if not rows:
            raise ArchiveError(f"no version {version_id} in {self.root}")
        return _version(rows[0])

    def version_text(self, version: VersionRecord) -> str:
        """The extracted text of a version, as it was when first seen."""
        return self.read_blob(version.text_sha256).decode("utf-8")

    def checks(self, vendor: str | None = None, kind: str | None = None, source: str | None = None, *,
               since: dt.datetime | None = None, until: dt.datetime | None = None) -> list[CheckRecord]:
        """Attempts to read documents, oldest first."""
        where, params = self._where(vendor=vendor, kind=kind, source=source, checked_at__since=since,
                                    checked_at__until=until)
        return [_check(r) for r in self._query(f"SELECT * FROM checks{where} ORDER BY checked_at, id", params)]

    def assessments(self, vendor: str | None = None, kind: str | None = None, *,
                    since: dt.datetime | None = None, until: dt.datetime | None = None) -> list[AssessmentRecord]:
        """Stored assessments, oldest first."""
        where, params = self._where(vendor=vendor, kind=kind, created_at__since=since, created_at__until=until)
        rows = self._query(f"SELECT * FROM assessments{where} ORDER BY created_at, id", params)
        return [_assessment(r) for r in rows]

    def assessment(self, assessment_id: int) -> AssessmentRecord:
        """One stored assessment by id."""
        rows = self._query("SELECT * FROM assessments WHERE id=?", [assessment_id])
        if not rows:
            raise ArchiveError(f"no assessment {assessment_id} in {self.root}")
        return _assessment(rows[0])

    def acceptances(self, vendor: str, kind: str, *, until: dt.datetime | None = None) -> list[AcceptanceRecord]:
        """A document's acceptances, oldest first (made at or before `until`, if given)."""
        where, params = self._where(vendor=vendor, kind=kind, accepted_at__until=until)
        rows = self._query(f"SELECT * FROM acceptances{where} ORDER BY accepted_at, id", params)
        return [_acceptance(r) for r in rows]

    def cached_assessment(self, key: str) -> Assessment | None:
        """The assessment cached under this key, if any."""
        rows = self._query("SELECT assessment FROM assessment_cache WHERE key=?", [key])
        return Assessment.model_validate_json(rows[0][0]) if rows else None

    def cached_document(self, key: str) -> PolicyDocument | None:
        """The parsed document cached under this key, if any."""
        rows = self._query("SELECT document FROM document_cache WHERE key=?", [key])
        return PolicyDocument.model_validate_json(rows[0][0]) if rows else None

    # -- integrity --------------------------------------------------------------------------------------------

    def verify(self, *, hashes: bool = True) -> tuple[list[str], list[str]]:
        """Check the archive: (problems, unreferenced blob files). Problems are rows without their blob, blobs
        whose bytes do not match their hash, dangling references, rows that cannot be read back (corrupt JSON or
        dates), left-over temporary files and a failing SQLite integrity check."""
        problems: list[str] = []
        integrity = self._query("PRAGMA integrity_check")[0][0]
        if integrity != "ok":
            problems.append(f"sqlite integrity check: {integrity}")
        problems += [f"dangling reference in {row[0]} row {row[1]} to {row[2]}"
                     for row in self._query("PRAGMA foreign_key_check")]
        referenced = {r[0] for r in self._query("SELECT sha256 FROM blobs")}
        for (sha,) in self._query("SELECT sha256 FROM snapshots UNION SELECT text_sha256 FROM versions"):
            if sha not in referenced:
                problems.append(f"blob {sha[:12]} is used but not registered")
        for sha in sorted(referenced):
            path = self.blob_path(sha)
            if not path.exists():
                problems.append(f"blob {sha[:12]} is missing")
            elif hashes and hashlib.sha256(path.read_bytes()).hexdigest() != sha:
                problems.append(f"blob {sha[:12]} is corrupted")
        problems += [f"snapshot {row[0]} has no check"
                     for row in self._query("SELECT id FROM snapshots s WHERE NOT EXISTS"
                                            " (SELECT 1 FROM checks c WHERE c.snapshot_id = s.id)")]
        for table, read in (("snapshots", _snapshot), ("checks", _check), ("acceptances", _acceptance),
                            ("assessments", _assessment)):
            for row in self._query(f"SELECT * FROM {table} ORDER BY id"):
                try:
                    read(row)
                except (ValueError, TypeError, KeyError) as exc:  # bad JSON, dates or fields (pydantic's too)
                    problems.append(f"{table} row {row['id']} cannot be read: {str(exc).splitlines()[0][:120]}")
        for path in sorted(self.tmp_dir.glob("*.tmp")):
            if is_stale_temp(path):
                problems.append(f"left-over temporary file {path.name}")
        return problems, [p.name for p in self._unreferenced_blobs()]

    def _unreferenced_blobs(self) -> list[Path]:
        rows = self._query("SELECT sha256 FROM blobs UNION SELECT sha256 FROM snapshots"
                           " UNION SELECT text_sha256 FROM versions")
        referenced = {r[0] for r in rows}
        return sorted(p for p in self.blob_dir.glob("*/*") if p.name not in referenced)

    def remove_orphans(self) -> list[str]:
        """Delete the blob files no record refers to (a crash between writing a blob and recording it leaves one);
        their hashes. Done inside a write transaction, and `record` re-checks its blob inside its own, so a fetch
        running meanwhile loses nothing."""
        with self._transaction():
            orphans = self._unreferenced_blobs()
            for path in orphans:
                path.unlink(missing_ok=True)
        return [p.name for p in orphans]


def add_saved_file(archive: Archive, vendor_id: str, spec: DocumentSpec, path: Path, *, saved_at: dt.datetime,
                   origin: str) -> tuple[Recorded, PolicyDocument]:
    """Read a saved copy of one of a vendor's documents from a file (HTML, PDF, Word, text), parse it as that
    document is parsed (the profile's select/remove), and add it to the archive with its date and origin. A file
    that cannot be read or parsed raises a one-line error and stores nothing."""
    from .fetch import document_source
    from .parse import ParseError, content_type_for, parse_bytes, read_file

    source = document_source(spec)
    try:
        body = read_file(path)
    except ParseError as exc:
        raise ArchiveError(f"cannot read the saved copy: {exc}") from None
    content_type = content_type_for(path)
    provenance = Provenance(uri=source, sha256=hashlib.sha256(body).hexdigest(), content_type=content_type,
                            fetched_at=saved_at, offline=True)
    try:
        document = parse_bytes(body, uri=source, content_type=content_type, select=spec.select,
                               remove=spec.remove, provenance=provenance)
    except ParseError as exc:
        raise ArchiveError(f"{path}: not stored: {str(exc).split(': ', 1)[-1]}") from None
    recorded = archive.add_saved_copy(vendor=vendor_id, kind=spec.kind.value, source=source, body=body,
                                      content_type=content_type, saved_at=saved_at, origin=origin, document=document)
    return recorded, document


def _dt(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def _snapshot(row: sqlite3.Row) -> SnapshotRecord:
    data = dict(row)
    data["redirects"] = json.loads(data["redirects"])
    data["headers"] = json.loads(data["headers"])
    data["fetched_at"] = _dt(data["fetched_at"])
    return SnapshotRecord(**data)


def _version(row: sqlite3.Row) -> VersionRecord:
    data = dict(row)
    data["snapshots"] = data.pop("n")
    data["first_seen"] = _dt(data["first_seen"])
    data["last_seen"] = _dt(data["last_seen"])
    data["stated_date"] = dt.date.fromisoformat(data["stated_date"]) if data["stated_date"] else None
    return VersionRecord(**data)


def _check(row: sqlite3.Row) -> CheckRecord:
    data = dict(row)
    data["checked_at"] = _dt(data["checked_at"])
    data["transient"] = None if data["transient"] is None else bool(data["transient"])
    return CheckRecord(**data)


def _acceptance(row: sqlite3.Row) -> AcceptanceRecord:
    data = dict(row)
    data["accepted_at"] = _dt(data["accepted_at"])
    return AcceptanceRecord(**data)


def _assessment(row: sqlite3.Row) -> AssessmentRecord:
    data = dict(row)
    data["checklists"] = [ChecklistRef.model_validate(c) for c in json.loads(data["checklists"])]
    data["assessment"] = Assessment.model_validate_json(data["assessment"])
    data["created_at"] = _dt(data["created_at"])
    return AssessmentRecord(**data)
