"""The vendor review application: pick a vendor and checklists, read the score and findings with their evidence,
browse the policy by topic, record an override with a note, export the report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path

import ipywidgets as widgets

from ..errors import AssessorError, unknown_id
from ..loading import load_checklists, load_vendors
from ..models import Override, Status, Topic
from ..pipeline import DEFAULT_CHECKLISTS, Review, review_vendor
from ..report import write_review
from ..report.model import VendorReport, finding_view
from ..report.text import review_text
from ..reviews import save_override
from ..scales import STATUS_LABELS, topic_label
from ..score import evidence_sha256
from ..settings import Settings, resolve_settings
from .portfolio import require_vendor
from .render import (
    finding_html, findings_html, message_html, on_click_busy, report_view, score_html, status_shown, topic_counts,
    topic_html,
)


class VendorReviewApp(widgets.VBox):
    """One vendor's review as an application; `review` holds the current `Review` (None until one loads) and `view`
    its report model, which every table and label shown is read from.

    Vendors, checklists and reviews come from `settings` (resolved from the current folder when not given);
    overrides are saved to its reviews folder, the one the pipeline reads.
    """

    def __init__(self, vendor_id: str | None = None, checklist_ids: Sequence[str] = (),
                 out_dir: Path | str = "build/reports", today: Callable[[], dt.date] = dt.date.today,
                 offline: bool = True, settings: Settings | None = None):
        self.settings = settings or resolve_settings()
        self.vendors = load_vendors(self.settings.vendors)
        require_vendor(vendor_id, self.vendors)
        self.out_dir = Path(out_dir)
        self.today = today
        self.review: Review | None = None
        self.view: VendorReport | None = None
        self.error: str | None = None
        self._loading = False
        checklists = load_checklists(self.settings.checklists)
        for checklist_id in checklist_ids:
            if checklist_id not in checklists:
                raise AssessorError(unknown_id("checklist", checklist_id, checklists))
        self.vendor = widgets.Dropdown(
            options=[(v.name, v.id) for v in sorted(self.vendors.values(), key=lambda v: (v.name.lower(), v.id))],
            value=None, description="Vendor", layout=widgets.Layout(width="calc(100% - 12px)", max_width="420px"))
        self.checklists = widgets.SelectMultiple(
            options=[(c.checklist.title, c.checklist.id) for c in checklists.values()],
            description="Checklists", rows=min(6, max(2, len(checklists))),
            layout=widgets.Layout(width="calc(100% - 12px)", max_width="640px"))
        self.offline = widgets.ToggleButtons(options=[("archive", True), ("fetch now", False)], value=offline,
                                             description="Web pages", tooltips=[
                                                 "read web documents from the archive (no network)",
                                                 "fetch web documents first, archiving them"])
        self.status = widgets.HTML()
        self.score = widgets.HTML()
        self.findings = widgets.HTML()
        self.finding = widgets.Dropdown(description="Finding", layout=widgets.Layout(width="100%", max_width="640px"))
        self.finding_detail = widgets.HTML()
        self.topic = widgets.Dropdown(description="Topic")
        self.topic_detail = widgets.HTML()
        self.override_for = widgets.HTML()
        self.override_status = widgets.Dropdown(options=[(label, s.value) for s, label in STATUS_LABELS.items()],
                                                description="Status")
        self.note = widgets.Textarea(description="Note", placeholder="Why this status? (required)",
                                     layout=widgets.Layout(width="calc(100% - 12px)", max_width="640px"))
        self.reviewer = widgets.Text(description="Reviewer", placeholder="your name")
        self.save = widgets.Button(description="Save override")
        self.export = widgets.Button(description="Export report")
        self.vendor.observe(self._on_vendor, names="value")
        self.checklists.observe(self._on_checklists, names="value")
        self.offline.observe(self._on_checklists, names="value")
        self.finding.observe(self._on_finding, names="value")
        self.topic.observe(self._on_topic, names="value")
        on_click_busy(self.save, self.save_override)
        on_click_busy(self.export, self.export_report)
        tabs = widgets.Tab(children=[
            widgets.VBox([self.findings, self.finding, self.finding_detail]),
            widgets.VBox([self.topic, self.topic_detail]),
            widgets.VBox([self.override_for, self.override_status, self.note, self.reviewer, self.save]),
            widgets.VBox([widgets.HTML("<p>Write this review's report files (HTML, Markdown, JSON, CSV, XLSX) into "
                                       f"{escape(self.out_dir.as_posix())}.</p>"), self.export])])
        for i, title in enumerate(["Findings", "Policy by topic", "Override", "Export"]):
            tabs.set_title(i, title)
        picker = widgets.Box([self.vendor, self.checklists],
                             layout=widgets.Layout(display="flex", flex_flow="row wrap", width="100%"))
        super().__init__([picker, self.offline, self.status, self.score, tabs],
                         layout=widgets.Layout(width="100%", max_width="1100px"))
        self._requested = tuple(checklist_ids)
        if vendor_id is not None:
            self.vendor.value = vendor_id

    def __repr__(self) -> str:
        return f"VendorReviewApp(vendor={self.vendor.value!r}, checklists={list(self.checklists.value)!r})"

    # ---- loading -------------------------------------------------------------------------------------------

    def _on_vendor(self, change: dict) -> None:
        vendor = self.vendors[change["new"]]
        wanted = self._requested or tuple(vendor.checklists) or DEFAULT_CHECKLISTS
        self._requested = ()
        known = {value for _, value in self.checklists.options}
        self._loading = True
        try:
            self.checklists.value = tuple(c for c in wanted if c in known)
        finally:
            self._loading = False
        self.load()

    def _on_checklists(self, change: dict) -> None:
        if not self._loading and self.vendor.value is not None:
            self.load()

    def load(self) -> None:
        """Review the selected vendor against the selected checklists and show the result."""
        try:
            review = review_vendor(self.vendor.value, tuple(self.checklists.value), offline=self.offline.value,
                                   settings=self.settings)
        except AssessorError as exc:
            self.review, self.view, self.error = None, None, str(exc)
            self.status.value = message_html(self.error, error=True)
            self.score.value = self.findings.value = self.finding_detail.value = self.topic_detail.value = ""
            self.override_for.value = ""
            self.finding.options = self.topic.options = []
            return
        view = report_view(review.assessment, review.document, review.checklists)
        self.review, self.view, self.error = review, view, None
        self.status.value = ""
        self.show()

    def summary_text(self) -> str:
        """The current review as plain text (`review_text`); AssessorError with the reason if none loaded."""
        if self.view is None:
            raise AssessorError(self.error or "no vendor picked")
        return review_text(self.view)

    def show(self) -> None:
        """Render the current review into the widgets."""
        assert self.review is not None and self.view is not None
        view = self.view
        self.score.value = score_html(view)
        self.findings.value = findings_html(view)
        previous = self.finding.value
        self.finding.options = [(f"{f.criterion} · {status_shown(f)} · {f.title}", f.criterion)
                                for f in view.findings]
        criteria = [f.criterion for f in view.findings]
        if criteria:
            self.finding.value = previous if previous in criteria else criteria[0]
            self._on_finding({"new": self.finding.value})
        else:
            self.finding_detail.value = "<p><i>No criterion of these checklists applies to this vendor.</i></p>"
        counts = topic_counts(self.review.document)
        self.topic.options = [(f"{topic_label(t)} ({n})", t.value) for t, n in counts.items()]
        if counts:
            self._on_topic({"new": self.topic.value})

    # ---- browsing ------------------------------------------------------------------------------------------

    def _on_finding(self, change: dict) -> None:
        if self.review is None or change["new"] is None:
            return
        # the finding on its own (every passage inside its paragraph), not pointing to another finding's
        found = next(f for f in self.review.assessment.findings if f.criterion == change["new"])
        finding = finding_view(found, self.review.document)
        self.finding_detail.value = finding_html(finding)
        self.override_status.value = finding.status.value
        self.override_for.value = (f"<p>Your decision on <b>{escape(finding.criterion)}: {escape(finding.title)}</b> "
                                   f"(now {escape(status_shown(finding).lower())}; pick another finding on the "
                                   "Findings tab).</p>")

    def _on_topic(self, change: dict) -> None:
        if self.review is not None and change["new"] is not None:
            self.topic_detail.value = topic_html(self.review.document, Topic(change["new"]))

    # ---- actions -------------------------------------------------------------------------------------------

    def save_override(self) -> None:
        """Record the override form for the selected finding in the vendor's reviews file, then re-review."""
        if self.review is None or self.finding.value is None:
            self.status.value = message_html("Pick a vendor and a finding first.", error=True)
            return
        note, reviewer = self.note.value.strip(), self.reviewer.value.strip()
        if not note or not reviewer:
            self.status.value = message_html("An override needs a note and the reviewer's name.", error=True)
            return
        finding = next(f for f in self.review.assessment.findings if f.criterion == self.finding.value)
        override = Override(criterion=finding.criterion, status=Status(self.override_status.value), note=note,
                            reviewer=reviewer, date=self.today(), evidence_sha256=evidence_sha256(finding.evidence))
        vendor_id = self.review.vendor.id
        try:
            save_override(override, vendor_id, self.settings.reviews)
        except (AssessorError, OSError) as exc:
            self.status.value = message_html(f"Could not save the override: {exc}", error=True)
            return
        self.load()
        self.status.value = message_html(f"Saved the override of {finding.criterion} for {vendor_id}.")

    def export_report(self) -> list[Path]:
        """Write the current review's report files into the output folder; return their paths."""
        if self.review is None:
            self.status.value = message_html("Nothing to export: pick a vendor first.", error=True)
            return []
        try:
            paths = write_review(self.review, self.out_dir)
        except (AssessorError, OSError) as exc:
            self.status.value = message_html(f"Could not export the report: {exc}", error=True)
            return []
        self.status.value = message_html(f"Wrote {', '.join(p.name for p in paths)} to {self.out_dir.as_posix()}.")
        return paths
