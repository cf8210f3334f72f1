"""Cue patterns that are cheap to test on many passages: a pattern is only run where its words can be.

A cue is a regular expression matched against lowercased text. Before running it, `Cue` checks pre-conditions read
off the pattern itself, so the result is exactly the pattern's:
  - gates: for each word (or choice of words) the pattern requires at the start of a word (a positive look-ahead's
    too), the passage must contain one of them ("=word" for a whole word, or the first four letters of a longer stem);
  - needles: for each literal text (or choice of them) of three characters or more that a match must hold, the
    passage must contain one of them (a plain substring test);
  - sentences: a pattern that cannot match ". ! ? ;" (its gaps are written `[^.!?;]{0,n}`) is only run on the
    sentences that hold its needles, so a long gap is never scanned across a whole paragraph.
Rule patterns (`FoldedPattern`, matched case-insensitively on the original text) pass the same gates and needles
(in the lowercased text), and are tried only where a text every match begins with occurs.
The pattern is read by a small parser of its own (`_Parser`) that knows the syntax cues use: literals, escapes,
character classes, groups (a case-sensitive "(?-i:...)" one too), alternatives, look-arounds and repeats. A pattern
it cannot read, or one without gates, is run on the whole passage behind a fast pre-scan without word boundaries: the
analysis can only make a cue cheaper, never change what it matches.
"""

from __future__ import annotations

import hashlib
import json
import re
import weakref
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

from .models import compile_pattern, pattern_for
from .regexes import compiled, in_ascii
from .settings import write_cached

_WORD = re.compile(r"\w+")
_ASCII_WORD = re.compile(r"\w+", re.ASCII)  # the same words in ASCII text, found without Unicode tables
_COMPLETE_WORD = re.compile(r"(\w+)\W")
_SENTENCE = re.compile(r"[^.!?;]+")
_DELIMITERS = ".!?;"
_STEM = 4
_MEMO_WORDS = 50_000  # the words whose gates a `CueSet` remembers between texts, then forgets all at once


@lru_cache(maxsize=1 << 16)
def _word_keys(word: str) -> frozenset[str]:
    return frozenset(("=" + word, *(word[:k] for k in range(1, _STEM + 1))))


@dataclass
class CueText:
    """A passage lowercased once, with its words and sentences, computed on demand."""

    text: str
    lowered: str = field(init=False)
    _words: set[str] | None = field(default=None, init=False)
    _keys: frozenset[str] | None = field(default=None, init=False)
    _sentences: list[tuple[int, int]] | None = field(default=None, init=False)
    _folds_plainly: bool | None = field(default=None, init=False)
    found: dict[str, bool] = field(default_factory=dict, init=False)  # what rule patterns found in it, by pattern
    # the word indexes (while they live) holding it, and its place in each: what their patterns found in it
    indexed: list[tuple[weakref.ref[WordIndex], int]] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        lowered = self.text.lower()
        if len(lowered) != len(self.text):  # a few characters lowercase to two: keep them, so offsets hold
            lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in self.text)
        self.lowered = lowered

    @property
    def words(self) -> set[str]:
        """The passage's words (lowercased)."""
        if self._words is None:
            self._words = _words(self.lowered)
        return self._words

    def take_words(self, words: set[str]) -> None:
        """Remember the passage's words, worked out elsewhere (from its sentences), unless they are known."""
        if self._words is None:
            self._words = words

    @property
    def keys(self) -> frozenset[str]:
        """The passage's word keys: each of its words ("=word") and their first 1 to `_STEM` letters. It opens a
        gate when it holds one of the gate's keys (`gate.isdisjoint(keys)` is false)."""
        if self._keys is None:
            self._keys = frozenset().union(*map(_word_keys, self.words))
        return self._keys

    @property
    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) of each run of text between ". ! ? ;"."""
        if self._sentences is None:
            self._sentences = [m.span() for m in _SENTENCE.finditer(self.lowered)]
        return self._sentences

    @property
    def folds_plainly(self) -> bool:
        """Whether no character of the text matches an ASCII letter case-insensitively but lowercases to something
        else ('ſ' matches 's', 'İ' matches 'i'): only then do the lowercased words say what a case-insensitive
        pattern can match."""
        if self._folds_plainly is None:
            self._folds_plainly = self.text.isascii() or not any(
                _folds_to_ascii(ch) for ch in set(self.text) if not ch.isascii())
        return self._folds_plainly


def _words(text: str) -> set[str]:
    """The words (runs of \\w) of a text."""
    return set((_ASCII_WORD if text.isascii() else _WORD).findall(text))


@lru_cache(maxsize=2048)
def cue_text(text: str) -> CueText:
    """A text's `CueText`, shared by whoever reads the same text (the topic classifier, the inventory, the rules):
    its words are worked out once. Everything it remembers depends on the text alone."""
    return CueText(text)


_ASCII_LETTER = re.compile("[a-z]", re.IGNORECASE)


@cache
def _folds_to_ascii(ch: str) -> bool:
    return _ASCII_LETTER.fullmatch(ch) is not None or any(c.isascii() for c in ch.lower())


@dataclass(frozen=True)
class _Alternative:
    """One top-level alternative of a cue's pattern, with what it needs to match; compiled when first run (most
    never are: their gates fail on every passage)."""

    source: str
    gates: tuple[frozenset[str], ...]
    needles: tuple[frozenset[str], ...]
    in_sentences: bool

    @classmethod
    def compile(cls, source: str) -> _Alternative:
        try:
            parsed = _Parser(source).parse()
            gates, needles, in_sentences = _gates(parsed), _needle_sets(parsed), not _may_match_delimiter(parsed)
        except _Unsupported:
            gates, needles, in_sentences = (), (), False
        return cls(source, gates, needles, in_sentences)

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The alternative compiled."""
        return compiled(self.source)

    @cached_property
    def ascii(self) -> re.Pattern[str]:
        """The alternative compiled for ASCII text (`regexes.in_ascii`)."""
        return in_ascii(self.source)

    def on(self, lowered: str) -> re.Pattern[str]:
        """The alternative compiled for a lowercased text (`ascii` when it is ASCII)."""
        return self.ascii if lowered.isascii() else self.pattern

    @cached_property
    def quick(self) -> re.Pattern[str] | None:
        """Without gates: the pattern without word boundaries, a faster first scan."""
        return None if self.gates else compiled(self.source.replace(r"\b", ""))

    def search(self, passage: CueText) -> re.Match[str] | None:
        """The first match in the passage, or None."""
        if self.quick is not None:
            return self.pattern.search(passage.lowered) if self.quick.search(passage.lowered) else None
        if any(map(passage.keys.isdisjoint, self.gates)):
            return None
        return self.search_gated(passage)

    def search_gated(self, passage: CueText) -> re.Match[str] | None:
        """The first match, once the passage as a whole is known to pass the gates."""
        if not _holds(passage.lowered, self.needles):
            return None
        search = self.on(passage.lowered).search
        if not self.in_sentences:
            return search(passage.lowered)
        for start, end in passage.sentences:
            if _holds(passage.lowered[start:end], self.needles):
                match = search(passage.lowered, start, end)
                if match:
                    return match
        return None


