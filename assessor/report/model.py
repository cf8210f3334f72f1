"""The report model: everything a report shows, computed once from a review, rendered by every format.

A pure function of its inputs (the assessment, the parsed document, the checklists and a `generated_at` the caller
passes), so the same inputs give byte-identical reports.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from .. import __version__
from ..loading import LoadedChecklist
from ..models import (
    Assessment, Criterion, Evidence, Finding, PolicyDocument, RiskTier, Severity, Status, VendorProfile,
)
from ..score import FORMULA
from .excerpt import Segment, highlight

if TYPE_CHECKING:
    from ..pipeline import Review

REPORT_SCHEMA = "assessor-report/1"
STATUS_LABELS = {Status.MET: "Met", Status.PARTIAL: "Partly met", Status.NOT_MET: "Not met",
                 Status.NOT_ADDRESSED: "Not addressed", Status.NEEDS_REVIEW: "Needs review"}
TIER_HEADLINES = {
    RiskTier.LOW: "The policy meets most of what the checklists ask of a library vendor; the gaps left are minor.",
    RiskTier.MODERATE: "The policy meets many of the checklists' expectations but leaves gaps to raise with the "
                       "vendor.",
    RiskTier.HIGH: "The policy leaves important protections for patrons unmet or unstated: raise them with the "
                   "vendor before renewing.",
    RiskTier.CRITICAL: "The policy fails at least one critical protection for patrons, or most of the checklists: "
                       "act before renewing.",
}
CATEGORY_LABELS = {"database": "Database", "econtent": "eContent", "discovery": "Discovery", "ils": "ILS",
                   "other": "Other"}
TIER_ORDER = (RiskTier.CRITICAL, RiskTier.HIGH, RiskTier.MODERATE, RiskTier.LOW)
SEVERITY_ORDER = tuple(Severity)
ASK_STATUSES = (Status.NOT_MET, Status.NOT_ADDRESSED)
MAX_CONCERNS = 5
_HTTP = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)


class _View(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s) (safe to link), else None."""
    return url if url and _HTTP.match(url) and not any(c in url for c in "\"'<>` \t\r\n") else None


TOPIC_LABELS = {
    "first-party-collection": "Data collected", "third-party-sharing": "Sharing with third parties",
    "user-choice": "Patron choice and consent", "user-access": "Access, correction, deletion",
    "data-retention": "Data retention", "data-security": "Security", "policy-change": "Policy changes",
    "do-not-track": "Do Not Track", "specific-audiences": "Children and other audiences",
    "law-enforcement": "Law enforcement requests", "sale-of-data": "Sale of data", "advertising": "Advertising",
    "cookies-tracking": "Cookies and tracking", "breach-notification": "Breach notification",
    "de-identification": "De-identification", "data-ownership": "Data ownership",
    "reading-history": "Reading history",
}


def topic_label(topic: str) -> str:
    """A topic's name for readers: `cookies-tracking` -> `Cookies and tracking` (unknown ones de-slugged)."""
    return TOPIC_LABELS.get(topic, topic.replace("-", " ").capitalize())


class DocumentView(_View):
    """A document assessed and where its text came from."""

    kind: str
    title: str | None
    source: str
    url: str | None
    final_url: str | None
    fetched_at: dt.datetime | None
    sha256: str
    content_type: str
    last_updated: dt.date | None
    offline: bool


class CitationView(_View):
    """Where a criterion comes from."""

    source: str
    section: str | None
    url: str | None


class EvidenceView(_View):
    """A quotation, highlighted within its paragraph."""

    quote: str
    section: str
    rule: str
    outcome: str | None
    note: str | None
    context: list[Segment]


class OverrideView(_View):
    """A librarian's decision, shown as such."""

    status: Status
    status_label: str
    automatic_status: Status
    automatic_label: str
    note: str
    reviewer: str
    date: dt.date
    stale: bool


class FindingView(_View):
    """One criterion as the report shows it."""

    criterion: str
    checklist: str
    title: str
    question: str
    topic: str
    topic_label: str
    severity: Severity
    weight: float
    status: Status
    status_label: str
    confidence: float
    rationale: str
    citations: list[CitationView]
    evidence: list[EvidenceView]
    override: OverrideView | None
    ask_question: str
    ask_clause: str


class TopicScore(_View):
    """One bar of the per-topic chart."""

    topic: str
    label: str
    score: float | None
    criteria: int


class InventoryRow(_View):
    """A kind of data or tracker the policy mentions."""

    label: str
    group: str
    collected: bool
    shared: bool
    recipients: list[str]
    quote: str | None
    section: str | None


class Ask(_View):
    """A question to send the vendor and a clause to request, for a criterion not met or not addressed."""

    criterion: str
    title: str
    severity: Severity
    status: Status
    status_label: str
    question: str
    clause: str


class ChecklistView(_View):
    """A checklist the assessment used."""

    id: str
    title: str
    version: str
    sha256: str


