"""The lawyer's reading: negation and its scope, carve-outs, hedges, consent and retention, on clauses of our own."""

from __future__ import annotations

from itertools import pairwise

import pytest

from assessor.models import Paragraph, Rule
from assessor.rules import (
    _HEDGE, carve_outs, clauses, consent_kind, has_carve_out, hedges, is_hedged, is_negated, match_rule, passages,
    retention_kind, sentences,
)


def negated(sentence: str, word: str) -> bool:
    return is_negated(sentence, sentence.index(word))


@pytest.mark.parametrize("sentence, word", [
    ("We do not sell your personal information.", "sell"),
    ("We never share your reading history.", "share"),
    ("We don't rent patron records to anyone.", "rent"),
    ("No third party will receive your loan history.", "receive"),
    ("None of your searches is shared with advertisers.", "shared"),
    ("Your borrowing record is never disclosed.", "disclosed"),
    ("We do not and will not sell your data.", "sell"),             # a repeated negation is one negation
    ("We do not sell, rent, or trade your information.", "trade"),  # a list stays in the negation's scope
    ("We do not, under any circumstances, sell patron data.", "sell"),
    ("Neither we nor our partners sell your data.", "sell"),        # neither ... nor is one negation
    ("We are prohibited from selling patron data.", "selling"),
    ("Without your consent, we will not share your history.", "share"),
    ("We will never share your data except as required by law.", "share"),
    ("We sell no personal information to anyone.", "sell"),          # the verb's object is negated
    ("We disclose nothing without a court order.", "disclose"),
    ("We set no cookies and allow no third-party tracking.", "tracking"),  # each verb's object is its own
    ("Without a court order we never disclose patron records.", "disclose"),  # the opening phrase ends at 'we'
    ("Do Not Track Requests We do not respond to them.", "respond"),  # the signal's name is no negation
    ('Our app does not recognise "do-not-track" settings.', "recognise"),
    # a denying heading run into a sentence that denies with its own subject, and an answering "No,", are no
    # second negation
    ("No sale of reader data Gablestone will not sell your information.", "sell"),
    ("No Advertising Our reading app does not display targeted ads.", "display"),
    ("No, we do not sell the personal data of our readers.", "sell"),
    ("No personal data is sold, and nobody here will ever sell it.", "sold"),
])
def test_negated(sentence, word):
    assert negated(sentence, word)


@pytest.mark.parametrize("sentence, word", [
    ("We sell aggregated usage reports to publishers.", "sell"),
    ("We not only collect your data but also share it.", "share"),          # not only ... but also affirms
    ("We not only sell data to brokers, we publish it.", "sell"),
    ("Nothing in this policy prevents us from selling your data.", "selling"),  # a double negative affirms
    ("We will not fail to notify you of a breach.", "notify"),
    ("We do not sell your data, but we share it with advertisers.", "share"),  # the scope ends at 'but'
    ("We do not collect your location; we share your searches.", "share"),
    ("We do not sell data and we share it with partners.", "share"),           # a new clause, a new subject
    ("If you do not opt out, we will share your data with partners.", "share"),  # the 'if' clause closes
    ("Unless you object, we share your reading history.", "share"),
    ("Whether or not you have an account, we share usage data.", "share"),
    ("We keep no more than we need and share it with publishers.", "share"),
    ("Statistics that cannot identify anyone are sent to your library.", "sent"),  # a relative clause's own not
    ("We have no duty to tell you before we disclose it to a partner.", "disclose"),  # a clause with its own subject
    ("Since browsers do not agree on what the signal means, we ignore it.", "ignore"),
    ("We keep your reading history with no time limit.", "keep"),
    ("Do Not Track Signals Our site honours them.", "honours"),
    ("Browsers can send a do not track signal, and we honour it.", "honour"),
    ("No, we may sell your data to our partners.", "sell"),  # the answer denies nothing the sentence says
    ("We do not use cookies for tracking, only for statistics via analytics firms.", "statistics"),  # ", only"
])
def test_affirmed(sentence, word):
    assert not negated(sentence, word)


def test_a_subject_is_negated_by_its_predicate():
    sentence = "Your reading history is never used for advertising."
    at = sentence.index("reading history")
    assert is_negated(sentence, at, at + len("reading history"))
    assert not is_negated("Records shared with police are never deleted.", 8, 26)  # a participle, not a subject


def test_a_subject_placed_by_a_phrase_is_negated_by_its_predicate():
    sentence = "Reading habits on our app are neither recorded nor shared."
    assert is_negated(sentence, 0, len("Reading habits"))
    assert not is_negated("Reading habits on our app are recorded and kept.", 0, len("Reading habits"))


def test_an_answer_no_ends_its_sentence_but_a_number_sign_does_not():
    assert [p.text for p in sentences(para("No. We don't sell data."))] == ["No.", "We don't sell data."]
    assert len(list(sentences(para("See form No. 5 for how we never sell data.")))) == 1
    assert negated("See form No. 5 for how we never sell data.", "sell")


def test_absent_is_without():
    assert negated("We hand over records absent a warrant.", "warrant")
    assert not negated("Staff who were absent on Monday may see records.", "see")  # the adjective negates nothing


def test_negation_only_reaches_forward():
    sentence = "We share your data with partners and do not sell it."
    assert not negated(sentence, "share") and negated(sentence, "sell")


