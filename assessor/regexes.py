"""Regular expressions compiled once per machine rather than once per run.

Compiling the rules' and cues' patterns took about a third of a start-up. A pattern's compiled form (the code the
`re` engine runs) is kept in the cache folder and handed back to the engine in later processes, so they skip
parsing and compiling it. What is kept is exactly what `re.compile` makes: it goes through the same steps as
`re._compiler.compile`, and the patterns compare equal (`tests/test_regexes.py`). The file is named by the Python
build and the engine's version (`_sre.MAGIC`), so code is only ever handed to the engine that made it. The engine
checks any code it is given. If it refuses the code, or if this Python lacks these steps, the pattern is compiled as
`re.compile` compiles it. `keep_compiled()` (run after each assessment) adds the patterns a run compiled to the file,
and the patterns `led` made, so that a later process does not read them again.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
import sys
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

_PARSER: Any = importlib.import_module("re._parser")
_SYNTAX: Any = _PARSER  # what `led` reads a pattern with (not a compilation), when the cache folder has not kept it
_CODE: Any = getattr(importlib.import_module("re._compiler"), "_code", None)  # None: a `re` that compiles otherwise
_ENGINE: Any = importlib.import_module("_sre")
_WORD = "I"  # the engine's code words are 32-bit unsigned
KEPT_FILES = 4  # the cache keeps the compiled patterns of this many Python builds (the newest)
MAX_KEPT = 5000  # patterns in one file: past this, a run starts the file afresh with what it compiled

Key = tuple[str, int]  # a pattern and its flags
# What the engine is given besides the pattern: flags, groups, group names, and the code
Compiled = tuple[int, int, dict[str, int], list[int]]


@dataclass
class _Store:
    """The compiled patterns of one cache folder: those read from its file (with their place in its code) and
    those compiled by this process that the file does not hold yet; and what `led` made of each pattern it read."""

    path: Path | None
    kept: dict[Key, tuple[int, int, dict[str, int], int, int]] = field(default_factory=dict)
    code: bytes = b""
    new: dict[Key, Compiled] = field(default_factory=dict)
    leads: dict[Key, str] = field(default_factory=dict)
    new_leads: bool = False  # whether `leads` holds some the file does not

    @classmethod
    def read(cls, folder: Path | None) -> _Store:
        """The store of a cache folder (empty when its file is missing or unreadable, or there is no folder)."""
        if folder is None or array(_WORD).itemsize != 4:
            return cls(None)
        path = folder / f"regexes-{_build_digest()}.bin"
        try:
            head, _, code = path.read_bytes().partition(b"\n")
            read = json.loads(head)
            kept = {(p, f): (flags, groups, names, at, size)
                    for p, f, flags, groups, names, at, size in read["compiled"]}
            leads = {(p, f): made for p, f, made in read["led"]}
        except (OSError, ValueError, TypeError, KeyError):
            return cls(path)
        return cls(path, kept, code, leads=leads)

    def compiled(self, key: Key) -> Compiled | None:
        """What the file holds for a pattern, or None."""
        found = self.kept.get(key)
        if found is None:
            return None
        flags, groups, names, at, size = found
        words = array(_WORD)
        words.frombytes(self.code[4 * at:4 * (at + size)])
        return flags, groups, names, words.tolist()

    def write(self) -> None:
        """Add the patterns compiled (and led) since the file was read to it (a fresh file when it would grow too
        big)."""
        if self.path is None or not (self.new or self.new_leads):
            return
        from .settings import write_cached

        kept, code = (self.kept, self.code) if len(self.kept) + len(self.new) <= MAX_KEPT else ({}, b"")
        kept, parts, at = dict(kept), [code], len(code) // 4
        for key, (flags, groups, names, words) in self.new.items():
            parts.append(array(_WORD, words).tobytes())
            kept[key] = (flags, groups, names, at, len(words))
            at += len(words)
        head = json.dumps({"compiled": [[*key, *entry] for key, entry in kept.items()],
                           "led": [[*key, made] for key, made in self.leads.items()]}).encode()
        self.kept, self.code, self.new, self.new_leads = kept, b"".join(parts), {}, False
        write_cached(self.path, head + b"\n" + self.code, KEPT_FILES)


@cache
def _build_digest() -> str:
    """The name of this Python build's file: its version, the engine's, and how this module keeps them."""
    source = Path(__file__).read_bytes()
    return hashlib.sha256(f"{sys.version}\0{_ENGINE.MAGIC}\0".encode() + source).hexdigest()[:32]


_PATTERNS: dict[Key, re.Pattern[str]] = {}
_STORES: dict[str | None, _Store] = {}  # by the value of $ASSESSOR_CACHE


def _store() -> _Store:
    """The store of the cache folder `$ASSESSOR_CACHE` names (as `settings.cache_dir` reads it)."""
    from .settings import CACHE_ENV, cache_dir

    named = os.environ.get(CACHE_ENV)
    if (found := _STORES.get(named)) is None:
        found = _STORES[named] = _Store.read(cache_dir())
    return found


def _engine_pattern(pattern: str, compiled: Compiled) -> re.Pattern[str]:
    flags, groups, names, words = compiled
    index: list[str | None] = [None] * (groups + 1)
    for name, i in names.items():
        index[i] = name
    made: re.Pattern[str] = _ENGINE.compile(pattern, flags, words, groups, names, tuple(index))
    return made


def compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, once per process, its compiled form read from the cache folder when it is
    there (and kept for `keep_compiled` when it is not). A bad pattern raises `re.error` as `re.compile` does."""
    key = (pattern, int(flags))
    if (found := _PATTERNS.get(key)) is not None:
        return found
    store = _store()
    kept = store.compiled(key)
    if kept is not None:
        try:
            found = _PATTERNS[key] = _engine_pattern(pattern, kept)
            return found
        except (RuntimeError, TypeError, ValueError, IndexError):
            pass  # code the engine refuses: compile the pattern again
    try:
        parsed = _PARSER.parse(pattern, key[1])
        made: Compiled = (key[1] | parsed.state.flags, parsed.state.groups - 1, dict(parsed.state.groupdict),
                          list(_CODE(parsed, key[1])))
        found = _engine_pattern(pattern, made)
    except (AttributeError, TypeError):  # a Python whose `re` compiles otherwise (no `_code`, another engine)
        found = re.compile(pattern, key[1])
    else:
        store.new[key] = made
    _PATTERNS[key] = found
    return found


