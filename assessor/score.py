"""Criteria applied to a document: findings with evidence, and the scoring formula in one place.

Scoring formula (shown in every report):
  - each finding earns points by status: met 1.0, partial 0.5, not_addressed 0.25 (silence is a risk), not_met 0;
    needs_review also earns 0.25 until a librarian settles it (an override), so wording the tool cannot settle,
    or a contract term nobody has checked, never scores better than silence;
  - a finding's weight is the criterion's `weight` times its severity factor
    (critical 5, high 3, medium 2, low 1, info 0);
  - a score (overall, or per topic) is 100 x sum(weight x points) / sum(weight), rounded to one decimal; a topic
    with nothing scorable has no score, and an assessment with nothing scorable scores 0 (risk is not assumed away);
  - the tier follows the score: >= 80 low, >= 60 moderate, >= 40 high, else critical; but one `critical` criterion
    not met makes the tier critical, and one `high` criterion not met makes it at least high.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property, reduce
from operator import or_

from pydantic import BaseModel, ConfigDict, Field

from . import __version__
from .classify import document_topics, forget_contexts, lead_ins
from .cues import CueText, WordIndex, cue_text, folded, positions, preload
from .inventory import inventory
from .language import language_warning, review_non_english
from .loading import LoadedChecklist, load_data, package_data
from .models import (
    Assessment, ChecklistRef, Criterion, DocumentKind, DocumentRef, Evidence, Finding, InventoryItem, Paragraph,
    PolicyDocument, RiskTier, Rule, Severity, Status, Topic, VendorCategory, VendorProfile,
)
from .rules import (
    GATED, Match, Passage, carve_outs, consent_kind, enumeration_reading, forget_splits, hedges, is_negated,
    joined_domains, match_rule, passages, read_with_heading, retention_kind,
)
from .scales import score_tier
from .settings import cache_dir

POINTS = {Status.MET: 1.0, Status.PARTIAL: 0.5, Status.NOT_ADDRESSED: 0.25, Status.NEEDS_REVIEW: 0.25,
          Status.NOT_MET: 0.0}
SEVERITY_FACTOR = {Severity.CRITICAL: 5.0, Severity.HIGH: 3.0, Severity.MEDIUM: 2.0, Severity.LOW: 1.0,
                   Severity.INFO: 0.0}
FORMULA = __doc__.split("Scoring formula (shown in every report):\n", 1)[1].strip()
_WORST_FIRST = (Status.NOT_MET, Status.PARTIAL, Status.MET, Status.NEEDS_REVIEW)
MAX_EVIDENCE = 5
UNSETTLED = 0.3  # the confidence of a needs_review finding on wording no rule settles: it is no verdict
MAX_TOPIC_EVIDENCE = 3


class Calibration(BaseModel):
    """`assessor/data/calibration.yaml`: how often each verdict was right on the development data."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    measured: str
    met: float = Field(ge=0, le=1)
    partial: float = Field(ge=0, le=1)
    not_met: float = Field(ge=0, le=1)
    not_addressed: float = Field(ge=0, le=1)

    def of(self, status: Status) -> float:
        """The measured rate for a verdict."""
        return float(getattr(self, status.value))


CALIBRATION_FILE = "calibration.yaml"


@cache
def calibration() -> Calibration:
    """The calibration shipped with the package."""
    return load_data(Calibration, package_data(CALIBRATION_FILE))


@dataclass(frozen=True)
class _Scoped:
    """The passages of one scope of a document's paragraphs that are no heading, in order, with the words of their
    readings."""

    passages: list[Passage]
    index: WordIndex
    on_topic: dict[Topic, int]  # the passages of the paragraphs on each topic

    @property
    def every(self) -> int:
        """All the passages (as bits)."""
        return self.index.every


