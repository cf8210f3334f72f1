"""The match operators criteria are written in: sentences, negation and its scope, carve-outs, hedges, consent,
retention.

Each reading is a small function of a passage's text, tested on clauses written for the purpose
(`tests/test_rules.py`); `match_rule` combines them as the `Rule` docstring in `assessor/models.py` describes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import accumulate, pairwise
from typing import Literal

from .cues import CueText, cue_text, folded
from .models import Paragraph, Rule, Status, pattern_for
from .regexes import led

_I = re.IGNORECASE
# the abbreviations of a statute's citation ("Cal. Civ. Code section 1798.140", "Conn. Gen. Stat. section 11-25",
# "20 U.S.C. 1232g"): their dots end no sentence, and rules read them as dot leaders (`joined_domains`)
_CITATION_ABBREVIATIONS = ("U.S.C", "C.F.R", "N.Y", "Cal", "Civ", "Gen", "Stat", "Stats", "Ann", "Rev", "Conn", "Tex",
                           "Fla", "Mass", "Ill", "Colo", "Minn", "Wash", "Mich", "Ariz", "Del", "Pub", "Reg", "Regs",
                           "Sec", "Educ", "Fed", "Admin")
# a sentence ends at . ! ? or ; (or a closing quote or bracket after . ! ?) before a capital, a digit, a quote or a
# bracket, but not after "e.g." or "Inc." (nor "No." before a number: "No. 5"; an answer "No. We never..." ends)
_SENTENCE_END = led(r"(?:(?<=[.!?;])(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bU\.S\.)(?<!\bInc\.)(?<!\bCo\.)"
                           r"(?<!\bLtd\.)(?!(?<=\bNo\.)\s+[0-9])(?<!\bvs\.)(?<!\bSt\.)(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)"
                           + "".join(rf"(?<!\b{re.escape(a)}\.)" for a in _CITATION_ABBREVIATIONS) +
                           r"|(?<=[.!?][\"'\u201d\u2019)\]]))\s+(?=[\"'\u201c\u2018(\[A-Z0-9])")

# -- negation -----------------------------------------------------------------------------------------------------
_NEGATOR = led(
    r"\b(?:not|never|no|none|nothing|nobody|neither|nor|without|cannot)\b|n't\b|"
    # "absent" for "without": "absent a warrant"
    r"\babsent(?=\s+(?:a|an|any|the|such|your|their|valid|written|prior|express|specific)\b)|"
    r"\b(?:refrain(?:s|ed)? from|prohibit\w*|forbid\w*|prevent\w*|preclude\w*|declines? to|declined to|"
    r"refuses? to|refused to|fails? to|failed to)\b|"
    # a reserved right: "nothing here limits our ability to sell" is a second negation, so selling stays affirmed
    r"\b(?:limit|limits|limited|limiting|restrict|restricts|restricted|restricting)\s+(?:our|its|the company's|"
    r"(?:the )?(?:vendor|provider)'s|us\b)(?:\s+(?:ability|right|freedom|discretion)s?)?", _I)
_NOT_A_NEGATION = led(
    r"\bnot only\b|\bwhether or not\b|\bor not\b|\bno matter\b|\bnot limited to\b|"
    # "No." before a number is an abbreviation: "section No. 5"
    r"\bno\.(?=\s*[0-9])|"
    # an answer opening a sentence ("No, we do not sell it") negates nothing in what follows it; after a question it
    # answers that question ("Do we sell data? No, with one exception: ...")
    r"(?:^|(?<=[.!]\s))[\"'\u201c(]?no(?=\s*[,!]\s)|"
    # no limit on a practice leaves it affirmed: "there is no restriction on whom we may share it with"
    r"\b(?:no|without(?: any)?) (?:restrictions?|limits?|limitations?) (?:on|to|as to)\b|"
    r"\b(?:no|not) (?:later|more|less|fewer) than\b|\bno longer than\b|\bno-?reply\b|"
    r"\bto prevent\b(?![^.;,]{0,40}\bfrom\b)|"
    # the name of the browser signal ("Do Not Track", "do-not-track" requests) is no negation: "Do Not Track
    # Requests. We do not respond to them" has one negation, so "respond" stays negated
    r"(?<!\bwe )(?-i:\bDo Not Track\b|\bDO NOT TRACK\b)|\bdo-not-track\b|(?<=[\"'\u201c\u2018])do not track\b|"
    r"\bdo not track(?=[\"'\u201d\u2019]|\s+(?:\(dnt\)\s+)?(?:signal|request|header|setting|preference|option|feature|"
    r"mechanism|standard|instruction|technolog)\w*\b)", _I)
# the verb of a reserved right right after an aside ("Nothing here, however, limits our right to ...")
_ASIDE_VERB = (r",\s*(?:(?:shall|will|does|should|may|can|is|are)\s+(?:be\s+)?)?"
               r"(?:prevent|limit|restrict|preclude|stop|bar|prohibit|forbid|constrain)\w*")
# a "however" between commas right after a negation ("we never, however, ...")
_NO_SET_OFF = r"(?<!\bnot,\s)(?<!\bnever,\s)(?<!n't,\s)(?<!\bnot,)(?<!\bnever,)(?<!n't,)"
# a clause boundary ends a negation's scope: "we do not sell data, but we share it" -> "share" is not negated
_SCOPE_BREAK = led(
    # ", only ..." says what is done instead: "we use no cookies for tracking, only for statistics via analytics firms"
    rf",\s*(?:but|{_NO_SET_OFF}however(?!{_ASIDE_VERB})|although|though|yet|whereas|which|who|only)\b|;|:|\bbut\b|"
    # a "however" set off before the verb of its own clause breaks nothing: "Nothing in this policy, however,
    # prevents us from ..." is one clause, its two negations cancel; nor does one set off after the negation of the
    # verb's own auxiliary: "We never, however, obtain it from brokers", "We will not, however, sell it"
    rf"{_NO_SET_OFF}\bhowever\b(?!{_ASIDE_VERB})|\bexcept\b|"
    r"\bunless\b|"
    r"\b(?:and|or|so)\s+(?:we|they|it|you|our company)\b|"
    # ... or others as the subject of the next limb: "We do not rent our lists, and our partners serve targeted ads"
    r",\s*(?:and|but)\s+(?:our|the|its|their|these|those|some|many|most|all)\s+(?:[\w-]+\s+){0,2}?(?:partners|"
    r"advertisers|affiliates|sponsors|vendors|providers|companies|networks|third parties|publishers)\b|"
    # a comma splice: "We never show ads, we give advertisers your history" -> two clauses, each with its polarity
    r"(?<=\w),\s*we\b(?!\s+(?:promise|believe|think|hope|say|mean|assure|guarantee)\b)|"
    # a comma and a conjunction opening a clause with its own subject and auxiliary: "There are no ads, and your
    # searches are passed to ad networks" -> "passed" is not negated
    r",\s*(?:and|or|but|while|whereas)\s+(?=(?:(?!(?:that|which|who|whom|to|not|never|no)\b)[\w'\u2019-]+\s+){1,8}?"
    r"(?:is|are|was|were|will|shall|would|can|could|may|must|do|does|did|has|have)\b)|"
    # a subordinate clause with its own subject has its own polarity: "no duty to tell you before we disclose it"
    r"\b(?:before|after|when|whenever|once|until|if|because|since)\s+(?:we|they|you)\b", _I)
_OPENERS = frozenset({"unless", "except", "before", "after", "when", "whenever", "once", "until", "if", "because",
                      "since"})
# an opening subordinate clause ends at its comma: "If you do not opt out, we will share" -> "share" is affirmed
_OPENING_CLAUSE = led(
    r"^\W*(?:if|unless|when|whenever|where|once|because|since|although|though|while|after|before|until|without|"
    r"except|other than)\b[^,]*,|"
    # ... or an opening purpose clause: "So you never lose a loan, we keep ...", "To make sure you don't miss a
    # due date, we ..."
    r"^\W*(?:so\s+that\s+(?:you|we|they|readers|patrons|users|members|nothing|nobody|no one)|"
    r"so\s+(?:you|readers|patrons|users|members|nothing|nobody|no one)|"
    r"(?:in order )?to (?:make sure|ensure)|"
    r"in order (?:that|to))\b[^,]*,|"
    # an opening phrase without its comma ends where the main clause's subject starts: "Without an order we ..."
    r"^\W*(?:without|except|other than)\b[^,.;]*?\s(?=(?:we|you|they)\s)", _I)
# a negation right after a relative pronoun ends with its relative clause, at the main verb's auxiliary
_RELATIVE = led(r"\b(?:that|which|who|whom)\s+(?:\w+\s+)?$", _I)
_MAIN_VERB = led(r"\b(?:is|are|was|were|will|shall|may|can|would|could|must)\b", _I)
# "we do not and will not sell": the second negation repeats the first, it does not cancel it
_COORDINATED = led(r"^[\s,]*(?:and|or)\s*(?:(?:do|does|did|will|shall|would|can|could|is|are|has|have|we|"
                          r"it|they)\s+)*$", _I)
# a verb phrase with its own auxiliary has its own polarity: "we shall not sell data, and shall use it" -> "use"
_OWN_AUXILIARY = led(r"\b(?:and|or)\s+(?=(?:will|shall|would|can|could|must|may|might|should|do|does|did|is|"
                            r"are|was|were)\b)", _I)
# "we shall not sell data, and shall not use it": a negation opening a coordinated verb phrase is that phrase's own
# (contracted too: "we don't sell data and don't target ads" -> "and do" before "n't")
_OWN_PHRASE = led(r"\b(?:and|or|but)\s+(?:(?:do|does|did|will|shall|should|would|can|could|may|must|is|are|"
                         r"was|were|has|have|had|to|also|we|it|they)\s+)*"
                         r"(?:(?<=\s)(?:do|does|did|wo|ca|sha|should|would|could|must|is|are|was|were|has|have|had))?$",
                         _I)
# "no advertising, no profiling": a list of negated objects, each with its own "no"
_LISTED_NO = led(r"\s*[\w'\u2019-]+(?:\s+[\w'\u2019-]+){0,3}\s*,\s*(?:(?:and|or|nor)\s+)?$", _I)
# "we set no cookies and allow no tracking": a negated object after a coordinated verb is that verb's own
_OWN_OBJECT = led(r"\b(?:and|or|but)\s+\w+\s+$", _I)
# a verb coordinated with the one before, its object negated: "it does not record X, and sends nothing to them"
_COORDINATED_VERB = led(r"(?:,\s*|\s)(?:and|or|but)\s+$|"
                       # ... or with a subject of its own after a comma: "..., and our pages carry no banners"
                       r",\s*(?:and|but)\s+(?:our|the|its|their|your|all|these|this|every|each)\s+"
                       r"[\w'-]+(?:\s+[\w'-]+)?\s+$",
                       _I)
# ... or a verb of its own tense after "and"/"but": "it does not record your location, and sends your reading
# speed to publishers" ("does not record or send" would share the negation)
_OWN_TENSE = led(r"(?:,\s*|\s)(?:and|but)\s+(?:also\s+|then\s+)?$", _I)
# what a negation inside it does not carry outside: a bracket ("(not including your name)"), a negative aside
# between commas (", not including your name,") and an exception set between an auxiliary and its verb ("we will
# not, unless required by law, disclose")
_ASIDE = led(r"\([^()]*\)|\[[^\[\]]*\]|,\s*not\b[^,()]*,|\b(?:will|shall|would|must|may|can|could|do|does|"
                    r"did|not|never)\s*(,\s*(?:unless|except|other than|save)\b[^,()]*,)", _I)
_TITLE_WORD = r"(?:[A-Z0-9][\w'\u2019&/-]*|of|to|and|or|for|the|with|by|on|in|from|a|an|our|your)"
_CAPS_WORD = r"[A-Z0-9][A-Z0-9'\u2019&/-]*"
# a heading run into the text on a line of its own ("No Disclosure\nWe will not..."), in capitals ("NO SALE We..."),
# numbered before a word that opens a sentence ("4.1 Data Sharing While we...") or denying what the sentence after it
# denies ("No sale of data Acme will not sell..."); one ending in a full stop or a colon
# ends at the sentence end or clause break already
_SENTENCE_OPENER = r"(?:We|Our|You|Your|If|When|While|Where|Unless|Although|Though|Because|This|These|Except)\b"
_HEADING = led(rf"^\W*(?:\d+(?:\.\d+)*\.?\s+)?"
                      rf"(?:{_TITLE_WORD}(?:[^\S\n]+{_TITLE_WORD}){{0,7}}[^\S\n]*\n(?=\s*[A-Z])|"
                      rf"{_CAPS_WORD}(?:[^\S\n]+{_CAPS_WORD}){{0,7}}[^\S\n]+(?=[A-Z][a-z]))|"
                      rf"^\W*\d+(?:\.\d+)*\.?\s+{_TITLE_WORD}(?:[^\S\n]+{_TITLE_WORD}){{0,7}}?[^\S\n]+"
                      rf"(?={_SENTENCE_OPENER})|"
                      # or a heading that denies ("No sale of personal data Acme will not sell it"), run into a
                      # sentence that denies the same with its own subject: its "No" is no second negation
                      rf"^\W*(?:No|Never)[^\S\n]+(?:[\w'\u2019&/-]+[^\S\n]+){{0,7}}?"
                      rf"(?=[A-Z][\w'\u2019&.-]*[^\S\n]+(?:[\w'\u2019&.-]+[^\S\n]+){{0,3}}"
                      rf"(?:(?:will|would|does|do|did|shall|is|are|has|have|may|can|could)[^\S\n]+(?:not|never)\b|"
                      rf"(?:never|cannot|(?:won|doesn|don|isn|aren|can)['\u2019]t)\b))")

# -- carve-outs ---------------------------------------------------------------------------------------------------
_CARVE_OUT = led(r"\b(?:except|unless|other than|apart from|save for|with the exception of|excluding|"
                        r"aside from|with (?:one|a single|an|two|a few|some|the following) exceptions?)\b|"
                        r"\bsave (?=(?:where|when|if|as|with|in)\b)", _I)
# consent taken as given by signing up: "(without your consent,) which you give by accepting these terms"
_GIVEN_BY_SIGNING_UP = (r"(?:\b(?:which|that) you (?:give|provide|grant|do)\b[^.;]{0,30}\b"
                        r"(?:by|when|upon|on|as) (?:you )?"
                        r"(?:accept\w*|agree\w*|us(?:e|ing)|register\w*|sign\w* up|creat\w*|open\w*)\b|"
                        r"\b(?:which|that|it) (?:is|will be|shall be) (?:assumed|deemed|implied|presumed|inferred)\b)")
# contact details alone, which a promise may be limited to
_CONTACT_DATA = (r"(?:(?:full |user ?|real )?names?|e-?mail(?: address(?:es)?)?|(?:postal |home |mailing )?addresses|"
                 r"(?:postal|home|mailing) address|"
                 r"(?:tele)?phone numbers?|contact (?:details|information|data))")
# the vendor as the one who acts or judges, in its own words ("we"), by name ("Kestrel", "Provider") or as "it"
_WE = r"(?:we|it|(?:the )?(?:provider|supplier|vendor|licensor|company|contractor)|(?-i:[A-Z][\w&-]+))"
# a promise limited by its own terms: "we do not sell your data to third parties for their marketing purposes", "...
# for a third party's marketing purposes" (its apostrophe in whatever encoding an old page left it)
_LIMITED_SOURCE = (
    r"\bfor (?:use in )?(?:their|its|his|her|(?:a|the|any) (?:third[- ]party|recipient|partner)\S{1,4}s|"
    r"third[- ]parties'|(?:the )?recipients') (?:own )?(?:direct )?(?:marketing|advertising|promotional|commercial)"
    r"(?: purposes)?\b|"
    # ... or to some recipients only: "to non-affiliated third parties" leaves affiliates open
    # ("whether to non-affiliated third parties or to its own affiliates" names both)
    r"(?<!\bwhether )\b(?:to|with) (?:any )?(?:non-?affiliated|unaffiliated|unrelated) (?:third[- ]part\w+|companies|"
    r"parties|organi[sz]ations|businesses)\b(?!\s*,?\s*(?:or|and|nor) (?:to |with )?(?:its|our|their|any|the) (?:own )?"
    r"(?:affiliat|group|related|sister|parent|subsidiar)\w*)|"
    # ... or to some data only, the rest left open: "names and e-mail addresses are never sold"
    rf"^\W*(?:[\w'\u2019]+\s+){{0,2}}?{_CONTACT_DATA}(?:\s*(?:,|and|or)\s*{_CONTACT_DATA})*\s+(?:are|is|will|shall|"
    r"would)\s+(?:(?:not|never)\b|\w+\s+(?:not|never)\b)|"
    # a usual practice is no promise: "we generally do not share it", "we do not ordinarily sell it"
    r"\b(?:generally|usually|typically|ordinarily|normally)\s+(?:(?:do|does|will|shall|would|are|is)\s+)?"
    r"(?:not|never|only)\b|"
    r"\b(?:generally|usually|typically|ordinarily|normally|as a (?:general )?rule|in (?:most|general) cases|"
    r"in principle|for the most part),\s+(?:[\w'\u2019-]+\s+){0,4}?(?:not|never|only)\b|"
    r"(?:\bnot|n't|\bnever)\s+(?:\w+\s+)?(?:generally|usually|typically|ordinarily|normally)\b|"
    # the need stretched by what it is said to include: "the data needed for our services, which include marketing"
    r"\b(?:which|that) (?:also )?(?:include|includes|cover|covers|extend to|extends to|encompass|encompasses|"
    r"comprise|comprises)\b[^.;]{0,80}\b(?:marketing|advertising|promotions?|(?:personali[sz]ed |special )?offers|"
    r"sponsored|research|product development|analytics|profiling)\b|"
    # ... or by the purposes it is said to serve: "only what we need to run our business and support our marketing"
    r"\b(?:need|needed|necessary|required)\s+(?:to|for)\b(?:(?!\b(?:not|never|no|without)\b)[^.;]){0,100}?"
    r"\b(?:marketing|advertising|promotions?|promotional)\b|"
    # a notice that comes once the data is gone: "we tell the library after the data has been provided"
    r"\b(?:after|once) (?:the |your |such |any )?(?:data|information|records|details|disclosure)\b[^.;]{0,20}"
    r"\b(?:has|have|is|are) (?:already )?been (?:provided|disclosed|released|handed over|produced|shared|supplied|"
    r"turned over|given)\b|\b(?:after|once) (?:we've |" + _WE + r" (?:has|have) )(?:disclosed|complied|responded|"
    r"provided|handed)\b|"
    r"\bafter (?:the )?(?:disclosure|fact)\b|"
    # a second limb for some cases, which does otherwise: "on their behalf and, in some cases, on our own behalf"
    r"\b(?:and|but|or|though|although|which|yet)\s*,?\s*(?:in (?:some|certain|limited|other|rare) (?:cases|"
    r"circumstances|instances|situations)|sometimes|occasionally)\b(?![^.;]{0,40}\b(?:sooner|earlier|faster|"
    r"immediately|more quickly|shorter)\b)|"
    r"\bwithout (?:first )?(?:telling|notifying|informing) you\b|"
    # a scope the vendor sets itself: "only the data we need, which includes anything we consider useful"
    r"\b(?:anything|whatever|any (?:other |further |additional )?(?:data|information|details))(?: else)? "
    r"(?:(?:that|which) )?" + _WE + r" (?:may )?(?:consider|deem|find|think|judge|believe)s?\b|"
    # ... or a condition the vendor alone judges: "subject to our approval", "where we think it appropriate"
    r"\bsubject to (?:[^.;,]{0,30}\b(?:and|or) )?(?:our|its|the company's|the vendor's) (?:sole |own |prior )?"
    r"(?:approval|discretion|agreement|judge?ment|decision)\b|"
    r"\b(?:where|when|if|as|whenever) " + _WE + r" (?:think|deem|consider|judge|believe|feel|find)s? "
    r"(?:it |this |that |them |so )?(?:is |to be )?(?:appropriate|necessary|fit|useful|reasonable|helpful|warranted|"
    r"practical|advisable)\b|"
    r"\bwithout (?:first )?(?:giving|providing|offering) you "
    r"(?:notice|(?:the|an?) (?:chance|opportunity|choice|option))\b|"
    # (what a record is cut off from is no limit of the promise: "we separate the loan from anything that identifies
    # you")
    r"\bin (?:a )?(?:personally )?identifiable form\b|"
    r"(?<!\bfrom anything )(?<!\bfrom everything )(?<!\bfrom all data )(?<!\bfrom any data )"
    r"\bthat (?:directly |personally )?identifies you\b|"
    rf"\b(?:consent|permission|agreement)\b[^.;]{{0,20}}{_GIVEN_BY_SIGNING_UP}|"
    # a promise that holds only once the user opts out is an opt-out: "we will not sell it if you opt out"
    r"\b(?:if|once|when|after|provided(?: that)?|as long as) you (?:have )?(?:opt(?:s|ed)?[- ]?out|unsubscrib\w*|"
    r"object|tell us not to|ask us not to)\b|"
    # a condition the vendor meets by itself: "we never share it without a good business reason", "... without first
    # removing your name" (what is left is still about you), "... without a legitimate request"
    r"\bwithout (?:a |an )?(?:good |legitimate |valid |sound |proper |genuine )?(?:business )?"
    r"(?:reason|purpose|need)\b|"
    r"\bwithout (?:first )?(?:removing|stripping|deleting|masking|replacing) (?:your |their |the )?(?:names?|"
    r"identit(?:y|ies)|identifiers?|contact details)\b|"
    r"\bwithout (?:a |an )(?:legitimate|proper|reasonable|appropriate|genuine) request\b|"
    # a sale denied only in a narrow sense of the word: "we do not sell it for money", "... in the traditional sense"
    # ("for money or other valuable consideration" is the full sense)
    # (one of a list of senses, each denied, is no narrow sense: "not for money, not in exchange for services")
    r"(?<!\bnot )(?<!\bnor )(?<!\bneither )\b(?:for|in exchange for|in return for) (?:money|cash|(?:a )?(?:monetary|"
    r"financial) (?:consideration|value|"
    r"compensation|gain|payment|profit|reward)|(?:a )?(?:cash )?payment)\b"
    # (... nor the first of a list that ends on other value: "for money, services or any other kind of value")
    r"(?!\s*,?\s*(?:or|nor)\b|(?:\s*,\s*(?:\w+\s+){0,3}?\w+){1,4}\s*,?\s*(?:or|nor)\b)|"
    r"\bin the (?:traditional|conventional|ordinary|usual|common|classic|classical|strict|literal|narrow|"
    r"everyday) sense\b|\bas (?:that|the|this) (?:term|word) is (?:traditionally|commonly|conventionally|usually|"
    r"generally|normally|ordinarily) (?:understood|used|meant)\b")
_LIMITED = led(_LIMITED_SOURCE, _I)
# the patterns above that most passages lack the words of: searched where their gated form (`cues.folded`, read
# with the rules' patterns: `GATED`) finds a match
GATED = (_LIMITED_SOURCE,)
# ... or whose object is contact data alone, the list ending there: "we never sell your e-mail address" (an item of a
# list is read with the items beside it, which may promise the rest)
_CONTACT_ONLY = led(
    rf"(?:\bnot|n't|\bnever)\s+(?:\w+\s+)?(?:sell|share|rent|disclose|trade|give|provide|pass|use)\w*\s+"
    rf"(?:out\s+|on\s+)?(?:your |users' |patrons' |the )?{_CONTACT_DATA}(?:\s*(?:,|and|or|nor)\s*(?:your )?"
    rf"{_CONTACT_DATA})*\b(?=\s*(?:[.;!]|$)|\s+(?:to|with|for|from|on|at|by|without|unless|except|outside)\b)", _I)
# a promise the vendor keeps the right to change or to drop, in its own sentence: "we do not share it today, but we
# may do so in the future", "... and nothing here restricts our right to do so later"
_CHANGEABLE = led(
    r"(?:\b(?:but|although|though|yet|and|while)|;)\s+(?:we\s+)?(?:may|might|could|reserve the right to|"
    r"retain the right to|"
    r"are free to)\b[^.;]{0,80}?\b(?:in (?:the )?future|later|at a later (?:date|time|stage)|"
    r"in (?:a |any )?future (?:release|version|update)s?|going forward|from now on|start(?:s|ing)?|begin(?:s|ning)?|"
    r"do so|do that|change (?:this|that|our (?:practice|mind)))\b|"
    r"\bnothing\b[^.;]{0,60}\b(?:restricts?|limits?|prevents?|precludes?|stops?)\s+(?:us from|our (?:right|ability|"
    r"freedom|discretion))\b|\b(?:may|might|can|could) make (?:an )?exceptions?\b|"
    # or left to the vendor's choice: "we tell the library when we choose to"
    r"\b(?:when|if|where|as|whenever) we (?:so )?(?:choose|decide|wish|see fit|elect|think fit)(?: to(?: do so)?)?"
    r"\s*(?:[.;,)]|$)|"
    # ... or one kept for a part, a limb denying the rest: "encrypted between our servers, but not between your device
    # and our servers" (storage denied beside a promise about transit is another matter)
    r",?\s+(?:but|though|although|yet)\s+not\s+(?!at rest\b|in storage\b|on (?:disk|our servers)\b|when stored\b)"
    r"(?:between|for|on|in|within|when|over|to|from|during|across|inside|through|via|where|if)\b|"
    # ... or to its own judgement: "only with a court order, or at our sole discretion in other cases"
    r"\b(?:at|in) (?:our|its|the company's|the vendor's) (?:sole |own |absolute |complete |full |unfettered )?"
    r"(?:discretion|judge?ment)\b|"
    # or one made for a part only, the rest said after a semicolon: "...; for all other accounts it is kept", "...; our
    # mobile apps also gather location data", "...; account details may be given to police on request"
    r";\s*(?:but\s+|however,?\s+)?(?:for|to|with|on|in) (?:all |any |every )?other (?:users?|accounts?|readers?|"
    r"patrons?|customers?|members?|data|information|records|residents|platforms|apps?|services?|sites?)\b|"
    # ... or for members, the guests said after a semicolon: "...; visitors to our website are ..."
    r";\s*(?:but\s+|however,?\s+)?(?:(?:our|the|casual|anonymous|website|site) )?(?:guests|visitors|non-?members|"
    r"non-?subscribers|unregistered (?:users|visitors|readers))\b|"
    r";\s*(?:but\s+)?(?:(?:in|on|through|within) )?(?:our|the) (?:mobile |reading |web |desktop )?(?:apps?|"
    r"applications?|websites?|site|platform|reader)\b[^.;]{0,30}\b(?:also|additionally|as well)\b|"
    r";\s*(?:but\s+)?(?:in|on|through|within) (?:our|the) (?:mobile |reading |web |desktop )?(?:apps?|applications?|"
    r"websites?|site|platform)\b(?![^.;]*\b(?:no|not|never|nothing|none|alike|both|either)\b)|"
    r";\s*(?:but\s+)?(?:older|other|legacy|remaining|some|certain)\b[^.;]{0,60}\b(?:do|does|did|is|are|will) not\b|"
    # ... the rest said to be covered elsewhere: "...; the audiobook player is covered by a separate notice"
    r";\s*[^.;]{0,60}\b(?:is|are) (?:covered|governed|addressed) (?:by|in) (?:a |its )?(?:separate|different|"
    r"another|other)\b|"
    # ... and the rest of the data, traffic or providers left out: "...; other traffic is sent in the clear"
    r";\s*(?=[^.;]{0,60}\b(?:(?:other|older|legacy|remaining) (?:[\w-]+ )?(?:traffic|data|information|records|pages|"
    r"parts|systems|devices|apps|accounts|users|connections|providers|services|titles)|elsewhere|the rest)\b)"
    r"(?=[^.;]{0,120}(?:\bnot\b|n't\b|\bin the clear\b|\bunencrypted\b|\bplain ?text\b|\btheir own\b))|"
    r";\s*(?:but\s+|however,?\s+)?(?:(?:your|our|the|other|any) )?(?:[\w-]+ ){0,2}(?:details|data|information|"
    r"records)\b[^.;]{0,60}\b(?:may|can|will) (?:also )?be (?:given|disclosed|released|shared|provided|passed|"
    r"handed)\b|"
    # ... or data deleted from the live systems, its backups left to lapse unbounded: "...; backups expire over time"
    r"\b(?:live|active|production|primary|operational|main) (?:systems?|databases?|servers?|environments?)\b"
    r"[^.]{0,80}\bback-?ups?\b[^.]{0,60}\b(?:over time|eventually|in due course|in (?:the )?(?:normal|ordinary|usual|"
    r"regular) (?:course|cycle)|(?:may|can|will) (?:persist|remain|linger|be (?:kept|retained))|"
    r"until (?:they are )?(?:overwritten|rotated|replaced))\b|"
    # ... or kept for a part only, the rest in a contrast: "..., but certain features require your e-mail address"
    r"(?:[,;]\s*|\b)(?:but|however|although|though|yet)\b,?\s*(?:certain|some|other|specific|particular|selected|"
    r"a few)\s+(?:[\w-]+\s+){0,3}?(?:features?|services?|functions?|parts?|areas?|sections?|content|titles?|tools?|"
    r"pages?|products?|activities|options|collections?|resources?|materials?|downloads?|items?)\b[^.;]{0,60}"
    r"\b(?:require|requires|need|needs|depend on|call for|ask for)\b", _I)
# a promise made for a part of what the criterion asks of the whole: for some people ("for users in the EU",
# "account holders' data", "adult users", "students of member schools", "premium subscribers"), some channels ("in
# the mobile app", "on our own pages", "in our newsletter"), some data ("payment data is encrypted"), some recipients
# ("never sold to data brokers"), some times ("currently", "during your subscription", "for the first 30 days") or
# some plans ("on our premium plan"); read only where no word makes it everyone's (`_EVERYONE`)
_PEOPLE = (r"(?:users?|patrons?|readers?|customers?|members?|subscribers?|consumers?|students?|libraries|library|"
           r"borrowers?|minors|children|visitors|residents|institutions|schools|(?:service )?providers|"
           r"(?:sub)?processors)")
_SOME_SCOPE = led(
    # people of some places: "users in the EU", "minors in Connecticut", "libraries based in Canada"
    rf"\b{_PEOPLE}\s+(?:who (?:live|reside|are based|are located) in|(?:based|located|residing|living) in|in|from)\s+"
    r"(?:the\s+)?(?-i:[A-Z][\w.]*)(?!\s*(?:,|and|or)\s+(?:everywhere|elsewhere|anywhere|all|every|other))|"
    r"\bif you (?:live|reside|are (?:an? )?(?:[A-Z]\w+ )?(?:resident|citizen|located|based))\b|"
    r"\bresidents? of (?:the )?(?-i:[A-Z])|"
    # people of some kinds: "adult users", "logged-in members", "account holders", "guests", "member schools"
    rf"\b(?:adult|logged-in|signed-in|paying|premium|enterprise|institutional|ad-free|"
    rf"(?-i:EU|EEA|UK|US|Californian?|Canadian|European))\s+{_PEOPLE}\b(?!\s+(?-i:[A-Z]))|"
    r"\b(?:for|to|of) guests\b|\b(?:for|of) account[- ]holders\b|\baccount[- ]holders['\u2019]|"
    # ... in a relative clause or on a plan: "patrons who are signed in", "readers who have logged in", "members on
    # the family plan", "users with a paid subscription"
    rf"\b{_PEOPLE}\s+(?:who|that)\s+(?:are|have|remain|stay)\s+(?:signed|logged)[- ]?(?:in|on)\b|"
    rf"\b{_PEOPLE}\s+(?:on|with|under)\s+(?:a|an|the|our)\s+[\w-]+\s+(?:plan|tier|subscription|package|licen[cs]e)s?\b|"
    r"\bof (?:member|participating|partner) (?:schools|libraries|"
    r"institutions)\b|"
    # some plans or products: "on our premium plan", "for our premium catalogue"
    r"\b(?:premium|enterprise|institutional|paid|pro|plus|business|ad-free|basic|free) (?:plan|tier|subscription|"
    r"package|edition|catalogue|catalog)s?\b|"
    # some channels: "in the mobile app", "on our own pages", "in our newsletter", "our reading app"
    r"\b(?:mobile|kids['\u2019]?|children['\u2019]?s|iOS|Android|desktop) (?:app|apps|application)\b"
    r"(?!\s*(?:,|and|or)\s+(?:on |in )?(?:the |our )?(?:web ?site|site|web|desktop|other))|"
    r"\bour own (?:pages|sites?|web ?sites?)\b|\b(?:in|through) (?:our|the) newsletters?\b|"
    r"^\W*(?:in|on|within|through) (?:our|the) (?:[\w-]+ )?(?:web ?site|site|app)\b"
    r"(?!\s*(?:,|and|or)\s+(?:on |in )?(?:the |our )?(?:web ?site|site|apps?))|"
    # ... some pages, as what is promised: "sign-in pages use HTTPS" (a notice posted on one is no limit)
    r"^\W*(?:our |the )?(?:sign-?in|log-?in|login|checkout|payment) pages?\b|"
    # some data: "payment data is encrypted", "payment card details are encrypted at rest"
    r"^\W*(?:your |all |our )?(?:payment|credit card|payment card) (?:data|details|information)\b|"
    # ... or contact data alone, as what is promised: "patron e-mail addresses are used only ...", "we use your contact
    # details only to ..."
    rf"^\W*(?:(?!IP\b)[\w'\u2019]+\s+){{0,2}}?{_CONTACT_DATA}(?:\s*(?:,|and|or)\s*{_CONTACT_DATA})*\s+(?:are|is|will|"
    r"shall|may)\s+(?:only\s+)?(?:\w+\s+)?(?:released|used|disclosed|shared|given|provided|passed|processed)\b|"
    rf"\b(?:use|share|disclose|release|give|pass|provide)\w*\s+(?:your |users' |patrons' |patron |the )?"
    rf"{_CONTACT_DATA}(?:\s*(?:,|and|or)\s*(?:your )?{_CONTACT_DATA})*\s+only\b|"
    r"\bprotect\w* (?:your )?(?:payment|card|billing) (?:data|details|information)\b|"
    # some recipients: "not sold to data brokers"
    r"\bto (?:data )?brokers\b(?!\s*(?:,|or|and|nor)\b)|"
    # ... or only to those the reader does not know, leaving partners and friends of the vendor open: "never sold to
    # strangers", "not rented to outsiders"
    r"\bto (?:strangers|outsiders|unknown (?:companies|parties|third parties|firms))\b(?!\s*(?:,|or|and|nor)\b)", _I)
# ... or for some time only, whoever it is made for: "currently", "for now", "during your subscription", "for the
# first 30 days"
_FOR_A_TIME = led(
    r"\b(?:currently|presently)\s+(?:only\s+)?(?:do|does|will|is|are|not|never|use|require|release|give|sell|share|"
    r"disclose|encrypt|keep|collect|provide|contain|send|treat|limit)\w*\b|\b(?:do|does|is|are|will)\s+not\s+"
    r"(?:currently|presently)\b|\b(?:at present|for now|at the moment|for the time being)\b|"
    r"\b(?:while|as long as) (?:your|the) (?:subscription|account|membership|trial|contract) (?:is|remains) "
    r"(?:active|open|in force)\b|\b(?:during|for the (?:duration|life|term) of) (?:your|the|a) (?:subscription|"
    r"membership|trial|free trial)\b|\bfor the first \d+ (?:days|weeks|months)\b|\bof (?:a|the|your) "
    r"(?:library's |free )?trial\b", _I)
# ... or for most cases only, a usual practice and no promise: "we generally treat it as the library's", "in most cases
# you can read without an account" (what a word usually means, or a standard generally accepted, limits nothing; nor
# does a right granted by law, which has the law's own exceptions: "you have the right, in most cases, to erasure")
_USUALLY = led(
    r"(?<!\bright )(?<!\bright, )(?<!\bentitled )(?<!\bentitled, )"
    r"\b(?:generally|usually|typically|ordinarily|normally|for the most part|most of the time|as a (?:general )?rule|"
    r"in (?:most|many|the majority of) (?:cases|instances|circumstances|situations))\b"
    r"(?!\s+(?:accepted|recogni[sz]ed|available|applicable|understood|known|used|meant|"
    r"expected|required)\b)"
    # (nor does the usual means or time of a right kept whatever the means: "you can usually do this in your account
    # settings", "we will usually answer within 30 days")
    r"(?![^.;]{0,80}\b(?:within (?:\d+|a|one|two|three|thirty|\w+ \(\d+\)) ?-?(?:calendar |business |working )?"
    r"(?:days?|weeks?|months?|day)|"
    r"using (?:the |your |our )?(?:account |privacy )?(?:settings|tools|controls|dashboard)|"
    r"by logging in(?:to)?|(?:in|through|via|from) your account(?: settings| page| dashboard)?)\b)", _I)
# ... a limit that leaves no one and nothing out: "for all users, wherever they live", "whatever their plan"
_EVERYONE = led(r"\b(?:wherever|whichever|whatever (?:their|your|its)|regardless of|everywhere|elsewhere|"
                r"anywhere else|alike|(?:signed|logged)[- ]?(?:in|on) or (?:not|out)|"
                r"whether or not (?:you|they) (?:are|have) (?:signed|logged)|"
                rf"adult or child|including (?:those|all|{_PEOPLE})|"
                rf"(?:all|every|any|each) {_PEOPLE}(?!\s+(?:data|records|information|details|files))|"
                r"(?:all|every|any|each) (?:app|site|device|plan)s?|"
                # the parts named as alternatives that all count: "whether from the website, the mobile apps or a
                # library's integration", "whether you use the app or the site"
                r"whether (?:\w+ ){0,2}?(?:from|on|in|by|through|via|at|you use)\b[^.;?]{1,80}?\bor\b(?!\s+not\b))\b",
                _I)
# ... an app named after the website, or as part of the whole service, is no channel of its own: "through our website
# or our mobile app", "neither the website nor the mobile app", "the service, including the mobile app"
_WHOLE_SERVICE = led(r"(?:\b(?:web ?sites?|site|web)\s+(?:or|nor|and|as well as)|\bincluding|\bboth)\s+(?:(?:in|on|"
                     r"through|via)\s+)?(?:(?:the|our|its)\s+)?(?:(?-i:[A-Z])[\w-]*\s+)?$", _I)
# a right kept in other words: "nothing in this policy limits our ability to", "nothing here prevents us from"
_NOTHING_LIMITS = (r"nothing (?:in|here|herein)\b[^.;]{0,60}\b(?:restricts?|limits?|prevents?|precludes?)\s+"
                   r"(?:us from|our (?:right|ability|freedom|discretion))")
# a next sentence that qualifies a promise, when it speaks of a data practice
_QUALIFIER = led(r"(?:\w+(?:\s+\w+){0,3},?\s+)?(?:however|but|instead|nevertheless|nonetheless|"
                        r"notwithstanding(?: the foregoing| this)?|that said|please note(?: that)?|exceptions?|"
                        r"except\b|save (?:that|for|where|when)|apart from|aside from|other than)\b|"
                        # or set off inside its first clause: "Our affiliates may, however, receive it"
                        r"[^.;:]{1,80}?,\s*(?:however|nevertheless|nonetheless|that said),|"
                        # or a right reserved, about the same practice: "Nothing in this policy limits our ability to
                        # retain data for longer.", "We reserve the right to collect more at any time."
                        rf"\W*(?:{_NOTHING_LIMITS}|(?:we|the company) (?:reserve|retain)s? the right to)\b", _I)
# consent the vendor takes as given by an act that is no consent: "we treat your use of the site as your consent"
_DEEMED_CONSENT = (r"(?:consider|deem|treat|regard|take)s?\b[^.;]{0,60}\b(?:acceptance|use|agreement|registration|"
                   r"sign-?up|accepting|using|registering)\b[^.;]{0,60}\b(?:consent|permission|agreement|"
                   r"authori[sz]ation)\b")
# a next sentence that narrows the promise before it, whatever it speaks of: "This does not include partners who..."
_NARROWS = led(r"^\W*(?:this|that|the (?:above|foregoing)|these (?:commitments|restrictions|limits))\s+"
                      r"(?:(?:does|do|shall|will)\s+not|doesn't|won't)\s+(?:include|apply|cover|extend)\b|"
                      r"^\W*this (?:excludes|is not true of|does not hold for)\b|"
                      # ... or says that some part is left out of it: "Our mobile apps are not covered.", "The same
                      # protection does not extend to audiobooks.", "Podcasts are excluded."
                      r"^(?!\W*(?:nothing|no|none|nobody|not)\b)[^.;:]{1,100}?\b(?:is|are)\s+(?:(?:not|never)\s+"
                      r"(?:covered|included)\s*(?:by|)|(?:excluded|exempt(?:ed)?)\s*(?:from|))\s*(?:(?:this|that|it|"
                      r"these|the (?:above|foregoing|same))\b|\W*$)|"
                      r"^\W*(?:it|the same(?: [\w-]+)?|this (?:promise|commitment|protection|rule|setting))\s+"
                      r"(?:(?:does|do|shall|will)\s+not|doesn't|won't)\s+(?:apply|extend)\s+to\b|"
                      # consent taken as given, said next: "We consider your acceptance of these terms such consent."
                      rf"^\W*(?:we|the company|the vendor)\s+(?:will\s+)?{_DEEMED_CONSENT}|"
                      # a change reserved in the next sentence: "We reserve the right to begin doing so."
                      r"^\W*(?:however,?\s+)?we (?:reserve|retain) the right to (?:begin|start|change|do so|"
                      r"revise (?:this|that))",
                      _I)
_PRACTICE = led(r"\b(?:shar|disclos|sell|sold|rent|transfer|provid|releas|us(?:e|es|ed|ing)\b|access|exchang|receiv|"
                       r"(?:keep|retain|hold|store)s? (?:a |an \w+ |their own |its own )?cop|"
                       r"(?:place|set|load|embed|drop)s? (?:[\w-]+ ){0,3}?(?:cookies|pixels|tags|beacons|trackers)\b|"
                       r"distribut|licens|trad|pass|giv|sen[dt]\b|transmit|target|collect|track|see\b|view|"
                       r"make \w+ available|pa(?:y|ys|id) us\b|show(?:s|ing)? you\b)\w*",
                       _I)
# a sentence that takes a promise back without a "however": "We do share it with our advertising partners"; it must
# do what the promise ruled out, with someone outside the vendor ("We may use it to improve the service" does not)
_TAKES_BACK = led(r"^\W*(?:we|they|it|our (?:company|partners|service))\s+(?:do|does|did|will|may|might|can|"
                         r"could|also|still|sometimes|occasionally)\b(?!\s+(?:not|never)\b)", _I)
_RECIPIENT_WORDS = (r"\b(?:partners?|advertis\w*|third[- ]part\w+|affiliat\w+|sponsors?|marketers?|"
                    r"(?:other )?companies|organi[sz]ations|brokers?|publishers?|other (?:firms|businesses|parties))\b")
_RECIPIENT = led(_RECIPIENT_WORDS, _I)
# ... or one whose subject is a recipient, who may still get the data: "Affiliated companies may receive it"
_RECIPIENT_FIRST = (rf"^\W*(?:(?:our|the|its|some|certain|selected|trusted|other)\s+)?(?:[\w-]+\s+){{0,2}}?"
                    rf"{_RECIPIENT_WORDS}")
_RECIPIENT_SUBJECT = led(_RECIPIENT_FIRST, _I)
_RECIPIENT_TAKES = led(rf"{_RECIPIENT_FIRST}[^.;]{{0,60}}?\b(?:may|might|can|could|will|do|does|also|still|sometimes|"
                       r"occasionally)\b(?!\s+(?:not|never)\b)(?=[^.;]{0,40}\b(?:receiv|get|obtain|access|see|view|"
                       r"use)\w*)", _I)
# totals or counts, which are not the data a promise was about: "Publishers, however, see only how many times ..."
_TOTALS = led(r"\b(?:aggregate|anonymi[sz]|de-?identif|statistic|totals?|counts?|how many)\w*", _I)
# a contrast later in the same sentence: "We do not sell your data, but we may share it with partners"; "...;
# instead we let advertisers target you"
_CONTRAST = led(r"(?:,|;)\s*(?:but|however|yet|instead|although|though|whereas)\b|\bbut (?:we|they|it)\b|"
                       # (a limb that denies in its turn takes nothing back: "...; we never pass it to ad networks")
                       r";\s*(?=(?:we|they|it)\b(?!\s+(?:(?:do|does|will|shall|would|can)\s+)?(?:not|never|neither)\b|"
                       r"\s+(?:don't|doesn't|won't|can't)\b))|;\s*(?=[^;,]{1,40},\s*however\b)", _I)
# ... one that says the vendor or the recipients do more besides: "..., though they may also receive postcodes"
_DOES_MORE = led(r"\W*(?:we|they|it|(?:our|the|these|such|those|some) [\w-]+(?: [\w-]+)?)\s+(?:(?:may|might|can|"
                 r"could|will|would|do|does|did|are|is)\s+)?(?:also|still|additionally|nonetheless|nevertheless)\b"
                 r"(?!\s+(?:not|never)\b)", _I)
# ... or one in which the vendor acts on its own account: "..., but as an independent controller for usage data"
_OWN_ACCOUNT = led(r"\b(?:(?:independent|separate|own|sole) (?:data )?controllers?|on (?:our|its|their) own "
                   r"(?:behalf|account)|for (?:our|its|their) own (?:purposes|use|benefit|products|marketing)|"
                   r"(?:under|by|to) (?:their|its) own (?:privacy )?(?:polic(?:y|ies)|terms|notices?)|"
                   r"(?:follow|apply|set)s? (?:their|its) own (?:privacy )?(?:polic(?:y|ies)|terms|rules))\b", _I)
# a next sentence on the rest of the data, which the promise before it left out: "Other account data is kept for as
# long as we need it" (unless it makes the same promise, or any other)
_THE_REST = led(r"^\W*(?:(?:all|any|the|our|your)\s+)?(?:(?:other|remaining)\s+(?:[\w-]+\s+){0,2}?(?:data|"
                r"information|records|logs|details|history|histories|files|content|activity)|(?:the )?rest of "
                r"(?:the |your |our )?(?:data|information|records)|everything else)\b", _I)
# ... or on other people's data, passed to someone outside: "Information from individuals who register directly on
# our consumer site may be licensed to marketing partners" after a promise for library users only
_OTHER_PEOPLE = led(r"^\W*(?:(?:the|any|all)\s+)?(?:data|information|details|records|profiles?)\s+"
                    r"(?:from|about|of|on)\s+(?:\w+\s+)?(?:individuals|users|visitors|people|persons|customers|readers|members|subscribers|"
                    r"patrons|accounts|those)\s+(?:who|that|whose|without)\b", _I)
# ... or, after a deletion promised, a qualifying sentence that keeps some data on: "Some data, however, remains in our
# archives indefinitely"
_DELETES = led(r"\b(?:delet|eras|remov|purg|destroy|unlink|anonymi[sz])\w*", _I)
_KEEPS_ON = led(r"\b(?:remain|stay|persist|linger|kept|keep|retain|stored|store|held|hold)\w*\b[^.;]{0,60}"
                r"\b(?:indefinitely|forever|permanently|in (?:our|its) (?:archives?|back-?ups?)|(?:for )?as long as"
                r"(?! (?:the |applicable |any )?(?:laws?|statutes?|regulations?|legal)\b))\b", _I)
# ... or, with or without a "however", one that keeps some data tied to the reader or kept for good: "Audiobook
# history stays linked to your account", "Listening logs are retained indefinitely"
_STAYS_LINKED = led(r"\b(?:remain|stay|kept|keep|retain|stored|store|held|hold)\w*\b[^.;]{0,40}\b(?:tied|linked|"
                    r"attached|associated|connected)\s+(?:to|with)\s+(?:your|the|a|an|each|their)\b|"
                    r"\b(?:remain|stay|kept|retain|stored|held)\w*\b[^.;]{0,60}\b(?:indefinitely|forever|"
                    r"permanently)\b", _I)
# ... or, as the thing taking the promise back, a right kept to do what it ruled out: "Nothing in this notice, however,
# restricts our right to license datasets", "We reserve the right to collect engagement metrics" (not_met: the
# promise describes today only); a right to change the policy is not one
_RESERVES = led(rf"(?:\b(?:reserve|retain)s? the right to\b|\b{_NOTHING_LIMITS}(?: to)?)"
                r"(?!\s+(?:change|amend|update|modify|revise|alter)\b)", _I)
# a next sentence that is an exception by its form, naming recipients: "Except, of course, with our affiliates."
_OPENS_EXCEPTION = led(r"^\W*(?:except|save|apart from|aside from|other than|with (?:one|a single|the) exceptions?)\b",
                       _I)
_CARVE_OUT_END = led(r"[;.,]", _I)  # an exception is one clause: "unless legally prohibited, notify..."
_RELATIVE_AFTER = led(r",\s*(?:who|which|that)\b", _I)  # ... with a relative clause describing it
_LEGAL = led(
    # what the law merely permits is no duty: "except as permitted by law" leaves every lawful disclosure open
    r"\b(?:required|compelled|mandated|necessary|obliged|obligated) (?:to do so )?"
    r"(?:by|under) (?:applicable |the )?(?:laws?|statutes?|regulations?|legal)|\bsubpoena|\bcourt order|\bwarrant\b|"
    r"\border (?:of|from|by) (?:a|the) court\b|\bjudicial order|"
    r"\blegal process|\bcomply with (?:a |an |any |the |our )?(?:applicable )?(?:laws?|legal|valid)|"
    r"\blegal obligations?\b|\b(?:courts?|judges?) (?:has |have )?(?:ordered|directed|instructed) us\b|"
    r"\b(?:laws?|statutes?|regulations?|legislation) (?:requires?|compels?|obliges?|"
    r"obligates?|mandates?)\b|\b(?:a|the|any) (?:laws?|statutes?|courts?|judges?) (?:makes?|forces?) us\b|"
    # a duty or a prohibition by the law or a court: "unless legally prohibited", "unless the order forbids it"
    r"\b(?:legally|lawfully|judicially) (?:prohibited|forbidden|barred|precluded|prevented|restrained|required|"
    r"compelled|obligated|obliged|bound|mandated)\b|"
    r"\b(?:prohibited|forbidden|barred|precluded|prevented|restrained) (?:from (?:doing so|so doing|\w+ing) )?"
    r"(?:by|under) (?:(?:applicable|the|a|an|any|such|that|this|valid|court|gag|protective) )*(?:laws?|statutes?|"
    r"regulations?|courts?|orders?|judges?|warrants?|subpoenas?|legal process)\b|"
    r"(?:\b(?:the|a|an|any|such|that|this|applicable) (?:(?:court|gag|judicial|protective|governing|applicable) )*"
    r"(?:courts?|orders?|judges?|warrants?|subpoenas?|legal process|statutes?|regulations?)|\blaws?) (?:itself |"
    r"expressly |specifically )?(?:forbids?|prohibits?|bars?|prevents?|precludes?|restrains?|does not (?:permit|"
    # (or has done so: "unless a court has forbidden it", "where a judge has barred us from telling")
    r"allow)|(?:has|have) (?:expressly |specifically )?(?:forbidden|prohibited|barred|prevented|precluded|"
    r"restrained))\b", _I)
# grounds the vendor judges for itself: beside a legal ground they still leave a hole ("except to comply with court
# orders or to cooperate with law enforcement when appropriate")
_VOLUNTARY = led(
    r"\bcooperat\w* with\b|\bassist\w* (?:with |in )?(?:law enforcement|the police|investigations?|authorities)\b|"
    r"\b(?:when|where|as|if) (?:we (?:believe|deem|consider|think|determine)|(?:it is )?(?:appropriate|advisable))\b|"
    r"\bgood[- ]faith\b|\b(?:protect|enforce|defend) (?:our|its|the company's)\b|\bpublic (?:safety|policy)\b|"
    r"\b(?:or|and) (?:we|it|the company) (?:think|believe|consider|deem|decide|judge|determine)s?\b|"
    r"\bfraud\w*\b|\binvestigat\w+", _I)
_DEEMED = led(rf"\b{_DEEMED_CONSENT}", _I)
_CONSENTED = led(
    r"\b(?:your|the user's|the patron's) (?:(?:prior|express|explicit|written|affirmative|specific) )*"
    r"(?:consent|permission|authori[sz]ation|request|direction|instructions?)\b|"
    # ... or the person the data is about named in the third person: "unless the data subject consents", "with the
    # individual patron's prior consent"
    r"\b(?:the|that|each|an?) (?:individual |relevant )?(?:data subject|individual|patron|user|reader|consumer|member|"
    r"borrower|person concerned)(?:'s|\u2019s)? (?:(?:prior|express|explicit|written|affirmative|specific) )*"
    r"(?:consent|permission|authori[sz]ation)\b|\b(?:the|that|each|an?) (?:individual |relevant )?(?:data subject|"
    r"individual|patron|user|reader|consumer|member|borrower|person concerned)(?: concerned)? (?:has )?"
    r"(?:(?:expressly|explicitly|specifically|first) )?(?:consents?|consented|agrees?|agreed|opts? in|opted in|"
    r"authori[sz]es|authori[sz]ed)\b|"
    # "unless you have expressly authorised us": an adverb between does not change who decides
    r"\byou (?:have )?(?:(?:expressly|explicitly|specifically|separately|previously|already|first) )?"
    r"(?:ask|asked|direct|directed|request|requested|instruct|instructed|authori[sz]e|authori[sz]ed|consent|agree|"
    r"opt in|opt into|choose|chose|chosen|elect|elected|opted in|opted into|agreed|consented|switched on|turned on|"
    r"enabled)\b|"
    # ... or switched the feature on themselves: "unless you have turned on Reading History"
    r"\byou (?:have |'ve )?(?:(?:turn|turned|switch|switched) (?:\w+ ){0,3}?on\b|"
    r"(?:enabled|activated|ticked|checked)\b)|"
    # the same said of a minor or a parent: "unless they, or a parent for those under 13, have opted in"
    r"\b(?:they|a parent|parents|a guardian|guardians|(?:the|your|their|a|his or her) (?:authori[sz]ed )?"
    r"(?:library|patron|user|member|reader|customer|borrower|cardholder|subscriber|teen|teenager|minor|child|student|"
    r"parent|guardian)s?)\b"
    # (the minor's or the parent's yes in the perfect: "unless the teen has opted in or a parent has authorised it")
    r"[^.;]{0,40}?\b(?:(?:have|has) (?:\w+ly )?(?:opted[- ]in(?:to)?|consented|agreed|elected|chosen|asked|requested|"
    r"authori[sz]ed|approved)|"
    # ... in the present: "unless the library or the patron asks us to"
    r"(?:asks|requests|instructs|directs|authori[sz]es|consents|agrees|chooses|elects|opts in)"
    r"(?=\s+(?:it\s+|this\s+|that\s+)?(?:us|to|in writing)\b|\W*$))\b|"
    r"\b(?:your|the|our customer) library(?:'s)? (?:instructions?|directions?|request|consent)\b|"
    # what the user sends of their own accord: "nothing further unless you write to us"
    r"\byou (?:choose to )?(?:write to|contact|e-?mail|call) us\b|"
    r"\b(?:instructed|directed|authori[sz]ed|requested) (?:in writing )?by (?:your|the) (?:library|patron|user)\b|"
    # the same in drafting words: "upon the written authorisation of the patron"
    r"\b(?:consent|permission|authori[sz]ation|request)\s+of\s+(?:the|that|each|a)\s+(?:\w+\s+)?(?:patron|user|reader|"
    r"member|borrower|cardholder|subscriber|person concerned|data subject)\b", _I)
_BOUND_PROCESSOR = led(
    r"(?:\b(?:(?:service|hosting|cloud|storage|IT|technology|technical|payment|e-?mail) (?:providers?|compan(?:y|ies)|"
    r"firms?)|contractors?|"
    r"subcontractors?|processors?|sub-?processors?|vendors?|agents?)\b|"
    r"\b(?:third parties|parties|companies|organi[sz]ations) (?:who|that|which) (?:assist|help|work for|perform "
    r"services for) us\b)"
    r"(?=.*\b(?:on our behalf|on behalf of|bound (?:by|to)|under (?:a |written )?(?:contract|agreement)|"
    r"contractually|confidentiality|agree\w* to (?:keep|treat|hold)\b[^.;]{0,40}\bconfidential|"
    r"(?:only )?on our (?:documented |written )?instructions|"
    r"same (?:obligations|protections|restrictions)|"
    # engaged under the agreement's own terms: "Subprocessors engaged in accordance with clause 9", "approved by the
    # Customer"
    r"(?:engaged|appointed|authori[sz]ed|approved)\b[^.;]{0,20}?\b(?:in accordance with|under|pursuant to|as "
    r"(?:permitted|provided|set out) (?:by|in)) (?:clause|section|article|schedule|annex|paragraph|this|the)\b|"
    r"(?:engaged|appointed|authori[sz]ed|approved) (?:in writing )?by (?:the |each )?(?:customer|library|licensee|"
    r"institution|controller)\b)\b)", _I)

# a helper engaged to market to the user is no processor, bound or not: "(this does not include) third parties who
# assist us in running the site or sending you offers, so long as they keep it confidential"
_OPEN_PURPOSE = led(r"\b(?:marketing|promotional|advertis\w*)\b|\bsend\w* you (?:\w+ )?(?:information|offers|updates|"
                    r"promotions|newsletters)\b|"
                    # a purpose of the vendor's own beside the service: "other than providing the service and
                    # developing new products", "except to provide the services or to train our models"
                    r"\b(?:and|or|as well as)\s+(?:for\s+|to\s+)?(?:develop|research|train|build|creat|sell|licens|"
                    r"monetiz|monetis|commerciali[sz]|market)\w*\b|"
                    r"\b(?:new|other|future|third[- ]party) products?\b", _I)
# the library that contracted the vendor is no third party: "to any person other than the Library"
_THE_CUSTOMER = led(r"^\W*(?:except|other than|apart from|save for)\s+(?:to\s+|with\s+)?(?:the|your|its) "
                           r"(?:library|libraries|licensee|institution|school)\b", _I)
# carrying out what the user asked for is the service itself, not a hole in a promise: "other than to deliver the
# product or service", "third parties involved in processing your order"; the service as the only purpose left
# is a limit, not a hole: "for any purpose other than providing the service", "except delivering the services"
_FOR_THE_SERVICE = led(
    r"\b(?:to|for|in order to|necessary to|needed to|the (?:\w+ )?purposes? of (?:being able to )?|in|"
    r"other than|except|besides|apart from|save)\s*(?:the )?"
    r"(?:deliver|provid|perform|fulfil|fill|complet|process|ship|operat|administ)\w*\b[^.;]{0,30}\b"
    r"(?:products?|services?|orders?|requests?|librar(?:y|ies)|"
    r"transactions?|purchases?|subscriptions?|loans?|accounts?|(?:this |the )(?:agreement|contract))\b|"
    r"\binvolved in (?:the )?(?:processing|fulfil\w*|delivery|shipping) of (?:your|the) "
    r"(?:orders?|requests?|purchases?|payments?|transactions?)\b|"
    # ... or letting the reader resume, which the service needs: "other than the last reading position required to
    # resume a title", "except your last page, so you can pick up where you left off"
    # (not when it goes to someone else for it: "other than sending your position to publishers so you can resume")
    r"^(?!.*\b(?:publishers?|partners?|advertis\w*|third[- ]part\w*|affiliates|sponsors|brokers|authors?)\b).*?"
    r"\b(?:to|for|in order to|necessary to|needed to|required to|so (?:that )?(?:you|they|the (?:patron|reader|user)) "
    r"(?:can|may|could))\s+(?:let (?:you|them|the (?:patron|reader|user)) )?(?:resum\w*|pick up where|"
    r"continue (?:reading|listening|where)|carry on (?:reading|listening|where))\b", _I)
# a pointer to practices stated elsewhere in the policy is judged where they are stated, not read as a new hole
_CROSS_REFERENCE = led(
    r"^\W*(?:except|other than|apart from|aside from|save for|excluding)\s+(?:as|for|those|the|in the (?:ways?|cases?|"
    r"circumstances?)|in (?:the )?(?:limited )?(?:cases?|circumstances?))?\b[^.;]{0,60}?\b(?:described|mentioned|"
    r"set out|set forth|listed|outlined|explained|detailed|specified|noted|stated|identified)\s+(?:above|below|"
    r"earlier|herein|in (?:this|our|the) (?:privacy )?(?:policy|statement|notice|section)|in section|"
    r"in the (?:previous|preceding|following|next) (?:paragraph|section))\b"
    r"(?:\s*[\d.()a-z]{1,8})?\W*$|"
    r"^\W*(?:except|other than|apart from|aside from|save for|excluding)\s+(?:for )?(?:the |those )?(?:previously|"
    r"above[- ]|afore)(?:mentioned|named|listed|described)\b", _I)
# ... which does not cover recipients named beside it: "except our affiliates and partners and as otherwise described"
_NAMED_BESIDE = led(rf"{_RECIPIENT_WORDS}[^.;]{{0,40}}?\b(?:and|or)\s+(?:as|in the ways?|where)\b", _I)

# -- hedges, consent, retention -----------------------------------------------------------------------------------
_HEDGE_SOURCE = (
    # (what the people the data is about may do is no hedge of the vendor's practice: "consumers may opt out")
    r"(?<!\byou )(?<!\bthey )(?<!\busers )(?<!\bpatrons )(?<!\blibrary )(?<!\blibraries )(?<!\bconsumers )"
    r"(?<!\bresidents )(?<!\bcustomers )(?<!\bmembers )(?<!\breaders )(?<!\bindividuals )(?<!\bparents )"
    # (what data could do is no hedge of a practice: "nothing that could point to you")
    r"\b(?:may|might|could)\b(?! not\b)(?!\s+(?:ever\s+|reasonably\s+)?(?:identify|point to|single|be used to "
    r"identify|be traced|be linked)\b)|"
    r"\bfrom time to time\b|\bas (?:long as )?(?:is )?(?:reasonably )?(?:necessary|needed|appropriate)\b|"
    r"\bat (?:our|its) (?:sole )?discretion\b|"
    # (what the library or the reader reasonably asks for is no hedge of the vendor's: "in the format the Library
    # reasonably requests", "on the customer's reasonable request", "cooperation reasonably required by Controller";
    # nor is the measure of help promised beside a promise: "and shall give reasonable assistance with the Customer's
    # response")
    r"\breasonabl[ey]\b(?!\s+(?:requests?|requested|asks?|asked|specif\w+|designat\w+|direct\w*|instruct\w*|"
    r"assistance|co-?operation|(?:required|needed) (?:by|of)(?=\s+(?:the |each |a |its |your )?(?:library|libraries|"
    r"customers?|controller|licensee|institution|subscriber|school|you)\b))\b)|"
    r"\bgenerally\b|\btypically\b|\busually\b|"
    # the same "as a rule, not always" in other words
    r"\bnormally\b|\bordinarily\b|\bas a (?:general )?rule\b|\bin general\b|\bfor the most part\b|"
    r"\bin (?:most|many) (?:cases|instances)\b|"
    r"\bwhere (?:(?:technically|commercially|operationally) )?(?:possible|practicable|feasible|appropriate)\b|"
    r"\bto the extent (?:(?:technically|commercially) )?(?:possible|practicable|feasible)\b|"
    # a promise kept only where the reader's equipment allows it: "where supported by your device", "if your browser
    # supports it", "on devices that support it"
    r"\b(?:where|when|if|wherever) (?:it is |this is |that is )?supported\b|"
    r"\b(?:where|when|if|wherever) (?:your|the|a) "
    r"(?:device|browser|phone|system|platform|software|operating system|app)s? (?:supports?|allows?|permits?)\b|"
    r"\bon (?:devices|browsers|phones|systems|platforms) that (?:support|allow) (?:it|this|them)\b|"
    # (a refusal even to try is no hedge: "we will not attempt to link them back")
    r"(?<!\bnot )(?<!\bnever )(?<!n't )\b(?:try|tries|strive|strives|endeavou?r|endeavou?rs|aim|aims|attempt|attempts) "
    r"to\b|"
    r"\bin (?:some|certain) (?:of our )?(?:cases|services|products|apps)\b"
    r"(?![^.;]{0,20}\b(?:sooner|earlier|faster|more quickly)\b)|\bif needed\b|"
    r"\b(?:currently|presently|at (?:this|the present) time|at present)\b|"
    # a practice planned, not in place: "we are working to support the signal", "we plan to encrypt backups", "expected
    # in a future release" (what the reader may expect is no plan of the vendor's: "you can expect to hear from us")
    r"\b(?:am|are|is|we're|it's) (?:actively |currently |now )?(?:working|planning|preparing|looking) "
    r"(?:to|on|towards?|into)\b|"
    # (nor is a plan refused: "we have no plans to", "we do not intend to")
    r"(?<!\byou )(?<!\bcan )(?<!\bmay )(?<!\bno )(?<!\bnot )(?<!n't )(?<!\bnever )"
    r"\b(?:plan|plans|planning|intend|intends|expect|expects|hope|hopes|"
    r"anticipate|anticipates) to\b|"
    r"\bin (?:a|an|the) (?:future|upcoming|later|coming|subsequent|next) (?:release|version|update|phase|product "
    r"release)s?\b|\b(?:coming|available) soon\b|\bon (?:our|the|its) (?:product )?roadmap\b")
_HEDGE = led(_HEDGE_SOURCE, _I)
_OPT_OUT_STRONG = led(
    rf"\b(?:opt(?:s|ed|ing)?[- ]?in|consent|permission|agree\w*)\b[^.;]{{0,20}}{_GIVEN_BY_SIGNING_UP}|"
    r"\b(?:unless|if|once|when|after) you (?:have )?(?:agreed|agree|accept\w*|consent\w*) to (?:our|the|these) "
    r"(?:terms|conditions|terms of (?:service|use)|privacy (?:policy|notice)|policy)\b|"
    r"\balways (?:on|active|enabled)\b|\bcannot be (?:turned|switched) off\b|"
    # ("unless you ask us to" is the user's request)
    r"\bunless you (?:\w+ )?(?:opt[- ]?out|object|untick|uncheck|deselect|"
    r"(?:tell|ask|instruct|notify) us(?!\s+to(?:\s+do so)?\s*(?:[.;,)]|$))|choose not|decide not|"
    r"say otherwise|indicate otherwise|turn (?:it|this) off|disable)|"
    r"\bby (?:continuing to )?(?:use|using|access\w*|visit\w*|register\w*)\b[^.;]{0,80}?\byou (?:hereby )?"
    r"(?:agree|consent|accept|acknowledge)|\byou (?:hereby )?(?:agree|consent) to [^.;]{0,80}?\bby (?:continuing to )?"
    r"(?:use|using|access\w*|visit\w*)\b|\bcontinued use\b|"
    r"\b(?:on|enabled|active|activated|opted in|enrolled|shared|turned on|switched on) "
    r"(?:automatically|by default)\b|\b(?:automatically|by default),? (?:on|enabled|active|activated|opted in|"
    r"enrolled|turned on|switched on)\b|"
    r"\bif you (?:(?:do not|don't) (?:want|wish)|would (?:rather|prefer) not|prefer not)\b|"
    r"\b(?:on|switched on|turned on|enabled|active) for (?:every|all|each) "
    r"(?:accounts?|users?|members?|patrons?|readers?)\b|"
    r"\bby (?:creating|opening|registering) an account\b[^.;]{0,80}?\byou (?:hereby )?(?:agree|consent|accept)|"
    # switched on for the reader at sign-up or beforehand, not asked for: "marketing e-mails are switched on when you
    # sign up", "we've already turned on partner offers for you" ("... when you sign up for them" is asking)
    r"\b(?:on|switched on|turned on|enabled|activated|enrolled|subscribed|opted in) "
    r"(?:when|once|as soon as|the moment) you (?:sign up|register|join|create (?:an|your) account|"
    r"open (?:an|your) account)\b(?!\s+(?:for|to)\b)|"
    r"\b(?:already|automatically) (?:been )?(?:switched|turned|set) on\b|"
    # (nothing switched on is the opposite: "nothing is turned on for you")
    r"(?<!\bnothing is )(?<!\bnothing gets )(?<!\bnothing's )(?<!\bnone is )(?<!\bnot )(?<!\bnever )(?<!n't )"
    r"\b(?:switched|turned) on\b[^.;]{0,60}\bfor you\b(?!\s+(?:to|if|when|once|only)\b)", _I)
_OPT_IN = led(
    r"\bopt(?:s|ed|ing)?[- ]?in(?:to)?\b|\b(?:with|without|after obtaining|we (?:will )?(?:ask for|obtain|seek)) "
    r"(?:your|the user's|the patron's) (?:(?:prior|express|explicit|affirmative|written|specific|separate) )*"
    r"(?:consent|permission|authori[sz]ation|agreement)\b|\b(?:only )?(?:if|when|after|once) you (?:have )?"
    r"(?:agree|consent|opt|choose|elect|authori[sz]e|ask|request|sign up|turn on|enable|switch on)\w*|"
    r"\byour (?:(?:prior|express|explicit|affirmative|written) )+(?:consent|permission)\b|"
    # a yes said first, in other words: "only if you tick the box to say yes", "only once they have expressly asked"
    r"\bonly\b[^.;]{0,80}?\b(?:if|when|once|after) (?:you|they) (?:have )?(?:\w+ly )?(?:say yes|said yes|asked|"
    r"requested|sign\w* up|(?:tick|check)\w* (?:a|the) box "
    r"(?:to (?:say yes|agree|opt in|accept)|that (?:says yes|asks for)|saying yes|agreeing|"
    r"asking for (?:them|it|this|these|those|(?:\w+ )?(?:e-?mails?|offers|newsletters|"
    r"messages|updates|mailings|recommendations|suggestions))))\b|"
    r"\bat your (?:request|direction)\b|"
    # off until the user switches it on: "each stays off until you switch it on"
    r"\b(?:off|disabled) (?:by default|unless|until)\b|\b(?:unless|until) you (?:switch|turn) (?:it|them|this) on\b",
    _I)
_TO_EVERYONE = led(r"\b(?:automatically|by default|(?:to|for|on) (?:everyone|everybody|all (?:users|members|readers|"
                          r"patrons|accounts|listeners)|every (?:user|member|reader|patron|account|listener)))\b", _I)
_OPT_OUT = led(r"\bopt(?:s|ed|ing)?[- ]?out\b|\bunsubscrib\w*|\byou (?:can|may) (?:disable|turn off|"
                      r"decline|object|say no)\b", _I)
_NUMBER = (r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
           r"eighteen|twenty|twenty-four|thirty|forty|forty-five|sixty|ninety|hundred)")
_CONCRETE = led(
    rf"\b{_NUMBER}\s*(?:\(\d+\)\s*)?(?:-\s*)?(?:business |calendar |full )?(?:hours?|days?|weeks?|months?|years?)\b"
    r"(?! old\b)(?! of age\b)|\bimmediately\b|"
    # one unit said in words: "within a week of a title being returned", "within an hour", "a year after the loan ends"
    r"\bwithin (?:a|an|one) (?:hour|day|week|fortnight|month|year)\b|"
    r"\b(?:a|an|one) (?:hour|day|week|fortnight|month|year) (?:after|following|from)\b|"
    r"\b(?:upon|on|after|at|(?:no|not) later than|within \w+ \w+ of) (?:the )?(?:return|end|expir\w*|"
    r"termination|closure|close|completion|cancell?ation|deletion)\b"
    # the end of periods the law sets, unnamed ("after expiry of the statutory retention periods"), is no stated period
    r"(?! of (?:the |any |all )?(?:statutory|legal|applicable|relevant|mandatory|required)\b)|"
    r"\b(?:when|as soon as|once) (?:the|a|your|each) (?:loan|item|title|session|checkout|subscription|contract|"
    r"agreement|"
    r"account) "
    r"(?:ends|expires|is returned|is closed|closes|goes back|comes back|is given back)\b|"
    r"\b(?:after|once) (?:the|an?|your) [\w-]+ (?:is|are|has been|have been) returned\b|"
    # ... the loan named before: "loans are unlinked as soon as they are returned", "... when they end"
    r"\b(?:when|as soon as|once|after) (?:it|they) (?:ends?|expires?|(?:is|are|has been|have been) returned|"
    r"(?:is|are) given back)\b", _I)
_VAGUE = led(
    r"\bas long as (?:(?:is|we|it is) )?(?:deem |consider |reasonably )?(?:necessary|needed|required|appropriate)\b|"
    r"\bfor as long as\b|\bso long as\b|\bindefinitely\b|\bno longer than (?:is )?(?:necessary|needed)\b|"
    r"\b(?:a|for a) (?:reasonable|limited|certain) (?:period|time|amount of time)\b|\bfor a period of time\b|"
    r"\bfor (?:our )?(?:legitimate )?business purposes\b|\buntil (?:it is |they are )?no longer (?:needed|"
    r"necessary|required)\b|\bperiodically\b", _I)

# a good practice granted only where the law asks for it, or in some places: "IP addresses are personal data where
# applicable law so requires", "you may delete your data in some jurisdictions", "we encrypt it where applicable"
_LAW_CONDITION = led(
    r"\b(?:where|when|if|insofar as|in so far as|to the extent(?: that)?|wherever|whenever)\s+(?:(?:the|any|an|local|"
    r"applicable|relevant|governing)\s+)*(?:laws?|legislation|regulations?|statutes?|legal requirements?)\s+"
    r"(?:so\s+|in your (?:country|jurisdiction|state)\s+)?(?:requires?|demands?|mandates?|obliges?|compels?)\b|"
    r"\b(?:where|when|if|insofar as|to the extent)\s+(?:it is\s+|we are\s+|this is\s+)?(?:legally|lawfully)\s+"
    r"(?:required|obliged|obligated|mandated|necessary)\b|"
    r"\b(?:where|when|if|insofar as|to the extent)\s+(?:it is\s+|we are\s+)?(?:required|obliged|obligated|mandated)"
    r"\s+(?:to do so\s+)?(?:by|under)\s+(?:(?:the|any|local|applicable|relevant)\s+)*(?:laws?|legislation|"
    r"regulations?)\b|\bwhere applicable\b|"
    r"\bin (?:some|certain|a few) (?:jurisdictions|countries|states|regions|territories|places)\b|"
    r"\bdepending on (?:where you live|your (?:location|jurisdiction|country|state)|"
    r"(?:the |local |applicable )+laws?)\b", _I)
# ... which is no condition when it is an exception ("unless the law requires") or the only ground of a practice the
# promise limits ("we disclose it only where the law requires")
# ... or which bounds a limb added to it: "we notify every patron affected, and others wherever the law demands it"
_ADDED_LIMB = led(r"(?:,\s*(?:and|or|plus|as well as)\s*,?|\s(?:and|or|plus)\s*,)\s*(?:also\s+)?"
                  r"(?:to|for|with|in|on|at|others?|where|when|if)\b", _I)
_EXCEPTION_OR_ONLY = led(r"\b(?:except|unless|other than|apart from|save|aside from|excluding|only)\b[^,;.]{0,20}$",
                         _I)


def law_condition(text: str, at: int) -> str:
    """The condition limiting the promise in the clause at `at` to where the law asks for it or to some places
    ('where applicable law so requires', 'in some jurisdictions'); empty when there is none."""
    start = clause_start(text, at)
    for m in _LAW_CONDITION.finditer(text):
        if _EXCEPTION_OR_ONLY.search(text, max(0, m.start() - 40), m.start()) or (
                text.rfind("(", 0, m.start()) > text.rfind(")", 0, m.start())):
            continue  # (nor one in brackets, about an aside: "records (including calls, where applicable)")
        after = m.start() >= at and not (_SCOPE_BREAK.search(text, at, m.start())
                                         or _ADDED_LIMB.search(text[:m.end()], at))
        opening = m.start() < at and (m.start() >= start or not text[:m.start()].strip(" \"'(\u201c"))
        if after or opening:
            return m.group()
    return ""


Consent = Literal["opt-in", "opt-out"]
Retention = Literal["concrete", "vague"]


# an enumeration item: "(ii) comply with...", "b) share...", "3. sell..."; "- " and bullets for list items; the
# "and"/"or" before the last item goes with it ("...; or (iii) analytics")
_MARKER = r"(?:\(?(?:[ivx]{1,5}|[a-z]|\d{1,2})\)|(?:\d{1,2}|[a-z])\.(?=\s))"
_ENUMERATOR = led(rf"^\s*(?:(?:and|or)\s+)?(?:{_MARKER}|[-*\u2022\u2013\u2014])\s*", _I)
# a list run into its lead-in's line, each item opened by a dash or bullet ("We will never: - sell ... - rent ...")
_DASH_ITEM = r"[-*\u2022\u2013\u2014]\s*(?=[A-Za-z])"
_LEAD_PUNCT = " :;,\u2014-"
# a disclosure a lead-in guards against is no practice its items carry out: "To prevent unauthorised disclosure: (a)
# partners see only totals" does not read "disclosure ... partners"
_GUARDED_DISCLOSURE = led(
    r"\b(?:(?:guard|protect)\w*\s+)?(?:against|prevent\w*|avoid\w*|from|unauthori[sz]ed|improper|accidental|"
    r"inadvertent|unlawful|illegal)\s+"
    r"(?:\w+\s+){0,2}?disclosures?\b(?:\s+of\s+(?:\w+\s+){0,3}?(?:data|information|records|details))?", re.I)
# where an enumeration's lead-in ends: at a colon or dash before its first item, or before a bracketed first item
# followed by a second ("we will (i) tell the library; (ii) ask for an order")
_LEAD_IN_END = led(
    rf"[:\u2014]\s*(?={_MARKER}|{_DASH_ITEM})|\s(?=\((?:i|a|1)\)\s.*?[;,]\s+(?:(?:and|or)\s+)?\((?:ii|b|2)\)\s)",
    _I)
# a later item of an enumeration starts after the ";" or "," that ends the one before
_ITEM_START = led(rf"(?<=[;,])\s+(?=(?:(?:and|or)\s+)?{_MARKER}\s)|\s+(?={_DASH_ITEM})", _I)
# a list without markers, its items after a colon and separated by semicolons ("We may share it with: our
# affiliates; other companies, for their own offers; the police"), read when no marked enumeration is found
_SEMICOLON_LEAD_IN_END = led(r":\s*(?=[^:;.!?]{2,300};\s+[^:;.!?]{2,300}(?:[;.!?]|$))")
_SEMICOLON_ITEM_START = led(r"(?<=;)\s+")
_SENTENCE_STOP = led(r"[.!?](?=\s|$)")


@lru_cache(maxsize=1024)  # scoring, its quick pre-check and the inventory split the same paragraphs
def _enumeration(text: str) -> tuple[re.Match[str] | None, tuple[int, ...]]:
    """Where a paragraph's enumeration is introduced, and where its later items start (none when it has none)."""
    if intro := _LEAD_IN_END.search(text):
        return intro, tuple(m.end() for m in _ITEM_START.finditer(text, intro.end()))
    if intro := _SEMICOLON_LEAD_IN_END.search(text):
        stop = m.start() if (m := _SENTENCE_STOP.search(text, intro.end())) else len(text)
        return intro, tuple(m.end() for m in _SEMICOLON_ITEM_START.finditer(text, intro.end(), stop))
    return None, ()


