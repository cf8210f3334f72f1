"""Policy metadata found in the text: the date the vendor says it last updated the policy (or made it effective).
(The language is told by `assessor.language`.)"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_MONTH_NAMES = {
    1: "january janvier enero januar janeiro gennaio januari jan janv ene",
    2: "february fevrier febrero februar fevereiro febbraio februari feb fevr fev",
    3: "march mars marzo marz marco maart mar",
    4: "april avril abril aprile apr avr abr",
    5: "may mai mayo maio maggio mei",
    6: "june juin junio juni junho giugno jun",
    7: "july juillet julio juli julho luglio jul juil",
    8: "august aout agosto augustus aug ago",
    9: "september septembre septiembre setiembre setembro settembre sep sept set",
    10: "october octobre octubre oktober outubro ottobre oct okt out",
    11: "november novembre noviembre novembro nov",
    12: "december decembre diciembre dezember dezembro dicembre dec dic dez",
}
_MONTHS = {name: n for n, names in _MONTH_NAMES.items() for name in names.split()}
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
_MONTH = r"(?P<{g}>[^\W\d_]{{3,10}})\.?"
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th|er|º|°|\.)?"
_DATES = [
    rf"{_MONTH.format(g='m1')}\s+{_DAY.format(g='d1')},?\s+(?P<y1>\d{{4}})",                # March 3, 2025
    rf"{_DAY.format(g='d2')}\s+(?:(?:of|de)\s+)?{_MONTH.format(g='m2')},?\s+(?:de\s+)?(?P<y2>\d{{4}})",  # 3 March 2025
    r"(?P<iso>(?P<iy>\d{4})[-/.](?P<im>[01]?\d)[-/.](?P<id>[0-3]?\d))(?!\d)",                # 2025-03-03
    r"(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[0-3]?\d)(?P=sep)(?P<y3>\d{4}|\d{2})(?!\d)",          # 03/03/2025, 3.3.25
    rf"{_MONTH.format(g='m4')},?\s+(?P<y4>\d{{4}})",                                          # March 2025
]
_FILLER = r"[\s:,\-\u2013\u2014(]*(?:(?:on|as\s+of|from|since|le|el|am|du|dal|the|is|was|at|:)\s*){0,3}"
_PATTERN = re.compile(rf"\b(?:{'|'.join(_LEADS)})\b{_FILLER}(?:{'|'.join(_DATES)})", re.IGNORECASE)
_WINDOW = 30000


def _month(name: str | None) -> int | None:
    """The month a name or abbreviation (English, French, Spanish, German, Portuguese, Italian, Dutch) means."""
    if not name:
        return None
    plain = unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode()
    if plain in _MONTHS:
        return _MONTHS[plain]
    prefixed = {n for full, n in _MONTHS.items() if full.startswith(plain)} if len(plain) >= 3 else set()
    return prefixed.pop() if len(prefixed) == 1 else None


def _year(text: str) -> int:
    """A four-digit year; two digits are this century."""
    year = int(text)
    return year + 2000 if year < 100 else year


def _to_date(m: re.Match[str]) -> dt.date | None:
    """The date a match names, or None if it is no date (31 February, a year before 1990...)."""
    if m["m1"] and (month := _month(m["m1"])):
        parts = (_year(m["y1"]), month, int(m["d1"]))
    elif m["m2"] and (month := _month(m["m2"])):
        parts = (_year(m["y2"]), month, int(m["d2"]))
    elif m["iso"]:
        parts = (int(m["iy"]), int(m["im"]), int(m["id"]))
    elif m["a"]:
        a, b = int(m["a"]), int(m["b"])
        # slashes are month first (US) unless the first number cannot be a month; dots and dashes are day first
        month_first = m["sep"] == "/" and a <= 12
        parts = (_year(m["y3"]), a, b) if month_first else (_year(m["y3"]), b, a)
    elif m["m4"] and (month := _month(m["m4"])):
        parts = (_year(m["y4"]), month, 1)
    else:
        return None
    try:
        date = dt.date(*parts)
    except ValueError:
        return None
    return date if 1990 <= date.year <= 2100 else None


def find_last_updated(text: str) -> dt.date | None:
    """The latest 'last updated' / 'effective' date the text states near its start or end (where policies say it),
    or None."""
    windows = [text] if len(text) <= 2 * _WINDOW else [text[:_WINDOW], text[-_WINDOW:]]
    dates = [d for window in windows for m in _PATTERN.finditer(window) if (d := _to_date(m))]
    return max(dates, default=None)
