"""Concerns: the questions to send a vendor, one per concern, grouping the criteria of every checklist."""

from __future__ import annotations

import pytest

from assessor.concerns import ConcernsFile, concern_of, load_concerns, unlisted
from assessor.loading import LoadError, load_checklists
from assessor.models import Status
from assessor.report import build_vendor_report, render_html, render_markdown

from .test_report import GENERATED_AT, fixture_review


def shipped_criteria():
    return [k for c in load_checklists().values() for k in c.checklist.criteria]


def test_every_shipped_criterion_belongs_to_a_concern():
    assert unlisted(shipped_criteria()) == [], "add these criteria to a concern in assessor/data/concerns.yaml"


def test_every_criterion_a_concern_lists_exists():
    known = {k.id for k in shipped_criteria()}
    listed = {c for concern in load_concerns().concerns for c in concern.criteria}
    assert sorted(listed - known) == [], "concerns.yaml names criteria no checklist has"


def test_the_near_duplicates_of_the_issue_are_one_concern_each():
    by_id = {k.id: k for k in shipped_criteria()}
    never_sold = {concern_of(by_id[c]).id for c in ("ALA-US-01", "LIB-CER-04", "LIB-SM-06")}
    third_parties = {concern_of(by_id[c]).id for c in ("ALA-SH-01", "LIB-CER-01", "NISO-07", "CA-PUR-01")}
    assert never_sold == {"no-sale"} and third_parties == {"no-disclosure"}


def test_a_criterion_in_no_concern_is_asked_about_on_its_own():
    criterion = shipped_criteria()[0].model_copy(update={"id": "XX-NEW-01"})
    own = concern_of(criterion)
    assert own.id == "criterion-xx-new-01" and own.criteria == ["XX-NEW-01"]
    assert own.question == " ".join(criterion.remediation.question.split())
    assert own.clause == " ".join(criterion.remediation.clause.split()) and own.title == criterion.title


def test_a_mistake_in_the_file_is_named_with_file_line_and_field(tmp_path):
    path = tmp_path / "concerns.yaml"
    path.write_text("concerns:\n  - id: a\n    title: A\n    question: Q?\n    clause: C.\n    criteria: [X-1]\n"
                    "  - id: b\n    title: B\n    clause: C.\n    criteria: [X-2]\n")
    with pytest.raises(LoadError) as err:
        load_concerns(path)
    assert str(err.value) == f"{path}:7: concerns[1].question: Field required"
    path.write_text("concerns:\n  - {id: a, title: A, question: Q, clause: C, criteria: [X-1]}\n"
                    "  - {id: b, title: B, question: Q, clause: C, criteria: [X-1]}\n")
    with pytest.raises(LoadError, match="X-1 is in two concerns: a and b"):
        load_concerns(path)


def test_a_report_asks_once_per_concern_citing_every_criterion_and_source():
    assessment, doc, checklists, _vendor = fixture_review("lumen-reads")
    law = next(f for f in assessment.findings if f.criterion == "FX-LAW")
    findings = [f.model_copy(update={"status": Status.NOT_ADDRESSED, "evidence": []}) if f is law else f
                for f in assessment.findings]
    concerns = ConcernsFile.model_validate({"concerns": [
        {"id": "history-and-law", "title": "Reading history and legal demands", "question": "One question?",
         "clause": "One clause.", "criteria": ["FX-LAW", "FX-HISTORY"]}]})
    r = build_vendor_report(assessment.model_copy(update={"findings": findings}), doc, checklists,
                            generated_at=GENERATED_AT, concerns=concerns)
    assert len(r.asks) == 1
    ask = r.asks[0]
    assert (ask.concern, ask.question, ask.status, ask.severity.value) == (
        "history-and-law", "One question?", Status.NOT_MET, "high")
    assert [c.criterion for c in ask.criteria] == ["FX-HISTORY", "FX-LAW"]
    assert [s.source for s in ask.sources] == ["Fixture privacy guideline", "Fixture state library records law"]
    assert ask.sources[0].sections == ["Reading history", "Legal demands"]
    html, md = render_html(r), render_markdown(r)
    assert html.count("One question?") == 1 and md.count("One question?") == 1
    assert 'href="#c-fixture-reports-FX-LAW"' in html
