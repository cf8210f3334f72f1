"""Policy metadata found in the text: the date the vendor says it last updated the policy (or made it effective).
(The language is told by `assessor.language`.)"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import TYPE_CHECKING

from ..regexes import Led, led

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

# Month names (and their abbreviations) are read by dateparser, in the languages whose leads are listed below.
_LANGUAGES = ("en", "fr", "es", "de", "pt", "it", "nl")
_SETTINGS = {  # explicit, so that the result depends on neither today's date nor the machine's locale or zone
    "DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["month", "year"],
    "PARSERS": ["absolute-time"], "RELATIVE_BASE": dt.datetime(2000, 1, 1), "PREFER_DATES_FROM": "past",
    "TIMEZONE": "UTC", "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": False,
}
_LEADS = [
    r"last\s+(?:updated|revised|modified|amended|changed|reviewed|edited)",
    r"(?:date\s+of\s+(?:the\s+)?last\s+(?:update|revision|modification|change))",
    r"(?:updated|revised|amended|modified)(?:\s+(?:date|on|as\s+of))?",
    r"effective(?:\s+date)?(?:\s+(?:as\s+of|on|from|since))?",
    r"(?:in\s+(?:force|effect)|valid)\s+(?:as\s+of|from|since)",
    r"(?:version|policy|revision)\s+date", r"date\s+(?:posted|published)", r"(?:posted|published)\s+on",
    r"derni[eè]re\s+mise\s+[aà]\s+jour", r"mis\s+[aà]\s+jour\s+le",
    r"en\s+vigueur\s+(?:le|depuis|[aà]\s+compter\s+du)",
    r"[uú]ltima\s+(?:actualizaci[oó]n|modificaci[oó]n|revisi[oó]n)", r"actualizad[oa]\s+el", r"vigente\s+desde",
    r"fecha\s+de\s+(?:entrada\s+en\s+vigor|actualizaci[oó]n)",
    r"zuletzt\s+(?:aktualisiert|ge[aä]ndert)", r"letzte\s+(?:aktualisierung|[aä]nderung)", r"stand",
    r"g[uü]ltig\s+ab",
    r"ultimo\s+aggiornamento", r"laatst\s+bijgewerkt",
]
_MONTH = r"[^\W\d_]{3,10}\.?"
_DAY = r"[0-3]?\d(?:st|nd|rd|th|er|º|°|\.)?"
_NAMED = [
    rf"{_MONTH}\s+{_DAY},?\s+\d{{4}}",                                  # March 3, 2025
    rf"{_DAY}\s+(?:(?:of|de)\s+)?{_MONTH},?\s+(?:de\s+)?\d{{4}}",         # 3 March 2025, 5 de marzo de 2024
    rf"{_MONTH},?\s+\d{{4}}",                                             # March 2025
]
_NUMERIC = [
    r"(?P<iy>\d{4})[-/.](?P<im>[01]?\d)[-/.](?P<id>[0-3]?\d)(?!\d)",                         # 2025-03-03
    r"(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[0-3]?\d)(?P=sep)(?P<y>\d{4}|\d{2})(?!\d)",          # 03/03/2025, 3.3.25
]
_FILLER = r"[\s:,\-\u2013\u2014(]*(?:(?:on|as\s+of|from|since|le|el|am|du|dal|the|is|was|at|:)\s*){0,3}"
_SOURCE = rf"\b(?:{'|'.join(_LEADS)})\b{_FILLER}(?:(?P<named>{'|'.join(_NAMED)})|{'|'.join(_NUMERIC)})"
_WINDOW = 30000


@cache
def _parser() -> DateDataParser:
    """dateparser, loaded on first use (it takes a moment) with the settings above."""
    from dateparser.date import DateDataParser

    return DateDataParser(languages=list(_LANGUAGES), settings=_SETTINGS)


_ENGLISH_MONTHS = {name: i for i, full in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
     "december"), start=1) for name in (full, full[:3])}
_PLAIN_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_PLAIN_NAMED = [re.compile(rf"(?P<month>[a-z]{{3,9}})\.?\s+{_PLAIN_DAY},?\s+(?P<year>\d{{4}})", re.IGNORECASE),
                re.compile(rf"{_PLAIN_DAY}\s+(?:of\s+)?(?P<month>[a-z]{{3,9}})\.?,?\s+(?P<year>\d{{4}})",
                           re.IGNORECASE),
                re.compile(r"(?P<month>[a-z]{3,9})\.?,?\s+(?P<year>\d{4})", re.IGNORECASE)]


def _plain_english_date(text: str) -> dt.date | None:
    """An English date in one of the usual forms ('March 3, 2025', '3rd of Mar. 2025', 'March 2025': the first of
    the month), read here as dateparser reads it, without loading it; None for anything else (dateparser reads it)."""
    for pattern in _PLAIN_NAMED:
        if (m := pattern.fullmatch(text)) and (month := _ENGLISH_MONTHS.get(m["month"].lower())):
            try:
                return dt.date(int(m["year"]), month, int(m.groupdict().get("day") or 1))
            except ValueError:
                return None
    return None


def _year(text: str) -> int:
    """A four-digit year; two digits are this century."""
    year = int(text)
    return year + 2000 if year < 100 else year


def _to_date(m: re.Match[str]) -> dt.date | None:
    """The date a match names, or None if it is no date (31 February, a year before 1990...). Dates with a month
    name are read by dateparser; numeric ones here, in a fixed order: ISO year first; slashes month first (US)
    unless the first number cannot be a month; dots and dashes day first."""
    if m["named"]:
        if (date := _plain_english_date(m["named"])) is None:
            found = _parser().get_date_data(m["named"]).date_obj
            date = found.date() if found else None
    else:
        if m["iy"]:
            parts = (int(m["iy"]), int(m["im"]), int(m["id"]))
        else:
            a, b = int(m["a"]), int(m["b"])
            month_first = m["sep"] == "/" and a <= 12
            parts = (_year(m["y"]), a, b) if month_first else (_year(m["y"]), b, a)
        try:
            date = dt.date(*parts)
        except ValueError:
            return None
    return date if date and 1990 <= date.year <= 2100 else None


@cache
def _pattern() -> Led:
    """The dates' pattern, case-insensitive, behind a look-ahead for the letters a lead can begin with (`led`: the
    same matches, found twice as fast)."""
    return led(_SOURCE, re.IGNORECASE)


def find_last_updated(text: str) -> dt.date | None:
    """The latest 'last updated' / 'effective' date the text states near its start or end (where policies say it),
    or None."""
    windows = [text] if len(text) <= 2 * _WINDOW else [text[:_WINDOW], text[-_WINDOW:]]
    dates = [d for window in windows for m in _pattern().finditer(window) if (d := _to_date(m))]
    return max(dates, default=None)
