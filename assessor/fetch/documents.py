"""A vendor profile's documents read and archived: one document, one vendor, or a batch run concurrently."""

from __future__ import annotations

import datetime as dt
import hashlib
import socket
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import requests

from ..archive import Archive, SnapshotRecord
from ..models import DocumentSpec, PolicyDocument, Provenance, VendorProfile
from ..parse import DocumentTooLarge, ParseError, content_type_for, parse_bytes, read_file
from ..progress import Progress, progress_bar
from ..settings import resolve_settings
from .browser import render_page
from .errors import FetchError, fetch_error
from .http import HttpResponse, Validators, http_get, make_session
from .limits import FetchSettings
from .notpolicy import not_a_policy

Outcome = Literal["new-version", "unchanged", "not-modified", "archived", "failed"]
Clock = Callable[[], dt.datetime]
# One Chromium at a time: each is a heavy process of its own.
_BROWSER_SLOT = threading.Semaphore(1)


def utc_now() -> dt.datetime:
    """The current time, in UTC."""
    return dt.datetime.now(dt.UTC)


def document_source(spec: DocumentSpec) -> str:
    """How the archive names a document: its URL, or `path:<file>` for a local one."""
    return spec.url if spec.url is not None else f"path:{spec.path}"


@dataclass(frozen=True)
class DocumentFetch:
    """What reading one document came to: the outcome, the archived snapshot, and the error when it failed."""

    vendor: str
    kind: str
    source: str
    outcome: Outcome
    snapshot: SnapshotRecord | None = None
    version_id: int | None = None
    error: FetchError | None = None
    document: PolicyDocument | None = field(default=None, repr=False, compare=False)
    version_number: int | None = None  # the version's number among its document's (`VersionRecord.number`), shown

    @property
    def ok(self) -> bool:
        """Whether the document was read (now, or unchanged since last time)."""
        return self.outcome != "failed"

    def line(self) -> str:
        """One line for a terminal."""
        head = f"{self.vendor:<24} {self.kind:<15} {self.outcome:<12}"
        if self.error is not None:
            nature = "transient" if self.error.transient else "permanent"
            return f"{head} {self.error.kind} ({nature}): {self.error}"
        assert self.snapshot is not None
        return f"{head} {self.snapshot.sha256[:12]}  v{self.version_number}  {self.snapshot.final_url or self.source}"


def archived_document(archive: Archive, snapshot: SnapshotRecord, spec: DocumentSpec, *,
                      offline: bool) -> PolicyDocument:
    """Parse an archived snapshot with the profile's select/remove; its provenance says where and when it was read."""
    provenance = Provenance(uri=snapshot.source, sha256=snapshot.sha256, content_type=snapshot.content_type,
                            fetched_at=snapshot.fetched_at, final_url=snapshot.final_url, offline=offline)
    return parse_bytes(archive.body(snapshot), uri=snapshot.final_url or snapshot.source,
                       content_type=snapshot.content_type, select=spec.select, remove=spec.remove,
                       provenance=provenance)


def _read_local(spec: DocumentSpec, base_dir: Path | None, max_bytes: int) -> HttpResponse:
    path = (base_dir if base_dir is not None else resolve_settings().vendors) / str(spec.path)
    try:
        content_type = content_type_for(path)
    except ParseError as exc:
        raise fetch_error("unsupported-type", document_source(spec), path.suffix) from exc
    try:
        body = read_file(path, max_bytes)
    except DocumentTooLarge as exc:
        raise fetch_error("too-large", document_source(spec), exc.detail) from exc
    except ParseError as exc:
        raise fetch_error("file-missing", document_source(spec), str(exc)) from exc
    return HttpResponse(url=document_source(spec), final_url=document_source(spec), status=0,
                        headers={"content-type": content_type}, body=body)


def _number(archive: Archive, version_id: int | None) -> int | None:
    """The per-document number of an archived version (None for none)."""
    return archive.version(version_id).number if version_id is not None else None


def fetch_document(vendor_id: str, spec: DocumentSpec, *, archive: Archive, session: requests.Session | None = None,
                   settings: FetchSettings = FetchSettings(), now: Clock = utc_now,
                   base_dir: Path | None = None) -> DocumentFetch:
    """Read one document (conditionally, when the archive holds it), parse it and archive the body; the result
    carries the parsed document, except after a 304 (then `archived_document` reads the snapshot it points to).
    A failure is recorded in the archive and raised as a FetchError."""
    source = document_source(spec)
    kind = spec.kind.value
    checked_at = now()
    try:
        if spec.path is not None:
            response = _read_local(spec, base_dir, settings.max_bytes)
        elif spec.render == "browser":
            with _BROWSER_SLOT:
                response = render_page(source, settings)
        else:
            previous = archive.latest_snapshot(vendor_id, kind, source)
            validators = (Validators(previous.headers.get("etag"), previous.headers.get("last-modified"))
                          if previous is not None and settings.conditional else None)
            response = http_get(session or make_session(settings), source, settings, validators)
            if response.not_modified and previous is not None:
                archive.record_check(vendor=vendor_id, kind=kind, source=source, checked_at=checked_at,
                                     outcome="not-modified", snapshot_id=previous.id)
                return DocumentFetch(vendor_id, kind, source, "not-modified", previous, previous.version_id,
                                     version_number=_number(archive, previous.version_id))
    except FetchError as exc:
        archive.record_check(vendor=vendor_id, kind=kind, source=source, checked_at=checked_at, outcome="failed",
                             error_kind=exc.kind, transient=exc.transient, message=str(exc))
        raise
    content_type = response.headers.get("content-type", "")
    provenance = Provenance(uri=source, sha256=hashlib.sha256(response.body).hexdigest(),
                            content_type=content_type, fetched_at=checked_at,
                            final_url=response.final_url if spec.url else None)
    document: PolicyDocument | None = None
    error: FetchError | None = None
    try:
        document = parse_bytes(response.body, uri=response.final_url, content_type=content_type,
                               select=spec.select, remove=spec.remove, provenance=provenance)
    except DocumentTooLarge as exc:
        error = fetch_error("too-large", source, exc.detail)
    except ParseError as exc:
        error = fetch_error("unparseable", source, str(exc).split(": ", 1)[-1])
    if document is not None and (instead := not_a_policy(document, response.body)):
        document, error = None, fetch_error("not-a-policy", source, instead)  # the body is kept, as no version
    recorded = archive.record(vendor=vendor_id, kind=kind, source=source, body=response.body,
                              content_type=content_type, fetched_at=checked_at,
                              document=document, final_url=response.final_url if spec.url else None,
                              status=response.status or None, redirects=response.redirects,
                              headers=response.headers, renderer=spec.render if spec.url else "file",
                              error=(error.kind, str(error)) if error else None)
    if error is not None or document is None:
        raise error or fetch_error("unparseable", source)
    outcome: Outcome = "new-version" if recorded.new_version else "unchanged"
    return DocumentFetch(vendor_id, kind, source, outcome, recorded.snapshot, recorded.version_id,
                         document=document, version_number=_number(archive, recorded.version_id))


