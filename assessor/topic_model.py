"""A small learned topic model, trained only on sentences the project wrote itself, that `classify` fuses with its cues.

    python -m assessor.topic_model build [--out PATH] [--training DIR]   # rebuild data/topic_model.json

Training data: `data/topic_training/*.yaml`, groups of sentences written for this project (fictional services, never
copied from a real policy), each group with the topics its sentences carry (`[]` for text about none). Each sentence
is an example, and so is each pair of neighbouring groups' sentences joined into a paragraph (the union of topics).
Features: lowercased words and the first five letters of longer words, weighted by sublinear term frequency times
inverse document frequency and L2-normalised; features seen in fewer than two examples are dropped. Model: one
logistic regression per topic, trained by stochastic gradient descent in plain Python with fixed epochs, order and
rates (no randomness, no third-party numerics), so a rebuild gives the shipped file byte for byte; positive examples
are weighted up to balance each topic's classes. The weights are stored as JSON rounded to three decimals, one
feature per line. `logits(text)` gives each topic's log-odds, `explain(text, topic)` the words behind one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Container
from functools import cache
from importlib import resources
from operator import mul
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .loading import LoadError, load_model
from .models import Topic

_TRAINING = "data/topic_training"
_WEIGHTS = "data/topic_model.json"
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+|)")  # "(?:x|)" matches as "(?:x)?" does, and `re` runs it faster
_STEM = 5
EPOCHS = 12
RATE = 0.5
L2 = 1e-5
MIN_DF = 2
TOPICS = tuple(t.value for t in Topic)


class TopicTrainingError(LoadError):
    """A training file is malformed (every problem, located by file, line and field)."""


class TrainingGroup(BaseModel):
    """Sentences (one a line) that all carry the same topics (`[]`: about none)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    topics: list[Topic]
    sentences: str = Field(min_length=1)


class TrainingFile(BaseModel):
    """One file of `data/topic_training/`."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    groups: list[TrainingGroup] = Field(min_length=1)


def _counts(text: str) -> Counter[str]:
    """Each feature's count, in order of first appearance."""
    words = _TOKEN.findall(text.lower())
    return Counter([*words, *["~" + w[:_STEM] for w in words if len(w) > _STEM]])


def _vector(counts: Counter[str], idf: dict[str, float]) -> tuple[list[str], list[float]]:
    """Sublinear tf times idf over the known features, L2-normalised: the features and their values."""
    log, get = math.log, idf.get
    features: list[str] = []
    values: list[float] = []
    for f, n in counts.items():
        if (i := get(f)) is not None:
            features.append(f)
            values.append((1.0 + log(n)) * i if n > 1 else i)
    norm = math.sqrt(sum([v * v for v in values])) or 1.0
    return features, [v / norm for v in values]


def read_groups(folder: Path) -> list[tuple[list[str], frozenset[str]]]:
    """The sentence groups of every training file, in file-name order, with their topics. TopicTrainingError lists
    every problem of every file by file, line and field."""
    groups: list[tuple[list[str], frozenset[str]]] = []
    problems = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            spec = load_model(TrainingFile, path)
        except LoadError as exc:
            problems += exc.problems
            continue
        groups += [([s.strip() for s in g.sentences.splitlines() if s.strip()], frozenset(t.value for t in g.topics))
                   for g in spec.groups]
    if problems:
        raise TopicTrainingError(problems)
    return groups


def examples(groups: list[tuple[list[str], frozenset[str]]]) -> list[tuple[str, frozenset[str]]]:
    """Every sentence with its group's topics, then a paragraph per pair of sentences of neighbouring groups (the
    union of topics), so that the model also sees passages about two things."""
    out = [(s, topics) for lines, topics in groups for s in lines]
    for (first, a), (second, b) in zip(groups, groups[1:] + groups[:1], strict=True):
        out += [(f"{x} {y}", a | b) for x, y in zip(first, second, strict=False)]  # as many as the shorter
    return out


