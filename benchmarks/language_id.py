"""How often an English policy is taken for another language (which would send all its findings to needs_review).

    .venv/bin/python benchmarks/language_id.py FOLDER [FOLDER ...]

Reads every .txt, .md and .html file under the folders as text and prints how many the identifier calls English,
another language, or undecided (too short or unsure), naming the non-English ones. Exit 1 if any is non-English.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from assessor.language import detect_language

SUFFIXES = {".txt", ".md", ".html", ".htm"}
NOT_POLICIES = {"README.md", "LABELS.md"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    args = parser.parse_args()
    files = sorted(p for folder in args.folders for p in folder.rglob("*")
                   if p.suffix.lower() in SUFFIXES and p.name not in NOT_POLICIES)
    start = time.perf_counter()
    found = {p: detect_language(p.read_text(encoding="utf-8", errors="replace")) for p in files}
    elapsed = time.perf_counter() - start
    counts = Counter("undecided" if lang is None else lang for lang in found.values())
    print(f"{len(files)} file(s) in {elapsed:.1f} s: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    foreign = [(p, lang) for p, lang in found.items() if lang not in (None, "en")]
    for path, lang in foreign:
        print(f"  {lang}: {path}")
    return 1 if foreign else 0


if __name__ == "__main__":
    raise SystemExit(main())