# What may match otherwise in ASCII mode even on ASCII text: a character written as an escape (a non-ASCII one may
# fold to an ASCII letter: \u212a is a K), the inline flag u (\s and \S are written out: `_ascii_form`)
_ASCII_UNSURE = re.compile(r"\\[uUxN0-9]|\(\?[a-zA-Z-]*u")
# \s in ASCII mode leaves out the four separators 0x1c-0x1f that Unicode counts as space: written out with them
_SPACE, _NOT_SPACE, _SPACE_MEMBERS = r"[\s\x1c-\x1f]", r"[^\s\x1c-\x1f]", r"\s\x1c-\x1f"
_IN_ASCII: dict[tuple[str, int], re.Pattern[str]] = {}


def in_ascii(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`compiled(pattern, flags)` for ASCII text: the pattern (ASCII itself) compiled with the flag re.ASCII, which
    matches there as the Unicode one does with no Unicode tables looked up for \\w, \\b, \\d or case; the Unicode
    pattern itself when the two may differ."""
    key = (pattern, flags)
    if (found := _IN_ASCII.get(key)) is None:
        form = _ascii_form(pattern)
        found = _IN_ASCII[key] = compiled(pattern, flags) if form is None else compiled(form, flags | re.ASCII)
    return found


def _ascii_form(pattern: str) -> str | None:
    """The pattern as it matches in ASCII mode on ASCII text what it matches in Unicode mode (\\s and \\S written out
    with the separators only Unicode counts as space), or None when that cannot be told: a pattern not ASCII itself,
    one with the escapes or the flag of `_ASCII_UNSURE`, or a \\S inside a class."""
    if not pattern.isascii() or _ASCII_UNSURE.search(pattern) is not None:
        return None
    out, i, members_from = [], 0, -1  # members_from: where the open class's members start (-1: no class open)
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            escape = pattern[i:i + 2]
            if escape == r"\S" and members_from >= 0:
                return None
            out.append({r"\s": _SPACE_MEMBERS if members_from >= 0 else _SPACE, r"\S": _NOT_SPACE}.get(escape, escape))
            i += 2
            continue
        if members_from < 0 and c == "[":
            members_from = i + 2 if pattern.startswith("[^", i) else i + 1
            out.append(pattern[i:members_from])
            i = members_from
            continue
        if c == "]" and members_from >= 0 and i > members_from:  # "]" first among the members is one of them
            members_from = -1
        out.append(c)
        i += 1
    return "".join(out)


class ByText:
    """A pattern that runs its ASCII-mode form (`in_ascii`) on an ASCII text, its Unicode one on any other."""

    __slots__ = ("ascii", "pattern", "unicode")

    def __init__(self, unicode: re.Pattern[str], ascii: re.Pattern[str]) -> None:
        self.pattern, self.ascii, self.unicode = unicode.pattern, ascii, unicode

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return (self.ascii if text.isascii() else self.unicode).search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return (self.ascii if text.isascii() else self.unicode).match(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return (self.ascii if text.isascii() else self.unicode).fullmatch(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return (self.ascii if text.isascii() else self.unicode).finditer(text, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return (self.ascii if text.isascii() else self.unicode).findall(text, pos, endpos)

    def split(self, text: str, maxsplit: int = 0) -> list[str | Any]:
        return (self.ascii if text.isascii() else self.unicode).split(text, maxsplit)

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str, count: int = 0) -> str:
        return (self.ascii if text.isascii() else self.unicode).sub(repl, text, count)


Led = re.Pattern[str] | ByText  # what `led` makes


def keep_compiled() -> None:
    """Add the patterns this process compiled to the cache folder's file, for the next runs (nothing to do when
    they were all read from it)."""
    for store in _STORES.values():
        store.write()


_CATEGORY_ESCAPES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
                     "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}


_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")  # "(?i)" ... would not stay at the start of the pattern


_AT_START = "^"  # in `_initials`' out: a branch that begins at "^" (read under the pattern's own flags, as there)


class _Unknown(Exception):
    """Syntax whose first characters `_initials` does not work out."""


def _member(op: Any, av: Any) -> str:
    """The class members (escaped) for the characters a literal or a class matches (`_Unknown` for others)."""
    p = _SYNTAX
    if op is p.LITERAL:
        return re.escape(chr(av))
    if op is not p.IN:
        raise _Unknown
    members = []
    for kind, value in av:
        if kind is p.LITERAL:
            members.append(re.escape(chr(value)))
        elif kind is p.RANGE:
            members.append(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
        elif kind is p.CATEGORY and str(value) in _CATEGORY_ESCAPES:
            members.append(_CATEGORY_ESCAPES[str(value)])
        else:  # a negated class, ...
            raise _Unknown
    return "".join(members)


Initial = tuple[str, str, bool]  # a first character's class members, the second's ("" when not known), bounded


def _initials(items: Any, flags: int, out: list[Initial], bounded: bool = False, boundaries: bool = True) -> bool:
    """Add to `out` the class members (escaped) for the characters a parsed sequence can begin with, and for the
    character after each when the sequence goes on with a literal or a class ("" when not known), each with whether
    a word boundary (`bounded`, or a \\b before it on its way) is known to hold before it; whether it can match the
    empty string (then what follows it may begin the match too). `boundaries`: whether a \\b here is the top-level
    one (not in a group that changes what a word character is)."""
    p = _SYNTAX
    for at, (op, av) in enumerate(items):
        if op in (p.LITERAL, p.IN):
            second = ""
            if at + 1 < len(items):
                try:
                    second = _member(*items[at + 1])
                except _Unknown:
                    pass
            out.append((_member(op, av), second, bounded))
            return False
        if op is p.AT and av is p.AT_BOUNDARY and boundaries:
            bounded = True
            continue
        if op is p.AT and av is p.AT_BEGINNING:  # "^": begins only where "^" holds, whatever follows it
            out.append((_AT_START, "", False))
            return False
        if op in (p.AT, p.ASSERT, p.ASSERT_NOT):  # zero-width: the match begins with what follows
            continue
        if op is p.SUBPATTERN:
            if av[1] & (re.IGNORECASE | re.MULTILINE) & ~flags:
                raise _Unknown  # the look-ahead would not match the other case, or a "^" after a line's end
            own = boundaries and not (av[1] | av[2]) & (re.ASCII | re.LOCALE | re.UNICODE)
            if not _initials(av[3], flags, out, bounded, own):
                return False
        elif op is p.BRANCH:
            empty = [_initials(branch, flags, out, bounded, boundaries) for branch in av[1]]  # every branch's count
            if not any(empty):
                return False
        elif op in (p.MAX_REPEAT, p.MIN_REPEAT):
            if not _initials(av[2], flags, out, bounded, boundaries) and av[0] > 0:
                return False
        else:
            raise _Unknown
    return True


def _ahead(initials: list[Initial]) -> str:
    """A look-ahead's alternatives for these initials (of one kind: all bounded or none): a class of the first
    characters whose next is not always known; and a class of the others' first characters (most positions fail it
    at once) before each of them with the characters after it."""
    seconds: dict[str, list[str]] = {}
    for first, second, _ in initials:
        seconds.setdefault(first, []).append(second)
    alone = "".join(first for first, after in seconds.items() if "" in after)
    pairs = {first: "".join(dict.fromkeys(after)) for first, after in seconds.items() if "" not in after}
    both = "|".join(_one(first) + _one(after) for first, after in pairs.items())
    gate = f"(?=[{''.join(pairs)}])" if len(pairs) > 1 else ""
    return "|".join([*([f"[{alone}]"] if alone else []), *([f"{gate}(?:{both})"] if pairs else [])])


def _one(members: str) -> str:
    """Class members as a pattern matching one character: as they are when they are one character or escape."""
    return members if len(members) == 1 or len(members) == 2 and members[0] == "\\" else f"[{members}]"


def led(pattern: str, flags: int = 0) -> Led:
    """`compiled(pattern, flags)`, behind a look-ahead for the characters a match can begin with (and the one after
    each, when known) when the pattern opens with a word boundary, a group or a look-behind: `re` tries such a
    pattern in full at every position of a text (one opening with a character or a class it skips to), and the
    look-ahead rules most positions out at once. It finds the same matches (`tests/test_regexes.py`). Reading the
    pattern takes about 0.25 ms: the pattern made is kept in the cache folder with the compiled ones, which a later
    process reads instead. One that finds the same on ASCII text in ASCII mode runs so there (`ByText`)."""
    key = (pattern, int(flags))
    store = _store()
    if (made := store.leads.get(key)) is None:
        made = store.leads[key] = _led(pattern, key[1])
        store.new_leads = True
    plain, fast = compiled(made, key[1]), in_ascii(made, key[1])
    return plain if fast is plain else ByText(plain, fast)


def _led(pattern: str, flags: int) -> str:
    """The pattern `led` compiles: behind the look-ahead when its first characters are known, else as it is."""
    p = _SYNTAX
    out: list[Initial] = []
    try:
        parsed = p.parse(pattern, flags)
        op, av = parsed[0]
        opens = op in (p.ASSERT, p.ASSERT_NOT, p.SUBPATTERN, p.BRANCH) or (op is p.AT and av is p.AT_BOUNDARY)
        if opens and not _GLOBAL_FLAGS.match(pattern) and not _initials(parsed, flags, out):
            free = [initial for initial in out if not initial[2] and initial[0] != _AT_START]
            # a character only begins a match at a word boundary: mid-word positions are ruled out too (one that
            # may begin a match anywhere, whatever follows it, needs no more)
            anywhere = {first for first, second, _ in free if not second}
            after = [initial for initial in out if initial[2] and initial[0] not in anywhere]
            ahead = "|".join([*([_ahead(free)] if free else []), *([rf"\b(?:{_ahead(after)})"] if after else []),
                              *([_AT_START] if (_AT_START, "", False) in out else [])])
            return f"(?={ahead})(?:{pattern})"
    except (_Unknown, AttributeError, IndexError, TypeError):  # or a `re` that parses otherwise
        pass
    return pattern
