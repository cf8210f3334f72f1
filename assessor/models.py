"""The typed values that cross the pipeline's boundaries.

profiles -> fetch -> parse -> score -> report: every step takes and returns these models. They are frozen
pydantic v2 models, serialise to JSON and back, and their JSON Schema is exported to `schemas/` for editors.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import (
    AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator,
)

from .regexes import compiled, in_ascii

SCHEMA_VERSION = "1"
PATTERNS_CHECKED = "patterns_checked"  # a validation context key: the rules' patterns are known to compile
SLUG = r"^[a-z0-9][a-z0-9-]*$"
# Names Windows keeps for devices, whatever the extension: a vendor `con` would read its profile from the console.
WINDOWS_DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"{d}{i}" for d in ("com", "lpt") for i in range(10))})


def is_file_id(value: str) -> bool:
    """Whether `value` can name files on every system: a slug (no folder, no drive, no dots) that is not a Windows
    device name. Vendor and checklist ids name their profile, reviews and report files."""
    return re.fullmatch(SLUG.strip("^$"), value) is not None and value not in WINDOWS_DEVICE_NAMES


def _file_id(value: str) -> str:
    if value in WINDOWS_DEVICE_NAMES:
        raise ValueError(f"{value!r} names a device on Windows, where its files could not be written: choose "
                         "another id")
    return value


FileId = Annotated[str, Field(pattern=SLUG), AfterValidator(_file_id)]  # an id that names files (`is_file_id`)


@lru_cache(maxsize=8192)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """A rule pattern compiled as rules use it (case-insensitive), once per process (`regexes.compiled`)."""
    return compiled(pattern, re.IGNORECASE)


def pattern_for(pattern: str, text: str) -> re.Pattern[str]:
    """`compile_pattern(pattern)` to run on a text: for an ASCII text, in ASCII mode (`regexes.in_ascii`)."""
    return in_ascii(pattern, re.IGNORECASE) if text.isascii() else compiled(pattern, re.IGNORECASE)


def _regex(pattern: str, info: ValidationInfo) -> str:
    if info.context and info.context.get(PATTERNS_CHECKED):
        return pattern  # read back from the cache of files that loaded (and compiled) before
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"bad regular expression {pattern!r}: {exc}") from exc
    return pattern


Regex = Annotated[str, AfterValidator(_regex)]  # a Python regular expression, checked when a data file is read


class _Model(BaseModel):
    """Base: frozen, no unknown fields, enums stored as their values."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


class Topic(str, Enum):
    """Topic vocabulary: the OPP-115 data-practice categories plus the library ones."""

    FIRST_PARTY_COLLECTION = "first-party-collection"
    THIRD_PARTY_SHARING = "third-party-sharing"
    USER_CHOICE = "user-choice"
    USER_ACCESS = "user-access"
    DATA_RETENTION = "data-retention"
    DATA_SECURITY = "data-security"
    POLICY_CHANGE = "policy-change"
    DO_NOT_TRACK = "do-not-track"
    SPECIFIC_AUDIENCES = "specific-audiences"
    LAW_ENFORCEMENT = "law-enforcement"
    SALE_OF_DATA = "sale-of-data"
    ADVERTISING = "advertising"
    COOKIES_TRACKING = "cookies-tracking"
    BREACH_NOTIFICATION = "breach-notification"
    DE_IDENTIFICATION = "de-identification"
    DATA_OWNERSHIP = "data-ownership"
    READING_HISTORY = "reading-history"


class Severity(str, Enum):
    """How much a failed criterion matters."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"


class Status(str, Enum):
    """Outcome of one criterion on one document."""

    MET = "met"
    PARTIAL = "partial"
    NOT_MET = "not_met"
    NOT_ADDRESSED = "not_addressed"
    NEEDS_REVIEW = "needs_review"


class RiskTier(str, Enum):
    """Overall risk, from the score and any critical failure."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    CRITICAL = "critical"


class VendorCategory(str, Enum):
    """Kind of service a vendor provides to the library."""

    DATABASE = "database"
    ECONTENT = "econtent"
    DISCOVERY = "discovery"
    ILS = "ils"
    OTHER = "other"


class DocumentKind(str, Enum):
    """Kind of document a vendor publishes or signs."""

    PRIVACY_POLICY = "privacy-policy"
    TERMS = "terms"
    COOKIE_POLICY = "cookie-policy"
    CONTRACT = "contract"
    DPA = "dpa"
    ACCESSIBILITY = "accessibility"


