"""The scales defined once in `assessor.scales`, and the places that must agree with them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from assessor.models import RiskTier, Status, Topic, VendorCategory
from assessor.scales import (
    BANDS, CATEGORY_LABELS, SEVERITY_COLOURS, STATUS_BANDS, STATUS_LABELS, TIER_BANDS, TIER_FLOORS,
    TIERS_RISKIEST_FIRST, TOPIC_LABELS, category_label, css_properties, score_band as band, score_text, score_tier,
    tier_rank, tier_swatch, topic_label,
)
from assessor.score import FORMULA, POINTS, SEVERITY_FACTOR
from assessor.ui.render import heat_colour

from .conftest import ROOT


@pytest.mark.parametrize(("score", "tier"), [(100, RiskTier.LOW), (80, RiskTier.LOW), (79.9, RiskTier.MODERATE),
                                             (60, RiskTier.MODERATE), (59.9, RiskTier.HIGH), (40, RiskTier.HIGH),
                                             (39.9, RiskTier.CRITICAL), (0, RiskTier.CRITICAL)])
def test_score_tiers_follow_the_floors(score, tier):
    assert score_tier(score) == tier


def test_report_bands_and_notebook_colours_change_where_the_tiers_do():
    for floor, tier in TIER_FLOORS:
        assert band(floor) != band(floor - 0.1) and heat_colour(floor) != heat_colour(floor - 0.1)
        assert heat_colour(floor) == tier_swatch(tier).fill
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


HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
SPREADSHEET_HEX = re.compile(r"[\"']([0-9a-fA-F]{6})[\"']")
COLOURED = re.compile(r"\.(?:status|tier|sev|s|cell|fill|key)-")
SCALE_ENUMS = {"Status", "RiskTier", "Severity"}
# White is also the page's own colour (paper, chart grid lines, the print background), so it may appear elsewhere.
ALLOWED_ELSEWHERE = {"#ffffff"}


def _six(digits: str) -> str:
    digits = digits.lower()
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)


SCALE_COLOURS = {_six(c.lstrip("#")) for s in BANDS.values() for c in (s.strong, s.fill, s.ink, s.edge) if c} | {
    _six(c.lstrip("#")) for pair in SEVERITY_COLOURS.values() for c in pair}


def _colour_problems(root: Path) -> list[str]:
    """Where a status, tier, severity or band colour is written outside `scales.py`: one of the scale's values
    (also as a spreadsheet's RRGGBB), a literal colour in a CSS rule for a status/tier/severity/band class, or a
    literal colour in a Python mapping keyed by Status, RiskTier or Severity."""
    out = []
    for path in sorted(p for p in root.rglob("*") if p.suffix in {".py", ".css", ".html", ".j2", ".jinja"}):
        if path.name == "scales.py":
            continue
        where, text = path.relative_to(root).as_posix(), path.read_text(encoding="utf-8")
        found = [_six(m) for m in HEX.findall(text)]
        if path.suffix == ".py":
            found += [_six(m) for m in SPREADSHEET_HEX.findall(text)]
            out += [f"{where}:{node.lineno}: colours keyed by a scale's enum" for node in ast.walk(ast.parse(text))
                    if isinstance(node, ast.Dict) and HEX.search(ast.unparse(node)) and any(
                        isinstance(k, ast.Attribute) and isinstance(k.value, ast.Name) and k.value.id in SCALE_ENUMS
                        for k in node.keys)]
        else:
            out += [f"{where}: {selector.strip()} has a literal colour"
                    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text)
                    if COLOURED.search(selector) and HEX.search(body)]
        out += [f"{where}: {c} is a scale colour" for c in sorted(set(found) & (SCALE_COLOURS - ALLOWED_ELSEWHERE))]
    return out


def test_status_tier_and_severity_colours_are_written_only_in_scales():
    assert _colour_problems(ROOT / "assessor") == []


def test_the_colour_scan_would_catch_them(tmp_path):
    (tmp_path / "a.css").write_text(".status-met { color: #123456; }\n.x { color: #1C5A37; }\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("from m import Status\nFILL = {Status.MET: '#abc'}\nX = 'E3F2E8'\n",
                                   encoding="utf-8")
    assert _colour_problems(tmp_path) == [
        "a.css: .status-met has a literal colour", "a.css: #1c5a37 is a scale colour",
        "b.py:2: colours keyed by a scale's enum", "b.py: #e3f2e8 is a scale colour"]


def test_every_colour_report_css_uses_is_defined_and_every_status_and_tier_has_one():
    css = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "assessor" / "templates").glob("*"))
                  if p.suffix in {".css", ".j2"})
    defined = set(re.findall(r"(--[\w-]+):", css_properties() + css))
    assert set(re.findall(r"var\((--[\w-]+)\)", css_properties() + css)) <= defined
    assert set(STATUS_BANDS) == set(Status) and set(TIER_BANDS) == set(RiskTier)
    assert {f"--status-{s.value}-bg" for s in Status} | {f"--tier-{t.value}" for t in RiskTier} <= defined
    assert css_properties() == css_properties()