def _holds(lowered: str, needles: tuple[frozenset[str], ...]) -> bool:
    """Whether a lowercased text holds a text of each needle set."""
    for choice in needles:
        for needle in choice:
            if needle in lowered:
                break
        else:
            return False
    return True


def _first(matches: list[re.Match[str] | None]) -> re.Match[str] | None:
    """The leftmost match; on a tie the earlier alternative's, as the whole pattern would choose."""
    best = None
    for match in matches:
        if match and (best is None or match.start() < best.start()):
            best = match
    return best


@dataclass(frozen=True)
class Cue:
    """A cue pattern and its weight; its top-level alternatives are checked one by one (and compiled when first
    run: the pattern is known to compile, see `classify.TopicCuesFile`)."""

    source: str
    weight: float
    alternatives: tuple[_Alternative, ...]

    @classmethod
    def compile(cls, source: str, weight: float) -> Cue:
        """A cue from a lowercase pattern."""
        return cls(source, weight, tuple(_Alternative.compile(a) for a in _top_level_alternatives(source)))

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The whole pattern compiled (what `search` matches exactly as)."""
        return compiled(self.source)

    def search(self, passage: CueText) -> re.Match[str] | None:
        """The cue's first match in the passage, or None (the same match as `pattern.search`)."""
        return _first([a.search(passage) for a in self.alternatives])


def _fields_read(kept: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(map(frozenset, v)) if isinstance(v, list) else v for k, v in kept.items()}


CACHED_CUE_SETS = 4  # the cache keeps the analysed cues of this many versions of the cue file (the newest)


def _analysis_file(folder: Path, kind: str, sources: Sequence[str]) -> tuple[Path, list[Any] | None]:
    """Where the analysis of these patterns is kept (a file named by the sha256 of this module and of the patterns),
    and what it holds, one entry a pattern (None when missing or unreadable)."""
    digest = hashlib.sha256(_module_bytes() + "\0".join(sources).encode()).hexdigest()
    path = folder / f"{kind}-{digest}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return path, None
    return path, data if isinstance(data, list) and len(data) == len(sources) else None


@lru_cache(maxsize=1)
def _module_bytes() -> bytes:
    """This module's source, read once: how the patterns are analysed is part of every analysis file's name."""
    return Path(__file__).read_bytes()


def compile_cues(cues: Sequence[tuple[str, float]], folder: Path | None) -> list[Cue]:
    """`Cue.compile` of many cues, their analysis (alternatives, gates) read at once from the cache folder, in a
    file named by the sha256 of this module and of the patterns; worked out and kept when missing or unreadable."""
    if folder is None:
        return [Cue.compile(source, weight) for source, weight in cues]
    path, data = _analysis_file(folder, "cues", [source for source, _ in cues])
    try:
        if data is not None:  # each alternative's fields; a tuple (of word sets) as a list of sorted lists
            return [Cue(source, weight, tuple(_Alternative(**_fields_read(a)) for a in alternatives))
                    for (source, weight), alternatives in zip(cues, data, strict=True)]
    except (ValueError, TypeError):
        pass
    out = [Cue.compile(source, weight) for source, weight in cues]
    write_cached(path, json.dumps([[{f.name: [sorted(x) for x in v] if isinstance(v := getattr(a, f.name), tuple) else v
                                     for f in fields(a)} for a in c.alternatives] for c in out]), CACHED_CUE_SETS)
    return out


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


