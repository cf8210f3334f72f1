"""The annual audit: what changed in a vendor's policy since a baseline, whether it matters, and the CI gate."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .archive import AcceptanceRecord, Archive, AssessmentRecord
from .diff import PolicyDiff, diff_documents
from .errors import AssessorError
from .loading import LoadedChecklist
from .models import Assessment, DocumentKind, Evidence, PolicyDocument, RiskTier, Status, VendorProfile
from .progress import Progress, progress_bar
from .pipeline import assess, primary_document, read_archived, read_document
from .reviews import ReviewsFile, load_reviews
from .scales import STATUS_BADNESS, tier_rank
from .score import evidence_sha256
from .settings import Settings, code_fingerprint, resolve_settings



class FailOn(str, Enum):
    """What makes `assessor check` fail."""

    TIER_INCREASE = "tier-increase"
    NEW_NOT_MET = "new-not-met"
    UNREADABLE = "unreadable"
    UNACCEPTED = "unaccepted"
    ANY_CHANGE = "any-change"


DEFAULT_FAIL_ON = (FailOn.TIER_INCREASE, FailOn.NEW_NOT_MET, FailOn.UNREADABLE, FailOn.UNACCEPTED)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AssessedVersion(_Frozen):
    """One assessed version of a vendor document: when we read it, its text and its assessment."""

    observed_at: dt.datetime
    document: PolicyDocument
    assessment: Assessment
    version_id: int | None = Field(None, description="The archive's version id (`archive.VersionRecord.id`).")


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

    version_id: int
    observed_at: dt.datetime
    sha256: str
    stated_date: dt.date | None = None
    origin: str | None = Field(None, description="Where it came from, when it was first seen in a saved copy.")


class StaleOverride(_Frozen):
    """A librarian's override whose evidence changed since it was made: the decision, and the evidence then and now."""

    criterion: str
    title: str
    status: Status
    automatic_status: Status
    note: str
    reviewer: str
    date: dt.date
    evidence_then: list[Evidence] = Field(default_factory=list,
                                          description="The evidence it was made against (empty: not in the archive).")
    evidence_now: list[Evidence] = Field(default_factory=list)


