"""Topic classification on the ToS;DR / PrivacySpy passages of `policy-points`, a set no topic change was chosen on.

    .venv/bin/python benchmarks/points_topics.py ../shared/corpus/policy-points [--bootstrap N] [--errors TOPIC]

Each English passage of `points.jsonl` that carries topics is classified on its own with
`assessor.classify.topic_confidences` (no heading, no list context); duplicate texts are merged, their topics united.
A passage's labels come from the ToS;DR case or PrivacySpy question it was quoted for, so they are right but
incomplete: recall is meaningful, precision is a lower bound (a passage quoted for "sells your data" may well also be
about sharing, which then counts as a false positive). Per topic: precision, recall and F1 at confidence >= 0.5; the
macro averages over the 9 OPP-115 topics and over every topic with passages. `--bootstrap N` resamples services
(passages of one service share wording) for a 95% interval of the 9-topic macro-F1. The passages are third-party
text: read here, never copied into the project, and nothing is learned from them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from accuracy import SEGMENT_TOPICS, Counts, _macro, _pooled, bootstrap

from assessor.classify import THRESHOLD, topic_confidences
from assessor.models import Topic


def load(path: Path) -> list[tuple[str, str, set[str]]]:
    """(service, text, topics) of each distinct English passage with topics."""
    merged: dict[str, tuple[str, set[str]]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["lang"] != "en" or not row["topics"]:
                continue
            service = row["service"] or row["domain"] or row["id"]
            merged.setdefault(row["text"], (service, set()))[1].update(row["topics"])
    return [(service, text, topics) for text, (service, topics) in sorted(merged.items())]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="the policy-points folder (points.jsonl)")
    parser.add_argument("--bootstrap", metavar="N", type=int, default=0,
                        help="a 95%% interval of the 9-topic macro-F1 from N resamples of the services")
    parser.add_argument("--errors", metavar="TOPIC", choices=[t.value for t in Topic],
                        help="also print the passages this topic misses (for study; never copied)")
    args = parser.parse_args(argv)
    if not (args.folder / "points.jsonl").is_file():
        parser.error(f"{args.folder}: no points.jsonl here")
    rows = load(args.folder / "points.jsonl")
    by_service: dict[str, dict[str, Counts]] = defaultdict(lambda: defaultdict(Counts))
    for service, text, gold in rows:
        found = {s.topic.value for s in topic_confidences(text) if s.confidence >= THRESHOLD}
        for topic in Topic:
            by_service[service][topic.value].add(topic.value in gold, topic.value in found)
        if args.errors and args.errors in gold and args.errors not in found:
            print(f"FN {service}: {text}\n")
    services = list(by_service.values())
    totals = {t.value: _pooled(services, t.value) for t in Topic}
    lines = [f"{len(rows)} English passages with topics, {len(services)} services", "",
             f"{'topic':<24}{'P (bound)':>10}{'R':>7}{'F1':>7}{'n':>6}"]
    labelled = [t for t in totals if totals[t].tp + totals[t].fn]
    for name in labelled:
        p, r, f = totals[name].prf()
        lines.append(f"{name:<24}{p:>10.3f}{r:>7.3f}{f:>7.3f}{totals[name].tp + totals[name].fn:>6}")
    nine = _macro(totals[t] for t in SEGMENT_TOPICS)
    every = _macro(totals[t] for t in labelled)
    lines += ["", f"{'macro, 9 OPP-115 topics':<24}{nine[0]:>10.3f}{nine[1]:>7.3f}{nine[2]:>7.3f}",
              f"{f'macro, {len(labelled)} topics':<24}{every[0]:>10.3f}{every[1]:>7.3f}{every[2]:>7.3f}"]
    if args.bootstrap:
        low, high = bootstrap(services, SEGMENT_TOPICS, args.bootstrap)
        lines.append(f"9-topic macro-F1 95% interval {low:.3f} to {high:.3f} "
                     f"({args.bootstrap} resamples of the {len(services)} services)")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
