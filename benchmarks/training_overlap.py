"""The topic model's training sentences that follow a third-party sentence word for word: a check of "own words only".

    .venv/bin/python benchmarks/training_overlap.py ../shared/corpus/opp115-dev [../shared/corpus/policy-points ...]
                                                   [--threshold 0.85] [--most 40]

Each sentence of `assessor/data/topic_training/*.yaml` is compared with every sentence of the reference corpora (an
OPP-115 style folder with `segments.jsonl`, or a `policy-points` folder with `points.jsonl`): its score is the share of
its word pairs (lowercased, adjacent words) that one reference sentence also has. A sentence at 1.0 repeats a
sentence of the corpus; around 0.6 and below it is usually a stock phrase many policies share ("we do not sell your
personal information"). Listed best first, those at or above `--threshold` (and with at least `--pairs` word pairs,
so short stock lines stay out), with the reference sentence each follows: places to rewrite in the project's own
words, then rebuild the model. The corpora are read, never copied.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from assessor import topic_model

_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+")


def pairs(text: str) -> set[tuple[str, str]]:
    """The adjacent word pairs of a text, lowercased."""
    words = _WORD.findall(text.lower())
    return set(zip(words, words[1:], strict=False))


def reference_sentences(folder: Path) -> list[tuple[str, str]]:
    """(where, sentence) of every sentence of a corpus folder's passages."""
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
    raise FileNotFoundError(f"{folder}: no segments.jsonl or points.jsonl here")


def overlaps(references: list[tuple[str, str]], min_pairs: int) -> list[tuple[float, str, str, str]]:
    """(score, training sentence, where, reference sentence) of every training sentence with `min_pairs` word pairs
    or more, best first."""
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, (_, sentence) in enumerate(references):
        for pair in pairs(sentence):
            index[pair].append(i)
    out = []
    for lines, _ in topic_model.read_groups(topic_model.training_folder()):
        for sentence in lines:
            own = pairs(sentence)
            shared = Counter(i for pair in own for i in index.get(pair, ()))
            if len(own) < min_pairs or not shared:
                continue
            best, count = min(shared.items(), key=lambda item: (-item[1], item[0]))
            out.append((count / len(own), sentence, *references[best]))
    return sorted(out, key=lambda row: (-row[0], row[1]))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", type=Path, nargs="+", help="reference corpora (segments.jsonl or points.jsonl)")
    parser.add_argument("--threshold", type=float, default=0.85, help="list sentences scoring this or more")
    parser.add_argument("--pairs", type=int, default=8, help="leave out sentences with fewer word pairs")
    parser.add_argument("--most", type=int, default=40, help="list at most this many")
    args = parser.parse_args(argv)
    references = [row for folder in args.folders for row in reference_sentences(folder)]
    rows = overlaps(references, args.pairs)
    listed = [row for row in rows if row[0] >= args.threshold]
    for score, sentence, where, reference in listed[:args.most]:
        print(f"{score:.2f} {sentence}\n     {where}: {reference[:200]}")
    print(f"{len(listed)} of {len(rows)} training sentences share >= {args.threshold:.2f} of their word pairs with one "
          f"sentence of {', '.join(str(f) for f in args.folders)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