@dataclass(frozen=True)
class Passage:
    """A sentence or a paragraph, located in the document text. An item of a list or an enumeration keeps the
    words that introduce it (`lead`, "We will never:"), which its `reading` carries: the item alone lacks its verb."""

    text: str
    start: int
    end: int
    paragraph: Paragraph
    lead: str = ""
    resolved: str = ""  # the text with its heading's words put in for the words that point to it

    @cached_property
    def reading(self) -> str:
        """What rules read: the text (as resolved with its heading, when it points to it: 'We do not do it' under
        'Targeted advertising'), after its lead-in when it has one ("We will never sell your data"), its domain
        names' dots joined (`joined_domains`)."""
        text = self.resolved or self.text
        if not self.lead:
            return joined_domains(as_we_say_it(text))
        item = text[len(self.lead):].lstrip(_LEAD_PUNCT) if text.startswith(self.lead) else text
        lead = as_we_say_it(self.lead.rstrip(_LEAD_PUNCT))
        if _GUARDED_DISCLOSURE.search(lead):  # what is left of the lead-in counts only with a practice of its own
            lead = _GUARDED_DISCLOSURE.sub("", lead).strip(_LEAD_PUNCT)
            lead = lead if _PRACTICE.search(lead) else ""
        return joined_domains((lead + " " if lead else "") + _ENUMERATOR.sub("", item, count=1))