class _Unsupported(Exception):
    """Pattern syntax the analysis does not read (the cue is then run without gates)."""


_CATEGORIES = frozenset("wWdDsS")
_QUANTIFIER = re.compile(r"[*+?]|\{(\d*)(,?)(\d*)\}")
_CONTROL = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v"}
_CODE = re.compile(r"x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}")  # a character by its code: "\u2019"

# The parsed form of a pattern is a list of items, each a tuple:
#   ("lit", ch)                   one character
#   ("at", "boundary" | "other")  \b, or another zero-width anchor (\B ^ $ \A \Z)
#   ("assert", items, ahead)      a look-ahead or look-behind, either sign; `ahead`: a positive look-ahead
#   ("branch", [items, ...])      alternatives; an optional part ("x?") is one with an empty alternative
#   ("in", negate, [member, ...]) a character class or \w \d \s ...; members ("lit", ch), ("range", lo, hi),
#                                 ("cat", letter)
#   ("any",)                      "."
#   ("repeat", min, items)        items repeated at least `min` times (greedy or lazy)
# A group's items stand in its sequence as if it had none (the analysis does not need its bounds).


class _Parser:
    """A reader of the regular-expression syntax cues are written in; `_Unsupported` for anything else."""

    def __init__(self, source: str) -> None:
        self.source, self.i = source, 0

    def parse(self) -> list:
        items = self._alternatives()
        if self.i != len(self.source):
            raise _Unsupported(self.source)
        return items

    def _peek(self, text: str) -> bool:
        return self.source.startswith(text, self.i)

    def _alternatives(self) -> list:
        branches = [self._sequence()]
        while self._peek("|"):
            self.i += 1
            branches.append(self._sequence())
        return branches[0] if len(branches) == 1 else [("branch", branches)]

    def _sequence(self) -> list:
        items: list = []
        while self.i < len(self.source) and self.source[self.i] not in "|)":
            item = self._atom()
            quantifier = self._quantifier()
            if quantifier is None:
                items.extend(item[1] if item[0] == "group" else [item])
                continue
            if item[0] in ("at", "assert"):
                raise _Unsupported(self.source)
            inner = item[1] if item[0] == "group" else [item]
            # "x?" matches what "(?:x|)" matches: as alternatives, the words after it can still gate
            items.append(("branch", [inner, []]) if quantifier == "?" else ("repeat", quantifier, inner))
        return items

    def _quantifier(self) -> int | str | None:
        """The quantifier at the cursor (consumed): "?" for an optional part, else its minimum count; None when
        there is none."""
        match = _QUANTIFIER.match(self.source, self.i)
        if not match or (match[0].startswith("{") and not (match[1] or match[3])):
            return None
        self.i = match.end()
        if self._peek("+"):
            raise _Unsupported(self.source)  # possessive
        if self._peek("?"):
            self.i += 1
        if match[0] in "*?":
            return 0 if match[0] == "*" else "?"
        return 1 if match[0] == "+" else int(match[1] or 0)

    def _atom(self) -> tuple:
        ch = self.source[self.i]
        self.i += 1
        if ch == "(":
            return self._group()
        if ch == "[":
            return self._class()
        if ch == "\\":
            return self._escape(in_class=False)
        if ch == ".":
            return ("any",)
        if ch in "^$":
            return ("at", "other")
        if ch in "*+?":
            raise _Unsupported(self.source)
        return ("lit", ch)

    def _group(self) -> tuple:
        kind = "group"
        # a case-sensitive group ("(?-i:[A-Z]\w+)") is read as a group: the words and texts it requires, it
        # requires in the lowercased text too
        for prefix in ("?:", "?-i:", "?=", "?!", "?<=", "?<!"):
            if self._peek(prefix):
                self.i += len(prefix)
                kind = "group" if prefix in ("?:", "?-i:") else "assert"
                break
        else:
            if self._peek("?"):
                raise _Unsupported(self.source)  # named groups, other flags, conditionals
        items = self._alternatives()
        if not self._peek(")"):
            raise _Unsupported(self.source)
        self.i += 1
        return (kind, items, prefix == "?=") if kind == "assert" else (kind, items)

    def _escape(self, *, in_class: bool) -> tuple:
        if self.i >= len(self.source):
            raise _Unsupported(self.source)
        ch = self.source[self.i]
        self.i += 1
        if ch in _CATEGORIES:
            return ("cat", ch) if in_class else ("in", False, [("cat", ch)])
        if not in_class and ch in "bBAZ":
            return ("at", "boundary" if ch == "b" else "other")
        if ch in _CONTROL:
            return ("lit", _CONTROL[ch])
        if code := _CODE.match(self.source, self.i - 1):
            self.i = code.end()
            return ("lit", chr(int(code[0][1:], 16)))
        if ch.isalnum():
            raise _Unsupported(self.source)  # back-references, \N{...}, a class's \b
        return ("lit", ch)

    def _class(self) -> tuple:
        negate = self._peek("^")
        self.i += negate
        members: list = []
        first = True
        while True:
            if self.i >= len(self.source):
                raise _Unsupported(self.source)
            ch = self.source[self.i]
            if ch == "]" and not first:
                self.i += 1
                return ("in", negate, members)
            first = False
            self.i += 1
            member = self._escape(in_class=True) if ch == "\\" else ("lit", ch)
            if self._peek("-") and member[0] == "lit" and self.i + 1 < len(self.source) \
                    and self.source[self.i + 1] != "]":
                self.i += 1
                high = self.source[self.i]
                self.i += 1
                if high == "\\":
                    high_item = self._escape(in_class=True)
                    if high_item[0] != "lit":
                        raise _Unsupported(self.source)
                    high = high_item[1]
                members.append(("range", member[1], high))
            else:
                members.append(member)


