"""Findings as spreadsheets: one row per vendor x criterion, in CSV and XLSX, safe against formula injection."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ..models import RiskTier, Severity, Status
from ..scales import STATUS_LABELS, status_swatch, tier_swatch
from .model import FindingView, VendorReport, sources_text
from .ooxml import fixed_zip, naive_utc

Cell = str | float | bool
# ALA's checklists rank items Priority 1 (do first) to 3; a criterion's severity gives its priority.
PRIORITY = {Severity.CRITICAL: "Priority 1", Severity.HIGH: "Priority 1", Severity.MEDIUM: "Priority 2",
            Severity.LOW: "Priority 3", Severity.INFO: "Priority 3"}
# Cells coloured as the reports colour them (spreadsheets write colours as RRGGBB).
STATUS_FILL = {s: status_swatch(s).fill.lstrip("#").upper() for s in Status}
TIER_FILL = {t: tier_swatch(t).fill.lstrip("#").upper() for t in RiskTier}
SUMMARY_HEADERS = ("vendor", "vendor_name", "category", "tier", "score", *STATUS_LABELS.values(), "questions",
                   "summary")
QUESTION_HEADERS = ("vendor", "number", "priority", "status", "concern", "question_for_vendor", "clause_to_request",
                    "criteria", "sources")
# What makes a spreadsheet read a cell as a formula (or a DDE call): these first characters, also after leading
# spaces (some programs trim them on import), and their fullwidth forms (which some programs fold to ASCII).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Characters a program may drop unseen before it looks at the first one: DEL, C1 controls, zero-width and direction
# marks, the byte-order mark.
_INVISIBLE_RE = re.compile("[\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")

_COLUMNS: tuple[tuple[str, Callable[[VendorReport, FindingView], Cell]], ...] = (
    ("vendor", lambda r, f: r.vendor),
    ("vendor_name", lambda r, f: r.vendor_name),
    ("category", lambda r, f: r.category),
    ("tier", lambda r, f: r.tier.value),
    ("score", lambda r, f: r.score),
    ("document", lambda r, f: r.documents[0].source if r.documents else ""),
    ("document_sha256", lambda r, f: r.documents[0].sha256 if r.documents else ""),
    ("checklist", lambda r, f: f.checklist),
    ("criterion", lambda r, f: f.criterion),
    ("title", lambda r, f: f.title),
    ("topic", lambda r, f: f.topic),
    ("severity", lambda r, f: f.severity.value),
    ("weight", lambda r, f: f.weight),
    ("status", lambda r, f: f.status.value),
    ("confidence", lambda r, f: f.confidence),
    ("automatic_status", lambda r, f: f.override.automatic_status.value if f.override else f.status.value),
    ("override_note", lambda r, f: f.override.note if f.override else ""),
    ("override_reviewer", lambda r, f: f.override.reviewer if f.override else ""),
    ("override_date", lambda r, f: f.override.date.isoformat() if f.override else ""),
    ("override_stale", lambda r, f: bool(f.override and f.override.stale)),
    ("evidence", lambda r, f: "\n".join(e.quote for e in f.evidence)),
    ("evidence_section", lambda r, f: f.evidence[0].section if f.evidence else ""),
    ("citation", lambda r, f: "; ".join(c.source + (f", {c.section}" if c.section else "") for c in f.citations)),
    ("question_for_vendor", lambda r, f: f.ask_question),
    ("clause_to_request", lambda r, f: f.ask_clause),
    ("priority", lambda r, f: PRIORITY[f.severity]),
    ("concern", lambda r, f: f.concern_title),
)
HEADERS = tuple(name for name, _ in _COLUMNS)


def neutralise(value: str) -> str:
    """The final text of a cell, the same in CSV and XLSX: characters XML cannot hold (control characters) removed
    first, then a leading `'` if what is left could start a formula (= + - @ tab CR LF, after spaces, invisible
    characters or fullwidth), so that no character stripped later can uncover a formula."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    bare = _INVISIBLE_RE.sub("", value)
    return "'" + value if bare.startswith(FORMULA_PREFIXES) or bare.lstrip().startswith(FORMULA_PREFIXES) else value


def finding_rows(reports: Sequence[VendorReport]) -> list[tuple[Cell, ...]]:
    """One row per vendor x criterion, text cells neutralised."""
    return [_text_row([get(r, f) for _, get in _COLUMNS]) for r in reports for f in r.findings]


def findings_csv(reports: Sequence[VendorReport]) -> str:
    """The findings as CSV (RFC 4180, CRLF line ends)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in finding_rows(reports):
        writer.writerow(["true" if v is True else "false" if v is False else v for v in row])
    return buf.getvalue()


def _sheet(ws: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[Cell]], widths: Sequence[int]) -> None:
    """Fill a sheet: bold frozen header, filters, wrapped text; every text cell neutralised (`neutralise`)."""
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(_text_row(row))
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip(ws.iter_cols(min_row=1, max_row=1), widths, strict=True):
        ws.column_dimensions[column[0].column_letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def _fill(ws: Worksheet, column: str, colours: dict[str, str]) -> None:
    """Colour the cells of a column by their value (a status or a tier)."""
    index = [c.value for c in ws[1]].index(column)
    for row in ws.iter_rows(min_row=2):
        colour = colours.get(str(row[index].value))
        if colour:
            row[index].fill = PatternFill("solid", start_color=colour, end_color=colour)


def _text_row(values: Sequence[Cell]) -> tuple[Cell, ...]:
    return tuple(neutralise(v) if isinstance(v, str) else v for v in values)


def findings_xlsx(reports: Sequence[VendorReport], generated_at: dt.datetime) -> bytes:
    """The workbook librarians know from ALA's checklist spreadsheets: a Summary sheet (one row per vendor), the
    Findings (one row per vendor x criterion, with its priority, coloured by status) and the Questions to send;
    frozen headers and filters on each. Byte-identical for the same inputs and `generated_at`."""
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    _sheet(summary, SUMMARY_HEADERS, [(
        r.vendor, r.vendor_name, r.category_label, r.tier.value, r.score, *r.counts.values(), len(r.asks),
        r.headline) for r in reports], (16, 28, 12, 10, 8, 8, 11, 9, 14, 13, 10, 80))
    _fill(summary, "tier", {t.value: c for t, c in TIER_FILL.items()})
    findings = wb.create_sheet("Findings")
    _sheet(findings, HEADERS, finding_rows(reports), (14, 24, 10, 9, 7, 30, 12, 12, 12, 36, 20, 9, 7, 13, 10, 13, 30,
                                                      14, 12, 9, 60, 24, 30, 50, 50, 11, 36))
    _fill(findings, "status", {s.value: c for s, c in STATUS_FILL.items()})
    questions = wb.create_sheet("Questions")
    _sheet(questions, QUESTION_HEADERS, [(
        r.vendor, n, PRIORITY[a.severity], a.status.value, a.title, a.question, a.clause,
        ", ".join(c.criterion for c in a.criteria),
        sources_text(a.sources))
        for r in reports for n, a in enumerate(r.asks, 1)], (16, 8, 11, 13, 36, 60, 60, 30, 50))
    _fill(questions, "status", {s.value: c for s, c in STATUS_FILL.items()})
    when = naive_utc(generated_at)
    wb.properties.creator = "assessor"
    wb.properties.created = wb.properties.modified = when
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # not `wb.save`, which stamps the clock as "modified"
    return fixed_zip(raw.getvalue(), when)

