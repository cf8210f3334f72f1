"""Criteria into findings (the five statuses, with confidence and evidence), the formula, tiers, determinism."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys

import pytest

from assessor.loading import load_checklists
from assessor.models import (
    Criterion, Finding, PolicyDocument, Provenance, RiskTier, Severity, Status, VendorProfile, compile_pattern,
)
from assessor.parse import Block, build_document, parse_file
from assessor.score import FORMULA, evaluate, read, score_document, tier_for, weighted_score

from .conftest import ROOT

SAMPLE = ROOT / "vendor_profiles" / "samples" / "brightshelf.html"
VENDOR = VendorProfile.model_validate({"id": "sample", "name": "Sample", "category": "econtent",
                                       "documents": [{"kind": "privacy-policy", "path": "x.html"}]})


def document(*paragraphs: str) -> PolicyDocument:
    text = "\n".join(paragraphs)
    return build_document([Block("p", p) for p in paragraphs],
                          Provenance(uri="test:", content_type="text/plain",
                                     sha256=hashlib.sha256(text.encode()).hexdigest()))


def criterion(**changes) -> Criterion:
    data = {
        "id": "T-01", "title": "No sale", "question": "?", "topic": "sale-of-data", "severity": "critical",
        "citations": [{"source": "test"}], "remediation": {"question": "?", "clause": "."},
        "rules": [
            {"id": "no-sale", "outcome": "met", "polarity": "negated", "any": [r"\bsell\b"],
             "all": [r"\b(data|information)\b"]},
            {"id": "sells", "outcome": "not_met", "polarity": "affirmed", "any": [r"\bsell\b"],
             "all": [r"\b(data|information)\b"]},
        ],
    }
    data.update(changes)
    return Criterion.model_validate(data)


@pytest.mark.parametrize("paragraphs, status", [
    (["We do not sell your personal information."], Status.MET),
    (["We do not sell your data, except to our marketing partners."], Status.PARTIAL),
    (["We sell your data to publishers."], Status.NOT_MET),
    (["We protect your account with a password."], Status.NOT_ADDRESSED),  # silence
])
def test_statuses(paragraphs, status):
    got, confidence, evidence, rationale = evaluate(criterion(), document(*paragraphs))
    assert got == status and 0 < confidence <= 1 and rationale
    assert bool(evidence) == (status != Status.NOT_ADDRESSED)


def test_evidence_is_located_and_names_its_rule():
    doc = document("Welcome to the service.", "We never sell your data, except to our partners.")
    _, _, (ev,), _ = evaluate(criterion(), doc)
    assert doc.text[ev.start:ev.end] == ev.quote == "We never sell your data, except to our partners."
    assert (ev.rule, ev.outcome, ev.paragraph) == ("no-sale", "partial", 1) and "except" in (ev.note or "")


def test_disagreeing_passages_keep_the_worst():
    from assessor.score import calibration

    doc = document("We do not sell your personal information.", "We may sell aggregated data to advertisers.")
    status, confidence, evidence, rationale = evaluate(criterion(), doc)
    assert status == Status.NOT_MET and confidence == calibration().not_met and "disagree" in rationale
    assert [e.outcome for e in evidence] == ["not_met", "met"]  # worst first


def test_confidence_is_the_measured_rate_of_the_verdict():
    from assessor.score import calibration

    rates = calibration()
    met, confidence, _, _ = evaluate(criterion(), document("We do not sell your personal information."))
    silent, quiet, _, _ = evaluate(criterion(), document("We like books."))
    assert (met, confidence) == (Status.MET, rates.met) and (silent, quiet) == (Status.NOT_ADDRESSED,
                                                                               rates.not_addressed)
    assert all(0.5 < rates.of(s) < 1 for s in (Status.MET, Status.NOT_MET, Status.NOT_ADDRESSED))


def test_on_topic_but_unsettled_needs_review_not_silence():
    doc = document("The sale of personal information to data brokers is a matter we take seriously.")
    unsettled = criterion(rules=[{"id": "no-sale", "outcome": "met", "polarity": "negated", "any": [r"\bsale\b"]}])
    status, confidence, evidence, _ = evaluate(unsettled, doc)
    assert status == Status.NEEDS_REVIEW and confidence < 0.5
    assert [e.rule for e in evidence] == ["topic:sale-of-data"]
    # the same paragraph without the rule's terms is silence on the point
    other = criterion(rules=[{"id": "no-rent", "outcome": "met", "polarity": "negated", "any": [r"\brent\b"]}])
    assert evaluate(other, doc)[0] == Status.NOT_ADDRESSED


def test_manual_criterion_needs_review_without_evidence():
    status, confidence, evidence, rationale = evaluate(criterion(rules=[], manual=True), document("Hello."))
    assert (status, confidence, evidence) == (Status.NEEDS_REVIEW, 0.0, []) and "contract" in rationale


def finding(status: Status, severity: Severity = Severity.MEDIUM, weight: float = 1.0, topic: str = "data-security",
            ) -> Finding:
    return Finding(criterion=f"C-{status.value}-{severity.value}", checklist="t", title="t", topic=topic,
                   severity=severity, weight=weight, status=status, confidence=0.8)


def test_weighted_score_follows_the_formula():
    findings = [finding(Status.MET, Severity.CRITICAL, 2),     # weight 10, earns 10
                finding(Status.PARTIAL, Severity.HIGH),        # weight 3, earns 1.5
                finding(Status.NOT_ADDRESSED, Severity.LOW),   # weight 1, earns 0.25
                finding(Status.NOT_MET, Severity.MEDIUM),      # weight 2, earns 0
                finding(Status.NEEDS_REVIEW, Severity.CRITICAL),  # weight 5, earns 1.25 (as silence does)
                finding(Status.NOT_MET, Severity.INFO)]        # weight 0
    assert weighted_score(findings) == round(100 * 13.0 / 21, 1) == 61.9
    assert weighted_score([finding(Status.NEEDS_REVIEW)]) == 25.0


def test_vagueness_never_scores_better_than_silence():
    met = [finding(Status.MET, Severity.HIGH) for _ in range(3)]
    vague = weighted_score([*met, finding(Status.NEEDS_REVIEW, Severity.CRITICAL)])
    silent = weighted_score([*met, finding(Status.NOT_ADDRESSED, Severity.CRITICAL)])
    assert vague is not None and silent is not None and vague <= silent < weighted_score(met)


def test_critical_failure_caps_the_tier():
    many_met = [finding(Status.MET, Severity.HIGH, 10) for _ in range(20)]
    assert tier_for(99.0, many_met) == RiskTier.LOW
    assert tier_for(99.0, [*many_met, finding(Status.NOT_MET, Severity.CRITICAL)]) == RiskTier.CRITICAL
    assert tier_for(99.0, [*many_met, finding(Status.NOT_MET, Severity.HIGH)]) == RiskTier.HIGH
    assert tier_for(30.0, [finding(Status.NOT_MET, Severity.HIGH)]) == RiskTier.CRITICAL
    assert [tier_for(s, []) for s in (80, 79.9, 60, 40, 39.9)] == [
        RiskTier.LOW, RiskTier.MODERATE, RiskTier.MODERATE, RiskTier.HIGH, RiskTier.CRITICAL]


def test_nothing_scorable_is_not_a_pass():
    from assessor.score import assemble

    doc = document("We value your privacy.")
    a = assemble(doc, VENDOR, [], [finding(Status.NEEDS_REVIEW, topic="data-security")])
    assert (a.score, a.tier, a.topic_scores) == (25.0, RiskTier.CRITICAL, {"data-security": 25.0})
    info = assemble(doc, VENDOR, [], [finding(Status.MET, Severity.INFO, topic="data-security")])
    assert (info.score, info.tier, info.topic_scores) == (0.0, RiskTier.CRITICAL, {"data-security": None})


def test_formula_is_exported_for_reports():
    assert "critical 5" in FORMULA and "not_addressed 0.25" in FORMULA and "tier" in FORMULA


def test_score_document_fills_topics_tier_and_inventory():
    from assessor.parse import parse_file

    checklists = list(load_checklists().values())
    a = score_document(parse_file(SAMPLE), VENDOR, checklists)
    assert a.findings and set(a.topic_scores) == {f.topic.value for f in a.findings}
    assert a.score == (weighted_score(a.findings) or 0.0)
    assert a.inventory and all(item.evidence for item in a.inventory)
    assert all(e.quote for f in a.findings for e in f.evidence)


SCORE_SCRIPT = """
import sys
from pathlib import Path
from assessor.loading import load_checklists
from assessor.models import VendorProfile
from assessor.parse import parse_file
from assessor.score import score_document
vendor = VendorProfile.model_validate({"id": "s", "name": "S", "category": "econtent",
                                       "documents": [{"kind": "privacy-policy", "path": "x.html"}]})