def _starts_at_boundary(seq: list) -> bool:
    for item in seq:
        if item[0] == "at":
            return item[1] == "boundary"
        if item[0] == "branch":
            return all(_starts_at_boundary(b) for b in item[1])
        if item[0] != "assert":
            return False
    return False


def _literals(seq: list) -> tuple[set[str], bool]:
    """The literal texts a sequence can start with (a space marks a word boundary) and whether they are whole."""
    out = {""}
    for item in seq:
        if item[0] == "lit":
            out = {o + item[1] for o in out}
        elif item[0] == "at" and item[1] == "boundary":
            out = {o + " " if o and _WORD.fullmatch(o[-1]) else o for o in out}
        elif item[0] in ("at", "assert"):
            continue
        elif item[0] == "branch":
            parts = [_literals(b) for b in item[1]]
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


def _at_word_start(seq: list, i: int, start: bool = False) -> bool:
    """Whether a word character matched at item i always starts a word: what is matched just before it always ends
    with a non-word character or at a word boundary (False when unsure); `start`: whether the sequence starts at
    one."""
    if i == 0:
        return start
    item = seq[i - 1]
    kind = item[0]
    if kind == "lit":
        return not _WORD.fullmatch(item[1])
    if kind == "at":
        return item[1] == "boundary"
    if kind == "in":  # a class of non-word characters only ("[- ]", "\s")
        return not item[1] and all((m[0] == "lit" and not _WORD.fullmatch(m[1])) or m in (("cat", "s"), ("cat", "W"))
                                   for m in item[2])
    if kind == "branch":  # an alternative that matches nothing leaves what comes before
        before = _at_word_start(seq, i - 1, start)
        return all(_at_word_start(b, len(b), before) for b in item[1])
    if kind == "repeat":
        return _at_word_start(item[2], len(item[2])) and (item[1] >= 1 or _at_word_start(seq, i - 1))
    return False


def _gates(parsed: list, start: bool = False) -> tuple[frozenset[str], ...]:
    """For each word a match of a parsed sequence holds at a word start, the keys it may have (see `CueText.keys`);
    `start`: whether the sequence starts at a word start. Alternatives each requiring words of their own add gates:
    the union of each one's most telling gate ("(is|are) sold|acquired" holds "sold" or "acquired"), of each one's
    next most telling, and so on while each has one."""
    gates = []
    for i, item in enumerate(parsed):
        if _starts_at_boundary(parsed[i:]) or _at_word_start(parsed, i, start):
            keys = {_key(o) for o in _literals(parsed[i:])[0]}
            if "" not in keys:
                gates.append(frozenset(keys))
        if item[0] == "assert" and item[2]:  # the words a positive look-ahead holds, a match is followed by
            gates.extend(_gates(item[1], _at_word_start(parsed, i, start)))
        if item[0] == "branch" and all(inner := [_gates(b, _at_word_start(parsed, i, start)) for b in item[1]]):
            ranked = [sorted(g, key=_telling, reverse=True) for g in inner]
            gates.extend(frozenset().union(*each) for each in zip(*ranked, strict=False))
    kept: list[frozenset[str]] = []  # a gate that another one implies is left out ("=we" or "=us" holds "we" or "us")
    for gate in gates:
        if not any(_implies(k, gate) for k in kept):
            kept = [k for k in kept if not _implies(gate, k)] + [gate]
    return tuple(kept)


def _implies(gate: frozenset[str], other: frozenset[str]) -> bool:
    """Whether a passage holding a key of a gate holds one of the other: a word ("=word") has its prefixes as keys,
    a prefix its shorter prefixes."""
    return all(any(key == k or (not k.startswith("=") and key.lstrip("=").startswith(k)) for k in other)
               for key in gate)


def _telling(gate: frozenset[str]) -> tuple[int, int]:
    """How selective a gate is likely to be: its shortest word or prefix the longer, its keys the fewer, the more."""
    return min(len(key.lstrip("=")) for key in gate), -len(gate)


_NEEDLE = 3  # the shortest literal text worth a substring test


