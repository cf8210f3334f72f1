"""Structure in text that has lost its markup (PDF pages, plain text): numbered clauses such as "7.2 Retention",
title-like lines, bullets, and paragraphs re-assembled from hard-wrapped lines."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .document import Block, BlockKind

_NUMBERED = re.compile(r"^(?:(?i:section|article|clause|part|§)\s*)?"
                       r"(?P<num>\d{1,2}(?:\.\d{1,2}){0,4}\.?|[IVX]{1,5}[.)]|[A-Z][.)])"
                       r"(?:\s*[:\u2013\u2014-]\s*|\s+)(?P<rest>\S.{0,150})$")
BULLET = re.compile(r"^\s*(?:[\u2022\u25e6\u25aa\u25ab\u2023\u2219\u00b7\u25cf\u25cb\u25a0\u25a1\u2013\u2014*+-]"
                    r"|\(?[a-z]\)|\(?[ivx]{1,4}\)|\(\d{1,2}\)|\d{1,2}[.)])\s+")
_SENTENCE_END = re.compile(r"[.!?:;][\"'\u201d\u2019)\]]*$")
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")


@dataclass
class Outline:
    """Levels of headings recognised by their looks: one below the last heading the document marked up."""

    last: int = 1

    def marked(self, level: int) -> int:
        """Record a heading the document marked up (Markdown #, h2, Heading 2, a numbered clause)."""
        self.last = max(1, min(level, 9))
        return self.last

    def pseudo(self) -> int:
        """The level of a title-like line, bold paragraph or similar."""
        return min(self.last + 1, 9)


def titleish(text: str) -> bool:
    """Most words of four letters or more are capitalised (or the text is in capitals)."""
    words = [w for w in _WORD.findall(text) if len(w) >= 4]
    if not words:
        return bool(_WORD.search(text))
    return sum(w[0].isupper() for w in words) / len(words) >= 0.6


def numbered_heading(line: str) -> int | None:
    """The level of a numbered clause heading ("7.2 Retention", "Section 3. Sharing", "IV. Security"), or None."""
    m = _NUMBERED.match(line.strip())
    if not m:
        return None
    num, rest = m["num"].rstrip(".)"), m["rest"].strip()
    words = rest.split()
    if not rest[0].isupper() or len(words) > 12 or rest[-1] in ",;" or (rest[-1] == "." and len(words) > 4):
        return None
    dotted = "." in num
    if not (titleish(rest) or len(words) <= 3 or (dotted and len(words) <= 8 and rest[-1] != ".")):
        return None
    return min(num.count(".") + 2, 9)


def title_line(line: str, *, emphasised: bool = False) -> bool:
    """A short line that reads like a heading: capitals, or title case, possibly ending in ':' or '?'; a line set
    in bold (`emphasised`) need only start with a capital."""
    text = line.strip()
    if not 2 <= len(text) <= 90 or text[-1] in ".,;-":
        return False
    letters = sum(c.isalpha() for c in text)
    if letters < 2 or len(text.split()) > 12 or BULLET.match(text):
        return False
    if ":" in text[:-1]:  # "Last updated: 3 May 2025" is a label and its value
        return False
    if (text.isupper() and letters >= 3) or (emphasised and text[0].isupper()):
        return True
    return titleish(text.rstrip(":?"))


def ends_sentence(line: str) -> bool:
    """The line ends with sentence punctuation (possibly followed by closing quotes or brackets)."""
    return bool(_SENTENCE_END.search(line.rstrip()))


def line_blocks(lines: Iterable[str], outline: Outline | None = None, *,
                emphasised: frozenset[str] = frozenset()) -> Iterator[Block]:
    """Blocks from hard-wrapped lines: a paragraph ends at a blank line or at a short line that ends a sentence;
    a numbered or title-like line after a sentence end is a heading, and so is any line set in a heading font
    (`emphasised`, the texts a PDF shows larger or in bold); bullets start list items."""
    outline = outline or Outline()
    lines = [ln.rstrip() for ln in lines]
    lengths = sorted(len(ln.strip()) for ln in lines if ln.strip())
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    current: list[str] = []
    kind: BlockKind = "p"
    at_start = True
    heading: Block | None = None  # a heading whose title may go on over the next line
    for line in lines:
        text = line.strip()
        if heading is not None:
            if text and heading.text[-1] not in ":?" and title_line(text) and numbered_heading(text) is None \
                    and len(heading.text + text) <= 120 and (not emphasised or text in emphasised):
                heading = Block("heading", f"{heading.text} {text}", level=heading.level)
                continue
            yield heading
            heading = None
        if not text:
            if current:
                yield Block(kind, "\n".join(current))
            current, kind, at_start = [], "p", True
            continue
        set_apart = text in emphasised and title_line(text, emphasised=True)
        if at_start or set_apart:
            level = numbered_heading(text)
            if level is not None or set_apart or (title_line(text) and len(text) < max(0.8 * width, 20)):
                if current:
                    yield Block(kind, "\n".join(current))
                current, kind = [], "p"
                heading = Block("heading", text, level=outline.marked(level) if level else outline.pseudo())
                continue
        bullet = BULLET.match(text)
        if bullet:
            if current:
                yield Block(kind, "\n".join(current))
            current, kind = [text[bullet.end():]], "li"
        else:
            current.append(text)
        at_start = ends_sentence(text)
        if at_start and len(text) < 0.85 * width:
            yield Block(kind, "\n".join(current))
            current, kind = [], "p"
    if heading is not None:
        yield heading
    if current:
        yield Block(kind, "\n".join(current))
