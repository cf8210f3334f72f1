"""Policy metadata found in the text: the date the vendor says it last updated the policy, and the language."""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"])}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_LEAD = r"(?:last\s+(?:updated|revised|modified)|(?:updated|revised|effective)(?:\s+date)?|effective\s+(?:as\s+of|on))"
_DATE = (r"(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})"
         r"|(?P<day2>\d{1,2})\s+(?P<month2>[A-Za-z]{3,9})\.?\s+(?P<year2>\d{4})"
         r"|(?P<iso>\d{4}-\d{2}-\d{2})"
         r"|(?P<us>\d{1,2}/\d{1,2}/\d{4})")
_PATTERN = re.compile(rf"{_LEAD}\s*(?:on|:|-|as\s+of)?\s*(?:{_DATE})", re.IGNORECASE)


def _to_date(m: re.Match[str]) -> dt.date | None:
    try:
        if m["iso"]:
            return dt.date.fromisoformat(m["iso"])
        if m["us"]:
            month, day, year = (int(x) for x in m["us"].split("/"))
            return dt.date(year, month, day)
        month_name, day, year = (m["month"], m["day"], m["year"]) if m["month"] else (
            m["month2"], m["day2"], m["year2"])
        month = _MONTHS.get(month_name.lower())
        return dt.date(int(year), month, int(day)) if month else None
    except ValueError:
        return None


def find_last_updated(text: str) -> dt.date | None:
    """The first 'last updated' / 'effective' date the text states, if any."""
    for m in _PATTERN.finditer(text[:20000]):
        date = _to_date(m)
        if date:
            return date
    return None


_STOPWORDS = {
    "en": {"the", "and", "of", "to", "we", "your", "information", "you", "with"},
    "es": {"el", "la", "de", "que", "y", "los", "su", "información", "con"},
    "fr": {"le", "la", "les", "de", "et", "vous", "vos", "des", "nous"},
    "de": {"der", "die", "und", "das", "sie", "ihre", "wir", "mit", "daten"},
}


def detect_language(text: str) -> str | None:
    """A rough language guess from common words (enough to warn about a non-English policy)."""
    words = re.findall(r"[^\W\d_]+", text[:20000].lower())
    if len(words) < 20:
        return None
    counts = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    lang, best = max(counts.items(), key=lambda kv: kv[1])
    return lang if best >= 3 else None
