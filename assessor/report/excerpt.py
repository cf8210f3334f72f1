"""A quotation shown inside its paragraph: the paragraph cut into plain and highlighted segments."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from ..models import Evidence, PolicyDocument

CONTEXT = 240


class Segment(BaseModel):
    """A run of paragraph text; `mark` is True for the quoted evidence."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    text: str
    mark: bool = False


def _trim_left(text: str) -> str:
    if len(text) <= CONTEXT:
        return text
    cut = text[-CONTEXT:]
    return "…" + cut[cut.find(" ") + 1:] if " " in cut else "…" + cut


def _trim_right(text: str) -> str:
    if len(text) <= CONTEXT:
        return text
    cut = text[:CONTEXT]
    return (cut[:cut.rfind(" ")] if " " in cut else cut) + "…"


def highlight(document: PolicyDocument, evidence: Evidence) -> list[Segment]:
    """The evidence's paragraph with the quote marked (long paragraphs trimmed around it); the bare quote when
    the paragraph cannot be found or no longer holds the quote."""
    paragraph = next((p for p in document.paragraphs if p.index == evidence.paragraph), None)
    if paragraph is None:
        paragraph = next((p for p in document.paragraphs if p.start <= evidence.start and evidence.end <= p.end),
                         None)
    if paragraph is None:
        return [Segment(text=evidence.quote, mark=True)]
    start, end = evidence.start - paragraph.start, evidence.end - paragraph.start
    text = paragraph.text
    if not (0 <= start < end <= len(text)) or text[start:end] != evidence.quote:
        start = text.find(evidence.quote)
        if start < 0 or not evidence.quote:
            return [Segment(text=evidence.quote, mark=True)]
        end = start + len(evidence.quote)
    parts = [Segment(text=_trim_left(text[:start])), Segment(text=text[start:end], mark=True),
             Segment(text=_trim_right(text[end:]))]
    return [p for p in parts if p.text]