@dataclass(frozen=True)
class Reading:
    """What every criterion reads a document with, worked out once per document: each paragraph's topics, the
    sentence introducing a list item, how a paragraph's first sentence reads with its heading, and the paragraphs
    whose last sentence introduces a list (that sentence is read with each item, not alone: 'We release records
    only when:' says nothing until its items say when), and the items of inline enumerations as read. A
    paragraph's passages, and what a pattern finds in a text, are worked out once, however many criteria ask."""

    paragraphs: Sequence[Paragraph]
    topics: Mapping[int, set[Topic]]
    leads: Mapping[int, str]
    answers: Mapping[int, tuple[str, str]]
    introductions: Mapping[int, str]
    enumerations: Mapping[int, str]
    _passages: dict[tuple[int, str], list[Passage]] = field(default_factory=dict)
    _firing: dict[tuple[tuple[str, ...], tuple[str, ...], str, tuple[Topic, ...]], list[Passage]] = field(
        default_factory=dict)
    _scopes: dict[str, _Scoped] = field(default_factory=dict)

    @cached_property
    def index(self) -> WordIndex:
        """The words of every paragraph's own text (see `text`), for `speaking`."""
        return WordIndex([self.text(p) for p in self.paragraphs])

    @cached_property
    def on_topic(self) -> dict[Topic, int]:
        """The paragraphs on each topic (as `WordIndex` bits)."""
        found: dict[Topic, int] = {}
        for position, paragraph in enumerate(self.paragraphs):
            for topic in self.topics.get(paragraph.index, ()):
                found[topic] = found.get(topic, 0) | 1 << position
        return found

    def speaking(self, criterion: Criterion) -> list[Paragraph]:
        """The paragraphs (in order) on the criterion's topic whose own text uses one of its rules' key terms (`any`
        patterns) in wording that rule does not set aside (its `none` patterns say what is not about the criterion:
        'stored in cookies' is no retention practice)."""
        index, among, found = self.index, self.on_topic.get(criterion.topic, 0), 0
        for rule in criterion.rules:
            uses = 0  # of the paragraphs no earlier rule speaks to
            for pattern in rule.any:
                uses |= index.matches(folded(pattern), among & ~found & ~uses)
            for pattern in rule.none:
                uses &= ~index.matches(folded(pattern), uses)
            found |= uses
        return [self.paragraphs[i] for i in positions(found)]

    def may_fire(self, rule: Rule) -> list[Passage]:
        """The passages (in order) that `match_rule` tries the rule on: of a paragraph that is no heading, on one of
        the rule's topics (when it names some), where one of its `any` patterns and each of its `all` patterns match
        the passage's reading (`rules._hit` asks `all` of the passage, or of a window of it with `within`). Worked out
        once for the rules with the same patterns, scope and topics, with a word index of the readings: a pattern is
        tried on the passages where its words occur, an `any` pattern only where the words of each `all` one do too."""
        key = (tuple(rule.any), tuple(rule.all), rule.scope, tuple(rule.topics))
        if (found := self._firing.get(key)) is None:
            found = self._firing[key] = self._may_fire(rule)
        return found

    def _may_fire(self, rule: Rule) -> list[Passage]:
        scoped = self._scoped(rule.scope)
        read = scoped.every  # the passages of paragraphs on the rule's topics
        if rule.topics:
            read = reduce(or_, (scoped.on_topic.get(t, 0) for t in rule.topics))
        for pattern in rule.all:  # told from the words: only where each `all` pattern may match
            read = scoped.index.possible(folded(pattern), read) if read else 0
        found = 0  # pattern by pattern: one not yet matched
        for pattern in rule.any:
            found |= scoped.index.matches(folded(pattern), read & ~found)
        for pattern in rule.all:
            found = scoped.index.matches(folded(pattern), found) if found else 0
        return [scoped.passages[i] for i in positions(found)]

    def _scoped(self, scope: str) -> _Scoped:
        """The passages of this scope of every paragraph that is no heading (see `passages`), indexed."""
        if (found := self._scopes.get(scope)) is None:
            read: list[Passage] = []
            on_topic: dict[Topic, int] = {}
            for position, paragraph in enumerate(self.paragraphs):
                if paragraph.kind == "heading":
                    continue
                these = self.passages(position, scope)
                bits = ((1 << len(these)) - 1) << len(read)
                for topic in self.topics.get(paragraph.index, ()):
                    on_topic[topic] = on_topic.get(topic, 0) | bits
                read.extend(these)
            found = self._scopes[scope] = _Scoped(read, WordIndex([cue_text(p.reading) for p in read]), on_topic)
        return found

    def passages(self, position: int, scope: str) -> list[Passage]:
        """The passages of the paragraph at a position that a rule of this scope reads (`rules.passages`, with the
        paragraph's lead-in): the first sentence under a heading read with it, a sentence introducing a list left
        out (it is read with each item)."""
        if (found := self._passages.get((position, scope))) is None:
            found = self._passages[position, scope] = list(self._passages_of(self.paragraphs[position], scope))
        return found

    def _passages_of(self, paragraph: Paragraph, scope: str) -> Iterator[Passage]:
        answer, resolved = self.answers.get(paragraph.index, ("", ""))
        introduction = self.introductions.get(paragraph.index, "")
        for i, passage in enumerate(passages(paragraph, scope, self.leads.get(paragraph.index, ""), answer)):
            if introduction and scope == "sentence" and passage.text.strip() == introduction.strip():
                continue
            if i == 0 and (answer or resolved):  # the first sentence under a heading is read with it
                passage = replace(passage, lead=answer or passage.lead, resolved=resolved)
            yield passage

    def text(self, paragraph: Paragraph) -> CueText:
        """A paragraph's own text, as rules read it (domain names run together)."""
        return cue_text(joined_domains(paragraph.text))