def test_sentences_keep_offsets_and_abbreviations():
    text = "We use tools, e.g. Google Analytics. Acme Inc. hosts it; we never sell data. Ask us."
    got = list(sentences(para(text)))
    assert [p.text for p in got] == ["We use tools, e.g. Google Analytics.", "Acme Inc. hosts it; we never sell data.",
                                     "Ask us."]
    assert all(text[p.start - 100:p.end - 100] == p.text for p in got)


def test_clauses_split_where_negation_ends():
    text = "We do not collect your location, but we do collect your IP address."
    spans = [text[a:b] for a, b in clauses(text)]
    assert spans == ["We do not collect your location", ", but we do collect your IP address."]


@pytest.mark.parametrize("sentence, kind", [
    ("We never share your data except as required by law.", "legal"),
    ("We do not disclose records except to comply with a valid subpoena or court order.", "legal"),
    ("We never share your history unless the law requires it.", "legal"),
    ("We never share your history except with your prior written consent.", "consent"),
    ("We do not disclose loans other than at your request.", "consent"),
    ("We share nothing except with service providers bound by confidentiality agreements.", "processor"),
    ("We never share your data except with our affiliates and partners.", "weakening"),
    ("We do not share your information unless you opt out.", "weakening"),
    ("We will not sell your records other than to a successor company.", "weakening"),
    ("We share nothing except with vendors we choose.", "weakening"),   # unbound providers weaken
    # a promise limited by its own terms
    ("We do not sell your data to third parties for their marketing purposes.", "weakening"),
    ("We will not share your history without giving you the chance to object.", "weakening"),
    ("We do not disclose your reading history in personally identifiable form.", "weakening"),
    ("We do not sell reader profiles for money.", "weakening"),   # a sale denied in one sense of the word only
    ("We do not sell your data in the traditional sense.", "weakening"),
    ("We collect only what we need and any other data we consider useful.", "weakening"),  # a scope we set
    # what the law merely permits is no duty; what it obliges is
    ("We never disclose member data except as permitted by law.", "weakening"),
    ("We never pass member data on, save where required by law.", "legal"),
    ("Records are not disclosed unless a statute obliges us to disclose them.", "legal"),
    # a condition the vendor alone judges
    ("You may ask for a copy of your records, subject to a fee and our approval.", "weakening"),
    ("Stored files are encrypted where we consider it appropriate.", "weakening"),
    ("We share nothing without consent, other than as we treat your use of the app as your consent.", "weakening"),
    # doing what the user asked for is the service, not a hole; a pointer elsewhere is judged where it points
    ("Your details go to no other firm, other than for the sole purpose of filling your order.", "processor"),
    ("Apart from the companies involved in the delivery of your order, we give your name to nobody.", "processor"),
    ("We do not pass on your details except in the ways described above.", "reference"),
    ("Besides the aforementioned carriers, nobody sees your address, except as set out in this policy.", "reference"),
    ("We never share your data except as explained in section 4 and with our sponsors.", "weakening"),
    ("We share loans with nobody other than our processors, who act only on our documented instructions.",
     "processor"),  # the relative clause describing the exception is part of it
    ("We share loans with nobody other than our partners, who may use them as they wish.", "weakening"),
    ("Contractor shall not transfer any patron record to any person other than the Library.", "consent"),
    ("We keep records private except as necessary to perform this Agreement.", "processor"),
    # the library's or the patron's own agreement, and a law that makes us, are no holes
    ("We pass reader details to nobody unless the library or the patron has agreed.", "consent"),
    ("Provider shall unlink each Loan Record, save where the Patron has opted into history retention.", "consent"),
    ("We collect nothing further unless you write to us.", "consent"),
    ("Records go to no third party, unless a court makes us.", "legal"),
    # a cross-reference does not cover the recipients named beside it
    ("We share your data with nobody, save with our affiliates and sponsors and as described in this policy.",
     "weakening"),
    # a promise for some data, some recipients or a usual practice only; a need stretched; a notice after the fact
    ("Member phone numbers and postal addresses are never sold.", "weakening"),
    ("We do not rent data to non-affiliated companies.", "weakening"),
    ("We typically do not disclose reader records.", "weakening"),
    ("As a general rule, borrowing data is not sold.", "weakening"),
    ("We collect the data we need for our services, which include marketing and offers.", "weakening"),
    ("We tell the library of a demand once the records have been handed over.", "weakening"),
    ("We act for the library and, in some cases, on our own account.", "weakening"),
    ("We collect only what we need to run the site and support our marketing.", "weakening"),
])
def test_carve_out_kinds(sentence, kind):
    assert [c.kind for c in carve_outs(sentence)] == [kind]
    assert has_carve_out(sentence) == (kind == "weakening")


def test_no_carve_out_in_a_plain_promise():
    assert carve_outs("We do not sell your data.") == () and not has_carve_out("We do not sell your data.")


@pytest.mark.parametrize("sentence", [
    "We may share usage data with publishers.",
    "From time to time we update our partners on usage.",
    "We keep your records as long as necessary.",
    "We use reasonable measures to protect your data.",
    "We generally delete logs after a while.",
    "We will try to notify you of a breach.",
    "Records are kept at our sole discretion.",
    "We do not currently sell patron data.",   # a promise for now only
    "In some of our services, stored files are encrypted.",
    "As a general rule, statements to publishers leave out reader names.",
    "In most cases we delete search logs after 90 days.",
    "We do not normally sell patron data.",
])
def test_hedged(sentence):
    assert is_hedged(sentence)


