"""Parsing: any fetched document into a PolicyDocument (normalised text, sections, located paragraphs)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from ..errors import AssessorError
from ..models import PolicyDocument, Provenance
from .document import Block, build_document
from .html import html_blocks, soup_for
from .text import text_blocks

__all__ = ["Block", "ParseError", "build_document", "content_type_for", "parse_bytes", "parse_file"]

_SUFFIX_TYPES = {".html": "text/html", ".htm": "text/html", ".txt": "text/plain", ".md": "text/markdown",
                 ".markdown": "text/markdown"}


class ParseError(AssessorError):
    """A document that cannot be turned into text (unsupported, empty or unreadable)."""


def content_type_for(path: Path) -> str:
    """Content type from a file's suffix; ParseError if we cannot read that kind of file."""
    try:
        return _SUFFIX_TYPES[path.suffix.lower()]
    except KeyError:
        supported = ", ".join(sorted(_SUFFIX_TYPES))
        raise ParseError(f"{path}: unsupported file type {path.suffix or '(none)'!r} (supported: {supported})") \
            from None


def _decode(data: bytes) -> str:
    for enc in ("utf-8", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def parse_bytes(data: bytes, *, uri: str, content_type: str, select: Sequence[str] = (),
                remove: Sequence[str] = (), provenance: Provenance | None = None) -> PolicyDocument:
    """Parse a document's bytes; the content type picks the parser."""
    provenance = provenance or Provenance(uri=uri, sha256=hashlib.sha256(data).hexdigest(),
                                          content_type=content_type)
    kind = content_type.split(";")[0].strip().lower()
    if kind in ("text/html", "application/xhtml+xml"):
        soup, root = soup_for(_decode(data), select, remove)
        title = soup.title.get_text(" ", strip=True) if soup.title else None
        doc = build_document(html_blocks(root), provenance)
        if title and not doc.title:
            doc = doc.model_copy(update={"title": title})
    elif kind in ("text/plain", "text/markdown"):
        doc = build_document(text_blocks(_decode(data)), provenance)
    else:
        raise ParseError(f"{uri}: cannot parse content type {content_type!r}")
    if not doc.paragraphs:
        raise ParseError(f"{uri}: no text found in the document")
    return doc


def parse_file(path: Path, *, select: Sequence[str] = (), remove: Sequence[str] = ()) -> PolicyDocument:
    """Parse a local file."""
    content_type = content_type_for(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"{path}: {exc.strerror or exc}") from exc
    return parse_bytes(data, uri=path.as_posix(), content_type=content_type, select=select, remove=remove)
