"""The portfolio dashboard: every vendor reviewed, a heat map of topic scores, and a table filtered by category
and risk tier."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import ipywidgets as widgets

from ..errors import AssessorError, unknown_id
from ..loading import load_vendors
from ..models import Assessment, RiskTier, Status, VendorCategory, VendorProfile
from ..pipeline import Review, review_vendor
from ..report import PortfolioReport, VendorReport, build_portfolio, report_time
from ..report.text import text_table
from ..scales import STATUS_LABELS, TIERS_RISKIEST_FIRST, category_label, score_text, tier_swatch
from ..settings import Settings, resolve_settings
from .render import heatmap_html, html_table, message_html, report_view

COLUMNS = ("vendor", "category", "score", "risk", *(s.value for s in Status))
HEADERS = ("Vendor", "Category", "Score", "Risk", *(STATUS_LABELS[s] for s in Status))
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Portfolio:
    """The reviews of many vendors, and the vendors that could not be reviewed (id -> one-line reason)."""

    reviews: tuple[Review, ...]
    errors: dict[str, str]


def sample_vendor_ids(settings: Settings | None = None) -> tuple[str, ...]:
    """The bundled synthetic vendors (`synthetic: true`): what the notebooks review when given no vendor list."""
    return tuple(sorted(v.id for v in load_vendors((settings or resolve_settings()).vendors).values()
                        if v.synthetic))


def require_vendor(vendor_id: str | None, vendors: Mapping[str, VendorProfile]) -> None:
    """AssessorError naming the known vendors when `vendor_id` (if given) is not one of them."""
    if vendor_id is not None and vendor_id not in vendors:
        raise AssessorError(unknown_id("vendor profile", vendor_id, vendors))


def review_all(vendor_ids: Sequence[str], checklist_ids: Sequence[str] = (), progress: Progress | None = None,
               offline: bool = True, settings: Settings | None = None) -> Portfolio:
    """Review each vendor in turn; a vendor that fails is reported, not fatal. `progress(done, total, vendor_id)`;
    `offline` reads web documents from the archive, else fetches them first."""
    settings = settings or resolve_settings()
    reviews, errors = [], {}
    for i, vendor_id in enumerate(vendor_ids):
        if progress:
            progress(i, len(vendor_ids), vendor_id)
        try:
            reviews.append(review_vendor(vendor_id, checklist_ids, offline=offline, settings=settings))
        except AssessorError as exc:
            errors[vendor_id] = str(exc).splitlines()[0]
    if progress:
        progress(len(vendor_ids), len(vendor_ids), "")
    return Portfolio(tuple(reviews), errors)


def portfolio_view(assessments: Sequence[Assessment]) -> tuple[PortfolioReport, dict[str, VendorReport]]:
    """The portfolio model of these assessments (riskiest first, topics by label), and each vendor's report model."""
    reports = [report_view(a) for a in assessments]
    return build_portfolio(reports, generated_at=report_time()), {r.vendor: r for r in reports}


def portfolio_rows(assessments: Sequence[Assessment], names: bool = False) -> list[tuple[str, ...]]:
    """One row per vendor in `COLUMNS` order, riskiest first (then by score, then by id); the vendor's and its
    category's ids, or with `names` their names."""
    portfolio, reports = portfolio_view(assessments)
    return [(row.vendor_name if names else row.vendor, row.category_label if names else row.category,
             score_text(row.score), row.tier.value,
             *(str(n) for n in reports[row.vendor].counts.values())) for row in portfolio.rows]


def filter_assessments(assessments: Sequence[Assessment], categories: Sequence[str] = (),
                       tiers: Sequence[str] = ()) -> list[Assessment]:
    """The assessments of the given categories and risk tiers (an empty selection means all)."""
    return [a for a in assessments
            if (not categories or a.category.value in categories) and (not tiers or a.tier.value in tiers)]


def portfolio_text(assessments: Sequence[Assessment]) -> str:
    """The portfolio table as plain text: what the checked notebook cell shows."""
    return text_table(COLUMNS, portfolio_rows(assessments))


def topic_heatmap(assessments: Sequence[Assessment]) -> str:
    """Heat map HTML of vendors by name (rows, riskiest first) by topic (columns, by label)."""
    return heatmap_html(portfolio_view(assessments)[0])


def _tier_style(column: str, value: str) -> str:
    return f"background:{tier_swatch(RiskTier(value)).fill}" if column == "Risk" else ""


class PortfolioApp(widgets.VBox):
    """All vendors at a glance. Build it, display it, then call `load()` (the progress bar shows the work)."""

    def __init__(self, vendor_ids: Sequence[str] = (), checklist_ids: Sequence[str] = (), offline: bool = True,
                 settings: Settings | None = None):
        self.settings = settings or resolve_settings()
        self.vendor_ids = tuple(vendor_ids) or sample_vendor_ids(self.settings)
        self.checklist_ids = tuple(checklist_ids)
        self.offline = offline
        self.portfolio = Portfolio((), {})
        self.progress = widgets.IntProgress(value=0, min=0, max=max(1, len(self.vendor_ids)), description="Reviewing")
        self.category = widgets.SelectMultiple(options=[(category_label(c), c.value) for c in VendorCategory],
                                               description="Category", rows=len(VendorCategory))
        self.tier = widgets.SelectMultiple(options=[t.value for t in TIERS_RISKIEST_FIRST], description="Risk",
                                           rows=len(TIERS_RISKIEST_FIRST))
        self.status = widgets.HTML()
        self.heatmap = widgets.HTML()
        self.table = widgets.HTML()
        self.category.observe(lambda _: self.show(), names="value")
        self.tier.observe(lambda _: self.show(), names="value")
        filters = widgets.Box([self.category, self.tier], layout=widgets.Layout(display="flex", flex_flow="row wrap"))
        super().__init__([self.progress, filters, widgets.HTML("<b>Vendors</b> (riskiest first)"), self.status,
                          self.table, widgets.HTML("<b>Score by topic</b>"), self.heatmap],
                         layout=widgets.Layout(width="100%", max_width="1100px"))

    def __repr__(self) -> str:
        return f"PortfolioApp(vendors={len(self.vendor_ids)})"

    def _step(self, done: int, total: int, vendor_id: str) -> None:
        self.progress.value = done
        self.progress.description = f"{done}/{total}"

    def load(self) -> Portfolio:
        """Review every vendor (showing progress) and render the dashboard."""
        self.portfolio = review_all(self.vendor_ids, self.checklist_ids, self._step, self.offline, self.settings)
        self.show()
        return self.portfolio

    @property
    def assessments(self) -> list[Assessment]:
        """Every loaded assessment."""
        return [r.assessment for r in self.portfolio.reviews]

    @property
    def selected(self) -> list[Assessment]:
        """The assessments passing the category and risk filters."""
        return filter_assessments(self.assessments, self.category.value, self.tier.value)

    def show(self) -> None:
        """Render the table and heat map for the current filters."""
        shown = self.selected
        self.table.value = (html_table(HEADERS, portfolio_rows(shown, names=True), _tier_style) if shown else
                            "<p><i>No vendor matches these filters.</i></p>")
        self.heatmap.value = topic_heatmap(shown) if shown else ""
        problems = "; ".join(f"{v}: {msg}" for v, msg in sorted(self.portfolio.errors.items()))
        text = f"{len(shown)} of {len(self.assessments)} vendors shown."
        self.status.value = message_html(text + (f" Not reviewed: {problems}" if problems else ""),
                                         error=bool(problems))
