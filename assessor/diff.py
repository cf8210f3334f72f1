"""Section-aware comparison of two versions of a policy: words added and removed, sections added, removed and moved,
with boilerplate (dates, copyright years) ignored so that cosmetic edits raise nothing."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .models import PolicyDocument

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = (r"(?:\d{1,2}[/-]\d{1,2}[/-]\d{2,4}|\d{4}-\d{2}(?:-\d{2})?|" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|"
         r"\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+\d{4}|" + _MONTH + r",?\s+\d{4}|\d{4})")
# Dates a policy states about itself ("Last updated: March 3, 2026", "effective as of April 2015") and copyright
# lines: masked for comparison, so an edit of them alone is no change (here and in the archive's versions).
_BOILERPLATE = [
    re.compile(r"\b(last\s+(updated|revised|modified|changed|reviewed)|effective(\s+date)?|updated|revised|"
               r"dated|version\s+date|as\s+of)\b[^.\n\d]{0,16}?" + _DATE + r"\b", re.IGNORECASE),
    re.compile(r"(©|\(c\)|copyright)\s*\d{4}(\s*[-–]\s*\d{4})?", re.IGNORECASE),
]
CONTEXT = 8  # unchanged words shown on each side of an edit in a redline
RENAME_SIMILARITY = 0.6  # a section under a new heading is the old one renamed when this much of its text matches
MOVE_SIMILARITY = 0.75  # a paragraph in another section is an old one moved and edited when this much of it matches
_TOKEN = re.compile(r"(\S+)(\s*)")  # a word as written, with its punctuation ("U.S.-EU", "policy."), and its spacing


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WordChange(_Frozen):
    """A run of words added, removed or replaced within a section."""

    op: Literal["added", "removed", "replaced"]
    old: str = ""
    new: str = ""


class RedlineSegment(_Frozen):
    """A run of the section's text, written as in the policy: unchanged (context, long runs elided), deleted or
    inserted; `space` says whether a space follows it."""

    op: Literal["equal", "delete", "insert"]
    text: str
    space: bool = True


class ParagraphMove(_Frozen):
    """A paragraph whose place changed: word for word, or (with a redline) with a few words edited."""

    text: str
    from_heading: str = Field(description="The section it was in ('' before the first heading).")
    to_heading: str = Field(description="The section it is in now.")
    redline: list[RedlineSegment] = Field(default_factory=list, description="Its edits, when it was edited too.")
    words_added: int = 0
    words_removed: int = 0


class SectionChange(_Frozen):
    """What happened to one section between two versions."""

    heading: str
    change: Literal["added", "removed", "changed", "moved", "moved-and-changed", "renamed", "renamed-and-changed",
                    "reordered"]
    old_heading: str | None = Field(None, description="The heading it had before, when the section was renamed.")
    old_position: int | None = None
    new_position: int | None = None
    words_added: int = 0
    words_removed: int = 0
    edits: list[WordChange] = Field(default_factory=list)
    redline: list[RedlineSegment] = Field(default_factory=list, description="The section as a redline, for people.")
    paragraphs: list[str] = Field(default_factory=list, description="The text of an added or removed section.")
    moves: list[ParagraphMove] = Field(default_factory=list,
                                       description="Paragraphs moved into this section (or within it), or out of it.")


class PolicyDiff(_Frozen):
    """The substantive differences between two versions of a document."""

    sections: list[SectionChange] = Field(default_factory=list)
    words_added: int = 0
    words_removed: int = 0
    cosmetic_only: bool = Field(False, description="The text differs only in boilerplate (dates, whitespace...).")

    @property
    def changed(self) -> bool:
        """Whether anything substantive changed."""
        return bool(self.sections)


def strip_boilerplate(text: str) -> str:
    """Text with dates, copyright lines and spacing masked, for comparison only."""
    for pattern in _BOILERPLATE:
        text = pattern.sub(" ", text)
    return " ".join(text.split())


def _key(heading: str) -> str:
    return re.sub(r"^[\d.\s]+", "", heading.lower()).strip()


class _Section:
    """A section's heading, and its paragraphs as written and as compared (boilerplate masked; empty ones dropped)."""

    def __init__(self, heading: str):
        self.heading = heading
        self.shown: list[str] = []
        self.compared: list[str] = []

    def add(self, text: str) -> None:
        masked = strip_boilerplate(text)
        if masked:
            self.shown.append(" ".join(text.split()))
            self.compared.append(masked)

    @property
    def body(self) -> str:
        return " ".join(self.compared)


def _sections(doc: PolicyDocument) -> list[_Section]:
    """Sections in reading order; text before the first heading sits under ''."""
    out = [_Section("")]
    for p in doc.paragraphs:
        if p.kind == "heading":
            out.append(_Section(p.text))
        else:
            out[-1].add(p.text)
    return [s for s in out if s.heading or s.compared]


