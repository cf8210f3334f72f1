"""Precision and silence of the rules on real policy passages labelled with a criterion and a status.

    python benchmarks/points.py SHARED_DIR [--split tune|check|all] [--errors CRITERION] [--json OUT]

Each English passage of `corpus/policy-points/points.jsonl` that carries a criterion and a status (met / partial /
not_met, from ToS;DR and PrivacySpy reviewers) is read as a one-paragraph document and that criterion is evaluated
on it, as `assessor score` would. Per criterion: how often the rules are silent (not_addressed), the precision of a
`met` and of a `not_met` verdict, and false reassurances (met where the reviewers say not_met).

The split is by service, fixed before any tuning: `check` when sha256(domain or service) is odd, else `tune`. Tune on
the errors of `tune` only. Headline figures carry a 95 % bootstrap interval over services (2,000 resamples).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from resample import bootstrap

from assessor.loading import load_checklists
from assessor.models import Criterion
from assessor.selftest import example_document
from assessor.score import evaluate


@dataclass(frozen=True)
class Row:
    """One labelled passage and the verdict the rules give it."""

    id: str
    group: str
    criterion: str
    label: str
    got: str


def split_of(group: str) -> str:
    """The fixed split by service."""
    return "check" if int(hashlib.sha256(group.encode()).hexdigest(), 16) % 2 else "tune"


def criteria() -> dict[str, Criterion]:
    """Every shipped criterion by id."""
    return {c.id: c for loaded in load_checklists().values() for c in loaded.checklist.criteria}


def evaluate_rows(shared: Path) -> list[Row]:
    """Evaluate every labelled English passage against its criterion."""
    known = criteria()
    rows = []
    for line in (shared / "corpus" / "policy-points" / "points.jsonl").read_text().splitlines():
        point = json.loads(line)
        if not point.get("criterion") or point.get("lang") != "en" or point["criterion"] not in known:
            continue
        doc = example_document(point["text"])
        status, *_ = evaluate(known[point["criterion"]], doc)
        group = point.get("domain") or point.get("service") or point["id"]
        rows.append(Row(point["id"], group, point["criterion"], point["status"], status.value))
    return rows


def silence(rows: Sequence[Row]) -> float:
    return sum(r.got == "not_addressed" for r in rows) / len(rows) if rows else float("nan")


def precision(status: str) -> Callable[[Sequence[Row]], float]:
    def stat(rows: Sequence[Row]) -> float:
        said = [r for r in rows if r.got == status]
        return sum(r.label == status for r in said) / len(said) if said else float("nan")
    return stat


def headline(rows: Sequence[Row], name: str) -> dict[str, object]:
    """Silence, precision of met, not_met and partial, false reassurances, with intervals."""
    out: dict[str, object] = {"set": name, "passages": len(rows), "services": len({r.group for r in rows})}
    for label, stat in (("silence", silence), ("precision_met", precision("met")),
                        ("precision_not_met", precision("not_met")), ("precision_partial", precision("partial"))):
        lo, hi = bootstrap(rows, lambda r: r.group, stat)
        out[label] = round(stat(rows), 3)
        out[label + "_interval"] = [round(lo, 3), round(hi, 3)]
    out["false_reassurance"] = sum(r.got == "met" and r.label == "not_met" for r in rows)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shared", type=Path, help="the shared reference folder (../shared)")
    parser.add_argument("--split", choices=("tune", "check", "all"), default="tune")
    parser.add_argument("--errors", metavar="CRITERION", help="list the passages this criterion gets wrong")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    rows = evaluate_rows(args.shared)
    sets = {"all": rows, "tune": [r for r in rows if split_of(r.group) == "tune"],
            "check": [r for r in rows if split_of(r.group) == "check"]}
    heads = [headline(v, k) for k, v in sets.items()]
    print(f"{'set':<6} {'passages':>8} {'silence':>8} {'interval':>15} {'prec met':>8} {'interval':>15} "
          f"{'prec not_met':>12} {'interval':>15} {'prec partial':>12} {'met where not_met':>17}")
    for h in heads:
        print(f"{h['set']:<6} {h['passages']:>8} {h['silence']:>8.3f} {str(h['silence_interval']):>15} "
              f"{h['precision_met']:>8.3f} {str(h['precision_met_interval']):>15} {h['precision_not_met']:>12.3f} "
              f"{str(h['precision_not_met_interval']):>15} {h['precision_partial']:>12.3f} "
              f"{h['false_reassurance']:>17}")
    chosen = sets[args.split]
    print(f"\nper criterion ({args.split}): passages, silence, precision of met and not_met, label->verdict")
    by_c: dict[str, list[Row]] = defaultdict(list)
    for r in chosen:
        by_c[r.criterion].append(r)
    for cid, its in sorted(by_c.items()):
        confusion = Counter(f"{r.label}->{r.got}" for r in its)
        pm, pn = precision("met")(its), precision("not_met")(its)
        print(f"  {cid:<12} {len(its):>4} {silence(its):>6.2f} {pm:>6.2f} {pn:>6.2f}  "
              f"{dict(sorted(confusion.items()))}")
    if args.errors:
        text = {json.loads(line)["id"]: json.loads(line)["text"]
                for line in (args.shared / "corpus" / "policy-points" / "points.jsonl").read_text().splitlines()}
        for r in chosen:
            if r.criterion == args.errors and r.label != r.got:
                print(f"\n[{r.label} -> {r.got}] {r.id}\n  {text[r.id][:400]}")
    if args.json:
        args.json.write_text(json.dumps({"headline": heads, "rows": [r.__dict__ for r in rows]}, indent=1) + "\n",
                             encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
