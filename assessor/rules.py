"""The match operators criteria are written in: sentences, negation and its scope, carve-outs and hedges."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .models import Paragraph, Rule

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"'(A-Z0-9])")
_NEGATION = re.compile(
    r"\b(not|never|no|none|neither|nor|without|cannot|n't|refrain from|prohibit\w*|decline to)\b|n't\b",
    re.IGNORECASE)
# a clause boundary ends a negation's scope: "we do not sell data, but we share it" -> "share" is not negated
_SCOPE_BREAK = re.compile(r"(,\s*(but|however|although|though|yet)\b|;|:|\bbut\b|\bhowever\b|\bexcept\b|\bunless\b)",
                          re.IGNORECASE)
_CARVE_OUT = re.compile(r"\b(except|unless|other than|apart from|save for|with the exception of|excluding)\b",
                        re.IGNORECASE)
_LEGAL_CARVE_OUT = re.compile(
    r"\b(except|unless|other than)\b[^.]{0,40}\b(required|compelled|permitted) by (applicable )?law|"
    r"\b(except|unless)\b[^.]{0,60}\b(subpoena|court order|warrant|legal process)", re.IGNORECASE)
_HEDGE = re.compile(r"\b(may|might|could|from time to time|as (long as )?(necessary|needed|appropriate)|"
                    r"at our (sole )?discretion|reasonable|generally|typically)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Passage:
    """A sentence or a paragraph, located in the document text."""

    text: str
    start: int
    end: int
    paragraph: Paragraph


def sentences(paragraph: Paragraph) -> Iterator[Passage]:
    """Split a paragraph into sentences with absolute offsets."""
    pos = 0
    for piece in _SENTENCE_END.split(paragraph.text):
        idx = paragraph.text.find(piece, pos)
        if piece.strip():
            yield Passage(piece, paragraph.start + idx, paragraph.start + idx + len(piece), paragraph)
        pos = idx + len(piece)


def passages(paragraph: Paragraph, scope: str) -> Iterator[Passage]:
    """The passages a rule of this scope looks at."""
    if scope == "paragraph":
        yield Passage(paragraph.text, paragraph.start, paragraph.end, paragraph)
    else:
        yield from sentences(paragraph)


@lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def is_negated(text: str, at: int) -> bool:
    """Whether the words ending at `at` fall in the scope of a negation (same clause, before them)."""
    clause_start = 0
    for m in _SCOPE_BREAK.finditer(text, 0, at):
        clause_start = m.end()
    return _NEGATION.search(text, clause_start, at) is not None


def has_carve_out(text: str) -> bool:
    """An exception other than 'as required by law' ('except with our partners', 'unless you opt out')."""
    return bool(_CARVE_OUT.search(_LEGAL_CARVE_OUT.sub(" ", text)))


def is_hedged(text: str) -> bool:
    """Hedged language: 'may', 'from time to time', 'as long as necessary'."""
    return _HEDGE.search(text) is not None


@dataclass(frozen=True)
class Match:
    """A rule firing on a passage, with the outcome after carve-outs are weighed."""

    rule: Rule
    passage: Passage
    outcome: str


def match_rule(rule: Rule, passage: Passage) -> Match | None:
    """Apply one rule to one passage.

    The rule fires when an `any` pattern matches with the required polarity, every `all` pattern matches and no
    `none` pattern does. A `met` outcome whose passage carries a carve-out (other than 'as required by law') is
    weakened to `partial`: "we never share your data except with our partners" promises less than it seems.
    """
    text = passage.text
    hit = None
    for pattern in rule.any:
        for m in _compiled(pattern).finditer(text):
            negated = is_negated(text, m.start())
            if rule.polarity == "any" or (rule.polarity == "negated") == negated:
                hit = m
                break
        if hit:
            break
    if hit is None:
        return None
    if any(not _compiled(p).search(text) for p in rule.all):
        return None
    if any(_compiled(p).search(text) for p in rule.none):
        return None
    outcome = rule.outcome
    if outcome == "met" and has_carve_out(text[hit.start():]):
        outcome = "partial"
    return Match(rule, passage, outcome)
