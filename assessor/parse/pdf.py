"""PDF (pypdf): page text without the running headers, footers and page numbers, then paragraphs and numbered
clause headings recovered from the lines."""

from __future__ import annotations

import io
import logging
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
        pages = [[ln for ln in (page.extract_text() or "").splitlines() if ln.strip()] for page in reader.pages]
        meta = reader.metadata
        title = str(meta.title).strip() if meta and meta.title else None
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds of errors on damaged files
        raise ParseError(f"{uri}: unreadable PDF ({type(exc).__name__}: {exc})") from exc
    if not any(pages):
        raise ParseError(f"{uri}: the PDF has no text layer (a scanned image?); text recognition is not supported")
    pages, dropped = _strip_running_lines(pages)
    warnings = [f"dropped {dropped} running header, footer or page-number lines"] if dropped else []
    # paragraphs run on across page breaks, so the pages' lines are read as one stream
    return list(line_blocks([ln for lines in pages for ln in lines])), _useful_title(title), warnings


def _useful_title(title: str | None) -> str | None:
    """The document-information title unless it is a converter's placeholder ("Microsoft Word - x.docx")."""
    if not title or _JUNK_TITLE.search(title):
        return None
    return title
