"""Scoring speed: policies per CPU second, parsing included, with the checklists a librarian names; seconds per
policy with every shipped checklist; and how long `assessor score FILE` takes from start to finish.

    .venv/bin/python benchmarks/score_bench.py [--corpus ../shared/corpus/library-vendors] [--repeat 3]
        [--checklist ala-econtent --checklist niso-privacy --checklist us-ca] [--startup-runs 5] [--json]

Documents: the synthetic sample policies (`vendor_profiles/samples/`), and with `--corpus` every `.md`/`.txt`/
`.html` file of that folder but its README (e.g. the archived library-vendor policies in the reference material).
Per set:
  - policies/s: each file is parsed and scored against the `--checklist` ones (by default `ala-econtent`,
    `niso-privacy` and `us-ca`, with the category `assessor score` would use) `--repeat` times; the median CPU time
    per file counts, and the figure is files / the sum of those medians (the target is 20 per second on one core);
  - every shipped checklist: the median CPU seconds to score an already parsed file against all of them (mean and
    worst per policy, characters per second), with the findings by status; each document's first runs are compared
    byte for byte (the engine must be deterministic).
CPU, not wall-clock, time: the figures hold on a shared machine. Start-up: the wall-clock time of
`python -m assessor score <first sample> --checklist ... --format json` in a fresh process, median of
`--startup-runs` runs (0 to skip; the target is under 0.5 s).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TypedDict

from assessor.loading import LoadedChecklist, load_checklists, resolve_checklists
from assessor.models import Status, VendorProfile
from assessor.parse import parse_file
from assessor.score import checklist_category, forget_texts, score_document

SAMPLES = Path(__file__).resolve().parent.parent / "vendor_profiles" / "samples"
SUFFIXES = (".html", ".htm", ".txt", ".md")
DEFAULT_CHECKLISTS = ["ala-econtent", "niso-privacy", "us-ca"]


def vendor(category: str) -> VendorProfile:
    """The profile documents are scored for."""
    return VendorProfile.model_validate({"id": "bench", "name": "Benchmark", "category": category,
                                         "documents": [{"kind": "privacy-policy", "path": "bench.html"}]})


VENDOR = vendor("econtent")


def policy_files(folder: Path) -> list[Path]:
    """The policies of a folder (its README and labels notes left out), sorted."""
    return [p for p in sorted(folder.iterdir())
            if p.suffix.lower() in SUFFIXES and not p.name.lower().startswith(("readme", "labels"))]


def throughput(files: list[Path], checklists: list[LoadedChecklist], repeat: int) -> float:
    """Policies per CPU second, each parsed and scored against the checklists (the median of `repeat` runs)."""
    profile = vendor(checklist_category(checklists)[0].value)
    seconds = []
    for path in files:
        runs = []
        for _ in range(repeat):
            forget_texts()  # each run reads the document afresh, as a first reading would
            t0 = time.process_time()
            score_document(parse_file(path), profile, checklists)
            runs.append(time.process_time() - t0)
        seconds.append(statistics.median(runs))
    return round(len(files) / sum(seconds), 2)


def startup(sample: Path, checklist_ids: list[str], runs: int) -> float:
    """Median wall-clock seconds of `python -m assessor score SAMPLE --checklist ... --format json`."""
    command = [sys.executable, "-m", "assessor", "score", str(sample), "--format", "json",
               *(a for cid in checklist_ids for a in ("--checklist", cid))]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=SAMPLES.parent.parent)
        times.append(time.perf_counter() - t0)
    return round(statistics.median(times), 3)


class Figures(TypedDict):
    """One set's figures, as printed with --json."""

    policies: int
    policies_per_s: float
    criteria: int
    mean_s_per_policy: float
    max_s_per_policy: float
    chars_per_s: int
    statuses: dict[str, int]
    inventory_items: int
    deterministic: bool


def bench(files: list[Path], checklist_ids: list[str], repeat: int) -> Figures:
    """Time every document; return the set's figures."""
    per_s = throughput(files, resolve_checklists(checklist_ids, load_checklists()), repeat)
    docs = [(p.name, parse_file(p)) for p in files]
    checklists = resolve_checklists(sorted(load_checklists()), load_checklists())
    seconds: list[float] = []
    chars = 0
    statuses: Counter[str] = Counter()
    inventory = 0
    deterministic = True
    for _, doc in docs:
        runs, outputs = [], []
        for _ in range(repeat):
            forget_texts()
            t0 = time.process_time()
            assessment = score_document(doc, VENDOR, checklists)
            runs.append(time.process_time() - t0)
            outputs.append(assessment.model_dump_json())
        deterministic &= len(set(outputs)) == 1
        seconds.append(statistics.median(runs))
        chars += len(doc.text)
        statuses.update(f.status.value for f in assessment.findings)
        inventory += len(assessment.inventory)
    return {"policies": len(docs), "policies_per_s": per_s,
            "criteria": sum(len(c.checklist.criteria) for c in checklists),
            "mean_s_per_policy": round(statistics.mean(seconds), 4), "max_s_per_policy": round(max(seconds), 4),
            "chars_per_s": round(chars / sum(seconds)), "statuses": {s.value: statuses[s.value] for s in Status},
            "inventory_items": inventory, "deterministic": deterministic}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="a folder of real policies (reference material)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per document; the median counts (default 3)")
    parser.add_argument("--checklist", action="append", metavar="ID",
                        help=f"a checklist for policies/s (repeatable; default {' '.join(DEFAULT_CHECKLISTS)})")
    parser.add_argument("--startup-runs", type=int, default=5, help="runs of `assessor score`; the median counts")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    checklist_ids = args.checklist or DEFAULT_CHECKLISTS
    sets = {"synthetic samples": SAMPLES}
    if args.corpus:
        if not args.corpus.is_dir():
            print(f"score_bench: no such folder {args.corpus}", file=sys.stderr)
            return 1
        sets[args.corpus.name] = args.corpus
    results = {name: bench(policy_files(folder), checklist_ids, max(1, args.repeat)) for name, folder in sets.items()}
    sample = policy_files(SAMPLES)[0]
    start = startup(sample, checklist_ids, args.startup_runs) if args.startup_runs > 0 else None
    ok = all(r["deterministic"] for r in results.values())
    if args.json:
        print(json.dumps({"sets": results, "checklists": checklist_ids, "startup_s": start}, indent=2))
        return 0 if ok else 1
    print(f"policies/s: parsed and scored against {', '.join(checklist_ids)}, per CPU second (target 20)")
    print("every shipped checklist: CPU seconds to score a parsed policy")
    print(f"{'set':<20} {'policies':>8} {'policies/s':>10} {'criteria':>8} {'mean s/policy':>13} {'max s':>7} "
          f"{'chars/s':>9}  statuses")
    for name, r in results.items():
        counts = ", ".join(f"{k} {v}" for k, v in r["statuses"].items())
        print(f"{name:<20} {r['policies']:>8} {r['policies_per_s']:>10.2f} {r['criteria']:>8} "
              f"{r['mean_s_per_policy']:>13.4f} {r['max_s_per_policy']:>7.3f} {r['chars_per_s']:>9}  {counts}; "
              f"inventory items {r['inventory_items']}; deterministic {'yes' if r['deterministic'] else 'NO'}")
    if start is not None:
        print(f"start-up: `assessor score {sample.name} --format json` with {', '.join(checklist_ids)}: "
              f"{start:.3f} s wall clock, median of {args.startup_runs} (target < 0.5 s)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