class Baseline(_Frozen):
    """The stored assessment an audit compares with, who accepted it, and its score as stored then."""

    assessment_id: int
    created_at: dt.datetime
    acceptance: AcceptanceRecord | None = None
    score_stored: float
    tier_stored: RiskTier
    rules_changed: bool = Field(description="Checklists or overrides differ from today's, so it was scored again.")


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
    stale_overrides: list[StaleOverride] = Field(default_factory=list)
    unreachable: str | None = Field(None, description="Why the current document could not be read, if it could not.")
    date_flags: list[str] = Field(default_factory=list)
    baseline: Baseline | None = Field(None, description="The accepted assessment compared with (None: none yet).")
    assessment_id: int | None = Field(None, description="The assessment this run stored.")
    accepted: bool = Field(False, description="This run accepted its assessment as the new baseline.")

    @property
    def tier_increased(self) -> bool:
        """Whether the risk tier went up."""
        return (self.tier_before is not None and self.tier_after is not None
                and tier_rank(self.tier_after) < tier_rank(self.tier_before))

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
            delta = STATUS_BADNESS[sb] - STATUS_BADNESS[sa]
            direction = "worse" if delta > 0 else "better" if delta < 0 else "different"
        out.append(FindingChange(criterion=cid, title=(b or a).title, before=sa, after=sb,  # type: ignore[union-attr]
                                 direction=direction,
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


def stale_overrides(current: Assessment, earlier: Sequence[Assessment] = ()) -> list[StaleOverride]:
    """The overrides of `current` gone stale, each with the evidence it was made against when one of the `earlier`
    assessments (newest first) holds it."""
    out = []
    for f in current.findings:
        if not (f.override and f.override.stale):
            continue
        o = f.override.override
        then = next((g.evidence for a in earlier for g in a.findings
                     if g.criterion == f.criterion and evidence_sha256(g.evidence) == o.evidence_sha256), [])
        out.append(StaleOverride(criterion=f.criterion, title=f.title, status=o.status,
                                 automatic_status=f.override.automatic_status, note=o.note, reviewer=o.reviewer,
                                 date=o.date, evidence_then=then, evidence_now=f.evidence))
    return out


def audit_vendor(baseline: AssessedVersion | None, current: AssessedVersion | None, *,
                 versions: Sequence[VersionSeen] = (), unreachable: str | None = None, vendor: str = "",
                 vendor_name: str = "", earlier: Sequence[Assessment] = ()) -> VendorAudit:
    """Compare the current snapshot of a vendor document with the baseline; stale overrides are shown with the
    evidence they were made against, looked up in the baseline and the `earlier` assessments (newest first)."""
    ref = current or baseline
    vendor = vendor or (ref.assessment.vendor if ref else "")
    vendor_name = vendor_name or (ref.assessment.vendor_name if ref else vendor)
    audit = VendorAudit(vendor=vendor, vendor_name=vendor_name, unreachable=unreachable,
                        baseline_at=baseline.observed_at if baseline else None,
                        current_at=current.observed_at if current else None, versions=list(versions))
    if current is None:
        return audit
    stale = stale_overrides(current.assessment, [*([baseline.assessment] if baseline else []), *earlier])
    update: dict[str, object] = {"score_after": current.assessment.score, "tier_after": current.assessment.tier,
                                 "stale_overrides": stale}
    if baseline is not None:
        diff = diff_documents(baseline.document, current.document)
        update |= {"diff": diff, "changes": compare_findings(baseline.assessment, current.assessment),
                   "score_before": baseline.assessment.score, "tier_before": baseline.assessment.tier,
                   "date_flags": date_flags(baseline.document, current.document, diff)}
    return audit.model_copy(update=update)


def gate_reasons(audits: Iterable[VendorAudit], fail_on: Iterable[FailOn] = DEFAULT_FAIL_ON) -> list[str]:
    """One line per vendor that fails the gate by the chosen measures (empty: the gate passes)."""
    rules = set(fail_on)
    if FailOn.ANY_CHANGE in rules:
        rules |= set(FailOn)
    reasons = []
    for a in audits:
        why = []
        if FailOn.UNREADABLE in rules and a.unreachable:
            why.append(f"could not be read ({a.unreachable})")
        if FailOn.UNACCEPTED in rules and a.baseline_at is None and not a.unreachable and not a.accepted:
            why.append("no accepted assessment to compare with yet")
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
    """A --baseline value: an assessment id, a date, or None for the last accepted assessment."""
    if baseline is None or baseline.isdigit():
        return int(baseline) if baseline else None
    try:
        return dt.date.fromisoformat(baseline)
    except ValueError:
        raise AssessorError(f"--baseline {baseline!r}: give a date (YYYY-MM-DD) or an assessment id") from None


def baseline_record(archive: Archive, vendor: str, kind: str, baseline: str | None,
                    now: dt.datetime) -> tuple[AssessmentRecord | None, AcceptanceRecord | None]:
    """The stored assessment to compare with, and its acceptance: by default the last one accepted as of `now`;
    `--baseline DATE` the last one accepted on or before that date; `--baseline ID` that stored assessment."""
    wanted = parse_baseline(baseline)
    if isinstance(wanted, int):
        record = archive.assessment(wanted)
        if record.vendor != vendor:
            raise AssessorError(f"--baseline {wanted}: assessment {wanted} is of {record.vendor!r}, not {vendor!r}")
        accepted = [a for a in archive.acceptances(vendor, kind) if a.assessment_id == wanted]
        return record, (accepted[-1] if accepted else None)
    until = now if wanted is None else dt.datetime.combine(wanted, dt.time.max, tzinfo=dt.UTC)
    accepted = archive.acceptances(vendor, kind, until=min(until, now))
    return (archive.assessment(accepted[-1].assessment_id), accepted[-1]) if accepted else (None, None)


def assessment_key(doc: PolicyDocument, vendor: VendorProfile, checklists: Sequence[LoadedChecklist],
                   kind: DocumentKind, reviews: ReviewsFile) -> str:
    """A key naming everything an assessment is computed from: the parsed document (its provenance aside), the
    vendor profile, the checklists' hashes, the overrides, and the code."""
    payload = {"document": hashlib.sha256(doc.model_dump_json(exclude={"provenance"}).encode()).hexdigest(),
               "vendor": vendor.model_dump(mode="json"), "kind": kind.value,
               "checklists": [[c.checklist.id, c.sha256] for c in checklists],
               "reviews": reviews.model_dump(mode="json"), "code": code_fingerprint()}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def assess_cached(archive: Archive, doc: PolicyDocument, vendor: VendorProfile,
                  checklists: Sequence[LoadedChecklist], kind: DocumentKind, reviews: ReviewsFile) -> Assessment:
    """`pipeline.assess`, kept in the archive by `assessment_key`: an unchanged text under unchanged checklists,
    overrides and code is not scored again. Only the document's provenance differs between a hit and a fresh run."""
    key = assessment_key(doc, vendor, checklists, kind, reviews)
    cached = archive.cached_assessment(key)
    if cached is not None:
        return cached.model_copy(update={"document": cached.document.model_copy(
            update={"provenance": doc.provenance})})
    assessment = assess(doc, vendor, checklists, kind, reviews)
    archive.cache_assessment(key, assessment)
    return assessment


class Acceptance(_Frozen):
    """Who accepts an audit's assessments as the new baseline, and why."""

    by: str
    note: str


def login_name() -> str:
    """The login name of whoever runs assessor, the default name on an acceptance ("unknown" when the system has
    none, as in some containers)."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def audit_one(vendor: VendorProfile, checklists: Sequence[LoadedChecklist], *, archive: Archive,
              now: dt.datetime, baseline: str | None = None, offline: bool = True,
              settings: Settings | None = None, accept: Acceptance | None = None) -> VendorAudit:
    """Read (or re-read) a vendor's privacy policy, score it, store the assessment (accepted, with `accept`), and
    compare it with the baseline: the last accepted assessment unless `baseline` names another. Local documents
    and reviews are read from the settings' folders."""
    from .fetch import document_source

    settings = settings or resolve_settings()
    spec = primary_document(vendor)
    kind, source = spec.kind.value, document_source(spec)
    reviews = load_reviews(vendor.id, settings.reviews)
    base_rec, acceptance = baseline_record(archive, vendor.id, kind, baseline, now)
    current = current_snap = None
    unreachable = stored_id = None
    try:
        read = read_document(spec, settings, vendor_id=vendor.id, offline=offline, archive=archive,
                             archive_files=True, now=lambda: now, until=now)
        doc, current_snap = read.document, read.snapshot
        assert current_snap is not None  # archive_files: every document read is archived
        assessment = assess_cached(archive, doc, vendor, checklists, spec.kind, reviews)
        stored_id = archive.save_assessment(assessment, kind=kind, created_at=now, snapshot_id=current_snap.id,
                                            version_id=current_snap.version_id, source=source).id
        if accept is not None:
            archive.accept(stored_id, accepted_at=now, accepted_by=accept.by, note=accept.note)
        current = AssessedVersion(observed_at=current_snap.fetched_at, document=doc, assessment=assessment,
                           version_id=current_snap.version_id)
    except AssessorError as exc:
        unreachable = str(exc)
    base_snap = None
    if base_rec is not None and base_rec.snapshot_id is not None:
        snap = archive.snapshot(base_rec.snapshot_id)
        if current is not None and current_snap is not None and current_snap.sha256 == snap.sha256:
            base_doc = current.document.model_copy(update={"provenance": current.document.provenance.model_copy(
                update={"fetched_at": snap.fetched_at, "offline": True})})
        else:
            base_doc = read_archived(archive, snap, spec, offline=True)
        base_snap = AssessedVersion(observed_at=snap.fetched_at, version_id=snap.version_id, document=base_doc,
                             assessment=assess_cached(archive, base_doc, vendor, checklists, spec.kind, reviews))
    since = base_snap.observed_at if base_snap else None
    versions = [VersionSeen(version_id=v.id, observed_at=v.first_seen, sha256=v.text_sha256,
                            stated_date=v.stated_date, origin=v.origin)
                for v in archive.versions(vendor.id, kind, source, since=since, until=now)
                if base_snap is None or v.id != base_snap.version_id]
    earlier = ([r.assessment for r in reversed(archive.assessments(vendor.id, kind))]
               if current and any(f.override and f.override.stale for f in current.assessment.findings) else [])
    audit = audit_vendor(base_snap, current, versions=versions, unreachable=unreachable, vendor=vendor.id,
                         vendor_name=vendor.name, earlier=earlier)
    info = None
    if base_rec is not None:
        today = [(c.checklist.id, c.sha256) for c in checklists]
        then = [(c.id, c.sha256) for c in base_rec.assessment.checklists]
        overrides_then = {f.criterion: f.override.override for f in base_rec.assessment.findings if f.override}
        info = Baseline(assessment_id=base_rec.id, created_at=base_rec.created_at, acceptance=acceptance,
                        score_stored=base_rec.assessment.score, tier_stored=base_rec.assessment.tier,
                        rules_changed=today != then or overrides_then != {o.criterion: o for o in reviews.overrides})
    return audit.model_copy(update={"baseline": info, "assessment_id": stored_id,
                                    "accepted": accept is not None and stored_id is not None})


def run_audit(vendors: Sequence[VendorProfile], checklists_for: Callable[[VendorProfile], Sequence[LoadedChecklist]],
              *, archive: Archive, now: dt.datetime, baseline: str | None = None, offline: bool = True,
              settings: Settings | None = None, accept: Acceptance | None = None,
              progress: Progress = "auto") -> AuditRun:
    """Audit every vendor; one vendor's failure is reported in its entry and never stops the others. With
    `accept`, each assessment read becomes that vendor's accepted baseline (the annual audit); without it (the CI
    gate) nothing a later run compares with changes."""
    wanted = parse_baseline(baseline)
    if isinstance(wanted, int):  # an id names one vendor's stored assessment: a wrong one is said once, not per vendor
        try:
            owner = archive.assessment(wanted).vendor
        except AssessorError as exc:
            raise AssessorError(f"--baseline {wanted}: {exc} (audit.html names each vendor's baseline)") from None
        if any(v.id != owner for v in vendors):
            raise AssessorError(f"--baseline {wanted}: assessment {wanted} is of {owner!r}; name that vendor alone "
                                f"(`assessor audit {owner} --baseline {wanted}`)")
    audits = []
    used: set[str] = set()
    with progress_bar(len(vendors), progress, "auditing", "vendor") as bar:
        for vendor in vendors:
            try:
                checklists = checklists_for(vendor)
                used.update(c.checklist.id for c in checklists)
                audits.append(audit_one(vendor, checklists, archive=archive, now=now, baseline=baseline,
                                        offline=offline, settings=settings, accept=accept))
            except AssessorError as exc:
                audits.append(VendorAudit(vendor=vendor.id, vendor_name=vendor.name, baseline_at=None,
                                          current_at=None, unreachable=str(exc)))
            bar.update(1)
    return AuditRun(run_at=now, baseline=baseline, offline=offline, checklists=sorted(used), vendors=audits)


def accept_latest(archive: Archive, vendor: str, *, by: str, note: str, now: dt.datetime,
                  kind: str = DocumentKind.PRIVACY_POLICY.value) -> tuple[AssessmentRecord, AcceptanceRecord]:
    """Accept a vendor's latest stored assessment (the one the last `check` or `audit` read) as its baseline."""
    records = archive.assessments(vendor, kind, until=now)
    if not records:
        raise AssessorError(f"no stored assessment of {vendor!r} to accept; run `assessor check {vendor}` first")
    return records[-1], archive.accept(records[-1].id, accepted_at=now, accepted_by=by, note=note)


def latest_changes(archive: Archive, vendor_ids: Iterable[str]) -> dict[str, list[str]] | None:
    """Per vendor, what its last stored assessment changed compared with the last accepted one before it (else the
    one before it), for the portfolio page; None when the archive holds no audit at all."""
    out: dict[str, list[str]] = {}
    any_audit = False
    for vendor in vendor_ids:
        records = archive.assessments(vendor, "privacy-policy")
        any_audit = any_audit or bool(records)
        if len(records) < 2:
            out[vendor] = ["first audit"] if records else []
            continue
        accepted = {a.assessment_id for a in archive.acceptances(vendor, "privacy-policy")}
        base = ([r for r in records[:-1] if r.id in accepted] or records[:-1])[-1]
        before, after = base.assessment, records[-1].assessment
        notes = [f"{c.criterion}: {c.before.value if c.before else '-'} -> {c.after.value if c.after else '-'}"
                 for c in compare_findings(before, after)]
        if before.tier != after.tier:
            notes.insert(0, f"risk {before.tier.value} -> {after.tier.value}")
        if base.version_id != records[-1].version_id:
            notes.insert(0, "new policy version")
        out[vendor] = notes or ["no change"]
    return out if any_audit else None
