"""Rule patterns behind word gates and literal needles (`cues.FoldedPattern`, `cues.WordIndex`, `rules.may_match`):
they only make a pattern cheaper, never change what it finds. Checked against the plain regular expression on the
sample policies, the checklists' example clauses and generated text (mixed case, sentence delimiters, characters that
fold to ASCII letters)."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessor.cues import CueText, FoldedPattern, WordIndex, _needle_sets, _Parser, _trie, folded, positions
from assessor.inventory import lexicon
from assessor.loading import load_checklists
from assessor.models import Rule, compile_pattern
from assessor.parse import parse_file
from assessor.rules import GATED, may_match

from .conftest import ROOT


@cache
def rules() -> list[Rule]:
    return [r for c in load_checklists(ROOT / "checklists").values() for cr in c.checklist.criteria for r in cr.rules]


@cache
def patterns() -> list[str]:
    found = {p for r in rules() for p in (*r.any, *r.all, *r.none)}
    return sorted(found | {e.pattern.pattern for e in lexicon().entries} | set(GATED))


@cache
def paragraphs() -> list[str]:
    docs = [parse_file(p) for p in sorted((ROOT / "vendor_profiles" / "samples").iterdir())]
    return [p.text for doc in docs for p in doc.paragraphs]


def plain(pattern: str, text: str) -> bool:
    return compile_pattern(pattern).search(text) is not None


def reference_may_match(rule: Rule, text: str) -> bool:
    """`may_match` as it was written before the gates: the regular expressions, one after the other."""
    return any(plain(p, text) for p in rule.any)


def test_gated_search_agrees_with_the_regex_on_the_samples() -> None:
    texts = [CueText(t) for t in paragraphs()]
    for pattern in patterns():
        gated = folded(pattern)
        index = WordIndex(texts)
        half = index.matches(gated, index.every & 0x5555555555555555)  # tried on some passages, then on all
        matches = index.matches(gated, index.every)
        for i, text in enumerate(texts):
            found = plain(pattern, text.text)
            assert gated.search(text) == found, (pattern, text.text)
            assert bool(matches >> i & 1) == found, (pattern, text.text)
        assert half == matches & 0x5555555555555555


def test_may_match_agrees_with_the_plain_check_on_the_samples() -> None:
    texts = paragraphs()
    for rule in rules():
        for text in texts:
            assert may_match(rule, text) == reference_may_match(rule, text), (rule.id, text)


def test_most_shipped_patterns_are_gated() -> None:
    """The speed depends on it: a pattern the gates cannot read is run on every paragraph."""
    read = [p for p in patterns() if (g := FoldedPattern.of(p)).branches and all(b.gates for b in g.branches)]
    assert len(read) >= 0.9 * len(patterns())


def test_gated_search_agrees_with_the_regex_on_the_example_clauses() -> None:
    texts = [CueText(e) for loaded in load_checklists(ROOT / "checklists").values()
             for c in loaded.checklist.criteria for e in (*(x.text for x in c.positive), *c.negative)]
    for pattern in patterns():
        assert all(folded(pattern).search(text) == plain(pattern, text.text) for text in texts), pattern


def test_needles_and_starts_are_the_literal_texts_a_match_holds_and_begins_with() -> None:
    parsed = _Parser(r"\b(?:data )?portability\b[^.]{0,40}\b(?:request|ask)s?\b").parse()
    assert set(_needle_sets(parsed)) == {frozenset({"portability"}), frozenset({"request", "ask"})}
    [branch] = FoldedPattern.of(r"\b(?:data )?portability\b[^.]{0,40}\b(?:request|ask)s?\b").branches or ()
    assert branch.needles == ()  # the words its gates ask for hold both: nothing left to test
    assert branch.starts == ("data", "portability")  # an optional word first: a match begins with it or the next
    assert _trie(("sell", "share", "transfer")) == "s(?:ell|hare)|transfer"  # what `first` looks for them with
    [branch] = FoldedPattern.of(r"\bsold to third[- ]part(?:y|ies)\b").branches or ()
    assert branch.needles == (frozenset({"sold to third"}),)  # "part" is in "=party" or "=parties"; this is not
    [branch] = FoldedPattern.of(r"\b(?:sell|share)s?\b[^.]{0,40}\bpartners\b").branches or ()
    assert branch.starts == ("sell", "share")  # a match begins with one: searched from the first of them
    assert branch.search(CueText("Partners aside, we sell nothing; we share it with partners."))
    assert not FoldedPattern.of(r"\bportability\b").search(CueText("Port your data elsewhere."))


def test_a_case_sensitive_group_is_read() -> None:
    [branch] = FoldedPattern.of(r"(?-i:\bDo Not Track\b) signals").branches or ()
    assert set(branch.gates) == {frozenset({"=do"}), frozenset({"=not"}), frozenset({"=track"}), frozenset({"sign"})}


def test_characters_written_by_their_code_are_read() -> None:
    [branch] = FoldedPattern.of(r"\bteens(?:\u2019|\x27)s? data\b").branches or ()
    assert branch.gates == (frozenset({"=teens"}), frozenset({"=data"}))  # the most telling first


def test_the_words_of_a_positive_look_ahead_gate() -> None:
    [branch] = FoldedPattern.of(r"^(?=.*\b(police|courts?)\b)(?!.*\bnever\b)(?<!\bnot )\bshar\w*").branches or ()
    assert set(branch.gates) == {frozenset({"=police", "=court", "=courts"}), frozenset({"shar"})}  # no "never", "not"


def test_alternatives_gate_by_each_ones_words_in_turn() -> None:
    [branch] = FoldedPattern.of(r"\b(?:sold to (?:brokers|partners)|given away to advertisers)\b").branches or ()
    assert branch.gates == (frozenset({"=sold", "=given"}), frozenset({"brok", "part", "=away"}),
                            frozenset({"=to", "adve"}))  # the first, second and third most telling of each


def test_a_pattern_is_compiled_only_where_its_words_occur() -> None:
    source = r"\bzebra crossings? (?:near|beside) libraries\b"
    gated = FoldedPattern.of(source)
    before = compile_pattern.cache_info().currsize
    assert not gated.search(CueText("We never sell your data. Period."))
    assert compile_pattern.cache_info().currsize == before
    assert gated.search(CueText("Zebra Crossing near Libraries; and more."))


@pytest.mark.parametrize(("pattern", "text"), [
    (r"\bsell\w*", "We \u017fell nothing."),  # long s matches 's' case-insensitively
    (r"\binformation\b", "\u0130nformation is kept."),  # dotted capital I matches 'i'
    (r"\bkeep\b", "We \u212aeep it."),  # the Kelvin sign matches 'k'
    (r"\bdata\b(?!$)", "our data."),  # an anchor: never searched sentence by sentence
    (r"\bsold\b[^.]{0,20}\bpartners\b", "sold; to partners"),  # a gap across ';' but not '.'
    (r"\bsold\b[^.]{0,20}\bpartners\b", "sold. to partners"),
    (r"\bgiv(?:e|en|ing)\b", "We gift nothing."),  # a prefix gate ("giv") shorter than a stem
    (r"\bgiv(?:e|en|ing)\b", "Given that."),
    (r"\bus(?:e|ed|ing)\b", "Thus we stop."),  # the prefix inside a word, not at its start
    (r"\bus(?:e|ed|ing)\b", "We used it."),
    (r"\bsold\b", "Unsold copies."),  # the needle "sold" is there, the word is not
    (r"\bsold to (?:partners|advertisers)\b", "Sold to the partners."),  # the gate's word, not the needle's text
    (r"\bsold to (?:partners|advertisers)\b", "sold to advertisers"),
    (r"\bkids(?:\x27|\u2019)s? (?:data|records)\b", "Kids\u2019 records."),  # a character by its code
    (r"\bkids(?:\x27|\u2019)s? (?:data|records)\b", "Kids' data."),
    (r"\bkids(?:\x27|\u2019)s? (?:data|records)\b", "Kids\u2018 data."),
    (r"(?<!\bnot )\bsell(?:s|ing)? (?:it|data)\b", "Sellers do not sell it; we sell data."),  # tried at each "sell"
    (r"(?<!\bnot )\bsell(?:s|ing)? (?:it|data)\b", "Sellers do not sell it; we sell nothing."),
    (r"\bwhere (?:we|(?-i:[A-Z]\w+)) thinks? fit\b", "Where Acme thinks fit."),  # a case-sensitive group
    (r"\bwhere (?:we|(?-i:[A-Z]\w+)) thinks? fit\b", "where acme thinks fit"),
    (r"(?-i:\bDo Not Track\b) signals", "DO NOT TRACK signals; do not track signals"),
    (r"(?-i:\bDo Not Track\b) signals", "We honour Do Not Track signals."),
    (r"^(?=.*\bpolice\b).*\bshar\w*", "We share it. The police ask."),  # a look-ahead past a sentence end
    (r"^(?=.*\bpolice\b).*\bshar\w*", "We share it with the courts."),
    (r"\bsell(?=[^!]*\bpartners\b)", "We sell. Partners!"),
    (r"\b(?:sold to (?:brokers|partners)|given away to advertisers)\b", "Given to partners, sold away."),
    (r"\b(?:sold to (?:brokers|partners)|given away to advertisers)\b", "Given away to advertisers."),
])
def test_edge_cases_agree(pattern: str, text: str) -> None:
    """The gated search, alone and through a word index, finds what the regular expression finds."""
    gated, passage = FoldedPattern.of(pattern), CueText(text)
    assert gated.search(passage) == plain(pattern, text)
    assert WordIndex([passage]).matches(gated, 1) == int(plain(pattern, text))


PIECES = ["we", "do", "not", "sell", "share", "your", "personal", "information", "data", "with", "third", "parties",
          "partners", "affiliates", "law", "enforcement", "delete", "retain", "days", "cookies", "advertis",
          "ing", "opt", "out", "consent", "library", "patron", "reading", "history", "encrypt", "notify", "breach",
          "children", "under", "13", "\u017f", "\u0130", "\u212a", "\u2019", "'", "-", "e.g.", "Inc."]
GLUE = [" ", " ", " ", "", ". ", "; ", "! ", "? ", ", ", ": ", "\n", " (", ") "]


@st.composite
def texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30))
    out = ""
    for word in words:
        case = draw(st.sampled_from(["lower", "upper", "title"]))
        out += getattr(word, case)() + draw(st.sampled_from(GLUE))
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_gated_search_agrees_with_the_regex_on_generated_text(data: st.DataObject) -> None:
    pattern = data.draw(st.sampled_from(patterns()))
    passages = [data.draw(texts()) for _ in range(3)]
    cue_texts = [CueText(t) for t in passages]
    index = WordIndex(cue_texts)
    matches = index.matches(folded(pattern), index.every)
    for i, text in enumerate(cue_texts):
        found = plain(pattern, text.text)
        assert folded(pattern).search(text) == found
        assert bool(matches >> i & 1) == found


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_may_match_agrees_with_the_plain_check_on_generated_text(data: st.DataObject) -> None:
    rule = data.draw(st.sampled_from(rules()))
    text = data.draw(texts())
    assert may_match(rule, text) == reference_may_match(rule, text)


def test_gated_forms_read_back_from_the_cache_are_the_ones_worked_out(tmp_path, monkeypatch) -> None:
    from assessor import cues

    monkeypatch.setattr(cues, "_FOLDED", {})
    cues.preload(patterns(), tmp_path)  # works them out, and keeps them
    [kept] = tmp_path.glob("patterns-*.json")
    monkeypatch.setattr(cues, "_FOLDED", {})
    cues.preload(patterns(), tmp_path)  # reads them back
    assert all(cues.folded(p) == FoldedPattern.of(p) for p in patterns())
    kept.write_text("[1, 2", encoding="utf-8")  # damaged: worked out again
    monkeypatch.setattr(cues, "_FOLDED", {})
    cues.preload(patterns(), tmp_path)
    assert all(cues.folded(p) == FoldedPattern.of(p) for p in patterns())


@given(st.sets(st.integers(0, 300)))
def test_positions_are_the_set_bits_in_order(wanted: set[int]) -> None:
    assert positions(sum(1 << i for i in wanted)) == sorted(wanted)
