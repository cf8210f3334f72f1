"""The pipeline read top to bottom: profile -> document -> score -> overrides. The CLI and notebooks call this."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import AssessorError
from .loading import LoadedChecklist, LoadError, load_checklists, load_vendor, resolve_checklists, unknown_checklists
from .models import Assessment, DocumentKind, DocumentSpec, PolicyDocument, VendorProfile
from .parse import MAX_BYTES, parse_file
from .reviews import ReviewsFile, apply_overrides, load_reviews
from .inventory import inventory
from .regexes import keep_compiled
from .score import assemble, score_findings
from .settings import Settings, cache_dir, code_fingerprint, resolve_settings

if TYPE_CHECKING:  # imported where used: a local file is read without the archive
    from .archive import Archive, SnapshotRecord
    from .fetch import FetchSettings

DEFAULT_CHECKLISTS = ("ala-vendors",)
AD_HOC = "ad-hoc"  # the vendor id of a document scored on its own (`assessor score FILE|URL`)


@dataclass(frozen=True)
class Review:
    """One vendor document assessed: the profile, the parsed document and the assessment (overrides applied)."""

    vendor: VendorProfile
    spec: DocumentSpec
    document: PolicyDocument
    assessment: Assessment
    checklists: tuple[LoadedChecklist, ...]


def choose_checklists(vendor: VendorProfile | None, requested: Sequence[str] = (),
                      settings: Settings | None = None) -> list[LoadedChecklist]:
    """The checklists asked for, else the vendor's own defaults, else the project defaults; includes resolved."""
    settings = settings or resolve_settings()
    available = load_checklists(settings.checklists)
    if vendor is not None and not requested:  # a wrong id in the profile is named there, not in the checklists folder
        wrong = unknown_checklists(vendor, settings.vendors / f"{vendor.id}.yaml", available)
        if wrong:
            raise LoadError(wrong)
    ids = list(requested) or (vendor.checklists if vendor and vendor.checklists else list(DEFAULT_CHECKLISTS))
    return resolve_checklists(ids, available)


def read_archived(archive: Archive, snapshot: SnapshotRecord, spec: DocumentSpec, *, offline: bool) -> PolicyDocument:
    """`fetch.archived_document`, kept in the archive's document cache by snapshot, parsing hints and code, so an
    archived copy is parsed once, not on every audit or review."""
    from .fetch import archived_document

    key = hashlib.sha256(json.dumps([snapshot.id, snapshot.sha256, spec.select, spec.remove,
                                     code_fingerprint()]).encode()).hexdigest()
    cached = archive.cached_document(key)
    if cached is not None:
        return cached.model_copy(update={"provenance": cached.provenance.model_copy(update={"offline": offline})})
    document = archived_document(archive, snapshot, spec, offline=offline)
    archive.cache_document(key, document)
    return document


@dataclass(frozen=True)
class DocumentRead:
    """A document read: its parsed text, and the archived snapshot it was read from or stored as (None for a local
    file parsed without archiving)."""

    document: PolicyDocument
    snapshot: SnapshotRecord | None = None


