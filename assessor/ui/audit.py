"""The annual audit application: every vendor re-scored and compared with the last audit's snapshots (new policy
text, findings whose status changed, stale overrides, date flags), and the audit exported as report files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from pathlib import Path

import ipywidgets as widgets

from ..audit import Snapshot, VendorAudit, audit_vendor
from ..diff import PolicyDiff
from ..errors import AssessorError
from ..pipeline import Review
from ..report import write_review
from ..reviews import atomic_write_text
from .portfolio import Progress, review_all, sample_vendor_ids
from .render import html_table, message_html, text_table

COLUMNS = ("vendor", "text", "findings changed", "score", "risk", "stale overrides", "date flags")


def load_baseline(directory: Path) -> dict[str, Snapshot]:
    """The last audit's snapshots (`<vendor>.json`, as `export_audit` writes them), by vendor id."""
    if not directory.is_dir():
        raise AssessorError(f"{directory.as_posix()}: no such folder of audit snapshots")
    out = {}
    for path in sorted(directory.glob("*.json")):
        try:
            snapshot = Snapshot.model_validate_json(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise AssessorError(f"{path.name}: not an audit snapshot ({str(exc).splitlines()[0]})") from None
        out[snapshot.assessment.vendor] = snapshot
    return out


def run_audit(baseline: dict[str, Snapshot], vendor_ids: Sequence[str], observed_at: dt.datetime,
              checklist_ids: Sequence[str] = (), progress: Progress | None = None
              ) -> tuple[list[VendorAudit], list[Review]]:
    """Review every vendor now and compare each with its baseline snapshot (a vendor that fails is unreachable)."""
    portfolio = review_all(vendor_ids, checklist_ids, progress)
    by_id = {r.vendor.id: r for r in portfolio.reviews}
    audits = []
    for vendor_id in vendor_ids:
        review = by_id.get(vendor_id)
        current = None if review is None else Snapshot(observed_at=observed_at, document=review.document,
                                                       assessment=review.assessment)
        audits.append(audit_vendor(baseline.get(vendor_id), current, vendor=vendor_id,
                                   unreachable=portfolio.errors.get(vendor_id)))
    return audits, list(portfolio.reviews)


def _change(before: object, after: object) -> str:
    fmt = lambda v: "-" if v is None else getattr(v, "value", None) or f"{v:g}"  # noqa: E731
    return fmt(after) if before == after else f"{fmt(before)} -> {fmt(after)}"


def audit_rows(audits: Sequence[VendorAudit]) -> list[tuple[str, ...]]:
    """One row per vendor, in `COLUMNS` order."""
    rows = []
    for a in audits:
        if a.unreachable:
            text = "unreachable"
        elif a.baseline_at is None:
            text = "new vendor"
        else:
            text = f"{len(a.diff.sections)} section(s) changed" if a.text_changed else "unchanged"  # type: ignore
        worse = sum(c.direction == "worse" for c in a.changes)
        rows.append((a.vendor, text, f"{len(a.changes)} ({worse} worse)", _change(a.score_before, a.score_after),
                     _change(a.tier_before, a.tier_after), str(len(a.stale_overrides)), str(len(a.date_flags))))
    return rows


def audit_text(audits: Sequence[VendorAudit]) -> str:
    """The audit as plain text: the summary table, then each changed finding (what the checked cell shows)."""
    lines = [text_table(COLUMNS, audit_rows(audits))]
    for a in audits:
        lines += [f"{a.vendor}: {c.criterion} {_change(c.before, c.after)} ({c.direction})" for c in a.changes]
        lines += [f"{a.vendor}: stale override of {c}" for c in a.stale_overrides]
        lines += [f"{a.vendor}: {flag}" for flag in a.date_flags]
    return "\n".join(lines)


def diff_html(diff: PolicyDiff | None) -> str:
    """A policy diff as HTML: each changed section with its removed and added words."""
    if diff is None:
        return "<p><i>No earlier version to compare with.</i></p>"
    if not diff.changed:
        return "<p><i>No substantive change" + (" (only dates or spacing)" if diff.cosmetic_only else "") + ".</i></p>"
    parts = []
    for s in diff.sections:
        edits = "".join(
            (f"<del style='background:#f7c9c4'>{escape(e.old)}</del> " if e.old else "")
            + (f"<ins style='background:#d7f0d2'>{escape(e.new)}</ins>" if e.new else "") + "<br>"
            for e in s.edits)
        parts.append(f"<div style='margin:6px 0'><b>{escape(s.heading)}</b> ({escape(s.change)}, "
                     f"+{s.words_added}/-{s.words_removed} words)<div style='margin-left:12px'>{edits}</div></div>")
    return "".join(parts)


def vendor_html(audit: VendorAudit) -> str:
    """Everything the audit found for one vendor."""
    changes = html_table(("criterion", "before", "after", "direction", "title"),
                         [(c.criterion, c.before.value if c.before else "-", c.after.value if c.after else "-",
                           c.direction, c.title) for c in audit.changes])
    extra = "".join(f"<li>stale override of {escape(c)}</li>" for c in audit.stale_overrides)
    extra += "".join(f"<li>{escape(flag)}</li>" for flag in audit.date_flags)
    if audit.unreachable:
        extra += f"<li>could not be reviewed: {escape(audit.unreachable)}</li>"
    return (f"<h4>{escape(audit.vendor_name)}</h4><b>Findings whose status changed</b>{changes}"
            + (f"<ul>{extra}</ul>" if extra else "") + f"<b>Policy text</b>{diff_html(audit.diff)}")


def audit_markdown(audits: Sequence[VendorAudit], observed_at: dt.datetime) -> str:
    """The audit summary as a Markdown report."""
    rows = audit_rows(audits)
    lines = [f"# Annual audit, {observed_at.date().isoformat()}", "",
             "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    details = audit_text(audits).splitlines()[len(rows) + 2:]
    if details:
        lines += ["", "## Changes", ""] + [f"- {d}" for d in details]
    return "\n".join(lines) + "\n"


def export_audit(audits: Sequence[VendorAudit], reviews: Sequence[Review], observed_at: dt.datetime,
                 out: Path) -> list[Path]:
    """Write the audit summary, each vendor's report, and this audit's snapshots (next year's baseline)."""
    summary = out / "audit-summary.md"
    atomic_write_text(summary, audit_markdown(audits, observed_at))
    paths = [summary]
    for review in reviews:
        paths += write_review(review, out / "reports")
        snapshot = Snapshot(observed_at=observed_at, document=review.document, assessment=review.assessment)
        path = out / "snapshots" / f"{review.vendor.id}.json"
        atomic_write_text(path, snapshot.model_dump_json(indent=1) + "\n")
        paths.append(path)
    return paths


class AuditApp(widgets.VBox):
    """The annual audit. Build it, display it, then call `load()` (the progress bar shows the work)."""

    def __init__(self, baseline_dir: Path | str, observed_at: dt.datetime, out_dir: Path | str = "build/audit",
                 vendor_ids: Sequence[str] = (), checklist_ids: Sequence[str] = ()):
        self.baseline_dir = Path(baseline_dir)
        self.observed_at = observed_at
        self.out_dir = Path(out_dir)
        self.vendor_ids = tuple(vendor_ids) or sample_vendor_ids()
        self.checklist_ids = tuple(checklist_ids)
        self.audits: list[VendorAudit] = []
        self.reviews: list[Review] = []
        self.progress = widgets.IntProgress(value=0, min=0, max=max(1, len(self.vendor_ids)),
                                            description="Reviewing")
        self.status = widgets.HTML()
        self.summary = widgets.HTML()
        self.vendor = widgets.Dropdown(description="Vendor")
        self.detail = widgets.HTML()
        self.export = widgets.Button(description="Export audit", icon="download")
        self.vendor.observe(self._on_vendor, names="value")
        self.export.on_click(lambda _: self.export_files())
        super().__init__([self.progress, self.status, self.summary, self.export, self.vendor, self.detail])

    def __repr__(self) -> str:
        return f"AuditApp(vendors={len(self.vendor_ids)})"

    def _step(self, done: int, total: int, vendor_id: str) -> None:
        self.progress.value = done
        self.progress.description = f"{done}/{total}"

    def load(self) -> list[VendorAudit]:
        """Read the baseline, review every vendor and show what changed."""
        try:
            baseline = load_baseline(self.baseline_dir)
        except AssessorError as exc:
            self.status.value = message_html(str(exc), error=True)
            return []
        self.audits, self.reviews = run_audit(baseline, self.vendor_ids, self.observed_at, self.checklist_ids,
                                              self._step)
        self.status.value = message_html(f"{len(self.audits)} vendors audited against {len(baseline)} "
                                         f"snapshot(s) of the last audit.")
        self.summary.value = html_table(COLUMNS, audit_rows(self.audits))
        self.vendor.options = [(a.vendor_name, a.vendor) for a in self.audits]
        return self.audits

    def _on_vendor(self, change: dict) -> None:
        audit = next((a for a in self.audits if a.vendor == change["new"]), None)
        self.detail.value = vendor_html(audit) if audit else ""

    def export_files(self) -> list[Path]:
        """Export the audit into the output folder."""
        if not self.audits:
            self.status.value = message_html("Nothing to export: the audit has not run.", error=True)
            return []
        try:
            paths = export_audit(self.audits, self.reviews, self.observed_at, self.out_dir)
        except (AssessorError, OSError) as exc:
            self.status.value = message_html(f"Could not export the audit: {exc}", error=True)
            return []
        self.status.value = message_html(f"Wrote {len(paths)} files to {self.out_dir.as_posix()}.")
        return paths
