"""Cue patterns that are cheap to test on many passages: a pattern is only run where its words can be.

A cue is a regular expression matched against lowercased text. Before running it, `Cue` checks pre-conditions read
off the pattern itself (with the standard library's own regex parser), so the result is exactly the pattern's:
  - gates: for each word (or choice of words) the pattern requires at the start of a word, the passage must contain
    one of them ("=word" for a whole word, or the first four letters of a longer stem);
  - sentences: a pattern that cannot match ". ! ? ;" (its gaps are written `[^.!?;]{0,n}`) is only run on the
    sentences that pass its gates, so a long gap is never scanned across a whole paragraph.
Patterns that cannot be analysed are run on the whole passage behind a fast pre-scan without word boundaries.
The analysis reads patterns with the standard library's own regex parser (`re._parser`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from re import _constants as c  # type: ignore[attr-defined]  # private, no stubs (see the docstring)
from re import _parser  # type: ignore[attr-defined]

_WORD = re.compile(r"\w+")
_COMPLETE_WORD = re.compile(r"(\w+)\W")
_SENTENCE = re.compile(r"[^.!?;]+")
_DELIMITERS = ".!?;"
_STEM = 4


def _keys(words: set[str]) -> set[str]:
    return {"=" + w for w in words} | {w[:k] for w in words for k in range(1, _STEM + 1)}


@dataclass
class Passage:
    """A passage lowercased once, with the words of the whole and of each sentence, computed on demand."""

    text: str
    lowered: str = field(init=False)
    _keys: set[str] | None = field(default=None, init=False)
    _sentences: list[tuple[int, int, set[str]]] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        lowered = self.text.lower()
        if len(lowered) != len(self.text):  # a few characters lowercase to two: keep them, so offsets hold
            lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in self.text)
        self.lowered = lowered

    @property
    def keys(self) -> set[str]:
        """The passage's words ("=word") and their prefixes of 1 to 4 characters."""
        if self._keys is None:
            self._keys = set().union(*(k for _, _, k in self.sentences)) if self.sentences else set()
        return self._keys

    @property
    def sentences(self) -> list[tuple[int, int, set[str]]]:
        """(start, end, keys) of each run of text between ". ! ? ;"."""
        if self._sentences is None:
            self._sentences = [(m.start(), m.end(), _keys(set(_WORD.findall(m[0]))))
                               for m in _SENTENCE.finditer(self.lowered)]
        return self._sentences


@dataclass(frozen=True)
class _Alternative:
    """One top-level alternative of a cue's pattern, with what it needs to match."""

    pattern: re.Pattern[str]
    gates: tuple[frozenset[str], ...]
    in_sentences: bool
    quick: re.Pattern[str]

    @classmethod
    def compile(cls, source: str) -> _Alternative:
        parsed = list(_parser.parse(source))
        return cls(re.compile(source), _gates(parsed), not _may_match_delimiter(parsed),
                   re.compile(source.replace(r"\b", "")))

    def search(self, passage: Passage) -> re.Match[str] | None:
        """The first match in the passage, or None."""
        if not self.gates:
            return self.pattern.search(passage.lowered) if self.quick.search(passage.lowered) else None
        if any(gate.isdisjoint(passage.keys) for gate in self.gates):
            return None
        return self.search_gated(passage)

    def search_gated(self, passage: Passage) -> re.Match[str] | None:
        """The first match, once the passage as a whole is known to pass the gates."""
        if not self.in_sentences:
            return self.pattern.search(passage.lowered)
        for start, end, keys in passage.sentences:
            if not any(gate.isdisjoint(keys) for gate in self.gates):
                match = self.pattern.search(passage.lowered, start, end)
                if match:
                    return match
        return None


def _first(matches: list[re.Match[str] | None]) -> re.Match[str] | None:
    """The leftmost match; on a tie the earlier alternative's, as the whole pattern would choose."""
    best = None
    for match in matches:
        if match and (best is None or match.start() < best.start()):
            best = match
    return best


@dataclass(frozen=True)
class Cue:
    """A compiled cue pattern and its weight; its top-level alternatives are checked one by one."""

    pattern: re.Pattern[str]
    weight: float
    alternatives: tuple[_Alternative, ...]

    @classmethod
    def compile(cls, source: str, weight: float) -> Cue:
        """A cue from a lowercase pattern; re.error if it does not compile."""
        pattern = re.compile(source)
        return cls(pattern, weight, tuple(_Alternative.compile(a) for a in _top_level_alternatives(source)))

    def search(self, passage: Passage) -> re.Match[str] | None:
        """The cue's first match in the passage, or None (the same match as `pattern.search`)."""
        return _first([a.search(passage) for a in self.alternatives])


