"""The report model: everything a report shows, computed once from a review, rendered by every format.

It is the one view of an assessment: the report templates (HTML, Markdown), JSON, CSV and XLSX, the command line's
table and the notebooks' tables all read their rows, labels, order and figures from it. A pure function of its inputs
(the assessment, the parsed document, the checklists and a `generated_at` the caller passes), so the same inputs give
byte-identical reports.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from .. import __version__
from ..errors import AssessorError
from ..concerns import Concern, ConcernsFile, concern_of, shipped_concerns
from ..language import language_warning
from ..loading import LoadedChecklist
from ..models import (
    Assessment, Evidence, Finding, PolicyDocument, RiskTier, Severity, Status, VendorProfile,
)
from ..scales import STATUS_LABELS, TIERS_RISKIEST_FIRST, category_label, tier_rank, topic_label
from ..score import FORMULA
from .excerpt import Segment, highlight

if TYPE_CHECKING:
    from ..pipeline import Review

REPORT_SCHEMA = "assessor-report/1"
SEVERITY_ORDER = tuple(Severity)
ASK_STATUSES = (Status.NOT_MET, Status.NOT_ADDRESSED)
MAX_CONCERNS = 5
SERIOUS = (Severity.CRITICAL, Severity.HIGH)
_CODE = re.compile(r"`([^`]*)`")
_BRACKETED = re.compile(r"\s*\([^()]*\)")
_HTTP = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)


class _View(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s) (safe to link), else None."""
    return url if url and _HTTP.match(url) and not any(c in url for c in "\"'<>` \t\r\n") else None


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
    """A quotation, highlighted within its paragraph, with every rule that quoted it. A passage an earlier finding
    already showed is not shown again: `same_as` names that finding (its `anchor`) and `context` is empty."""

    quote: str
    section: str
    rules: list[str]
    outcome: str | None
    note: str | None
    context: list[Segment]
    same_as: str | None = None
    same_as_anchor: str | None = None


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
    anchor: str
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
    concern: str
    concern_title: str

    @property
    def override_mark(self) -> str:
        """How a table marks a status a librarian set: ` (override)`, ` (override, stale)` when the evidence has
        changed since, or nothing."""
        if self.override is None:
            return ""
        return " (override, stale)" if self.override.stale else " (override)"


class TopicScore(_View):
    """One bar of the per-topic chart."""

    topic: str
    label: str
    score: float | None
    criteria: int


class InventoryQuote(_View):
    """A passage behind an inventory row, and what it says ("collected", "shared with Publishers", "denied"); a
    passage an earlier row already quoted names that row (`same_as`) instead of being quoted again."""

    quote: str
    section: str
    note: str | None
    same_as: str | None = None


class InventoryRow(_View):
    """A kind of data or tracker the policy mentions, with every passage behind it (so each recipient listed is
    backed by the sentence naming it)."""

    label: str
    group: str
    collected: bool
    shared: bool
    recipients: list[str]
    quotes: list[InventoryQuote]


class AskCriterion(_View):
    """A criterion an ask settles."""

    criterion: str
    checklist: str
    anchor: str
    title: str
    severity: Severity
    status: Status
    status_label: str


class AskSource(_View):
    """A framework, law or policy an ask serves, with the sections cited (their explanations in brackets left out)."""

    source: str
    sections: list[str]


class Ask(_View):
    """One question to send the vendor and one clause to request, per concern the policy leaves not met or not
    addressed, citing every criterion behind it and every source (framework, law, library policy) of those."""

    concern: str
    title: str
    severity: Severity
    status: Status
    status_label: str
    question: str
    clause: str
    criteria: list[AskCriterion]
    sources: list[AskSource]


class HistoryPoint(_View):
    """A vendor's score at one stored audit (or at this report)."""

    at: dt.datetime
    score: float
    tier: RiskTier


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
    history: list[HistoryPoint] = []

    def checklist_title(self, checklist_id: str) -> str:
        """A checklist's title (its id when the report does not know it)."""
        return next((c.title for c in self.checklists if c.id == checklist_id), checklist_id)


def _document_view(assessment: Assessment) -> DocumentView:
    ref = assessment.document
    p = ref.provenance
    return DocumentView(kind=ref.kind.value, title=ref.title, source=p.uri, url=safe_url(p.uri),
                        final_url=safe_url(p.final_url), fetched_at=p.fetched_at, sha256=p.sha256,
                        content_type=p.content_type, last_updated=ref.last_updated, offline=p.offline)