@pytest.mark.parametrize("sentence", [
    "We delete loan records 30 days after return.",
    "You may opt out at any time.",                     # a user's permission is not the vendor's hedge
    "We never share your data except as may be required by law.",  # 'may' inside the legal carve-out
    "The vendor may not sell patron data.",             # 'may not' is a prohibition
    "We will notify the library within 72 hours.",
])
def test_not_hedged(sentence):
    assert hedges(sentence) == ()


def test_hedges_inside_overlapping_legal_exceptions_are_left_out_of_a_long_run_on_passage():
    piece = ("we may keep it except as required by law and except where a court orders it we may share it; "
             "from time to time we may update it")
    text = ", ".join([piece] * 100)  # exceptions that overlap, hedges inside and outside them
    legal = [c.span for c in carve_outs(text) if c.kind == "legal"]
    assert sum(1 for (_, b), (c, _) in pairwise(sorted(legal)) if c < b) > 50
    outside = [m.group() for m in _HEDGE.finditer(text) if not any(a <= m.start() < b for a, b in legal)]
    assert list(hedges(text)) == outside and 0 < len(outside) < len(_HEDGE.findall(text))


@pytest.mark.parametrize("sentence, kind", [
    ("We share your reading history only with your consent.", "opt-in"),
    ("We will not share your loans without your express permission.", "opt-in"),
    ("Reading history is kept only if you opt in.", "opt-in"),
    ("If you choose to turn on history, we store the titles you borrow.", "opt-in"),
    ("We share your reading history unless you opt out.", "opt-out"),
    ("By using the service you consent to our sharing your data.", "opt-out"),
    ("You consent to this sharing by using the app.", "opt-out"),
    ("We protect your records by using encryption.", None),
    ("Reading history is switched on by default; you can disable it in settings.", "opt-out"),
    ("You can opt out of marketing emails.", "opt-out"),
    ("We keep logs of server errors.", None),
    ("We automatically delete your history after each loan.", None),   # 'automatically' alone asks nothing
    ("New accounts are enrolled automatically in reading history.", "opt-out"),
    ("History is kept only if you opt in, which you do by creating an account.", "opt-out"),  # opting in = sign-up
    ("Recommendations stay off until you switch them on.", "opt-in"),
    ("The digest is sent only if you opt in, but partner offers go to everyone.", "opt-out"),  # done to all anyway
])
def test_consent_kind(sentence, kind):
    assert consent_kind(sentence) == kind


@pytest.mark.parametrize("sentence, kind", [
    ("We delete loan records 30 days after the item is returned.", "concrete"),
    ("Logs are erased after ninety (90) days.", "concrete"),
    ("Patron data is destroyed upon termination of the agreement.", "concrete"),
    ("We keep your history as long as necessary, and delete it within 12 months of account closure.", "concrete"),
    ("We retain your information for as long as necessary.", "vague"),
    ("We keep data indefinitely.", "vague"),
    ("Records are kept for a reasonable period of time.", "vague"),
    ("We retain data until it is no longer needed.", "vague"),
    ("Children under 13 years of age may not register.", None),
    ("We store your preferences.", None),
    ("Account data is erased after expiry of the statutory retention periods.", None),  # periods left unnamed
])
def test_retention_kind(sentence, kind):
    assert retention_kind(sentence) == kind


# ---------------------------------------------------------------------------------------------------------------
# match_rule: the readings combined


def para(text: str) -> Paragraph:
    return Paragraph(index=0, start=100, end=100 + len(text), text=text)


def fire(rule: Rule, text: str) -> str | None:
    outcomes = [m.outcome for p in passages(para(text), rule.scope) if (m := match_rule(rule, p))]
    return outcomes[0] if outcomes else None


NO_SALE = Rule(id="no-sale", outcome="met", polarity="negated", any=[r"\b(sell|rent|trade)\b"],
               all=[r"\b(information|data)\b"])
SELLS = Rule(id="sells", outcome="not_met", polarity="affirmed", any=[r"\b(sell|rent|trade)\b"],
             all=[r"\b(information|data)\b"])


@pytest.mark.parametrize("text, no_sale, sells", [
    ("We do not sell your personal information.", "met", None),
    ("We never sell your data, except to our marketing partners.", "partial", None),
    ("We never sell your data except as required by law.", "met", None),
    ("We do not sell your data unless you opt out of the program.", "partial", None),
    ("We may sell aggregated information to publishers.", None, "not_met"),
    ("Nothing prevents us from selling your information.", None, None),  # 'selling' is not in the pattern
    ("Nothing prevents us to sell your information.", None, "not_met"),
    ("We not only sell data to brokers, we publish it.", None, "not_met"),
    ("We sell e-books to libraries.", None, None),                       # no 'data': the all pattern fails
])
def test_sale_rules(text, no_sale, sells):
    assert fire(NO_SALE, text) == no_sale
    assert fire(SELLS, text) == sells


