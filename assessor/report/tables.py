"""Findings as spreadsheets: one row per vendor x criterion, in CSV and XLSX, safe against formula injection."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.writer.excel import ExcelWriter

from .model import FindingView, VendorReport

Cell = str | float | bool
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")

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
)
HEADERS = tuple(name for name, _ in _COLUMNS)


def neutralise(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula (a leading `'` before = + - @ tab CR LF)."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def finding_rows(reports: Sequence[VendorReport]) -> list[tuple[Cell, ...]]:
    """One row per vendor x criterion, text cells neutralised."""
    return [tuple(neutralise(v) if isinstance(v, str) else v for v in (get(r, f) for _, get in _COLUMNS))
            for r in reports for f in r.findings]


def findings_csv(reports: Sequence[VendorReport]) -> str:
    """The findings as CSV (RFC 4180, CRLF line ends)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in finding_rows(reports):
        writer.writerow(["true" if v is True else "false" if v is False else v for v in row])
    return buf.getvalue()


def findings_xlsx(reports: Sequence[VendorReport], generated_at: dt.datetime) -> bytes:
    """The findings as an XLSX workbook; byte-identical for the same inputs and `generated_at`."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Findings"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in finding_rows(reports):
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGHIJKLMNOPQRSTUVWXY", (14, 24, 10, 9, 7, 30, 12, 12, 12, 36, 20, 9, 7, 13, 10,
                                                          13, 30, 14, 12, 9, 60, 24, 30, 50, 50), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    when = generated_at.astimezone(dt.UTC).replace(tzinfo=None) if generated_at.tzinfo else generated_at
    wb.properties.creator = "assessor"
    wb.properties.created = wb.properties.modified = when
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # not `wb.save`, which stamps the clock as "modified"
    return _fixed_zip(raw.getvalue(), when)


def _fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same zip with every entry stamped `when`, so the file does not change with the clock."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