class PatronData(str, Enum):
    """What the library sends the vendor about a patron."""

    NONE = "none"
    BARCODE_ONLY = "barcode-only"
    SSO_ATTRIBUTES = "sso-attributes"
    IP_AUTHENTICATION = "ip-authentication"
    PATRON_RECORD = "patron-record"
    PATRON_ACCOUNT = "patron-account"


# ---------------------------------------------------------------------------------------------------------------
# Vendor profiles


class DocumentSpec(_Model):
    """One document of a vendor: where to get it and how to extract it."""

    kind: DocumentKind
    url: str | None = None
    path: str | None = Field(None, description="Local file, relative to the profile's folder.")
    title: str | None = None
    select: list[str] = Field(default_factory=list, description="CSS selectors of the policy's own content.")
    remove: list[str] = Field(default_factory=list, description="CSS selectors of chrome to drop.")
    render: Literal["http", "browser"] = "http"

    @field_validator("url")
    @classmethod
    def _http_only(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^https?://[^\s/]+", v):
            raise ValueError("only http(s) URLs are fetched")
        return v

    @model_validator(mode="after")
    def _one_source(self) -> DocumentSpec:
        if (self.url is None) == (self.path is None):
            raise ValueError("give exactly one of url or path")
        return self


class Contact(_Model):
    """A person or address to ask about the vendor's practices."""

    role: str
    name: str | None = None
    email: str | None = None
    url: str | None = None


class VendorProfile(_Model):
    """A vendor the library contracts with, and the documents to review."""

    id: FileId
    name: str
    category: VendorCategory
    products: list[str] = Field(default_factory=list)
    documents: list[DocumentSpec] = Field(min_length=1)
    sends: list[PatronData] = Field(default_factory=list, description="What the library sends the vendor.")
    contract_start: dt.date | None = None
    contract_renewal: dt.date | None = None
    contacts: list[Contact] = Field(default_factory=list)
    notes: str | None = None
    synthetic: bool = Field(False, description="A fictional vendor shipped for demos and tests.")
    urls_checked: dt.date | None = Field(None, description="When the document URLs were last verified.")
    checklists: list[str] = Field(default_factory=list, description="Checklists to apply by default.")


# ---------------------------------------------------------------------------------------------------------------
# Checklists


class Citation(_Model):
    """Where a criterion comes from."""

    source: str
    section: str | None = None
    url: str | None = None


class Rule(_Model):
    """A data rule that finds evidence for a criterion in one sentence (or paragraph) of a policy.

    The rule fires on a passage when one of `any` matches, every pattern of `all` matches and none of `none` matches.
    `polarity` says whether the `any` match must be negated ("we do not sell") or affirmed ("we sell"). `outcome` is the
    status the evidence supports. Patterns are case-insensitive regular expressions.

    How the engine reads the passage (`assessor/rules.py`), and the optional fields that use it:
    - Negation: a "not", "never", "no", "nothing", "without", "prohibited from"... earlier in the same clause negates
      the match; two of them cancel ("nothing prevents us from selling" is affirmed, "we do not and will not sell" is
      one negation). A clause ends at "; but however except unless", at "and we", and after an opening "If ..., ";
      a sentence end or a heading run into the text ("No Disclosure. We will not...") ends it too. A coordinated
      verb phrase has its own polarity ("we shall not sell data, and shall not use it" negates "use" once; "..., and
      shall use it" affirms it), and a negation in brackets ("(not including your name)") or in an aside ("we will
      not, unless required by law, disclose") stays there. "not only", "whether or not", "no later than" are not
      negations.
    - Carve-outs: a `met` outcome becomes `partial` when the passage carries an exception that weakens it ("except
      with our affiliates and partners", "unless you opt out"). Exceptions for the law ("except as required by law",
      "a subpoena", "unless legally prohibited", "unless the order forbids it"), for the user's own consent or
      request, and for service providers bound by contract keep `met`.
      A promise limited by its own terms ("... for their marketing purposes", "... in identifiable form") or
      qualified by the next sentence ("We do not sell your data. However, we may share it with partners.") is
      weakened the same way.
      `carve_outs: ignore` turns this off.
    - `hedged`: what hedged wording ("we may", "from time to time", "as long as necessary", "reasonable efforts")
      does: `ignore` (default), `weaken` (`met` becomes `partial`), `exclude` (the rule skips hedged passages),
      `require` (fires only on hedged passages).
    - `consent`: `opt-in` fires only where the passage asks for consent first ("with your consent", "only if you
      opt in"); `opt-out` only where it acts unless the user objects ("unless you opt out", "by using the service").
    - `retention`: `concrete` fires only on a stated period or event ("30 days after the loan ends", "upon
      termination"); `vague` only on open-ended wording ("as long as necessary", "indefinitely") without one.
    - `within`: every `all` pattern must match within this many words of the `any` match.
    - `yields_to_met`: the rule reads the absence of a better practice ("changes are posted on this page"), so its
      finding is dropped where a `met` finding of the same criterion comes from the same paragraph ("... and
      material changes are emailed to you 30 days ahead").
    """

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
    outcome: Status = Field(description="What a firing says: met, partial, not_met or needs_review (never "
                                        "not_addressed: silence is what no rule finding means).")
    any: list[str] = Field(min_length=1)
    all: list[str] = Field(default_factory=list)
    none: list[str] = Field(default_factory=list)
    polarity: Literal["any", "affirmed", "negated"] = "any"
    scope: Literal["sentence", "paragraph"] = "sentence"
    topics: list[Topic] = Field(default_factory=list, description="Only passages classified with these topics.")
    description: str | None = None
    hedged: Literal["ignore", "weaken", "exclude", "require"] = "ignore"
    consent: Literal["any", "opt-in", "opt-out"] = "any"
    retention: Literal["any", "concrete", "vague"] = "any"
    within: int | None = Field(None, ge=1, le=200, description="`all` must match within this many words of `any`.")
    carve_outs: Literal["weaken", "ignore"] = "weaken"
    yields_to_met: bool = False

    @field_validator("outcome")
    @classmethod
    def _not_silence(cls, value: Status) -> Status:
        if value == Status.NOT_ADDRESSED:
            raise ValueError("a rule cannot find silence: not_addressed is what no rule firing means")
        return value

    @field_validator("any", "all", "none")
    @classmethod
    def _compiles(cls, patterns: list[str], info: ValidationInfo) -> list[str]:
        if info.context and info.context.get(PATTERNS_CHECKED):
            return patterns  # read back from the cache of checklists that loaded (and compiled) before
        for p in patterns:
            try:
                compile_pattern(p)
            except re.error as exc:
                raise ValueError(f"bad regular expression {p!r}: {exc}") from exc
        return patterns


class Remediation(_Model):
    """What to do when a criterion is not met."""

    question: str = Field(description="The question to put to the vendor.")
    clause: str = Field(description="The contract clause to request.")


class Example(_Model):
    """An example clause and the status the criterion must give it."""

    text: str
    status: Status


class Criterion(_Model):
    """One check a vendor's documents are held to."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    title: str = Field(max_length=150)
    question: str
    topic: Topic
    severity: Severity
    weight: float = Field(1.0, ge=0, le=10)
    applies_to: list[VendorCategory] = Field(default_factory=list, description="Empty means every category.")
    documents: list[DocumentKind] = Field(default_factory=list, description="Empty means any document.")
    citations: list[Citation] = Field(min_length=1)
    rules: list[Rule] = Field(default_factory=list)
    manual: bool = Field(False, description="Needs a contract or a human: comes out needs_review unless evidence.")
    mixed: Literal["worst", "partial"] = Field(
        "worst", description="When passages disagree: the worst counts, or (`partial`) a policy that offers what the "
        "criterion asks somewhere and undercuts it elsewhere is partly met (choices offered beside consent by use).")
    remediation: Remediation
    positive: list[Example] = Field(default_factory=list, description="Clauses the rules must find.")
    negative: list[str] = Field(default_factory=list, description="Clauses the rules must not fire on.")

    @model_validator(mode="after")
    def _rules_or_manual(self) -> Criterion:
        if not self.rules and not self.manual:
            raise ValueError("a criterion needs rules, or manual: true")
        ids = [r.id for r in self.rules]
        if len(ids) != len(set(ids)):
            raise ValueError("rule ids must be unique within a criterion")
        return self


class Checklist(_Model):
    """A framework's criteria (ALA, NISO, a state law, a library's promises)."""

    id: FileId
    title: str
    version: str
    kind: Literal["framework", "law", "library", "sample"] = "framework"
    description: str | None = None
    jurisdiction: str | None = None
    source: Citation | None = None
    includes: list[str] = Field(default_factory=list, description="Ids of checklists whose criteria this adds.")
    criteria: list[Criterion] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> Checklist:
        ids = [c.id for c in self.criteria]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate criterion ids: {', '.join(dupes)}")
        return self


# ---------------------------------------------------------------------------------------------------------------
# Documents


class Provenance(_Model):
    """Where a document's text came from."""

    uri: str
    sha256: str
    content_type: str
    fetched_at: dt.datetime | None = None
    final_url: str | None = None
    offline: bool = Field(False, description="Read from the archive, not the network.")


