"""The project's own text that follows a third-party sentence word for word: a check of "own words only".

    .venv/bin/python benchmarks/own_words.py ../shared/corpus/opp115-dev ../shared/corpus/policy-points \
        ../shared/corpus/library-vendors [--threshold 0.85] [--pairs 8] [--most 40] [--training-only] [--paraphrase]

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

A paraphrase keeps a passage's ideas and details in other word order, so it shares few word pairs (about 0.5).
`--paraphrase` scores content words instead (lowercased, common words dropped, plural and verb endings cut, each
weighted by how rare it is in the corpora): the mean of the cosine between the two sentences and the weighted share of
the own sentence's words that the reference sentence has; listed from `--threshold` 0.75, with at least `--pairs` 5
content words. Stock lines score high too ("we do not knowingly collect information from children under 13"), so
the list is for reading: a paraphrase follows one passage's particular details and sequence, not just its topic.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT_SUFFIXES = (".yaml", ".yml", ".md", ".html", ".htm", ".txt", ".j2", ".json", ".ipynb")
GENERATED = ("assessor/data/topic_model.json",)  # weights, not sentences
TRAINING = "assessor/data/topic_training/"
_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+|\\n")
_TAG = re.compile(r"<[^>]+>")
_COMMON = frozenset("""a about after all also an and any are as at be been before being but by can could do does
each for from had has have how i if in into is it its may me might more most must my no not of on once only or other
our out over own shall should so some such than that the their them then there these they this those through to
under until upon us was we were what when where which while who whom why will with within without would you
your""".split())
_ENDINGS = ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "ly", "s")
_CANDIDATES = 20  # references scored exactly per sentence, the best by cosine over the rarer words

Scorer = Callable[[str], tuple[float, int] | None]


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


def terms(text: str) -> Counter[str]:
    """The content words of a text: lowercased, common words dropped, plural and verb endings cut."""
    words = (w for w in _WORD.findall(text.lower()) if len(w) > 1 and w not in _COMMON)
    return Counter(next((w[:-len(e)] for e in _ENDINGS if len(w) > len(e) + 3 and w.endswith(e)), w) for w in words)


def word_pairs(references: list[tuple[str, str]], min_pairs: int) -> Scorer:
    """Scores a sentence with `min_pairs` word pairs or more: (share of its word pairs one reference sentence has,
    that sentence's index), or None."""
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, (_, sentence) in enumerate(references):
        for pair in pairs(sentence):
            index[pair].append(i)

    def score(sentence: str) -> tuple[float, int] | None:
        own = pairs(sentence)
        shared = Counter(i for pair in own for i in index.get(pair, ()))
        if len(own) < min_pairs or not shared:
            return None
        best, count = min(shared.items(), key=lambda item: (-item[1], item[0]))
        return count / len(own), best
    return score


def content_words(references: list[tuple[str, str]], min_terms: int) -> Scorer:
    """Scores a sentence with `min_terms` content words or more for paraphrase: (mean of the tf-idf cosine and the
    idf-weighted share of its words that one reference sentence has, at the best reference sentence; its index)."""
    counts = [terms(sentence) for _, sentence in references]
    df = Counter(t for c in counts for t in c)
    idf = {t: math.log((1 + len(counts)) / (1 + d)) + 1.0 for t, d in df.items()}
    unseen = math.log(1 + len(counts)) + 1.0

    def weigh(c: Counter[str]) -> dict[str, float]:
        return {t: (1.0 + math.log(n)) * idf.get(t, unseen) for t, n in c.items()}

    vectors = [weigh(c) for c in counts]
    norms = [math.sqrt(sum(v * v for v in w.values())) or 1.0 for w in vectors]
    index: dict[str, list[int]] = defaultdict(list)
    for i, w in enumerate(vectors):
        for t in w:
            if 3 * df[t] < len(counts):  # words in a third of the sentences or more narrow nothing down
                index[t].append(i)

    def score(sentence: str) -> tuple[float, int] | None:
        own = weigh(terms(sentence))
        dot: defaultdict[int, float] = defaultdict(float)
        for t, v in own.items():
            for i in index.get(t, ()):
                dot[i] += v * vectors[i][t] / norms[i]
        if len(own) < min_terms or not dot:
            return None
        norm, total = math.sqrt(sum(v * v for v in own.values())), sum(own.values())

        def both(i: int) -> float:
            shared = [t for t in own if t in vectors[i]]
            cosine = sum(own[t] * vectors[i][t] for t in shared) / (norm * norms[i])
            return (cosine + sum(own[t] for t in shared) / total) / 2

        best = min(sorted(dot, key=lambda i: (-dot[i], i))[:_CANDIDATES], key=lambda i: (-both(i), i))
        return both(best), best
    return score


def overlaps(references: list[tuple[str, str]], score: Scorer, training_only: bool,
             ) -> list[tuple[float, str, str, str, str]]:
    """(score, file, own sentence, where, reference sentence) of every own sentence `score` scores, best first."""
    out = []
    for name, sentence in own_sentences(training_only):
        scored = score(sentence)
        if scored is not None:
            out.append((scored[0], name, sentence.strip(), *references[scored[1]]))
    return sorted(out, key=lambda row: (-row[0], row[1], row[2]))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", type=Path, nargs="+", help="reference corpora (segments.jsonl, points.jsonl or "
                                                              "a folder of policies)")
    parser.add_argument("--threshold", type=float, help="list sentences scoring this or more (0.85; 0.75 with "
                                                             "--paraphrase)")
    parser.add_argument("--pairs", type=int, help="leave out sentences with fewer word pairs (8), or fewer content "
                                                  "words with --paraphrase (5)")
    parser.add_argument("--most", type=int, default=40, help="list at most this many")
    parser.add_argument("--training-only", action="store_true", help="check the topic training sentences only")
    parser.add_argument("--paraphrase", action="store_true", help="score shared content words, not word pairs")
    args = parser.parse_args(argv)
    references = [row for folder in args.folders for row in reference_sentences(folder)]
    paraphrase = args.paraphrase
    threshold = args.threshold if args.threshold is not None else 0.75 if paraphrase else 0.85
    least = args.pairs if args.pairs is not None else 5 if paraphrase else 8
    scorer = content_words(references, least) if paraphrase else word_pairs(references, least)
    rows = overlaps(references, scorer, args.training_only)
    listed = [row for row in rows if row[0] >= threshold]
    for score, name, sentence, where, reference in listed[:args.most]:
        print(f"{score:.2f} {name}: {sentence[:200]}\n     {where}: {reference[:200]}")
    what = "score >= {:.2f} on content words" if paraphrase else "share >= {:.2f} of their word pairs"
    print(f"{len(listed)} of {len(rows)} sentences {what.format(threshold)} with one sentence of "
          f"{', '.join(str(f) for f in args.folders)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
