"""The project's own text that follows a third-party sentence word for word: a check of "own words only".

    .venv/bin/python benchmarks/own_words.py ../shared/corpus/opp115-dev ../shared/corpus/policy-points \
        ../shared/corpus/library-vendors [--threshold 0.85] [--pairs 8] [--most 40] [--training-only]

What is checked: every sentence of every text file the repository tracks (the topic model's training files, gold
clauses, checklists and their examples, sample policies and test fixtures, data files, templates, README; with
`--training-only`, the training files `assessor/data/topic_training/*.yaml` alone): the files `git ls-files` lists
with a text suffix, HTML tags dropped. Each sentence is compared with every sentence of the reference corpora (an
OPP-115 style folder with `segments.jsonl`, a `policy-points` folder with `points.jsonl`, or a folder of policies as
`.md`/`.txt` files such as `library-vendors`): its score is the share of its word pairs (lowercased, adjacent words)
that one reference sentence also has. A sentence at 1.0 repeats a sentence of the corpus; around 0.6 and below it is
usually a stock phrase many policies share ("we do not sell your personal information"). Listed best first, those at
or above `--threshold` (and with at least `--pairs` word pairs, so short stock lines stay out), with the reference
sentence each follows: places to rewrite in the project's own words (and, for training sentences, then rebuild the
model). The corpora are read, never copied.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT_SUFFIXES = (".yaml", ".yml", ".md", ".html", ".htm", ".txt", ".j2", ".json", ".ipynb")
GENERATED = ("assessor/data/topic_model.json",)  # weights, not sentences
TRAINING = "assessor/data/topic_training/"
_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+|\\n")
_TAG = re.compile(r"<[^>]+>")


def pairs(text: str) -> set[tuple[str, str]]:
    """The adjacent word pairs of a text, lowercased."""
    words = _WORD.findall(text.lower())
    return set(zip(words, words[1:], strict=False))


def reference_sentences(folder: Path) -> list[tuple[str, str]]:
    """(where, sentence) of every sentence of a corpus folder's passages or policies."""
    for name, key in (("segments.jsonl", "policy"), ("points.jsonl", "service")):
        path = folder / name
        if path.is_file():
            out = []
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    row = json.loads(line)
                    out += [(f"{folder.name}/{row.get(key) or row.get('id')}", s)
                            for s in _SENTENCE.split(row["text"]) if len(s) > 30]
            return out
    policies = [p for p in sorted(folder.iterdir()) if p.suffix in (".md", ".txt")
                and not p.name.upper().startswith(("README", "LABELS"))]
    if not policies:
        raise FileNotFoundError(f"{folder}: no segments.jsonl, points.jsonl or policy files here")
    return [(f"{folder.name}/{p.name}", s) for p in policies
            for s in _SENTENCE.split(p.read_text(encoding="utf-8", errors="replace")) if len(s) > 30]


def own_sentences(training_only: bool) -> Iterator[tuple[str, str]]:
    """(file, sentence) of every tracked text file (only the topic training files when `training_only`)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in sorted(listed.decode().split("\0")):
        if not name.endswith(TEXT_SUFFIXES) or name in GENERATED or (training_only and not name.startswith(TRAINING)):
            continue
        text = html.unescape(_TAG.sub(" ", (ROOT / name).read_text(encoding="utf-8", errors="replace")))
        for sentence in _SENTENCE.split(text):
            yield name, sentence


def overlaps(references: list[tuple[str, str]], min_pairs: int, training_only: bool,
             ) -> list[tuple[float, str, str, str, str]]:
    """(score, file, own sentence, where, reference sentence) of every own sentence with `min_pairs` word pairs or
    more that shares any, best first."""
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, (_, sentence) in enumerate(references):
        for pair in pairs(sentence):
            index[pair].append(i)
    out = []
    for name, sentence in own_sentences(training_only):
        own = pairs(sentence)
        shared = Counter(i for pair in own for i in index.get(pair, ()))
        if len(own) < min_pairs or not shared:
            continue
        best, count = min(shared.items(), key=lambda item: (-item[1], item[0]))
        out.append((count / len(own), name, sentence.strip(), *references[best]))
    return sorted(out, key=lambda row: (-row[0], row[1], row[2]))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", type=Path, nargs="+", help="reference corpora (segments.jsonl, points.jsonl or "
                                                              "a folder of policies)")
    parser.add_argument("--threshold", type=float, default=0.85, help="list sentences scoring this or more")
    parser.add_argument("--pairs", type=int, default=8, help="leave out sentences with fewer word pairs")
    parser.add_argument("--most", type=int, default=40, help="list at most this many")
    parser.add_argument("--training-only", action="store_true", help="check the topic training sentences only")
    args = parser.parse_args(argv)
    references = [row for folder in args.folders for row in reference_sentences(folder)]
    rows = overlaps(references, args.pairs, args.training_only)
    listed = [row for row in rows if row[0] >= args.threshold]
    for score, name, sentence, where, reference in listed[:args.most]:
        print(f"{score:.2f} {name}: {sentence[:200]}\n     {where}: {reference[:200]}")
    print(f"{len(listed)} of {len(rows)} sentences share >= {args.threshold:.2f} of their word pairs with one "
          f"sentence of {', '.join(str(f) for f in args.folders)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