class Section(_Model):
    """A heading and the span of text under it."""

    heading: str
    level: int = Field(ge=1, le=9)
    path: list[str] = Field(description="Headings from the top down to this one.")
    start: int
    end: int


class Paragraph(_Model):
    """A paragraph, list item or table cell, located in the document text."""

    index: int
    start: int
    end: int
    text: str
    section: list[str] = Field(default_factory=list, description="Section path the paragraph sits in.")
    kind: Literal["p", "li", "td", "heading", "pre"] = "p"


class PolicyDocument(_Model):
    """A parsed document: normalised text, its sections and its paragraphs with offsets into `text`."""

    title: str | None = None
    text: str
    sections: list[Section] = Field(default_factory=list)
    paragraphs: list[Paragraph] = Field(default_factory=list)
    provenance: Provenance
    last_updated: dt.date | None = None
    language: str | None = None
    warnings: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------------------------------------------------------
# Results


class Evidence(_Model):
    """A quoted passage supporting a finding, located in the document."""

    quote: str
    section: str = ""
    start: int
    end: int
    paragraph: int | None = None
    rule: str
    outcome: Status | None = None
    note: str | None = Field(None, description="How the reading changed the outcome (carve-out, hedge...).")


class Override(_Model):
    """A librarian's recorded decision on a finding."""

    criterion: str
    status: Status
    note: str
    reviewer: str
    date: dt.date
    evidence_sha256: str | None = Field(None, description="Hash of the evidence the override was made against.")


