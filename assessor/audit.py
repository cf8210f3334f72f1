"""The annual audit: what changed in a vendor's policy since a baseline, whether it matters, and the CI gate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .diff import PolicyDiff, diff_documents
from .models import Assessment, Evidence, PolicyDocument, RiskTier, Status

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