def forget_texts() -> None:
    """Forget what was worked out about the texts read so far (a benchmark times each reading as a first one)."""
    for remembered in (cue_text, is_negated, carve_outs, hedges, consent_kind, retention_kind, joined_domains):
        remembered.cache_clear()
    forget_splits()
    forget_contexts()


def read(doc: PolicyDocument) -> Reading:
    """The document's reading, for `evaluate`."""
    leads = lead_ins(doc)
    introductions = {doc.paragraphs[i - 1].index: lead for i, lead in leads.items()
                     if i > 0 and doc.paragraphs[i - 1].kind != "li" and i - 1 not in leads}
    enumerations = {p.index: items for p in doc.paragraphs if (items := enumeration_reading(p))}
    return Reading(doc.paragraphs, document_topics(doc), leads, heading_readings(doc), introductions, enumerations)


def evaluate(criterion: Criterion, doc: PolicyDocument, reading: Reading | None = None,
             ) -> tuple[Status, float, list[Evidence], str]:
    """Status, confidence, evidence and a one-line rationale for one criterion on one document.

    No rule firing gives `needs_review` when a paragraph on the criterion's topic uses a rule's key terms (its `any`
    patterns) in a way no rule settles (we could not tell), those paragraphs being the evidence under the rule name
    `topic:<topic>`; else `not_addressed` (the policy is silent on the point).

    Confidence is calibrated: how often that verdict was right on the development data (`data/calibration.yaml`,
    measured by the benchmarks it names); an unsettled topic gives 0.3 and a manual criterion without evidence 0,
    as neither is a verdict.
    """
    reading = read(doc) if reading is None else reading
    matches: list[Match] = []
    for rule in criterion.rules:
        matches.extend(m for passage in reading.may_fire(rule) if (m := match_rule(rule, passage)))
    if any(m.rule.yields_to_met for m in matches):
        met_in = {m.passage.paragraph.index for m in matches if m.outcome == Status.MET}
        matches = [m for m in matches if not (m.rule.yields_to_met and m.passage.paragraph.index in met_in)]
    if not matches:
        return _unmatched(criterion, doc, reading)
    matches.sort(key=lambda m: (_WORST_FIRST.index(m.outcome), m.passage.start, m.rule.id))
    evidence = [Evidence(quote=m.passage.text, section=" > ".join(m.passage.paragraph.section),
                         start=m.passage.start, end=m.passage.end, paragraph=m.passage.paragraph.index,
                         rule=m.rule.id, outcome=m.outcome,
                         note="; ".join(filter(None, [m.note, f"read with its lead-in {m.passage.lead!r}"
                                                      if m.passage.lead else None])) or None)
                for m in matches[:MAX_EVIDENCE]]
    outcomes = {m.outcome for m in matches}
    status = next(s for s in _WORST_FIRST if s in outcomes)
    if criterion.mixed == "partial" and status == Status.NOT_MET and outcomes & {Status.MET, Status.PARTIAL}:
        status = Status.PARTIAL
    conflicting = len(outcomes - {Status.NEEDS_REVIEW}) > 1
    confidence = calibration().of(status) if status != Status.NEEDS_REVIEW else UNSETTLED
    rules_fired = ", ".join(sorted({m.rule.id for m in matches}))
    disagreement = ("; they disagree: offered in part, undercut elsewhere" if criterion.mixed == "partial"
                    else "; they disagree, the worst counts")
    rationale = f"{len(matches)} passage(s) matched ({rules_fired})" + (disagreement if conflicting else "")
    return status, round(confidence, 2), evidence, rationale


