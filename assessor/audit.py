"""The annual audit: what changed in a vendor's policy since a baseline, whether it matters, and the CI gate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .archive import Archive, AssessmentRecord
from .diff import PolicyDiff, diff_documents
from .errors import AssessorError
from .loading import LoadedChecklist
from .models import Assessment, Evidence, PolicyDocument, RiskTier, Status, VendorProfile
from .pipeline import assess, primary_document
from .reviews import ReviewsFile, load_reviews
from .settings import Settings, resolve_settings

_BADNESS = {Status.MET: 0, Status.PARTIAL: 1, Status.NEEDS_REVIEW: 1, Status.NOT_ADDRESSED: 2, Status.NOT_MET: 3}
_TIER_ORDER = [RiskTier.LOW, RiskTier.MODERATE, RiskTier.HIGH, RiskTier.CRITICAL]


class FailOn(str, Enum):
    """What makes `assessor check` fail."""

    TIER_INCREASE = "tier-increase"
    NEW_NOT_MET = "new-not-met"
    ANY_CHANGE = "any-change"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Snapshot(_Frozen):
    """One assessed version of a vendor document: when we read it, its text and its assessment."""

    observed_at: dt.datetime
    document: PolicyDocument
    assessment: Assessment
    version_id: str | None = None


class FindingChange(_Frozen):
    """A criterion whose status differs between the baseline and now, with the evidence on both sides."""

    criterion: str
    title: str
    before: Status | None
    after: Status | None
    direction: Literal["worse", "better", "different"]
    evidence_before: list[Evidence] = Field(default_factory=list)
    evidence_after: list[Evidence] = Field(default_factory=list)


class VersionSeen(_Frozen):
    """A version of the document observed between the baseline and now."""

    version_id: str
    observed_at: dt.datetime
    sha256: str
    stated_date: dt.date | None = None


class VendorAudit(_Frozen):
    """Everything the audit says about one vendor document."""

    vendor: str
    vendor_name: str
    baseline_at: dt.datetime | None
    current_at: dt.datetime | None
    versions: list[VersionSeen] = Field(default_factory=list)
    diff: PolicyDiff | None = None
    changes: list[FindingChange] = Field(default_factory=list)
    score_before: float | None = None
    score_after: float | None = None
    tier_before: RiskTier | None = None
    tier_after: RiskTier | None = None
    stale_overrides: list[str] = Field(default_factory=list)
    unreachable: str | None = Field(None, description="Why the current document could not be read, if it could not.")
    date_flags: list[str] = Field(default_factory=list)

    @property
    def tier_increased(self) -> bool:
        """Whether the risk tier went up."""
        return (self.tier_before is not None and self.tier_after is not None
                and _TIER_ORDER.index(self.tier_after) > _TIER_ORDER.index(self.tier_before))

    @property
    def new_not_met(self) -> list[FindingChange]:
        """Findings that are not met now and were not at the baseline."""
        return [c for c in self.changes if c.after == Status.NOT_MET]

    @property
    def text_changed(self) -> bool:
        """Whether the policy text changed substantively."""
        return self.diff is not None and self.diff.changed


def compare_findings(before: Assessment, after: Assessment) -> list[FindingChange]:
    """Criteria whose (possibly overridden) status changed, in the new assessment's order."""
    old = {f.criterion: f for f in before.findings}
    new = {f.criterion: f for f in after.findings}
    out: list[FindingChange] = []
    for cid in [*new, *(c for c in old if c not in new)]:
        a, b = old.get(cid), new.get(cid)
        sa, sb = (a.status if a else None), (b.status if b else None)
        if sa == sb:
            continue
        if sa is None or sb is None:
            direction = "worse" if sb == Status.NOT_MET else "different"
        else:
            delta = _BADNESS[sb] - _BADNESS[sa]
            direction = "worse" if delta > 0 else "better" if delta < 0 else "different"
        out.append(FindingChange(criterion=cid, title=(b or a).title, before=sa, after=sb,  # type: ignore[union-attr]
                                 direction=direction,  # type: ignore[arg-type]
                                 evidence_before=a.evidence if a else [], evidence_after=b.evidence if b else []))
    return out


def date_flags(before: PolicyDocument, after: PolicyDocument, diff: PolicyDiff) -> list[str]:
    """Disagreements between the date the vendor states and what we observed."""
    flags = []
    if diff.changed and after.last_updated is not None and after.last_updated == before.last_updated:
        flags.append(f"the text changed but the stated 'last updated' date is still {after.last_updated}")
    if diff.changed and after.last_updated is None and before.last_updated is not None:
        flags.append("the text changed and the policy no longer states a 'last updated' date")
    if (after.last_updated and before.last_updated and after.last_updated < before.last_updated):
        flags.append(f"the stated date went backwards ({before.last_updated} -> {after.last_updated})")
    return flags


