"""Agreement of the project's verdicts with hand answers on real library-vendor policies.

    python benchmarks/vendor_agreement.py SHARED_DIR [--split tune|check|all] [--errors] [--json OUT]

SHARED_DIR is the reference folder beside the project (`../shared`). Each policy of
`corpus/library-vendors/labels.json` is parsed and scored in-process exactly as `assessor score --format json` would
score it (the category and checklists `question-map.json` gives), and the 15 questions are read off the assessment
the way `question-map.json` says. Reported: agreement per question and per vendor, abstentions (needs_review where
a label has an answer), coverage, and false reassurances (a good answer where the label says the bad practice).

The split is by vendor, fixed before any tuning: a policy is in `check` when sha256(domain) is odd, else in `tune`.
Rules are tuned by reading the errors of `tune` only; `check` is read for its figure. Each figure comes with a 95 %
bootstrap interval over policies (2,000 resamples, fixed seed): believe only changes larger than it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from resample import bootstrap

from assessor.models import DocumentKind, DocumentSpec, VendorCategory, VendorProfile
from assessor.parse import parse_file
from assessor.pipeline import choose_checklists
from assessor.score import score_document

# Answers that reassure a librarian, and the bad practice each question asks about.
GOOD = {"no", "court_order", "specific", "encryption", "honored", "direct"}
GOOD_YES = {"q06_user_notice_of_legal_request", "q08_deletion_right", "q09_access_correction",
            "q11_breach_notification", "q15_choice"}
BAD = {"yes", "permissive", "indefinite", "vague", "generic", "not_honored", "posted_only"}
# The Do Not Track question has no counterpart in the shared question map: the project answers it through
# ALA-TK-03 (added for it), read the same way the map reads every other criterion.
EXTRA_SIGNALS = {
    "q12_do_not_track": {
        "signals": [{"criterion": "ALA-TK-03", "map": {"met": "honored", "partial": "honored",
                                                         "not_met": "not_honored", "not_addressed": "not_addressed",
                                                         "needs_review": "abstain"}}],
        "precedence": ["not_honored", "honored"],
    },
}


def split_of(domain: str) -> str:
    """The fixed split: `check` for an odd sha256 of the domain, else `tune`."""
    return "check" if int(hashlib.sha256(domain.encode()).hexdigest(), 16) % 2 else "tune"


def is_good(question: str, answer: str) -> bool:
    """Whether an answer reassures (says the vendor protects patrons on this question)."""
    return answer == "yes" if question in GOOD_YES else answer in GOOD


def is_bad(question: str, answer: str) -> bool:
    """Whether an answer names the bad practice."""
    if question in GOOD_YES:
        return answer == "no"
    return question != "q13_children" and answer in BAD


def score_policy(path: Path, category: str, checklist_ids: Sequence[str]) -> dict[str, Any]:
    """The assessment JSON `assessor score PATH --format json --category C --checklist ...` prints."""
    doc = parse_file(path)
    vendor = VendorProfile(id="ad-hoc", name=path.stem, category=VendorCategory(category),
                           documents=[DocumentSpec(kind=DocumentKind.PRIVACY_POLICY, path=str(path))])
    assessment = score_document(doc, vendor, choose_checklists(None, list(checklist_ids)))
    return json.loads(assessment.model_dump_json())


def _map_status(value: Any, finding: Mapping[str, Any]) -> str:
    if isinstance(value, str):
        return value
    field = value["field"]
    pattern = re.compile(value["evidence"], re.IGNORECASE)
    hit = any(pattern.search(str(e.get(field, "") or "")) for e in finding.get("evidence", []))
    return value["then"] if hit else value["else"]


def read_answer(spec: Mapping[str, Any], assessment: Mapping[str, Any]) -> str:
    """One question's answer read off an assessment, as question-map.json's `how_to_read` says."""
    findings = {f["criterion"]: f for f in assessment["findings"]}
    answers: list[str] = []
    for signal in spec["signals"]:
        if "criterion" in signal:
            finding = findings.get(signal["criterion"])
            answers.append("none" if finding is None else _map_status(signal["map"][finding["status"]], finding))
        else:
            inv = signal["inventory"]
            hit = any(item["item"] in inv["items"] and item.get(inv["flag"]) for item in assessment["inventory"])
            answers.append(signal["answer"] if hit else "none")
    decisive = [a for a in answers if a not in ("not_addressed", "none", "abstain")]
    for answer in spec["precedence"]:
        if answer in decisive:
            return answer
    if "abstain" in answers:
        return "abstain"
    return "not_addressed"


@dataclass(frozen=True)
class Item:
    """One labelled answer and the project's reading of it."""

    domain: str
    question: str
    label: str
    confidence: str
    got: str
    mappable: bool

    @property
    def agrees(self) -> bool:
        return self.label == self.got

    @property
    def false_reassurance(self) -> bool:
        return is_bad(self.question, self.label) and is_good(self.question, self.got)