def _top_level_alternatives(source: str) -> list[str]:
    """A pattern split at its top-level "|"."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            i += 2 if source.startswith("^]", i + 1) else 1 if source.startswith("]", i + 1) else 0  # literal "]"
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    return [*parts, source[start:]]


def _starts_at_boundary(seq: list) -> bool:
    for op, av in seq:
        if op == c.AT:
            return av == c.AT_BOUNDARY
        if op == c.BRANCH:
            return all(_starts_at_boundary(list(b)) for b in av[1])
        if op == c.SUBPATTERN:
            return _starts_at_boundary(list(av[3]))
        if op not in (c.ASSERT, c.ASSERT_NOT):
            return False
    return False


def _literals(seq: list) -> tuple[set[str], bool]:
    """The literal texts a sequence can start with (a space marks a word boundary) and whether they are whole."""
    out = {""}
    for op, av in seq:
        if op == c.LITERAL:
            out = {o + chr(av) for o in out}
        elif op == c.AT and av == c.AT_BOUNDARY:
            out = {o + " " if o and _WORD.fullmatch(o[-1]) else o for o in out}
        elif op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue
        elif op in (c.BRANCH, c.SUBPATTERN):
            parts = [_literals(list(b)) for b in (av[1] if op == c.BRANCH else [av[3]])]
            out = {o + q for o in out for part, _ in parts for q in part}
            if not all(whole for _, whole in parts):
                return out, False
        else:
            return out, False
        if all(_COMPLETE_WORD.match(o) for o in out):
            return out, False
    return out, True


def _key(literal: str) -> str:
    if word := _COMPLETE_WORD.match(literal):
        return "=" + word[1]
    start = _WORD.match(literal)
    return start[0][:_STEM] if start else ""


def _after_non_word(seq: list, i: int) -> bool:
    """Whether the text matched just before item i always ends with a non-word character."""
    if i == 0:
        return False
    op, av = seq[i - 1]
    if op == c.LITERAL:
        return not _WORD.fullmatch(chr(av))
    if op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[2] and av[2][-1][0] == c.LITERAL \
            and not _WORD.fullmatch(chr(av[2][-1][1])):
        return av[0] >= 1 or _after_non_word(seq, i - 1)
    return False


def _gates(parsed: list) -> tuple[frozenset[str], ...]:
    gates = []
    for i in range(len(parsed)):
        if _starts_at_boundary(parsed[i:]) or _after_non_word(parsed, i):
            keys = {_key(o) for o in _literals(parsed[i:])[0]}
            if "" not in keys:
                gates.append(frozenset(keys))
    return tuple(dict.fromkeys(gates))


_CATEGORY_HITS = {c.CATEGORY_NOT_WORD, c.CATEGORY_NOT_DIGIT, c.CATEGORY_NOT_SPACE}


def _class_hits(items: list, ch: str) -> bool:
    negate = any(op == c.NEGATE for op, _ in items)
    hit = False
    for op, av in items:
        if op == c.LITERAL:
            hit |= chr(av) == ch
        elif op == c.RANGE:
            hit |= av[0] <= ord(ch) <= av[1]
        elif op == c.CATEGORY:
            hit |= av in _CATEGORY_HITS
    return hit != negate


def _may_match_delimiter(seq: list) -> bool:
    """Whether a match could contain one of ". ! ? ;" (True when unsure)."""
    for op, av in seq:
        if op == c.LITERAL:
            if chr(av) in _DELIMITERS:
                return True
        elif op == c.IN:
            if any(_class_hits(list(av), ch) for ch in _DELIMITERS):
                return True
        elif op == c.BRANCH:
            if any(_may_match_delimiter(list(b)) for b in av[1]):
                return True
        elif op == c.SUBPATTERN:
            if _may_match_delimiter(list(av[3])):
                return True
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            if _may_match_delimiter(list(av[2])):
                return True
        elif op in (c.ASSERT, c.ASSERT_NOT):
            if _may_match_delimiter(list(av[1])):
                return True
        elif op != c.AT:
            return True
    return False


class CueSet:
    """Many cues searched together: an index from word keys to the gates they open finds the few alternatives worth
    running, instead of testing every cue's gates on every passage."""

    def __init__(self, cues: list[Cue]) -> None:
        self.cues = cues
        self._alternatives = [(i, alt) for i, cue in enumerate(cues) for alt in cue.alternatives]
        self._index: dict[str, list[tuple[int, int]]] = {}
        for j, (_, alt) in enumerate(self._alternatives):
            for g, gate in enumerate(alt.gates):
                for key in gate:
                    self._index.setdefault(key, []).append((j, g))

    def search(self, passage: Passage) -> list[re.Match[str] | None]:
        """Each cue's first match in the passage (None where it does not match), in the cues' order."""
        opened: set[tuple[int, int]] = set()
        for key in passage.keys:
            opened.update(self._index.get(key, ()))
        counts = [0] * len(self._alternatives)
        for j, _ in opened:
            counts[j] += 1
        found: list[list[re.Match[str] | None]] = [[] for _ in self.cues]
        for j, (i, alt) in enumerate(self._alternatives):
            if not alt.gates:
                found[i].append(alt.search(passage))
            elif counts[j] == len(alt.gates):
                found[i].append(alt.search_gated(passage))
        return [_first(matches) for matches in found]