def _needle_sets(parsed: list) -> tuple[frozenset[str], ...]:
    """`_needles` of a parsed pattern without repeats, the fewest choices first (the cheapest tests)."""
    return tuple(sorted(dict.fromkeys(_needles(parsed)), key=len))


def _needles(seq: list) -> list[frozenset[str]]:
    """The literal texts a match must hold, one of each set (lowercase ASCII, at least `_NEEDLE` characters)."""
    out: list[frozenset[str]] = []
    run = ""
    for item in [*seq, ("end",)]:
        if item[0] == "lit" and item[1].isascii():
            run += item[1].lower()
            continue
        if item[0] in ("at", "assert"):
            continue  # zero-width: the literal text runs on
        if len(run) >= _NEEDLE:
            out.append(frozenset([run]))
        run = ""
        if item[0] == "repeat" and item[1] >= 1:
            out.extend(_needles(item[2]))
        elif item[0] == "branch" and all(choices := [_needles(b) for b in item[1]]):
            # each alternative's most telling set: a match holds a text of one of them
            out.append(frozenset().union(*(max(c, key=lambda n: min(map(len, n))) for c in choices)))
    return out


def _class_hits(negate: bool, members: list, ch: str) -> bool:
    hit = False
    for member in members:
        if member[0] == "lit":
            hit |= member[1] == ch
        elif member[0] == "range":
            hit |= member[1] <= ch <= member[2]
        else:  # a category: \W, \D and \S match punctuation
            hit |= member[1] in "WDS"
    return hit != negate


def _may_match_delimiter(seq: list) -> bool:
    """Whether a match could contain one of the delimiters (". ! ? ;"; True when unsure)."""
    for item in seq:
        kind = item[0]
        if kind == "lit":
            if item[1] in _DELIMITERS:
                return True
        elif kind == "in":
            if any(_class_hits(item[1], item[2], ch) for ch in _DELIMITERS):
                return True
        elif kind == "branch":
            if any(_may_match_delimiter(b) for b in item[1]):
                return True
        elif kind == "assert":
            if _may_match_delimiter(item[1]):
                return True
        elif kind == "repeat":
            if _may_match_delimiter(item[2]):
                return True
        elif kind != "at":
            return True
    return False


class CueSet:
    """Many cues searched together over many passages (a document's paragraphs): an index from the words of every
    sentence to the gates they open finds, for each alternative, the few sentences worth running it on, instead of
    testing every cue's gates on every passage. An alternative that cannot match ". ! ? ;" matches within one
    sentence, so the sentence (not just its passage) must hold a word of each of its gates."""

    def __init__(self, cues: list[Cue]) -> None:
        self.cues = cues
        gates = list(dict.fromkeys(gate for cue in cues for alt in cue.alternatives for gate in alt.gates))
        number = {gate: n for n, gate in enumerate(gates)}
        self._alternatives = [(i, alt, [number[gate] for gate in alt.gates])
                              for i, cue in enumerate(cues) for alt in cue.alternatives]
        self._ungated: list[int] = []  # the alternatives (positions) without gates, and the others by first gate
        self._by_first_gate: list[list[int]] = [[] for _ in gates]
        for k, (_, _, numbers) in enumerate(self._alternatives):
            (self._by_first_gate[numbers[0]] if numbers else self._ungated).append(k)
        self._gates_of_key: dict[str, list[int]] = {}  # by word key: the gates (numbers) holding it
        for n, gate in enumerate(gates):
            for key in gate:
                self._gates_of_key.setdefault(key, []).append(n)
        self._gate_count = len(gates)
        self._gates_of_word: dict[str, tuple[int, ...]] = {}  # by word: the gates its keys open

    def _opened(self, sentences: _Sentences) -> list[int]:
        """The sentences holding a word key of each gate, by gate number: worked out from the words the sentences
        hold (the gates a word opens are remembered for the next texts), so that a gate none of whose keys occurs
        costs nothing."""
        opened = [0] * self._gate_count
        memo = self._gates_of_word
        if len(memo) > _MEMO_WORDS:
            memo.clear()
        for word, bits in sentences.words.items():
            if (gates := memo.get(word)) is None:
                gates = memo[word] = tuple(sorted({n for key in _word_keys(word)
                                                   for n in self._gates_of_key.get(key, ())}))
            for n in gates:
                opened[n] |= bits
        return opened

    def search(self, passage: CueText) -> dict[int, re.Match[str]]:
        """The first match of each cue that matches the passage, by the cue's position, in the cues' order."""
        return self.search_all([passage])[0]

    def search_all(self, passages: Sequence[CueText]) -> list[dict[int, re.Match[str]]]:
        """`search` of each passage (the same matches), the words of all of them indexed at once."""
        sentences = _Sentences(passages)
        opened = self._opened(sentences)
        found: list[dict[int, list[re.Match[str] | None]]] = [{} for _ in passages]
        live = sorted([*self._ungated, *(k for n, bits in enumerate(opened) if bits for k in self._by_first_gate[n])])
        for i, alt, gates in map(self._alternatives.__getitem__, live):  # in order; the others' first gate is shut
            where = -1
            for n in gates:
                where &= opened[n]
            if not (alt.gates and alt.in_sentences):  # run on each passage (with a word of each gate)
                for k, passage in enumerate(passages):
                    if not alt.gates:
                        found[k].setdefault(i, []).append(alt.search(passage))
                    elif all(opened[n] & sentences.passages[k] for n in gates):
                        found[k].setdefault(i, []).append(alt.search_gated(passage))
                continue
            matched = -1  # the last passage matched: its first match is the alternative's
            for s in positions(where) if where > 0 else ():
                k, start, end = sentences.spans[s]
                if k != matched and _holds(sentences.texts[s], alt.needles) and (
                        match := alt.on(passages[k].lowered).search(passages[k].lowered, start, end)):
                    found[k].setdefault(i, []).append(match)
                    matched = k
        return [{i: match for i, matches in by_cue.items() if (match := _first(matches))} for by_cue in found]


