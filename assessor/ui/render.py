"""Rendering helpers for the widget applications, on the report model (`assessor.report.model`): HTML (every value
escaped) and busy buttons; the plain-text tables come from `assessor.report.text`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import Any

import ipywidgets as widgets

from ..classify import THRESHOLD, classify
from ..models import Assessment, PolicyDocument, Topic
from ..loading import LoadedChecklist
from ..report import build_vendor_report, report_time
from ..report.model import FindingView, PortfolioReport, VendorReport
from ..scales import (
    BANDS, ON_STRONG, STATUS_LABELS, score_band, score_text, status_swatch, tier_swatch, topic_label,
)

FINDING_HEADERS = ("Criterion", "Checklist", "Severity", "Status", "Passages", "What it asks")
CellStyle = Callable[[str, str], str]


def report_view(assessment: Assessment, document: PolicyDocument | None = None,
                checklists: Sequence[LoadedChecklist] = ()) -> VendorReport:
    """What the applications show of an assessment: its report model (whose time stamp they do not show); without
    the document, evidence is the bare quotes (enough for tables)."""
    return build_vendor_report(assessment, document, checklists, generated_at=report_time())


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


def status_shown(finding: FindingView) -> str:
    """A finding's status as people read it, marked when a librarian's override set it (and when that override is
    stale): `Not met (override)`."""
    return finding.status_label + finding.override_mark


def _status_style(column: str, value: str) -> str:
    if column != FINDING_HEADERS[3]:
        return ""
    status = next(s for s, label in STATUS_LABELS.items() if value == label or value.startswith(label + " ("))
    return f"background:{status_swatch(status).fill}"


def findings_html(report: VendorReport) -> str:
    """The findings table for people (checklist titles, statuses in words), coloured by status."""
    rows = [(f.criterion, report.checklist_title(f.checklist), f.severity.value, status_shown(f),
             str(len(f.evidence)), f.title) for f in report.findings]
    return html_table(FINDING_HEADERS, rows, _status_style)


def score_html(report: VendorReport) -> str:
    """The headline: vendor, score, risk tier and the one-sentence summary."""
    colour = tier_swatch(report.tier).strong
    return (f"<h3 style='margin:4px 0'>{escape(report.vendor_name)}</h3>"
            f"<div><span style='font-size:1.6em;font-weight:bold'>{escape(score_text(report.score))}</span>/100 &nbsp;"
            f"<span style='color:{ON_STRONG};background:{colour};padding:2px 8px;border-radius:4px'>"
            f"risk {escape(report.tier.value)}</span></div>"
            f"<p>{escape(report.summary)}</p>")


def finding_html(finding: FindingView) -> str:
    """One finding in full: rationale, override, and each passage quoted, marked inside its paragraph (a passage an
    earlier finding quoted points there)."""
    parts = [f"<h4 style='margin:4px 0'>{escape(finding.criterion)}: {escape(finding.title)}</h4>",
             f"<p><b>{escape(status_shown(finding))}</b> ({escape(finding.severity.value)}, "
             f"confidence {finding.confidence:g}): {escape(finding.rationale)}</p>"]
    if finding.override is not None:
        o = finding.override
        parts.append(f"<p>Override by {escape(o.reviewer)} on {o.date.isoformat()} (automatic status "
                     f"{escape(o.automatic_label.lower())}): {escape(o.note)}</p>")
    for ev in finding.evidence:
        where = " · ".join(filter(None, [ev.section, "rule" + ("s" if len(ev.rules) > 1 else "") + " "
                                         + ", ".join(ev.rules)]))
        body = "".join(f"<mark>{escape(s.text)}</mark>" if s.mark else escape(s.text) for s in ev.context)
        if ev.same_as:
            body = f"{escape(ev.quote)} <small>(shown under {escape(ev.same_as)})</small>"
        parts.append(f"<div style='margin:6px 0'><small>{escape(where)}</small>"
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
    return "".join(parts) or f"<p><i>No paragraph is about {escape(topic_label(topic))}.</i></p>"


def message_html(text: str, error: bool = False) -> str:
    """A one-line status message (red for errors)."""
    colour = BANDS["bad" if error else "good"].ink
    return f"<span style='color:{colour}'>{escape(text)}</span>"


def heat_colour(score: float | None) -> str:
    """Background for a 0–100 score: red through amber to green; grey when nothing could be scored."""
    return BANDS[score_band(score)].fill


def heatmap_html(portfolio: PortfolioReport) -> str:
    """A heat map table: one row per vendor (by name, riskiest first), one column per topic, cells coloured by
    score."""
    head = "".join(f"<th style='padding:2px 6px;font-size:0.8em'>{escape(t.label)}</th>" for t in portfolio.topics)
    body = []
    for row in portfolio.rows:
        cells = "".join(f"<td style='background:{heat_colour(c.score)};padding:2px 6px;text-align:right'>"
                        f"{escape(score_text(c.score))}</td>" for c in row.cells)
        body.append(f"<tr><th style='text-align:left;padding:2px 6px'>{escape(row.vendor_name)}</th>{cells}</tr>")
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
