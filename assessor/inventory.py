"""The data inventory: which personal data a policy says it collects and shares, with whom, and how it tracks.

Read clause by clause (`rules.clauses`): an entry of the lexicon (`assessor/data/inventory.yaml`) in a clause whose
collection verb is affirmed is collected, in one whose sharing verb is affirmed is shared with the recipients the
clause names. "We do not share X except with your library" shares X with the library only. A denial ("we do not
collect your location") lists the entry as neither, with the denial as evidence. A list item takes the verbs of the
lead-in paragraph it follows ("We collect the following:"). Named analytics, advertising, social and payment
services receive data wherever the policy says it uses them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .cues import WordIndex, cue_text, folded, preload
from .loading import load_data, package_data
from .models import SLUG, Evidence, InventoryItem, Paragraph, PolicyDocument, Regex
from .regexes import Led, led
from .rules import carve_outs, clauses, is_negated, sentences
from .settings import cache_dir

MAX_EVIDENCE = 3
_SENDING_KINDS = ("analytics", "advertising", "social", "payment")
Group = Literal["data", "recipient", "tracking"]


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LexiconEntry(_Data):
    """One entry of `inventory.yaml`: its id, the label reports show, and the patterns that name it."""

    id: str = Field(pattern=SLUG)
    label: str = Field(min_length=1)
    patterns: list[Regex] = Field(min_length=1)


class RecipientEntry(LexiconEntry):
    """A recipient: a category ("service providers") or a named service of a kind (analytics, advertising...)."""

    kind: Literal["category", "named", "analytics", "advertising", "social", "payment"]


class LexiconVerbs(_Data):
    """The verbs that make a clause collect or share what it names."""

    collected: list[Regex] = Field(min_length=1)
    shared: list[Regex] = Field(min_length=1)


class LexiconFile(_Data):
    """`assessor/data/inventory.yaml`, validated like every file people edit."""

    verbs: LexiconVerbs
    not_recipient_after: list[Regex] = Field(min_length=1, description="What, before a name, makes it no recipient.")
    data: list[LexiconEntry] = Field(min_length=1)
    recipients: list[RecipientEntry] = Field(min_length=1)
    tracking: list[LexiconEntry] = Field(min_length=1)


LEXICON_FILE = "inventory.yaml"


@dataclass(frozen=True)
class Entry:
    """One lexicon entry: a kind of data, a recipient or a tracking technology; its patterns as one alternation
    (`source`), compiled when first run (only where its words occur: see `_sentences`)."""

    id: str
    label: str
    group: Group
    source: str
    kind: str = ""

    @cached_property
    def pattern(self) -> Led:
        """The alternation compiled (`_compiled`)."""
        return _compiled(self.source)


@dataclass(frozen=True)
class Lexicon:
    """The inventory's word lists, loaded from the package data."""

    entries: tuple[Entry, ...]
    collected: Led
    shared: Led
    not_recipient_after: Led