def _unmatched(criterion: Criterion, doc: PolicyDocument, reading: Reading,
               ) -> tuple[Status, float, list[Evidence], str]:
    if criterion.manual:
        return Status.NEEDS_REVIEW, 0.0, [], "cannot be settled from this document: ask for the contract"
    on_topic = reading.speaking(criterion)
    if not on_topic:
        return (Status.NOT_ADDRESSED, calibration().of(Status.NOT_ADDRESSED), [],
                "the document says nothing the criterion's rules look for")
    evidence = [Evidence(quote=p.text, section=" > ".join(p.section), start=p.start, end=p.end, paragraph=p.index,
                         rule=f"topic:{criterion.topic.value}", outcome="needs_review",
                         note="on the criterion's topic and terms; no rule settled what it says")
                for p in on_topic[:MAX_TOPIC_EVIDENCE]]
    return (Status.NEEDS_REVIEW, UNSETTLED, evidence,
            f"{len(on_topic)} paragraph(s) on {criterion.topic.value} use the criterion's terms, but no rule "
            "settled what they say")


def heading_readings(doc: PolicyDocument) -> dict[int, tuple[str, str]]:
    """For the first paragraph under a heading, how its first sentence is read with it (`rules.read_with_heading`):
    a statement to read it after ('We do not sell your data.' for an answer 'No' to 'Do we sell your data?'), or
    the sentence resolved with the heading's words ('We do not do targeted advertising' for 'We do not do it')."""
    out: dict[int, tuple[str, str]] = {}
    previous: Paragraph | None = None
    for p in doc.paragraphs:
        if p.kind != "heading" and p.section and (previous is None or previous.kind == "heading"):
            if any(reading := read_with_heading(p.section[-1], p.text)):
                out[p.index] = reading
        previous = p
    return out


def applies(criterion: Criterion, category: VendorCategory, kind: DocumentKind) -> bool:
    """Whether a criterion applies to this kind of vendor and document."""
    return ((not criterion.applies_to or category in criterion.applies_to)
            and (not criterion.documents or kind in criterion.documents))


def checklist_category(checklists: Sequence[LoadedChecklist], requested: VendorCategory | None = None,
                       ) -> tuple[VendorCategory, list[str]]:
    """The vendor category to score with, and a one-line warning per checklist none of whose own criteria apply.

    With no category requested, the one that the checklists' category-specific criteria name (`econtent` for
    `ala-econtent`; the most named one when several are) is used, else `other`; a requested category that leaves a
    checklist with nothing to apply is kept, with a warning, never a silent drop."""
    named = Counter(cat for loaded in checklists for c in loaded.checklist.criteria for cat in c.applies_to)
    most = sorted(named.items(), key=lambda kv: (-kv[1], kv[0].value))
    category = requested or (most[0][0] if most else VendorCategory.OTHER)
    warnings = []
    for loaded in checklists:
        own = loaded.checklist.criteria
        if own and not any(not c.applies_to or category in c.applies_to for c in own):
            wanted = sorted({cat.value for c in own for cat in c.applies_to})
            warnings.append(f"{loaded.checklist.id}: none of its {len(own)} criteria apply to category "
                            f"{category.value!r}; it is meant for {', '.join(wanted)} (use --category)")
    return category, warnings


def evidence_sha256(evidence: Iterable[Evidence]) -> str:
    """A hash of the quoted evidence, to tell when an override was made against other text."""
    return hashlib.sha256("\n".join(e.quote for e in evidence).encode()).hexdigest()


def weighted_score(findings: Sequence[Finding]) -> float | None:
    """The formula above over a set of findings; None when nothing in it can be scored."""
    total = earned = 0.0
    for f in findings:
        if f.status not in POINTS:
            continue
        w = f.weight * SEVERITY_FACTOR[f.severity]
        total += w
        earned += w * POINTS[f.status]
    return round(100.0 * earned / total, 1) if total else None


