"""The letter of questions to send a vendor, as a Word document: one question and one clause per concern, each
citing the criteria and sources it serves. Same report, same bytes."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as WordDocument
from docx.shared import Pt
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .model import Ask, VendorReport, sources_text
from .ooxml import fixed_zip, naive_utc
from .render import when


def _text(value: str) -> str:
    """Text Word can hold (control characters dropped)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _ask(doc: WordDocument, number: int, ask: Ask) -> None:
    heading = doc.add_paragraph(style="Heading 2")
    heading.add_run(_text(f"{number}. {ask.title}"))
    doc.add_paragraph(_text(ask.question))
    clause = doc.add_paragraph()
    clause.add_run("Clause we ask for: ").bold = True
    clause.add_run(_text(ask.clause)).italic = True
    serves = doc.add_paragraph()
    criteria = ", ".join(f"{c.criterion} ({c.status_label.lower()})" for c in ask.criteria)
    sources = sources_text(ask.sources)
    run = serves.add_run(_text(f"This answers {criteria}. Sources: {sources}."))
    run.font.size = Pt(8.5)


def letter_docx(report: VendorReport) -> bytes:
    """The vendor's letter of questions (every ask of the report, worst first) as `.docx` bytes."""
    doc = Document()
    props = doc.core_properties
    props.author = props.last_modified_by = "assessor"
    props.title = _text(f"Privacy questions for {report.vendor_name}")
    props.created = props.modified = props.last_printed = naive_utc(report.generated_at)
    props.revision = 1
    doc.add_heading(_text(f"Privacy questions for {report.vendor_name}"), level=1)
    doc.add_paragraph(when(report.generated_at.date()))
    source = report.documents[0] if report.documents else None
    read = (f" ({source.title or source.kind}, {source.source}"
            + (f", read {when(source.fetched_at)}" if source.fetched_at else "") + ")") if source else ""
    doc.add_paragraph(_text(
        f"As part of our library's review of the privacy terms of {report.vendor_name}{read}, against the "
        f"checklists and laws named below, we ask you to answer the following questions in writing and to include "
        f"the clauses below in our agreement."))
    if not report.asks:
        doc.add_paragraph("We have no questions: the policy meets, or partly meets, every criterion we checked.")
    for number, ask in enumerate(report.asks, 1):
        _ask(doc, number, ask)
    doc.add_paragraph("Thank you. We look forward to your answers.")
    raw = io.BytesIO()
    doc.save(raw)
    return fixed_zip(raw.getvalue(), naive_utc(report.generated_at))