# a practice verb with the "-s" of its third person ("shares", "notifies", "passes")
_S_VERB = (r"(?-i:(?:sell|share|disclos|pass|rent|trad|lease|licens|transfer|send|giv|provid|releas|hand|forward|"
           r"furnish|suppl|us|collect|gather|obtain|receiv|request|ask|buy|purchas|acquir|combin|append|keep|retain|"
           r"stor|hold|archiv|delet|remov|eras|purg|destroy|anonymis|anonymiz|de-identifi|unlink|aggregat|encrypt|"
           r"protect|secur|track|monitor|profil|target|tell|notif|inform|alert|contact|let|answer|respond|repl|compl|"
           r"honour|honor|challeng|contest|resist|requir|allow|permit|enabl|load|plac|set|show|serv|display|deliver|"
           r"offer|own|treat|regard|consider|deem|limit|restrict|commit|agree|acknowledg|maintain|process|review|"
           r"publish|report|sign|creat|recogni[sz]|check|verif|confirm|accept)(?:s|es|ies))")
_FINITE_VERB = led(_S_VERB + r"\b", _I)
_LISTED_VERB = led(r"(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?P<verb>" + _S_VERB + r")\b", _I)
# a sentence whose subject is a name ("Brightshelf", "Lumen Reads", "The Provider") and whose verb takes its "-s"
# ("never shares", "tells"): rules are written for "we", so the verb is read in its plain form ("never share")
_NAMED_SUBJECT = led(
    r"^\W*(?:the )?(?!(?:We|You|They|It|He|She|This|That|These|Those|Our|Your|Their|Its|All|Any|Some|Each|Every|"
    r"No|None|If|When|Where|While|Unless|Although|Because|Once|After|Before|For|In|On|At|By|With|To|As|Only|"
    r"Never|Most|Many|Such|Other|Both|Either|Neither|Here|There|What|Which|Who|How|Why)\b)"
    r"(?-i:[A-Z][\w&.'\u2019-]*(?:\s+[A-Z][\w&.'\u2019-]*){0,3})\s+"
    r"(?:(?:never|only|also|always|currently|generally|still|routinely|automatically|promptly|immediately|"
    r"further|regularly|then)\s+)*(?P<verb>" + _S_VERB + r")\b", _I)
