"""Text normalisation: the normalised text is what every offset refers to."""

from __future__ import annotations

import re
import unicodedata

_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
    "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None,
    "\u2026": "...", "\u2028": "\n", "\u2029": "\n",
})
_HYPHEN_BREAK = re.compile(r"(\w+)-[ \t\r]*\n[ \t]*(\w)")
# prefixes whose hyphen is part of the word ("third-party", "opt-out"): the line break keeps the hyphen
_HYPHENATED_PREFIXES = frozenset({"third", "opt", "e", "non", "co", "self", "cross", "well", "long", "short", "real",
                                  "anti", "multi", "x"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _join_hyphenated(m: re.Match[str]) -> str:
    """A word hyphenated at a line break is joined; a hyphen that belongs to the word stays."""
    head, tail = m.group(1), m.group(2)
    if tail.islower() and head.lower() not in _HYPHENATED_PREFIXES and not head[-1].isdigit():
        return head + tail
    return f"{head}-{tail}"


def normalize(text: str) -> str:
    """NFC, plain quotes and dashes, no soft hyphens or zero-width marks, words re-joined at line-break hyphens,
    single spaces, trimmed; inner newlines become spaces (a block is one line)."""
    if not text.isascii():  # every character the table maps is outside ASCII
        text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    if not text.isprintable():  # a fast test: controls, line breaks and tabs are not printable
        text = _CONTROL.sub("", text)
        if "\n" in text:
            text = _HYPHEN_BREAK.sub(_join_hyphenated, text)
    return " ".join(text.split())
