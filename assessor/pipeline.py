"""The pipeline read top to bottom: profile -> document -> score -> overrides. The CLI and notebooks call this."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import AssessorError
from .loading import VENDOR_DIR, LoadedChecklist, load_checklists, load_vendor, resolve_checklists
from .models import Assessment, DocumentKind, DocumentSpec, PolicyDocument, VendorProfile
from .parse import parse_file
from .reviews import apply_overrides, load_reviews
from .score import score_document

DEFAULT_CHECKLISTS = ("ala-vendors",)


@dataclass(frozen=True)
class Review:
    """One vendor document assessed: the profile, the parsed document and the assessment (overrides applied)."""

    vendor: VendorProfile
    spec: DocumentSpec
    document: PolicyDocument
    assessment: Assessment
    checklists: tuple[LoadedChecklist, ...]


def choose_checklists(vendor: VendorProfile | None, requested: Sequence[str] = ()) -> list[LoadedChecklist]:
    """The checklists asked for, else the vendor's own defaults, else the project defaults; includes resolved."""
    ids = list(requested) or (vendor.checklists if vendor and vendor.checklists else list(DEFAULT_CHECKLISTS))
    return resolve_checklists(ids, load_checklists())


def load_document(spec: DocumentSpec, base_dir: Path = VENDOR_DIR) -> PolicyDocument:
    """The parsed text of one document of a profile (a local file, or the newest archived fetch of its URL)."""
    if spec.path is not None:
        return parse_file(base_dir / spec.path, select=spec.select, remove=spec.remove)
    raise AssessorError(f"{spec.url}: fetching is not available in this build")


def primary_document(vendor: VendorProfile, kind: DocumentKind = DocumentKind.PRIVACY_POLICY) -> DocumentSpec:
    """The vendor's document of that kind (its privacy policy by default)."""
    for spec in vendor.documents:
        if spec.kind == kind:
            return spec
    raise AssessorError(f"vendor {vendor.id!r} lists no {kind.value} document")


def review_vendor(vendor_id: str, checklist_ids: Sequence[str] = (),
                  kind: DocumentKind = DocumentKind.PRIVACY_POLICY) -> Review:
    """Assess one vendor's document against the checklists, with the librarian's overrides applied."""
    vendor = load_vendor(vendor_id)
    checklists = choose_checklists(vendor, checklist_ids)
    spec = primary_document(vendor, kind)
    doc = load_document(spec)
    assessment = score_document(doc, vendor, checklists, kind)
    assessment = apply_overrides(assessment, load_reviews(vendor.id), doc, vendor, checklists)
    return Review(vendor, spec, doc, assessment, tuple(checklists))
