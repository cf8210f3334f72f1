"""The annual audit application, on `assessor.audit.run_audit`: every vendor re-read and re-scored, and compared
with the baseline audit in the archive (new policy versions and their diff, findings whose status changed, stale
overrides, date flags); the audit exported as report files (`assessor.report.audit_view.write_audit`).

Without an archive folder it runs on a demo archive, made afresh in a temporary folder and seeded with last year's
versions of sample policies (`seed_archive`), so the notebook gives the same result on every machine.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from enum import Enum
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path

import ipywidgets as widgets

from ..archive import Archive, add_saved_file
from ..audit import Acceptance, AuditRun, VendorAudit, login_name, run_audit
from ..diff import PolicyDiff
from ..errors import AssessorError
from ..fetch import document_source
from ..loading import LoadedChecklist, LoadError, load_vendors, read_yaml
from ..models import VendorProfile
from ..pipeline import assess, choose_checklists, primary_document
from ..report.audit_view import write_audit
from ..settings import Settings, resolve_settings
from .portfolio import sample_vendor_ids
from ..report.text import text_table
from ..scales import BANDS, score_text
from .render import html_table, message_html, on_click_busy

COLUMNS = ("vendor", "text", "versions", "findings changed", "score", "risk", "stale overrides", "date flags")
ChecklistsFor = Callable[[VendorProfile], Sequence[LoadedChecklist]]


def seed_archive(archive: Archive, seed_dir: Path, vendors: Sequence[VendorProfile],
                 checklists_for: ChecklistsFor, settings: Settings | None = None) -> int:
    """Store an earlier, accepted audit: each policy file named in `seed_dir/manifest.yaml`, archived as a saved
    copy, assessed (with the settings' reviews) and accepted as of its `audited_at` date. Returns how many vendors
    were seeded."""
    manifest_path = seed_dir / "manifest.yaml"
    try:
        manifest, _ = read_yaml(manifest_path)
        at = dt.datetime.fromisoformat(str(manifest["audited_at"]))
        documents = dict(manifest["documents"])
    except (LoadError, KeyError, TypeError, ValueError) as exc:
        raise AssessorError(f"{manifest_path.as_posix()}: not a seed manifest ({exc})") from None
    seeded = 0
    for vendor in vendors:
        if vendor.id not in documents:
            continue
        spec = primary_document(vendor)
        rec, doc = add_saved_file(archive, vendor.id, spec, seed_dir / documents[vendor.id], saved_at=at,
                                  origin=f"demo seed ({seed_dir.name})")
        stored = archive.save_assessment(assess(doc, vendor, checklists_for(vendor), spec.kind, settings=settings),
                                         kind=spec.kind.value, created_at=at, snapshot_id=rec.snapshot.id,
                                         version_id=rec.version_id, source=document_source(spec))
        archive.accept(stored.id, accepted_at=at, accepted_by="assessor", note="last year's audit (demo seed)")
        seeded += 1
    return seeded


def _change(before: Enum | float | None, after: Enum | float | None) -> str:
    def fmt(v: Enum | float | None) -> str:
        return "-" if v is None else str(v.value) if isinstance(v, Enum) else score_text(v)
    return fmt(after) if before == after else f"{fmt(before)} -> {fmt(after)}"


def audit_rows(audits: Sequence[VendorAudit], names: bool = False) -> list[tuple[str, ...]]:
    """One row per vendor, in `COLUMNS` order (the vendor's id, or with `names` its name)."""
    rows: list[tuple[str, ...]] = []
    for a in audits:
        if a.unreachable:
            text = "unreachable"
        elif a.baseline_at is None:
            text = "first audit"
        elif a.diff is not None and a.diff.changed:
            text = f"{len(a.diff.sections)} section(s) changed"
        else:
            text = "unchanged"
        worse = sum(c.direction == "worse" for c in a.changes)
        rows.append((a.vendor_name if names else a.vendor, text, str(len(a.versions)),
                     f"{len(a.changes)} ({worse} worse)", _change(a.score_before, a.score_after),
                     _change(a.tier_before, a.tier_after), str(len(a.stale_overrides)), str(len(a.date_flags))))
    return rows


def audit_text(audits: Sequence[VendorAudit]) -> str:
    """The audit as plain text: the summary table, then each changed finding (what the checked cell shows)."""
    lines = [text_table(COLUMNS, audit_rows(audits))]
    for a in audits:
        lines += [f"{a.vendor}: {c.criterion} {_change(c.before, c.after)} ({c.direction})" for c in a.changes]
        lines += [f"{a.vendor}: stale override of {o.criterion}" for o in a.stale_overrides]
        lines += [f"{a.vendor}: {flag}" for flag in a.date_flags]
    return "\n".join(lines)


def diff_html(diff: PolicyDiff | None) -> str:
    """A policy diff as HTML: each changed section with its removed and added words."""
    if diff is None:
        return "<p><i>No earlier audit to compare with.</i></p>"
    if not diff.changed:
        return "<p><i>No substantive change" + (" (only dates or spacing)" if diff.cosmetic_only else "") + ".</i></p>"
    parts = []
    for s in diff.sections:
        edits = "".join(
            (f"<del style='background:{BANDS['bad'].fill}'>{escape(e.old)}</del> " if e.old else "")
            + (f"<ins style='background:{BANDS['good'].fill}'>{escape(e.new)}</ins>" if e.new else "") + "<br>"
            for e in s.edits)
        parts.append(f"<div style='margin:6px 0'><b>{escape(s.heading)}</b> ({escape(s.change)}, "
                     f"+{s.words_added}/-{s.words_removed} words)<div style='margin-left:12px'>{edits}</div></div>")
    return "".join(parts)


def vendor_html(audit: VendorAudit) -> str:
    """Everything the audit found for one vendor."""
    changes = html_table(("criterion", "before", "after", "direction", "title"),
                         [(c.criterion, c.before.value if c.before else "-", c.after.value if c.after else "-",
                           c.direction, c.title) for c in audit.changes])
    extra = "".join(f"<li>stale override of {escape(o.criterion)} ({escape(o.reviewer)}: {escape(o.note)})</li>"
                    for o in audit.stale_overrides)
    extra += "".join(f"<li>{escape(flag)}</li>" for flag in audit.date_flags)
    if audit.unreachable:
        extra += f"<li>could not be read: {escape(audit.unreachable)}</li>"
    return (f"<h4>{escape(audit.vendor_name)}</h4><b>Findings whose status changed</b>{changes}"
            + (f"<ul>{extra}</ul>" if extra else "") + f"<b>Policy text</b>{diff_html(audit.diff)}")


class AuditApp(widgets.VBox):
    """The annual audit. Build it, display it, then call `load()` (a progress bar shows the work).

    `archive_dir` None means the demo archive seeded from `seed_dir`; otherwise the audit reads and writes that
    archive (as `assessor audit --archive DIR` does: what it reads becomes the accepted baseline) and compares with
    `baseline` (a date, an assessment id, or None for the last accepted audit). A naive `audit_date` is UTC.
    Vendors, checklists and reviews come from `settings` (resolved from the current folder when not given).
    """

    def __init__(self, audit_date: dt.datetime, out_dir: Path | str = "build/audit", vendor_ids: Sequence[str] = (),
                 checklist_ids: Sequence[str] = (), archive_dir: Path | str | None = None,
                 baseline: str | None = None, seed_dir: Path | str | None = None, settings: Settings | None = None):
        if archive_dir is None and seed_dir is None:
            raise AssessorError("give an archive folder, or a seed folder for the demo archive")
        self.settings = settings or resolve_settings()
        self.audit_date = audit_date if audit_date.tzinfo else audit_date.replace(tzinfo=dt.UTC)
        self.out_dir = Path(out_dir)
        self.vendor_ids = tuple(vendor_ids) or sample_vendor_ids(self.settings)
        self.checklist_ids = tuple(checklist_ids)
        self.archive_dir = None if archive_dir is None else Path(archive_dir)
        self.baseline = baseline
        self.seed_dir = None if seed_dir is None else Path(seed_dir)
        self.run: AuditRun | None = None
        self._demo: tempfile.TemporaryDirectory[str] | None = None
        self.status = widgets.HTML()
        self.summary = widgets.HTML()
        self.vendor = widgets.Dropdown(description="Vendor")
        self.detail = widgets.HTML()
        self.export = widgets.Button(description="Export audit")
        self.vendor.observe(self._on_vendor, names="value")
        on_click_busy(self.export, self.export_files)
        super().__init__([self.status, self.summary, self.export, self.vendor, self.detail])

    def __repr__(self) -> str:
        return f"AuditApp(vendors={len(self.vendor_ids)})"

    @property
    def audits(self) -> list[VendorAudit]:
        """The vendors' audits of the last run (empty before `load`)."""
        return list(self.run.vendors) if self.run else []

    def _checklists_for(self, vendor: VendorProfile) -> Sequence[LoadedChecklist]:
        return choose_checklists(vendor, self.checklist_ids, self.settings)

    def load(self) -> list[VendorAudit]:
        """Run the audit and show what changed."""
        try:
            known = load_vendors(self.settings.vendors)
            missing = [v for v in self.vendor_ids if v not in known]
            if missing:
                raise AssessorError(f"no vendor profile {', '.join(missing)}")
            vendors = [known[v] for v in self.vendor_ids]
            if self.archive_dir is None:
                self._demo = tempfile.TemporaryDirectory(prefix="assessor-audit-demo-")
                root = Path(self._demo.name)
            else:
                root = self.archive_dir
            with Archive(root) as archive:
                seeded = (seed_archive(archive, self.seed_dir, vendors, self._checklists_for,  # type: ignore[arg-type]
                                       self.settings) if self.archive_dir is None else None)
                self.run = run_audit(vendors, self._checklists_for, archive=archive, now=self.audit_date,
                                     baseline=self.baseline, offline=True, settings=self.settings,
                                     accept=Acceptance(by=login_name(), note="annual audit (notebook)"))
        except AssessorError as exc:
            self.run = None
            self.status.value = message_html(str(exc), error=True)
            return []
        where = (f"a demo archive seeded with last year's audit of {seeded} vendor(s)" if seeded is not None
                 else "the archive")
        self.status.value = message_html(f"{len(self.audits)} vendors audited against {where}.")
        self.summary.value = html_table([c.capitalize() for c in COLUMNS], audit_rows(self.audits, names=True))
        self.vendor.options = [(a.vendor_name, a.vendor) for a in self.audits]
        return self.audits

    def _on_vendor(self, change: dict) -> None:
        audit = next((a for a in self.audits if a.vendor == change["new"]), None)
        self.detail.value = vendor_html(audit) if audit else ""

    def export_files(self) -> list[Path]:
        """Write the audit report files (audit.html, audit.md, audit.json) into the output folder."""
        if self.run is None:
            self.status.value = message_html("Nothing to export: the audit has not run.", error=True)
            return []
        try:
            paths = write_audit(self.run, self.out_dir)
        except (AssessorError, OSError) as exc:
            self.status.value = message_html(f"Could not export the audit: {exc}", error=True)
            return []
        self.status.value = message_html(f"Wrote {', '.join(p.name for p in paths)} to {self.out_dir.as_posix()}.")
        return paths
