"""Reports: review -> report model (`model.py`) -> HTML and Markdown (templates), JSON, CSV and XLSX.

`write_review` writes one vendor's files, `write_reports` many vendors plus the portfolio page. They take the
`generated_at` time to print (default: now, or `SOURCE_DATE_EPOCH` when set), so the same inputs give byte-identical
files.
"""

from __future__ import annotations

from .batch import BatchResult, write_reports
from .model import PortfolioReport, VendorReport, build_portfolio, build_vendor_report, review_report, safe_url
from .render import render_html, render_json, render_markdown
from .write import report_time, write_portfolio, write_review, write_vendor_report

__all__ = [
    "BatchResult", "PortfolioReport", "VendorReport", "build_portfolio", "build_vendor_report", "render_html",
    "render_json", "render_markdown", "report_time", "review_report", "safe_url",
    "write_portfolio", "write_reports", "write_review", "write_vendor_report",
]

