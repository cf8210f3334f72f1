"""Topic classification of paragraphs, from weighted cue patterns shipped with the package (no training data)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict

from .models import Paragraph, PolicyDocument, Topic

THRESHOLD = 0.5


class TopicScore(BaseModel):
    """A topic and the classifier's confidence in it."""

    model_config = ConfigDict(frozen=True)
    topic: Topic
    confidence: float


class ClassifiedParagraph(BaseModel):
    """One record of `assessor classify --format json`."""

    model_config = ConfigDict(frozen=True)
    start: int
    end: int
    section: str
    text: str
    topics: list[TopicScore]


@dataclass(frozen=True)
class _Cue:
    pattern: re.Pattern[str]
    weight: float


@cache
def _cues() -> dict[Topic, tuple[_Cue, ...]]:
    raw = yaml.safe_load(resources.files("assessor").joinpath("data/topics.yaml").read_text(encoding="utf-8"))
    return {Topic(t): tuple(_Cue(re.compile(p, re.IGNORECASE), float(w)) for p, w in cues)
            for t, cues in raw.items()}


def topic_scores(text: str) -> list[TopicScore]:
    """Topics of a passage with confidence, best first; topics with no matching cue are left out."""
    out = []
    for topic, cues in _cues().items():
        miss = 1.0
        for cue in cues:
            if cue.pattern.search(text):
                miss *= 1.0 - cue.weight
        if miss < 1.0:
            out.append(TopicScore(topic=topic, confidence=round(1.0 - miss, 4)))
    return sorted(out, key=lambda s: (-s.confidence, s.topic.value))


def paragraph_topics(paragraph: Paragraph) -> set[Topic]:
    """Topics a paragraph carries at or above the threshold (its section heading counts as context)."""
    context = " ".join(paragraph.section[-1:]) + " " + paragraph.text
    return {s.topic for s in topic_scores(context) if s.confidence >= THRESHOLD}


def classify(doc: PolicyDocument) -> list[ClassifiedParagraph]:
    """Every non-heading paragraph with its topics."""
    return [ClassifiedParagraph(start=p.start, end=p.end, section=" > ".join(p.section), text=p.text,
                                topics=topic_scores(" ".join(p.section[-1:]) + " " + p.text))
            for p in doc.paragraphs if p.kind != "heading"]