_PLAIN_FORM = ((re.compile(r"ies$"), "y"), (re.compile(r"(?:(?<=ss)|(?<=sh)|(?<=ch)|(?<=[xzo]))es$"), ""),
               (re.compile(r"s$"), ""))


def as_we_say_it(text: str) -> str:
    """The sentence with the '-s' of a practice verb after a named subject taken off ('Brightshelf never shares' ->
    'Brightshelf never share'; auxiliaries such as 'does' are not practice verbs); other sentences as they are."""
    if (m := _NAMED_SUBJECT.match(text)) is None:
        return text
    out, at = text[:m.start("verb")], m.start("verb")
    while m is not None:  # the verb, and the verbs listed after it ("never sells, rents or shares")
        verb = next(rx.sub(plain, m["verb"]) for rx, plain in _PLAIN_FORM if rx.search(m["verb"]))
        out, at = out + text[at:m.start("verb")] + verb, m.end("verb")
        m = _LISTED_VERB.match(text, at)
    return out + text[at:]


# the dot inside a domain name ("readerapp.com", "www.example.org") ends no sentence: rules read it as a dot leader,
# so a pattern's reach within a sentence ("[^.]{0,80}") runs on across it; patterns naming a domain write "\W"
# (written to start with the dot, which the regex engine then skips to)
_DOMAIN_DOT = led(r"\.(?:(?<=[a-z0-9]\.)(?=[a-z0-9-]*\.(?:[a-z]{2,6})\b)|(?<=\bwww\.)|(?<=[a-z0-9]\.)"
                         r"(?=(?:com|org|net|edu|gov|info|io|co|uk|de|fr|nl|eu|us|ca|au|app|ai|me|tv|fm|ly)\b))", re.I)