Shown = dict[tuple[int, int], tuple[str, str]]


def _evidence_views(f: Finding, document: PolicyDocument | None, shown: Shown, anchor: str) -> list[EvidenceView]:
    """A finding's evidence, one box per passage naming every rule that quoted it (inside its paragraph when the
    document is given, else the bare quote); a passage `shown` under an earlier finding points there instead of
    being shown again."""
    by_span: dict[tuple[int, int], list[Evidence]] = {}
    for e in f.evidence:
        by_span.setdefault((e.start, e.end), []).append(e)
    views = []
    for span, group in by_span.items():
        first = group[0]
        earlier = shown.setdefault(span, (anchor, f.criterion))
        same = None if earlier[0] == anchor else earlier
        views.append(EvidenceView(
            quote=first.quote, section=first.section, rules=list(dict.fromkeys(e.rule for e in group)),
            outcome=first.outcome.value if first.outcome else None,
            note="; ".join(dict.fromkeys(e.note for e in group if e.note)) or None,
            context=[] if same else highlight(document, first) if document else [Segment(text=first.quote, mark=True)],
            same_as=same[1] if same else None, same_as_anchor=same[0] if same else None))
    return views


def _override_view(f: Finding) -> OverrideView | None:
    if f.override is None:
        return None
    o = f.override
    return OverrideView(status=o.override.status, status_label=STATUS_LABELS[o.override.status],
                        automatic_status=o.automatic_status, automatic_label=STATUS_LABELS[o.automatic_status],
                        note=o.override.note, reviewer=o.override.reviewer, date=o.override.date, stale=o.stale)


def short_sources(citations: Iterable[CitationView]) -> list[AskSource]:
    """Citations grouped by source, each section once, without its explanation in brackets."""
    sections: dict[str, list[str]] = {}
    for c in citations:
        cited = sections.setdefault(c.source, [])
        short = _BRACKETED.sub("", c.section or "").strip(" ,;")
        if short and short not in cited:
            cited.append(short)
    return [AskSource(source=s, sections=cited) for s, cited in sections.items()]


def sources_text(sources: Iterable[AskSource]) -> str:
    """Sources on one line: `ALA Guidelines (Retention; Sharing); State law (§ 12)`."""
    return "; ".join(s.source + (f" ({'; '.join(s.sections)})" if s.sections else "") for s in sources)


def _anchor(f: Finding) -> str:
    return f"c-{f.checklist}-{f.criterion}"


def finding_view(f: Finding, document: PolicyDocument | None = None,
                 concerns: ConcernsFile | None = None) -> FindingView:
    """One finding as the report shows it, on its own (the criterion workbench's view of a finding)."""
    return _finding_view(f, concern_of(f, concerns or shipped_concerns()), document, {})


def _finding_view(f: Finding, concern: Concern, document: PolicyDocument | None, shown: Shown) -> FindingView:
    anchor = _anchor(f)
    return FindingView(
        criterion=f.criterion, anchor=anchor, checklist=f.checklist, title=f.title, topic=f.topic.value,
        topic_label=topic_label(f.topic.value), question=f.question,
        severity=f.severity, weight=f.weight, status=f.status, status_label=STATUS_LABELS[f.status],
        confidence=f.confidence, rationale=f.rationale,
        citations=[CitationView(source=c.source, section=c.section, url=safe_url(c.url)) for c in f.citations],
        evidence=_evidence_views(f, document, shown, anchor), override=_override_view(f),
        ask_question=f.remediation.question if f.remediation else "",
        ask_clause=f.remediation.clause if f.remediation else "",
        concern=concern.id, concern_title=concern.title)


def _worst(findings: Sequence[Finding]) -> list[Finding]:
    """The failures a board should hear about, worst first: not met (any severity), then silent critical or high
    ones."""
    worst = [f for f in findings if f.status == Status.NOT_MET]
    worst += [f for f in findings if f.status == Status.NOT_ADDRESSED and f.severity in (Severity.CRITICAL,
                                                                                            Severity.HIGH)]
    return sorted(worst, key=lambda f: (SEVERITY_ORDER.index(f.severity), f.status != Status.NOT_MET))