_Keys = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]  # a gate's word keys by kind (see `_split`)


class _Postings:
    """Which items (the bits of an int: passages, sentences) hold each word key (see `CueText.keys`), looked up from
    the items holding each word and each word's first `_STEM` letters; and so each gate (any of its keys),
    remembered by gate."""

    def __init__(self, words: dict[str, int]) -> None:
        """`words`: the items holding each word."""
        self._words = words
        stems: dict[str, int] = {}
        get = stems.get
        for word, bits in words.items():
            stem = word[:_STEM]
            stems[stem] = get(stem, 0) | bits
        self._stems = stems
        self._ordered: list[str] | None = None  # the stems in order, when a shorter prefix is first asked for
        self._keys: dict[str, int] = {}  # by prefix shorter than a stem: the items holding a word beginning with it
        self.gates: dict[frozenset[str], int] = {}  # by gate: the items holding a word key of it (see `opened`)

    def _prefix(self, key: str) -> int:
        """The items holding a word beginning with a key shorter than a stem (found among the stems in order)."""
        if self._ordered is None:
            self._ordered = sorted(self._stems)
        ordered, bits = self._ordered, 0
        for k in range(bisect_left(ordered, key), len(ordered)):
            if not ordered[k].startswith(key):
                break
            bits |= self._stems[ordered[k]]
        return bits

    def opened(self, gate: frozenset[str], keys: _Keys) -> int:
        """The items holding a word key of a gate not yet in `gates` (its keys by kind: `_split`; a shorter prefix
        looked up once), kept there."""
        words, stems, prefixes = keys
        bits, held, stemmed = 0, self._words, self._stems
        for word in words:  # (a missing key costs one test: no call, no union with nothing)
            if word in held:
                bits |= held[word]
        for stem in stems:
            if stem in stemmed:
                bits |= stemmed[stem]
        for key in prefixes:
            if (found := self._keys.get(key)) is None:
                found = self._keys[key] = self._prefix(key)
            bits |= found
        self.gates[gate] = bits
        return bits


def _split(gate: frozenset[str]) -> _Keys:
    """A gate's keys by kind: its words (without "="), its stems (`_STEM` letters) and its shorter prefixes."""
    return (tuple(key[1:] for key in gate if key[0] == "="),
            tuple(key for key in gate if key[0] != "=" and len(key) == _STEM),
            tuple(key for key in gate if key[0] != "=" and len(key) != _STEM))


class _Sentences:
    """The sentences (runs between ". ! ? ;") of many passages, numbered in order: a set of them is an int whose bit
    i stands for sentence i. Which hold each word is worked out once for all of them."""

    def __init__(self, passages: Sequence[CueText]) -> None:
        self.spans: list[tuple[int, int, int]] = []  # (passage, start, end)
        self.texts: list[str] = []  # each sentence's lowercased text
        self.passages: list[int] = []  # each passage's sentences
        words: dict[str, int] = {}  # the sentences holding each word
        for k, passage in enumerate(passages):
            lowered = passage.lowered
            first = len(self.spans)
            own: set[str] = set()  # the passage's words: its sentences' together (words hold no ". ! ? ;")
            for start, end in passage.sentences:
                bit = 1 << len(self.spans)
                self.spans.append((k, start, end))
                text = lowered[start:end]
                self.texts.append(text)
                these = _words(text)
                own |= these
                for word in these:
                    words[word] = words.get(word, 0) | bit
            passage.take_words(own)
            self.passages.append((1 << len(self.spans)) - (1 << first))
        self.words = words