_CITATION_DOTS = led(r"\b(?:" + "|".join(re.escape(a) for a in _CITATION_ABBREVIATIONS) + r")\.(?=\s)")


@lru_cache(maxsize=4096)  # a paragraph's own text and its reading are often the same text
def joined_domains(text: str) -> str:
    """The text with the dots inside its domain names and a statute's abbreviations ("Conn. Gen. Stat.") replaced by
    a dot leader (U+2024; offsets kept)."""
    if "." not in text:
        return text
    text = _CITATION_DOTS.sub(lambda m: m.group().replace(".", "\u2024"), text)
    return _DOMAIN_DOT.sub("\u2024", text)


_YES_NO = led(r"^\W*(?P<aux>do|does|did|will|would|can|could|is|are|was|were|has|have|may|might|shall|should)\s+"
                     r"(?P<subject>we|you|i|they|it|there|(?:my|our|your|the|this|that)\s+[\w'-]+|"
                     r"(?-i:[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,3})|(?-i:[a-z][\w'-]*))\s+"
                     r"(?P<rest>[^?]{3,200})\?\s*$", _I)
# the asker's words, put as the vendor answers them: "Will I see ads based on what I read?" -> "You will not see ads
# based on what you read."
_ASKER = {"i": "you", "me": "you", "my": "your", "mine": "yours"}
_ASKER_WORD = led(r"\b(?:i|me|my|mine)\b", _I)
_ANSWER = led(r"^\W*(?P<word>yes|no|none|never|not at all|absolutely not|certainly|of course)\b", _I)
# a noun that carries on the subject of "Is my reading history ...?" (a predicate starts with a participle, an
# adjective of state or a determiner: "... personal data", "... shared", "... kept")
_SUBJECT_GOES_ON = led(r"(?P<word>(?!(?:personal|private|safe|secure|anonymous|public|visible|optional|available|"
                              r"necessary|required|needed|ever|still|always|never|only|also|automatically|really|"
                              r"on|off|a|an|the|any|my|your|our|in|at|to|for|with|by|from|of|about|used|kept|sold|held|sent|told|"
                              r"shown|seen|known|read|bought|lost|left|set|put)\b)"
                              r"(?![\w'-]*(?:ed|ing|en)\b)[\w'-]+)\s+(?=\S)", _I)