def audit_vendor(baseline: Snapshot | None, current: Snapshot | None, *, versions: Sequence[VersionSeen] = (),
                 unreachable: str | None = None, vendor: str = "", vendor_name: str = "") -> VendorAudit:
    """Compare the current snapshot of a vendor document with the baseline."""
    ref = current or baseline
    vendor = vendor or (ref.assessment.vendor if ref else "")
    vendor_name = vendor_name or (ref.assessment.vendor_name if ref else vendor)
    audit = VendorAudit(vendor=vendor, vendor_name=vendor_name, unreachable=unreachable,
                        baseline_at=baseline.observed_at if baseline else None,
                        current_at=current.observed_at if current else None, versions=list(versions))
    if current is None:
        return audit
    stale = [f.criterion for f in current.assessment.findings if f.override and f.override.stale]
    update: dict[str, object] = {"score_after": current.assessment.score, "tier_after": current.assessment.tier,
                                 "stale_overrides": stale}
    if baseline is not None:
        diff = diff_documents(baseline.document, current.document)
        update |= {"diff": diff, "changes": compare_findings(baseline.assessment, current.assessment),
                   "score_before": baseline.assessment.score, "tier_before": baseline.assessment.tier,
                   "date_flags": date_flags(baseline.document, current.document, diff)}
    return audit.model_copy(update=update)


def gate_reasons(audits: Iterable[VendorAudit], fail_on: Iterable[FailOn]) -> list[str]:
    """One line per vendor whose policy got worse by the chosen measures (empty: the gate passes)."""
    rules = set(fail_on)
    reasons = []
    for a in audits:
        why = []
        if FailOn.ANY_CHANGE in rules and a.unreachable:
            why.append(f"document unreachable ({a.unreachable})")
        if FailOn.TIER_INCREASE in rules and a.tier_increased:
            why.append(f"risk tier rose from {a.tier_before.value} to {a.tier_after.value}")  # type: ignore[union-attr]
        if FailOn.NEW_NOT_MET in rules and a.new_not_met:
            why.append("newly not met: " + ", ".join(c.criterion for c in a.new_not_met))
        if FailOn.ANY_CHANGE in rules and (a.text_changed or a.changes):
            why.append(f"policy changed ({len(a.diff.sections) if a.diff else 0} section(s), "
                       f"{len(a.changes)} finding(s))")
        if why:
            reasons.append(f"{a.vendor}: " + "; ".join(why))
    return reasons


# ---------------------------------------------------------------------------------------------------------------
# Running an audit against the archive


class AuditRun(_Frozen):
    """One audit: when it ran, against which baseline, and what it found per vendor."""

    run_at: dt.datetime
    baseline: str | None = Field(None, description="The --baseline asked for (a date or an assessment id).")
    offline: bool = True
    checklists: list[str] = Field(default_factory=list)
    vendors: list[VendorAudit] = Field(default_factory=list)


def parse_baseline(baseline: str | None) -> int | dt.date | None:
    """A --baseline value: an assessment id, a date, or None for the previous audit."""
    if baseline is None or baseline.isdigit():
        return int(baseline) if baseline else None
    try:
        return dt.date.fromisoformat(baseline)
    except ValueError:
        raise AssessorError(f"--baseline {baseline!r}: give a date (YYYY-MM-DD) or an assessment id") from None


def _baseline_record(records: Sequence[AssessmentRecord], baseline: str | None,
                     before: dt.datetime) -> AssessmentRecord | None:
    """The stored assessment to compare with: by id, as of a date, or else the latest one before this run."""
    wanted = parse_baseline(baseline)
    if wanted is None:
        earlier = [r for r in records if r.created_at < before]
        return earlier[-1] if earlier else None
    if isinstance(wanted, int):
        return next((r for r in records if r.id == wanted), None)
    until = dt.datetime.combine(wanted, dt.time.max, tzinfo=dt.timezone.utc)
    earlier = [r for r in records if r.created_at <= until]
    return earlier[-1] if earlier else None


def _rescore(snapshot: Snapshot, vendor: VendorProfile, checklists: Sequence[LoadedChecklist],
             reviews: ReviewsFile) -> Snapshot:
    """The baseline text scored with today's checklists, so that status changes come from the text, not the rules."""
    assessment = assess(snapshot.document, vendor, checklists, snapshot.assessment.document.kind, reviews)
    return snapshot.model_copy(update={"assessment": assessment})


