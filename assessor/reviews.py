"""Librarian overrides: one YAML reviews file per vendor, applied on every run, flagged stale when evidence moves."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .loading import LoadError, Problem, line_for, read_yaml, validate_data
from .errors import AssessorError
from .models import AppliedOverride, Finding, Override, is_file_id
from .score import evidence_sha256
from .settings import resolve_settings


class ReviewsFile(BaseModel):
    """The overrides recorded for one vendor."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    vendor: str
    overrides: list[Override] = Field(default_factory=list)


def reviews_dir(directory: Path | None = None) -> Path:
    """The reviews folder: `directory` if given, else the resolved settings' (see `assessor.settings`)."""
    return directory if directory is not None else resolve_settings().reviews


def reviews_path(vendor_id: str, directory: Path | None = None) -> Path:
    """Where a vendor's reviews file lives; AssessorError for a string that is not a vendor id (a path, a Windows
    device name), which must not name a file."""
    if not is_file_id(vendor_id):
        raise AssessorError(f"{vendor_id!r} is not a vendor id (lower-case letters, digits and hyphens)")
    return reviews_dir(directory) / f"{vendor_id}.yaml"


def load_reviews(vendor_id: str, directory: Path | None = None) -> ReviewsFile:
    """A vendor's overrides (none when the file does not exist); LoadError, located, when the file is malformed."""
    path = reviews_path(vendor_id, directory)
    if not path.exists():
        return ReviewsFile(vendor=vendor_id)
    data, lines = read_yaml(path)
    reviews = validate_data(ReviewsFile, data, path, lines)
    problems = reviews_problems(reviews, path, lines)
    if problems:
        raise LoadError(problems)
    return reviews


def reviews_problems(reviews: ReviewsFile, path: Path, lines: dict[tuple[Any, ...], int]) -> list[Problem]:
    """What a valid-looking reviews file may still get wrong, located: it names a vendor other than its file's
    name, or overrides one criterion twice (`load_reviews` refuses both; `assessor validate` reports them)."""
    problems = [Problem(path, line_for(("vendor",), lines), "vendor",
                        f"names vendor {reviews.vendor!r}, expected {path.stem!r} (the file's name)")
                ] if reviews.vendor != path.stem else []
    seen: set[str] = set()
    for i, o in enumerate(reviews.overrides):
        if o.criterion in seen:
            problems.append(Problem(path, line_for(("overrides", i), lines), f"overrides[{i}]",
                                    f"second override of {o.criterion}"))
        seen.add(o.criterion)
    return problems


def save_override(override: Override, vendor_id: str, directory: Path | None = None) -> ReviewsFile:
    """Record (or replace) the override of one criterion in the vendor's reviews file, atomically, under a lock;
    every other override is kept. A malformed file is reported (LoadError) and left untouched. The folder lock
    keeps two writers (a notebook and the CLI) from losing each other's overrides."""
    import yaml  # here, not at import: scoring reads reviews files (through loading), never writes them

    from .fileio import atomic_write_text, folder_lock

    folder = reviews_dir(directory)
    with folder_lock(folder):
        current = load_reviews(vendor_id, folder)
        kept = [o for o in current.overrides if o.criterion != override.criterion]
        updated = ReviewsFile(vendor=vendor_id, overrides=sorted([*kept, override], key=lambda o: o.criterion))
        data = updated.model_dump(mode="json", exclude_none=True)
        atomic_write_text(reviews_path(vendor_id, folder),
                          "# Librarian overrides, applied on every run. Edit with care; keep notes.\n"
                          + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
    return updated


def apply_overrides(automatic: Sequence[Finding], reviews: ReviewsFile) -> tuple[list[Finding], list[str]]:
    """Set overridden findings' status, keep the automatic status beside it, flag overrides whose evidence changed.
    Also returns the notes for the summary: overrides whose criterion is not among the findings."""
    by_criterion = {o.criterion: o for o in reviews.overrides}
    findings: list[Finding] = []
    for f in automatic:
        o = by_criterion.get(f.criterion)
        if o is None:
            findings.append(f)
            continue
        stale = o.evidence_sha256 is not None and o.evidence_sha256 != evidence_sha256(f.evidence)
        rationale = (f"set to {o.status.value} by {o.reviewer} on {o.date.isoformat()} (automatic: {f.status.value}"
                     f"{'; STALE: the evidence has changed since' if stale else ''}): {o.note}")
        findings.append(f.model_copy(update={
            "status": o.status, "confidence": 1.0, "rationale": rationale,
            "override": AppliedOverride(override=o, automatic_status=f.status, stale=stale)}))
    orphans = sorted(set(by_criterion) - {f.criterion for f in automatic})
    # a decision whose criterion is no longer assessed is said, not silently dropped
    return findings, [f"Overrides of criteria not assessed here: {', '.join(orphans)}."] if orphans else []
