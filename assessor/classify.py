"""Topic classification of paragraphs: hand-written weighted cue patterns, fused with a small learned model.

Each topic in `data/topics.yaml` has a bias and cues (regular expressions over lowercased text, with a weight). A
passage's cue logit for a topic is

    cue logit = min(bias + sum of positive cue weights, saturation) + sum of negative cue weights
                - contents penalty - sum of the weights of rival topics that count

Each distinct cue counts once, with `lead.bonus` more when it fires in the passage's first `lead.chars` characters
(where a paragraph says what it is about); a topic that the paragraph's section heading carries earns `heading` more,
and one that the sentence introducing its list ("We collect:") carries earns `lead_in` more. Negative weights veto
look-alikes ("Social Security number" is no security practice); `rivals` (judged before rivalry) take weight off ("the
information we collect" in a paragraph about security); a table of contents loses the contents penalty. Then

    fused logit = cue logit + the learned model's log-odds clipped to [learned.low, learned.high]
    confidence  = logistic(_SCALE * fused logit + _SHIFT)

where the learned model (`topic_model`) is trained only on sentences the project wrote. A topic counts when its fused
logit is >= 0, that is at confidence >= THRESHOLD. The confidence is calibrated: of the topics shown at about 0.7,
about 70% were given by the OPP-115 annotators (development split; README "Topics"). Everything is deterministic;
`topic_evidence` shows which cue words fired.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from . import topic_model
from .cues import Cue, CueSet, compile_cues, cue_text
from .loading import load_data, package_data
from .models import PATTERNS_CHECKED, Paragraph, PolicyDocument, Regex, Topic
from .settings import cache_dir

TOPICS_FILE = "topics.yaml"
# The confidence shown is logistic(_SCALE * fused logit + _SHIFT): two numbers read off a reliability table of the
# OPP-115 tune split (`benchmarks/accuracy.py --reliability`), so that a topic shown at 0.7 is right about 70% of the
# time there. A topic counts at fused logit 0, i.e. at confidence THRESHOLD = logistic(_SHIFT).
_SCALE, _SHIFT = 0.3, -0.7


class TopicConfidence(BaseModel):
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
    topics: list[TopicConfidence]


@dataclass(frozen=True)
class _TopicCues:
    topic: Topic
    bias: float
    cues: tuple[Cue, ...]
    rivals: tuple[tuple[Topic, float], ...]  # weight taken off when that topic (before rivalry) counts


_LONG_WORD = re.compile(r"[A-Za-z][A-Za-z']{3,}")  # a word (letters and apostrophes) of more than three characters
_NUMBERED = re.compile(r"(?<!\S)\d{1,2}\. [A-Z]")
_NUMBERED_GATE = re.compile(r"\d\. [A-Z]")  # what each `_NUMBERED` match holds, found much faster
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_LOST_QUESTION = re.compile(r"\w- [A-Z]")  # a question's end whose "?" was lost as "-" ("What do we collect- We")


class _CueData(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Contents(_CueData):
    """How a table of contents (a run of headings, or of the questions the policy answers) is told from prose; it
    takes `penalty` off every topic."""

    min_words: int
    capitalised: float
    numbered: int
    questions: int
    penalty: float

    def penalise(self, text: str) -> float:
        """The penalty when the text reads as a list of headings, else 0."""
        questions = text.count("?") + (len(_LOST_QUESTION.findall(text)) if "- " in text else 0)
        if questions >= self.questions or (_NUMBERED_GATE.search(text)
                                           and len(_NUMBERED.findall(text)) >= self.numbered):
            return self.penalty
        words = _LONG_WORD.findall(text)
        if len(words) < self.min_words or text.upper() == text:
            return 0.0
        return self.penalty if sum(w[0].isupper() for w in words) >= self.capitalised * len(words) else 0.0


class _Lead(_CueData):
    """A cue found in the first `chars` characters (where a passage says what it is about) earns `bonus` more."""

    chars: int
    bonus: float


@dataclass(frozen=True)
class _Model:
    topics: tuple[_TopicCues, ...]
    cues: CueSet  # every topic's cues, in topic order
    owners: tuple[int, ...]  # the position in `topics` of each cue's topic
    saturation: float
    heading: float
    lead_in: float
    lead: _Lead
    contents: _Contents
    learned: tuple[float, float]  # the learned model's log-odds are clipped to this range, then added


class _Learned(_CueData):
    """The range the learned model's log-odds are clipped to before they are added."""

    low: float
    high: float


