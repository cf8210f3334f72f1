"""Reports: review -> report model (`model.py`) -> HTML and Markdown (templates), JSON, CSV and XLSX.

`write_review` writes one vendor's files, `write_reports` many vendors plus the portfolio page. They take the
`generated_at` time to print (default: now, or `SOURCE_DATE_EPOCH` when set), so the same inputs give byte-identical
files.
"""

from __future__ import annotations

from ..models import Assessment
from .batch import BatchResult, write_reports
from .model import PortfolioReport, VendorReport, build_portfolio, build_vendor_report, review_report, safe_url
from .render import md_escape, render_html, render_json, render_markdown
from .write import report_time, write_portfolio, write_review, write_vendor_report

__all__ = [
    "BatchResult", "PortfolioReport", "VendorReport", "build_portfolio", "build_vendor_report", "render_html",
    "render_json", "render_markdown", "render_markdown_summary", "report_time", "review_report", "safe_url",
    "write_portfolio", "write_reports", "write_review", "write_vendor_report",
]


def render_markdown_summary(assessment: Assessment) -> str:
    """A short Markdown summary of an assessment: vendor, summary and a table of findings."""
    lines = [f"# {md_escape(assessment.vendor_name)}", "", md_escape(assessment.summary), "",
             "| criterion | status | severity | title |", "|---|---|---|---|"]
    lines += [f"| {md_escape(f.criterion)} | {f.status.value} | {f.severity.value} | {md_escape(f.title)} |"
              for f in assessment.findings]
    return "\n".join(lines) + "\n"
