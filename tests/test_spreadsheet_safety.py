"""Spreadsheets: no field of a report becomes a live formula in CSV or XLSX, whatever control characters precede it.

The guard works on the final cell value (control characters, which XLSX cannot hold, removed first), for every field
a librarian or a vendor's page can fill: policy text, override notes and reviewer names, vendor and checklist fields.
"""

from __future__ import annotations

import csv
import io
import itertools
import re

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from assessor.report import build_vendor_report
from assessor.report.tables import FORMULA_PREFIXES, findings_csv, findings_xlsx, neutralise

from .test_report import GENERATED_AT, fixture_review

PREFIXES = ["=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20"]  # the last four fullwidth
# control characters XLSX cannot hold, spaces, and characters a program may drop unseen (DEL, C1, zero-width, BOM)
LEADS = ["", "\x01", "\x00\x1f", "\x0b\x0c", "\x08", " ", " \x01 ", "\x7f", "\x85\x9f", "\u200b\ufeff", "\u202e"]
INVISIBLE = re.compile("[\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
CONTROL = "".join(chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32)])


def _live(value: str) -> bool:
    """Would a spreadsheet (dropping invisible characters, trimming leading spaces, folding fullwidth forms) start a
    formula here?"""
    value = INVISIBLE.sub("", value)
    return value.startswith(FORMULA_PREFIXES) or value.lstrip().startswith(FORMULA_PREFIXES)


def _expected(value: str) -> str:
    """The cell a value should become: control characters gone, and one quote in front, except where the prefix is
    a tab or line break after a space (which trimming removes with the space: " \tcmd" is no formula)."""
    stripped = ILLEGAL_CHARACTERS_RE.sub("", value)
    harmless = stripped[:1] == " " and stripped.lstrip()[:1] not in "=+-@\uff1d\uff0b\uff0d\uff20"
    return stripped if harmless else "'" + stripped


@pytest.mark.parametrize(("lead", "prefix"), list(itertools.product(LEADS, PREFIXES)))
def test_the_final_cell_value_is_never_a_formula(lead: str, prefix: str):
    value = f"{lead}{prefix}HYPERLINK(\"http://x.example\",\"click\")"
    cell = neutralise(value)
    assert not _live(cell) and not ILLEGAL_CHARACTERS_RE.search(cell)
    assert cell == _expected(value)  # the text is kept, behind one quote
    assert neutralise(cell) == cell  # applying it twice changes nothing


def test_plain_text_is_left_alone_and_control_characters_are_removed():
    assert neutralise("We keep records for 30 days.") == "We keep records for 30 days."
    assert neutralise("a\x01b\x1fc") == "abc" and neutralise(CONTROL) == ""
    assert neutralise("x = 1 + 2") == "x = 1 + 2"  # only the start of a cell counts
    assert neutralise("'=already quoted") == "'=already quoted"


def _payloads() -> list[str]:
    return [f"{lead}{prefix}cmd|' /C calc'!A0" for lead, prefix in itertools.product(LEADS, PREFIXES)]


def _reports():
    """One report per payload, the payload in every free-text field: the policy's text (evidence, section), the
    librarian's override note and name, the vendor's name, and the checklist's title, question and clause."""
    assessment, doc, checklists, vendor = fixture_review("lumen-reads")
    reports = []
    for i, payload in enumerate(_payloads()):
        findings = []
        for f in assessment.findings:
            evidence = [e.model_copy(update={"quote": payload, "section": payload}) for e in f.evidence]
            f = f.model_copy(update={"title": payload, "evidence": evidence, "rationale": payload})
            if f.override:
                o = f.override.override.model_copy(update={"note": payload, "reviewer": payload})
                f = f.model_copy(update={"override": f.override.model_copy(update={"override": o})})
            findings.append(f)
        hostile = assessment.model_copy(update={"vendor": f"v{i}", "vendor_name": payload, "findings": findings,
                                                "summary": payload})
        reports.append(build_vendor_report(hostile, doc, checklists, generated_at=GENERATED_AT,
                                           vendor=vendor.model_copy(update={"name": payload})))
    return reports


def test_no_field_of_any_report_is_a_live_formula_in_csv_or_xlsx():
    reports = _reports()
    rows = list(csv.reader(io.StringIO(findings_csv(reports), newline="")))
    book = load_workbook(io.BytesIO(findings_xlsx(reports, GENERATED_AT)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows(min_row=2) for c in row]
    assert all(c.data_type != "f" for c in cells), "no XLSX cell is a formula"
    texts = [v for row in rows[1:] for v in row] + [c.value for c in cells if isinstance(c.value, str)]
    assert [t for t in texts if _live(t)] == []
    assert not any(ILLEGAL_CHARACTERS_RE.search(t) for t in texts)
    # every payload reached the files, quoted: as the vendor name and an override note and reviewer
    header = rows[0]
    for payload, report in zip(_payloads(), reports, strict=True):
        quoted = _expected(payload)
        mine = [r for r in rows[1:] if r[0] == report.vendor]
        assert mine and all(r[header.index("vendor_name")] == quoted for r in mine)
        overridden = [r for r in mine if r[header.index("override_reviewer")]]
        assert overridden and all(r[header.index("override_note")] == quoted
                                  and r[header.index("override_reviewer")] == quoted for r in overridden)
        assert any(r[header.index("evidence")].startswith(quoted) for r in mine)