@dataclass(frozen=True)
class _Branch:
    """One top-level alternative of a case-insensitive pattern: its source, gates, the needle sets its gates leave
    unsure (`_unsure`), and the texts every match begins with (lowercase, ASCII; none when they are not known)."""

    source: str
    gates: tuple[frozenset[str], ...]
    needles: tuple[frozenset[str], ...]
    starts: tuple[str, ...]

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The alternative compiled as rule patterns are (case-insensitive), when first run."""
        return compile_pattern(self.source)

    @cached_property
    def ascii(self) -> re.Pattern[str]:
        """The alternative compiled for ASCII text (`regexes.in_ascii`)."""
        return in_ascii(self.source, re.IGNORECASE)

    @cached_property
    def first(self) -> re.Pattern[str] | None:
        """Where a text a match begins with occurs in a lowercased text (one scan for all of them)."""
        return compiled(_trie(self.starts)) if self.starts else None

    @cached_property
    def split_gates(self) -> tuple[tuple[frozenset[str], _Keys], ...]:
        """Each gate with its keys by kind (`_split`), for `WordIndex`: worked out once."""
        return tuple((gate, _split(gate)) for gate in self.gates)

    def search(self, passage: CueText) -> bool:
        """Whether the alternative matches the passage (which folds plainly): only when it has a word of each gate
        and a text of each needle set, tried only where a text a match begins with occurs."""
        keys = passage.keys
        for gate in self.gates:
            if gate.isdisjoint(keys):
                return False
        return self.matching((passage,), 1) == 1

    def matching(self, passages: Sequence[CueText], among: int) -> int:
        """The passages among these (bits, as in `WordIndex`; each holding a word of each gate) that the alternative
        matches. With the texts a match begins with known, the pattern is tried at each place one occurs (`re` would
        try it at every position in between)."""
        needles, matched = self.needles, 0
        first = None if self.first is None else self.first.search
        while among:
            low = among & -among
            among ^= low
            passage = passages[low.bit_length() - 1]
            lowered = passage.lowered
            if needles and not _holds(lowered, needles):
                continue
            text = passage.text
            pattern = self.ascii if text.isascii() else self.pattern
            if first is None:
                if pattern.search(text) is not None:
                    matched |= low
                continue
            found = first(lowered)
            while found is not None:
                if pattern.match(text, at := found.start()):
                    matched |= low
                    break
                found = first(lowered, at + 1)
        return matched


def _trie(texts: Sequence[str]) -> str:
    """A pattern for any of these texts, their common beginnings written once ("dis(?:clos|tribut)|giv"): `re` tries
    fewer alternatives where one may begin."""
    by_first: dict[str, list[str]] = {}
    for text in texts:
        by_first.setdefault(text[:1], []).append(text[1:])
    out = []
    for first, rests in by_first.items():
        if len(rests) == 1:
            out.append(re.escape(first + rests[0]))
        else:
            empty = "" in rests
            inner = _trie([r for r in rests if r])
            out.append(re.escape(first) + (f"(?:{inner})?" if empty else f"(?:{inner})"))
    return "|".join(out)


def _unsure(needles: tuple[frozenset[str], ...], gates: tuple[frozenset[str], ...]) -> tuple[frozenset[str], ...]:
    """The needle sets a passage holding a word of each gate may still lack, the longest texts (the rarer) first: a
    set held by every key of a gate is not (a word "=sold", or a word beginning "sold", holds "sold")."""
    kept = [choice for choice in needles
            if not any(all(any(n in key.lstrip("=") for n in choice) for key in gate) for gate in gates)]
    return tuple(sorted(kept, key=lambda choice: -min(map(len, choice))))


def _starts(parsed: list) -> tuple[str, ...]:
    """The texts every match of a parsed pattern begins with (lowercase ASCII), or () when they are not known."""
    texts = _start_texts(parsed)
    if "" in texts or not all(t.isascii() for t in texts):
        return ()
    # a text that another one begins ("sell" of "sells") is found first: the longer one adds nothing
    return tuple(sorted(t for t in texts if not any(t.startswith(u) and t != u for u in texts)))


def _start_texts(seq: list) -> set[str]:
    """The texts (lowercase) every match of a sequence begins with; "" among them when some are not known. An opening
    choice that leaves them unknown ("(valid )?library card") is read one alternative at a time, when each gives
    texts of three letters or more ("valid", "library")."""
    texts = {text.split(" ")[0].lower() for text in _literals(seq)[0]}  # a space may stand for a word boundary
    at = next((i for i, item in enumerate(seq) if item[0] not in ("at", "assert")), len(seq))
    if "" in texts and at < len(seq) and seq[at][0] == "branch":
        each = set().union(*(_start_texts([*seq[:at], *alternative, *seq[at + 1:]]) for alternative in seq[at][1]))
        if all(len(t) >= 3 for t in each):
            return each
    return texts


@dataclass(frozen=True)
class FoldedPattern:
    """A rule pattern (matched case-insensitively on the original text) behind the same gates as a cue: `search`
    says exactly whether `compile_pattern(source).search(text)` finds a match, but runs (and compiles) each
    top-level alternative only where its required words occur."""

    source: str
    branches: tuple[_Branch, ...] | None  # None: a pattern the parser does not read, always run whole

    @classmethod
    def of(cls, source: str) -> FoldedPattern:
        """The gated form of a pattern (read once per process: see `folded`)."""
        branches = []
        for alternative in _top_level_alternatives(source):
            try:
                parsed = _Parser(alternative).parse()
            except _Unsupported:
                return cls(source, None)
            gates = tuple(sorted((g for g in (frozenset(k.lower() for k in gate) for gate in _gates(parsed))
                                  if all(k.isascii() for k in g)), key=_telling, reverse=True))
            branches.append(_Branch(alternative, gates, _unsure(_needle_sets(parsed), gates), _starts(parsed)))
        return cls(source, tuple(branches))

    def search(self, passage: CueText) -> bool:
        """Whether the pattern matches somewhere in the passage's text (as a word index holding it found, when one
        tried the pattern on it)."""
        for ref, position in passage.indexed:
            if (index := ref()) is not None and (known := index.known(self.source, position)) is not None:
                return known
        if self.branches is None or not passage.folds_plainly:
            return pattern_for(self.source, passage.text).search(passage.text) is not None
        for branch in self.branches:
            if branch.search(passage):
                return True
        return False


_FOLDED: dict[str, FoldedPattern] = {}
CACHED_PATTERN_SETS = 16  # the cache keeps the gated forms of this many sets of patterns (the newest)


def folded(source: str) -> FoldedPattern:
    """A rule pattern's gated form, worked out once per process (or read from the cache: see `preload`)."""
    if (found := _FOLDED.get(source)) is None:
        found = _FOLDED[source] = FoldedPattern.of(source)
    return found