def _tokens(text: str) -> list[tuple[str, str]]:
    """Words as written (split at spaces, punctuation kept), each with the spacing that follows it."""
    return [(m.group(1), m.group(2)) for m in _TOKEN.finditer(text)]


def _join(tokens: Sequence[tuple[str, str]]) -> tuple[str, bool]:
    """Tokens written back as in the text (no space inside "U.S.-EU"), and whether a space follows the last."""
    text = "".join(t + ws for t, ws in tokens)
    return text.rstrip(), bool(tokens) and text != text.rstrip()


def _context(tokens: list[tuple[str, str]], first: bool, last: bool) -> RedlineSegment:
    """Unchanged words kept around an edit: up to CONTEXT on each side, the middle elided."""
    if len(tokens) > 2 * CONTEXT:
        head = [] if first else tokens[:CONTEXT]
        tail = [] if last else tokens[-CONTEXT:]
        tokens = [*head[:-1], (head[-1][0], " ")] if head else []
        tokens = [*tokens, ("…", " "), *tail]
    text, space = _join(tokens)
    return RedlineSegment(op="equal", text=text, space=space)


def _word_edits(old: str, new: str) -> tuple[list[WordChange], int, int, list[RedlineSegment]]:
    a, b = _tokens(old), _tokens(new)
    edits: list[WordChange] = []
    redline: list[RedlineSegment] = []
    added = removed = 0
    ops = difflib.SequenceMatcher(None, [t for t, _ in a], [t for t, _ in b], autojunk=False).get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(ops):
        if op == "equal":
            redline.append(_context(b[j1:j2], n == 0, n == len(ops) - 1))
            continue
        old_text, old_space = _join(a[i1:i2])
        new_text, new_space = _join(b[j1:j2])
        if i2 > i1:
            redline.append(RedlineSegment(op="delete", text=old_text, space=True))
        if j2 > j1:
            redline.append(RedlineSegment(op="insert", text=new_text, space=new_space))
        removed += i2 - i1
        added += j2 - j1
        kind = {"insert": "added", "delete": "removed", "replace": "replaced"}[op]
        edits.append(WordChange(op=kind, old=old_text, new=new_text))
    return edits, added, removed, (redline if edits else [])


def _unique(keys: Sequence[str]) -> list[str]:
    """Disambiguate repeated headings by their occurrence number."""
    seen: dict[str, int] = {}
    out = []
    for k in keys:
        seen[k] = seen.get(k, 0) + 1
        out.append(k if seen[k] == 1 else f"{k}#{seen[k]}")
    return out


def _renames(gone: Sequence[str], fresh: Sequence[str], old_map: dict[str, tuple[int, _Section]],
             new_map: dict[str, tuple[int, _Section]]) -> dict[str, str]:
    """New section key -> old section key, for sections whose heading changed but whose text mostly did not."""
    pairs = []
    for o in gone:
        a = [t for t, _ in _tokens(old_map[o][1].body)]
        for n in fresh:
            b = [t for t, _ in _tokens(new_map[n][1].body)]
            if a and b:
                ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
                if ratio >= RENAME_SIMILARITY:
                    pairs.append((-ratio, old_map[o][0], new_map[n][0], o, n))
    out: dict[str, str] = {}
    for _, _, _, o, n in sorted(pairs):
        if n not in out and o not in out.values():
            out[n] = o
    return out


def _moved_paragraphs(pairs: Sequence[tuple[_Section, _Section]]) -> dict[str, ParagraphMove]:
    """Paragraphs of matched sections that left their place, by compared text (old and new): one gone from its old
    place that appears word for word at a new one (in the same section, out of order, or in another section), or
    one that went to another section with a few words edited (MOVE_SIMILARITY of its words kept; its redline
    says what changed)."""
    gone: dict[str, str] = {}
    came: dict[str, tuple[str, str]] = {}
    for old, new in pairs:
        ops = difflib.SequenceMatcher(None, old.compared, new.compared, autojunk=False).get_opcodes()
        for op, i1, i2, j1, j2 in ops:
            if op == "equal":
                continue
            gone.update((p, old.heading) for p in old.compared[i1:i2])
            pairs_new = zip(new.compared[j1:j2], new.shown[j1:j2], strict=True)
            came.update((p, (shown, new.heading)) for p, shown in pairs_new)
    out = {p: ParagraphMove(text=came[p][0], from_heading=gone[p], to_heading=came[p][1])
           for p in came if p in gone and len(_tokens(p)) >= 3}
    candidates = []
    for o in (p for p in gone if p not in out):
        a = [t for t, _ in _tokens(o)]
        for n in (p for p in came if p not in out and came[p][1] != gone[o]):
            b = [t for t, _ in _tokens(n)]
            if min(len(a), len(b)) >= 8:
                ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
                if ratio >= MOVE_SIMILARITY:
                    candidates.append((-ratio, o, n))
    for _, o, n in sorted(candidates):
        if o not in out and n not in out:
            _, added, removed, redline = _word_edits(o, n)
            out[o] = out[n] = ParagraphMove(text=came[n][0], from_heading=gone[o], to_heading=came[n][1],
                                            redline=redline, words_added=added, words_removed=removed)
    return out


