"""Compiled patterns kept in the cache folder are those `re.compile` makes; a damaged file costs only time."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessor import regexes
from assessor.loading import load_checklists

from .conftest import ROOT

ODD = [r"(?P<who>we|they)\s+(?P=who)", r"(?<![\w-])sell(?:s|ing)?\b", r"(?i)ÉTÉ|straße", r"[^.!?;]{0,80}\bnot\b",
       r"(a)|(b)(?P<c>c)?", r"\d{2,4}(?=\s*years?)", r"(?s).+?$", r"(?x) a \s+ b  # comment"]


def _rule_patterns() -> list[str]:
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("any", "all", "none") and isinstance(value, list):
                    found.update(v for v in value if isinstance(v, str))
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for loaded in load_checklists().values():
        walk(loaded.checklist.model_dump(mode="json"))
    return sorted(found)


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """A process state with no pattern compiled yet, its cache in a folder of the test's own."""
    def restart() -> None:
        monkeypatch.setattr(regexes, "_PATTERNS", {})
        monkeypatch.setattr(regexes, "_STORES", {})

    monkeypatch.setenv("ASSESSOR_CACHE", str(tmp_path))
    restart()
    return restart


def _kept_file(folder: Path) -> Path:
    [path] = folder.glob("regexes-*.bin")
    return path


def test_patterns_read_back_equal_what_re_compile_makes(fresh, tmp_path: Path):
    wanted = [(p, re.IGNORECASE) for p in _rule_patterns()] + [(p, f) for p in ODD for f in (0, re.IGNORECASE)]
    made = [regexes.compiled(p, f) for p, f in wanted]
    regexes.keep_compiled()
    fresh()  # a new process
    read = [regexes.compiled(p, f) for p, f in wanted]
    assert not any(store.new for store in regexes._STORES.values())  # every one came from the file
    for (pattern, flags), first, again in zip(wanted, made, read, strict=True):
        expected = re.compile(pattern, flags)
        assert first == again == expected, pattern  # equal flags, groups and engine code
        assert again.groupindex == expected.groupindex and again.groups == expected.groups
    found = regexes.compiled(ODD[0]).search("so we we go")
    assert found is not None and found.group("who") == "we"


def test_a_damaged_file_means_compiling_again(fresh, tmp_path: Path):
    regexes.compiled(r"\bshare\b", re.IGNORECASE)
    regexes.keep_compiled()
    path = _kept_file(tmp_path)
    head, _, code = path.read_bytes().partition(b"\n")
    path.write_bytes(head + b"\n" + bytes(len(code)))  # code the engine refuses
    fresh()
    assert regexes.compiled(r"\bshare\b", re.IGNORECASE) == re.compile(r"\bshare\b", re.IGNORECASE)
    path.write_bytes(b"not a header\n")
    fresh()
    assert regexes.compiled(r"\bshare\b", re.IGNORECASE).search("We SHARE it")
    regexes.keep_compiled()  # and the file is made again
    fresh()
    assert regexes.compiled(r"\bshare\b", re.IGNORECASE) == re.compile(r"\bshare\b", re.IGNORECASE)
    assert not any(store.new for store in regexes._STORES.values())


def test_a_bad_pattern_raises_as_re_compile_does(fresh):
    with pytest.raises(re.error):
        regexes.compiled(r"(unclosed")


def test_no_cache_folder_keeps_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("ASSESSOR_CACHE", "off")
    monkeypatch.setattr(regexes, "_PATTERNS", {})
    monkeypatch.setattr(regexes, "_STORES", {})
    assert regexes.compiled(r"\bsell\b") == re.compile(r"\bsell\b")
    regexes.keep_compiled()
    assert not list(tmp_path.iterdir())


_PROBE = """
import contextlib, io, sys
import assessor.cli, assessor.regexes as r
parsed = []
parse = r._PARSER.parse
r._PARSER = type("Counting", (), {"parse": staticmethod(lambda *a: parsed.append(a) or parse(*a))})()
with contextlib.redirect_stdout(io.StringIO()):
    assessor.cli.main(sys.argv[1:])
print(len(parsed), len(r._PATTERNS))
"""


def test_a_file_scored_again_compiles_no_pattern(tmp_path: Path):
    """The second run reads every rule and cue pattern it runs compiled from the cache folder."""
    args = ("score", "vendor_profiles/samples/keystone-dpa.txt", "--format", "json")
    env = {**os.environ, "ASSESSOR_CACHE": str(tmp_path)}

    def run() -> list[int]:
        out = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=120, check=True).stdout
        return [int(n) for n in out.split()]

    first_compiled, first_used = run()
    again_compiled, again_used = run()
    assert first_compiled == first_used >= again_used > 100  # a first run checks every pattern of the checklists
    assert again_compiled == 0


# texts where case folding, word boundaries and look-arounds differ from plain letters: 'ſ' matches 's' and 'K'
# (Kelvin) 'k' case-insensitively
_TRICKY = ["ſell it to ſomeone", "\u212aeep it", "İf you do not", "DO NOT TRACK; Do Not Track signals", "n't",
           "e.g. We  Share it. (Not) [no] , not with them, we will not, unless required, sell", "\u2014(i) x; (ii) y",
           "we do not share: - sell - rent", "www.example.com. Visit readerapp.io.", "café éx aé",
           "ac xac xab Share sare sax c f def", ""]


def _plain_source(compiled: re.Pattern[str]) -> str:
    """The pattern `regexes.led` was given for what it made (the pattern itself when `led` did not make it)."""
    given = {made: pattern for (pattern, _), made in regexes._store().leads.items()}
    assert compiled.pattern in given or not compiled.pattern.startswith(("(?=", r"(?=\b(?:")), compiled.pattern
    return given.get(compiled.pattern, compiled.pattern)