# a question or answer written in the text, with its marker ("Q. Do you sell it? A. No.", "Question: ... Answer: ...")
_QA_MARKER = led(r"^\W*(?:q|a|question|answer)\s*[.:]\s*", _I)
# an answer that gives the condition only: "Will you hand my records to the police? Not without a court order." reads
# "We will not hand your records to the police without a court order."; "Only with a warrant." reads "We will hand
# ... only with a warrant."
_CONDITIONAL_ANSWER = led(r"^\W*(?:(?P<no>not|never)\s+(?P<without>without|absent)\b|"
                          r"(?P<only>only)\s+(?=(?:with|under|after|upon|on|if|when|by|once|in response to)\b))"
                          r"(?P<cond>[^.;!?]{3,160})", _I)
_BARE_ANSWER = led(r"^\W*(?:(?:a|answer)\s*[.:]\s*)?(?:yes|no|none|never|not at all|absolutely not)?\W*$", _I)


def answered_question(heading: str, text: str) -> str:
    """What a paragraph under a question heading says, read with its question: 'Do we sell your data?' answered
    'No.' reads 'We do not sell your data.'; a question that is not yes/no ('How long do we keep your data?') is
    read before its answer as it stands. Empty when the heading asks nothing."""
    heading = heading.strip()
    if not heading.endswith("?"):
        return ""
    question, condition = _YES_NO.match(heading), _CONDITIONAL_ANSWER.match(text)
    answer = None if condition else _ANSWER.match(text)
    if not (question and (answer or condition)):
        return heading
    if _NEGATOR.search(question["rest"]):  # "Do you not sell it?" "No." is no statement to guess at
        return heading
    aux = question["aux"].lower()
    negative = (answer["word"].lower() in ("no", "none", "never", "not at all", "absolutely not") if answer
                else bool(condition and condition["no"]))
    verb = f"{aux} not " if negative else ("" if aux in ("do", "does") else f"{aux} ")
    asked, rest = question["subject"], question["rest"].strip()
    if aux in ("is", "are", "was", "were") and asked.lower() not in ("we", "you", "i", "they", "it", "there"):
        # the subject runs on over its nouns: "Is my reading history personal data?", "Are IP addresses ...?"
        while (more := _SUBJECT_GOES_ON.match(rest)) is not None:
            asked, rest = f"{asked} {more['word']}", rest[more.end():]
    subject = "We" if asked.lower() in ("we", "you") else "You" if asked.lower() == "i" else _ASKER_WORD.sub(
        lambda m: _ASKER[m.group().lower()], asked)
    rest = _ASKER_WORD.sub(lambda m: _ASKER[m.group().lower()], rest)
    if condition:  # the condition goes after what it conditions
        cond = condition["cond"].strip()
        rest = f"{rest} {condition['without'].lower()} {cond}" if condition["no"] else f"{rest} only {cond}"
    return f"{subject[0].upper()}{subject[1:]} {verb}{rest}."


# a heading that asks by a wh-word or names what "we" do ("What we collect", "Who we share your information with",
# "Information we keep"): its answer may leave out the verb ("Only your card number.")
_WH_HEADING = led(r"^\W*(?:(?:what|which|whom|who|with whom|to whom|where|when|why|how(?: long)?)\s+|"
                         r"(?:[\w-]+\s+){1,3}?)(?:(?:information|data|details)\s+)?(?P<statement>we\s+(?P<verb>\w+)"
                         r"(?:\s+[\w'-]+){0,6})\W*$", _I)
# a heading that states a condition the text answers ("If there is a data breach", "In the event of a breach")
_CONDITION_HEADING = led(r"^\W*(?:if|in the event|in case|should|whenever)\b[^?]{3,80}$", _I)
# the words of a text that point to its heading's subject: "We do not do it", "We do not use any", "This feature"
_POINTED = r"(?:practice|feature|service|setting|option|activity)"
_PRACTICE_POINTER = led(rf"\b(?:(?P<verb>do|does|did|done|doing|engage in|engages in|allow|allows|permit|"
                               rf"permits)\s+(?:it|this|that)\b(?!\s+{_POINTED})|this {_POINTED}|"
                               # each of a heading's list pointed to: "Each one is opt-in", "All of them are off"
                               rf"^\W*(?:each one|each of (?:these|them|those)|all of (?:these|them|those)|every one"
                               rf"(?: of (?:these|them|those))?)(?= (?:is|are|stays?|remains?)\b))|"
                               rf"^\W*(?P<none>none)(?= (?:is|are|of them)\b)", _I)
_OBJECT_POINTER = led(r"\b(?P<v>sell|share|rent|use|uses|sells|shares|place|places|set|sets|keep|keeps|"
                             r"store|stores|delete|deletes|collect|collects|disclose|discloses|give|gives|"
                             r"provide|provides|transfer|transfers|send|sends|retain|retains|encrypt|encrypts)\s+"
                             r"(?:it|them)\b|\b(?P<det>any|none)(?=\s*[.;,!]|\s*$)", _I)