class VendorReport(_View):
    """Everything the per-vendor report shows."""

    report: Literal["vendor"] = "vendor"
    schema_id: str = REPORT_SCHEMA
    generated_at: dt.datetime
    tool_version: str
    vendor: str
    vendor_name: str
    category: str
    category_label: str
    products: list[str]
    documents: list[DocumentView]
    tier: RiskTier
    score: float
    summary: str
    headline: str
    concerns: list[str]
    more_concerns: int
    counts: dict[str, int]
    topics: list[TopicScore]
    findings: list[FindingView]
    inventory: list[InventoryRow]
    asks: list[Ask]
    checklists: list[ChecklistView]
    formula: str
    formula_steps: list[str]


def _document_view(assessment: Assessment) -> DocumentView:
    ref = assessment.document
    p = ref.provenance
    return DocumentView(kind=ref.kind.value, title=ref.title, source=p.uri, url=safe_url(p.uri),
                        final_url=safe_url(p.final_url), fetched_at=p.fetched_at, sha256=p.sha256,
                        content_type=p.content_type, last_updated=ref.last_updated, offline=p.offline)


def _evidence_view(e: Evidence, document: PolicyDocument) -> EvidenceView:
    return EvidenceView(quote=e.quote, section=e.section, rule=e.rule, outcome=e.outcome,
                        note=getattr(e, "note", None), context=highlight(document, e))


def _override_view(f: Finding) -> OverrideView | None:
    if f.override is None:
        return None
    o = f.override
    return OverrideView(status=o.override.status, status_label=STATUS_LABELS[o.override.status],
                        automatic_status=o.automatic_status, automatic_label=STATUS_LABELS[o.automatic_status],
                        note=o.override.note, reviewer=o.override.reviewer, date=o.override.date, stale=o.stale)


def _finding_view(f: Finding, criterion: Criterion | None, document: PolicyDocument) -> FindingView:
    return FindingView(
        criterion=f.criterion, checklist=f.checklist, title=f.title, topic=f.topic.value,
        topic_label=topic_label(f.topic.value), question=criterion.question if criterion else "",
        severity=f.severity, weight=f.weight, status=f.status, status_label=STATUS_LABELS[f.status],
        confidence=f.confidence, rationale=f.rationale,
        citations=[CitationView(source=c.source, section=c.section, url=safe_url(c.url))
                   for c in (criterion.citations if criterion else [])],
        evidence=[_evidence_view(e, document) for e in f.evidence], override=_override_view(f),
        ask_question=criterion.remediation.question if criterion else "",
        ask_clause=criterion.remediation.clause if criterion else "")


def _criteria(checklists: Sequence[LoadedChecklist]) -> dict[tuple[str, str], Criterion]:
    return {(c.checklist.id, k.id): k for c in checklists for k in c.checklist.criteria}


def _worst(findings: Sequence[Finding]) -> list[Finding]:
    """The failures a board should hear about, worst first: not met (any severity), then silent critical or high
    ones."""
    worst = [f for f in findings if f.status == Status.NOT_MET]
    worst += [f for f in findings if f.status == Status.NOT_ADDRESSED and f.severity in (Severity.CRITICAL,
                                                                                            Severity.HIGH)]
    return sorted(worst, key=lambda f: (SEVERITY_ORDER.index(f.severity), f.status != Status.NOT_MET))


def _inventory(assessment: Assessment) -> list[InventoryRow]:
    rows = []
    for item in assessment.inventory:
        first = item.evidence[0] if item.evidence else None
        rows.append(InventoryRow(label=item.label, group=item.group, collected=item.collected, shared=item.shared,
                                 recipients=list(item.recipients), quote=first.quote if first else None,
                                 section=first.section if first else None))
    return rows


def build_vendor_report(assessment: Assessment, document: PolicyDocument, checklists: Sequence[LoadedChecklist],
                        *, generated_at: dt.datetime, vendor: VendorProfile | None = None) -> VendorReport:
    """The report model of one assessed document."""
    criteria = _criteria(checklists)
    findings = [_finding_view(f, criteria.get((f.checklist, f.criterion)), document) for f in assessment.findings]
    topics = sorted((TopicScore(topic=t, label=topic_label(t), score=s,
                                criteria=sum(f.topic.value == t for f in assessment.findings))
                     for t, s in assessment.topic_scores.items()), key=lambda t: (t.label, t.topic))
    asks = sorted((Ask(criterion=f.criterion, title=f.title, severity=f.severity, status=f.status,
                       status_label=f.status_label, question=f.ask_question, clause=f.ask_clause)
                   for f in findings if f.status in ASK_STATUSES),
                  key=lambda a: (SEVERITY_ORDER.index(a.severity), ASK_STATUSES.index(a.status)))
    titles = {c.checklist.id: c.checklist.title for c in checklists}
    worst = _worst(assessment.findings)
    return VendorReport(
        generated_at=generated_at, tool_version=__version__, vendor=assessment.vendor,
        vendor_name=assessment.vendor_name, category=assessment.category.value,
        category_label=CATEGORY_LABELS.get(assessment.category.value, assessment.category.value),
        products=list(vendor.products) if vendor else [], documents=[_document_view(assessment)],
        tier=assessment.tier, score=assessment.score, summary=assessment.summary,
        headline=TIER_HEADLINES[assessment.tier],
        concerns=[f"{f.title} ({STATUS_LABELS[f.status].lower()}, {f.severity.value})" for f in worst[:MAX_CONCERNS]],
        more_concerns=max(0, len(worst) - MAX_CONCERNS),
        counts={STATUS_LABELS[s]: sum(f.status == s for f in assessment.findings) for s in Status},
        topics=topics, findings=findings, inventory=_inventory(assessment), asks=asks,
        checklists=[ChecklistView(id=c.id, title=titles.get(c.id, c.id), version=c.version, sha256=c.sha256)
                    for c in assessment.checklists],
        formula=_formula(), formula_steps=_formula_steps())


