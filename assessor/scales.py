"""Scales defined once: the score floor of each risk tier, the order of the tiers, how bad each status is, the names
readers see for statuses, categories and topics, and how a score is written. Scoring, reports, the audit, the command
line and the notebooks read them from here; the report templates get `band` (a score's colour band, named after its
tier) and `score` (`score_text`) from the same definitions. The colours of the bands, statuses, tiers and severities
are here too: the notebook applications and the spreadsheet fills read them, and HTML reports get them as CSS custom
properties (`css_properties`) that report.css only refers to."""

from __future__ import annotations

from dataclasses import dataclass

from .models import RiskTier, Severity, Status, Topic, VendorCategory

# A score at or above a floor is in that tier; below the last floor, critical.
TIER_FLOORS = ((80.0, RiskTier.LOW), (60.0, RiskTier.MODERATE), (40.0, RiskTier.HIGH))
TIERS_RISKIEST_FIRST = (RiskTier.CRITICAL, RiskTier.HIGH, RiskTier.MODERATE, RiskTier.LOW)
# How bad a status is for the library, for comparing two assessments (higher is worse).
STATUS_BADNESS = {Status.MET: 0, Status.PARTIAL: 1, Status.NEEDS_REVIEW: 1, Status.NOT_ADDRESSED: 2,
                  Status.NOT_MET: 3}


@dataclass(frozen=True)
class Swatch:
    """The colours of one band: `strong` for tier boxes, bars and edges; `fill` for badges, cells and spreadsheet
    fills; `ink` for text on the fill; `edge` for a badge's border (None: the page's line colour)."""

    strong: str
    fill: str
    ink: str
    edge: str | None


# A score's colour band is named after its tier; `none` is for what could not be scored.
BANDS = {"good": Swatch("#2e7d4f", "#e3f2e8", "#1c5a37", "#b5dcc3"),
         "fair": Swatch("#b7791f", "#fbf0d9", "#7a4f0f", "#ecd39b"),
         "poor": Swatch("#c2571a", "#fbe3d3", "#8a3c10", "#f0c2a3"),
         "bad": Swatch("#b3261e", "#f9dcd9", "#8c1d17", "#eeb3ad"),
         "none": Swatch("#9aa3b2", "#eef0f4", "#3d4656", None)}
TIER_BANDS = {RiskTier.LOW: "good", RiskTier.MODERATE: "fair", RiskTier.HIGH: "poor", RiskTier.CRITICAL: "bad"}
STATUS_BANDS = {Status.MET: "good", Status.PARTIAL: "fair", Status.NOT_MET: "bad", Status.NOT_ADDRESSED: "poor",
                Status.NEEDS_REVIEW: "none"}
ON_STRONG = "#fff"  # text on a band's strong colour or a dark severity badge
# Severity badges as (background, text); low and info badges are plain (the page's own colours).
SEVERITY_COLOURS = {Severity.CRITICAL: ("#5c1410", ON_STRONG), Severity.HIGH: (BANDS["bad"].ink, ON_STRONG),
                    Severity.MEDIUM: (BANDS["none"].fill, BANDS["none"].ink)}
STATUS_LABELS = {Status.MET: "Met", Status.PARTIAL: "Partly met", Status.NOT_MET: "Not met",
                 Status.NOT_ADDRESSED: "Not addressed", Status.NEEDS_REVIEW: "Needs review"}
CATEGORY_LABELS = {VendorCategory.DATABASE: "Database", VendorCategory.ECONTENT: "eContent",
                   VendorCategory.DISCOVERY: "Discovery", VendorCategory.ILS: "ILS", VendorCategory.OTHER: "Other"}
