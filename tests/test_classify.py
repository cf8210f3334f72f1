"""Topic classification: every topic's cues on sentences written for these tests, the cue machinery, the CLI's JSON."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from assessor import classify as cl
from assessor.cues import Cue, CueText
from assessor.loading import LoadError
from assessor.models import Paragraph, Topic
from assessor.parse import parse_file

# Sentences written for this test suite (fictional vendors); none comes from a real policy.
POSITIVES: dict[Topic, list[str]] = {
    Topic.FIRST_PARTY_COLLECTION: [
        "We collect your name, email address and library card number when you create an account.",
        "When you use the Lumen app we automatically record your IP address, browser type and the pages you visit.",
        "Pagewise uses the information you provide to deliver the titles you request and to improve the catalogue.",
        "To join a reading club, Quillmark asks for your name and branch.",
    ],
    Topic.THIRD_PARTY_SHARING: [
        "We may share your personal information with service providers who host our platform on our behalf.",
        "Inkwell discloses account details to law enforcement when a court order requires it.",
        "If Brightshelf is acquired or merges with another company, patron data may be transferred to the buyer.",
        # older wording
        "Reader particulars are furnished to non-affiliated companies only when the reader has agreed.",
        "Corbel Books may pass on enrolment details to its affiliated group companies.",
        "Names and addresses of entrants may be supplied to carefully selected organisations.",
        "Corbel Books will not make a reader's email address available to other organisations.",
    ],
    Topic.USER_CHOICE: [
        "You may opt out of marketing emails at any time by clicking unsubscribe.",
        "If you do not want us to use cookies, you can set your browser to refuse them.",
        "Providing your phone number is optional; you can choose not to give it.",
        "Members wanting to be taken off our mailing list may tell the circulation desk.",
    ],
    Topic.USER_ACCESS: [
        "You can access, correct or delete your personal information from the My Account page.",
        "Patrons may ask us for a copy of the data we hold about them, or request its deletion.",
        "To close your account, write to the help desk and we will remove your profile.",
        "You can add or update certain information, such as the email address for overdue notices, "
        "on the Settings page.",
        "Readers may obtain a copy of the particulars we hold about them.",
    ],
    Topic.DATA_RETENTION: [
        "We retain circulation records for 30 days after an item is returned.",
        "Server logs are deleted after ninety days.",
        "Account data is kept for as long as your account is active.",
        "Enrolment forms are held on file until the subscription lapses.",
    ],
    Topic.DATA_SECURITY: [
        "All traffic to our servers is encrypted with TLS and stored behind a firewall.",
        "We use administrative, technical and physical safeguards to protect your information.",
        "Only staff who need the records to do their work have access to them.",
        "Quillmark has earned the TRUSTe privacy seal, "
        "which certifies that its practices were reviewed for compliance.",
        "Reader particulars are safeguarded by physical and electronic measures.",
        "Transmissions to the site are guarded against interception by industry-standard methods.",
    ],
    Topic.POLICY_CHANGE: [
        "We may update this privacy policy from time to time and will post the revised version here.",
        "If we make material changes, we will notify libraries by email thirty days in advance.",
    ],
    Topic.DO_NOT_TRACK: [
        "Our website does not respond to Do Not Track signals sent by your browser.",
        "We honour the DNT header.",
    ],
    Topic.SPECIFIC_AUDIENCES: [
        "Our service is not directed to children under the age of 13.",
        "California residents may request a list of the third parties we disclosed data to.",
        "If you live in the European Economic Area, your data may be transferred to the United States.",
    ],
    Topic.LAW_ENFORCEMENT: [
        "We will disclose patron records only in response to a subpoena or search warrant.",
        "Requests from government agencies are reviewed by our counsel before any reply.",
    ],
    Topic.SALE_OF_DATA: [
        "Pagewise does not sell, rent or trade patron information to anyone.",
        "Our mailing lists are never sold.",
        "Corbel Books is not in the business of renting reader lists.",
    ],
    Topic.ADVERTISING: [
        "We show interest-based ads from our ad network partners.",
        "Patron data is never used for behavioral advertising.",
    ],
    Topic.COOKIES_TRACKING: [
        "The reader sets a session cookie and a web beacon to measure page loads.",
        "We use Google Analytics to count visits.",
    ],
    Topic.BREACH_NOTIFICATION: [
        "In the event of a data breach we will notify the library within 72 hours.",
        "We will inform affected patrons if their account is compromised.",
    ],
    Topic.DE_IDENTIFICATION: [
        "Usage statistics are aggregated and de-identified before we share them.",
        "Reports contain anonymous counts only.",
    ],
    Topic.DATA_OWNERSHIP: [
        "The library owns all patron data processed under this agreement.",
        "Customer data remains the property of the subscribing institution.",
    ],
    Topic.READING_HISTORY: [
        "We keep your reading history so that you can find past loans.",
        "Staff cannot see which books patrons borrow.",
    ],
}

NEGATIVES: dict[Topic, list[str]] = {
    Topic.FIRST_PARTY_COLLECTION: ["The reading room is open from nine to five on weekdays."],
    Topic.THIRD_PARTY_SHARING: ["Our branch hours change in the summer.",
                                # sharing among users and in public areas is not a disclosure to third parties
                                "Notes you share with your study group are seen by the other members of the group.",
                                "Ratings you post are shown to other readers next to the title.",
                                "Whatever you write on the open message board can be read by anyone."],
    Topic.USER_CHOICE: ["Staff answer questions at the reference desk."],
    Topic.USER_ACCESS: ["Employees may access the records only to fix a problem you report."],
    Topic.DATA_RETENTION: ["We have retained an outside firm to audit our accounts.",
                           "Our Safe Harbor certification covers collection, use and retention.",
                           "When you close your account we remove your profile, subject to our right to retain it."],
    Topic.DATA_SECURITY: ["Please give your Social Security number only at the branch."],
    Topic.POLICY_CHANGE: ["You may request changes to your information at any time.",
                          "Quillmark Privacy Notice. Last updated: March 3, 2025"],
    Topic.DO_NOT_TRACK: ["Track the status of your interlibrary loan online."],
    Topic.SPECIFIC_AUDIENCES: ["Our parent company is based in Ohio."],
    Topic.LAW_ENFORCEMENT: ["We make no warranty that the service will be uninterrupted."],
    Topic.SALE_OF_DATA: ["The book sale raises money for the friends of the library."],
    Topic.ADVERTISING: ["Renew your items online before the due date."],
    Topic.COOKIES_TRACKING: ["Price tags in the gift shop include tax."],
    Topic.BREACH_NOTIFICATION: ["We will notify you when your hold is ready."],
    Topic.DE_IDENTIFICATION: ["Sign in with your card number and PIN."],
    Topic.DATA_OWNERSHIP: ["The library is open on Sundays."],
    Topic.READING_HISTORY: ["Our search box finds articles by title."],
}


def _topics(text: str) -> set[Topic]:
    return {s.topic for s in cl.topic_confidences(text) if s.confidence >= cl.THRESHOLD}


@pytest.mark.parametrize(("topic", "sentence"), [(t, s) for t, ss in POSITIVES.items() for s in ss])
def test_positive_sentences_carry_their_topic(topic: Topic, sentence: str) -> None:
    assert topic in _topics(sentence), cl.topic_confidences(sentence)


@pytest.mark.parametrize(("topic", "sentence"), [(t, s) for t, ss in NEGATIVES.items() for s in ss])
def test_negative_sentences_do_not(topic: Topic, sentence: str) -> None:
    assert topic not in _topics(sentence), cl.topic_confidences(sentence)


def test_every_topic_has_cues_and_examples() -> None:
    assert {t.topic for t in cl._model().topics} == set(Topic)
    assert set(POSITIVES) == set(NEGATIVES) == set(Topic)


def test_a_paragraph_can_carry_several_topics() -> None:
    text = "We collect your email address when you register and keep it for two years. We never sell it."
    assert {Topic.FIRST_PARTY_COLLECTION, Topic.DATA_RETENTION, Topic.SALE_OF_DATA} <= _topics(text)


def test_table_of_contents_carries_no_topic() -> None:
    contents = ("Information We Collect How We Use Your Information Sharing With Third Parties Your Choices "
                "Data Retention Security Children's Privacy Changes To This Policy Contact Us")
    assert _topics(contents) == set()
    questions = ("This notice answers these questions: What does Quillmark collect? Whom do we share it with? "
                 "How long do we keep it? How can you opt out of marketing email?")
    assert _topics(questions) == set()
    lost = ("This notice answers these questions: What does Quillmark collect- Whom do we share it with- How long "
            "do we keep it- How can you opt out of marketing email-")
    assert _topics(lost) == set()  # the question marks lost as dashes
    assert Topic.DATA_RETENTION in _topics("How long do we keep it? We retain loan records for 30 days.")


def test_rival_topic_takes_weight_off(monkeypatch: pytest.MonkeyPatch) -> None:
    cues = {"data-security": {"cues": [[r"\bencrypt\w*", 6]]},
            "first-party-collection": {"cues": [[r"\bwe collect\b", 6]], "rivals": {"data-security": 3}}}
    spec = cl.load_topic_cues().model_copy(update={"topics": {Topic(k): cl.TopicSpec.model_validate(v)
                                                               for k, v in cues.items()}})
    monkeypatch.setattr(cl, "_model", lambda: cl._build(spec))
    assert _topics("What we collect: your name.") == {Topic.FIRST_PARTY_COLLECTION}
    assert _topics("We encrypt what we collect.") == {Topic.DATA_SECURITY}


def test_scores_are_sorted_rounded_and_deterministic() -> None:
    text = " ".join(s for ss in POSITIVES.values() for s in ss)
    first = cl.topic_confidences(text)
    assert first == cl.topic_confidences(text)
    assert [s.confidence for s in first] == sorted((s.confidence for s in first), reverse=True)
    assert all(0 <= s.confidence <= 1 and round(s.confidence, 4) == s.confidence for s in first)


def test_section_heading_supports_but_does_not_decide() -> None:
    def paragraph(text: str, heading: str) -> Paragraph:
        return Paragraph(index=0, start=0, end=len(text), text=text, section=["Policy", heading])

    assert Topic.DATA_RETENTION in cl.paragraph_topics(paragraph("Logs are purged.", "Data retention"))
    assert Topic.DATA_RETENTION not in cl.paragraph_topics(paragraph("Logs are purged.", "Contact us"))
    titled = paragraph("We send newsletters to the address you give us.", "Privacy policy, last updated May 2024")
    assert Topic.POLICY_CHANGE not in cl.paragraph_topics(titled)


def test_list_items_carry_the_topics_of_their_lead_in(tmp_path: Path) -> None:
    path = tmp_path / "notice.md"
    path.write_text("Opening hours are posted at each branch.\n\n- Monday to Friday.\n\n"
                    "We collect:\n\n- Loan records.\n- Device type and app version.\n\n"
                    "Questions go to the help desk.\n\n- Phone or chat.\n\n"
                    "Parents of children under 13 must consent first. We share your data only with:\n\n"
                    "- The card-issuing bank.\n", encoding="utf-8")
    doc = parse_file(path)
    items = {p.text: p.index for p in doc.paragraphs if p.kind == "li"}
    assert set(cl.lead_ins(doc)) == {items["Loan records."], items["Device type and app version."],
                                     items["The card-issuing bank."]}
    assert cl.lead_ins(doc)[items["The card-issuing bank."]] == "We share your data only with:"
    counted = {r.text: {t.topic for t in r.topics if t.confidence >= cl.THRESHOLD} for r in cl.classify(doc)}
    assert Topic.FIRST_PARTY_COLLECTION in counted["Device type and app version."]
    assert Topic.FIRST_PARTY_COLLECTION not in counted["Phone or chat."]
    assert counted["Monday to Friday."] == set()
    assert counted["The card-issuing bank."] == {Topic.THIRD_PARTY_SHARING}  # the introducing sentence only


def test_plain_text_list_items_start_in_lower_case(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text("HOW WE USE WHAT WE GATHER We use the details you give us to:\n\n"
                    "open and run your reader account;\n\nanswer the questions you send us;\n\n"
                    "Our offices are closed on public holidays.\n\nlowercase text with no list before it.\n",
                    encoding="utf-8")
    doc = parse_file(path)
    index = {p.text: p.index for p in doc.paragraphs}
    lead = "HOW WE USE WHAT WE GATHER We use the details you give us to:"
    assert cl.lead_ins(doc) == {index["open and run your reader account;"]: lead,
                                index["answer the questions you send us;"]: lead}
    counted = {r.text: {t.topic for t in r.topics if t.confidence >= cl.THRESHOLD} for r in cl.classify(doc)}
    assert Topic.FIRST_PARTY_COLLECTION in counted["open and run your reader account;"]
    assert counted["Our offices are closed on public holidays."] == set()


def test_topic_evidence_points_at_the_cue_words() -> None:
    text = "Hello. We retain loan records for 30 days."
    spans = cl.topic_evidence(text, Topic.DATA_RETENTION)
    assert spans and all(text[a:b] for a, b, _ in spans)
    assert any(text[a:b].lower().startswith("retain") for a, b, _ in spans)


def test_gated_cues_give_the_same_matches_as_their_patterns() -> None:
    texts = [s for ss in (*POSITIVES.values(), *NEGATIVES.values()) for s in ss]
    texts += ["E.U. users; U.S. users! Do-not-track? we... collect", "ÉCOLE İstanbul — data we collect."]
    for topic in cl._model().topics:
        for cue in topic.cues:
            for text in texts:
                passage = CueText(text)
                found, plain = cue.search(passage), cue.pattern.search(passage.lowered)
                assert (found and found.span()) == (plain and plain.span()), (cue.pattern.pattern, text)
    for text in texts:
        together = cl._model().cues.search(CueText(text))
        alone = [cue.search(CueText(text)) for cue in cl._model().cues.cues]
        assert {i: m.span() for i, m in together.items()} == {i: m.span() for i, m in enumerate(alone) if m}, text
        assert list(together) == sorted(together), "in the cues' order"


def test_cues_are_compiled_when_first_run() -> None:
    """Building the classifier compiles no pattern; a passage compiles only the alternatives its words let run, and
    the topics are the same as with every pattern compiled."""
    model = cl._build(cl.load_topic_cues())
    alternatives = [a for cue in model.cues.cues for a in cue.alternatives]
    assert not any("pattern" in a.__dict__ or "ascii" in a.__dict__ for a in alternatives)
    text = "We collect your name and share it with advertisers."
    lazily = model.cues.search(CueText(text))
    compiled = [a for a in alternatives if "pattern" in a.__dict__ or "ascii" in a.__dict__]
    assert 0 < len(compiled) < len(alternatives) / 4
    assert {i: m.span() for i, m in lazily.items()} == {i: m.span() for i, c in enumerate(model.cues.cues)
                                                         if (m := c.pattern.search(text.lower()))}


def test_cue_alternatives_run_in_ascii_mode_on_ascii_text_only() -> None:
    """An ASCII text is searched with the alternative compiled in ASCII mode (the same matches, no Unicode tables);
    any other text with the Unicode one, for which an accented letter is part of a word; \\s is written out with the
    separators only Unicode counts as space."""
    from assessor.cues import _Alternative, _words

    alt = _Alternative.compile(r"\bcollect\w*\b")
    assert alt.on("we collected it").flags & re.ASCII and alt.on("we collected it").search("we collected it")
    assert not alt.on("wécollect").flags & re.ASCII and alt.on("wécollect").search("wécollect") is None
    spaced = _Alternative.compile(r"collect\s+data")
    assert spaced.on("collect\x1cdata").flags & re.ASCII and spaced.on("collect\x1cdata").search("collect\x1cdata")
    assert _words("wé collect_1 it") == {"wé", "collect_1", "it"} and _words("we collect_1") == {"we", "collect_1"}


def test_cue_analysis_read_back_from_the_cache_is_the_one_worked_out(tmp_path: Path) -> None:
    """The classifier's cues come back from the cache folder as `Cue.compile` makes them; a damaged file is read
    past, and no folder keeps none."""
    from assessor.cues import compile_cues

    cues = [(p, w) for t in cl.load_topic_cues().topics.values() for p, w in t.cues]
    fresh = [Cue.compile(p, w) for p, w in cues]
    assert compile_cues(cues, None) == fresh
    assert compile_cues(cues, tmp_path) == fresh  # worked out and kept
    [kept] = tmp_path.glob("cues-*.json")
    assert compile_cues(cues, tmp_path) == fresh  # read back
    kept.write_text("[", encoding="utf-8")
    assert compile_cues(cues, tmp_path) == fresh


def test_cue_analysis() -> None:
    gated = Cue.compile(r"\b(?:we|us)\b[^.!?;]{0,60}?\bcollect\w*", 1.0)
    (alternative,) = gated.alternatives
    assert alternative.gates == (frozenset({"=we", "=us"}), frozenset({"coll"})) and alternative.in_sentences
    assert Cue.compile(r"\bu\.s\. residents\b", 1.0).alternatives[0].in_sentences is False
    assert Cue.compile(r"(?:tele)?phone", 1.0).alternatives[0].gates == ()
    assert Cue.compile(r"\bto (?:\w+ )?provide\b", 1.0).alternatives[0].gates == (frozenset({"=to"}),
                                                                                  frozenset({"=provide"}))
    either = Cue.compile(r"\bfoo|\bbar|[|]", 1.0)
    assert [a.pattern.pattern for a in either.alternatives] == [r"\bfoo", r"\bbar", "[|]"]
    found = either.search(CueText("a bar, a foo"))
    assert found is not None and found.span() == (2, 5)
    assert [a.pattern.pattern for a in Cue.compile(r"(a|b)[]|][^]|]|c\|d", 1.0).alternatives] == [
        r"(a|b)[]|][^]|]", r"c\|d"]
    assert gated.search(CueText("We do. Collect nothing.")) is None  # the gap cannot cross a full stop
    assert gated.search(CueText("Then we collect it.")) is not None


BAD_CUES = """\
bias: -6
saturation: 10
lead: {chars: 100, bonus: 2}
heading: 2.5
lead_in: 8
contents: {min_words: 10, capitalised: 0.8, numbered: 3, questions: 3, penalty: 20}
macros:
  w: '[^.!?;]{0,60}?'