def _formula() -> str:
    """The scoring formula with its list indentation restored (the first line lost it to `strip`)."""
    first, *rest = FORMULA.splitlines()
    return "\n".join([first, *textwrap.dedent("\n".join(rest)).splitlines()])


def _formula_steps() -> list[str]:
    """The formula's list items, each on one line."""
    steps: list[str] = []
    for line in FORMULA.splitlines():
        text = line.strip()
        if text.startswith("- ") or not steps:
            steps.append(text.removeprefix("- "))
        else:
            steps[-1] += " " + text
    return steps


def review_report(review: Review, generated_at: dt.datetime) -> VendorReport:
    """The report model of a pipeline review."""
    return build_vendor_report(review.assessment, review.document, review.checklists, generated_at=generated_at,
                               vendor=review.vendor)


# ---------------------------------------------------------------------------------------------------------------
# Portfolio


class PortfolioCell(_View):
    """One vendor's score on one topic."""

    topic: str
    score: float | None


class PortfolioRow(_View):
    """One vendor on the portfolio page."""

    vendor: str
    vendor_name: str
    category: str
    category_label: str
    tier: RiskTier
    score: float
    href: str
    not_met: int
    not_addressed: int
    stale_overrides: int
    cells: list[PortfolioCell]
    changes: list[str]


class PortfolioFailure(_View):
    """A vendor whose report could not be produced, and why."""

    vendor: str
    message: str


class PortfolioReport(_View):
    """All vendors on one page, riskiest first."""

    report: Literal["portfolio"] = "portfolio"
    schema_id: str = REPORT_SCHEMA
    generated_at: dt.datetime
    tool_version: str
    topics: list[TopicScore]
    rows: list[PortfolioRow]
    failures: list[PortfolioFailure]
    tier_counts: dict[str, int]
    changes_known: bool


def risk_key(report: VendorReport) -> tuple[int, float, str]:
    """Sort key: worst tier first, then lowest score, then id."""
    return TIER_ORDER.index(report.tier), report.score, report.vendor


def build_portfolio(reports: Sequence[VendorReport], *, generated_at: dt.datetime,
                    failures: Mapping[str, str] | None = None,
                    changes: Mapping[str, Sequence[str]] | None = None) -> PortfolioReport:
    """The portfolio model: every vendor's report, riskiest first, with a vendors x topics heat map.

    `changes` maps a vendor id to notes on what changed since the last audit (None: no earlier audit known).
    """
    topic_ids = sorted({t.topic for r in reports for t in r.topics}, key=lambda t: (topic_label(t), t))
    rows = []
    for r in sorted(reports, key=risk_key):
        by_topic = {t.topic: t.score for t in r.topics}
        rows.append(PortfolioRow(
            vendor=r.vendor, vendor_name=r.vendor_name, category=r.category, category_label=r.category_label,
            tier=r.tier, score=r.score,
            href=f"{r.vendor}.html", not_met=sum(f.status == Status.NOT_MET for f in r.findings),
            not_addressed=sum(f.status == Status.NOT_ADDRESSED for f in r.findings),
            stale_overrides=sum(bool(f.override and f.override.stale) for f in r.findings),
            cells=[PortfolioCell(topic=t, score=by_topic.get(t)) for t in topic_ids],
            changes=list((changes or {}).get(r.vendor, ()))))
    topics = [TopicScore(topic=t, label=topic_label(t), score=None,
                         criteria=sum(1 for r in reports for f in r.findings if f.topic == t)) for t in topic_ids]
    return PortfolioReport(
        generated_at=generated_at, tool_version=__version__, topics=topics, rows=rows,
        failures=[PortfolioFailure(vendor=v, message=m) for v, m in sorted((failures or {}).items())],
        tier_counts={t.value: sum(r.tier == t for r in reports) for t in TIER_ORDER},
        changes_known=changes is not None)