@pytest.mark.parametrize("text, outcome", [
    ("We do not sell your data. However, we may share it with our marketing partners.", "partial"),
    ("We do not sell your data. Please note that we provide it to advertisers.", "partial"),
    ("We do not sell your data. However, we disclose it when a court order requires us to.", "met"),  # the law's
    ("We do not sell your data. However, we take security seriously.", "met"),  # not about the practice
    ("We do not sell your data. We also share it with our partners.", "met"),   # another practice: other rules' job
    ("We do not sell your data. We do sell it to our sponsors, though.", "partial"),  # the same one, taken back
    ("We do not sell your data, but we may sell summaries of it to partners.", "partial"),  # later in the sentence
    ("We do not sell your data. This does not apply to the firms that run our mailing lists.", "partial"),
    ("We do not sell your data. However, we use the following tools to count visits:", "met"),  # its own use
    ("We do not sell your data. However, we may use it with our sponsors.", "partial"),
    ("We do not sell your data without your consent, which you give when you sign up.", "partial"),  # by sign-up
    ("We do not sell your data without your consent, which we ask for each time.", "met"),
    ("We do not sell your data. This does not include contractors bound by contract to keep it confidential.",
     "met"),  # narrowed to bound processors only
    # a right kept to do it after all: the promise describes today only (blind round 7's readers: not_met)
    ("We do not sell your data. Nothing in this policy prevents us from selling it later.", "not_met"),
    ("We do not sell your data. We reserve the right to sell it to partners.", "not_met"),
    ("We do not sell your data. Nothing in this policy limits our ability to improve the site.", "met"),
    ("We do not sell your data. We consider your use of the site to be your consent.", "partial"),  # deemed consent
    # a limb saying more is done besides, or a next sentence on the rest of the data, which it does not promise
    ("We do not sell your data, though our sponsors may also receive your postcode.", "partial"),
    ("We do not sell your loan data. Other account information is kept for our own business needs.", "partial"),
    ("We do not sell your loan data. Other account information is not sold either.", "met"),
    ("We do not sell your loan data. Other data is never rented or traded.", "met"),
    ("We do not sell your data, but you can also ask us to delete it.", "met"),  # the user's own choice
    # "Instead" doing what the promise ruled out takes it back; a harmless instead does not
    ("We do not sell your data. Instead, we sell access to our readers to our sponsors.", "partial"),
    ("We do not sell your data. Instead, libraries pay for the service.", "met"),
    # a limb on the vendor's own account, or a part-only promise with the rest after "but"
    ("We do not sell your data, but as an independent controller we decide what to do with usage data.", "partial"),
    # a "however" set inside the next sentence, an opener of an exception, or recipients as its subject
    ("We do not sell your data. Our sponsors may, however, receive it for their own offers.", "partial"),
    ("We do not sell your data. That said, our sponsors may receive your postcode.", "partial"),
    ("We do not sell your data. Except, of course, to our sponsors.", "partial"),
    ("We do not sell your data. Our affiliates may still receive it.", "partial"),
    ("We do not sell your data. Our partners may, however, see only loan totals.", "met"),  # totals only
    ("We do not sell your data. Other than that, this notice may change.", "met"),  # no recipients
    ("We do not sell your data, with one exception: our sponsors receive your postcode.", "partial"),
    # a part only, the rest denied; the vendor's own discretion; contact data alone
    ("We do not sell your data, but not for titles you have rated.", "partial"),
    ("We do not sell your data, except at our sole discretion.", "partial"),
    ("We do not sell your e-mail address or contact data.", "partial"),
    ("We do not sell your e-mail address or any other data.", "met"),
    # a protection granted only where the law asks for it, unless the law is its exception
    ("Where applicable law so requires, we do not sell your data.", "partial"),
    ("We do not sell your data in some jurisdictions.", "partial"),
    ("We do not sell your data, unless the law requires us to.", "met"),
    ("We do not sell your data (nor, where applicable, your children's).", "met"),  # an aside in brackets
])
def test_a_next_sentence_can_qualify_the_promise(text, outcome):
    assert fire(NO_SALE, text) == outcome


def test_match_keeps_offsets_and_notes_the_carve_out():
    text = "We collect little. We never sell your data, except to our partners."
    (m,) = [m for p in sentences(para(text)) if (m := match_rule(NO_SALE, p))]
    assert text[m.passage.start - 100:m.passage.end - 100] == "We never sell your data, except to our partners."
    assert m.outcome == "partial" and "except to our partners" in (m.note or "")


def test_carve_outs_ignore_keeps_met():
    rule = NO_SALE.model_copy(update={"carve_outs": "ignore"})
    assert fire(rule, "We never sell your data, except to our partners.") == "met"


@pytest.mark.parametrize("mode, text, outcome", [
    ("weaken", "We will delete your history when you ask.", "met"),
    ("weaken", "We may delete your history when you ask.", "partial"),
    ("exclude", "We may delete your history when you ask.", None),
    ("exclude", "We will delete your history when you ask.", "met"),
    ("require", "We will delete your history when you ask.", None),
    ("require", "We may delete your history when you ask.", "met"),
])
def test_hedged_modes(mode, text, outcome):
    rule = Rule(id="deletes", outcome="met", any=[r"\bdelete\b"], hedged=mode)
    assert fire(rule, text) == outcome


def test_consent_field():
    opt_in = Rule(id="opt-in", outcome="met", any=[r"\breading history\b"], consent="opt-in")
    opt_out = Rule(id="opt-out", outcome="partial", any=[r"\breading history\b"], consent="opt-out")
    yes = "We keep your reading history only if you opt in."
    no = "We keep your reading history unless you opt out."
    assert (fire(opt_in, yes), fire(opt_out, yes)) == ("met", None)
    assert (fire(opt_in, no), fire(opt_out, no)) == (None, "partial")


def test_retention_field():
    concrete = Rule(id="period", outcome="met", any=[r"\b(delete|retain|keep)\w*"], retention="concrete")
    vague = Rule(id="vague", outcome="partial", any=[r"\b(delete|retain|keep)\w*"], retention="vague")
    assert (fire(concrete, "We delete loan records 30 days after return."),
            fire(vague, "We delete loan records 30 days after return.")) == ("met", None)
    assert (fire(concrete, "We retain records as long as necessary."),
            fire(vague, "We retain records as long as necessary.")) == (None, "partial")


