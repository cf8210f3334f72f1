"""Plain text and Markdown: blocks between blank lines; headings from Markdown, numbering or looks; lists, tables,
and hard-wrapped paragraphs (text pasted from a PDF) re-assembled."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .document import Block, BlockKind
from .lines import BULLET, Outline, line_blocks, numbered_heading, title_line

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_BULLET = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(?P<text>[^*_].*?)\1\s*:?\s*$")
_QUOTE = re.compile(r"^\s{0,3}>\s?")  # a block quote's marker
_INLINE_SYNTAX = re.compile(r"[\\\[\]<>*_`]")
# spans are bounded (a link text, an emphasis, a tag of a few hundred characters) so that a line full of unmatched
# "[" or "*" costs linear time. Each pattern is tried only on text holding one of the characters after it (a match
# holds one; a replacement only keeps or drops characters, so one that is missing stays missing).
_INLINE = [
    (re.compile(r"!\[([^\]]{0,500})\]\([^)]{0,2000}\)"), r"\1", "["),
    (re.compile(r"\[([^\]]{1,500})\]\([^)]{0,2000}\)"), r"\1", "["),
    (re.compile(r"\[([^\]]{1,500})\]\[[^\]]{0,100}\]"), r"\1", "["),
    (re.compile(r"<(https?://[^>\s]{1,2000})>"), r"\1", "<"),
    (re.compile(r"<br\s*/?>", re.I), " ", "<"),
    (re.compile(r"</?[a-zA-Z][\w-]{0,30}(?:\s[^<>]{0,500})?>"), "", "<"),
    (re.compile(r"(\*\*|__)(?=\S)(.{1,300}?)(?<=\S)\1"), r"\2", "*_"),
    (re.compile(r"(?<![\w*\\])\*(?=\S)(.{1,300}?)(?<=\S)\*(?![\w*])"), r"\1", "*"),
    (re.compile(r"(?<![\w\\])_(?=\S)(.{1,300}?)(?<=\S)_(?!\w)"), r"\1", "_"),
    (re.compile(r"`([^`]{1,500})`"), r"\1", "`"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])"), r"\1", "\\"),
]


def _inline(text: str) -> str:
    """Markdown inline syntax removed: links keep their text, emphasis and escapes their characters."""
    if not _INLINE_SYNTAX.search(text):
        return text
    for pattern, repl, marks in _INLINE:
        if any(ch in text for ch in marks):
            text = pattern.sub(repl, text)
    return text


def _wrapped(lines: list[str]) -> bool:
    """Several lines of similar, moderate length: a paragraph hard-wrapped (or text from a PDF)."""
    return len(lines) >= 3 and max(len(ln) for ln in lines) <= 110


def _md_chunk(lines: list[str], outline: Outline) -> Iterator[Block]:
    """Blocks of one Markdown chunk (lines between blank lines)."""
    if len(lines) == 2 and _SETEXT.match(lines[1]) and not _MD_BULLET.match(lines[0]):
        level = 1 if lines[1].strip().startswith("=") else 2
        yield Block("heading", _inline(lines[0]), level=outline.marked(level))
        return
    para: list[str] = []
    kind: BlockKind = "p"

    def flush() -> Iterator[Block]:
        nonlocal para, kind
        if para:
            if kind == "p" and _wrapped(para):
                yield from line_blocks([_inline(ln) for ln in para], outline)
            else:
                yield Block(kind, _inline("\n".join(para)))
        para, kind = [], "p"

    for line in lines:
        if _RULE.match(line) and not para:
            continue
        heading = _MD_HEADING.match(line)
        bold = _BOLD_LINE.match(line)
        if heading:
            yield from flush()
            yield Block("heading", _inline(heading.group(2)), level=outline.marked(len(heading.group(1))))
        elif bold and title_line(_inline(bold["text"])) and not para:
            yield Block("heading", _inline(bold["text"]), level=outline.pseudo())
        elif line.lstrip().startswith("|"):
            yield from flush()
            if not _TABLE_SEPARATOR.match(line):
                for cell in line.strip().strip("|").split("|"):
                    yield Block("td", _inline(cell))
        elif _MD_BULLET.match(line):
            yield from flush()
            para, kind = [_MD_BULLET.sub("", line, count=1)], "li"
        else:
            para.append(line)
    yield from flush()


def _text_chunk(lines: list[str], outline: Outline) -> Iterator[Block]:
    """Blocks of one plain-text chunk (lines between blank lines)."""
    while len(lines) > 1 and not _wrapped(lines) and (level := numbered_heading(lines[0])) is not None:
        yield Block("heading", lines[0], level=outline.marked(level))
        lines = lines[1:]
    first = lines[0].strip()
    if len(lines) == 1:
        level = numbered_heading(first)
        if level is not None:
            yield Block("heading", first, level=outline.marked(level))
        elif title_line(first) and len(first) <= 80:
            yield Block("heading", first, level=outline.pseudo())
        elif bullet := BULLET.match(first):
            yield Block("li", first[bullet.end():])
        else:
            yield Block("p", first)
    elif _wrapped(lines) or all(BULLET.match(ln) for ln in lines):
        yield from line_blocks(lines, outline)
    else:
        yield Block("p", "\n".join(lines))


def text_blocks(text: str, *, markdown: bool = False) -> Iterator[Block]:
    """Blocks of a plain-text or (with `markdown`) Markdown document."""
    outline = Outline()
    chunk: list[str] = []
    fence: list[str] | None = None
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if markdown and fence is not None:
            if _FENCE.match(line):
                yield Block("pre", "\n".join(fence))
                fence = None
            else:
                fence.append(line)
            continue
        if markdown and _FENCE.match(line):
            fence = []
            line = ""
        if markdown and ">" in line:
            line = _QUOTE.sub("", line)
        if line.strip():
            chunk.append(line)
            continue
        if chunk:
            yield from (_md_chunk if markdown else _text_chunk)(chunk, outline)
        chunk = []
    if chunk:
        yield from (_md_chunk if markdown else _text_chunk)(chunk, outline)
    if fence:
        yield Block("pre", "\n".join(fence))