_PARTICIPLE_START = led(r"^\W*(?=(?:never\s+|not\s+|only\s+)?(?:deleted|kept|stored|retained|shared|"
                               r"sold|used|collected|encrypted|disclosed|removed|erased|anonymi[sz]ed|held|"
                               r"purged|discarded|destroyed|unlinked)\b)", _I)
_OF_PRACTICE = led(r"^(?:sale|selling|sharing|use|disclosure|retention|deletion|collection|transfer|"
                          r"security|encryption|protection)\s+of\s+", _I)


def read_with_heading(heading: str, text: str) -> tuple[str, str]:
    """How the first sentence of the first paragraph under a heading is read: a lead-in statement to read it after
    (a question's answer, 'We collect' for 'Only your card number.' under 'What we collect', the condition of 'If
    there is a breach'), or the sentence resolved with the heading put in for the words that point to it ('We do not
    do targeted advertising' for 'We do not do it' under 'Targeted advertising'). Empty when it needs neither."""
    if question := answered_question(heading, text):
        return question, ""
    heading = re.sub(r"^\W*\d+(?:\.\d+)*\.?\s+", "", heading.strip()).rstrip(" :.")
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if not heading or len(heading.split()) > 10:
        return "", ""
    if _CONDITION_HEADING.match(heading):
        return heading + ",", ""
    if wh := _WH_HEADING.match(heading):
        verb = wh["verb"].lower()
        stem = verb[:-1] if verb.endswith("e") else verb
        if re.search(rf"\b{re.escape(stem)}", first, _I) or re.match(r"^\W*we\b", first, _I):
            return "", ""
        statement = wh["statement"]
        return statement[0].upper() + statement[1:], ""
    subject = heading if heading.isupper() else heading[0].lower() + heading[1:]
    thing = _OF_PRACTICE.sub("", subject)
    resolved = _PRACTICE_POINTER.sub(lambda m: f"{m['verb']} {subject}" if m["verb"] else f"No {thing}" if m["none"]
                                     else subject[0].upper() + subject[1:] if m.start() == 0 else subject, first)
    resolved = _OBJECT_POINTER.sub(lambda m: f"{m['v']} {thing}" if m["v"] else
                                   f"{'no' if m['det'].lower() == 'none' else 'any'} {thing}", resolved)
    if resolved == first and _PARTICIPLE_START.match(first):
        verb = "are" if re.search(r"[^s]s$", thing) else "is"
        resolved = f"{subject[0].upper()}{subject[1:]} {verb} {first[0].lower()}{first[1:]}"
    return "", resolved if resolved != first else ""


@lru_cache(maxsize=1024)  # as `_enumeration`
def _spans(text: str) -> tuple[tuple[int, int], ...]:
    """The (start, end) spans of a text's sentences."""
    out, pos = [], 0
    for piece in _SENTENCE_END.split(text):
        idx = text.find(piece, pos)
        if piece.strip():
            out.append((idx, idx + len(piece)))
        pos = idx + len(piece)
    return tuple(out)


# the data a sentence names ("patron information"), which an "it" in the next one may stand for
# (with whose it is, kept: "minors' data", "children's information")
_DATA_NOUN = led(r"\b(?:(?:your|our|the|all|any)\s+)?(?:[\w-]+(?:['\u2019]s|s['\u2019])\s+)?"
                 r"(?:(?:patron|personal|user|customer|reader|account|"
                 r"contact|borrowing|reading|loan)\s+)?(?:information|data|details|records|history)\b", _I)
_PRONOUN_OBJECT = led(r"\b(?P<verb>share|shares|provide|provides|disclose|discloses|distribute|distributes|"
                             r"sell|sells|pass|passes|give|gives|send|sends|transfer|transfers|rent|rents|license|"
                             r"licenses|exchange|exchanges|trade|trades|swap|swaps)\s+(?:it|them)\b", _I)


def _resolve_pronoun(text: str, previous: str) -> str:
    """The sentence with an 'it' or 'them' that a practice verb takes put back to the data the previous sentence
    names, when it goes to someone outside ('We do not sell patron information. We do distribute it to our
    partners.'); empty otherwise, or when the verb is negated (a promise about 'it' is not stretched to data the
    sentence may not mean)."""
    m = _PRONOUN_OBJECT.search(text)
    if not m or is_negated(text, m.start()) or not _RECIPIENT.search(text, m.end()):
        return ""
    if not (data := _DATA_NOUN.search(previous)):
        return ""
    return f"{text[:m.start()]}{m['verb']} {data.group()}{text[m.end():]}"


def sentences(paragraph: Paragraph, lead: str = "", asked: str = "") -> Iterator[Passage]:
    """Split a paragraph into sentences with absolute offsets; the items of an enumeration in it ("We may disclose
    it to: (i) ...; (ii) ...; or (iii) ...") are passages of their own that keep the words before the first item as
    their lead-in, up to the end of the sentence holding the last item; a list item keeps its list's. An 'it' that a
    practice verb takes is read as the data the sentence before names ('... We do distribute it to partners'), or
    the question a bare answer replies to (`asked`, its heading's statement: 'No. We only pass it to sponsors').
    A yes/no question asked in the text asserts nothing: it is left out, and the answer after it is read with it
    ('Q. Do you sell my data? A. No.' reads 'We do not sell your data. No.')."""
    text = paragraph.text
    spans: Sequence[tuple[int, int]] = _spans(text)
    inner_lead, enumeration = "", (0, 0)
    intro, cuts = _enumeration(text)
    if intro:
        inner_lead = _SENTENCE_END.split(text[:intro.start()])[-1]
        last = max(cuts, default=intro.end())
        enumeration = (intro.start(), next((b for _, b in spans if b >= last), len(text)))
        spans = [(a, a + len(text[a:b].rstrip())) for start, stop in spans
                 for a, b in pairwise([start, *(c for c in cuts if start < c < stop), stop])]
    previous, question = asked, ""
    for n, (a, b) in enumerate(spans):
        piece = text[a:b]
        own = inner_lead if b > enumeration[0] and a < enumeration[1] else ""
        if not own and n + 1 < len(spans) and piece.endswith("?") and _YES_NO.match(_QA_MARKER.sub("", piece)):
            question = previous = _QA_MARKER.sub("", piece)
            continue
        statement = answered_question(question, _QA_MARKER.sub("", piece)) if question and not own else ""
        if statement == question:
            statement = ""
        yield Passage(piece, paragraph.start + a, paragraph.start + b, paragraph, own or statement or lead,
                      _resolve_pronoun(piece, previous) if previous else "")
        if statement:
            previous = statement
        if not _BARE_ANSWER.match(piece):
            previous, question = piece, ""


def forget_splits() -> None:
    """Forget the paragraphs split into sentences so far (a benchmark times each reading as a first one)."""
    _enumeration.cache_clear()
    _spans.cache_clear()


def enumeration_reading(paragraph: Paragraph) -> str:
    """The items of a paragraph's inline enumeration as they are read, each with its lead-in (what a rule's quick
    pre-check must see: 'We may disclose it to sponsors' is in no one place of the paragraph's text); empty when
    the paragraph has none."""
    if _enumeration(paragraph.text)[0] is None:
        return ""
    return " ".join(s.reading for s in sentences(paragraph))


def passages(paragraph: Paragraph, scope: str, lead: str = "", asked: str = "") -> Iterator[Passage]:
    """The passages a rule of this scope looks at (a list item's with the sentence introducing its list; `asked`
    as for `sentences`)."""
    if scope == "paragraph":
        yield Passage(paragraph.text, paragraph.start, paragraph.end, paragraph, lead)
    else:
        yield from sentences(paragraph, lead, asked)


def occurs(pattern: str, passage: CueText) -> bool:
    """Whether a pattern matches the passage (remembered on it)."""
    found = passage.found.get(pattern)
    if found is None:
        found = passage.found[pattern] = folded(pattern).search(passage)
    return found


def may_match(rule: Rule, text: str | CueText) -> bool:
    """A fast pre-check: whether any of the rule's `any` patterns occurs in the text at all (patterns whose words
    or literal texts it lacks are not run). Give a `CueText` to check many rules against one text."""
    passage = text if isinstance(text, CueText) else CueText(text)
    return any(occurs(p, passage) for p in rule.any)


def clause_start(text: str, at: int, *, headed: bool = True) -> int:
    """Where the clause holding position `at` begins (after a heading, when `text` starts where the passage does, a
    sentence end, a clause break or an opening 'If ..., ')."""
    heading = _HEADING.match(text) if headed else None
    start = heading.end() if heading and heading.end() <= at else 0
    # (a sentence end ending by `at` is found in the text up to the character after it, which its look-ahead reads)
    start = max([start, *(m.end() for m in _SENTENCE_END.finditer(text, 0, at + 1) if m.end() <= at)])
    for m in _SCOPE_BREAK.finditer(text, start, at):
        # "unless"/"except" or a subordinator may open a clause of its own: "Unless legally prohibited, we notify...";
        # so may "so" opening the sentence ("So you never miss a loan, we ...", read by `_OPENING_CLAUSE`)
        word = m.group().split()[0].lower()
        start = m.start() if word in _OPENERS or word == "so" and not text[start:m.start()].strip() else m.end()
    while (opening := _OPENING_CLAUSE.match(text[start:at])) is not None:
        start += opening.end()
    return start


