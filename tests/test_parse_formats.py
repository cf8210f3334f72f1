"""PDF, Word, plain text and Markdown; content sniffing, charsets and unreadable input."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from assessor.parse import ParseError, content_type_for, parse_bytes, parse_file

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def make_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A small valid PDF written by hand: one Helvetica text line per string, WinAnsi-encoded (smart quotes work);
    a string starting with "#" is set in 15-point Helvetica Bold, like a heading."""

    def literal(text: str) -> bytes:
        return b"(" + text.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"

    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica%s /Encoding /WinAnsiEncoding >>"
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 3: font % b""}
    kids = []
    for i, lines in enumerate(pages):
        page, content = 4 + 2 * i, 5 + 2 * i
        kids.append(b"%d 0 R" % page)
        shown = [b"/F2 15 Tf " + literal(ln[1:]) + b" Tj T* /F1 11 Tf " if ln.startswith("#") else
                 literal(ln) + b" Tj T* " for ln in lines]
        stream = b"BT /F1 11 Tf 16 TL 72 770 Td " + b"".join(shown) + b"ET"
        objects[page] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R "
                         b"/F2 %d 0 R >> >> /Contents %d 0 R >>" % (4 + 2 * len(pages), content))
        objects[content] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(pages))
    objects[4 + 2 * len(pages)] = font % b"-Bold"
    info = b""
    if title:
        objects[len(objects) + 1] = b"<< /Title " + literal(title) + b" >>"
        info = b" /Info %d 0 R" % len(objects)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, len(objects) + 1))
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, info, xref)
    return bytes(out)


CONTRACT_PAGES = [
    ["Harborview Reading Services - Data Agreement", "Page 1 of 2", "7. Patron Records",
     "7.1 Ownership", "The Library owns all patron records. The Vendor holds them only",
     "to provide the service and for no other pur-", "pose whatsoever, and not for any third-party use.",
     "7.2 Retention", "Loan records are deleted thirty days after the title is returned.",
     "The Vendor keeps no \u201cshadow\u201d copy of them.", "Confidential - fictional sample"],
    ["Harborview Reading Services - Data Agreement", "Page 2 of 2", "8. Security",
     "Records are encrypted in transit and at rest.", "Confidential - fictional sample"],
]


@pytest.fixture(scope="module")
def contract_pdf():
    return parse_bytes(make_pdf(CONTRACT_PAGES, title="Harborview data agreement"), uri="contract.pdf",
                       content_type="application/pdf")


def test_pdf_numbered_clauses_become_sections(contract_pdf):
    assert [(s.heading, s.level) for s in contract_pdf.sections] == [
        ("7. Patron Records", 2), ("7.1 Ownership", 3), ("7.2 Retention", 3), ("8. Security", 2)]
    retention = next(p for p in contract_pdf.paragraphs if p.text.startswith("Loan records"))
    assert retention.section == ["7. Patron Records", "7.2 Retention"]


def test_pdf_hyphenation_quotes_and_running_lines(contract_pdf):
    text = contract_pdf.text
    assert "for no other purpose whatsoever, and not for any third-party use." in text
    assert 'no "shadow" copy' in text
    assert "Page 1" not in text and "Confidential" not in text and "Data Agreement" not in text
    assert any("running header" in w for w in contract_pdf.warnings)
    assert contract_pdf.title == "Harborview data agreement"
    for p in contract_pdf.paragraphs:
        assert text[p.start:p.end] == p.text


def test_pdf_headings_set_in_a_larger_bold_font():
    pages = [["#How we use your data", "We use it to lend you books and for nothing else at all, and we",
              "never sell it", "#Data retention", "Loans are deleted after thirty days, and we keep no copies",
              "of them anywhere else."]]
    doc = parse_bytes(make_pdf(pages), uri="p.pdf", content_type="application/pdf")
    assert [s.heading for s in doc.sections] == ["How we use your data", "Data retention"]
    assert doc.paragraphs[1].text.endswith("and we never sell it")


def test_a_pdf_served_as_html_is_sniffed():
    doc = parse_bytes(make_pdf(CONTRACT_PAGES), uri="https://x.example/policy", content_type="text/html; charset=utf-8")
    assert "7.2 Retention" in doc.text
    assert doc.warnings[0].startswith("declared text/html") and "pdf" in doc.warnings[0]


def test_a_pdf_without_text_is_a_clear_error():
    with pytest.raises(ParseError, match="no text layer"):
        parse_bytes(make_pdf([[]]), uri="scan.pdf", content_type="application/pdf")


def test_a_damaged_pdf_is_a_clear_error():
    with pytest.raises(ParseError, match="unreadable PDF|no text"):
        parse_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", uri="bad.pdf", content_type="application/pdf")


