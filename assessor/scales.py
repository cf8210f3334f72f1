"""Scales defined once: the score floor of each risk tier, the order of the tiers, how bad each status is, the names
readers see for statuses, categories and topics, and how a score is written. Scoring, reports, the audit, the command
line and the notebooks read them from here; the report templates get `band` (a score's colour band, named after its
tier) and `score` (`score_text`) from the same definitions."""

from __future__ import annotations

from .models import RiskTier, Status, Topic, VendorCategory

# A score at or above a floor is in that tier; below the last floor, critical.
TIER_FLOORS = ((80.0, RiskTier.LOW), (60.0, RiskTier.MODERATE), (40.0, RiskTier.HIGH))
TIERS_RISKIEST_FIRST = (RiskTier.CRITICAL, RiskTier.HIGH, RiskTier.MODERATE, RiskTier.LOW)
# How bad a status is for the library, for comparing two assessments (higher is worse).
STATUS_BADNESS = {Status.MET: 0, Status.PARTIAL: 1, Status.NEEDS_REVIEW: 1, Status.NOT_ADDRESSED: 2,
                  Status.NOT_MET: 3}
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
