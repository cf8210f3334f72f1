"""Plain text and Markdown: paragraphs are blocks between blank lines; headings from Markdown or numbering."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .document import Block

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_NUMBERED = re.compile(r"^(\d+(?:\.\d+){0,3})\.?\s+([A-Z][^.!?]{0,80})$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+\u2022]|\d+[.)])\s+")


def text_blocks(text: str) -> Iterator[Block]:
    """Blocks of a plain-text or Markdown document."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for chunk in re.split(r"\n\s*\n", text):
        lines = [ln for ln in chunk.split("\n") if ln.strip()]
        if not lines:
            continue
        first = lines[0].strip()
        md = _MD_HEADING.match(first)
        if md:
            yield Block("heading", md.group(2), level=len(md.group(1)))
            lines = lines[1:]
        elif len(lines) == 1 and (num := _NUMBERED.match(first)):
            yield Block("heading", first, level=num.group(1).count(".") + 1)
            continue
        elif len(lines) > 1 and (num := _NUMBERED.match(first)):
            yield Block("heading", first, level=num.group(1).count(".") + 1)
            lines = lines[1:]
        if lines and all(_LIST_ITEM.match(ln) for ln in lines):
            for ln in lines:
                yield Block("li", _LIST_ITEM.sub("", ln, count=1))
        elif lines:
            yield Block("p", "\n".join(lines))