def _compare(old: _Section, new: _Section, moved: dict[str, ParagraphMove]
             ) -> tuple[list[WordChange], int, int, list[RedlineSegment], list[ParagraphMove]]:
    """Word edits of a matched section, leaving out paragraphs that moved (listed as moves instead; the words
    edited in a paragraph that moved here count here)."""
    moves: list[ParagraphMove] = []
    for p in [*new.compared, *old.compared]:
        if p in moved and not any(m is moved[p] for m in moves):
            moves.append(moved[p])
    old_rest = " ".join(p for p in old.compared if p not in moved)
    new_rest = " ".join(p for p in new.compared if p not in moved)
    edits, added, removed, redline = _word_edits(old_rest, new_rest)
    arrived = [moved[p] for p in new.compared if p in moved and moved[p].redline]
    return (edits, added + sum(m.words_added for m in arrived), removed + sum(m.words_removed for m in arrived),
            redline, moves)


def diff_documents(old: PolicyDocument, new: PolicyDocument) -> PolicyDiff:
    """Compare two versions section by section: sections are matched by heading (so moves are recognised), a
    section under a new heading whose text mostly stayed is reported as renamed, not as removed and added, and a
    paragraph that moved (word for word, or to another section with a few words edited) is shown as a move, not as
    words removed and added."""
    if old.text == new.text:
        return PolicyDiff()
    old_secs, new_secs = _sections(old), _sections(new)
    old_keys, new_keys = _unique([_key(s.heading) for s in old_secs]), _unique([_key(s.heading) for s in new_secs])
    old_map = {k: (i, sec) for i, (k, sec) in enumerate(zip(old_keys, old_secs, strict=True))}
    new_map = {k: (i, sec) for i, (k, sec) in enumerate(zip(new_keys, new_secs, strict=True))}
    common_old = [k for k in old_keys if k in new_map]
    common_new = [k for k in new_keys if k in old_map]
    matcher = difflib.SequenceMatcher(None, common_old, common_new, autojunk=False)
    in_order = {common_new[j + n] for _, j, size in matcher.get_matching_blocks() for n in range(size)}
    renamed = _renames([k for k in old_keys if k not in new_map], [k for k in new_keys if k not in old_map],
                       old_map, new_map)
    partner = {k: renamed.get(k, k) for k in new_keys if k in old_map or k in renamed}
    moved = _moved_paragraphs([(old_map[o][1], new_map[n][1]) for n, o in partner.items()])
    changes: list[SectionChange] = []
    total_added = total_removed = 0
    for k in new_keys:
        j, sec = new_map[k]
        if k not in partner:
            n = len(_tokens(sec.body))
            total_added += n
            changes.append(SectionChange(heading=sec.heading or "(untitled)", change="added", new_position=j,
                                         words_added=n, paragraphs=sec.shown))
            continue
        i, old_sec = old_map[partner[k]]
        edits, added, removed, redline, moves = _compare(old_sec, sec, moved)
        reworded = bool(edits) or added + removed > 0
        if k in renamed:
            change = "renamed-and-changed" if reworded else "renamed"
        elif k not in in_order:
            change = "moved-and-changed" if reworded else "moved"
        elif reworded:
            change = "changed"
        elif moves:
            change = "reordered"
        else:
            continue
        total_added += added
        total_removed += removed
        changes.append(SectionChange(heading=sec.heading or "(untitled)", change=change,
                                     old_heading=old_sec.heading if k in renamed else None, old_position=i,
                                     new_position=j, words_added=added, words_removed=removed, edits=edits,
                                     redline=redline, moves=moves))
    for k in old_keys:
        if k not in new_map and k not in renamed.values():
            i, sec = old_map[k]
            n = len(_tokens(sec.body))
            total_removed += n
            changes.append(SectionChange(heading=sec.heading or "(untitled)", change="removed", old_position=i,
                                         words_removed=n, paragraphs=sec.shown))
    cosmetic = not changes and old.text != new.text
    return PolicyDiff(sections=changes, words_added=total_added, words_removed=total_removed,
                      cosmetic_only=cosmetic)
