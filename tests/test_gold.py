"""The gold set (`tests/gold/*.yaml`): clauses written for this project, scored end to end, must agree with the
statuses a careful librarian accepts at least as often as FLOOR. Run `python -m assessor.gold` for the table and
every failing clause."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assessor.gold import GOLD_DIR, GoldClause, load_gold, main, run, summarize
from assessor.loading import LoadError, load_checklists
from assessor.models import Status

# A ratchet: the agreement last measured, rounded down (0.645 when the gold set landed, 0.804 after the rule fixes
# of the same session, 0.905 after the structural fixes of issue 13, 0.918 after the precision classes, 0.938 after
# the structural and false-reassurance classes, 0.950 after scope and plain classes, 0.979 after the wording classes of
# round 4, 0.98 once the gold set passed 3,600 clauses at 0.990). Raise it whenever the rules improve; the target
# is 0.95 (issue 13).
FLOOR = 0.99
MAX_FALSE_REASSURANCE = 0  # a ratchet too: met where the clause says the bad practice (13 when the set landed)
MIN_CLAUSES = 400


@pytest.fixture(scope="module")
def clauses() -> list[GoldClause]:
    return load_gold()


@pytest.fixture(scope="module")
def summary(clauses):
    return summarize(run(clauses))


def test_gold_set_is_large_and_covers_every_status_of_every_critical_and_high_criterion(clauses):
    """Each critical or high criterion has clauses accepted as met, not_met, partial (when its rules can give it),
    and silent (not_addressed; needs_review for a manual criterion, which nothing but the contract settles)."""
    assert len(clauses) >= MIN_CLAUSES
    accepted: dict[str, set[Status]] = {}
    for c in clauses:
        accepted.setdefault(c.criterion, set()).update(c.accept)
    missing = {}
    for loaded in load_checklists().values():
        for criterion in loaded.checklist.criteria:
            if criterion.severity.value not in ("critical", "high"):
                continue
            silent = Status.NEEDS_REVIEW if criterion.manual else Status.NOT_ADDRESSED
            wanted = {Status.MET, Status.NOT_MET, silent}
            wanted |= {Status.PARTIAL} if any(r.outcome == "partial" for r in criterion.rules) else set()
            if gap := wanted - accepted.get(criterion.id, set()):
                missing[criterion.id] = sorted(s.value for s in gap)
    assert missing == {}


def test_every_criterion_of_a_clause_exists(summary):
    assert [o.clause.id for o in summary.pending] == [], "gold clauses name a criterion no checklist defines"


def test_agreement_is_at_least_the_floor(summary):
    failing = "\n".join(f"{o.clause.id}: {o.status.value if o.status else None} not in "
                        f"{[s.value for s in o.clause.accept]}" for o in summary.failures)
    assert summary.overall.agreement >= FLOOR, (
        f"gold agreement {summary.overall.agreement:.3f} fell below {FLOOR}; failing clauses:\n{failing}")


def test_false_reassurance_is_counted_apart(summary):
    traps = [o for o in summary.failures if o.false_reassurance]
    assert summary.overall.false_reassurance == len(traps)
    assert len(traps) <= MAX_FALSE_REASSURANCE, "\n".join(f"{o.clause.id}: {o.clause.text}" for o in traps)
    assert all(o.status == Status.MET and Status.MET not in o.clause.accept for o in traps)


def test_the_blind_rounds_load_and_name_defined_criteria():
    """tests/gold/blind/ is measured (benchmarks/gold.py tests/gold/blind), not held to FLOOR; it must still load."""
    defined = {c.id for loaded in load_checklists().values() for c in loaded.checklist.criteria}
    assert {c.criterion for c in load_gold(GOLD_DIR / "blind")} <= defined


def test_a_malformed_gold_file_is_named_with_its_line(tmp_path: Path):
    (tmp_path / "bad.yaml").write_text("area: x\nclauses:\n- {id: a-1, criterion: ALA-US-01, kind: plain,\n"
                                       "   accept: [maybe], text: We sell nothing.}\n")
    with pytest.raises(LoadError) as err:
        load_gold(tmp_path)
    message = str(err.value)
    assert "bad.yaml:" in message and "accept" in message


def test_duplicate_ids_are_refused(tmp_path: Path):
    clause = "- {id: a-1, criterion: ALA-US-01, kind: plain, accept: [met], text: We sell nothing.}\n"
    (tmp_path / "one.yaml").write_text("area: x\nclauses:\n" + clause)
    (tmp_path / "two.yaml").write_text("area: y\nclauses:\n" + clause)
    with pytest.raises(LoadError, match="duplicate id 'a-1'"):
        load_gold(tmp_path)


def test_a_clause_is_scored_with_its_heading_and_lead_in():
    clause = GoldClause(id="t-1", criterion="ALA-US-01", kind="heading", accept=[Status.MET],
                        heading="Do we sell your data?", context="Our answer is short.", text="No, never.")
    assert clause.markdown() == "## Do we sell your data?\n\nOur answer is short.\n\nNo, never.\n"
    outcome, = run([clause])
    assert outcome.status is not None


def test_the_command_prints_agreement_and_lists_a_failing_clause(tmp_path: Path, capsys):
    (tmp_path / "g.yaml").write_text(
        "area: x\nclauses:\n"
        "- {id: g-1, criterion: ALA-US-01, kind: plain, accept: [met], text: We never sell your personal data.}\n"
        "- {id: g-2, criterion: ALA-US-01, kind: plain, accept: [not_addressed], text: We never sell your data.}\n")
    assert main([str(tmp_path), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["overall"]["total"] == 2
    assert figures["overall"]["agree"] == 1 and [f["id"] for f in figures["failures"]] == ["g-2"]
    assert main([str(tmp_path)]) == 0
    assert "g-2 [plain] ALA-US-01: got met, accepted not_addressed" in capsys.readouterr().out