def train(examples: list[tuple[str, frozenset[str]]]) -> dict:
    """The model's JSON-ready content, learned from the examples."""
    counts = [_counts(text) for text, _ in examples]
    df = Counter(f for c in counts for f in c)
    n = len(examples)
    idf = {f: math.log((1 + n) / (1 + d)) + 1.0 for f, d in sorted(df.items()) if d >= MIN_DF}
    vectors = [_vector(c, idf) for c in counts]
    labels = [[1.0 if t in topics else 0.0 for t in TOPICS] for _, topics in examples]
    positives = [sum(y[k] for y in labels) for k in range(len(TOPICS))]
    up = [min((n - p) / p, 20.0) if p else 1.0 for p in positives]  # balance each topic's classes
    weights = {f: [0.0] * len(TOPICS) for f in idf}
    bias = [0.0] * len(TOPICS)
    order = sorted(range(n), key=lambda i: hashlib.sha256(examples[i][0].encode()).hexdigest())
    step = 0
    for epoch in range(EPOCHS):
        for i in order[epoch % 7:] + order[:epoch % 7]:
            step += 1
            rate = RATE / (1.0 + step / n)
            x, y = vectors[i], labels[i]
            z = list(bias)
            for f, v in zip(*x, strict=True):
                z = [a + v * w for a, w in zip(z, weights[f], strict=True)]
            grad = [(_sigmoid(s) - t) * (u if t else 1.0) for s, t, u in zip(z, y, up, strict=True)]
            bias = [b - rate * g for b, g in zip(bias, grad, strict=True)]
            for f, v in zip(*x, strict=True):
                weights[f] = [w - rate * (v * g + L2 * w) for w, g in zip(weights[f], grad, strict=True)]
    kept = {f: [round(w, 3) for w in ws] for f, ws in weights.items() if any(abs(w) >= 5e-4 for w in ws)}
    return {"about": "Topic model of assessor, trained by `python -m assessor.topic_model build` on the project's "
                     "own sentences (assessor/data/topic_training); not trained on any third-party text.",
            "topics": list(TOPICS), "bias": [round(b, 4) for b in bias],
            "idf": {f: round(idf[f], 4) for f in kept}, "weights": kept}


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def dumps(model: dict) -> str:
    """The stored form: one feature per line, so a diff of two builds is readable."""
    head = {k: v for k, v in model.items() if k not in ("idf", "weights")}
    lines = [json.dumps(head)[:-1] + ', "weights": {']
    rows = [f"{json.dumps(f)}: {json.dumps([model['idf'][f], w])}" for f, w in model["weights"].items()]
    return "\n".join([*lines, ",\n".join(rows), "}}"]) + "\n"


@cache
def _load() -> tuple[tuple[str, ...], list[float], dict[str, float], dict[str, list[float]]]:
    raw = json.loads(resources.files("assessor").joinpath(_WEIGHTS).read_text(encoding="utf-8"))
    weights = raw["weights"]
    return (tuple(raw["topics"]), raw["bias"], {f: iw[0] for f, iw in weights.items()},
            {f: iw[1] for f, iw in weights.items()})


def logits(text: str, wanted: Container[str] | None = None) -> dict[str, float]:
    """Each topic's log-odds for a passage (with `wanted`, those of these topics only)."""
    topics, bias, idf, weights = _load()
    features, values = _vector(_counts(text), idf)
    if not features:
        return {t: b for t, b in zip(topics, bias, strict=True) if wanted is None or t in wanted}
    columns = zip(*map(weights.__getitem__, features), strict=True)  # each topic's weights of the passage's features
    return {t: b + sum(map(mul, values, c)) for t, b, c in zip(topics, bias, columns, strict=True)
            if wanted is None or t in wanted}


def explain(text: str, topic: str, most: int = 5) -> list[tuple[str, float]]:
    """The passage's features that weigh most for or against a topic, with what each adds to its log-odds, largest
    first ("~" marks a word stem): what the learned model leaned on."""
    topics, _, idf, weights = _load()
    k = topics.index(topic)
    parts = [(f, round(v * weights[f][k], 3)) for f, v in zip(*_vector(_counts(text), idf), strict=True)]
    return sorted(parts, key=lambda p: (-abs(p[1]), p[0]))[:most]


def training_folder() -> Path:
    """Where the shipped training sentences are."""
    return Path(str(resources.files("assessor").joinpath(_TRAINING)))


def build(out: Path, folder: Path | None = None) -> None:
    """Train on the sentences in `folder` (the shipped ones by default) and write the weights to `out`."""
    from .fileio import atomic_write_text  # here, not at import: classifying never writes

    folder = folder or training_folder()
    atomic_write_text(out, dumps(train(examples(read_groups(folder)))))


def main(argv: list[str] | None = None) -> int:
    """`python -m assessor.topic_model build [--out PATH]`."""
    parser = argparse.ArgumentParser(prog="python -m assessor.topic_model", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["build"])
    parser.add_argument("--out", type=Path, default=Path(str(resources.files("assessor").joinpath(_WEIGHTS))),
                        help="where to write the weights (default: the shipped data/topic_model.json)")
    parser.add_argument("--training", type=Path, help="a folder of training files (default: the shipped ones)")
    args = parser.parse_args(argv)
    try:
        build(args.out, args.training)
    except TopicTrainingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
