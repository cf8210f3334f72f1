"""The one base class of the errors a user can cause; the CLI prints them as one line, without a traceback."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class AssessorError(Exception):
    """An expected failure: bad input, an unreachable document, a missing file."""


def unknown_id(what: str, given: str, known: Iterable[str], listing: str | None = None) -> str:
    """'no vendor 'hoopl'; did you mean 'hoopla'? (`assessor vendors` lists them)': the message for an id that does
    not exist, suggesting the closest known ones instead of dumping them all."""
    close = difflib.get_close_matches(given, sorted(known), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return f"no {what} {given!r}{hint}" + (f" (`{listing}` lists them)" if listing else "")
