"""The learned topic model: rebuilt byte for byte from the shipped sentences, trained data checked, fused within
limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessor import classify as cl
from assessor import topic_model as tm
from assessor.models import Topic

SHIPPED = Path(tm.__file__).parent / "data" / "topic_model.json"


def test_shipped_weights_are_rebuilt_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "model.json"
    assert tm.main(["build", "--out", str(out)]) == 0
    assert out.read_bytes() == SHIPPED.read_bytes()


def test_training_sentences_cover_every_topic() -> None:
    groups = tm.read_groups(tm.training_folder())
    sentences = [s for lines, _ in groups for s in lines]
    assert len(sentences) >= 1500
    assert len(set(sentences)) == len(sentences), "a sentence is written twice"
    per_topic = {t.value: sum(len(lines) for lines, topics in groups if t.value in topics) for t in Topic}
    assert min(per_topic.values()) >= 20, per_topic
    assert sum(len(lines) for lines, topics in groups if not topics) >= 100  # text about none of the topics


@pytest.mark.parametrize(("content", "message"), [
    ("groups:\n  - topics: [gossip]\n    sentences: |\n      Hello.\n",
     r"bad\.yaml:2: groups\[0\]\.topics\[0\]: Input should be 'first-party-collection'"),
    ("groups:\n  - topics: []\n  - sentences: x\n",
     r"bad\.yaml:2: groups\[0\]\.sentences: Field required\n.*bad\.yaml:3: groups\[1\]\.topics: Field required"),
    ("groups: [\n", r"bad\.yaml:2: invalid YAML"),
    ("- just a list\n", r"bad\.yaml:1: expected a mapping for a TrainingFile"),
    ("groups:\n  - topics: !!python/object/apply:os.system [x]\n    sentences: x\n",
     r"bad\.yaml:2: groups\[0\]\.topics: the tag !!python/object/apply:os\.system is not allowed"),
])
def test_a_malformed_training_file_is_named(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "bad.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(tm.TopicTrainingError, match=message):
        tm.read_groups(tmp_path)
    assert tm.main(["build", "--training", str(tmp_path), "--out", str(tmp_path / "m.json")]) == 1
    assert not (tmp_path / "m.json").exists()


def test_examples_add_paragraphs_of_neighbouring_groups() -> None:
    groups = [(["A one.", "A two."], frozenset({"user-choice"})), (["B one."], frozenset())]
    assert tm.examples(groups) == [
        ("A one.", frozenset({"user-choice"})), ("A two.", frozenset({"user-choice"})), ("B one.", frozenset()),
        ("A one. B one.", frozenset({"user-choice"})), ("B one. A one.", frozenset({"user-choice"}))]


def test_logits_cover_every_topic_and_are_deterministic() -> None:
    text = "We keep your loan history for thirty days, then delete it."
    first = tm.logits(text)
    assert set(first) == {t.value for t in Topic} and first == tm.logits(text)
    assert max(first, key=lambda t: first[t]) == "data-retention"
    assert tm.logits("") == dict(zip(tm.TOPICS, tm._load()[1], strict=True))  # no known word: the biases


# Sentences written for this test (not in the training files).
@pytest.mark.parametrize(("text", "topic", "cues_alone", "fused"), [
    ("Your profile can be changed or removed whenever you wish.", Topic.USER_ACCESS, False, True),
    ("We hold loan records until the item comes back, then we clear them.", Topic.FIRST_PARTY_COLLECTION, True,
     False),
])
def test_the_learned_model_changes_calls_the_cues_get_wrong(text: str, topic: Topic, cues_alone: bool,
                                                             fused: bool) -> None:
    logits, found = cl.cue_logits(text)
    assert (topic in found and logits[topic] >= 0) is cues_alone
    assert (topic in {s.topic for s in cl.topic_confidences(text) if s.confidence >= cl.THRESHOLD}) is fused


def test_the_learned_model_moves_a_logit_only_within_its_limits() -> None:
    low, high = cl._model().learned
    text = ("Our site ignores browser do-not-track signals. We use cookies, pixels and analytics partners to "
            "measure visits, to show ads and to remember your settings, as described in the sections above.")
    cues, _ = cl.cue_logits(text)
    fused, _ = cl.topic_logits(text)
    assert all(low <= fused[t] - cues[t] <= high for t in Topic)
    assert {fused[t] - cues[t] for t in Topic} & {low, high}  # the limits do bite on this passage
    assert fused[Topic.DO_NOT_TRACK] >= 0  # an explicit cue for a rare topic is never vetoed


def test_explain_names_the_words_behind_a_logit() -> None:
    text = "We keep your loan history for thirty days, then delete it."
    parts = tm.explain(text, "data-retention", most=100)
    bias = tm._load()[1][tm.TOPICS.index("data-retention")]
    assert abs(bias + sum(c for _, c in parts) - tm.logits(text)["data-retention"]) < 0.01
    top = [f for f, _ in tm.explain(text, "data-retention")]
    assert len(top) == 5 and {"~delet", "delete", "keep", "thirty", "days"} & set(top)
