"""Policy metadata: the stated date of the policy, its language."""

from __future__ import annotations

import datetime as dt

import pytest

from assessor.language import detect_language
from assessor.parse.metadata import find_last_updated


@pytest.mark.parametrize(("text", "expected"), [
    ("Last updated: March 3, 2025", "2025-03-03"),
    ("LAST UPDATED March 3rd, 2025", "2025-03-03"),
    ("Last Updated: Mar. 3 2025", "2025-03-03"),
    ("This policy was last updated on 3 March 2025.", "2025-03-03"),
    ("This Privacy Policy was last revised on the 3rd of March, 2025.", "2025-03-03"),
    ("Last modified \u2014 2025-03-03", "2025-03-03"),
    ("Effective Date: 01/02/2023", "2023-01-02"),
    ("Effective date: 25/12/2023", "2023-12-25"),
    ("Effective as of September 1, 2024", "2024-09-01"),
    ("Effective from 1 Sept 2024", "2024-09-01"),
    ("Date of last revision: 2024/06/30", "2024-06-30"),
    ("Revised: 7.8.2022", "2022-08-07"),
    ("Updated on 12-31-2021", None),  # neither day-month nor a valid month-day with dashes read day first
    ("Last updated: January 2024", "2024-01-01"),
    ("Version date: 5 Nov 2020", "2020-11-05"),
    ("Derni\u00e8re mise \u00e0 jour : 1er janvier 2024", "2024-01-01"),
    ("\u00daltima actualizaci\u00f3n: 5 de marzo de 2024", "2024-03-05"),
    ("Stand: 01.03.2024", "2024-03-01"),
    ("Zuletzt aktualisiert am 1. M\u00e4rz 2024", "2024-03-01"),
    ("Last updated: 3/3/25", "2025-03-03"),
    ("Last updated: February 30, 2024", None),
    ("We updated our systems in 1985 and March 3, 2025 is a date.", None),
    ("Our customers since 2015 trust us.", None),
    ("Effective Date: January 1, 2020. Last Updated: June 15, 2024.", "2024-06-15"),
    ("This policy is effective as of April 2015.", "2015-04-01"),
    ("Mis \u00e0 jour le 3 mars 2024", "2024-03-03"),
    ("Ultimo aggiornamento: 3 marzo 2024", "2024-03-03"),
    ("Laatst bijgewerkt: 3 maart 2024", "2024-03-03"),
    ("Stand: Juni 2023", "2023-06-01"),
    ("Last updated: 3 March", None),  # no year: never today's year
    ("Last updated: yesterday", None),  # nothing relative to today
    ("Effective date: the service 2024", None),  # a word that is no month
])
def test_dates_in_many_phrasings(text, expected):
    found = find_last_updated(f"Some policy text before. {text} More text after.")
    assert (found.isoformat() if found else None) == expected


def test_dates_do_not_depend_on_the_machine(tmp_path):
    """The same date whatever the time zone, locale and language settings of the machine."""
    import os
    import subprocess
    import sys

    code = ("from assessor.parse.metadata import find_last_updated as f; "
            "print(f('Last updated: 1 April 2024'), f('Revised: 7.8.2022'), f('Effective as of April 2015'))")
    env = {**os.environ, "TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8", "LANG": "de_DE.UTF-8", "LANGUAGE": "de"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                         cwd=tmp_path)
    assert out.stdout.split() == ["2024-04-01", "2022-08-07", "2015-04-01"]


def test_a_date_stated_at_the_end_of_a_long_policy():
    text = "We describe our practices. " * 3000 + "This notice was last updated on 9 October 2023."
    assert find_last_updated(text) == dt.date(2023, 10, 9)


@pytest.mark.parametrize(("text", "lang"), [
    ("We collect the information you give us and we share it with your library only. " * 3, "en"),
    ("Nous collectons les données que vous nous donnez et nous les partageons avec la bibliothèque. " * 3, "fr"),
    ("Wir erheben die Daten, die Sie uns geben, und teilen sie nicht mit Dritten, ist das klar. " * 3, "de"),
    ("Recopilamos la información que usted nos da y la compartimos con su biblioteca para el servicio. " * 3, "es"),
    ("short", None),
])
def test_language(text, lang):
    assert detect_language(text) == lang


def _english_dates() -> list[str]:
    """English dates in the forms read without dateparser: every month name and abbreviation, three cases, days at
    the ends of months, ordinal suffixes, leap and common years."""
    from assessor.parse.metadata import _ENGLISH_MONTHS

    out = []
    for k, name in enumerate(sorted(_ENGLISH_MONTHS)):
        for j, day in enumerate(("1", "01", "9", "28", "29th", "30", "31st", "3rd", "22nd", "0", "32")):
            word = (name, name.title(), name.upper(), name.title() + ".")[(j + k) % 4]
            year = ("2024", "2025", "1999")[(j + k) % 3]
            out += [f"{word} {day}, {year}", f"{word} {day} {year}", f"{day} {word} {year}", f"{day} of {word}, {year}",
                    f"{word} {year}", f"{word}, {year}"]
    return out


def test_english_dates_read_as_dateparser_reads_them() -> None:
    from assessor.parse.metadata import _parser, _plain_english_date

    for text in _english_dates():
        plain = _plain_english_date(text)
        if plain is not None:
            found = _parser().get_date_data(text).date_obj
            assert found is not None and found.date() == plain, text