def _unicode(made: regexes.Led) -> re.Pattern[str]:
    """What `led` made, in its Unicode form."""
    return made.unicode if isinstance(made, regexes.ByText) else made


def _module_patterns() -> list[re.Pattern[str]]:
    """The patterns `rules` keeps at module level (the Unicode form of those made for ASCII text too)."""
    from assessor import rules

    return [_unicode(v) for v in vars(rules).values() if isinstance(v, re.Pattern | regexes.ByText)]


def _spans(compiled: re.Pattern[str] | regexes.ByText, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in compiled.finditer(text)]


def test_a_pattern_behind_its_initials_finds_what_the_pattern_finds():
    from assessor import rules

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "vendor_profiles" / "samples").iterdir())]
    texts += _TRICKY + [t.upper() for t in texts[:2]]
    module = _module_patterns()
    assert rules._NEGATOR.pattern.startswith("(?=(?:")  # led
    assert rules._PRONOUN_OBJECT.pattern.startswith(r"(?=\b(?:(?=[")
    wanted = [(_plain_source(v), v.flags & ~re.UNICODE) for v in module]
    wanted += [(p, re.IGNORECASE) for p in _rule_patterns()] + [(p, f) for p in ODD for f in (0, re.IGNORECASE)]
    wanted += [(r"(?i:ab)|\bc", 0), (r"\b(?:x)?y|(?<=a)b", re.IGNORECASE), (r"\b[^a]b", 0), (r"(?a:\bé)|\bx", 0),
               (r"\b(?:no|,\s*but)|\bnot", re.IGNORECASE), (r"^\s*not\b|\bnot only", re.MULTILINE), (r"^(?:a|b)|^", 0),
               (r"^\W*(?:in|on) (?:the|our) app\b|\bapps?\b", re.IGNORECASE), (r"(?m:^w)|\bx", 0),
               (r"ab|\bac|(?:de)*f", 0), (r"\b(?:sh|s)are|\bs[^h]x|(?:a|b)?c", re.IGNORECASE)]
    for source, flags in wanted:
        fast, plain = regexes.led(source, flags), re.compile(source, flags)
        assert all(_spans(fast, t) == _spans(plain, t) for t in texts), source
        assert _unicode(fast).groupindex == plain.groupindex and _unicode(fast).groups == plain.groups


_PIECES = [*"aeiknorstwyDNSWI .,;:!?()[]'-\n\u2014\u017f\u212a\u0130", " not ", " we ", " share ", " unless ", " may ",
           " e.g. ", " www.", ".com "]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_led_rule_readings_agree_on_generated_text(text: str):
    for compiled in _module_patterns():
        plain = re.compile(_plain_source(compiled), compiled.flags)
        assert _spans(compiled, text) == _spans(plain, text), compiled.pattern


def test_what_led_makes_is_read_back(fresh, monkeypatch: pytest.MonkeyPatch):
    made = regexes.led(r"\b(?:sell|share)s?\b", re.IGNORECASE)
    assert made.pattern.startswith("(?=")
    regexes.keep_compiled()
    fresh()  # a new process, which does not read the pattern again
    monkeypatch.setattr(regexes, "_SYNTAX", None)
    again = regexes.led(r"\b(?:sell|share)s?\b", re.IGNORECASE)
    assert isinstance(made, regexes.ByText) and isinstance(again, regexes.ByText)
    assert (again.ascii, again.unicode) == (made.ascii, made.unicode)
    assert not any(store.new or store.new_leads for store in regexes._STORES.values())


def test_a_pattern_in_ascii_mode_finds_on_ascii_text_what_the_pattern_finds():
    """Every rule pattern, every one `led` made (run so on ASCII text: `ByText`), and some that must stay Unicode
    (\\s, a non-ASCII character however written), find the same on ASCII text in the form `in_ascii` gives; those
    that may differ are given their Unicode form."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "vendor_profiles" / "samples").iterdir())]
    texts = [t for t in texts + _TRICKY + [t.upper() for t in texts[:2]] if t.isascii()]
    texts += ["K k S s I i", "we\x1cshare it", "a\x1fb c_d 12 e"]
    odd = [r"\u212a", r"[\u0100-\u017f]", r"\x4b", r"\N{KELVIN SIGN}", r"(?u:k)", r"[\S]"]
    spaces = [r"a\sb", r"\S+", r"[\s,]+", r"[^\s]", r"[]\s]", r"[^]\s]x\s", r"[a\]\s]b", r"we\\s"]  # written out
    made = [(p.pattern, p.flags & ~re.UNICODE) for p in _module_patterns()]
    folded = [(p, re.IGNORECASE) for p in _rule_patterns() + odd + spaces]
    for source, flags in folded + [(p, 0) for p in ODD + odd] + made:
        fast, plain = regexes.in_ascii(source, flags), re.compile(source, flags)
        assert all(_spans(fast, t) == _spans(plain, t) for t in texts), source
    assert regexes.in_ascii(r"\bsell\w*\b", re.IGNORECASE).flags & re.ASCII
    assert isinstance(regexes.led(r"\bsell\w*\b", re.IGNORECASE), regexes.ByText)
    assert isinstance(regexes.led(r"\bsell\s+it\b", re.IGNORECASE), regexes.ByText)
    assert isinstance(regexes.led(r"\bsell\u2019s\b", re.IGNORECASE), re.Pattern)
    assert all(regexes.in_ascii(p, re.IGNORECASE).flags & re.ASCII for p in spaces)
    assert not any(regexes.in_ascii(p, re.IGNORECASE).flags & re.ASCII for p in odd)