def make_docx() -> bytes:
    document = Document()
    document.core_properties.title = "Cobblestone eBooks service agreement"
    document.add_heading("Cobblestone eBooks Service Agreement", level=0)
    document.add_heading("Definitions", level=1)
    document.add_paragraph("\u201cPatron Data\u201d means any record that identifies a library user.")
    document.add_paragraph("5.3 Return of Data")
    document.add_paragraph("At the end of the term the Vendor returns all Patron Data and then deletes it.")
    bold = document.add_paragraph()
    bold.add_run("Subprocessors").bold = True
    document.add_paragraph("Hosting in the library\u2019s own country", style="List Bullet")
    document.add_paragraph("No advertising partners", style="List Bullet")
    document.add_heading("Retention schedule", level=2)
    table = document.add_table(rows=2, cols=2)
    for row, values in zip(table.rows, [("Record", "Kept for"), ("Loan history", "30 days")], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("Signed for the library.")
    control = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtContent><w:p><w:r><w:t>Text inside a content control,</w:t>'
                        '</w:r><w:del><w:r><w:delText> struck out</w:delText></w:r></w:del><w:ins><w:r><w:t xml:space='
                        '"preserve"> revised.</w:t></w:r></w:ins></w:p></w:sdtContent></w:sdt>')
    document.element.body.insert(len(document.element.body) - 1, control)  # before the section properties
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def contract_docx(tmp_path_factory):
    path = tmp_path_factory.mktemp("docx") / "contract.docx"
    path.write_bytes(make_docx())
    return path


def test_docx_headings_clauses_lists_and_tables(contract_docx):
    doc = parse_file(contract_docx)
    assert doc.title == "Cobblestone eBooks Service Agreement"
    assert [(s.heading, s.level) for s in doc.sections] == [
        ("Cobblestone eBooks Service Agreement", 1), ("Definitions", 1), ("5.3 Return of Data", 3),
        ("Subprocessors", 4), ("Retention schedule", 2)]
    kinds = [(p.kind, p.text) for p in doc.paragraphs]
    assert ("li", "Hosting in the library's own country") in kinds
    assert [t for k, t in kinds if k == "td"] == ["Record", "Kept for", "Loan history", "30 days"]
    assert kinds[-2:] == [("p", "Signed for the library."), ("p", "Text inside a content control, revised.")]
    assert '"Patron Data" means' in doc.text


def test_docx_served_as_octet_stream_is_sniffed():
    doc = parse_bytes(make_docx(), uri="https://x.example/dl?id=4", content_type="application/octet-stream")
    assert "Return of Data" in doc.text


