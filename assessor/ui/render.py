"""Rendering helpers for the widget applications: HTML (every value escaped), fixed-width text tables, busy buttons."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any

import ipywidgets as widgets

from ..classify import THRESHOLD, classify
from ..report.model import topic_label
from ..models import Assessment, Finding, PolicyDocument, RiskTier, Status, Topic
from ..scales import score_tier

STATUS_COLOURS = {Status.MET: "#d7f0d2", Status.PARTIAL: "#fdf0c4", Status.NOT_MET: "#f7c9c4",
                  Status.NOT_ADDRESSED: "#f1e1f7", Status.NEEDS_REVIEW: "#dde6f5"}
TIER_COLOURS = {RiskTier.LOW: "#2e7d32", RiskTier.MODERATE: "#a66f00", RiskTier.HIGH: "#c0471c",
                RiskTier.CRITICAL: "#a01010"}
TIER_BACKGROUNDS = {RiskTier.LOW: "#c8e6c9", RiskTier.MODERATE: "#fff3c4", RiskTier.HIGH: "#ffd8b0",
                    RiskTier.CRITICAL: "#f5b7b1"}
FINDING_COLUMNS = ("criterion", "checklist", "severity", "status", "evidence", "title")
FINDING_HEADERS = ("Criterion", "Checklist", "Severity", "Status", "Passages", "What it asks")
CellStyle = Callable[[str, str], str]


def text_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain fixed-width table (left-aligned columns), the form the notebooks' checked cells print."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def html_table(headers: Sequence[str], rows: Sequence[Sequence[object]], style: CellStyle | None = None) -> str:
    """An HTML table; `style(column, value)` may return inline CSS for a cell. Every value is escaped."""
    head = "".join(f"<th style='text-align:left;padding:2px 8px'>{escape(str(h))}</th>" for h in headers)
    body = []
    for row in rows:
        tds = []
        for header, value in zip(headers, row, strict=True):
            css = "padding:2px 8px;" + (style(header, str(value)) if style else "")
            tds.append(f"<td style='{escape(css)}'>{escape(str(value))}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    return scrollable(f"<table style='border-collapse:collapse'><thead><tr>{head}</tr></thead>"
                      f"<tbody>{''.join(body)}</tbody></table>")


def scrollable(html: str) -> str:
    """A wide table in a box that scrolls sideways on a narrow screen instead of widening the page."""
    return f"<div style='max-width:100%;overflow-x:auto'>{html}</div>"


class CheckedText:
    """Text a notebook cell shows to nbval but not to people: its plain-text form (what nbval compares and the stored
    notebook keeps) comes with an empty HTML form, which JupyterLab and Voilà display instead, so the apps show only
    the widgets while CI still checks the result."""

    def __init__(self, text: str):
        self.text = text

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        return {"text/plain": self.text, "text/html": ""}


def status_text(status: Status) -> str:
    """'not addressed' for not_addressed: a status as people read it."""
    return status.value.replace("_", " ")


def status_label(finding: Finding, words: bool = True) -> str:
    """A finding's status (in words, else its id), marked when a librarian's override set it (and when that override
    is stale)."""
    status = status_text(finding.status) if words else finding.status.value
    if finding.override is None:
        return status
    return status + (" (override, stale)" if finding.override.stale else " (override)")


def finding_rows(assessment: Assessment) -> list[tuple[str, ...]]:
    """One row per finding, in `FINDING_COLUMNS` order, with ids (the checked notebook cells' form)."""
    return [(f.criterion, f.checklist, f.severity.value, status_label(f, words=False), str(len(f.evidence)), f.title)
            for f in assessment.findings]


def _status_style(column: str, value: str) -> str:
    if column != FINDING_HEADERS[3]:
        return ""
    status = next(s for s in Status if value.startswith(status_text(s)))
    return f"background:{STATUS_COLOURS[status]}"


def findings_html(assessment: Assessment, checklist_titles: Mapping[str, str] | None = None) -> str:
    """The findings table for people (checklist titles, statuses in words), coloured by status."""
    titles = checklist_titles or {}
    rows = [(f.criterion, titles.get(f.checklist, f.checklist), f.severity.value, status_label(f),
             str(len(f.evidence)), f.title) for f in assessment.findings]
    return html_table(FINDING_HEADERS, rows, _status_style)


def assessment_text(assessment: Assessment) -> str:
    """Score, tier and the findings as plain text: what the checked notebook cells show (no paths, no dates)."""
    head = f"{assessment.vendor_name}: score {assessment.score:g}/100, risk {assessment.tier.value}"
    rows = [r[:4] for r in finding_rows(assessment)]
    return head + "\n" + text_table(FINDING_COLUMNS[:4], rows)


def score_html(assessment: Assessment) -> str:
    """The headline: vendor, score, risk tier and the one-sentence summary."""
    colour = TIER_COLOURS[assessment.tier]
    return (f"<h3 style='margin:4px 0'>{escape(assessment.vendor_name)}</h3>"
            f"<div><span style='font-size:1.6em;font-weight:bold'>{assessment.score:g}</span>/100 &nbsp;"
            f"<span style='color:white;background:{colour};padding:2px 8px;border-radius:4px'>"
            f"risk {escape(assessment.tier.value)}</span></div>"
            f"<p>{escape(assessment.summary)}</p>")


def _highlight(text: str, start: int, end: int) -> str:
    """The text, escaped, with [start, end) marked."""
    start, end = max(0, start), min(len(text), end)
    return escape(text[:start]) + "<mark>" + escape(text[start:end]) + "</mark>" + escape(text[end:])


def finding_html(finding: Finding, doc: PolicyDocument) -> str:
    """One finding in full: rationale, override, and each piece of evidence shown inside its paragraph."""
    parts = [f"<h4 style='margin:4px 0'>{escape(finding.criterion)}: {escape(finding.title)}</h4>",
             f"<p><b>{escape(status_label(finding))}</b> ({escape(finding.severity.value)}, "
             f"confidence {finding.confidence:g}): {escape(finding.rationale)}</p>"]
    if finding.override is not None:
        o = finding.override.override
        parts.append(f"<p>Override by {escape(o.reviewer)} on {o.date.isoformat()} (automatic status "
                     f"{escape(finding.override.automatic_status.value)}): {escape(o.note)}</p>")
    by_index = {p.index: p for p in doc.paragraphs}
    for ev in finding.evidence:
        para = by_index.get(ev.paragraph) if ev.paragraph is not None else None
        where = f"¶{ev.paragraph} · {ev.section}" if ev.paragraph is not None else ev.section
        body = (_highlight(para.text, ev.start - para.start, ev.end - para.start) if para is not None
                else escape(ev.quote))
        parts.append(f"<div style='margin:6px 0'><small>{escape(where)} · rule {escape(ev.rule)}</small>"
                     f"<blockquote style='margin:2px 0 2px 12px'>{body}</blockquote></div>")
    if not finding.evidence:
        parts.append("<p><i>No passage of the document matched this criterion.</i></p>")
    return "".join(parts)


def topic_counts(doc: PolicyDocument) -> dict[Topic, int]:
    """How many paragraphs carry each topic (at the classifier's threshold); topics with none are left out."""
    counts: dict[Topic, int] = {}
    for para in classify(doc):
        for score in para.topics:
            if score.confidence >= THRESHOLD:
                counts[score.topic] = counts.get(score.topic, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: kv[0].value))