def read_document(spec: DocumentSpec, settings: Settings | None = None, *, vendor_id: str = AD_HOC,
                  offline: bool = True, archive: Archive | None = None, archive_files: bool = False,
                  now: Callable[[], dt.datetime] | None = None, until: dt.datetime | None = None,
                  fetching: FetchSettings | None = None) -> DocumentRead:
    """One document of a profile, read the one way every command, audit and notebook reads it. A local file (in the
    settings' vendor folder) is parsed, and archived too with `archive_files`; a URL is fetched now and archived
    unless `offline`, else read from its newest archived copy (as of `until`), the provenance saying so.
    `fetching` sets the time budget and size cap (default: `FetchSettings()`, 30 s and 10 MB)."""
    settings = settings or resolve_settings()
    if spec.path is not None and not archive_files:
        return DocumentRead(parse_file(settings.vendors / spec.path, select=spec.select, remove=spec.remove,
                                       max_bytes=fetching.max_bytes if fetching else MAX_BYTES, cache=cache_dir()))
    from .archive import DB_NAME, Archive
    from .fetch import (DocumentFetch, FetchError, FetchSettings, document_source, fetch_document, network_verdict,
                        utc_now)
    from .fetch.errors import fetch_error

    if spec.path is None and offline and archive is None and not (settings.archive / DB_NAME).exists():
        raise _not_archived(vendor_id, document_source(spec), settings.archive)  # and no empty archive is made
    store = archive if archive is not None else Archive(settings.archive)
    try:
        if spec.path is not None or not offline:
            try:
                result = fetch_document(vendor_id, spec, archive=store, settings=fetching or FetchSettings(),
                                        now=now or utc_now, base_dir=settings.vendors)
            except FetchError as exc:  # unreachable while no name resolves at all: the network, not the vendor's URL
                failed = DocumentFetch(vendor_id, spec.kind.value, exc.url, "failed", error=exc)
                raise (fetch_error("no-network", exc.url) if network_verdict([failed]) else exc) from exc
            assert result.snapshot is not None  # stored now, or not modified since the snapshot it points to
            return DocumentRead(result.document or read_archived(store, result.snapshot, spec, offline=False),
                                result.snapshot)
        source = document_source(spec)
        snapshot = store.latest_snapshot(vendor_id, spec.kind.value, source, until=until)
        if snapshot is None:
            raise _not_archived(vendor_id, source, store.root)
        return DocumentRead(read_archived(store, snapshot, spec, offline=True), snapshot)
    finally:
        if archive is None:
            store.close()


def _not_archived(vendor_id: str, source: str, root: Path) -> AssessorError:
    """The error for an offline read of a URL never archived, with what to do instead."""
    hint = ("read it without --offline to fetch and archive it" if vendor_id == AD_HOC
            else f"run `assessor fetch {vendor_id}` first, or read it without --offline, or review a saved "
                 f"copy with `assessor review {vendor_id} --file PATH`")
    return AssessorError(f"{source}: no archived copy in {root}; {hint}")


def primary_document(vendor: VendorProfile, kind: DocumentKind = DocumentKind.PRIVACY_POLICY) -> DocumentSpec:
    """The vendor's document of that kind (its privacy policy by default)."""
    for spec in vendor.documents:
        if spec.kind == kind:
            return spec
    raise AssessorError(f"vendor {vendor.id!r} lists no {kind.value} document")


def assess(doc: PolicyDocument, vendor: VendorProfile, checklists: Sequence[LoadedChecklist],
           kind: DocumentKind = DocumentKind.PRIVACY_POLICY, reviews: ReviewsFile | None = None,
           settings: Settings | None = None) -> Assessment:
    """Score a document for a vendor and apply the librarian's overrides (the vendor's reviews file in the settings'
    reviews folder by default)."""
    automatic = score_findings(doc, vendor, checklists, kind)
    if reviews is None:
        reviews = load_reviews(vendor.id, (settings or resolve_settings()).reviews)
    findings, notes = apply_overrides(automatic, reviews)
    assessment = assemble(doc, vendor, checklists, findings, kind, inventory(doc), notes)
    keep_compiled()  # the patterns this assessment compiled, for the next process
    return assessment


def review_vendor(vendor_id: str, checklist_ids: Sequence[str] = (),
                  kind: DocumentKind = DocumentKind.PRIVACY_POLICY, offline: bool = True,
                  archive: Archive | None = None, settings: Settings | None = None,
                  document: PolicyDocument | None = None) -> Review:
    """Assess one vendor's document against the checklists, with the librarian's overrides applied. A URL document
    is read from the archive when `offline` (the default), else fetched and archived first; `document`, when given
    (a saved copy just archived), is assessed instead. The folders are the settings' (resolved from the current
    directory and environment when not given)."""
    settings = settings or resolve_settings()
    vendor = load_vendor(vendor_id, settings.vendors)
    checklists = choose_checklists(vendor, checklist_ids, settings)
    spec = primary_document(vendor, kind)
    doc = document or read_document(spec, settings, vendor_id=vendor.id, offline=offline, archive=archive).document
    return Review(vendor, spec, doc, assess(doc, vendor, checklists, kind, settings=settings), tuple(checklists))
