"""The checklist workbench: edit a criterion as YAML, test its rules on example clauses and on a vendor's policy,
see what they match, then validate and save it into a checklist file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as widgets
import yaml

from ..errors import AssessorError
from ..loading import load_checklists, load_model, load_vendor, load_vendors, parse_yaml, validate_data
from ..models import Checklist, Criterion, Finding, PolicyDocument
from ..pipeline import primary_document, read_document
from ..fileio import atomic_write_text
from ..score import applies, evaluate
from ..selftest import check_criterion, example_document
from ..settings import Settings, resolve_settings
from .portfolio import require_vendor
from ..report.model import finding_view
from ..report.text import text_table
from .render import finding_html, html_table, message_html, on_click_busy

SOURCE = Path("<workbench>")


def criterion_yaml(criterion: Criterion) -> str:
    """A criterion as the YAML a checklist file holds."""
    data = criterion.model_dump(mode="json", exclude_defaults=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def parse_criterion(text: str) -> Criterion:
    """A criterion from YAML text; LoadError naming the line and field of every problem."""
    data, lines = parse_yaml(text, SOURCE)
    return validate_data(Criterion, data, SOURCE, lines)


@dataclass(frozen=True)
class ClauseResult:
    """What a criterion makes of one example clause."""

    text: str
    status: str
    rules: str


@dataclass(frozen=True)
class WorkbenchResult:
    """A criterion tried out: its self-test messages, example clauses and the chosen vendor's policy."""

    criterion: Criterion
    selftest: tuple[str, ...]
    clauses: tuple[ClauseResult, ...]
    vendor_id: str | None
    vendor_finding: Finding | None
    applies_to_vendor: bool
    document: PolicyDocument | None


def try_criterion(criterion: Criterion, clauses: Sequence[str], vendor_id: str | None = None,
                  settings: Settings | None = None) -> WorkbenchResult:
    """Run a criterion's self-tests, then apply it to each clause and to the vendor's policy (if one is given)."""
    results = []
    for clause in clauses:
        status, _, evidence, _ = evaluate(criterion, example_document(clause))
        results.append(ClauseResult(clause, status.value, ", ".join(sorted({e.rule for e in evidence})) or "-"))
    finding, applicable, doc = None, True, None
    if vendor_id:
        settings = settings or resolve_settings()
        vendor = load_vendor(vendor_id, settings.vendors)
        spec = primary_document(vendor)
        doc = read_document(spec, settings, vendor_id=vendor.id).document
        applicable = applies(criterion, vendor.category, spec.kind)
        status, confidence, evidence, rationale = evaluate(criterion, doc)
        finding = Finding.of(criterion, "workbench", status=status, confidence=confidence, rationale=rationale,
                             evidence=evidence)
    return WorkbenchResult(criterion, tuple(check_criterion(criterion)), tuple(results), vendor_id, finding,
                           applicable, doc)


def result_text(result: WorkbenchResult) -> str:
    """A tried criterion as plain text: what the checked notebook cell shows."""
    lines = [f"{result.criterion.id}: self-tests " + ("pass" if not result.selftest else "FAIL")]
    lines += [f"  {m}" for m in result.selftest]
    if result.clauses:
        lines.append(text_table(("status", "rules", "clause"), [(c.status, c.rules, c.text) for c in result.clauses]))
    if result.vendor_finding is not None:
        f = result.vendor_finding
        note = "" if result.applies_to_vendor else " (the criterion does not apply to this vendor)"
        lines.append(f"{result.vendor_id}: {f.status.value}, {len(f.evidence)} passage(s){note}")
        lines += [f"  [{e.rule}] {e.quote}" for e in f.evidence]
    return "\n".join(lines)


