"""Report models into text: HTML and Markdown through Jinja2 templates, and JSON.

Everything taken from a policy or a profile is untrusted. HTML templates autoescape; Markdown templates escape every
expression through `finalize` (HTML-significant characters become entities, Markdown punctuation is backslashed);
JSON escapes `<`, `>` and `&` so it stays inert even if pasted into a page.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from pydantic import BaseModel

from ..models import RiskTier, Status
from ..scales import STATUS_LABELS, css_properties, score_band, score_text
from .model import HistoryPoint, PortfolioReport, VendorReport, safe_url, short_sources

if TYPE_CHECKING:
    from .audit_view import AuditReport
    from .history import HistoryReport

SPARK_WIDTH, SPARK_HEIGHT = 100.0, 24.0
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_JSON_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


class MarkdownText(str):
    """Markdown written by a template on purpose: `finalize` leaves it as it is."""


def md_escape(value: Any) -> str:
    """Any value as inert inline Markdown text."""
    if isinstance(value, MarkdownText):
        return value
    if value is None:
        return ""
    text = re.sub(r"\s+", " ", _plain(value))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_url(url: str) -> MarkdownText:
    """An autolink to an http(s) URL without spaces, quotes or angle brackets; anything else as escaped text."""
    return MarkdownText(f"<{url}>") if safe_url(url) else MarkdownText(md_escape(url))


def _plain(value: Any) -> str:
    if isinstance(value, (Status, RiskTier)):
        return value.value
    if isinstance(value, dt.datetime):
        return when(value)
    return str(value)


def when(value: dt.datetime | dt.date | None) -> str:
    """A date or time as a reader expects it (times in UTC)."""
    if value is None:
        return "unknown"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


def whole(score: float | None) -> str:
    """A score rounded to a whole number (half up), for the heat map's narrow cells."""
    return "–" if score is None else str(int(score + 0.5))


def spark(points: Sequence[HistoryPoint]) -> str:
    """SVG polyline points for scores 0-100, evenly spaced left to right in a 100 x 24 box (100 at the top)."""
    if len(points) < 2:
        return ""
    step = SPARK_WIDTH / (len(points) - 1)
    return " ".join(f"{i * step:g},{SPARK_HEIGHT - p.score * SPARK_HEIGHT / 100:g}" for i, p in enumerate(points))


def _environment(markdown: bool) -> Environment:
    env = Environment(loader=PackageLoader("assessor", "templates"), undefined=StrictUndefined,
                      autoescape=not markdown, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      finalize=md_escape if markdown else None)
    env.filters.update(when=when, band=score_band, score=score_text, status_label=lambda s: STATUS_LABELS[Status(s)],
                       whole=whole, md_url=md_url,
                       short_sources=short_sources, spark=spark)
    if not markdown:
        env.globals["colours"] = Markup(css_properties())
    return env


@cache
def _env(markdown: bool) -> Environment:
    return _environment(markdown)


def render_html(report: VendorReport | PortfolioReport | AuditReport | HistoryReport) -> str:
    """The report as one self-contained HTML page."""
    return _env(False).get_template(f"{report.report}.html.j2").render(r=report)


def render_markdown(report: VendorReport | PortfolioReport | AuditReport) -> str:
    """The report as Markdown, for email and tickets."""
    return _env(True).get_template(f"{report.report}.md.j2").render(r=report)


def render_json(model: BaseModel) -> str:
    """A model as indented JSON, with `<`, `>` and `&` escaped."""
    text = model.model_dump_json(indent=2)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_UNSAFE[m.group()], text) + "\n"