def test_within_words():
    rule = Rule(id="near", outcome="not_met", any=[r"\bshare\b"], all=[r"\badvertisers\b"], within=5)
    assert fire(rule, "We share your reading history with advertisers.") == "not_met"
    far = "We share your reading history with the library that you belong to and, separately, with advertisers."
    assert fire(rule, far) is None
    assert fire(rule.model_copy(update={"within": None}), far) == "not_met"


def test_none_counts_in_the_limb_with_the_match():
    kept = Rule(id="kept", outcome="partial", polarity="affirmed", any=[r"\b(kept|retained)\b"],
                none=[r"\b(after|until)\b"])
    assert fire(kept, "Loans are hidden after return, but they are retained in our systems.") == "partial"
    assert fire(kept, "Loans are deleted after return, but they are kept until then.") is None
    assert fire(kept, "Loans are retained after return.") is None


def test_none_and_paragraph_scope():
    rule = Rule(id="p", outcome="met", any=[r"\bencrypt"], all=[r"\btransit\b"], scope="paragraph",
                none=[r"\bdo not encrypt\b"])
    assert fire(rule, "We encrypt your data. It is protected in transit and at rest.") == "met"
    assert fire(rule.model_copy(update={"scope": "sentence"}),
                "We encrypt your data. It is protected in transit and at rest.") is None
    assert fire(rule, "We do not encrypt backups. Data in transit uses TLS.") is None


def test_old_rules_load_unchanged():
    """A rule written before the optional fields existed keeps its meaning."""
    rule = Rule.model_validate({"id": "r", "outcome": "met", "any": ["x"]})
    assert (rule.hedged, rule.consent, rule.retention, rule.within, rule.carve_outs) == \
        ("ignore", "any", "any", None, "weaken")


# ---------------------------------------------------------------------------------------------------------------
# four misreadings, fixed: legal carve-outs that forbid, one negation per coordinated verb, parentheses, quotes

NOTIFIES = Rule(id="notifies", outcome="met", polarity="affirmed", any=[r"\bnotif(?:y|ies)\b"],
                all=[r"\blibrary\b"])


@pytest.mark.parametrize("text, outcome", [
    # a court's or the law's prohibition is as acceptable as 'unless required by law'
    ("We notify the library before responding, unless the order forbids it.", "met"),
    ("The vendor notifies the library of each demand unless a court prohibits it.", "met"),
    ("We notify the library before we respond, unless legally prohibited.", "met"),
    ("We notify the library of any request unless we are prohibited by law from doing so.", "met"),
    ("We notify the library unless prohibited by court order.", "met"),
    ("We will, unless legally prohibited, notify the library of every subpoena.", "met"),  # mid-sentence
    ("Unless the order forbids it, we notify the library of the demand.", "met"),           # or first
    ("Unless prohibited by court order, the vendor notifies the library of any subpoena.", "met"),
    # the vendor's own choice or policy is not the law's
    ("We notify the library before responding, unless our partners forbid it.", "partial"),
    ("We notify the library of requests unless our internal policies prohibit it.", "partial"),
    ("We notify the library unless we decide otherwise.", "partial"),
    ("We will not notify the library of any subpoena.", None),
    ("Unless the library asks, we do not notify the library of subpoenas.", None),
])
def test_a_legal_prohibition_keeps_a_notice_promise_met(text, outcome):
    assert fire(NOTIFIES, text) == outcome


@pytest.mark.parametrize("sentence, kind", [
    # an exception's alternatives: the weakest one settles it
    ("We share data with no one except with your consent or with companies that sponsor our contests.", "weakening"),
    ("We share data with no one except as required by law or to our affiliates.", "weakening"),
    ("We share data with no one except with your consent or as required by law.", "legal"),
    ("We share data with no one except as required by law or to service providers bound by contract.", "legal"),
])
def test_the_weakest_alternative_of_an_exception_counts(sentence, kind):
    assert carve_outs(sentence)[0].kind == kind


NO_ACCOUNT = Rule(id="no-account", outcome="met", polarity="any", any=[r"\baccount (is )?not required\b"])


@pytest.mark.parametrize("text, outcome", [
    # a promise kept for a part only, the rest after "but" or "however"
    ("An account is not required to browse; however, certain features such as loans require your e-mail address.",
     "partial"),
    ("An account is not required to browse, but some collections need a sign-in.", "partial"),
    ("An account is not required to browse, but some readers like to save lists.", "met"),
])
def test_a_promise_for_a_part_only_is_partial(text, outcome):
    assert fire(NO_ACCOUNT, text) == outcome


@pytest.mark.parametrize("clause, kind", [
    ("unless the order forbids it", "legal"),
    ("unless a court prohibits it", "legal"),
    ("unless legally prohibited", "legal"),
    ("unless prohibited by law from doing so", "legal"),
    ("unless the law forbids us to", "legal"),
    ("unless legally required to do so", "legal"),
    ("unless our contract forbids it", "weakening"),
    ("unless the publisher prohibits it", "weakening"),
])
def test_legal_prohibitions_are_legal_carve_outs(clause, kind):
    assert [c.kind for c in carve_outs(f"We tell the library of each request, {clause}.")] == [kind]