def _alternation(patterns: Sequence[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


def _compiled(source: str) -> Led:
    """A lexicon pattern compiled case-insensitive, as `compile_pattern` does, behind a look-ahead for its first
    letters (`regexes.led`: the same matches, found faster)."""
    return led(source, re.IGNORECASE)


def load_lexicon(path: Path | None = None) -> Lexicon:
    """The lexicon of `inventory.yaml` (the package's by default); LoadError names the file, line and field."""
    spec = load_data(LexiconFile, path or package_data(LEXICON_FILE))
    groups: tuple[tuple[Sequence[LexiconEntry], Group], ...] = (
        (spec.data, "data"), (spec.recipients, "recipient"), (spec.tracking, "tracking"))
    entries = [Entry(e.id, e.label, group, _alternation(e.patterns), e.kind if isinstance(e, RecipientEntry) else "")
               for items, group in groups for e in items]
    return Lexicon(tuple(entries), _compiled(_alternation(spec.verbs.collected)),
                   _compiled(_alternation(spec.verbs.shared)), _compiled(_alternation(spec.not_recipient_after)))


@cache
def lexicon() -> Lexicon:
    """The lexicon shipped in `assessor/data/inventory.yaml`, its entries' gated forms read from the cache folder
    (`cues.preload`)."""
    found = load_lexicon()
    preload((e.source for e in found.entries), cache_dir())
    return found


@dataclass
class _Item:
    entry: Entry
    collected: bool = False
    shared: bool = False
    recipients: list[str] = field(default_factory=list)
    evidence: list[tuple[int, Evidence]] = field(default_factory=list)


def _mentions(text: str, lo: int, hi: int, entries: Sequence[Entry]) -> list[tuple[Entry, re.Match[str]]]:
    """Entries named in text[lo:hi], in text order; one inside a longer one of its group ('session cookies') is
    dropped."""
    found = [(e, m) for e in entries for m in [e.pattern.search(text, lo, hi)] if m]
    return [(e, m) for e, m in sorted(found, key=lambda em: em[1].start())
            if not any(o is not e and o.group == e.group and om.start() <= m.start() and m.end() <= om.end()
                       and (om.end() - om.start()) > (m.end() - m.start()) for o, om in found)]


def _polarity(pattern: Led, text: str, lo: int, hi: int) -> tuple[bool, bool]:
    """(affirmed, negated): whether the verbs of `pattern` in text[lo:hi] occur affirmed, or negated."""
    affirmed = negated = False
    clause = text[lo:hi]
    for m in pattern.finditer(clause):
        if is_negated(clause, m.start()):
            negated = True
        else:
            affirmed = True
    return affirmed, negated


def _lead_in(paragraphs: Sequence[Paragraph], i: int) -> str:
    """The paragraph a list item continues ('We collect the following:'), or ''."""
    if paragraphs[i].kind not in ("li", "td"):
        return ""
    for j in range(i - 1, -1, -1):
        if paragraphs[j].kind not in ("li", "td"):
            text = paragraphs[j].text.rstrip()
            return text if text.endswith(":") else ""
    return ""


def _sentences(doc: PolicyDocument) -> Iterator[tuple[str, int, int, Paragraph, str, list[Entry]]]:
    """Sentences with their paragraph, its lead-in and the lexicon entries the paragraph names at all (each entry
    tried only on the paragraphs where its words occur)."""
    paragraphs = doc.paragraphs
    # entries' patterns are case-insensitive, as `folded` reads them
    index = WordIndex([cue_text(p.text) for p in paragraphs])
    prose = sum(1 << i for i, p in enumerate(paragraphs) if p.kind != "heading")
    found = [(e, index.matches(folded(e.source), prose)) for e in lexicon().entries]
    for i, p in enumerate(paragraphs):
        if not (named := [e for e, where in found if where >> i & 1]):
            continue
        lead = _lead_in(paragraphs, i)
        for s in sentences(p):
            yield s.text, s.start, s.end, p, lead, named


def inventory(doc: PolicyDocument) -> list[InventoryItem]:
    """Every lexicon entry the policy speaks of, in lexicon order, with what it says and where."""
    lex = lexicon()
    items: dict[str, _Item] = {}
    leads: dict[str, tuple[bool, bool]] = {"": (False, False)}  # whether a lead-in collects, shares: read once
    for text, start, end, paragraph, lead, named in _sentences(doc):
        if lead not in leads:
            leads[lead] = (_polarity(lex.collected, lead, 0, len(lead))[0],
                           _polarity(lex.shared, lead, 0, len(lead))[0])
        lead_collects, lead_shares = leads[lead]
        spans = clauses(text)
        for k, (lo, hi) in enumerate(spans):
            mentions = _mentions(text, lo, hi, named)
            if not mentions:
                continue
            # what a clause says of a recipient is told by its sharing verbs alone (see `_record`)
            collects, denies_collect = (_polarity(lex.collected, text, lo, hi)
                                        if any(e.group != "recipient" for e, _ in mentions) else (False, False))
            shares, denies_share = _polarity(lex.shared, text, lo, hi)
            recipients = [e for e, m in mentions
                          if e.group == "recipient" and not lex.not_recipient_after.search(text, lo, m.start())]
            if denies_share and not shares and k + 1 < len(spans):
                # "we do not share X except with your library": the exception is where X goes
                nxt_lo, nxt_hi = spans[k + 1]
                excepted = [e for e, _ in _mentions(text, nxt_lo, nxt_hi, named) if e.group == "recipient"]
                if excepted and carve_outs(text[nxt_lo:nxt_hi]):
                    shares, recipients = True, excepted
            collects = collects or (lead_collects and not denies_collect)
            shares = shares or (lead_shares and not denies_share)
            for entry, m in mentions:
                _record(items, entry, m, text, lo, start, end, paragraph, collects, shares,
                        (denies_collect, denies_share), recipients)
    order = {e.id: i for i, e in enumerate(lex.entries)}
    return [InventoryItem(item=it.entry.id, label=it.entry.label, group=it.entry.group, collected=it.collected,
                          shared=it.shared, recipients=it.recipients,
                          evidence=[e for _, e in sorted(it.evidence, key=lambda pe: (pe[0], pe[1].start))])
            for it in sorted(items.values(), key=lambda it: order[it.entry.id])]


def _record(items: dict[str, _Item], entry: Entry, m: re.Match[str], text: str, lo: int, start: int, end: int,
            paragraph: Paragraph, collects: bool, shares: bool, denials: tuple[bool, bool],
            recipients: list[Entry]) -> None:
    """Add what one clause says of one entry; `denials` says whether it denies collecting, and sharing."""
    denied = any(denials)
    if entry.group == "data":
        collected, shared = collects, shares
        to = [r.label for r in recipients] if shares else []
    elif entry.group == "recipient":
        denied = denials[1]  # a recipient is denied data only by a negated sharing verb
        named_sender = entry.kind in _SENDING_KINDS and not is_negated(text[lo:], m.start() - lo)
        collected, shared, to = False, (shares and entry in recipients) or named_sender, []
    else:
        used = not is_negated(text[lo:], m.start() - lo)
        collected, shared, to, denied = used, False, [], denied or not used
    if not (collected or shared or denied):
        return
    item = items.setdefault(entry.id, _Item(entry))
    item.collected |= collected
    item.shared |= shared
    item.recipients.extend(r for r in to if r not in item.recipients)
    what = [w for w, on in (("collected" if entry.group != "tracking" else "used", collected),
                            ("shared" + (f" with {', '.join(to)}" if to else ""), shared)) if on]
    note = ", ".join(what) or "denied"
    if any(e.start == start for _, e in item.evidence):
        return
    if len(item.evidence) < MAX_EVIDENCE or (what and any(e.note == "denied" for _, e in item.evidence)):
        item.evidence.append((0 if what else 1, Evidence(
            quote=text, section=" > ".join(paragraph.section), start=start, end=end, paragraph=paragraph.index,
            rule=f"inventory:{entry.id}", note=note)))
        item.evidence.sort(key=lambda pe: (pe[0], pe[1].start))
        del item.evidence[MAX_EVIDENCE:]
