"""The gold set: short clauses written for this project, each scored end to end and compared with the statuses a
careful librarian would accept.

    python -m assessor.gold [GOLD_DIR] [--kind K] [--criterion ID] [--json]

Each clause (`tests/gold/*.yaml`) is written as a small Markdown document (its `heading`, its `context`, e.g. the
sentence that introduces a list, then its `text`), parsed by the real parser, scored by `score_document` with the
checklist that defines its criterion and what that checklist includes (for a vendor of the first category the
criterion applies to) and read off that criterion's finding. Agreement is the share of clauses whose status is one
of the accepted ones. A *false
reassurance* is a clause accepted only as partial/not_met (the policy says the bad thing, or a hole) that came out
met. A clause whose criterion no checklist defines yet is counted apart, as pending.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from .loading import LoadError, LoadedChecklist, Problem, load_checklists, load_model, resolve_checklists, yaml_files
from .models import Criterion, Finding, Status, VendorCategory, VendorProfile
from .parse import parse_bytes
from .score import score_document
from .settings import SOURCE_ROOT

GOLD_DIR = SOURCE_ROOT / "tests" / "gold"

Kind = Literal[
    "plain",                  # a clear met / partial / not_met statement in ordinary wording
    "not-addressed",          # on the criterion's topic, but settles nothing
    "near-miss",              # looks like the criterion's words, means something else (or the reverse)
    "old-wording",            # 1990s-2000s policy wording ("personally identifiable information", ...)
    "new-wording",            # GDPR / CCPA era wording ("controller", "share for cross-context advertising", ...)
    "legalistic",             # contract or legal drafting ("notwithstanding", "shall", defined terms)
    "scope-negation",         # a negation that governs a phrase ("with no warrant needed")
    "reserved-right",         # "nothing in this policy limits our ability to ..."
    "no-duty",                # "we have no obligation to tell you"
    "protective-condition",   # a condition that protects, not a hole ("only if bound by terms as strict")
    "cross-reference",        # "other than as described above" is not a hole
    "enumeration",            # a verb in the lead-in of an inline (i), (ii), (iii) list
    "lead-in-list",           # a list item whose lead-in sentence is a separate paragraph
    "heading",                # a clause that needs its heading to mean anything ("Do we sell data?" "No.")
    "user-sharing",           # sharing among users or in public forums, not third-party sharing
    "false-reassurance",      # the policy says the bad thing in reassuring words: must never come out met
    "dnt",                    # Do Not Track / opt-out preference signals
    "hedge",                  # a promise softened by "where feasible", "generally", "we aim to"
]
_BAD = {Status.PARTIAL, Status.NOT_MET}


class GoldClause(BaseModel):
    """One clause with the criterion it speaks to and the statuses a careful reader would accept."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    criterion: str
    text: Annotated[str, Field(min_length=1)]
    accept: Annotated[list[Status], Field(min_length=1)]
    kind: Kind
    heading: str | None = None
    context: str | None = Field(None, description="A paragraph before the text, e.g. the lead-in of its list.")
    note: str | None = Field(None, description="Why this label (or why two statuses are accepted).")

    def markdown(self) -> str:
        """The clause as the small document it is scored as."""
        parts = [f"## {self.heading}"] if self.heading else []
        parts += [p for p in (self.context, self.text) if p]
        return "\n\n".join(p.strip() for p in parts) + "\n"

    @property
    def reassurance_trap(self) -> bool:
        """Whether the accepted statuses say the policy has a hole or the bad practice (so met is misleading)."""
        return Status.MET not in self.accept and bool(_BAD & set(self.accept))


