"""Word .docx (python-docx): Heading and Title styles become sections, numbered clauses and bold lines are headings,
list paragraphs are list items and table cells keep their order."""

from __future__ import annotations

import io
from collections.abc import Iterator

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.table import Table
from docx.text.paragraph import Paragraph

from .document import Block
from .errors import ParseError
from .lines import Outline, numbered_heading, title_line

_TEXT_TAGS = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}


def _text(p: BaseOxmlElement) -> str:
    """All the text of a w:p element, inserted revisions and hyperlinks included, deleted revisions left out."""
    parts = []
    for el in p.iter(*_TEXT_TAGS):
        fixed = _TEXT_TAGS[el.tag]
        parts.append(fixed if fixed is not None else (el.text or ""))
    return "".join(parts)


def _heading_level(paragraph: Paragraph) -> int | None:
    """The level a paragraph's style (or the style it is based on) gives it: Title 1, Heading N -> N."""
    style = paragraph.style
    for _ in range(10):
        if style is None:
            break
        name = (style.name or "").lower()
        if name == "title":
            return 1
        if name.startswith("heading ") and name[8:].strip().isdigit():
            return int(name[8:].strip())
        style = style.base_style
    outline = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")  # noqa: SLF001
    if outline is not None and (val := outline.get(qn("w:val"), "")).isdigit() and int(val) < 9:
        return int(val) + 1
    return None


def _is_list(paragraph: Paragraph) -> bool:
    """A list paragraph: a List style or Word numbering."""
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    numbering = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")  # noqa: SLF001
    return name.lower().startswith("list") or numbering is not None


def _all_bold(paragraph: Paragraph) -> bool:
    """Every run with text is bold (directly or by its character style)."""
    runs = [r for r in paragraph.runs if r.text.strip()]
    return bool(runs) and all(r.bold or (r.style is not None and r.style.font.bold) for r in runs)


def _paragraph_block(paragraph: Paragraph, outline: Outline) -> Block | None:
    """The block of one paragraph: heading by style, number or bold looks; list item; paragraph."""
    text = _text(paragraph._p)  # noqa: SLF001 - python-docx has no public access to revisions
    if not text.strip():
        return None
    level = _heading_level(paragraph)
    if level is not None:
        return Block("heading", text, level=outline.marked(level))
    if (numbered := numbered_heading(text)) is not None:
        return Block("heading", text, level=outline.marked(numbered))
    if _all_bold(paragraph) and title_line(text):
        return Block("heading", text, level=outline.pseudo())
    return Block("li" if _is_list(paragraph) else "p", text)


def _table_blocks(table: Table) -> Iterator[Block]:
    """One block per cell, row by row."""
    seen = set()
    for row in table.rows:
        for cell in row.cells:
            if cell._tc in seen:  # noqa: SLF001 - a merged cell appears once per grid column it spans
                continue
            seen.add(cell._tc)  # noqa: SLF001
            paragraphs = cell._tc.iter(qn("w:p"))  # noqa: SLF001 - all of them, those of nested tables too
            yield Block("td", "\n".join(_text(p) for p in paragraphs))


def _body_items(document: DocumentObject) -> Iterator[Paragraph | Table]:
    """Paragraphs and tables in reading order, those inside content controls (w:sdt) included."""
    body = document._body  # noqa: SLF001 - the parent python-docx gives its own paragraphs
    stack = list(reversed(document.element.body))
    while stack:
        el = stack.pop()
        if el.tag == qn("w:p"):
            yield Paragraph(el, body)
        elif el.tag == qn("w:tbl"):
            yield Table(el, body)
        elif el.tag == qn("w:sdt") and (content := el.find(qn("w:sdtContent"))) is not None:
            stack.extend(reversed(list(content)))


def read_docx(data: bytes, uri: str) -> tuple[list[Block], str | None]:
    """Blocks in reading order and the document's own title (core properties)."""
    try:
        document = Document(io.BytesIO(data))
        outline = Outline()
        blocks: list[Block] = []
        for item in _body_items(document):
            if isinstance(item, Paragraph):
                if (block := _paragraph_block(item, outline)) is not None:
                    blocks.append(block)
            else:
                blocks.extend(_table_blocks(item))
        title = (document.core_properties.title or "").strip() or None
    except Exception as exc:
        raise ParseError(f"{uri}: unreadable Word document ({type(exc).__name__}: {exc})") from exc
    return blocks, title