def preload(patterns: Iterable[str], folder: Path | None) -> None:
    """Read the gated forms of many patterns at once from the cache folder, in a file named by the sha256 of this
    module and of the patterns; work out and keep them when it is missing or unreadable (a fresh process then
    starts without reading every pattern again)."""
    wanted = sorted({p for p in patterns if p not in _FOLDED})
    if not wanted or folder is None:
        return
    path, data = _analysis_file(folder, "patterns", wanted)
    try:
        if data is not None:
            for source, branches in zip(wanted, data, strict=True):
                _FOLDED[source] = FoldedPattern(source, None if branches is None else tuple(
                    _Branch(alternative, tuple(map(frozenset, gates)), tuple(map(frozenset, needles)), tuple(starts))
                    for alternative, gates, needles, starts in branches))
            return
    except (ValueError, TypeError):
        pass
    data = [None if f.branches is None else [[b.source, [sorted(g) for g in b.gates], [sorted(n) for n in b.needles],
                                              list(b.starts)] for b in f.branches]
            for f in map(folded, wanted)]
    write_cached(path, json.dumps(data), CACHED_PATTERN_SETS)


class WordIndex:
    """The words of many passages (a document's paragraphs), to find at once the passages where a `FoldedPattern`
    may match: those holding a word of each gate of one of its alternatives (and any whose words cannot tell). A set
    of passages is an int whose bit i stands for the passage at position i: unions and intersections are one
    operation each."""

    def __init__(self, passages: Sequence[CueText]) -> None:
        self.every = (1 << len(passages)) - 1
        self.unread = sum(1 << i for i, p in enumerate(passages) if not p.folds_plainly)
        words: dict[str, int] = {}  # the passages of each word
        get = words.get
        me = weakref.ref(self)
        for i, passage in enumerate(passages):
            bit = 1 << i
            passage.indexed = [entry for entry in passage.indexed if entry[0]() is not None]
            passage.indexed.append((me, i))
            for word in passage.words:
                words[word] = get(word, 0) | bit
        self._postings = _Postings(words)  # the passages holding a word key of each gate
        self.passages = passages
        self._tested: dict[str, int] = {}  # by pattern: the passages it was tried on, and those it matches
        self._matched: dict[str, int] = {}

    def matches(self, pattern: FoldedPattern, among: int) -> int:
        """The passages among these (bits) that the pattern matches (those where `pattern.search` is true), each
        passage tried once: an alternative is only tried where its gates let it (no passage is looked at for them)."""
        source = pattern.source
        matched = self._matched.get(source, 0)
        if todo := among & ~(tested := self._tested.get(source, 0)):
            passages = self.passages
            whole = todo if pattern.branches is None else todo & self.unread
            for i in positions(whole):
                if pattern_for(source, text := passages[i].text).search(text):
                    matched |= 1 << i
            for branch in pattern.branches or ():
                if left := self._gated(branch, todo & ~whole & ~matched):
                    matched |= branch.matching(passages, left)
            self._tested[source] = tested | todo
            self._matched[source] = matched
        return matched & among

    def known(self, source: str, position: int) -> bool | None:
        """Whether a pattern matches the passage at a position, when it was tried there (else None)."""
        if self._tested.get(source, 0) >> position & 1:
            return bool(self._matched[source] >> position & 1)
        return None

    def possible(self, pattern: FoldedPattern, among: int) -> int:
        """The passages among these where the pattern may match, told from their words alone (no pattern is run):
        those holding a word of each gate of one of its alternatives, and those whose words cannot tell."""
        if pattern.branches is None:
            return among
        out = among & self.unread
        for branch in pattern.branches:
            out |= self._gated(branch, among & ~out)
        return out

    def _gated(self, branch: _Branch, among: int) -> int:
        """The passages among these holding a word of each of the alternative's gates (none is looked up once no
        passage is left)."""
        known, opened = self._postings.gates, self._postings.opened
        for gate, keys in branch.split_gates:
            if not among:
                break
            among &= bits if (bits := known.get(gate)) is not None else opened(gate, keys)
        return among


def positions(bits: int) -> list[int]:
    """The positions of the set bits of a `WordIndex` set, in order."""
    out = []
    while bits:
        low = bits & -bits
        out.append(low.bit_length() - 1)
        bits ^= low
    return out
