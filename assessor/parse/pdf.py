"""PDF (pypdf): page text without the running headers, footers and page numbers, then paragraphs and numbered
clause headings recovered from the lines."""

from __future__ import annotations

import io
import logging
import math
import re
from collections import Counter

from pypdf import PdfReader

from .document import Block
from .errors import ParseError
from .lines import line_blocks

_PAGE_NUMBER = re.compile(r"^\s*(?:page\s*)?[-\u2013\u2014(\[]?\s*\d{1,4}\s*(?:(?:of|/)\s*\d{1,4})?"
                          r"\s*[-\u2013\u2014)\]]?\s*$", re.I)
_JUNK_TITLE = re.compile(r"^(?:microsoft \w+ - |untitled)|\.(?:docx?|pdf|rtf|odt)$", re.I)
_EDGE = 2  # lines at the top and at the bottom of a page that may be a running header or footer
_MAX_PAGES = 2000


def _edge_key(line: str) -> str:
    """A running line's identity across pages: digits (page numbers, dates) do not count."""
    return re.sub(r"\d+", "#", line.strip().lower())


def _strip_running_lines(pages: list[list[str]]) -> tuple[list[list[str]], int]:
    """Drop page numbers, and lines repeated at the top or bottom of most pages; returns the pages and how many
    lines were dropped."""
    counts: Counter[str] = Counter()
    for lines in pages:
        edges = {_edge_key(ln) for ln in lines[:_EDGE] + lines[-_EDGE:]}
        counts.update(edges)
    threshold = max(2, int(len(pages) * 0.6 + 0.5)) if len(pages) >= 2 else None
    running = {k for k, n in counts.items() if threshold is not None and n >= threshold and k.strip()}
    dropped = 0
    out = []
    for lines in pages:
        kept = []
        for i, ln in enumerate(lines):
            edge = i < _EDGE or i >= len(lines) - _EDGE
            if edge and (_PAGE_NUMBER.match(ln) or _edge_key(ln) in running):
                dropped += 1
                continue
            kept.append(ln)
        out.append(kept)
    return out, dropped


def read_pdf(data: bytes, uri: str) -> tuple[list[Block], str | None, list[str]]:
    """Blocks, the PDF's own title (document information) and warnings; ParseError when there is no text."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ParseError(f"{uri}: the PDF is password-protected")
        if len(reader.pages) > _MAX_PAGES:
            raise ParseError(f"{uri}: the PDF has {len(reader.pages)} pages (more than {_MAX_PAGES})")
        fonts = _Fonts()
        pages = [[ln for ln in (page.extract_text(visitor_text=fonts.visit) or "").splitlines() if ln.strip()]
                 for page in reader.pages]
        meta = reader.metadata
        title = str(meta.title).strip() if meta and meta.title else None
    except ParseError:
        raise
    except Exception as exc:
        raise ParseError(f"{uri}: unreadable PDF ({type(exc).__name__}: {exc})") from exc
    if not any(pages):
        raise ParseError(f"{uri}: the PDF has no text layer (a scanned image?); text recognition is not supported")
    pages, dropped = _strip_running_lines(pages)
    warnings = [f"dropped {dropped} running header, footer or page-number lines"] if dropped else []
    # paragraphs run on across page breaks, so the pages' lines are read as one stream
    blocks = line_blocks([ln for lines in pages for ln in lines], emphasised=fonts.emphasised())
    return list(blocks), _useful_title(title), warnings


class _Fonts:
    """The size and weight of the text pypdf shows: lines set larger than the body text, or in bold when the body
    is not, are headings even without numbers or capitals."""

    def __init__(self) -> None:
        self.runs: list[tuple[str, float, bool]] = []

    def visit(self, text: str, cm: list[float], tm: list[float], font: dict | None, size: float) -> None:
        """pypdf's text visitor: one run of text with its matrices, font and font size."""
        if text.strip():
            scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]) or 1.0
            name = str(font.get("/BaseFont", "")).lower() if font else ""
            bold = any(w in name for w in ("bold", "black", "heavy", "semibold"))
            self.runs.append((text.strip(), round(size * scale, 1), bold))

    def emphasised(self) -> frozenset[str]:
        """Runs of heading-like text: larger than the body size, or bold in a document whose body is not bold."""
        weight: Counter[float] = Counter()
        for text, size, _ in self.runs:
            weight[size] += len(text)
        if not weight:
            return frozenset()
        body = weight.most_common(1)[0][0]
        total = sum(weight.values())
        bold_share = sum(len(t) for t, _, b in self.runs if b) / total
        return frozenset(t for t, size, bold in self.runs
                         if len(t) <= 120 and (size >= 1.15 * body or (bold and bold_share < 0.3)))


def _useful_title(title: str | None) -> str | None:
    """The document-information title unless it is a converter's placeholder ("Microsoft Word - x.docx")."""
    if not title or _JUNK_TITLE.search(title):
        return None
    return title
