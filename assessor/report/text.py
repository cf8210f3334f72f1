"""The report model as plain text: fixed-width tables for the terminal and for the notebook cells CI compares."""

from __future__ import annotations

from collections.abc import Sequence

from ..scales import score_text
from .model import VendorReport

# A finding as a table row, by column: ids and values (what the command line and the checked notebook cells print).
FINDING_COLUMNS = ("criterion", "checklist", "severity", "status", "evidence", "title")


def text_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain fixed-width table (left-aligned columns), the form the notebooks' checked cells print."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def finding_rows(report: VendorReport) -> list[tuple[str, ...]]:
    """One row per finding in `FINDING_COLUMNS` order, with ids; an override is marked after the status and
    `evidence` counts the passages quoted."""
    return [(f.criterion, f.checklist, f.severity.value, f.status.value + f.override_mark, str(len(f.evidence)),
             f.title) for f in report.findings]


def headline_text(report: VendorReport) -> str:
    """`Vendor: score 72.5/100, risk moderate`."""
    return f"{report.vendor_name}: score {score_text(report.score)}/100, risk {report.tier.value}"


def review_text(report: VendorReport) -> str:
    """Score, tier and the findings as plain text: what the checked notebook cells show (no paths, no dates)."""
    return headline_text(report) + "\n" + text_table(FINDING_COLUMNS[:4], [r[:4] for r in finding_rows(report)])


def terminal_table(report: VendorReport) -> str:
    """`assessor score`'s table: the summary, then one line per finding (criterion, status with `*` when a
    librarian's override set it, severity, title)."""
    lines = [f"{report.vendor_name}: {report.summary}", ""]
    width = max((len(f.criterion) for f in report.findings), default=10)
    for f in report.findings:
        mark = "*" if f.override else " "
        lines.append(f"{f.criterion:<{width}}  {f.status.value:<13}{mark} {f.severity.value:<8}  {f.title}")
    return "\n".join(lines)
