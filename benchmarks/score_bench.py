"""Scoring speed: seconds per policy to apply every shipped checklist (findings, scores, inventory) to a document.

    .venv/bin/python benchmarks/score_bench.py [--corpus ../shared/corpus/library-vendors] [--repeat 3] [--json]

Documents: the synthetic sample policies (`vendor_profiles/samples/`), and with `--corpus` every `.md`/`.txt`/
`.html` file of that folder but its README (e.g. the archived library-vendor policies in the reference material).
Each document is parsed once (not timed here), then scored `--repeat` times against all shipped checklists with
`score_document`; the median CPU time per document is kept (CPU, not wall-clock, time: the figure holds on a
shared machine) and the table gives, per set, the mean and the worst seconds per
policy, the characters per second, and the findings by status. Each document's two first runs are also compared
byte for byte (the engine must be deterministic).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TypedDict

from assessor.loading import load_checklists, resolve_checklists
from assessor.models import PolicyDocument, Status, VendorProfile
from assessor.parse import parse_file
from assessor.score import score_document

SAMPLES = Path(__file__).resolve().parent.parent / "vendor_profiles" / "samples"
SUFFIXES = (".html", ".htm", ".txt", ".md")
VENDOR = VendorProfile.model_validate({"id": "bench", "name": "Benchmark", "category": "econtent",
                                       "documents": [{"kind": "privacy-policy", "path": "bench.html"}]})


def documents(folder: Path) -> list[tuple[str, PolicyDocument]]:
    """The parsed policies of a folder, by file name (READMEs left out)."""
    return [(p.name, parse_file(p)) for p in sorted(folder.iterdir())
            if p.suffix.lower() in SUFFIXES and not p.name.lower().startswith("readme")]


class Figures(TypedDict):
    """One set's figures, as printed with --json."""

    policies: int
    criteria: int
    mean_s_per_policy: float
    max_s_per_policy: float
    chars_per_s: int
    statuses: dict[str, int]
    inventory_items: int
    deterministic: bool


def bench(docs: list[tuple[str, PolicyDocument]], repeat: int) -> Figures:
    """Time every document; return the set's figures."""
    checklists = resolve_checklists(sorted(load_checklists()), load_checklists())
    seconds: list[float] = []
    chars = 0
    statuses: Counter[str] = Counter()
    inventory = 0
    deterministic = True
    for _, doc in docs:
        runs, outputs = [], []
        for _ in range(repeat):
            t0 = time.process_time()
            assessment = score_document(doc, VENDOR, checklists)
            runs.append(time.process_time() - t0)
            outputs.append(assessment.model_dump_json())
        deterministic &= len(set(outputs)) == 1
        seconds.append(statistics.median(runs))
        chars += len(doc.text)
        statuses.update(f.status.value for f in assessment.findings)
        inventory += len(assessment.inventory)
    return {"policies": len(docs), "criteria": sum(len(c.checklist.criteria) for c in checklists),
            "mean_s_per_policy": round(statistics.mean(seconds), 4), "max_s_per_policy": round(max(seconds), 4),
            "chars_per_s": round(chars / sum(seconds)), "statuses": {s.value: statuses[s.value] for s in Status},
            "inventory_items": inventory, "deterministic": deterministic}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="a folder of real policies (reference material)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per document; the median counts (default 3)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    sets = {"synthetic samples": SAMPLES}
    if args.corpus:
        if not args.corpus.is_dir():
            print(f"score_bench: no such folder {args.corpus}", file=sys.stderr)
            return 1
        sets[args.corpus.name] = args.corpus
    results = {name: bench(documents(folder), max(1, args.repeat)) for name, folder in sets.items()}
    if args.json:
        print(json.dumps(results, indent=2))
        return 0 if all(r["deterministic"] for r in results.values()) else 1
    print(f"{'set':<20} {'policies':>8} {'criteria':>8} {'mean s/policy':>13} {'max s':>7} {'chars/s':>9}  statuses")
    for name, r in results.items():
        counts = ", ".join(f"{k} {v}" for k, v in r["statuses"].items())
        print(f"{name:<20} {r['policies']:>8} {r['criteria']:>8} {r['mean_s_per_policy']:>13.4f} "
              f"{r['max_s_per_policy']:>7.3f} {r['chars_per_s']:>9}  {counts}; inventory items "
              f"{r['inventory_items']}; deterministic {'yes' if r['deterministic'] else 'NO'}")
    return 0 if all(r["deterministic"] for r in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