def test_assessor_score_reads_a_docx(cli, contract_docx):
    result = cli("score", str(contract_docx), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert '"findings"' in result.stdout


def test_a_zip_that_is_not_a_docx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("policy.txt", "hello")
    with pytest.raises(ParseError, match="not a Word"):
        parse_bytes(buffer.getvalue(), uri="x.docx", content_type=DOCX)


def test_content_types_for_every_supported_suffix(tmp_path):
    from pathlib import Path

    assert content_type_for(Path("a.PDF")) == "application/pdf"
    assert content_type_for(Path("a.docx")) == DOCX
    with pytest.raises(ParseError, match="unsupported file type"):
        content_type_for(tmp_path / "a.doc")


def test_plain_text_numbered_clauses_and_title_lines():
    text = ("PRIVACY NOTICE\n\nLast updated: 2 May 2024\n\n1. Definitions\n\nA patron is a library user.\n\n"
            "7.2 Retention\nWe keep loan data for thirty days.\n\n- first item\n- second item\n")
    doc = parse_bytes(text.encode(), uri="p.txt", content_type="text/plain")
    assert [p.kind for p in doc.paragraphs] == ["heading", "p", "heading", "p", "heading", "p", "li", "li"]
    assert [s.heading for s in doc.sections] == ["PRIVACY NOTICE", "1. Definitions", "7.2 Retention"]
    assert str(doc.last_updated) == "2024-05-02"


def test_numbered_sentences_are_not_headings():
    text = "3.1 The Customer shall pay all fees within thirty days.\n\n1. We collect your name when you sign up\n"
    doc = parse_bytes(text.encode(), uri="p.txt", content_type="text/plain")
    assert not doc.sections


@pytest.mark.parametrize("line", ["Section 4 \u2014 Data Security", "ARTICLE 4: DATA SECURITY", "4.1 Data Security",
                                  "IV. Data Security", "B) Data Security"])
def test_numbered_heading_styles(line):
    doc = parse_bytes(f"{line}\n\nWe encrypt patron data.".encode(), uri="p.txt", content_type="text/plain")
    assert [s.heading for s in doc.sections] == [line.replace("\u2014", "-")]


def test_hard_wrapped_text_is_re_assembled():
    text = ("What We Collect\n"
            "We collect the card number that your library sends to us when you\n"
            "sign in, and nothing else about you at any time.\n"
            "Account Details:\n"
            "We store the titles you borrow so that we can deliver them to your\n"
            "device, and we delete the list when the loans end.\n")
    doc = parse_bytes(text.encode(), uri="p.txt", content_type="text/plain")
    assert [(p.kind, p.text[:20]) for p in doc.paragraphs] == [
        ("heading", "What We Collect"), ("p", "We collect the card "), ("heading", "Account Details:"),
        ("p", "We store the titles ")]


def test_markdown_headings_links_emphasis_tables_and_bold_lines():
    md = ("# Inkwell Privacy\n\n_Last updated March 5, 2025_\n\n## 1\\. Data We **Collect**\n\n"
          "We read [your card number](https://x.example/card) and *nothing* else.\n\n**COOKIES**\n\n"
          "One session cookie.\n\n| Record | Kept |\n|---|---|\n| Logs | 30 days |\n\n"
          "* first item\n  continued here\n* second item\n\n```\ncode stays\n```\n")
    doc = parse_bytes(md.encode(), uri="p.md", content_type="text/markdown")
    assert [(s.heading, s.level) for s in doc.sections] == [
        ("Inkwell Privacy", 1), ("1. Data We Collect", 2), ("COOKIES", 3)]
    assert "We read your card number and nothing else." in doc.text
    assert [p.text for p in doc.paragraphs if p.kind == "td"] == ["Record", "Kept", "Logs", "30 days"]
    assert [p.text for p in doc.paragraphs if p.kind == "li"] == ["first item continued here", "second item"]
    assert doc.paragraphs[-1].kind == "pre" and str(doc.last_updated) == "2025-03-05"


def test_windows_1252_declared_utf8_keeps_its_smart_quotes():
    html = "<html><body><p>We don\u2019t sell \u201cpatron\u201d data \u2014 caf\u00e9 na\u00efve.</p></body></html>"
    doc = parse_bytes(html.encode("cp1252"), uri="p.html", content_type="text/html; charset=utf-8")
    assert doc.text == 'We don\'t sell "patron" data - caf\u00e9 na\u00efve.'
    assert any("windows-1252" in w or "cp1252" in w for w in doc.warnings)


def test_meta_charset_and_byte_order_marks():
    html = "<html><head><meta charset='iso-8859-1'></head><body><p>R\u00e9sum\u00e9 \u2019</p></body></html>"
    assert parse_bytes(html.encode("cp1252"), uri="p.html", content_type="text/html").text == "R\u00e9sum\u00e9 '"
    text = "Caf\u00e9 policy text."
    assert parse_bytes(text.encode("utf-16"), uri="p.txt", content_type="text/plain").text == text
    assert parse_bytes(b"\xef\xbb\xbf" + text.encode(), uri="p.txt", content_type="text/plain").text == text


def test_html_served_as_plain_text_is_sniffed():
    page = b"<!DOCTYPE html><html><body><nav><a href='/'>Home</a></nav><main><p>The policy.</p></main></body></html>"
    doc = parse_bytes(page, uri="x", content_type="text/plain")
    assert doc.text == "The policy."


@pytest.mark.parametrize(("data", "what"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip"),
    (bytes(range(256)) * 20, "binary"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", ".doc"),
])
def test_binary_junk_is_a_clear_error(data, what):
    with pytest.raises(ParseError, match="binary") as info:
        parse_bytes(data, uri="junk", content_type="text/html")
    assert what in str(info.value) and "\n" not in str(info.value)


def test_binary_means_more_than_one_control_byte_in_twenty():
    """C0 controls other than tab, newlines, form feed and escape count, in the first 4 KB; up to 1 in 20 is text."""
    from assessor.parse.sniff import looks_binary

    text = b"Policy text.\t\r\n\x0b\x0c\x1b " * 5  # 100 bytes, none of them counted
    assert not looks_binary(text[:94] + b"\x01\x02\x1f\x08\x0e\x7f")  # 5 in 100 (DEL is no C0 control)
    assert looks_binary(text[:93] + b"\x01\x02\x1f\x08\x0e\x10\x7f")
    assert not looks_binary(b"x" * 4096 + b"\x01" * 500)  # past the first 4 KB


def test_an_opaque_declared_type_with_text_is_refused():
    with pytest.raises(ParseError, match="cannot parse content type"):
        parse_bytes(b'{"policy": "json"}', uri="x.json", content_type="application/json")


@pytest.mark.parametrize("unit", ["[", "*a ", "**a ", "_a ", "[a](", "<a ", "1.1.1 ", "a-\n"])
def test_pathological_markdown_costs_linear_time(unit):
    import time

    start = time.perf_counter()
    try:
        parse_bytes((unit * 50_000).encode(), uri="x.md", content_type="text/markdown")
    except ParseError:
        pass
    assert time.perf_counter() - start < 10