topics:
  gossip:
    cues:
      - ['x', 1]
  user-choice:
    cues:
      - ['we{w}(unclosed', 1]
      - ['fine', many]
learned: {low: -2, high: 4}
"""


def test_bad_cue_file_is_a_located_error(tmp_path: Path) -> None:
    """The cue file is validated like a checklist: file, line and field of every problem."""
    path = tmp_path / "topics.yaml"
    path.write_text(BAD_CUES, encoding="utf-8")
    with pytest.raises(LoadError) as err:
        cl.load_topic_cues(path)
    found = {(p.line, p.field): p.message for p in err.value.problems}
    assert "first-party-collection" in found[(10, "topics.gossip.[key]")]  # not a topic of the vocabulary
    assert "missing )" in found[(15, "topics.user-choice.cues[0][0]")]  # checked with {w} expanded
    assert "[^.!?;]{0,60}?(unclosed" in found[(15, "topics.user-choice.cues[0][0]")]
    assert "number" in found[(16, "topics.user-choice.cues[1][1]")]
    assert len(found) == 3
    assert str(err.value).startswith(f"{path}:10: topics.gossip.[key]: ")


def test_shipped_cue_file_and_lexicon_validate() -> None:
    spec = cl.load_topic_cues()
    assert set(spec.topics) == set(Topic) and all(t.cues for t in spec.topics.values())
    assert "{w}" not in "".join(p for t in spec.topics.values() for p, _ in t.cues)  # macros expanded


SAMPLE = """\
We collect your library card number and email address when you sign in.

