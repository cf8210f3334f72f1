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
_WORD = re.compile(r"\w+(?:['’-]\w+)*|[^\w\s]")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WordChange(_Frozen):
    """A run of words added, removed or replaced within a section."""

    op: Literal["added", "removed", "replaced"]
    old: str = ""
    new: str = ""


class RedlineSegment(_Frozen):
    """A run of the section's text: unchanged (context, long runs elided), deleted or inserted."""

    op: Literal["equal", "delete", "insert"]
    text: str


class SectionChange(_Frozen):
    """What happened to one section between two versions."""

    heading: str
    change: Literal["added", "removed", "changed", "moved", "moved-and-changed", "renamed", "renamed-and-changed"]
    old_heading: str | None = Field(None, description="The heading it had before, when the section was renamed.")
    old_position: int | None = None
    new_position: int | None = None
    words_added: int = 0
    words_removed: int = 0
    edits: list[WordChange] = Field(default_factory=list)
    redline: list[RedlineSegment] = Field(default_factory=list, description="The section as a redline, for people.")


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


def _sections(doc: PolicyDocument) -> list[tuple[str, str]]:
    """(heading, body) in reading order; text before the first heading sits under ''."""
    out: list[tuple[str, list[str]]] = [("", [])]
    for p in doc.paragraphs:
        if p.kind == "heading":
            out.append((p.text, []))
        else:
            out[-1][1].append(p.text)
    return [(h, strip_boilerplate(" ".join(body))) for h, body in out if h or body]


def _context(words: list[str], first: bool, last: bool) -> str:
    """Unchanged words kept around an edit: up to CONTEXT on each side, the middle elided."""
    if len(words) <= 2 * CONTEXT:
        return " ".join(words)
    head = [] if first else words[:CONTEXT]
    tail = [] if last else words[-CONTEXT:]
    return " ".join([*head, "…", *tail])


def _word_edits(old: str, new: str) -> tuple[list[WordChange], int, int, list[RedlineSegment]]:
    a, b = _WORD.findall(old), _WORD.findall(new)
    edits: list[WordChange] = []
    redline: list[RedlineSegment] = []
    added = removed = 0
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(ops):
        if op == "equal":
            redline.append(RedlineSegment(op="equal", text=_context(a[i1:i2], n == 0, n == len(ops) - 1)))
            continue
        if i2 > i1:
            redline.append(RedlineSegment(op="delete", text=" ".join(a[i1:i2])))
        if j2 > j1:
            redline.append(RedlineSegment(op="insert", text=" ".join(b[j1:j2])))
        removed += i2 - i1
        added += j2 - j1
        kind = {"insert": "added", "delete": "removed", "replace": "replaced"}[op]
        edits.append(WordChange(op=kind, old=" ".join(a[i1:i2]), new=" ".join(b[j1:j2])))
    return edits, added, removed, (redline if edits else [])


def _unique(keys: Sequence[str]) -> list[str]:
    """Disambiguate repeated headings by their occurrence number."""
    seen: dict[str, int] = {}
    out = []
    for k in keys:
        seen[k] = seen.get(k, 0) + 1
        out.append(k if seen[k] == 1 else f"{k}#{seen[k]}")
    return out


def _renames(gone: Sequence[str], fresh: Sequence[str], old_map: dict[str, tuple[int, str, str]],
             new_map: dict[str, tuple[int, str, str]]) -> dict[str, str]:
    """New section key -> old section key, for sections whose heading changed but whose text mostly did not."""
    pairs = []
    for o in gone:
        a = _WORD.findall(old_map[o][2])
        for n in fresh:
            b = _WORD.findall(new_map[n][2])
            if a and b:
                ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
                if ratio >= RENAME_SIMILARITY:
                    pairs.append((-ratio, old_map[o][0], new_map[n][0], o, n))
    out: dict[str, str] = {}
    for _, _, _, o, n in sorted(pairs):
        if n not in out and o not in out.values():
            out[n] = o
    return out


def diff_documents(old: PolicyDocument, new: PolicyDocument) -> PolicyDiff:
    """Compare two versions section by section: sections are matched by heading (so moves are recognised), and a
    section under a new heading whose text mostly stayed is reported as renamed, not as removed and added."""
    old_secs, new_secs = _sections(old), _sections(new)
    old_keys, new_keys = _unique([_key(h) for h, _ in old_secs]), _unique([_key(h) for h, _ in new_secs])
    old_map = {k: (i, h, body) for i, (k, (h, body)) in enumerate(zip(old_keys, old_secs, strict=True))}
    new_map = {k: (i, h, body) for i, (k, (h, body)) in enumerate(zip(new_keys, new_secs, strict=True))}
    common_old = [k for k in old_keys if k in new_map]
    common_new = [k for k in new_keys if k in old_map]
    matcher = difflib.SequenceMatcher(None, common_old, common_new, autojunk=False)
    in_order = {common_new[j + n] for _, j, size in matcher.get_matching_blocks() for n in range(size)}
    renamed = _renames([k for k in old_keys if k not in new_map], [k for k in new_keys if k not in old_map],
                       old_map, new_map)
    changes: list[SectionChange] = []
    total_added = total_removed = 0
    for k in new_keys:
        j, heading, body = new_map[k]
        if k in renamed:
            i, old_heading, old_body = old_map[renamed[k]]
            edits, added, removed, redline = _word_edits(old_body, body)
            total_added += added
            total_removed += removed
            changes.append(SectionChange(heading=heading, old_heading=old_heading,
                                         change="renamed-and-changed" if edits else "renamed", old_position=i,
                                         new_position=j, words_added=added, words_removed=removed, edits=edits,
                                         redline=redline))
            continue
        if k not in old_map:
            n = len(_WORD.findall(body))
            total_added += n
            changes.append(SectionChange(heading=heading or "(untitled)", change="added", new_position=j,
                                         words_added=n))
            continue
        i, _, old_body = old_map[k]
        edits, added, removed, redline = _word_edits(old_body, body)
        moved = k not in in_order
        if not edits and not moved:
            continue
        total_added += added
        total_removed += removed
        change = ("moved-and-changed" if edits else "moved") if moved else "changed"
        changes.append(SectionChange(heading=heading or "(untitled)", change=change,
                                     old_position=i, new_position=j, words_added=added, words_removed=removed,
                                     edits=edits, redline=redline))
    for k in old_keys:
        if k not in new_map and k not in renamed.values():
            i, heading, body = old_map[k]
            n = len(_WORD.findall(body))
            total_removed += n
            changes.append(SectionChange(heading=heading or "(untitled)", change="removed", old_position=i,
                                         words_removed=n))
    cosmetic = not changes and old.text != new.text
    return PolicyDiff(sections=changes, words_added=total_added, words_removed=total_removed,
                      cosmetic_only=cosmetic)
