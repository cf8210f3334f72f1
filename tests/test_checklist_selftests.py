"""One generated test per criterion of every shipped checklist: its positive examples get their stated status, its
negative examples fire no rule (the same check `assessor validate` runs)."""

from __future__ import annotations

import pytest

from assessor.loading import load_checklists
from assessor.models import Criterion
from assessor.selftest import check_criterion, run_selftests

CRITERIA = [(loaded.checklist.id, c) for loaded in load_checklists().values() for c in loaded.checklist.criteria]


@pytest.mark.parametrize("checklist, criterion", CRITERIA, ids=[f"{cl}:{c.id}" for cl, c in CRITERIA])
def test_criterion_examples(checklist: str, criterion: Criterion):
    assert check_criterion(criterion) == []


def test_every_shipped_checklist_is_covered():
    assert CRITERIA and {cl for cl, _ in CRITERIA} == set(load_checklists())


def broken(**changes) -> Criterion:
    data = {"id": "X-01", "title": "t", "question": "?", "topic": "sale-of-data", "severity": "high",
            "citations": [{"source": "test"}], "remediation": {"question": "?", "clause": "."},
            "rules": [{"id": "no-sale", "outcome": "met", "polarity": "negated", "any": [r"\bsell\b"]}],
            "positive": [{"text": "We do not sell your data.", "status": "met"}],
            "negative": ["Our shop does not stock umbrellas."]}
    data.update(changes)
    return Criterion.model_validate(data)


def test_the_check_can_fail():
    assert check_criterion(broken()) == []
    wrong_status = broken(positive=[{"text": "We do not sell your data.", "status": "not_met"}])
    assert check_criterion(wrong_status) == [
        "positive[0] came out met, expected not_met: 'We do not sell your data.'"]
    fires = broken(negative=["We never sell umbrellas."])
    assert check_criterion(fires) == ["negative[0] fired no-sale (met): 'We never sell umbrellas.'"]
    assert check_criterion(broken(positive=[])) == ["a criterion with rules needs positive and negative examples"]


def test_silence_example_passes_when_no_rule_fires():
    quiet = broken(positive=[{"text": "We talk about the sale of data at length.", "status": "not_addressed"}])
    assert check_criterion(quiet) == []


def test_run_selftests_locates_problems_in_the_checklist_file():
    loaded = next(iter(load_checklists().values()))
    bad = loaded.checklist.model_copy(update={"criteria": [broken(negative=["We never sell umbrellas."])]})
    (problem,) = run_selftests([type(loaded)(bad, loaded.path, loaded.sha256)])
    assert problem.path == loaded.path and problem.field == "criteria.X-01"