def _inventory(assessment: Assessment) -> list[InventoryRow]:
    first: dict[tuple[int, int], str] = {}
    rows = []
    for item in assessment.inventory:
        quotes = []
        for e in item.evidence:
            shown = first.setdefault((e.start, e.end), item.label)
            quotes.append(InventoryQuote(quote=e.quote, section=e.section, note=e.note,
                                         same_as=None if shown == item.label else shown))
        rows.append(InventoryRow(label=item.label, group=item.group, collected=item.collected, shared=item.shared,
                                 recipients=list(item.recipients), quotes=quotes))
    return rows


def headline(findings: Sequence[Finding]) -> str:
    """The report's first sentence, from the counts of findings by severity and status, so it never contradicts
    them: "minor" only when no critical or high-severity criterion is unmet or unstated."""
    def count(statuses: Sequence[Status], severities: Sequence[Severity] = SEVERITY_ORDER) -> int:
        return sum(f.status in statuses and f.severity in severities for f in findings)

    def n(k: int, thing: str) -> str:
        return f"{k} {thing}" + ("" if k == 1 else "s")

    broken = count([Status.NOT_MET], [Severity.CRITICAL])
    serious = count(ASK_STATUSES, SERIOUS)
    gaps = count(ASK_STATUSES)
    partial = count([Status.PARTIAL])
    if broken:
        more = serious - broken
        text = (f"The policy breaks {n(broken, 'critical protection')} for patrons"
                + (f" and leaves {n(more, 'more critical or high-severity point')} unmet or unstated" if more else "")
                + ": act before renewing.")
    elif serious:
        text = (f"The policy leaves {n(serious, 'critical or high-severity protection')} for patrons unmet or "
                f"unstated: raise {'it' if serious == 1 else 'them'} with the vendor before renewing.")
    elif gaps:
        text = (f"The policy meets or partly meets every critical and high-severity criterion; the gaps left are "
                f"minor: {n(gaps, 'lower-severity point')} unmet or unstated, to raise with the vendor.")
    elif partial:
        text = (f"The policy addresses every criterion, {n(partial, 'point')} only in part: ask the vendor to close "
                f"{'it' if partial == 1 else 'them'}.")
    else:
        text = "The policy meets every criterion it could be checked against."
    review = count([Status.NEEDS_REVIEW])
    if findings and review == len(findings):  # nothing settled: no verdict to report, not "meets every criterion"
        return (f"No criterion could be checked automatically: {'the one' if review == 1 else f'all {review}'} "
                f"need{'s' if review == 1 else ''} a librarian's review (not scored until then).")
    if review:
        text += f" {review} more need{'s' if review == 1 else ''} a librarian's review (not scored until then)."
    return text


def _asks(findings: Sequence[FindingView], concerns: Mapping[str, Concern | None],
          order: Mapping[str, int]) -> list[Ask]:
    """One ask per concern with a criterion not met or not addressed, worst first."""
    groups: dict[str, list[FindingView]] = {}
    for f in findings:
        if f.status in ASK_STATUSES:
            groups.setdefault(f.concern, []).append(f)
    asks = []
    for concern_id, group in groups.items():
        worst = min(group, key=lambda f: (SEVERITY_ORDER.index(f.severity), ASK_STATUSES.index(f.status)))
        concern = concerns.get(concern_id)
        asks.append(Ask(
            concern=concern_id, title=concern.title if concern else worst.title, severity=worst.severity,
            status=worst.status, status_label=worst.status_label,
            question=concern.question if concern else worst.ask_question,
            clause=concern.clause if concern else worst.ask_clause,
            criteria=[AskCriterion(criterion=f.criterion, checklist=f.checklist, anchor=f.anchor, title=f.title,
                                   severity=f.severity, status=f.status, status_label=f.status_label)
                      for f in group],
            sources=short_sources(c for f in group for c in f.citations)))
    return sorted(asks, key=lambda a: (SEVERITY_ORDER.index(a.severity), ASK_STATUSES.index(a.status),
                                       -len(a.criteria), order.get(a.concern, len(order)), a.concern))