@pytest.mark.parametrize("sentence, word", [
    ("We shall not sell patron data, and shall not use it for advertising.", "use"),
    ("We shall not sell patron data and shall not use it for advertising.", "use"),
    ("We will not sell patron data, and will never use it for advertising.", "use"),
    ("We do not sell and have never sold your data.", "sold"),
    ("We do not rent your data, and no partner receives it.", "receives"),
    ("No Disclosure. We will not disclose your reading history.", "disclose"),   # a heading run into the text
    ("NO SALE OF DATA. We do not sell patron records.", "sell"),
    ("No Disclosure\nWe will not disclose your reading history.", "disclose"),  # on a line of its own
    ("NO DISCLOSURE We will not disclose your reading history.", "disclose"),    # in capitals, no full stop
    ("2.1 No Sharing: We never share your loans.", "share"),
    ("No Patron Data We hold is sold.", "sold"),                                 # a subject, not a heading
    ("No Library We serve receives your data.", "receives"),
    ("Your reading history (not including your name) is never shared.", "shared"),
    ("We do not (under any circumstances) sell patron data.", "sell"),           # outer negation reaches over
    ("We will not share (or sell) your data.", "sell"),                          # and into the parentheses
    ("We will not, unless required by law, disclose your records.", "disclose"),
    ("We do not, not even for a fee, sell your records.", "sell"),              # the outer 'not' still counts
])
def test_each_negation_keeps_to_its_own_verb(sentence, word):
    assert negated(sentence, word)


@pytest.mark.parametrize("sentence, word", [
    ("We shall not sell patron data, and shall use it for advertising.", "use"),  # only the first verb is negated
    ("Nothing prevents us from selling your data.", "selling"),                   # still a double negative
    ("We will not fail to notify you of a breach.", "notify"),
    ("We share your history (not including your name) with publishers.", "publishers"),
    ("Your reading history (not including your name or card number) is sent to publishers.", "sent"),
    ("Loan records (but never payment details) are shared with partners.", "shared"),
    ("Your reading history, not including your name, is sent to publishers.", "sent"),
    ("Your titles, not your name, are shared with publishers.", "shared"),
    ("We will, unless you object, share your history.", "share"),
    ("Reports we build do not name you and may be passed to sponsors.", "passed"),  # 'and may' has its own verb
    ("2.3 Partner Programs While we never rent patron lists, we share loan data with sponsors.", "share"),
])
def test_a_negation_does_not_reach_past_its_own_clause(sentence, word):
    assert not negated(sentence, word)


def test_two_negated_verbs_fire_a_negated_rule_on_each():
    no_ads = Rule(id="no-ads", outcome="met", polarity="negated", any=[r"\buse\b"], all=[r"\badvertising\b"])
    ads = no_ads.model_copy(update={"id": "ads", "outcome": "not_met", "polarity": "affirmed"})
    text = "We shall not sell patron data, and shall not use it for advertising."
    assert (fire(no_ads, text), fire(ads, text)) == ("met", None)
    text = "We shall not sell patron data, but we use it for advertising."
    assert (fire(no_ads, text), fire(ads, text)) == (None, "not_met")


def test_a_merged_heading_does_not_cancel_in_a_paragraph_scope_rule():
    rule = NO_SALE.model_copy(update={"scope": "paragraph"})
    assert fire(rule, "No Sale of Data. We do not sell your personal information.") == "met"
    assert fire(SELLS.model_copy(update={"scope": "paragraph"}),
                "No Sale of Data. We do not sell your personal information.") is None


def test_a_parenthesis_does_not_negate_the_rest_of_the_clause():
    shares = Rule(id="shares", outcome="not_met", polarity="affirmed", any=[r"\bshared?\b"], all=[r"\bpublishers\b"])
    assert fire(shares, "Your borrowing history (not including your name or card number) is shared with "
                        "publishers.") == "not_met"
    assert fire(shares, "Your borrowing history (including your name) is not shared with publishers.") is None


@pytest.mark.parametrize("text, expected", [
    ('Our newsletter is called "Page one." Shelfwise collects your email address.',
     ['Our newsletter is called "Page one."', "Shelfwise collects your email address."]),
    ("We keep logs (for 30 days.) After that we delete them.",
     ["We keep logs (for 30 days.)", "After that we delete them."]),
    ("Read the \u201cHelp.\u201d Then write to us.", ["Read the \u201cHelp.\u201d", "Then write to us."]),
    ('It said "Stop!" We stopped.', ['It said "Stop!"', "We stopped."]),
    # not a sentence end: no punctuation inside the quote, or a lower-case word after it
    ('We call it "Shelf" Data is kept.', ['We call it "Shelf" Data is kept.']),
    ('We call it "Shelf." and keep it.', ['We call it "Shelf." and keep it.']),
    ("Tools (e.g. Google Analytics) from U.S. firms and Acme Inc. are used. We never sell data.",
     ["Tools (e.g. Google Analytics) from U.S. firms and Acme Inc. are used.", "We never sell data."]),
])
def test_sentences_end_after_a_closing_quote_or_bracket(text, expected):
    got = list(sentences(para(text)))
    assert [p.text for p in got] == expected
    assert all(text[p.start - 100:p.end - 100] == p.text for p in got)


@pytest.mark.parametrize("clause, status", [
    ("Officers may receive your loan records from us with no warrant needed.", "not_met"),
    ("We may disclose information to government authorities without a subpoena when we believe it is necessary.",
     "not_met"),
    ("We will not turn your records over to the police without a court order.", "met"),
    ("Records go to the police if we determine that a card was used fraudulently.", "not_met"),
    ("We pass data to others to enforce our rights and claims.", "not_met"),
    ("We never hand over data unless a court orders it or we decide it is appropriate to assist law enforcement "
     "agencies.", "not_met"),
    ("We will not share your information with anyone unless we are required by law to.", "partial"),
])
def test_law_enforcement_standard(clause, status):
    from assessor.loading import load_checklists
    from assessor.score import evaluate
    from assessor.selftest import example_document

    criterion = next(c for c in load_checklists()["ala-vendors"].checklist.criteria if c.id == "ALA-LE-01")
    assert evaluate(criterion, example_document(clause))[0].value == status