class GoldFile(BaseModel):
    """A file of gold clauses about one area."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    area: str
    clauses: list[GoldClause]


def load_gold(directory: Path = GOLD_DIR) -> list[GoldClause]:
    """Every clause of every file in the folder; a malformed file or a duplicate id is a located LoadError."""
    clauses: list[GoldClause] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for path in yaml_files(directory):
        try:
            gold = load_model(GoldFile, path)
        except LoadError as exc:
            problems.extend(exc.problems)
            continue
        for clause in gold.clauses:
            if clause.id in seen:
                problems.append(Problem(path, None, "clauses.id", f"duplicate id {clause.id!r} (also in "
                                                                  f"{seen[clause.id].name})"))
            seen[clause.id] = path
            clauses.append(clause)
    if problems:
        raise LoadError(problems)
    if not clauses:
        raise LoadError([Problem(Path(directory), None, "", "no gold clauses found")])
    return clauses


@dataclass(frozen=True)
class Outcome:
    """What the pipeline said about one clause."""

    clause: GoldClause
    status: Status | None  # None: no checklist defines the criterion yet
    rationale: str = ""
    rule: str = ""
    quote: str = ""

    @property
    def agrees(self) -> bool:
        return self.status in self.clause.accept

    @property
    def false_reassurance(self) -> bool:
        return self.status == Status.MET and self.clause.reassurance_trap


def _defining(checklists: dict[str, LoadedChecklist]) -> dict[str, tuple[list[LoadedChecklist], Criterion]]:
    """Each criterion with the checklist that defines it and what that checklist includes, as `--checklist` would
    load them."""
    return {c.id: (resolve_checklists([loaded.checklist.id], checklists), c)
            for loaded in checklists.values() for c in loaded.checklist.criteria}


def _vendor(criterion: Criterion) -> VendorProfile:
    category = criterion.applies_to[0] if criterion.applies_to else VendorCategory.OTHER
    return VendorProfile.model_validate({"id": "gold", "name": "Gold clause", "category": category,
                                         "documents": [{"kind": "privacy-policy", "path": "gold.md"}]})


def score_clause(clause: GoldClause, defining: dict[str, tuple[list[LoadedChecklist], Criterion]]) -> Outcome:
    """Parse the clause as a document, score it with its criterion's checklist (includes resolved) and read that
    criterion's finding."""
    if clause.criterion not in defining:
        return Outcome(clause, None, "no checklist defines this criterion yet")
    checklists, criterion = defining[clause.criterion]
    data = clause.markdown().encode()
    doc = parse_bytes(data, uri=f"gold:{clause.id}", content_type="text/markdown")
    assessment = score_document(doc, _vendor(criterion), checklists)
    finding: Finding = next(f for f in assessment.findings if f.criterion == clause.criterion)
    first = finding.evidence[0] if finding.evidence else None
    return Outcome(clause, finding.status, finding.rationale, first.rule if first else "",
                   first.quote if first else "")


def run(clauses: Iterable[GoldClause], checklists: dict[str, LoadedChecklist] | None = None) -> list[Outcome]:
    """Score every clause (deterministic: same clauses and rules, same outcomes)."""
    defining = _defining(load_checklists() if checklists is None else checklists)
    return [score_clause(c, defining) for c in clauses]


@dataclass
class Tally:
    """Agreement over a group of scored clauses."""

    agree: int = 0
    total: int = 0
    false_reassurance: int = 0

    @property
    def agreement(self) -> float:
        return self.agree / self.total if self.total else 1.0


@dataclass
class Summary:
    """Agreement overall, by kind and by criterion; pending clauses (criterion not defined yet) are left out."""

    overall: Tally = field(default_factory=Tally)
    by_kind: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_criterion: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    pending: list[Outcome] = field(default_factory=list)
    failures: list[Outcome] = field(default_factory=list)


def summarize(outcomes: Sequence[Outcome]) -> Summary:
    """Count agreement and false reassurances; keep the failing clauses in file order."""
    s = Summary()
    for o in outcomes:
        if o.status is None:
            s.pending.append(o)
            continue
        for tally in (s.overall, s.by_kind[o.clause.kind], s.by_criterion[o.clause.criterion]):
            tally.total += 1
            tally.agree += o.agrees
            tally.false_reassurance += o.false_reassurance
        if not o.agrees:
            s.failures.append(o)
    return s


def _table(title: str, rows: dict[str, Tally]) -> list[str]:
    out = [f"{title:<24} {'agree':>6} {'n':>4} {'share':>6} {'false reassurance':>18}"]
    for key in sorted(rows):
        t = rows[key]
        out.append(f"{key:<24} {t.agree:>6} {t.total:>4} {t.agreement:>6.3f} {t.false_reassurance or '':>18}")
    return out