def fetch_vendors(vendors: Iterable[VendorProfile], *, archive: Archive, settings: FetchSettings = FetchSettings(),
                  workers: int = 4, progress: Progress = "auto", now: Clock = utc_now,
                  base_dir: Path | None = None) -> list[DocumentFetch]:
    """Fetch every document of every vendor, `workers` at a time but at most `settings.per_host` from one host,
    sharing one session; a failure is recorded and reported per document and never stops the batch. Results are
    sorted by vendor, kind and source."""
    jobs = [(v.id, spec) for v in vendors for spec in v.documents]
    hosts = {urlsplit(spec.url).hostname: threading.Semaphore(settings.per_host) for _, spec in jobs if spec.url}
    session = make_session(settings, pool_size=max(workers, 1))
    results: list[DocumentFetch] = []

    def run(vendor_id: str, spec: DocumentSpec) -> DocumentFetch:
        try:
            with hosts[urlsplit(spec.url).hostname] if spec.url else nullcontext():
                result = fetch_document(vendor_id, spec, archive=archive, session=session, settings=settings,
                                        now=now, base_dir=base_dir)
            return replace(result, document=None)  # a batch keeps no parsed documents in memory
        except FetchError as exc:
            return DocumentFetch(vendor_id, spec.kind.value, document_source(spec), "failed", error=exc)

    bar = progress_bar(len(jobs), progress, "fetching", "doc")
    with bar, ThreadPoolExecutor(max_workers=max(workers, 1)) as pool:
        futures = [pool.submit(run, vendor_id, spec) for vendor_id, spec in jobs]
        try:
            for future in as_completed(futures):
                results.append(future.result())
                bar.update(1)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    session.close()
    return sorted(results, key=lambda r: (r.vendor, r.kind, r.source))


# Failures that say nothing about one URL when every site fails them: the network is what failed.
_UNREACHABLE = ("dns", "no-network", "connection")
PROBE_HOST = "example.com"  # IANA's reserved example domain: its name can be looked up wherever there is a network


def name_lookup_works(host: str = PROBE_HOST) -> bool:
    """Whether this computer can look up a host name that always exists (asked only after a site failed)."""
    try:
        socket.getaddrinfo(host, 443)
    except OSError:
        return False
    return True


def network_verdict(results: Iterable[DocumentFetch], *,
                    lookup_works: Callable[[], bool] = name_lookup_works) -> str | None:
    """One line when no web document of a batch reached its site (names not found, no route, connections failing)
    across two or more sites, or at one site when not even example.com can be looked up: then this computer's
    network, not the vendor's URL, is what to check. None when some site answered or the one site alone failed."""
    web = [r for r in results if r.source.startswith(("http://", "https://"))]
    hosts = sorted({urlsplit(r.source).hostname or "" for r in web})
    if not web or not all(r.error is not None and r.error.kind in _UNREACHABLE for r in web):
        return None
    if len(hosts) >= 2:
        return (f"no network: none of the {len(hosts)} sites could be reached (names not found or no connection); "
                "check this computer's connection (offline? a proxy?) before the vendors' URLs")
    if lookup_works():
        return None
    return (f"no network: {hosts[0]} could not be reached and not even {PROBE_HOST} can be looked up; check this "
            "computer's connection (offline? a proxy?) before the vendor's URL")


def archived_status(vendors: Iterable[VendorProfile], archive: Archive, *, now: Clock = utc_now,
                    base_dir: Path | None = None) -> list[DocumentFetch]:
    """Offline: local files read and archived as usual; for each URL, its newest archived copy (or a failure)."""
    vendors = list(vendors)
    local = [v.model_copy(update={"documents": [d for d in v.documents if d.path is not None]}) for v in vendors]
    results = fetch_vendors([v for v in local if v.documents], archive=archive, workers=1, progress="off", now=now,
                            base_dir=base_dir)
    for vendor in vendors:
        for url, kind in ((d.url, d.kind.value) for d in vendor.documents if d.url is not None):
            snapshot = archive.latest_snapshot(vendor.id, kind, url)
            if snapshot is None:
                results.append(DocumentFetch(vendor.id, kind, url, "failed", error=fetch_error("not-archived", url)))
            else:
                results.append(DocumentFetch(vendor.id, kind, url, "archived", snapshot, snapshot.version_id,
                                             version_number=_number(archive, snapshot.version_id)))
    return sorted(results, key=lambda r: (r.vendor, r.kind, r.source))