class TopicSpec(_CueData):
    """One topic of `topics.yaml`: its bias (else the file's), rival topics and weighted cues (their patterns checked
    and stored as they are run: lowercased, see `_lower_pattern`)."""

    bias: float | None = None
    rivals: dict[Topic, float] = Field(default_factory=dict)
    cues: list[tuple[Regex, float]] = Field(min_length=1)

    @field_validator("cues", mode="before")
    @classmethod
    def _lowercase(cls, cues: Any) -> Any:
        if not isinstance(cues, list):
            return cues
        return [[_lower_pattern(c[0]), *c[1:]] if isinstance(c, list | tuple) and c and isinstance(c[0], str) else c
                for c in cues]


class TopicCuesFile(_CueData):
    """`assessor/data/topics.yaml`, validated like every file people edit; cue patterns are checked with their
    `{macros}` expanded (and stored so: read back from the cache, they are not expanded again)."""

    bias: float
    saturation: float
    lead: _Lead
    heading: float
    lead_in: float
    contents: _Contents
    learned: _Learned
    macros: dict[str, str] = Field(default_factory=dict)
    topics: dict[Topic, TopicSpec] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _expand_macros(cls, data: Any, info: ValidationInfo) -> Any:
        if info.context and info.context.get(PATTERNS_CHECKED):
            return data  # read back from the cache: expanded already
        if not (isinstance(data, dict) and isinstance(data.get("macros"), dict) and isinstance(data.get("topics"),
                                                                                                   dict)):
            return data
        macros = {str(k): str(v) for k, v in data["macros"].items()}

        def expand(cue: Any) -> Any:
            if not (isinstance(cue, list | tuple) and cue and isinstance(cue[0], str)):
                return cue
            source = cue[0]
            for name, body in macros.items():
                source = source.replace("{" + name + "}", body)
            return [source, *cue[1:]]

        topics = {name: {**spec, "cues": [expand(c) for c in spec["cues"]]}
                  if isinstance(spec, dict) and isinstance(spec.get("cues"), list) else spec
                  for name, spec in data["topics"].items()}
        return {**data, "topics": topics}


def load_topic_cues(path: Path | None = None) -> TopicCuesFile:
    """The cue file (the package's by default, through the cache: `loading.load_data`); LoadError names the file,
    line and field of every problem."""
    return load_data(TopicCuesFile, path or package_data(TOPICS_FILE))


@cache
def _model() -> _Model:
    return _build(load_topic_cues())


def _build(spec: TopicCuesFile) -> _Model:
    """The topics' cues from a validated cue file (analysed once, through the cache: `cues.compile_cues`; each
    pattern compiled when first run)."""
    cues = iter(compile_cues([(p, w) for t in spec.topics.values() for p, w in t.cues], cache_dir()))
    out = [_TopicCues(topic, t.bias if t.bias is not None else spec.bias,
                      tuple(next(cues) for _ in t.cues), tuple(t.rivals.items()))
           for topic, t in spec.topics.items()]
    return _Model(tuple(out), CueSet([c for t in out for c in t.cues]),
                  tuple(k for k, t in enumerate(out) for _ in t.cues), spec.saturation, spec.heading, spec.lead_in,
                  spec.lead, spec.contents, (spec.learned.low, spec.learned.high))


def _lower_pattern(source: str) -> str:
    """A pattern matching lowercased text: letters lowercased, escapes (\\b, \\w, \\d, \\.) kept as written.

    Lowercasing the text once and matching case-sensitively is much faster than re.IGNORECASE."""
    return re.sub(r"\\.|[^\\]+", lambda m: m[0] if m[0].startswith("\\") else m[0].lower(), source)


Matches = dict[int, re.Match[str]]  # the first match of each cue that fires in a passage, by position (`CueSet`)


def _fired(matches: Matches, model: _Model) -> list[tuple[_TopicCues, list[tuple[Cue, re.Match[str]]]]]:
    """Each topic with the cues that fire in the passage (their first `matches` in it)."""
    fired: list[list[tuple[Cue, re.Match[str]]]] = [[] for _ in model.topics]
    cues = model.cues.cues
    for i, match in matches.items():
        fired[model.owners[i]].append((cues[i], match))
    return list(zip(model.topics, fired, strict=True))


