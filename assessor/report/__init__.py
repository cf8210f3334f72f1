"""Reports: review -> report model (`model.py`) -> HTML and Markdown (templates), JSON, CSV and XLSX.

`write_review` writes one vendor's files, `write_reports` many vendors plus the portfolio page. They take the
`generated_at` time to print (default: now, or `SOURCE_DATE_EPOCH` when set), so the same inputs give byte-identical
files. The names below are imported when first used, so a caller that only needs the report model (the terminal
table of `assessor score`) never imports the template engine or the spreadsheet writer.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .batch import BatchResult, write_reports
    from .model import (PortfolioReport, VendorReport, build_portfolio, build_vendor_report, report_time,
                        review_report, safe_url)
    from .render import render_html, render_json, render_markdown
    from .write import write_portfolio, write_review, write_vendor_report

_MODULE_OF = {
    "BatchResult": "batch", "write_reports": "batch",
    "PortfolioReport": "model", "VendorReport": "model", "build_portfolio": "model", "build_vendor_report": "model",
    "report_time": "model", "review_report": "model", "safe_url": "model",
    "render_html": "render", "render_json": "render", "render_markdown": "render",
    "write_portfolio": "write", "write_review": "write", "write_vendor_report": "write",
}
__all__ = [
    "BatchResult", "PortfolioReport", "VendorReport", "build_portfolio", "build_vendor_report", "render_html",
    "render_json", "render_markdown", "report_time", "review_report", "safe_url",
    "write_portfolio", "write_reports", "write_review", "write_vendor_report",
]


def __getattr__(name: str) -> Any:
    """Import an exported name's module when the name is first asked for."""
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_MODULE_OF[name]}", __name__), name)