@pytest.mark.parametrize("text, negated", [
    ("This policy does not limit our ability to sell your personal information.", False),  # a reserved right
    ("Nothing in these terms restricts our right to sell the data.", False),
    ("We limit who can sell tickets.", False),            # 'limit' without a right it reserves is no negation
    ("We do not sell your personal information.", True),
])
def test_a_reserved_right_is_no_promise(text, negated):
    assert is_negated(text, text.index("sell")) == negated


@pytest.mark.parametrize("clause, criterion, status", [
    ("We generally do not sell personal information.", "ALA-US-01", "partial"),
    ("We have no duty to require a warrant before we answer a request from the authorities.", "ALA-LE-01",
     "not_met"),
    ("We do not sell your data to advertisers; instead we let them target ads to you based on your reading.",
     "ALA-US-02", "not_met"),
])
def test_promises_that_are_not(clause, criterion, status):
    from assessor.loading import load_checklists
    from assessor.score import evaluate
    from assessor.selftest import example_document

    found = next(c for loaded in load_checklists().values() for c in loaded.checklist.criteria if c.id == criterion)
    assert evaluate(found, example_document(clause))[0].value == status


def test_an_enumeration_keeps_its_lead_in():
    para = Paragraph(index=0, start=10, end=150, text=(
        "We keep it safe. We may disclose information to: (i) our auditors; (ii) comply with requests of government "
        "agencies; (iii) protect our rights."))
    readings = [(s.reading, para.text[s.start - 10:s.end - 10] == s.text) for s in sentences(para)]
    assert readings == [("We keep it safe.", True),
                        ("We may disclose information to our auditors;", True),
                        ("We may disclose information to comply with requests of government agencies;", True),
                        ("We may disclose information to protect our rights.", True)]


def test_an_it_a_practice_verb_takes_stands_for_the_data_named_before():
    text = "We never sell patron information. We do distribute it to partners. We keep it safe."
    para = Paragraph(index=0, start=0, end=len(text), text=text)
    assert [s.reading for s in sentences(para)] == [
        "We never sell patron information.", "We do distribute patron information to partners.", "We keep it safe."]


@pytest.mark.parametrize("text, readings", [
    ("We will (i) tell the library; (ii) ask for an order; and (iii) disclose no more. We keep logs.",
     ["We will tell the library;", "We will ask for an order;", "We will disclose no more.", "We keep logs."]),
    ("We do not use: 1) ad cookies, 2) pixels, or 3) analytics.",
     ["We do not use ad cookies,", "We do not use pixels,", "We do not use analytics."]),
    # a list run into its lead-in's line, its items opened by dashes or bullets
    ("We will never: - sell your data - rent it \u2014 Trade it",
     ["We will never sell your data", "We will never rent it", "We will never Trade it"]),
    # a list without markers: its items after a colon, separated by semicolons, up to the sentence's end
    ("We may pass it to: our printers; Other companies, for their offers; the police. We keep logs.",
     ["We may pass it to our printers;", "We may pass it to Other companies, for their offers;",
      "We may pass it to the police.", "We keep logs."]),
])
def test_an_enumeration_without_a_colon_or_with_a_last_and_or(text, readings):
    para = Paragraph(index=0, start=0, end=len(text), text=text)
    assert [s.reading for s in sentences(para)] == readings


def test_a_disclosure_the_lead_in_guards_against_is_not_carried_to_its_items():
    def readings(text: str) -> list[str]:
        return [s.reading for s in sentences(Paragraph(index=0, start=0, end=len(text), text=text))]

    assert readings("To prevent unauthorised disclosure of patron records: (a) staff sign agreements; (b) partners "
                    "see totals.") == ["staff sign agreements;", "partners see totals."]
    # a practice of the lead-in's own is still carried
    assert readings("Against disclosure, we may share it with: (i) auditors; (ii) printers.") == [
        "we may share it with auditors;", "we may share it with printers."]


@pytest.mark.parametrize("lead, items, criterion, status", [
    ("We will never:", ["sell or rent your personal information;", "use your reading history for ads."],
     "ALA-US-01", "met"),
    ("We may share information about you:", ["with government officials who ask for it;", "with our auditors."],
     "ALA-LE-01", "not_met"),
])
def test_a_list_item_is_read_with_the_sentence_introducing_it(lead, items, criterion, status):
    from assessor.loading import load_checklists
    from assessor.parse import parse_bytes
    from assessor.score import evaluate

    text = "\n".join([f"# Sharing\n\n{lead}\n", *[f"- {i}" for i in items]]) + "\n"
    doc = parse_bytes(text.encode(), uri="gold.md", content_type="text/markdown")
    found = next(c for loaded in load_checklists().values() for c in loaded.checklist.criteria if c.id == criterion)
    got, _, evidence, _ = evaluate(found, doc)
    assert got.value == status
    assert any("lead-in" in (e.note or "") for e in evidence)


def test_negation_work_is_bounded_per_match():
    # a run-on passage: the negation near the match counts, one far before it is out of any clause's reach
    near = "we " + "keep records and " * 400 + "do not sell your data"
    assert is_negated(near, near.index("sell"))
    far = "we do not " + "keep records and " * 400 + "sell your data"
    assert not is_negated(far, far.index("sell"))