def evaluate(shared: Path) -> tuple[list[Item], dict[str, Any]]:
    """Score every labelled policy and read every question off it."""
    folder = shared / "corpus" / "library-vendors"
    labels = json.loads((folder / "labels.json").read_text())
    qmap = json.loads((folder / "question-map.json").read_text())
    questions = {q: {**spec, **EXTRA_SIGNALS.get(q, {})} for q, spec in qmap["questions"].items()}
    items: list[Item] = []
    assessments = {}
    for domain, answers in sorted(labels["policies"].items()):
        setup = qmap["checklists"][domain]
        assessment = score_policy(folder / f"{domain}.md", setup["category"], setup["checklists"])
        assessments[domain] = assessment
        for q, spec in questions.items():
            label = answers[q]
            findings = {f["criterion"] for f in assessment["findings"]}
            mappable = any(s.get("criterion") in findings for s in spec["signals"]) or any(
                "inventory" in s for s in spec["signals"])
            got = read_answer(spec, assessment) if mappable else "no_counterpart"
            items.append(Item(domain, q, label["answer"], label.get("confidence", "high"), got, mappable))
    return items, assessments


def agreement(items: Sequence[Item]) -> float:
    return sum(i.agrees for i in items) / len(items) if items else float("nan")


def summary(items: Sequence[Item], name: str) -> dict[str, Any]:
    """The headline figures of a set of items, with bootstrap intervals."""
    high = [i for i in items if i.confidence == "high"]
    answered = [i for i in items if i.label != "not_addressed"]
    lo, hi = bootstrap(items, lambda i: i.domain, agreement)
    return {
        "set": name, "items": len(items), "policies": len({i.domain for i in items}),
        "agreement": round(agreement(items), 3), "interval": [round(lo, 3), round(hi, 3)],
        "agreement_high_confidence": round(agreement(high), 3),
        "agreement_where_label_answers": round(agreement(answered), 3),
        "abstentions": sum(i.got == "abstain" for i in items),
        "false_reassurances": sum(i.false_reassurance for i in items),
        "coverage": round(sum(i.got not in ("abstain", "not_addressed", "no_counterpart") for i in items if i.mappable)
                          / max(1, sum(i.mappable for i in items)), 3),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shared", type=Path, help="the shared reference folder (../shared)")
    parser.add_argument("--split", choices=("tune", "check", "all"), default="all")
    parser.add_argument("--errors", action="store_true", help="list every disagreement of the chosen split")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    items, _ = evaluate(args.shared)
    chosen = [i for i in items if args.split == "all" or split_of(i.domain) == args.split]
    rows = [summary(items, "all"), summary([i for i in items if split_of(i.domain) == "tune"], "tune"),
            summary([i for i in items if split_of(i.domain) == "check"], "check")]
    print(f"{'set':<6} {'policies':>8} {'agree':>6} {'95% interval':>15} {'high-conf':>9} {'answered':>9} "
          f"{'abstain':>7} {'false-reass':>11} {'coverage':>8}")
    for r in rows:
        print(f"{r['set']:<6} {r['policies']:>8} {r['agreement']:>6.3f} {str(r['interval']):>15} "
              f"{r['agreement_high_confidence']:>9.3f} {r['agreement_where_label_answers']:>9.3f} "
              f"{r['abstentions']:>7} {r['false_reassurances']:>11} {r['coverage']:>8.3f}")
    print("\nper question (" + args.split + "):")
    by_q: dict[str, list[Item]] = defaultdict(list)
    for i in chosen:
        by_q[i.question].append(i)
    for q, its in by_q.items():
        wrong = Counter(f"{i.label}->{i.got}" for i in its if not i.agrees)
        print(f"  {q:<34} {agreement(its):.2f}  {dict(wrong) if wrong else ''}")
    print("\nper vendor (" + args.split + "):")
    by_d: dict[str, list[Item]] = defaultdict(list)
    for i in chosen:
        by_d[i.domain].append(i)
    for d, its in by_d.items():
        print(f"  {d:<24} {split_of(d):<6} {agreement(its):.2f}")
    reassuring = [i for i in chosen if i.false_reassurance]
    if reassuring:
        print("\nFALSE REASSURANCE:")
        for i in reassuring:
            print(f"  {i.domain} {i.question}: label {i.label}, project {i.got}")
    if args.errors:
        print("\ndisagreements:")
        for i in chosen:
            if not i.agrees:
                print(f"  {i.domain:<24} {i.question:<34} label {i.label:<14} project {i.got}")
    if args.json:
        args.json.write_text(json.dumps({"summary": rows, "items": [i.__dict__ for i in items]}, indent=1) + "\n",
                             encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