class AppliedOverride(_Model):
    """An override as applied to a finding, with whether it has gone stale."""

    override: Override
    automatic_status: Status
    stale: bool = False


class Finding(_Model):
    """The outcome of one criterion, with its evidence."""

    criterion: str
    checklist: str
    title: str
    topic: Topic
    severity: Severity
    weight: float
    status: Status
    confidence: float = Field(ge=0, le=1)
    rationale: str = ""
    evidence: list[Evidence] = Field(default_factory=list)
    override: AppliedOverride | None = None
    question: str = Field("", description="The criterion's question: what it checks.")
    citations: list[Citation] = Field(default_factory=list, description="Where the criterion comes from.")
    remediation: Remediation | None = Field(None, description="What to ask the vendor when it is not met.")

    @classmethod
    def of(cls, criterion: Criterion, checklist: str, *, status: Status, confidence: float, rationale: str = "",
           evidence: list[Evidence] | None = None, override: AppliedOverride | None = None) -> Finding:
        """The outcome of a criterion, carrying what reports and notebooks show of the criterion, so that they
        need not go back to the checklists."""
        return cls(criterion=criterion.id, checklist=checklist, title=criterion.title, topic=criterion.topic,
                   severity=criterion.severity, weight=criterion.weight, status=status, confidence=confidence,
                   rationale=rationale, evidence=evidence or [], override=override, question=criterion.question,
                   citations=criterion.citations, remediation=criterion.remediation)


class InventoryItem(_Model):
    """A kind of personal data or tracking technology the policy mentions, and what it says of it."""

    item: str
    label: str
    group: Literal["data", "recipient", "tracking"]
    collected: bool = False
    shared: bool = False
    recipients: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)


class ChecklistRef(_Model):
    """Which checklist (and which version of its file) an assessment used."""

    id: str
    version: str
    sha256: str


class DocumentRef(_Model):
    """The assessed document, as reports show it."""

    kind: DocumentKind
    title: str | None = None
    provenance: Provenance
    last_updated: dt.date | None = None
    language: str | None = Field(None, description="ISO 639-1 code of the language the text is written in.")


class Assessment(_Model):
    """A vendor document scored against checklists. This JSON is a public interface (`assessor score --format json`)."""

    schema_version: str = SCHEMA_VERSION
    tool_version: str
    vendor: str
    vendor_name: str
    category: VendorCategory
    document: DocumentRef
    checklists: list[ChecklistRef]
    findings: list[Finding]
    topic_scores: dict[str, float | None]
    score: float = Field(ge=0, le=100)
    tier: RiskTier
    summary: str = ""
    inventory: list[InventoryItem] = Field(default_factory=list)
