"""A vendor over time, from the archive: the score of every stored audit (for the reports' sparklines) and the
versions of each document with what changed between them (`assessor history VENDOR --format html`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict
from .. import __version__
from ..archive import Archive, SnapshotRecord, VersionRecord
from ..diff import PolicyDiff, diff_documents
from ..errors import AssessorError
from ..fetch import document_source
from ..loading import load_vendors
from ..models import DocumentKind, PolicyDocument, RiskTier
from ..parse import parse_bytes
from .model import HistoryPoint, safe_url


class _View(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def score_history(archive: Archive, vendor_id: str,
                  kind: str = DocumentKind.PRIVACY_POLICY.value) -> list[HistoryPoint]:
    """The score and tier of every stored assessment of a vendor's document, oldest first."""
    return [HistoryPoint(at=r.created_at, score=r.assessment.score, tier=r.assessment.tier)
            for r in archive.assessments(vendor_id, kind)]


class HistoryVersion(_View):
    """One text of a document: when it was seen, the audits scored on it, and what changed since the one before."""

    id: int
    number: int
    first_seen: dt.datetime
    last_seen: dt.datetime
    snapshots: int
    text_sha256: str
    stated_date: dt.date | None
    origin: str | None
    score: float | None
    tier: RiskTier | None
    previous: int | None
    diff: PolicyDiff | None
    diff_error: str | None = None


class HistoryDocument(_View):
    """One archived document of the vendor and its versions, newest first."""

    kind: str
    source: str
    url: str | None
    versions: list[HistoryVersion]
    last_check: str


class HistoryReport(_View):
    """Everything `history.html` shows."""

    report: Literal["history"] = "history"
    generated_at: dt.datetime
    tool_version: str
    vendor: str
    vendor_name: str
    documents: list[HistoryDocument]
    scores: list[HistoryPoint]


def _parse(archive: Archive, snapshot: SnapshotRecord, select: Sequence[str], remove: Sequence[str]
           ) -> PolicyDocument:
    return parse_bytes(archive.body(snapshot), uri=snapshot.final_url or snapshot.source,
                       content_type=snapshot.content_type, select=select, remove=remove)


def _versions(archive: Archive, versions: Sequence[VersionRecord], scores: dict[int, HistoryPoint],
              select: Sequence[str], remove: Sequence[str]) -> list[HistoryVersion]:
    out: list[HistoryVersion] = []
    before: PolicyDocument | None = None
    for i, v in enumerate(versions):
        diff = error = None
        try:
            doc = _parse(archive, archive.snapshot(v.first_snapshot), select, remove)
        except AssessorError as exc:
            doc, error = None, str(exc).splitlines()[0]
        if i and before is not None and doc is not None:
            diff = diff_documents(before, doc)
        elif i:
            error = error or "the earlier version could not be read"
        point = scores.get(v.id)
        out.append(HistoryVersion(
            id=v.id, number=v.number, first_seen=v.first_seen, last_seen=v.last_seen, snapshots=v.snapshots,
            text_sha256=v.text_sha256, stated_date=v.stated_date, origin=v.origin,
            score=point.score if point else None, tier=point.tier if point else None,
            previous=versions[i - 1].id if i else None, diff=diff, diff_error=error))
        before = doc
    return out[::-1]


def history_report(archive: Archive, vendor_id: str, *, generated_at: dt.datetime, kind: str | None = None,
                   vendors_dir: Path | None = None) -> HistoryReport:
    """The versions of every archived document of a vendor (or those of `kind`), each with its diff from the one
    before and the score of the last audit made on it."""
    documents = [(k, s) for k, s in archive.documents(vendor_id) if kind in (None, k)]
    if not documents:
        raise AssessorError(f"nothing archived for {vendor_id!r}; run `assessor fetch {vendor_id}` first")
    profile = load_vendors(vendors_dir).get(vendor_id)
    specs = {(d.kind.value, document_source(d)): d for d in (profile.documents if profile else [])}
    stored = archive.assessments(vendor_id)
    by_version = {r.version_id: HistoryPoint(at=r.created_at, score=r.assessment.score, tier=r.assessment.tier)
                  for r in stored if r.version_id is not None}
    views = []
    for k, source in documents:
        spec = specs.get((k, source))
        last = archive.checks(vendor_id, k, source)
        views.append(HistoryDocument(
            kind=k, source=source, url=safe_url(source),
            versions=_versions(archive, archive.versions(vendor_id, k, source), by_version,
                               spec.select if spec else (), spec.remove if spec else ()),
            last_check=(f"{last[-1].outcome}" + (f" ({last[-1].error_kind})" if last[-1].error_kind else ""))
            if last else "never checked"))
    return HistoryReport(generated_at=generated_at, tool_version=__version__, vendor=vendor_id,
                         vendor_name=profile.name if profile else vendor_id, documents=views,
                         scores=score_history(archive, vendor_id))