def topic_html(doc: PolicyDocument, topic: Topic) -> str:
    """The paragraphs of a document classified with a topic, with their section."""
    parts = [f"<div style='margin:6px 0'><small>{escape(para.section)}</small>"
             f"<blockquote style='margin:2px 0 2px 12px'>{escape(para.text)}</blockquote></div>"
             for para in classify(doc) if any(s.topic == topic and s.confidence >= THRESHOLD for s in para.topics)]
    return "".join(parts) or f"<p><i>No paragraph is about {escape(topic_label(topic.value))}.</i></p>"


def message_html(text: str, error: bool = False) -> str:
    """A one-line status message (red for errors)."""
    colour = "#a01010" if error else "#2e5e2e"
    return f"<span style='color:{colour}'>{escape(text)}</span>"


def heat_colour(score: float | None) -> str:
    """Background for a 0–100 score: red through amber to green; grey when nothing could be scored."""
    return "#eeeeee" if score is None else TIER_BACKGROUNDS[score_tier(score)]


def heatmap_html(rows: Sequence[str], columns: Sequence[str], values: Mapping[tuple[str, str], float | None]) -> str:
    """A heat map table: one row per vendor, one column per topic, cells coloured by score."""
    head = "".join(f"<th style='padding:2px 6px;font-size:0.8em'>{escape(c)}</th>" for c in columns)
    body = []
    for r in rows:
        cells = []
        for c in columns:
            v = values.get((r, c))
            text = "" if v is None else f"{v:g}"
            cells.append(f"<td style='background:{heat_colour(v)};padding:2px 6px;text-align:right'>"
                         f"{escape(text)}</td>")
        body.append(f"<tr><th style='text-align:left;padding:2px 6px'>{escape(r)}</th>{''.join(cells)}</tr>")
    return scrollable(f"<table style='border-collapse:collapse'><thead><tr><th></th>{head}</tr></thead>"
                      f"<tbody>{''.join(body)}</tbody></table>")


def on_click_busy(button: widgets.Button, action: Callable[[], Any]) -> None:
    """Run `action` when the button is clicked, with the button disabled until it returns (no double submits)."""
    def run(_: widgets.Button) -> None:
        button.disabled = True
        try:
            action()
        finally:
            button.disabled = False
    button.on_click(run)
