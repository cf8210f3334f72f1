"""The parser's errors: a document that cannot be turned into text, or is too large to try."""

from __future__ import annotations

from ..errors import AssessorError


class ParseError(AssessorError):
    """A document that cannot be turned into text (unsupported, empty, binary, unreadable or script-only)."""


class DocumentTooLarge(ParseError):
    """A local document over the size cap, refused before it is read, or a document whose text is over the text
    cap; `detail` says by how much."""

    def __init__(self, path: object, detail: str):
        self.detail = detail
        super().__init__(f"{path}: too large ({detail})")
