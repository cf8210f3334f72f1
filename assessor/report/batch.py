"""Reports for many vendors at once: one set of files per vendor plus the portfolio; a vendor that fails is
recorded and the others are still written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import AssessorError
from .model import HistoryPoint, VendorReport, review_report
from .write import write_portfolio, write_vendor_report

if TYPE_CHECKING:
    from ..pipeline import Review


@dataclass
class BatchResult:
    """What a batch wrote, and which vendors failed with which one-line message."""

    reports: list[VendorReport] = field(default_factory=list)
    written: dict[str, list[Path]] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    portfolio: list[Path] = field(default_factory=list)


def _message(exc: Exception) -> str:
    text = (str(exc).splitlines() or [""])[0]
    return text if isinstance(exc, AssessorError) else f"{type(exc).__name__}: {text}"


def write_reports(vendor_ids: Iterable[str], review: Callable[[str], Review], out: Path, *,
                  generated_at: dt.datetime, changes: Mapping[str, Sequence[str]] | None = None,
                  history: Mapping[str, Sequence[HistoryPoint]] | None = None,
                  progress: Callable[[str, VendorReport | None, str], None] | None = None) -> BatchResult:
    """Review and write every vendor, then the portfolio; `history` gives vendors' scores at stored audits;
    `progress(vendor, report or None, path or error)`."""
    result = BatchResult()
    for vendor_id in vendor_ids:
        try:
            report = review_report(review(vendor_id), generated_at, (history or {}).get(vendor_id, ()))
            paths = write_vendor_report(report, out)
        except Exception as exc:  # noqa: BLE001 - one broken vendor must not stop the others
            result.failures[vendor_id] = _message(exc)
            if progress:
                progress(vendor_id, None, result.failures[vendor_id])
            continue
        result.reports.append(report)
        result.written[vendor_id] = paths
        if progress:
            progress(vendor_id, report, str(paths[0]))
    result.portfolio = write_portfolio(result.reports, out, generated_at=generated_at, failures=result.failures,
                                       changes=changes)
    return result
