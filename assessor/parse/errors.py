"""The parser's one error: a document that cannot be turned into text."""

from __future__ import annotations

from ..errors import AssessorError


class ParseError(AssessorError):
    """A document that cannot be turned into text (unsupported, empty, binary, unreadable or script-only)."""
