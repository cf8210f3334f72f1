"""benchmarks/own_words.py: word pairs catch repeats, content words (`--paraphrase`) catch rewordings."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from .conftest import ROOT


def _own_words() -> ModuleType:
    spec = importlib.util.spec_from_file_location("own_words", ROOT / "benchmarks" / "own_words.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


OWN_WORDS = _own_words()
# A made-up corpus: the first sentence is the "real passage" the tests reword.
REFERENCES = [
    ("corpus/a", "Members may ask the reading club to erase their borrowing history at any time."),
    ("corpus/b", "The club posts a newsletter about author visits every month."),
    ("corpus/c", "Volunteers staff the front desk on weekday afternoons."),
    ("corpus/d", "Borrowers pay no fee for holds placed through the catalogue."),
]
REWORDED = "At any time, a member can ask the club to erase the history of what they borrowed."
UNRELATED = "Glenrow stores its backups in two separate data centres in Ohio."


def test_content_words_drop_common_words_and_endings():
    assert OWN_WORDS.terms("We are erasing the borrowed titles") == {"eras": 1, "borrow": 1, "titl": 1}


def test_a_rewording_shares_few_word_pairs_but_most_content_words():
    pairs_score = OWN_WORDS.word_pairs(REFERENCES, 3)(REWORDED)
    paraphrase = OWN_WORDS.content_words(REFERENCES, 3)
    assert pairs_score is not None and pairs_score[0] < 0.5
    score, best = paraphrase(REWORDED)
    assert best == 0 and score > 0.7
    unrelated = paraphrase(UNRELATED)
    assert unrelated is None or unrelated[0] < 0.3


def test_short_sentences_are_left_out():
    assert OWN_WORDS.content_words(REFERENCES, 5)("Erase borrowing history.") is None
    assert OWN_WORDS.word_pairs(REFERENCES, 8)("Erase your borrowing history.") is None
