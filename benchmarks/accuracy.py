"""Topic-classification accuracy on an OPP-115 style corpus, end to end as a user runs it.

    .venv/bin/python benchmarks/accuracy.py ../shared/corpus/opp115-dev [--split tune|check] [--errors TOPIC]
                                            [--bootstrap N] [--reliability] [--save JSON] [--compare JSON]

Each `policies/<id>.txt` is parsed with `assessor.parse.parse_file` and classified with `assessor.classify.classify`;
the records are aligned with the corpus' segments (a .txt paragraph is a block between blank lines, so one paragraph
per segment; the alignment is checked, a list item's text losing only its bullet, and any mismatch reported).
Scoring follows the corpus README:
  - segment level: per-topic precision/recall/F1 of the topics at confidence >= 0.5 against `majority`, over the
    segments with `in_majority_set`; macro average over the 9 topics and micro average;
  - policy level: a topic is addressed when some segment has it in `majority`, not addressed when no segment has it
    even in `union` (other policies are left out for that topic); F1 per topic, macro over the 7 topics below;
  - speed: CPU time per policy for parse + classify (and the wall clock, which a busy machine inflates);
  - `--bootstrap N`: a 95% interval for segment macro-F1 from N resamples of the policies (with replacement, fixed
    seed), since segments of one policy are not independent: trust a change only when it is bigger than that;
  - `--reliability`: how often the topics listed at each confidence are ones the annotators gave (calibration);
  - `--save JSON` keeps each policy's counts; `--compare JSON` (a run saved before a change) gives the change in
    segment macro-F1 with a paired bootstrap interval, much narrower than two separate intervals.
`--split` keeps a deterministic part of the policies (a policy is in `check` when the SHA-256 of its id is 0 mod 3,
else in `tune`), so that cues tuned on `tune` can be measured on `check`. The corpus is reference material: it is
read, never copied, and nothing is learned from it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from assessor.classify import THRESHOLD, classify, topic_confidences
from assessor.parse import parse_file
from assessor.parse.normalize import normalize

SEGMENT_TOPICS = ("first-party-collection", "third-party-sharing", "user-choice", "user-access", "data-retention",
                  "data-security", "policy-change", "do-not-track", "specific-audiences")
POLICY_TOPICS = SEGMENT_TOPICS[2:]


@dataclass
class Counts:
    """True positives, false positives and false negatives of one topic."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: bool, predicted: bool) -> None:
        """Count one decision."""
        self.tp += gold and predicted
        self.fp += predicted and not gold
        self.fn += gold and not predicted

    def prf(self) -> tuple[float, float, float]:
        """Precision, recall and F1 (0 when undefined)."""
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Result:
    """Everything the report shows."""

    policies: int = 0
    seconds: float = 0.0  # wall clock, parse + classify
    cpu_parse: float = 0.0  # CPU time of this process
    cpu_classify: float = 0.0
    misaligned: list[str] = field(default_factory=list)
    segment: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_policy: dict[str, dict[str, Counts]] = field(default_factory=dict)  # segment counts of each policy
    shown: list[tuple[float, bool]] = field(default_factory=list)  # (confidence, in majority) of each topic listed
    policy: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # kind (FP/FN), policy:segment, text


def in_split(policy: str, split: str) -> bool:
    """Whether a policy belongs to a split ('all', 'tune' = 2/3 of the policies, 'check' = the other 1/3)."""
    check = int(hashlib.sha256(policy.encode()).hexdigest(), 16) % 3 == 0
    return split == "all" or (split == "check") == check


