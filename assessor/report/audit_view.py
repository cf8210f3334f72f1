"""The annual-audit report: an AuditRun rendered to HTML and Markdown (same templates machinery), plus JSON."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .. import __version__
from ..audit import AuditRun
from ..fileio import atomic_write_text
from .render import render_html, render_json, render_markdown


class AuditReport(BaseModel):
    """What the audit templates read."""

    model_config = ConfigDict(frozen=True)
    report: Literal["audit"] = "audit"
    tool_version: str = __version__
    generated_at: dt.datetime
    run: AuditRun


def write_audit(run: AuditRun, out: Path) -> list[Path]:
    """Write audit.html, audit.md and audit.json into `out`; return their paths, HTML first."""
    report = AuditReport(generated_at=run.run_at, run=run)
    paths = [out / "audit.html", out / "audit.md", out / "audit.json"]
    for path, text in zip(paths, (render_html(report), render_markdown(report), render_json(run)), strict=True):
        atomic_write_text(path, text)
    return paths
