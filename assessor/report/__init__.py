"""Reports: assessment -> report model -> templates (HTML, Markdown) and tables."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..models import Assessment
from ..reviews import atomic_write_text

if TYPE_CHECKING:
    from ..pipeline import Review


def render_markdown_summary(assessment: Assessment) -> str:
    """A short Markdown summary of an assessment."""
    lines = [f"# {assessment.vendor_name}", "", assessment.summary, "",
             "| criterion | status | severity | title |", "|---|---|---|---|"]
    lines += [f"| {f.criterion} | {f.status.value} | {f.severity.value} | {f.title} |" for f in assessment.findings]
    return "\n".join(lines) + "\n"


def write_review(review: Review, out: Path) -> list[Path]:
    """Write a vendor's report files into `out`; return their paths, main report first."""
    md = out / f"{review.vendor.id}.md"
    js = out / f"{review.vendor.id}.json"
    atomic_write_text(md, render_markdown_summary(review.assessment))
    atomic_write_text(js, review.assessment.model_dump_json(indent=2) + "\n")
    return [md, js]
