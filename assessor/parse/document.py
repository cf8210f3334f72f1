"""Assemble a PolicyDocument from a stream of blocks: the one place where text and offsets are built."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ..models import Paragraph, PolicyDocument, Provenance, Section
from ..language import detect_language
from .metadata import find_last_updated
from .normalize import normalize

BlockKind = Literal["heading", "p", "li", "td", "pre"]


@dataclass(frozen=True)
class Block:
    """A unit of text in reading order: a heading (with its level) or a paragraph-like block."""

    kind: BlockKind
    text: str
    level: int = 0


def build_document(blocks: Iterable[Block], provenance: Provenance, *, title: str | None = None,
                   warnings: Iterable[str] = (), language: str | None = None) -> PolicyDocument:
    """Join blocks into normalised text (blank line between blocks) with sections and located paragraphs.

    A section runs from its heading to the end of the last block before the next heading of its level or above;
    `language` (e.g. an HTML page's declared one) is used when the text itself does not tell."""
    parts: list[str] = []
    pos = 0
    paragraphs: list[Paragraph] = []
    open_sections: list[tuple[str, int, list[str], int]] = []  # heading, level, path, start
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []

    def close(until_level: int, end: int) -> None:
        while open_sections and open_sections[-1][1] >= until_level:
            heading, level, path, start = open_sections.pop()
            sections.append(Section(heading=heading, level=level, path=path, start=start, end=end))

    for block in blocks:
        text = normalize(block.text)
        if not text:
            continue
        last_end = pos
        if parts:
            parts.append("\n\n")
            pos += 2
        start, end = pos, pos + len(text)
        parts.append(text)
        pos = end
        if block.kind == "heading":
            level = max(1, min(block.level or 1, 9))
            close(level, last_end)
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, text))
            open_sections.append((text, level, [h for _, h in stack], start))
            if title is None and level == 1:
                title = text
        paragraphs.append(Paragraph(index=len(paragraphs), start=start, end=end, text=text,
                                    section=[h for _, h in stack], kind=block.kind))
    close(0, pos)
    sections.sort(key=lambda s: (s.start, s.level))
    full = "".join(parts)
    return PolicyDocument(title=title, text=full, sections=sections, paragraphs=paragraphs, provenance=provenance,
                          last_updated=find_last_updated(full), language=detect_language(full) or language,
                          warnings=list(warnings))