_CONTEXTS: dict[str, frozenset[Topic]] = {}  # the topics of the headings and lead-ins read so far, by text
_MAX_CONTEXTS = 256  # then forgotten all at once


def _context_topics(text: str, matches: Matches | None = None) -> frozenset[Topic]:
    """The topics of a heading or lead-in read on its own (remembered); `matches`: as for `cue_logits`."""
    if (topics := _CONTEXTS.get(text)) is None:
        if len(_CONTEXTS) >= _MAX_CONTEXTS:
            _CONTEXTS.clear()
        topics = _CONTEXTS[text] = frozenset(_counting(*topic_logits(text, matches=matches, counting=True)))
    return topics


def forget_contexts() -> None:
    """Forget the topics worked out for headings and lead-ins so far (a benchmark times each reading as a first one)."""
    _CONTEXTS.clear()


def cue_logits(text: str, *, heading: str = "", lead_in: str = "",
               matches: Matches | None = None) -> tuple[dict[Topic, float], set[Topic]]:
    """Every topic's logit from the cues alone (rivalry included), and the topics with a positive cue in the
    passage or support from its `heading` or `lead_in`. `matches`: the cues' matches in the text, when searched
    already (with the rest of a document: `CueSet.search_all`)."""
    model = _model()
    support = dict.fromkeys(_context_topics(heading), model.heading) if heading else {}
    for t in _context_topics(lead_in) if lead_in else ():
        support[t] = support.get(t, 0.0) + model.lead_in
    penalty = model.contents.penalise(text)
    # each topic's positive and negative weights, summed as `sum` would: from int 0, in the cues' order
    evidence: list[float] = [0] * len(model.topics)
    veto: list[float] = [0] * len(model.topics)
    positive: set[int] = set()  # the topics (positions) with a positive cue
    cues, owners, lead = model.cues.cues, model.owners, model.lead
    for i, m in (model.cues.search(cue_text(text)) if matches is None else matches).items():
        weight, k = cues[i].weight, owners[i]
        if weight > 0:
            evidence[k] += weight + (lead.bonus if m.start() < lead.chars else 0.0)
            positive.add(k)
        elif weight < 0:
            veto[k] += weight
    logits: dict[Topic, float] = {}
    found = {model.topics[k].topic for k in positive}
    for topic, more, less in zip(model.topics, evidence, veto, strict=True):
        if support and topic.topic in support:
            more += support[topic.topic]
            found.add(topic.topic)
        logits[topic.topic] = min(topic.bias + more, model.saturation) - penalty + less
    out = {t.topic: logits[t.topic] - sum(w for rival, w in t.rivals if logits[rival] >= 0) if t.rivals
           else logits[t.topic] for t in model.topics}
    return out, found


def _logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def confidence(fused: float) -> float:
    """The calibrated confidence of a fused logit."""
    return round(_logistic(_SCALE * fused + _SHIFT), 4)


THRESHOLD = confidence(0.0)  # a topic counts when its fused logit is >= 0, i.e. at this calibrated confidence
_FLOOR = -1.0  # a fused logit below this is well below the threshold (confidence 0.27, against 0.33)


def topic_logits(text: str, *, heading: str = "", lead_in: str = "", matches: Matches | None = None,
                 counting: bool = False) -> tuple[dict[Topic, float], set[Topic]]:
    """Every topic's fused logit (the cues' logit plus the learned model's log-odds, clipped to the `learned`
    range), and the topics a cue or the context supports. `counting`: only the topics that may count, those whose
    cues' logit the learned model can raise to above `_FLOOR` (the others' log-odds are not worked out)."""
    logits, found = cue_logits(text, heading=heading, lead_in=lead_in, matches=matches)
    low, high = _model().learned
    if counting:
        logits = {t: logit for t, logit in logits.items() if logit + high >= _FLOOR}
    # by topic name: a Topic finds its own (a str enum)
    learned = topic_model.logits(text, logits.keys() if counting else None)
    return {t: logit + min(max(learned[t], low), high) for t, logit in logits.items()}, found


def topic_confidences(text: str, *, heading: str = "", lead_in: str = "",
                      matches: Matches | None = None) -> list[TopicConfidence]:
    """Topics of a passage with confidence, best first: the logistic of the fused logit (`topic_logits`). A topic its
    section `heading` carries earns the cue model's `heading` bonus; one that the sentence introducing its list
    (`lead_in`, "We collect:") carries earns `lead_in`. Topics with no positive cue in the passage, no such support
    and a fused logit below 0 are left out."""
    fused, found = topic_logits(text, heading=heading, lead_in=lead_in, matches=matches)
    out = [TopicConfidence(topic=t, confidence=c) for t, c in _shown(fused, found)]
    return sorted(out, key=lambda s: (-s.confidence, s.topic.value))


