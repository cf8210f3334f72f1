"""Run every benchmark in this folder, one after the other, and say which failed.

    .venv/bin/python benchmarks/run_all.py [--shared ../shared] [--only NAME ...]

Each benchmark is registered below with its arguments; `{shared}` stands for the reference-material folder (those
benchmarks are skipped, and say so, when it is absent). Add yours with a one-line entry.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS: dict[str, list[str]] = {
    "accuracy.py": ["{shared}/corpus/opp115-dev"],
    "audit_bench.py": [],
    "fetch_bench.py": [],
    "gold.py": [],
    "language_id.py": ["vendor_profiles/samples", "{shared}/corpus/library-vendors", "{shared}/corpus/opp115-dev"],
    "long_passages.py": ["--max-kb", "640"],
    "not_a_policy.py": ["vendor_profiles/samples", "{shared}/corpus/library-vendors",
                        "{shared}/corpus/opp115-dev/policies"],
    "parse_corpus.py": ["--shared", "{shared}"],
    "points.py": ["{shared}"],
    "points_topics.py": ["{shared}/corpus/policy-points"],
    "report_pages.py": [],
    "score_bench.py": ["--corpus", "{shared}/corpus/library-vendors"],
    "vendor_agreement.py": ["{shared}"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(HERE.parent.parent / "shared"),
                        help="reference material folder (default: ../shared)")
    parser.add_argument("--only", nargs="*", default=[], metavar="NAME", help="run only these scripts")
    args = parser.parse_args()
    shared = Path(args.shared).resolve()
    failed: list[str] = []
    for script, template in BENCHMARKS.items():
        if args.only and script not in args.only and Path(script).stem not in args.only:
            continue
        if any("{shared}" in a for a in template) and not shared.is_dir():
            print(f"== {script}: skipped (no reference material at {shared})", flush=True)
            continue
        command = [sys.executable, str(HERE / script), *(a.format(shared=shared) for a in template)]
        print(f"== {script}", flush=True)
        if subprocess.run(command, cwd=HERE.parent).returncode != 0:
            failed.append(script)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