We do not sell patron data. You may opt out of newsletters at any time.

Reading history is deleted after 30 days.
"""


def test_classify_records_follow_the_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    doc = parse_file(path)
    records = cl.classify(doc)
    assert [r.text for r in records] == [p.text for p in doc.paragraphs if p.kind != "heading"]
    assert all(doc.text[r.start:r.end] == r.text for r in records)


def test_cli_classify_json_shape(cli, tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    result = cli("classify", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert isinstance(records, list) and len(records) == 3
    for record in records:
        assert set(record) == {"start", "end", "section", "text", "topics"}
        assert isinstance(record["start"], int) and record["end"] - record["start"] == len(record["text"])
        assert isinstance(record["section"], str)
        for topic in record["topics"]:
            assert set(topic) == {"topic", "confidence"} and Topic(topic["topic"])
            assert 0 <= topic["confidence"] <= 1
    counted = [{t["topic"] for t in r["topics"] if t["confidence"] >= cl.THRESHOLD} for r in records]
    assert "first-party-collection" in counted[0]
    assert {"sale-of-data", "user-choice"} <= counted[1]
    assert {"data-retention", "reading-history"} <= counted[2]
    assert result.stdout == cli("classify", str(path), "--format", "json").stdout


def test_scoring_reads_topics_as_classify_shows_them():
    from assessor.classify import THRESHOLD, classify, document_topics
    from assessor.parse import parse_bytes

    doc = parse_bytes(b"We collect the following:\n\n- your library card number\n- the titles you borrow\n\n"
                      b"We keep loan records for 30 days.", uri="t.txt", content_type="text/plain")
    shown = {r.start: {t.topic for t in r.topics if t.confidence >= THRESHOLD} for r in classify(doc)}
    used = {p.start: document_topics(doc)[p.index] for p in doc.paragraphs if p.kind != "heading"}
    assert shown == used


@pytest.mark.parametrize(("topic", "vetoed", "plain"), [
    (Topic.DATA_RETENTION, "We keep the information you send us secure.", "We keep the information you send us."),
    (Topic.USER_CHOICE, "You may choose to provide a phone number.", "You may choose a phone number."),
    (Topic.DATA_SECURITY, "We guard your information and protect the rights of our staff.",
     "We guard your information."),
])
def test_look_alikes_weigh_less(topic: Topic, vetoed: str, plain: str) -> None:
    """A veto cue takes weight off (the learned model, fused later, has its own say: see test_topic_model)."""
    assert cl.cue_logits(vetoed)[0][topic] < cl.cue_logits(plain)[0][topic]


@pytest.mark.parametrize("pattern", [
    r"\b(?:13|16|18) years\b", r"(a)\1 and", r"(?P<w>\bword)s?", r"\bx{2,}y", r"[\]a-c]+\.\s", r"(?i:foo)\b",
    r"\bfoo(?=bar)|\b(?<!no )baz", r"[^.!?;]{0,20}\bend", r"\btab\tstop", r"\bsix{,3}\b", r"a{}b", r"\bc\+\+",
])
def test_cue_analysis_never_changes_matches(pattern: str) -> None:
    """Syntax the cue parser does not read (back-references, named groups, inline flags) runs without gates."""
    texts = ["13 years", "aa and", "words here", "xxy", "]b. ", "FOO", "foobar", "no baz", "so baz", "to the end.",
             "tab\tstop", "sixxx", "a{}b", "c++ code", "ok. the end", "18 years; 16 years"]
    cue = Cue.compile(pattern, 1.0)
    for text in texts:
        passage = CueText(text)
        found, plain = cue.search(passage), cue.pattern.search(passage.lowered)
        assert (found and found.span()) == (plain and plain.span()), (pattern, text)
    assert Cue.compile(r"(a)\1 and", 1.0).alternatives[0].gates == ()


def test_confidence_is_calibrated_and_counts_at_fused_logit_zero() -> None:
    assert cl.THRESHOLD == cl.confidence(0.0) == round(1 / (1 + math.exp(-cl._SHIFT)), 4) < 0.5
    values = [cl.confidence(z) for z in (-60, -5, -1, 0, 1, 5, 60)]
    assert values == sorted(values) and values[0] == 0.0 and values[-1] == 1.0
    text = "We keep loan records for 30 days."
    fused, _ = cl.topic_logits(text)
    assert {s.topic for s in cl.topic_confidences(text) if s.confidence >= cl.THRESHOLD} == {
        t for t, z in fused.items() if z >= 0}


def test_counting_leaves_out_only_topics_that_cannot_count() -> None:
    assert cl.confidence(cl._FLOOR) < cl.THRESHOLD
    for texts in POSITIVES.values():
        for text in texts:
            fused, found = cl.topic_logits(text, heading="Loan History", counting=True)
            assert set(cl._counting(fused, found)) == {
                s.topic for s in cl.topic_confidences(text, heading="Loan History") if s.confidence >= cl.THRESHOLD}
            assert fused.items() <= cl.topic_logits(text, heading="Loan History")[0].items()