def _shown(fused: dict[Topic, float], found: set[Topic]) -> Iterator[tuple[Topic, float]]:
    """The topics `topic_confidences` shows, with their confidence."""
    return ((t, confidence(z)) for t, z in fused.items() if t in found or z >= 0)


def _counting(fused: dict[Topic, float], found: set[Topic]) -> Iterator[Topic]:
    """The topics of `topic_confidences` at or above the threshold."""
    return (t for t, c in _shown(fused, found) if c >= THRESHOLD)


def topic_evidence(text: str, topic: Topic) -> list[tuple[int, int, float]]:
    """Where a topic's cues fire in a passage: (start, end, weight) of each cue's first match, in text order."""
    model = _model()
    fired = next(f for t, f in _fired(model.cues.search(cue_text(text)), model) if t.topic == topic)
    return sorted((m.start(), m.end(), cue.weight) for cue, m in fired)


def _paragraph_confidences(paragraph: Paragraph, lead_in: str = "", matches: Matches | None = None
                           ) -> list[TopicConfidence]:
    return topic_confidences(paragraph.text, heading=_heading(paragraph), lead_in=lead_in, matches=matches)


def _heading(paragraph: Paragraph) -> str:
    return paragraph.section[-1] if paragraph.section else ""


def paragraph_topics(paragraph: Paragraph, lead_in: str = "", matches: Matches | None = None) -> set[Topic]:
    """Topics a paragraph carries at or above the threshold; its section heading and, for a list item, the sentence
    that introduces the list (`lead_in`) count as context. `matches`: as for `cue_logits`."""
    return set(_counting(*topic_logits(paragraph.text, heading=_heading(paragraph), lead_in=lead_in, matches=matches,
                                       counting=True)))


def _classified(doc: PolicyDocument, intro: dict[int, str]) -> list[tuple[Paragraph, Matches]]:
    """The non-heading paragraphs with their cues' matches, searched for in all of them at once, and in the headings
    and lead-ins (`intro`) not read yet, whose topics are then remembered (`_context_topics`)."""
    paragraphs = [p for p in doc.paragraphs if p.kind != "heading"]
    contexts = [t for t in dict.fromkeys(t for p in paragraphs for t in (_heading(p), intro.get(p.index, "")))
                if t and t not in _CONTEXTS]
    found = _model().cues.search_all([cue_text(t) for t in [*(p.text for p in paragraphs), *contexts]])
    for text, matches in zip(contexts, found[len(paragraphs):], strict=True):
        _context_topics(text, matches)
    return list(zip(paragraphs, found[:len(paragraphs)], strict=True))


def lead_ins(doc: PolicyDocument) -> dict[int, str]:
    """For each list item, the sentence that introduces its list ("We collect:"; the last sentence of the paragraph or
    heading before the list), by paragraph index. In plain text a list's items are paragraphs that start in lower case
    ("open and run your reader account;"): after such a sentence, those are list items too."""
    out: dict[int, str] = {}
    lead_in = ""
    for p in doc.paragraphs:
        text = p.text.rstrip()
        if p.kind == "li" or (lead_in and p.kind == "p" and text[:1].islower()):
            if lead_in:
                out[p.index] = lead_in
        else:
            lead_in = _SENTENCE_END.split(text)[-1] if text.endswith(":") else ""
    return out


def document_topics(doc: PolicyDocument) -> dict[int, set[Topic]]:
    """The topics of every non-heading paragraph by index, read as `classify` reads them (what scoring uses)."""
    intro = lead_ins(doc)
    return {p.index: paragraph_topics(p, intro.get(p.index, ""), matches) for p, matches in _classified(doc, intro)}


def classify(doc: PolicyDocument) -> list[ClassifiedParagraph]:
    """Every non-heading paragraph with its topics (a list item also in the light of the sentence introducing it)."""
    intro = lead_ins(doc)
    return [ClassifiedParagraph(start=p.start, end=p.end, section=" > ".join(p.section), text=p.text,
                                topics=_paragraph_confidences(p, intro.get(p.index, ""), matches))
            for p, matches in _classified(doc, intro)]