def audit_one(vendor: VendorProfile, checklists: Sequence[LoadedChecklist], *, archive: Archive,
              now: dt.datetime, baseline: str | None = None, offline: bool = True,
              settings: Settings | None = None) -> VendorAudit:
    """Read (or re-read) a vendor's privacy policy, score it, store the assessment, and compare with the baseline.
    Local documents and reviews are read from the settings' folders."""
    from .fetch import archived_document, document_source, fetch_document

    settings = settings or resolve_settings()
    spec = primary_document(vendor)
    kind, source = spec.kind.value, document_source(spec)
    reviews = load_reviews(vendor.id, settings.reviews)
    records = archive.assessments(vendor.id, kind)
    base_rec = _baseline_record(records, baseline, now)
    base_snap = None
    if base_rec is not None and base_rec.snapshot_id is not None:
        snap = archive.snapshot(base_rec.snapshot_id)
        base_snap = _rescore(Snapshot(observed_at=snap.fetched_at, version_id=str(snap.version_id),
                                      document=archived_document(archive, snap, spec, offline=True),
                                      assessment=base_rec.assessment), vendor, checklists, reviews)
    current = None
    unreachable = None
    try:
        if spec.path is not None or not offline:
            fetched = fetch_document(vendor.id, spec, archive=archive, now=lambda: now,
                                     base_dir=settings.vendors)
            snap = fetched.snapshot
            assert snap is not None
            doc = fetched.document or archived_document(archive, snap, spec, offline=False)
        else:
            snap = archive.latest_snapshot(vendor.id, kind, source)
            if snap is None:
                raise AssessorError(f"{source}: never archived; run `assessor fetch {vendor.id}`")
            doc = archived_document(archive, snap, spec, offline=True)
        assessment = assess(doc, vendor, checklists, spec.kind, reviews)
        archive.save_assessment(assessment, kind=kind, created_at=now, snapshot_id=snap.id,
                                version_id=snap.version_id, source=source)
        current = Snapshot(observed_at=snap.fetched_at, document=doc, assessment=assessment,
                           version_id=str(snap.version_id))
    except AssessorError as exc:
        unreachable = str(exc)
    since = base_snap.observed_at if base_snap else None
    versions = [VersionSeen(version_id=str(v.id), observed_at=v.first_seen, sha256=v.text_sha256,
                            stated_date=v.stated_date)
                for v in archive.versions(vendor.id, kind, source, since=since)
                if base_snap is None or str(v.id) != base_snap.version_id]
    return audit_vendor(base_snap, current, versions=versions, unreachable=unreachable, vendor=vendor.id,
                        vendor_name=vendor.name)


def run_audit(vendors: Sequence[VendorProfile], checklists_for: Callable[[VendorProfile], Sequence[LoadedChecklist]],
              *, archive: Archive, now: dt.datetime, baseline: str | None = None, offline: bool = True,
              settings: Settings | None = None) -> AuditRun:
    """Audit every vendor; one vendor's failure is reported in its entry and never stops the others."""
    from tqdm.auto import tqdm

    parse_baseline(baseline)
    audits = []
    used: set[str] = set()
    for vendor in tqdm(vendors, desc="auditing", unit="vendor", disable=len(vendors) < 2, leave=False):
        try:
            checklists = checklists_for(vendor)
            used.update(c.checklist.id for c in checklists)
            audits.append(audit_one(vendor, checklists, archive=archive, now=now, baseline=baseline,
                                    offline=offline, settings=settings))
        except AssessorError as exc:
            audits.append(VendorAudit(vendor=vendor.id, vendor_name=vendor.name, baseline_at=None, current_at=None,
                                      unreachable=str(exc)))
    return AuditRun(run_at=now, baseline=baseline, offline=offline, checklists=sorted(used), vendors=audits)


def latest_changes(archive: Archive, vendor_ids: Iterable[str]) -> dict[str, list[str]] | None:
    """Per vendor, what its last stored audit changed compared with the one before (for the portfolio page);
    None when the archive holds no audit at all."""
    out: dict[str, list[str]] = {}
    any_audit = False
    for vendor in vendor_ids:
        records = archive.assessments(vendor, "privacy-policy")
        any_audit = any_audit or bool(records)
        if len(records) < 2:
            out[vendor] = ["first audit"] if records else []
            continue
        before, after = records[-2].assessment, records[-1].assessment
        notes = [f"{c.criterion}: {c.before.value if c.before else '-'} -> {c.after.value if c.after else '-'}"
                 for c in compare_findings(before, after)]
        if before.tier != after.tier:
            notes.insert(0, f"risk {before.tier.value} -> {after.tier.value}")
        if records[-2].version_id != records[-1].version_id:
            notes.insert(0, "new policy version")
        out[vendor] = notes or ["no change"]
    return out if any_audit else None