@pytest.mark.parametrize("heading, text, statement", [
    ("Do we sell your personal information?", "No. We never have.", "We do not sell your personal information."),
    ("Will you tell my library if the police ask?", "Yes, first.", "We will tell your library if the police ask."),
    # the asker's words put as the vendor answers them
    ("Will I see ads based on what I read?", "No.", "You will not see ads based on what you read."),
    ("Can my library see what I borrow?", "No.", "Your library can not see what you borrow."),
    ("How long do we keep your data?", "Forever.", "How long do we keep your data?"),
    # "is/are": the subject runs over its nouns up to the predicate
    ("Is my reading history personal data?", "Yes.", "Your reading history is personal data."),
    ("Are library card numbers personal information?", "No.", "Library card numbers are not personal information."),
    ("Are my search terms kept after I log out?", "No.", "Your search terms are not kept after you log out."),
    ("Sale of data", "No.", ""),
])
def test_an_answer_is_read_with_its_question(heading, text, statement):
    from assessor.rules import answered_question

    assert answered_question(heading, text) == statement


@pytest.mark.parametrize("heading, text, reading", [
    ("Do we sell your data?", "No.", ("We do not sell your data.", "")),
    ("What we collect", "Only your card number.", ("We collect", "")),
    ("What we collect", "We collect your card number.", ("", "")),       # the answer says it itself
    ("If there is a breach", "We tell your library within a day.", ("If there is a breach,", "")),
    ("Targeted advertising", "We do not do it.", ("", "We do not do targeted advertising.")),
    ("Sale of your data", "We may sell it to partners.", ("", "We may sell your data to partners.")),
    ("Advertising cookies", "We do not use any.", ("", "We do not use any advertising cookies.")),
    ("Reading history", "This feature is off.", ("", "Reading history is off.")),
    ("Loan records", "Deleted when the loan ends.", ("", "Loan records are deleted when the loan ends.")),
    ("Our commitment", "We never sell patron data.", ("", "")),
])
def test_a_first_sentence_is_read_with_its_heading(heading, text, reading):
    from assessor.rules import read_with_heading

    assert read_with_heading(heading, text) == reading


@pytest.mark.parametrize("text, readings", [
    ("Q. Do you sell my data? A. No. We never have.",
     ["Q.", "A.", "We do not sell your data. No.", "We never have."]),
    ("Question: Are there any trackers? Answer: None.", ["There are not any trackers. Answer: None."]),
    ("Q: Do you not sell my data? A: No.", ["A: No."]),                # a negative question guesses no statement
    ("Do you sell data?", ["Do you sell data?"]),                      # a question with nothing after it stays
])
def test_a_question_in_the_text_is_read_through_its_answer(text, readings):
    from assessor.models import Paragraph
    from assessor.rules import sentences

    paragraph = Paragraph(index=0, text=text, start=0, end=len(text), section=[], kind="p")
    assert [s.reading for s in sentences(paragraph)] == readings


def test_a_question_heading_gives_its_answer_a_subject():
    from assessor.loading import load_checklists
    from assessor.parse import parse_bytes
    from assessor.score import evaluate

    doc = parse_bytes(b"# Do we sell your personal information?\n\nNo. We have never done so and never will.\n\n"
                      b"# Other things\n\nYes, we use cookies.\n", uri="faq.md", content_type="text/markdown")
    no_sale = next(c for c in load_checklists()["ala-vendors"].checklist.criteria if c.id == "ALA-US-01")
    status, _, evidence, _ = evaluate(no_sale, doc)
    assert status.value == "met" and evidence[0].quote.startswith("No.")


@pytest.mark.parametrize("text, joined", [
    ("Visit www.readerapp.com/privacy. We keep it.", "Visit www\u2024readerapp\u2024com/privacy. We keep it."),
    ("Opt out at aboutads.info.", "Opt out at aboutads\u2024info."),
    ("For example, e.g. this; U.S. law; version 2.0.", "For example, e.g. this; U.S. law; version 2.0."),
])
def test_the_dots_of_a_domain_name_are_joined_and_no_others(text, joined):
    from assessor.rules import joined_domains

    assert joined_domains(text) == joined
    assert len(joined_domains(text)) == len(text)


@pytest.mark.parametrize("text, reading", [
    ("Brightshelf never shares your data.", "Brightshelf never share your data."),
    ("Lumen Reads notifies the library.", "Lumen Reads notify the library."),
    ("The Provider discloses records.", "The Provider disclose records."),
    ("Rights holders see counts.", "Rights holders see counts."),          # a plural noun is no verb
    ("Our partners receive data.", "Our partners receive data."),
    ("Brightshelf does not sell data.", "Brightshelf does not sell data."),  # an auxiliary is left alone
])
def test_a_named_subject_s_verb_is_read_in_its_plain_form(text, reading):
    from assessor.rules import as_we_say_it

    assert as_we_say_it(text) == reading


@pytest.mark.parametrize("text, word, negated", [
    ("The app does not record your location, and sends your reading speed to publishers.", "sends", False),
    ("Brightshelf never sells, rents, and shares your data.", "shares", True),   # the last of a list of verbs
    ("We do not record your location or send it to publishers.", "send", True),
])
def test_a_verb_of_its_own_tense_after_and_has_its_own_polarity(text, word, negated):
    from assessor.rules import as_we_say_it

    reading = as_we_say_it(text)
    assert is_negated(reading, reading.index(word.rstrip("s"))) == negated
