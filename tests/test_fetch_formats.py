"""Documents served with the wrong content type: a PDF and a Word file are recognised by their bytes and parsed."""

from __future__ import annotations

import io

import pytest

from assessor.archive import Archive
from assessor.fetch import FetchSettings, archived_document, fetch_document
from assessor.models import DocumentSpec


@pytest.fixture
def settings():
    return FetchSettings(timeout=2, retries=0)


def fetch(url: str, archive: Archive, settings: FetchSettings, kind: str = "privacy-policy"):
    result = fetch_document("quillmoss", DocumentSpec(kind=kind, url=url), archive=archive, settings=settings)
    return result, result.document


def _pdf(text: str) -> bytes:
    """A one-page PDF whose page shows `text` (written by hand: objects, then the cross-reference table)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >>"
               b" /Contents 5 0 R >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Quillmoss terms", level=1)
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_pdf_served_with_the_wrong_content_type(http, archive, settings):
    http.expect_request("/policy").respond_with_data(
        _pdf("We never sell the titles you borrow to advertisers."), content_type="application/octet-stream")
    result, doc = fetch(http.url_for("/policy"), archive, settings)
    assert "never sell the titles you borrow" in doc.text
    assert archive.body(result.snapshot).startswith(b"%PDF-")
    assert archive.snapshot(result.snapshot.id).content_type == "application/octet-stream"
    spec = DocumentSpec(kind="privacy-policy", url=http.url_for("/policy"))
    assert archived_document(archive, result.snapshot, spec, offline=True).text == doc.text


def test_a_docx_served_with_the_wrong_content_type(http, archive, settings):
    body = _docx(["We keep loan records for thirty days after a loan ends.", "We do not sell reading history."])
    http.expect_request("/terms").respond_with_data(body, content_type="text/html; charset=utf-8")
    result, doc = fetch(http.url_for("/terms"), archive, settings, kind="terms")
    assert "thirty days after a loan ends" in doc.text and "reading history" in doc.text
    assert result.kind == "terms" and archive.body(result.snapshot) == body


def test_plain_text_served_as_octet_stream(http, archive, settings):
    text = "Quillmoss privacy\n\nWe delete loan records thirty days after return.\n\nWe never sell them.\n"
    http.expect_request("/policy.txt").respond_with_data(text.encode(), content_type="application/octet-stream")
    _, doc = fetch(http.url_for("/policy.txt"), archive, settings)
    assert "thirty days after return" in doc.text and len(doc.paragraphs) >= 2