def save_criterion(criterion: Criterion, path: Path) -> Checklist:
    """Add (or replace) a criterion in a checklist file, creating a `library` checklist if the file is new.

    Refuses a criterion whose self-tests fail; the file is written atomically and read back through the loader.
    """
    problems = check_criterion(criterion)
    if problems:
        raise AssessorError(f"{criterion.id}: self-tests fail, not saved: {problems[0]}")
    if path.exists():
        current = load_model(Checklist, path)
        criteria = [criterion if c.id == criterion.id else c for c in current.criteria]
        if criterion not in criteria:
            criteria.append(criterion)
        checklist = current.model_copy(update={"criteria": criteria})
    else:
        checklist = Checklist(id=path.stem, title=f"{path.stem} (drafted in the checklist workbench)",
                              version="draft", kind="library", criteria=[criterion])
    data = checklist.model_dump(mode="json", exclude_defaults=True)
    atomic_write_text(path, yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
    return load_model(Checklist, path)


class WorkbenchApp(widgets.VBox):
    """Edit, test and save one criterion (by default the checklist's first). `result` holds the last test."""

    def __init__(self, checklist_id: str, criterion_id: str = "", vendor_id: str | None = None,
                 clauses: Sequence[str] = (), save_to: Path | str = "build/workbench/library-drafts.yaml",
                 settings: Settings | None = None):
        self.settings = settings or resolve_settings()
        checklists = load_checklists(self.settings.checklists)
        if checklist_id not in checklists:
            raise AssessorError(f"no checklist {checklist_id!r} (known: {', '.join(sorted(checklists))})")
        criteria = {c.id: c for c in checklists[checklist_id].checklist.criteria}
        if not criteria:
            raise AssessorError(f"checklist {checklist_id!r} has no criteria")
        criterion_id = criterion_id or next(iter(criteria))
        if criterion_id not in criteria:
            raise AssessorError(f"checklist {checklist_id!r} has no criterion {criterion_id!r}")
        criterion = criteria[criterion_id]
        self.save_to = Path(save_to)
        self.result: WorkbenchResult | None = None
        self.source = widgets.Textarea(value=criterion_yaml(criterion), description="Criterion",
                                       layout=widgets.Layout(width="95%", height="320px"))
        default_clauses = list(clauses) or [e.text for e in criterion.positive] + list(criterion.negative)
        self.clauses = widgets.Textarea(value="\n".join(default_clauses), description="Clauses",
                                        placeholder="one example clause per line",
                                        layout=widgets.Layout(width="95%", height="120px"))
        vendors = load_vendors(self.settings.vendors)
        require_vendor(vendor_id or None, vendors)
        self.vendor = widgets.Dropdown(options=[("(none)", None)] + [(v.name, v.id) for v in vendors.values()],
                                       value=vendor_id or None, description="Vendor")
        self.test = widgets.Button(description="Test")
        self.save = widgets.Button(description="Validate and save")
        self.status = widgets.HTML()
        self.output = widgets.HTML()
        on_click_busy(self.test, self.run_test)
        on_click_busy(self.save, self.save_criterion)
        self.vendor.observe(lambda _: self.run_test(), names="value")
        super().__init__([self.source, self.clauses, widgets.HBox([self.vendor, self.test, self.save]),
                          self.status, self.output])

    def __repr__(self) -> str:
        return f"WorkbenchApp(save_to={self.save_to.as_posix()!r})"

    def _criterion(self) -> Criterion | None:
        try:
            return parse_criterion(self.source.value)
        except AssessorError as exc:
            self.status.value = message_html(str(exc), error=True)
            return None

    def run_test(self) -> WorkbenchResult | None:
        """Try the edited criterion on the clauses and the vendor; show what it matches."""
        criterion = self._criterion()
        if criterion is None:
            return None
        clauses = [c.strip() for c in self.clauses.value.splitlines() if c.strip()]
        try:
            result = try_criterion(criterion, clauses, self.vendor.value, self.settings)
        except AssessorError as exc:
            self.status.value = message_html(str(exc), error=True)
            return None
        self.result = result
        self.status.value = message_html(
            "Self-tests pass." if not result.selftest else "Self-tests fail: " + "; ".join(result.selftest),
            error=bool(result.selftest))
        parts = [html_table(("status", "rules", "clause"), [(c.status, c.rules, c.text) for c in result.clauses])]
        if result.vendor_finding is not None and result.document is not None:
            parts.append(finding_html(finding_view(result.vendor_finding, result.document)))
        self.output.value = "".join(parts)
        return result

    def save_criterion(self) -> Path | None:
        """Validate the edited criterion (schema and self-tests) and save it into the checklist file."""
        criterion = self._criterion()
        if criterion is None:
            return None
        try:
            save_criterion(criterion, self.save_to)
        except (AssessorError, OSError) as exc:
            self.status.value = message_html(str(exc), error=True)
            return None
        self.status.value = message_html(f"Saved {criterion.id} to {self.save_to.name}.")
        return self.save_to