TOPIC_LABELS = {
    Topic.FIRST_PARTY_COLLECTION: "Data collected", Topic.THIRD_PARTY_SHARING: "Sharing with third parties",
    Topic.USER_CHOICE: "Patron choice and consent", Topic.USER_ACCESS: "Access, correction, deletion",
    Topic.DATA_RETENTION: "Data retention", Topic.DATA_SECURITY: "Security", Topic.POLICY_CHANGE: "Policy changes",
    Topic.DO_NOT_TRACK: "Do Not Track", Topic.SPECIFIC_AUDIENCES: "Children and other audiences",
    Topic.LAW_ENFORCEMENT: "Law enforcement requests", Topic.SALE_OF_DATA: "Sale of data",
    Topic.ADVERTISING: "Advertising", Topic.COOKIES_TRACKING: "Cookies and tracking",
    Topic.BREACH_NOTIFICATION: "Breach notification", Topic.DE_IDENTIFICATION: "De-identification",
    Topic.DATA_OWNERSHIP: "Data ownership", Topic.READING_HISTORY: "Reading history",
}


def score_tier(score: float) -> RiskTier:
    """The tier a score falls in, before any failed critical or high criterion raises it."""
    return next((tier for floor, tier in TIER_FLOORS if score >= floor), RiskTier.CRITICAL)


def tier_rank(tier: RiskTier) -> int:
    """0 for the riskiest tier (critical) up to 3 for low: a sort key, riskiest first."""
    return TIERS_RISKIEST_FIRST.index(tier)


def topic_label(topic: Topic | str) -> str:
    """A topic's name for readers: `cookies-tracking` -> `Cookies and tracking` (unknown ones de-slugged)."""
    try:
        return TOPIC_LABELS[Topic(topic)]
    except ValueError:
        return str(topic).replace("-", " ").capitalize()


def category_label(category: VendorCategory | str) -> str:
    """A vendor category's name for readers: `econtent` -> `eContent` (unknown ones as given)."""
    try:
        return CATEGORY_LABELS[VendorCategory(category)]
    except ValueError:
        return str(category)


def score_text(score: float | None) -> str:
    """A score (or weight) for display: `85` or `72.5`, or an en dash when nothing could be scored."""
    return "–" if score is None else f"{score:g}"


def score_band(score: float | None) -> str:
    """The colour band of a score: good, fair, poor, bad (its tier's), or none when it could not be scored."""
    return "none" if score is None else TIER_BANDS[score_tier(score)]


def status_swatch(status: Status) -> Swatch:
    """The colours of a status (those of its band)."""
    return BANDS[STATUS_BANDS[status]]


def tier_swatch(tier: RiskTier) -> Swatch:
    """The colours of a risk tier (those of its band)."""
    return BANDS[TIER_BANDS[tier]]


def css_properties() -> str:
    """The colours above as CSS custom properties on `:root`, for report.css to refer to: `--good`, `--good-bg`,
    `--good-ink`, `--good-line` for each band, `--tier-low`, `--status-met` (and `-bg`, `-ink`, `-line`),
    `--sev-critical-bg`, `--sev-critical-ink` and `--on-strong`."""
    def swatch_properties(prefix: str, swatch: Swatch) -> str:
        return (f"  {prefix}: {swatch.strong}; {prefix}-bg: {swatch.fill}; {prefix}-ink: {swatch.ink}; "
                f"{prefix}-line: {swatch.edge or 'var(--line)'};")
    lines = [swatch_properties(f"--{name}", swatch) for name, swatch in BANDS.items()]
    lines.append("  " + " ".join(f"--tier-{tier.value}: {tier_swatch(tier).strong};" for tier in RiskTier))
    lines += [swatch_properties(f"--status-{status.value}", status_swatch(status)) for status in Status]
    lines.append("  " + " ".join(f"--sev-{severity.value}-bg: {fill}; --sev-{severity.value}-ink: {ink};"
                                 for severity, (fill, ink) in SEVERITY_COLOURS.items()))
    lines.append(f"  --on-strong: {ON_STRONG};")
    return ":root {\n" + "\n".join(lines) + "\n}\n"
