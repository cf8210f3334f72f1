"""Report files on disk, written atomically: `<stem>.html` (the main report), `.md`, `.json`, `.csv`, `.xlsx`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import AssessorError
from ..fileio import atomic_write_bytes, atomic_write_text
from .model import PortfolioReport, VendorReport, build_portfolio, report_time, review_report
from .render import render_html, render_json, render_markdown
from .letter import letter_docx
from .tables import findings_csv, findings_xlsx

if TYPE_CHECKING:
    from ..pipeline import Review

PORTFOLIO = "portfolio"


def write_report_files(report: VendorReport | PortfolioReport, rows: Sequence[VendorReport], out: Path,
                       stem: str) -> list[Path]:
    """Write `stem`.html, .md, .json, .csv and .xlsx into `out`; return their paths, HTML first."""
    paths = [out / f"{stem}.{ext}" for ext in ("html", "md", "json", "csv", "xlsx")]
    for path, text in zip(paths[:4], (render_html(report), render_markdown(report), render_json(report),
                                  findings_csv(rows)), strict=True):
        atomic_write_text(path, text)
    atomic_write_bytes(paths[4], findings_xlsx(rows, report.generated_at))
    return paths


def write_vendor_report(report: VendorReport, out: Path) -> list[Path]:
    """Write one vendor's report files (`<vendor>.html` first, then .md, .json, .csv, .xlsx and the letter of
    questions `<vendor>-questions.docx`)."""
    if report.vendor == PORTFOLIO:
        raise AssessorError(f"vendor id {PORTFOLIO!r} is reserved for the portfolio page")
    paths = write_report_files(report, [report], out, report.vendor)
    letter = out / f"{report.vendor}-questions.docx"
    atomic_write_bytes(letter, letter_docx(report))
    return [*paths, letter]


def write_review(review: Review, out: Path, generated_at: dt.datetime | None = None) -> list[Path]:
    """Write a vendor's report files into `out`; return their paths, main report (HTML) first."""
    return write_vendor_report(review_report(review, generated_at or report_time()), out)


def write_portfolio(reports: Sequence[VendorReport], out: Path, *, generated_at: dt.datetime,
                    failures: Mapping[str, str] | None = None,
                    changes: Mapping[str, Sequence[str]] | None = None) -> list[Path]:
    """Write the portfolio page (and every vendor's findings as one CSV/XLSX); return the paths, HTML first."""
    portfolio = build_portfolio(reports, generated_at=generated_at, failures=failures, changes=changes)
    by_risk = {r.vendor: r for r in reports}
    return write_report_files(portfolio, [by_risk[row.vendor] for row in portfolio.rows], out, PORTFOLIO)
