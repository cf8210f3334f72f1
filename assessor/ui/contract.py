"""Contract review: upload a contract or data-processing agreement and check it for the clauses the checklists
require; for each clause not found, the wording to ask the vendor for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as widgets

from ..errors import AssessorError
from ..loading import LoadedChecklist, load_vendor, load_vendors
from ..models import Assessment, DocumentKind, PolicyDocument, Status
from ..parse import ParseError, content_type_for, parse_bytes, read_file
from ..pipeline import assess, choose_checklists
from ..report import VendorReport
from ..reviews import ReviewsFile
from ..settings import Settings, resolve_settings
from .portfolio import require_vendor
from ..report.text import text_table
from .render import html_table, message_html, report_view, score_html

FOUND = (Status.MET,)
COLUMNS = ("criterion", "status", "severity", "clause to request")


@dataclass(frozen=True)
class ContractCheck:
    """A contract scored against the checklists."""

    name: str
    document: PolicyDocument
    assessment: Assessment
    checklists: tuple[LoadedChecklist, ...]


def check_contract(data: bytes, name: str, vendor_id: str, checklist_ids: Sequence[str] = (),
                   kind: DocumentKind = DocumentKind.DPA, settings: Settings | None = None) -> ContractCheck:
    """Parse an uploaded file (its type from its name) and assess it as the vendor's contract or DPA (without the
    overrides, which are decisions on the vendor's policy)."""
    settings = settings or resolve_settings()
    doc = parse_bytes(data, uri=name, content_type=content_type_for(Path(name)))
    vendor = load_vendor(vendor_id, settings.vendors)
    checklists = choose_checklists(vendor, checklist_ids, settings)
    assessment = assess(doc, vendor, checklists, kind, reviews=ReviewsFile(vendor=vendor.id))
    return ContractCheck(name, doc, assessment, tuple(checklists))


def contract_view(check: ContractCheck) -> VendorReport:
    """The report model of a checked contract."""
    return report_view(check.assessment, check.document, check.checklists)


def contract_rows(view: VendorReport) -> list[tuple[str, str, str, str]]:
    """Per criterion: its status and, when the clause was not found, the clause to request."""
    return [(f.criterion, f.status.value, f.severity.value, "" if f.status in FOUND else f.ask_clause)
            for f in view.findings]


def contract_text(check: ContractCheck) -> str:
    """The check as plain text: what the checked notebook cell shows."""
    view = contract_view(check)
    missing = sum(f.status not in FOUND for f in view.findings)
    return (f"{check.name} ({check.assessment.document.kind.value}): {len(view.findings) - missing} of "
            f"{len(view.findings)} required clauses found\n"
            + text_table(COLUMNS[:3], [r[:3] for r in contract_rows(view)]))


class ContractApp(widgets.VBox):
    """Upload a contract (PDF, DOCX, HTML, text) and see which required clauses it holds."""

    def __init__(self, vendor_id: str, checklist_ids: Sequence[str] = (),
                 kind: DocumentKind = DocumentKind.DPA, settings: Settings | None = None):
        self.settings = settings or resolve_settings()
        self.checklist_ids = tuple(checklist_ids)
        self.check: ContractCheck | None = None
        self.error: str | None = None
        vendors = load_vendors(self.settings.vendors)
        require_vendor(vendor_id, vendors)
        self.vendor = widgets.Dropdown(options=[(v.name, v.id) for v in vendors.values()], value=vendor_id,
                                       description="Vendor")
        self.kind = widgets.Dropdown(options=[(k.value, k) for k in (DocumentKind.DPA, DocumentKind.CONTRACT)],
                                     value=kind, description="Document")
        self.upload = widgets.FileUpload(accept=".pdf,.docx,.html,.htm,.txt,.md", multiple=False,
                                         description="Upload")
        self.status = widgets.HTML()
        self.score = widgets.HTML()
        self.table = widgets.HTML()
        self.upload.observe(self._on_upload, names="value")
        super().__init__([widgets.HBox([self.vendor, self.kind, self.upload]), self.status, self.score, self.table])
        self._last: tuple[bytes, str] | None = None
        self.vendor.observe(lambda _: self._recheck(), names="value")
        self.kind.observe(lambda _: self._recheck(), names="value")

    def __repr__(self) -> str:
        return f"ContractApp(vendor={self.vendor.value!r})"

    def _on_upload(self, change: dict) -> None:
        files = change["new"]
        if files:
            self.check_file(bytes(files[0]["content"]), files[0]["name"])

    def _recheck(self) -> None:
        if self._last is not None:
            self.check_file(*self._last)

    def check_path(self, path: Path | str) -> ContractCheck:
        """Check a file from disk (the notebook's `contract_path`); AssessorError, also shown, if it cannot be."""
        path = Path(path)
        try:
            data = read_file(path)  # refused over the size cap, before it is read
        except ParseError as exc:
            self.error = f"{path.name}: {str(exc).split(': ', 1)[-1]}"
            self.status.value = message_html(self.error, error=True)
            raise AssessorError(self.error) from None
        check = self.check_file(data, path.name)
        if check is None:
            raise AssessorError(self.error or path.name)
        return check

    def check_file(self, data: bytes, name: str) -> ContractCheck | None:
        """Check one document's bytes and show the result."""
        self._last = (data, name)
        try:
            check = check_contract(data, name, self.vendor.value, self.checklist_ids, self.kind.value,
                                   self.settings)
        except AssessorError as exc:
            self.check, self.error = None, str(exc)
            self.status.value = message_html(self.error, error=True)
            self.score.value = self.table.value = ""
            return None
        self.check, self.error = check, None
        self.status.value = message_html(f"Checked {name}.")
        view = contract_view(check)
        self.score.value = score_html(view)
        self.table.value = html_table(COLUMNS, contract_rows(view))
        return check
