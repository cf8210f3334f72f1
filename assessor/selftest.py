"""Checklist self-tests: each criterion's positive examples get the stated status, its negatives fire nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from .loading import LoadedChecklist, Problem
from .models import Criterion, Evidence, PolicyDocument, Provenance, Status
from .parse import build_document
from .parse.document import Block
from .score import evaluate


def example_document(text: str) -> PolicyDocument:
    """A one-paragraph document holding an example clause."""
    return build_document([Block("p", text)], Provenance(uri="example:", content_type="text/plain",
                                                        sha256=hashlib.sha256(text.encode()).hexdigest()))


def _fired(evidence: Iterable[Evidence]) -> set[str]:
    """Rules that fired; topic context (`topic:...`) is not a rule firing."""
    return {e.rule for e in evidence if not e.rule.startswith("topic:")}


def check_criterion(criterion: Criterion) -> list[str]:
    """What is wrong with a criterion's examples, as messages (empty when all pass).

    A positive example must come out with its stated status; one stated `not_addressed` passes when no rule fires
    (on-topic text then comes out `needs_review`, which is the classifier's doing, not the rules'). A negative
    example must fire no rule. A criterion with rules must ship at least one example of each kind.
    """
    messages = []
    if criterion.rules and not (criterion.positive and criterion.negative):
        messages.append("a criterion with rules needs positive and negative examples")
    for i, example in enumerate(criterion.positive):
        status, _, evidence, _ = evaluate(criterion, example_document(example.text))
        silent = example.status == Status.NOT_ADDRESSED and not _fired(evidence)
        if status != example.status and not silent:
            messages.append(f"positive[{i}] came out {status.value}, expected {example.status.value}: {example.text!r}")
    for i, text in enumerate(criterion.negative):
        status, _, evidence, _ = evaluate(criterion, example_document(text))
        rules = _fired(evidence)
        if rules:
            messages.append(f"negative[{i}] fired {', '.join(sorted(rules))} ({status.value}): {text!r}")
    return messages


def run_selftests(checklists: Iterable[LoadedChecklist]) -> list[Problem]:
    """Self-test every criterion of the checklists."""
    return [Problem(loaded.path, None, f"criteria.{criterion.id}", message)
            for loaded in checklists for criterion in loaded.checklist.criteria
            for message in check_criterion(criterion)]
