"""Librarian overrides: one YAML reviews file per vendor, applied on every run, flagged stale when evidence moves."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from .loading import REVIEWS_DIR, LoadedChecklist, load_model
from .models import AppliedOverride, Assessment, Finding, Override, PolicyDocument, VendorProfile
from .score import assemble, evidence_sha256


class ReviewsFile(BaseModel):
    """The overrides recorded for one vendor."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    vendor: str
    overrides: list[Override] = Field(default_factory=list)


def reviews_path(vendor_id: str, directory: Path = REVIEWS_DIR) -> Path:
    """Where a vendor's reviews file lives."""
    return directory / f"{vendor_id}.yaml"


def load_reviews(vendor_id: str, directory: Path = REVIEWS_DIR) -> ReviewsFile:
    """A vendor's overrides (none when the file does not exist)."""
    path = reviews_path(vendor_id, directory)
    if not path.exists():
        return ReviewsFile(vendor=vendor_id)
    return load_model(ReviewsFile, path)


def atomic_write_text(path: Path, text: str) -> None:
    """Write a file so that a crash leaves the old content or the new, never half of either."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_override(override: Override, vendor_id: str, directory: Path = REVIEWS_DIR) -> ReviewsFile:
    """Record (or replace) the override of one criterion in the vendor's reviews file, atomically."""
    current = load_reviews(vendor_id, directory)
    kept = [o for o in current.overrides if o.criterion != override.criterion]
    updated = ReviewsFile(vendor=vendor_id, overrides=sorted([*kept, override], key=lambda o: o.criterion))
    data = updated.model_dump(mode="json", exclude_none=True)
    atomic_write_text(reviews_path(vendor_id, directory),
                      "# Librarian overrides, applied on every run. Edit with care; keep notes.\n"
                      + yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return updated


def apply_overrides(assessment: Assessment, reviews: ReviewsFile, doc: PolicyDocument, vendor: VendorProfile,
                    checklists: Sequence[LoadedChecklist]) -> Assessment:
    """Set overridden findings' status, keep the automatic status beside it, flag overrides whose evidence changed."""
    by_criterion = {o.criterion: o for o in reviews.overrides}
    if not by_criterion:
        return assessment
    findings: list[Finding] = []
    for f in assessment.findings:
        o = by_criterion.get(f.criterion)
        if o is None:
            findings.append(f)
            continue
        stale = o.evidence_sha256 is not None and o.evidence_sha256 != evidence_sha256(f.evidence)
        findings.append(f.model_copy(update={
            "status": o.status, "confidence": 1.0,
            "override": AppliedOverride(override=o, automatic_status=f.status, stale=stale)}))
    return assemble(doc, vendor, checklists, findings, assessment.document.kind).model_copy(
        update={"inventory": assessment.inventory})