def report_time() -> dt.datetime:
    """The time reports print: `SOURCE_DATE_EPOCH` (reproducible builds) if set, else now; UTC, whole seconds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except ValueError:
            raise AssessorError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def build_vendor_report(assessment: Assessment, document: PolicyDocument | None,
                        checklists: Sequence[LoadedChecklist] = (), *, generated_at: dt.datetime,
                        vendor: VendorProfile | None = None, concerns: ConcernsFile | None = None,
                        history: Sequence[HistoryPoint] = ()) -> VendorReport:
    """The report model of one assessed document; questions grouped by `concerns` (the shipped ones by default);
    `history` is the vendor's score at its stored audits, oldest first (this report's score is added last).
    Without the parsed `document`, evidence is the bare quotes (enough for tables); without `checklists`, checklists
    are named by id."""
    concerns = concerns or shipped_concerns()
    shown: Shown = {}
    findings, concern_by_id = [], {}
    for f in assessment.findings:
        concern = concern_of(f, concerns)
        view = _finding_view(f, concern, document, shown)
        concern_by_id[view.concern] = concern
        findings.append(view)
    topics = sorted((TopicScore(topic=t, label=topic_label(t), score=s,
                                criteria=sum(f.topic.value == t for f in assessment.findings))
                     for t, s in assessment.topic_scores.items()), key=lambda t: (t.label, t.topic))
    asks = _asks(findings, concern_by_id, {c.id: i for i, c in enumerate(concerns.concerns)})
    titles = {c.checklist.id: c.checklist.title for c in checklists}
    worst = _worst(assessment.findings)
    return VendorReport(
        generated_at=generated_at, tool_version=__version__, vendor=assessment.vendor,
        vendor_name=assessment.vendor_name, category=assessment.category.value,
        category_label=category_label(assessment.category),
        products=list(vendor.products) if vendor else [], documents=[_document_view(assessment)],
        tier=assessment.tier, score=assessment.score, summary=assessment.summary,
        headline=" ".join(filter(None, [language_warning(assessment.document.language),
                                          headline(assessment.findings)])),
        concerns=[f"{f.title} ({STATUS_LABELS[f.status].lower()}, {f.severity.value})" for f in worst[:MAX_CONCERNS]],
        more_concerns=max(0, len(worst) - MAX_CONCERNS),
        counts={STATUS_LABELS[s]: sum(f.status == s for f in assessment.findings) for s in Status},
        topics=topics, findings=findings, inventory=_inventory(assessment), asks=asks,
        checklists=[ChecklistView(id=c.id, title=titles.get(c.id, c.id), version=c.version, sha256=c.sha256)
                    for c in assessment.checklists],
        formula=_formula(), formula_steps=_formula_steps(),
        history=[*history, HistoryPoint(at=generated_at, score=assessment.score, tier=assessment.tier)]
        if history else [])


def _formula() -> str:
    """The scoring formula with its list indentation restored (the first line lost it to `strip`)."""
    first, *rest = FORMULA.splitlines()
    return "\n".join([first, *textwrap.dedent("\n".join(rest)).splitlines()])


def _formula_steps() -> list[str]:
    """The formula's list items, each on one line, as plain text (no Markdown backticks)."""
    steps: list[str] = []
    for line in FORMULA.splitlines():
        text = line.strip()
        if text.startswith("- ") or not steps:
            steps.append(text.removeprefix("- "))
        else:
            steps[-1] += " " + text
    return [_CODE.sub(r"\1", step) for step in steps]


def review_report(review: Review, generated_at: dt.datetime, history: Sequence[HistoryPoint] = ()) -> VendorReport:
    """The report model of a pipeline review (with the vendor's score `history`, if any)."""
    return build_vendor_report(review.assessment, review.document, review.checklists, generated_at=generated_at,
                               vendor=review.vendor, history=history)


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
    history: list[HistoryPoint] = []


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
    return tier_rank(report.tier), report.score, report.vendor


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
            changes=list((changes or {}).get(r.vendor, ())), history=r.history))
    topics = [TopicScore(topic=t, label=topic_label(t), score=None,
                         criteria=sum(1 for r in reports for f in r.findings if f.topic == t)) for t in topic_ids]
    return PortfolioReport(
        generated_at=generated_at, tool_version=__version__, topics=topics, rows=rows,
        failures=[PortfolioFailure(vendor=v, message=m) for v, m in sorted((failures or {}).items())],
        tier_counts={t.value: sum(r.tier == t for r in reports) for t in TIERS_RISKIEST_FIRST},
        changes_known=changes is not None)