def clauses(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of a passage's clauses, split where a negation's scope ends."""
    cuts = [0, *(m.start() for m in _SCOPE_BREAK.finditer(text)), len(text)]
    return [(a, b) for a, b in pairwise(cuts) if text[a:b].strip()]


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The text with these spans replaced by spaces (offsets kept)."""
    for a, b in spans:
        text = text[:a] + " " * (b - a) + text[b:]
    return text


SCOPE_WINDOW = 600  # characters before a match that its negations are looked for in


def negations(text: str, at: int) -> list[re.Match[str]]:
    """The negations whose scope reaches position `at`: one in a bracket or an aside closed before `at` does not;
    a repeated one ('do not and will not') counts once; one opening a coordinated verb phrase ('..., and shall not
    use') starts that phrase's count afresh, and so does a verb of its own tense after 'and' ('..., and sends it to
    publishers'); words that open a clause ('unless you switch it on') are out of reach."""
    if (here := _SCOPE_BREAK.match(text, at)) and here.group().split()[0].lower() in _OPENERS:
        return []
    if _FINITE_VERB.match(text, at) and (tense := _OWN_TENSE.search(text, max(0, at - 20), at)) and not (
            (before := text[:tense.start()].split()) and _FINITE_VERB.fullmatch(before[-1])):
        return []  # (not the last of a list of verbs: "never sells, rents, and shares it")
    base = 0
    if at > SCOPE_WINDOW:  # a clause never reaches further back; starting there keeps the work per match bounded
        base = text.find(" ", at - SCOPE_WINDOW, at) + 1 or at - SCOPE_WINDOW
    text, at = text[base:at], at - base
    masked = _NOT_A_NEGATION.sub(lambda m: " " * len(m.group()), text)
    masked = _blank(masked, (m.span(m.lastindex or 0) for m in _ASIDE.finditer(masked, 0, at)))
    if _NEGATOR.search(masked, 0, at) is None:
        return []  # none before `at` at all: where its clause starts does not matter
    start = max([clause_start(masked, at, headed=base == 0),
                 *(m.end() for m in _OWN_AUXILIARY.finditer(masked, 0, at))])
    found: list[re.Match[str]] = []
    for m in _NEGATOR.finditer(masked, start, at):
        word = m.group().lower()
        if found and (word in ("nor", "neither") or _COORDINATED.match(masked[found[-1].end():m.start()])):
            continue
        if _RELATIVE.search(masked, 0, m.start()) and _MAIN_VERB.search(masked, m.end(), at):
            continue  # "statistics that cannot identify anyone are kept": the negation stays in its relative clause
        if found and (_OWN_PHRASE.search(masked, found[-1].end(), m.start()) or (
                word in ("no", "nothing", "none") and _OWN_OBJECT.search(masked, found[-1].end(), m.start())) or (
                word == "no" and found[-1].group().lower() == "no"
                and _LISTED_NO.match(masked, found[-1].end(), m.start()))):
            found = []
        found.append(m)
    return found


# a verb whose object is negated: "we sell no personal data", "we disclose nothing", "we set no cookies"
_NO_OBJECT = led(r"(?!(?:with|without|of|for|at|in|on|by|to|from|and|or|but|there)\b)\w+\s+"
                        r"(?:(?:out|up|over|away|back|on)\s+)?"
                        # ... after the one it goes to: "we give advertisers no patron information"
                        r"(?:(?:you|us|them|advertisers|marketers|sponsors|partners|publishers|brokers|"
                        r"(?:third|outside|other) parties|ad networks)\s+)?(?:no|nothing|none|neither)\b"
                        r"(?!\s+(?:later|more|less|fewer|longer)\b)", _I)


# the subject of a clause ("Your reading history") whose predicate is negated ("... is never used for ads")
_SUBJECT_START = led(r"^\W*(?:(?:your|our|the|all|any|such|this|these|those|their|its|each|every|a|an)\s+)*$",
                            _I)
# (after a short phrase placing the subject: "Reading behaviour within the app is neither tracked nor shared")
_GET = r"(?:receive|get|obtain|see|learn|access|hold)"  # what a recipient does with data
_NONE_OF = r"(?:neither|nothing|none|no(?!\s+(?:later|more|less|fewer|longer|matter)\b))\b"  # "no", not "no longer"
_NEGATED_PREDICATE = led(r"(?:\s+(?:in|within|inside|on|through|via|from|of|about)(?:\s+[\w'\u2019-]+){1,4}?)?"
                                r"\s+(?:(?:is|are|was|were|will|shall|would|can|could|may|must|do|does|did|has|have)"
                                r"(?:\s+be)?\s+(?:not|never|neither)\b|(?:never|isn't|aren't|won't|can't|cannot|doesn't|"
                                r"don't)\b|"
                                # ... or said to be off: "targeted advertising is switched off on every plan"
                                r"(?:is|are|stays?|remains?)\s+(?:always\s+)?(?:switched|turned)\s+off\b|"
                                # ... or a recipient whose getting is of nothing: "ad networks obtain neither your
                                # searches nor ...", "publishers receive no names"
                                rf"{_GET}\w*\s+{_NONE_OF})", _I)
_FINITE_GET = led(rf"\b{_GET}s?\s*$", _I)
# a match ending on a verb whose object is negated: "publishers receive neither your name nor ..."
_NO_OBJECT_AFTER = led(rf"\s+{_NONE_OF}", _I)


# a verb whose recipient is no one: "records are released to no one", "we share it with nobody"
_NO_RECIPIENT = led(r"\w+(?:\s+(?!(?:and|or|but|if|unless|except)\b)[\w'-]+){0,4}?\s+(?:to|with)\s+"
                           r"(?:no one|nobody|no other (?:person|company|party|organi[sz]ation)s?|"
                           r"no third[- ]part\w+)\b", _I)


@lru_cache(maxsize=8192)  # many rules ask of the same words in the same passage
def is_negated(text: str, at: int, end: int | None = None) -> bool:
    """Whether the words at `at` (to `end`) are negated: an odd number of negations in their clause, before them, a
    verb there whose object or recipient is ('we sell no data', 'released to no one'), or, when they are the
    clause's subject, its predicate ('your reading history is never used')."""
    own = bool(_NO_OBJECT.match(text, at) or _NO_RECIPIENT.match(text, at))
    count = (0 if own and _COORDINATED_VERB.search(text, 0, at) else len(negations(text, at))) + own
    if end is not None and (_NEGATED_PREDICATE.match(text, end) or not own and _FINITE_GET.search(text, at, end)
                            and _NO_OBJECT_AFTER.match(text, end)) and _SUBJECT_START.match(
            text[clause_start(text, at):at]):  # (the clause's start is only looked for after a negated predicate)
        count += 1
    return count % 2 == 1


@dataclass(frozen=True)
class CarveOut:
    """An exception in a passage, and whether it leaves a promise whole."""

    text: str
    kind: ExceptionKind
    span: tuple[int, int] = (0, 0)


ExceptionKind = Literal["legal", "consent", "processor", "reference", "weakening"]


# a further alternative of an exception that names recipients of its own: "except with your consent or with
# companies that sponsor our events" ("or with our partners" is judged apart from the consent before it)
_ALTERNATIVE = led(r",?\s+(?:or|and)\s+(?=(?:with|to)\s+(?:[\w-]+\s+){0,3}?" + _RECIPIENT_WORDS + ")", _I)


# ... or recipients named first, a condition after: "except with our marketing partners or with your consent" (the
# partners are judged apart from the consent after them)
_OR_CONDITION = led(r",?\s+or\s+(?=(?:with|where|when|if|upon|at)\b)", _I)


def _exception_kind(clause: str) -> ExceptionKind:
    """How an exception leaves a promise; one with alternatives leaves it as its weakest does."""
    first, *others = _ALTERNATIVE.split(clause)
    if not others and (cond := _OR_CONDITION.search(clause)) and _RECIPIENT.search(clause, 0, cond.start()):
        first, others = clause[:cond.start()], [clause[cond.end():]]
    opener = first.split()[0] if others and first.split() else ""
    kinds = [_one_exception_kind(first), *(_one_exception_kind(f"{opener} {other}") for other in others)]
    return "weakening" if "weakening" in kinds else kinds[0]


def _one_exception_kind(clause: str) -> ExceptionKind:
    if _OPT_OUT_STRONG.search(clause) or _OPT_OUT.search(clause) or _DEEMED.search(clause):
        return "weakening"
    if _LEGAL.search(clause):
        return "weakening" if _VOLUNTARY.search(clause) else "legal"
    if _CONSENTED.search(clause) or _THE_CUSTOMER.match(clause):
        return "consent"
    if (_BOUND_PROCESSOR.search(clause) or _FOR_THE_SERVICE.search(clause)) and not _OPEN_PURPOSE.search(clause):
        return "processor"
    if _CROSS_REFERENCE.search(clause) and not _NAMED_BESIDE.search(clause):
        return "reference"
    return "weakening"


CARVE_OUT_WINDOW = 400  # characters an exception runs to at most


@lru_cache(maxsize=4096)
def carve_outs(text: str) -> tuple[CarveOut, ...]:
    """The exceptions of a passage ('except as required by law', 'unless you opt out'), classified; a promise
    limited by its own terms ('... for their marketing purposes', '... in identifiable form') counts as weakened."""
    out = []
    for m in _CARVE_OUT.finditer(text):
        limit = min(len(text), m.end() + CARVE_OUT_WINDOW)
        end = _CARVE_OUT_END.search(text, m.end(), limit)
        stop = end.start() if end else limit
        if (relative := _RELATIVE_AFTER.match(text, stop)) is not None:  # "other than processors, who act ..."
            end = _CARVE_OUT_END.search(text, relative.end(), limit)
            stop = end.start() if end else limit
        clause = text[m.start():stop].strip()
        out.append(CarveOut(clause, _exception_kind(clause), (m.start(), stop)))
    if folded(_LIMITED_SOURCE).search(cue_text(text)):
        out.extend(CarveOut(m.group(), "weakening", m.span()) for m in _LIMITED.finditer(text))
    return tuple(out)


def _hands_on(text: str) -> bool:
    """Whether a sentence speaks of a data practice beyond the vendor's own use of tools: 'we may use the following
    analytics products' does not, 'we may use it with our partners' and 'we may share it' do; a practice it denies
    ('partners may not place any cookies') is none."""
    practices = [m.group().lower() for m in _PRACTICE.finditer(text) if not is_negated(text, m.start())]
    return any(not p.startswith("us") for p in practices) or bool(practices and _RECIPIENT.search(text))


def _leaves_the_rest(rule: Rule, following: str) -> bool:
    """Whether a next sentence says what is done with the rest of the data, not promising it too ('Other account
    data is kept for as long as we need it' after a promise on search logs)."""
    return bool(_THE_REST.match(following) or _OTHER_PEOPLE.match(following) and _RECIPIENT.search(following)
                and _hands_on(following)) and _fires(rule, following) is None and not _NEGATOR.search(
        following, *clauses(following)[0])


def qualifier(passage: Passage, rule: Rule, after: int = 0) -> CarveOut | None:
    """What takes a promise back, as an exception: a contrast later in its sentence ('We do not sell your data, but
    we may share it with partners') or a next sentence about the same practice, opened by 'however' ('... However,
    we may share it with our partners.') or naming someone outside the vendor ('We do share it with our advertising
    partners.'), or one that narrows it, whatever it speaks of ('This does not include partners who help us.'); a
    contrast saying the vendor or recipients do more ('..., though they may also receive postcodes') or a next
    sentence on the rest of the data (`_leaves_the_rest`) takes it back too."""
    text = passage.reading
    contrast = _CONTRAST.search(text, after)
    # (a limb doing what an affirmed promise says, "...; we erase it within 30 days", confirms it; one acting on
    # the vendor's own account takes it back unless denied, "... and keep no copy for our own use")
    own = _OWN_ACCOUNT.search(text, contrast.end()) if contrast else None
    if contrast and ((_PRACTICE.search(text, contrast.end()) and (
            _RECIPIENT.search(text, contrast.end())
            or rule.polarity != "affirmed" and may_match(rule, text[contrast.end():])))
            or _DOES_MORE.match(text, contrast.end()) or own and not is_negated(text, own.start())):
        return CarveOut(text[contrast.start():].strip(" ,;"), _exception_kind(text[contrast.end():]))
    paragraph = passage.paragraph
    offset = passage.end - paragraph.start
    rest = paragraph.text[offset:offset + CARVE_OUT_WINDOW * 2].lstrip()
    following = _SENTENCE_END.split(rest, maxsplit=1)[0] if rest else ""
    if _NARROWS.match(following) or _leaves_the_rest(rule, following) or (
            _OPENS_EXCEPTION.match(following) and _RECIPIENT.search(following)):
        return CarveOut(following, _exception_kind(following))
    if _DELETES.search(text) and _STAYS_LINKED.search(following) and not _NEGATOR.search(following):
        return CarveOut(following, "weakening")
    if _QUALIFIER.match(following):
        if _KEEPS_ON.search(following) and _DELETES.search(text):
            return CarveOut(following, "weakening")
        if not (_hands_on(following) or may_match(rule, following) or _RECIPIENT_TAKES.match(following)
                or _RECIPIENT.search(following) and _OWN_ACCOUNT.search(following)) or (
                _RECIPIENT_SUBJECT.match(following) and _TOTALS.search(following)):
            return None
    elif not (_TAKES_BACK.match(following) and _RECIPIENT.search(following) and may_match(rule, following)
              or _RECIPIENT_TAKES.match(following) and not _TOTALS.search(following)):
        return None
    return CarveOut(following, _exception_kind(following))


def has_carve_out(text: str) -> bool:
    """An exception that weakens a promise ('except with our partners', 'unless you opt out'); the law's,
    the user's own consent and bound service providers do not count."""
    return any(c.kind == "weakening" for c in carve_outs(text))


@lru_cache(maxsize=4096)
def hedges(text: str) -> tuple[str, ...]:
    """Hedged wording ('we may', 'from time to time', 'as long as necessary'); legal carve-outs are not hedges."""
    if not occurs(_HEDGE_SOURCE, cue_text(text)):
        return ()  # most texts lack the words of every hedge: told from their words, the pattern is not run
    legal = sorted(c.span for c in carve_outs(text) if c.kind == "legal")
    ends = list(accumulate((b for _, b in legal), max, initial=0))  # ends[i]: the furthest end of the first i spans
    starts = [a for a, _ in legal]
    # a hedge inside a legal exception is none; bisect keeps a long passage with many of both linear, not quadratic
    return tuple(m.group() for m in _HEDGE.finditer(text) if ends[bisect_right(starts, m.start())] <= m.start())


def is_hedged(text: str) -> bool:
    """Hedged language: 'may', 'from time to time', 'as long as necessary'."""
    return bool(hedges(text))


@lru_cache(maxsize=4096)
def consent_kind(text: str) -> Consent | None:
    """'opt-in' when consent comes first, 'opt-out' when the practice runs unless the user objects, else None."""
    if _OPT_OUT_STRONG.search(text):
        return "opt-out"
    if opt_in := _OPT_IN.search(text):
        # a contrary limb that does it to everyone anyway: "..., but partner offers are sent to everyone"
        contrast = _CONTRAST.search(text, opt_in.end())
        return "opt-out" if contrast and _TO_EVERYONE.search(text, contrast.end()) else "opt-in"
    if _OPT_OUT.search(text):
        return "opt-out"
    return None


@lru_cache(maxsize=4096)
def retention_kind(text: str) -> Retention | None:
    """'concrete' for a stated period or event ('30 days after'), 'vague' for open-ended wording, else None."""
    if _CONCRETE.search(text):
        return "concrete"
    if _VAGUE.search(text):
        return "vague"
    return None


@dataclass(frozen=True)
class Match:
    """A rule firing on a passage, with the outcome after carve-outs and hedges are weighed."""

    rule: Rule
    passage: Passage
    outcome: Status
    note: str | None = None


def _words_around(text: str, start: int, end: int, words: int) -> tuple[int, int]:
    reach = words * 40  # a word is rarely longer: looking no further keeps the work per match bounded
    lo_bound, hi_bound = max(0, start - reach), min(len(text), end + reach)
    before = [m.start() for m in _WORD.finditer(text, lo_bound, start)]
    after = [m.end() for m in _WORD.finditer(text, end, hi_bound)]
    lo = before[-words] if len(before) >= words else lo_bound
    hi = after[words - 1] if len(after) >= words else hi_bound
    return lo, hi


_WORD = led(r"\S+")


def _hit(rule: Rule, text: str) -> re.Match[str] | None:
    """The first `any` match with the rule's polarity whose `all` patterns match (near it, with `within`); a match
    of the wrong polarity is looked past from its next character ('We do not sell your data, but we may share it
    with partners': the negated 'sell ... partners' hides the affirmed 'share ... partners' inside it). Whether a
    match is negated is only worked out for a rule with a polarity."""
    passage = cue_text(text)
    if not rule.within and not all(occurs(p, passage) for p in rule.all):
        return None  # without `within`, where the match is does not matter: test `all` once
    for pattern in rule.any:
        if not occurs(pattern, passage):
            continue  # no match in the text: none from any position in it (what `may_match` found is remembered)
        compiled, pos = pattern_for(pattern, text), 0
        while (m := compiled.search(text, pos)) is not None:
            pos = m.start() + 1 if m.end() > m.start() else m.end() + 1
            if rule.polarity != "any" and (rule.polarity == "negated") != is_negated(text, m.start(), m.end()):
                continue
            if not rule.within:
                return m
            lo, hi = _words_around(text, m.start(), m.end(), rule.within)
            if all(pattern_for(p, text).search(text, lo, hi) for p in rule.all):
                return m
    return None


def _fires(rule: Rule, text: str) -> re.Match[str] | None:
    """Where the rule fires on a text, its carve-outs not weighed (None when it does not). Words that rule it out
    count in the limb of a contrast that holds the match, not in a limb before it ('Your loan history is hidden after
    return, but it is retained in our systems': the return does not bound the keeping)."""
    hedged = hedges(text) if rule.hedged != "ignore" else ()
    if (rule.hedged == "exclude" and hedged) or (rule.hedged == "require" and not hedged):
        return None
    if rule.consent != "any" and consent_kind(text) != rule.consent:
        return None
    if rule.retention != "any" and retention_kind(text) != rule.retention:
        return None
    found = _hit(rule, text)
    if found is None:
        return None
    if any(occurs(p, cue_text(text)) for p in rule.none):  # asked last: most passages are out before
        limbs = [m.end() for m in _CONTRAST.finditer(text, 0, found.start())]
        if not limbs or any(occurs(p, cue_text(text[limbs[-1]:])) for p in rule.none):
            return None
    return found


def _some_scope(text: str, at: int) -> re.Match[str] | None:
    """A limit to some people, places, data or plans (`_SOME_SCOPE`, unless a word makes it everyone's) or to some
    time (`_FOR_A_TIME`), said before the promise at `at` or in its clause: a later limb of its own ("..., and we do not
    currently seek such consent") limits nothing."""
    end = next((b for a, b in clauses(text) if a <= at < b), len(text))
    some = next((m for m in _SOME_SCOPE.finditer(text, 0, end)
                 if not ("app" in m.group().lower() and _WHOLE_SERVICE.search(text, max(0, m.start() - 50),
                                                                                  m.start()))), None)
    if some and not _EVERYONE.search(text):
        return some
    return _FOR_A_TIME.search(text, 0, end)


def match_rule(rule: Rule, passage: Passage) -> Match | None:
    """Apply one rule to one passage (see the `Rule` docstring for what each field does).

    A `met` outcome is weakened to `partial` by a carve-out that weakens the promise ("we never share your data
    except with our partners") and, with `hedged: weaken`, by hedged wording ("we may delete...").
    """
    text = passage.reading
    if (hit := _fires(rule, text)) is None:
        return None
    hedged = hedges(text) if rule.hedged != "ignore" else ()
    outcome, notes = rule.outcome, []
    if outcome == Status.MET and rule.carve_outs == "weaken":
        weak = [c.text for c in carve_outs(text) if c.kind == "weakening"]
        reserved = ""
        if rule.scope == "sentence" and (q := qualifier(passage, rule, hit.start() + 1)) and q.kind == "weakening":
            weak.append(q.text)
            reserved = q.text if _RESERVES.search(q.text) and _hands_on(q.text) else ""
        if reserved:
            outcome = Status.NOT_MET
            notes.append(f"taken back by a right kept to do it ({reserved!r})")
        elif weak:
            outcome = Status.PARTIAL
            notes.append(f"weakened by the exception {weak[0]!r}")
    if outcome == Status.MET and not passage.lead and (part := _CONTACT_ONLY.search(text)):
        outcome = Status.PARTIAL
        notes.append(f"made for contact data only ({part.group()!r})")
    if outcome == Status.MET and (law := law_condition(text, hit.start())):
        outcome = Status.PARTIAL
        notes.append(f"granted only {law!r}")
    if outcome == Status.MET and (change := _CHANGEABLE.search(text)):
        outcome = Status.PARTIAL
        notes.append(f"a promise kept open to change or made for a part only ({change.group()!r})")
    if outcome == Status.MET and (some := _some_scope(text, hit.start())):
        outcome = Status.PARTIAL
        notes.append(f"made for some people, places, data, plans or times only ({some.group()!r})")
    if outcome == Status.MET and (usual := _USUALLY.search(text)):
        outcome = Status.PARTIAL
        notes.append(f"a usual practice, not a promise ({usual.group()!r})")
    if outcome == Status.MET and rule.hedged == "weaken" and hedged:
        outcome = Status.PARTIAL
        notes.append(f"hedged ({', '.join(dict.fromkeys(h.lower() for h in hedged))})")
    return Match(rule, passage, outcome, "; ".join(notes) or None)