def _line(o: Outcome) -> str:
    c = o.clause
    got = o.status.value if o.status else "pending"
    why = f"rule {o.rule}" if o.rule else o.rationale
    quote = f" on {o.quote[:100]!r}" if o.quote and o.quote.strip() != c.text.strip() else ""
    return (f"  {c.id} [{c.kind}] {c.criterion}: got {got}, accepted {'/'.join(s.value for s in c.accept)}"
            f" ({why}{quote})\n      {' '.join(c.text.split())[:220]}")


def _confusion(failures: Sequence[Outcome]) -> list[str]:
    """Failing clauses counted by the status a reader gives first and the status obtained."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for f in failures:
        counts[(f.clause.accept[0].value, f.status.value if f.status else "pending")] += 1
    statuses = [s.value for s in Status]
    out = ["expected / got  " + "".join(f"{s:>14}" for s in statuses)]
    out += [f"{expected:<16}" + "".join(f"{counts[(expected, got)] or '':>14}" for got in statuses)
            for expected in statuses]
    return out


def report(summary: Summary) -> str:
    """The printed report: tables by kind and criterion, failures by expected and obtained status, then false
    reassurances and every failing clause."""
    o = summary.overall
    lines = [f"gold clauses: {o.agree}/{o.total} agree ({o.agreement:.3f}); false reassurances: "
             f"{o.false_reassurance}; pending (criterion not defined yet): {len(summary.pending)}", ""]
    lines += _table("kind", summary.by_kind) + [""] + _table("criterion", summary.by_criterion) + [""]
    lines += ["failing clauses by the first accepted status and the status obtained:",
              *_confusion(summary.failures), ""]
    traps = [f for f in summary.failures if f.false_reassurance]
    lines.append(f"false reassurances ({len(traps)}): met where the clause says the bad practice or a hole")
    lines += [_line(f) for f in traps] + [""]
    lines.append(f"failing clauses ({len(summary.failures)}):")
    lines += [_line(f) for f in summary.failures if not f.false_reassurance]
    if summary.pending:
        lines += ["", f"pending ({len(summary.pending)}):", *(_line(p) for p in summary.pending)]
    return "\n".join(lines)


def as_json(summary: Summary) -> dict[str, object]:
    """The same figures for machines."""
    def tallies(rows: dict[str, Tally]) -> dict[str, dict[str, float | int]]:
        return {k: {"agree": t.agree, "total": t.total, "agreement": round(t.agreement, 4),
                    "false_reassurance": t.false_reassurance} for k, t in sorted(rows.items())}
    return {"overall": tallies({"all": summary.overall})["all"], "by_kind": tallies(summary.by_kind),
            "by_criterion": tallies(summary.by_criterion),
            "failures": [{"id": f.clause.id, "criterion": f.clause.criterion, "kind": f.clause.kind,
                          "status": f.status.value if f.status else None,
                          "accept": [s.value for s in f.clause.accept], "rule": f.rule,
                          "false_reassurance": f.false_reassurance} for f in summary.failures],
            "pending": [p.clause.id for p in summary.pending]}


def gold_sha256(clauses: Iterable[GoldClause]) -> str:
    """A hash of the clauses, so a figure can be tied to the gold set it was measured on."""
    return hashlib.sha256("\n".join(c.model_dump_json() for c in clauses).encode()).hexdigest()[:12]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_dir", nargs="?", type=Path, default=GOLD_DIR)
    parser.add_argument("--kind", help="only clauses of this kind")
    parser.add_argument("--criterion", help="only clauses about this criterion")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    args = parser.parse_args(argv)
    try:
        clauses = load_gold(args.gold_dir)
    except LoadError as exc:
        print(exc, file=sys.stderr)
        return 1
    clauses = [c for c in clauses if (not args.kind or c.kind == args.kind)
               and (not args.criterion or c.criterion == args.criterion)]
    summary = summarize(run(clauses))
    if args.json:
        print(json.dumps(as_json(summary), indent=2))
    else:
        print(f"gold set {gold_sha256(clauses)}: {len(clauses)} clauses from {args.gold_dir}")
        print(report(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