def tier_for(score: float, findings: Sequence[Finding]) -> RiskTier:
    """Risk tier from the score, capped by critical and high failures."""
    tier = score_tier(score)
    failed = {f.severity for f in findings if f.status == Status.NOT_MET}
    if Severity.CRITICAL in failed:
        return RiskTier.CRITICAL
    if Severity.HIGH in failed and tier in (RiskTier.LOW, RiskTier.MODERATE):
        return RiskTier.HIGH
    return tier


def summarize(score: float, tier: RiskTier, findings: Sequence[Finding]) -> str:
    """A plain-language sentence for the report's first lines."""
    count = {s: sum(f.status == s for f in findings) for s in Status}
    overridden = [f.override for f in findings if f.override]
    stale = sum(o.stale for o in overridden)
    return (f"Risk {tier.value} (score {score:g}/100): {count[Status.MET]} criteria met, "
            f"{count[Status.PARTIAL]} partly met, {count[Status.NOT_MET]} not met, "
            f"{count[Status.NOT_ADDRESSED]} not addressed and {count[Status.NEEDS_REVIEW]} needing review."
            + (f" {len(overridden)} set by a librarian" + (f", {stale} of them stale" if stale else "") + "."
               if overridden else ""))


_PRELOADED: set[tuple[str, ...]] = set()  # the sets of checklists (by sha256) whose patterns this process has read


def _preload(checklists: Sequence[LoadedChecklist]) -> None:
    """Read the gated forms of the checklists' patterns (and of `rules.GATED`) from the cache folder (`cues.preload`),
    once per process for a set of checklists (going over every pattern again costs a millisecond per document)."""
    if (key := tuple(loaded.sha256 for loaded in checklists)) not in _PRELOADED:
        preload([*GATED, *(p for loaded in checklists for c in loaded.checklist.criteria for r in c.rules
                            for p in (*r.any, *r.all, *r.none))], cache_dir())
        _PRELOADED.add(key)


def score_findings(doc: PolicyDocument, vendor: VendorProfile, checklists: Sequence[LoadedChecklist],
                   kind: DocumentKind = DocumentKind.PRIVACY_POLICY) -> list[Finding]:
    """Every applicable criterion of the checklists applied to a document: one finding each, in checklist order."""
    findings: list[Finding] = []
    _preload(checklists)
    reading = read(doc)
    for loaded in checklists:
        for criterion in loaded.checklist.criteria:
            if not applies(criterion, vendor.category, kind):
                continue
            status, confidence, evidence, rationale = evaluate(criterion, doc, reading)
            findings.append(Finding.of(criterion, loaded.checklist.id, status=status, confidence=confidence,
                                       rationale=rationale, evidence=evidence))
    return review_non_english(findings, doc.language)


def score_document(doc: PolicyDocument, vendor: VendorProfile, checklists: Sequence[LoadedChecklist],
                   kind: DocumentKind = DocumentKind.PRIVACY_POLICY) -> Assessment:
    """Apply every applicable criterion of the checklists to a document and score the result, without the
    librarians' overrides (`pipeline.assess` applies them)."""
    return assemble(doc, vendor, checklists, score_findings(doc, vendor, checklists, kind), kind, inventory(doc))


def assemble(doc: PolicyDocument, vendor: VendorProfile, checklists: Sequence[LoadedChecklist],
             findings: Sequence[Finding], kind: DocumentKind = DocumentKind.PRIVACY_POLICY,
             inventory: Sequence[InventoryItem] = (), notes: Sequence[str] = ()) -> Assessment:
    """Build the Assessment (scores, tier, summary, with `notes` ending the summary) from findings, once."""
    topics = sorted({f.topic for f in findings}, key=lambda t: t.value)
    topic_scores = {t.value: weighted_score([f for f in findings if f.topic == t]) for t in topics}
    score = weighted_score(findings)
    score = 0.0 if score is None else score
    tier = tier_for(score, findings)
    return Assessment(
        tool_version=__version__, vendor=vendor.id, vendor_name=vendor.name, category=vendor.category,
        document=DocumentRef(kind=kind, title=doc.title, provenance=doc.provenance, last_updated=doc.last_updated,
                             language=doc.language),
        checklists=[ChecklistRef(id=c.checklist.id, version=c.checklist.version, sha256=c.sha256)
                    for c in checklists],
        findings=list(findings), topic_scores=topic_scores, score=score, tier=tier,
        summary=" ".join(filter(None, [language_warning(doc.language), summarize(score, tier, findings), *notes])),
        inventory=list(inventory))
