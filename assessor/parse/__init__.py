"""Parsing: any fetched document into a PolicyDocument (normalised text, sections, located paragraphs).

The body's real kind is sniffed from its bytes (a PDF served as text/html, a .docx as octet-stream), its text
decoded honouring byte-order marks and declared charsets, then read by the parser for its kind."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from ..models import PolicyDocument, Provenance
from ..settings import code_fingerprint, find_project, write_cached
from .document import Block, build_document
from .errors import DocumentTooLarge, ParseError
from .metadata import find_last_updated
from .sniff import declared_kind, decode, sniff_kind
from .text import text_blocks

__all__ = ["MAX_BYTES", "MAX_TEXT_CHARS", "Block", "DocumentTooLarge", "ParseError", "build_document",
           "content_type_for", "parse_bytes", "parse_file", "read_file"]

_SUFFIX_TYPES = {".html": "text/html", ".htm": "text/html", ".xhtml": "application/xhtml+xml",
                 ".txt": "text/plain", ".md": "text/markdown", ".markdown": "text/markdown",
                 ".pdf": "application/pdf",
                 ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


# The size cap of one document, local or fetched (`assessor fetch --max-mb`): a policy is rarely over 1 MB, and
# a 10 MB page is read in seconds.
MAX_BYTES = 10 * 1024 * 1024
# The cap of a document's text, what scoring time grows with (about 14 CPU s per million characters with the default
# checklist, `benchmarks/page_sizes.py`): a policy is rarely over 100,000 characters, a long contract 1,000,000.
MAX_TEXT_CHARS = 2_000_000
CACHED_DOCUMENTS = 64  # the cache keeps this many parsed local files (the newest)


def read_file(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """A local document's bytes. DocumentTooLarge (one line) when it is over `max_bytes`, said before reading it;
    ParseError when it cannot be read."""
    try:
        size = path.stat().st_size
        if size <= max_bytes:
            with path.open("rb") as fh:
                data = fh.read(max_bytes + 1)  # a file that grew, or a device reporting no size, stops at the cap
            if len(data) > max_bytes:
                raise DocumentTooLarge(path, f"over the cap of {max_bytes:,} bytes")
            return data
    except OSError as exc:
        raise ParseError(f"{path}: {exc.strerror or exc}") from exc
    raise DocumentTooLarge(path, f"{size:,} bytes; the cap is {max_bytes:,}")


def content_type_for(path: Path) -> str:
    """Content type from a file's suffix; ParseError if we cannot read that kind of file."""
    try:
        return _SUFFIX_TYPES[path.suffix.lower()]
    except KeyError:
        supported = ", ".join(sorted(_SUFFIX_TYPES))
        raise ParseError(f"{path}: unsupported file type {path.suffix or '(none)'!r} (supported: {supported})") \
            from None


def parse_bytes(data: bytes, *, uri: str, content_type: str, select: Sequence[str] = (),
                remove: Sequence[str] = (), provenance: Provenance | None = None,
                max_chars: int = MAX_TEXT_CHARS) -> PolicyDocument:
    """Parse a document's bytes. The bytes decide the kind when they are a PDF or a Word document whatever the
    declared content type; `select`/`remove` are the profile's CSS hints for HTML. Raises ParseError (one line)
    for empty, binary, unreadable or script-only documents, DocumentTooLarge for text over `max_chars`."""
    provenance = provenance or Provenance(uri=uri, sha256=hashlib.sha256(data).hexdigest(),
                                          content_type=content_type)
    if not data.strip():
        raise ParseError(f"{uri}: the document is empty")
    kind = sniff_kind(data, content_type, uri)
    warnings: list[str] = []
    title = language = None
    context = ""
    if kind == "pdf":  # each reader is imported when a document needs it: they take a while to import
        from .pdf import read_pdf

        blocks, title, warnings = read_pdf(data, uri)
    elif kind == "docx":
        from .docx import read_docx

        blocks, title = read_docx(data, uri)
    else:
        text, warning = decode(data, content_type, html=kind == "html")
        warnings += [warning] if warning else []
        if kind == "html":
            from .html import read_html

            page = read_html(text, uri=uri, select=select, remove=remove)
            blocks, title, language, context = page.blocks, page.title, page.language, page.page_text
            warnings += page.warnings
        else:
            blocks = list(text_blocks(text, markdown=kind == "markdown"))
    if declared_kind(content_type) not in (None, kind):
        warnings.insert(0, f"declared {content_type} but the content is {kind}")
    doc = build_document(blocks, provenance, warnings=warnings, language=language)
    if not doc.paragraphs:
        raise ParseError(f"{uri}: no text found in the document")
    if len(doc.text) > max_chars:
        raise DocumentTooLarge(uri, f"{len(doc.text):,} characters of text; the cap is {max_chars:,}")
    update: dict[str, object] = {}
    if doc.title is None and title:
        update["title"] = title
    if doc.last_updated is None and context and (date := find_last_updated(context)):
        update["last_updated"] = date
    return doc.model_copy(update=update) if update else doc


def parse_file(path: Path, *, select: Sequence[str] = (), remove: Sequence[str] = (),
               max_bytes: int = MAX_BYTES, cache: Path | None = None) -> PolicyDocument:
    """Parse a local file (.html, .htm, .xhtml, .txt, .md, .pdf, .docx) of at most `max_bytes`. With a `cache`
    folder, the parsed document is kept there, named by the sha256 of the file's bytes, name and type, the hints and
    the package's code, and read back when the same file is parsed again (the readers are not even imported)."""
    content_type = content_type_for(path)
    data = read_file(path, max_bytes)
    uri = display_path(path)
    if cache is None:
        return parse_bytes(data, uri=uri, content_type=content_type, select=select, remove=remove)
    key = hashlib.sha256(json.dumps([uri, content_type, hashlib.sha256(data).hexdigest(), list(select), list(remove),
                                     code_fingerprint()]).encode()).hexdigest()
    kept = cache / f"document-{key}.json"
    try:
        return PolicyDocument.model_validate_json(kept.read_bytes())
    except (OSError, ValueError):
        pass
    doc = parse_bytes(data, uri=uri, content_type=content_type, select=select, remove=remove)
    write_cached(kept, doc.model_dump_json(), CACHED_DOCUMENTS)
    return doc


def display_path(path: Path) -> str:
    """How a local file is named in provenance: relative to the project holding it when there is one (the shipped
    samples too), so that reports and stored notebook outputs do not depend on where the project was cloned."""
    resolved = path.resolve()
    project = find_project(resolved.parent)
    return resolved.relative_to(project).as_posix() if project else path.as_posix()
