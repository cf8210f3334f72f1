"""Pages that are not a policy: a sign-in form, a paywall, an error or "page not found" page served with status 200,
a cookie wall or a browser check, where the vendor's policy should be.

A page is called one only when two things hold: it shows the marks of such a page (a password field, "subscribe to
continue reading", "page not found" ...), and it reads like no policy (few of the words every privacy policy, terms
of use or contract uses: collect, share, third parties, retain, consent ...). A real policy that mentions signing in
or cookies, or sits under a header with a login box, is long on policy words and is never flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import PolicyDocument

# Distinct policy terms that make a page a policy whatever else it shows. Measured (benchmarks/not_a_policy.py):
# real policies show 7 or more (a 104-word one), the synthetic non-policies of the tests 3 at most.
MIN_POLICY_CUES = 6
# The signals are looked for in the title and the start of the text, where such pages say what they are.
_HEAD_CHARS = 1500
_WORDS = re.compile(r"\w+")

_POLICY_CUES = tuple(re.compile(p, re.IGNORECASE) for p in (
    r"\bpersonal(ly)? (identifiable )?(information|data)", r"\bcollect", r"\bshar(e|es|ed|ing)\b", r"\bdisclos",
    r"\bthird[- ]part", r"\bretain|\bretention|\bkeep\b|\bstored?\b", r"\bdelet|\berase",
    r"\bsecur|\bsafeguard|\bprotect",
    r"\bconsent", r"\bprivacy", r"\bcookie", r"\bchild|\bminors?\b|\bunder (the age of )?1[3-8]\b",
    r"\bcontact (us|our)|\bwrite to us|\bemail us", r"\blaws?\b|\blawful|\blegal", r"\bterms\b", r"\bagree",
    r"\bliab", r"\blicen[cs]", r"\bwarrant", r"\bgovern", r"\bprocess(es|ed|ing|ors?)\b", r"\bpurposes?\b",
    r"\bopt[- ]?(out|in)\b|\bunsubscribe", r"\bservice providers?|\bpartners?\b|\baffiliates?\b",
    r"\b(we|you) (may|will|must|can|have the right)\b", r"\brights?\b", r"\brequest", r"\bnotice\b|\bpolicy\b",
    r"\banalytic|\btrack", r"\bads?\b|\badvertis",
))


@dataclass(frozen=True)
class _Signal:
    what: str  # what the page is, for the one-line error
    advice: str
    text: re.Pattern[str] | None = None
    html: re.Pattern[bytes] | None = None


_SIGNALS = (
    _Signal("a sign-in form", "the page now needs a login: find the public policy URL",
            re.compile(r"\b(sign|log) ?in to (continue|your account|access|read|view)|\benter your (password|username)"
                       r"|\bforgot (your )?password|\busername or e-?mail|\bremember me\b|\bkeep me (signed|logged) in",
                       re.IGNORECASE),
            re.compile(rb"<input\b[^>]*\btype\s*=\s*[\"']?password", re.IGNORECASE)),
    _Signal("a paywall", "the page is for subscribers: find the public policy URL",
            re.compile(r"\bsubscribe (now |today )?to (continue|keep) reading|\bsubscribers only\b"
                       r"|\b(only )?(available|open) (only )?to (paying |paid )?(subscribers|members)\b"
                       r"|\byou('ve| have) (reached|used) (your|all your) (free )?(article|story|page)s?( limit)?"
                       r"|\bstart (your|a) free trial to (continue|read|keep)", re.IGNORECASE)),
    _Signal("a 'page not found' page", "the page has moved: update the URL in the profile",
            re.compile(r"\b404\b|\bpage not found\b|\bnot found\b.{0,40}\b(page|url)\b"
                       r"|\b(page|url) (you|you're|you are) (were |are )?(looking for|requested|trying)"
                       r"|\b(this|the|that) page (does not|doesn't|no longer|could not|cannot|can't) (exist|be found)"
                       r"|\bwe (couldn't|could not|can't|cannot) find (that|the|this|what)", re.IGNORECASE)),
    _Signal("an error page", "the site served an error with status 200: try again later",
            re.compile(r"\b(internal server error|service (is )?(temporarily )?unavailable|bad gateway|gateway timeout"
                       r"|an? (unexpected )?error (has )?occurred|something went wrong|access denied"
                       r"|this site can't be reached|under maintenance)\b", re.IGNORECASE)),
    _Signal("a cookie wall", "the page shows only a cookie banner: try render: browser",
            re.compile(r"\baccept (all )?cookies\b|\b(reject|decline|refuse) (all|non-essential|optional)( cookies)?\b"
                       r"|\bmanage (cookie |your )?(preferences|settings|choices)|\bcookie (settings|preferences)\b"
                       r"|\bby clicking .{0,4}(accept|agree|ok)", re.IGNORECASE)),
    _Signal("a browser check", "the site checks for a browser: try render: browser",
            re.compile(r"\b(please )?enable javascript\b|\bjavascript is (required|disabled)|\bchecking your browser"
                       r"|\bverify (that )?you are (a )?human|\bare you a robot|\bcaptcha\b|\bjust a moment\.\.\.",
                       re.IGNORECASE)),
)


def policy_cues(text: str) -> int:
    """How many distinct policy words the text shows."""
    return sum(1 for cue in _POLICY_CUES if cue.search(text))


def not_a_policy(document: PolicyDocument, body: bytes) -> str | None:
    """What the page is instead of a policy ("a sign-in form (...): advice"), or None for a policy."""
    cues = policy_cues(document.text)
    if cues >= MIN_POLICY_CUES:
        return None
    head = f"{document.title or ''}\n{document.text[:_HEAD_CHARS]}"
    for signal in _SIGNALS:
        if (signal.text is not None and signal.text.search(head)) or \
                (signal.html is not None and signal.html.search(body)):
            words = len(_WORDS.findall(document.text))
            return f"looks like {signal.what}: {words} words, {cues} policy terms; {signal.advice}"
    return None
