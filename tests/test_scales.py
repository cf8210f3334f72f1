"""The scales defined once in `assessor.scales`, and the places that must agree with them."""

from __future__ import annotations

import pytest

from assessor.models import RiskTier, Status, Topic, VendorCategory
from assessor.report.render import band
from assessor.scales import (
    CATEGORY_LABELS, STATUS_LABELS, TIER_FLOORS, TIERS_RISKIEST_FIRST, TOPIC_LABELS, category_label, score_text,
    score_tier, tier_rank, topic_label,
)
from assessor.score import FORMULA, POINTS, SEVERITY_FACTOR
from assessor.ui.render import TIER_BACKGROUNDS, heat_colour


@pytest.mark.parametrize(("score", "tier"), [(100, RiskTier.LOW), (80, RiskTier.LOW), (79.9, RiskTier.MODERATE),
                                             (60, RiskTier.MODERATE), (59.9, RiskTier.HIGH), (40, RiskTier.HIGH),
                                             (39.9, RiskTier.CRITICAL), (0, RiskTier.CRITICAL)])
def test_score_tiers_follow_the_floors(score, tier):
    assert score_tier(score) == tier


def test_report_bands_and_notebook_colours_change_where_the_tiers_do():
    for floor, tier in TIER_FLOORS:
        assert band(floor) != band(floor - 0.1) and heat_colour(floor) != heat_colour(floor - 0.1)
        assert heat_colour(floor) == TIER_BACKGROUNDS[tier]
    assert band(None) == "none" and band(0) == "bad"


def test_tier_order_and_topic_labels_cover_their_enums():
    assert sorted(RiskTier, key=tier_rank) == list(TIERS_RISKIEST_FIRST)
    assert set(TOPIC_LABELS) == set(Topic)
    assert topic_label("cookies-tracking") == topic_label(Topic.COOKIES_TRACKING) == "Cookies and tracking"
    assert topic_label("some-new-topic") == "Some new topic"


def test_status_and_category_labels_cover_their_enums_and_scores_are_written_one_way():
    assert set(STATUS_LABELS) == set(Status) and set(CATEGORY_LABELS) == set(VendorCategory)
    assert category_label("econtent") == "eContent" and category_label("new-kind") == "new-kind"
    assert [score_text(s) for s in (85.0, 72.5, 0.0, None)] == ["85", "72.5", "0", "–"]


def test_the_formula_every_report_prints_states_the_numbers_scoring_uses():
    """The formula is prose (in `score.py`'s docstring); its points, severity factors and tier floors must be the
    ones the code applies."""
    text = " ".join(FORMULA.split())
    for status, points in POINTS.items():
        assert f"{status.value} {points:g}" in text or f"{status.value} also earns {points:g}" in text, status
    assert "(" + ", ".join(f"{s.value} {f:g}" for s, f in SEVERITY_FACTOR.items()) + ")" in text
    floors = ", ".join(f">= {floor:g} {tier.value}" for floor, tier in TIER_FLOORS)
    assert f"the tier follows the score: {floors}, else critical" in text