def load_segments(corpus: Path) -> dict[str, list[dict]]:
    """The corpus' segments grouped by policy, in order."""
    by_policy: dict[str, list[dict]] = defaultdict(list)
    with (corpus / "segments.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            by_policy[row["policy"]].append(row)
    for rows in by_policy.values():
        rows.sort(key=lambda r: r["segment"])
    return dict(by_policy)


def predicted_topics(path: Path, segments: list[dict], result: Result) -> list[dict[str, float]]:
    """Parse and classify one policy file; the topics listed for each segment with their confidence (aligned 1:1
    and verified)."""
    started, cpu = time.perf_counter(), time.process_time()
    doc = parse_file(path)
    parsed = time.process_time()
    records = classify(doc)
    result.seconds += time.perf_counter() - started
    result.cpu_parse += parsed - cpu
    result.cpu_classify += time.process_time() - parsed
    by_start = {r.start: {t.topic.value: t.confidence for t in r.topics} for r in records}
    if len(doc.paragraphs) != len(segments):
        result.misaligned.append(f"{path.stem}: {len(doc.paragraphs)} paragraphs for {len(segments)} segments")
    out = []
    for paragraph, segment in zip(doc.paragraphs, segments, strict=False):
        expected = normalize(segment["text"])
        if paragraph.text != expected and not (paragraph.kind == "li" and expected.endswith(paragraph.text)):
            result.misaligned.append(f"{path.stem}:{segment['segment']}: paragraph text differs from the segment")
        out.append(by_start.get(paragraph.start, {}))  # headings get no record, hence no topic
    out.extend({} for _ in range(len(segments) - len(out)))
    return out


def evaluate(corpus: Path, split: str, error_topic: str | None) -> Result:
    """Run the classifier over the corpus' policies in a split and count its decisions."""
    result = Result()
    topic_confidences("warm up")  # the cues are compiled once per process: not part of a policy's time
    for policy, segments in sorted(load_segments(corpus).items()):
        if not in_split(policy, split):
            continue
        result.policies += 1
        listed = predicted_topics(corpus / "policies" / f"{policy}.txt", segments, result)
        predicted = [{t for t, c in topics.items() if c >= THRESHOLD} for topics in listed]
        own = result.by_policy[policy] = defaultdict(Counts)
        for seg, pred, topics in zip(segments, predicted, listed, strict=True):
            if not seg["in_majority_set"]:
                continue
            gold = set(seg["majority"])
            result.shown += [(c, t in gold) for t, c in topics.items() if t in SEGMENT_TOPICS]
            for topic in SEGMENT_TOPICS:
                result.segment[topic].add(topic in gold, topic in pred)
                own[topic].add(topic in gold, topic in pred)
            if error_topic and (error_topic in gold) != (error_topic in pred):
                kind = "FN" if error_topic in gold else "FP"
                result.errors.append((kind, f"{policy}:{seg['segment']}", seg["text"]))
        majority = set().union(*(set(s["majority"]) for s in segments))
        union = set().union(*(set(s["union"]) for s in segments))
        found = set().union(*predicted)
        for topic in POLICY_TOPICS:
            if topic in majority or topic not in union:
                result.policy[topic].add(topic in majority, topic in found)
    return result


def _macro(counts: Iterable[Counts]) -> tuple[float, float, float]:
    scores = [c.prf() for c in counts]
    return tuple(sum(s[i] for s in scores) / len(scores) for i in range(3))  # type: ignore[return-value]


def _pooled(policies: Iterable[dict[str, Counts]], topic: str) -> Counts:
    return Counts(*(sum(getattr(p[topic], k) for p in policies) for k in ("tp", "fp", "fn")))


def bootstrap(groups: list[dict[str, Counts]], topics: Iterable[str], resamples: int,
              seed: int = 13) -> tuple[float, float]:
    """The 2.5th and 97.5th percentiles of macro-F1 over the topics when the groups (policies: their segments are
    not independent) are resampled with replacement."""
    rng, topics = random.Random(seed), list(topics)
    scores = sorted(_macro(_pooled(drawn, t) for t in topics)[2]
                    for drawn in ([rng.choice(groups) for _ in groups] for _ in range(resamples)))
    return scores[int(0.025 * (resamples - 1))], scores[int(0.975 * (resamples - 1))]


def save(result: Result, split: str, path: Path) -> None:
    """Each policy's segment counts per topic, for a later `--compare`."""
    policies = {p: {t: [c.tp, c.fp, c.fn] for t, c in sorted(counts.items())} for p, counts in result.by_policy.items()}
    path.write_text(json.dumps({"split": split, "policies": policies}, indent=1, sort_keys=True) + "\n",
                    encoding="utf-8", newline="\n")


def compare(result: Result, path: Path, resamples: int, seed: int = 13) -> str:
    """The change in segment macro-F1 from a saved run to this one, with a paired 95% bootstrap interval: both are
    scored on the same resamples of the policies they share, so the interval is that of the difference."""
    saved = json.loads(path.read_text(encoding="utf-8"))["policies"]
    shared = sorted(set(saved) & set(result.by_policy))
    pairs = [({t: Counts(*saved[p].get(t, [0, 0, 0])) for t in SEGMENT_TOPICS}, result.by_policy[p]) for p in shared]
    rng = random.Random(seed)

    def delta(drawn: list[tuple[dict[str, Counts], dict[str, Counts]]]) -> float:
        before = _macro(_pooled([b for b, _ in drawn], t) for t in SEGMENT_TOPICS)[2]
        return _macro(_pooled([a for _, a in drawn], t) for t in SEGMENT_TOPICS)[2] - before

    deltas = sorted(delta([rng.choice(pairs) for _ in pairs]) for _ in range(resamples))
    low, high = deltas[int(0.025 * (resamples - 1))], deltas[int(0.975 * (resamples - 1))]
    return (f"segment macro-F1 change from {path.name}: {delta(pairs):+.3f}, paired 95% interval {low:+.3f} to "
            f"{high:+.3f} ({resamples} resamples of the {len(pairs)} shared policies)")


def reliability(result: Result) -> list[str]:
    """How often a topic listed at each confidence (in tenths) is one the annotators gave: a calibrated confidence
    of 0.7 is right about 70% of the time."""
    lines = [f"{'confidence':<12}{'listed':>8}{'given':>8}"]
    for tenth in range(10):
        calls = [gold for c, gold in result.shown if min(int(c * 10), 9) == tenth]
        if calls:
            lines.append(f"{tenth / 10:.1f}-{(tenth + 1) / 10:.1f}{len(calls):>12}{sum(calls) / len(calls):>8.2f}")
    return lines


def report(result: Result, split: str, resamples: int = 0, calibration: bool = False) -> str:
    """The figures as a plain-text table."""
    lines = [f"split: {split}, {result.policies} policies", "",
             f"{'topic':<24}{'seg P':>7}{'seg R':>7}{'seg F1':>8}{'n':>6}{'pol F1':>8}{'n':>5}"]
    for topic in SEGMENT_TOPICS:
        c = result.segment[topic]
        p, r, f = c.prf()
        pol = f"{result.policy[topic].prf()[2]:>8.3f}{result.policy[topic].tp + result.policy[topic].fn:>5}" \
            if topic in POLICY_TOPICS else ""
        lines.append(f"{topic:<24}{p:>7.3f}{r:>7.3f}{f:>8.3f}{c.tp + c.fn:>6}{pol}")
    mp, mr, mf = _macro(result.segment[t] for t in SEGMENT_TOPICS)
    micro = Counts(*(sum(getattr(result.segment[t], k) for t in SEGMENT_TOPICS) for k in ("tp", "fp", "fn")))
    up, ur, uf = micro.prf()
    lines += ["", f"{'segment macro':<24}{mp:>7.3f}{mr:>7.3f}{mf:>8.3f}",
              f"{'segment micro':<24}{up:>7.3f}{ur:>7.3f}{uf:>8.3f}",
              f"{'policy macro F1':<24}{_macro(result.policy[t] for t in POLICY_TOPICS)[2]:>22.3f}", ""]
    if calibration:
        lines[-1:-1] = ["reliability of the confidence (segments of the 9 topics, each topic listed):",
                        *reliability(result), ""]
    if resamples:
        low, high = bootstrap([result.by_policy[p] for p in sorted(result.by_policy)], SEGMENT_TOPICS, resamples)
        lines[-1:-1] = [f"segment macro-F1 95% interval {low:.3f} to {high:.3f} "
                        f"({resamples} resamples of the {result.policies} policies)"]
    n = max(result.policies, 1)
    per, cpu = result.seconds / n, (result.cpu_parse + result.cpu_classify) / n
    lines.append(f"speed: {cpu * 1000:.1f} ms CPU per policy ({1 / cpu if cpu else 0:.0f} policies/s on one core): "
                 f"parse {result.cpu_parse / n * 1000:.1f} + classify {result.cpu_classify / n * 1000:.1f}; "
                 f"wall clock {per * 1000:.1f} ms (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    lines.append(f"alignment: {'1:1, verified' if not result.misaligned else f'{len(result.misaligned)} problem(s)'}")
    lines += [f"  {m}" for m in result.misaligned[:10]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="the corpus folder (segments.jsonl and policies/)")
    parser.add_argument("--split", default="all", choices=["all", "tune", "check"],
                        help="all policies, the 2/3 used to tune cues, or the 1/3 held out to check them")
    parser.add_argument("--errors", metavar="TOPIC", choices=SEGMENT_TOPICS,
                        help="also print the segments this topic gets wrong (for studying cues; not saved)")
    parser.add_argument("--bootstrap", metavar="N", type=int, default=0,
                        help="also give a 95%% interval of segment macro-F1 from N resamples of the policies")
    parser.add_argument("--reliability", action="store_true",
                        help="also show how often topics listed at each confidence are right (calibration)")
    parser.add_argument("--save", metavar="JSON", type=Path, help="write each policy's counts, for --compare")
    parser.add_argument("--compare", metavar="JSON", type=Path,
                        help="the change from a --save'd run, with a paired bootstrap interval (N from --bootstrap)")
    args = parser.parse_args(argv)
    if not (args.corpus / "segments.jsonl").is_file():
        parser.error(f"{args.corpus}: no segments.jsonl here")
    result = evaluate(args.corpus, args.split, args.errors)
    for kind, where, text in result.errors:
        print(f"{kind} {where}: {text}\n")
    print(report(result, args.split, args.bootstrap, args.reliability))
    if args.save:
        save(result, args.split, args.save)
    if args.compare:
        print(compare(result, args.compare, args.bootstrap or 1000))
    return 0


if __name__ == "__main__":
    sys.exit(main())