a = score_document(parse_file(Path(sys.argv[1])), vendor, list(load_checklists(Path(sys.argv[2])).values()))
sys.stdout.write(a.model_dump_json(indent=2))
"""


def test_json_is_byte_identical_across_processes_and_hash_seeds(tmp_path):
    checklists = tmp_path / "checklists"  # a frozen copy: the inputs must not move between the runs
    shutil.copytree(ROOT / "checklists", checklists)
    outputs = {subprocess.run([sys.executable, "-c", SCORE_SCRIPT, str(SAMPLE), str(checklists)], capture_output=True,
                              check=True, env={**os.environ, "PYTHONHASHSEED": seed}, cwd=ROOT).stdout
               for seed in ("1", "2")}
    assert len(outputs) == 1 and b'"inventory"' in next(iter(outputs))


def test_the_category_follows_the_checklists():
    from assessor.models import VendorCategory
    from assessor.pipeline import choose_checklists
    from assessor.score import checklist_category

    econtent = choose_checklists(None, ["ala-econtent"])
    assert checklist_category(econtent) == (VendorCategory.ECONTENT, [])
    category, [warning] = checklist_category(econtent, VendorCategory.ILS)
    assert category == VendorCategory.ILS and warning.startswith("ala-econtent: none of its")
    assert checklist_category(choose_checklists(None, ["ala-vendors"]))[1] == []


def test_the_passages_a_rule_may_fire_on_are_the_ones_the_plain_regexes_find():
    """`Reading.may_fire` (word index, gates, memo) against the plain reading: every passage of a paragraph that is
    no heading, on the rule's topics, where one `any` pattern and every `all` pattern match the passage's reading."""
    rules = [r for c in load_checklists().values() for cr in c.checklist.criteria for r in cr.rules]
    for path in sorted((ROOT / "vendor_profiles" / "samples").iterdir())[:4]:
        reading = read(parse_file(path))
        for rule in rules:
            def found(text: str, rule=rule) -> bool:
                return (any(compile_pattern(p).search(text) for p in rule.any)
                        and all(compile_pattern(p).search(text) for p in rule.all))
            expected = [passage for i, p in enumerate(reading.paragraphs)
                        if p.kind != "heading"
                        and (not rule.topics or reading.topics.get(p.index, set()) & set(rule.topics))
                        for passage in reading.passages(i, rule.scope) if found(passage.reading)]
            assert reading.may_fire(rule) == expected, (path.name, rule.id)


def test_the_paragraphs_speaking_to_a_criterion_are_the_ones_the_plain_regexes_find():
    """`Reading.speaking` (word index, gates, memo) against the plain reading: the paragraphs on the criterion's
    topic whose own text one rule's `any` patterns match and none of its `none` patterns."""
    criteria = [cr for c in load_checklists().values() for cr in c.checklist.criteria]
    for path in sorted((ROOT / "vendor_profiles" / "samples").iterdir())[:4]:
        reading = read(parse_file(path))
        for criterion in criteria:
            def speaks(text: str, criterion=criterion) -> bool:
                return any(any(compile_pattern(p).search(text) for p in rule.any)
                           and not any(compile_pattern(p).search(text) for p in rule.none) for rule in criterion.rules)
            expected = [p for p in reading.paragraphs
                        if criterion.topic in reading.topics.get(p.index, set()) and speaks(reading.text(p).text)]
            assert reading.speaking(criterion) == expected, (path.name, criterion.id)
