"""What a body really is and how its bytes decode: magic bytes before the declared type, BOM and declared
charsets before guessing."""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from typing import Literal

from .errors import ParseError

Kind = Literal["html", "text", "markdown", "pdf", "docx"]

_DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_DECLARED: dict[str, Kind] = {
    "text/html": "html", "application/xhtml+xml": "html", "text/plain": "text", "text/markdown": "markdown",
    "text/x-markdown": "markdown", "application/pdf": "pdf", _DOCX_TYPE: "docx",
}
_OPAQUE = ("image/", "audio/", "video/", "font/", "application/json", "application/javascript", "text/css",
           "application/zip", "application/gzip")
_MAGIC = {b"\x89PNG": "a PNG image", b"GIF8": "a GIF image", b"\xff\xd8\xff": "a JPEG image",
          b"\x1f\x8b": "gzip-compressed data", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "an old Office file (.doc)",
          b"Rar!": "a RAR archive", b"7z\xbc\xaf": "a 7-Zip archive", b"RIFF": "a media file",
          b"OggS": "a media file", b"wOFF": "a web font", b"wOF2": "a web font"}
_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)
_HTML_ANY = re.compile(rb"<(?:p|div|h[1-6]|br|table|ul|li|span|a\s)[\s>/]", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_LATIN = {"latin-1", "latin1", "iso-8859-1", "iso8859-1", "us-ascii", "ascii", "iso_8859-1"}
_WESTERN_GUESSES = ("cp125", "latin", "iso8859", "mac_", "cp850", "cp437", "ascii")


def _media_type(content_type: str) -> str:
    """The media type of a Content-Type value, lower-case, without parameters."""
    return content_type.split(";")[0].strip().lower()


def declared_kind(content_type: str) -> Kind | None:
    """The kind a Content-Type value declares, if it is one we read."""
    return _DECLARED.get(_media_type(content_type))


def _is_docx(data: bytes) -> bool:
    """A ZIP archive holding a Word document body."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


_NOT_CONTROL = bytes(b for b in range(256) if not (b < 9 or 13 < b < 32 and b != 27))  # all but the C0 controls


def looks_binary(data: bytes) -> bool:
    """Control bytes that no text has (NUL, or many C0 controls) in the first 4 KB, unless a UTF-16/32 BOM."""
    head = data[:4096]
    if any(head.startswith(bom) for bom, enc in _BOMS if enc != "utf-8-sig"):
        return False
    controls = len(head.translate(None, _NOT_CONTROL))
    return b"\x00" in head or controls > len(head) // 20


def sniff_kind(data: bytes, content_type: str, uri: str) -> Kind:
    """The kind of document the bytes are, trusting magic bytes over the declared content type."""
    at = data.find(b"%PDF-", 0, 1024)  # a PDF may have a little junk before its header, never markup
    if at == 0 or (at > 0 and b"<" not in data[:at]):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        if _is_docx(data):
            return "docx"
        raise ParseError(f"{uri}: a ZIP archive that is not a Word (.docx) document")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise ParseError(f"{uri}: binary content ({what}), not a policy document")
    if looks_binary(data):
        raise ParseError(f"{uri}: binary content, not a text, HTML, PDF or Word document")
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if _HTML_START.match(head):
        return "html"
    kind = declared_kind(content_type)
    if kind in ("html", "text", "markdown"):
        return kind
    if _media_type(content_type).startswith(_OPAQUE):
        raise ParseError(f"{uri}: cannot parse content type {content_type!r}")
    return "html" if _HTML_ANY.search(head) else "text"


def _charset_param(content_type: str) -> str | None:
    """The charset parameter of a Content-Type value."""
    m = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.I)
    return m.group(1) if m else None


def _codec(name: str) -> str | None:
    """Python's codec for a charset label (latin-1 labels read as windows-1252), or None."""
    name = name.strip().lower()
    if name in _LATIN:
        return "cp1252"  # as browsers do: latin-1 labels mean windows-1252
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes, content_type: str = "", *, html: bool = False) -> tuple[str, str | None]:
    """The text of the bytes and, when the declared charset was wrong, a warning naming the one used.

    Order: byte-order mark, strict UTF-8, the declared charset (header, then HTML meta), then a guess in which
    windows-1252 wins over its Western cousins (it is what mislabelled policies nearly always are)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    declared = [_charset_param(content_type)]
    if html:
        meta = _META_CHARSET.search(data[:4096])
        declared.append(meta.group(1).decode("ascii", "ignore") if meta else None)
    labels = [c for c in (_codec(d) for d in declared if d) if c]
    for codec in labels:
        if codec == "utf-8":
            continue
        try:
            return data.decode(codec), None
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes  # here: few documents need a guess, and it takes a while to import

    guess = from_bytes(data).best()
    codec = guess.encoding if guess else "cp1252"
    if codec.startswith(_WESTERN_GUESSES) or codec.startswith(("utf_16", "utf_32")) or guess is None:
        codec = "cp1252"
    text = data.decode(codec, errors="replace")
    said = f"declared {labels[0]}" if labels else "no charset declared"
    return text, f"text is not valid UTF-8 ({said}); decoded as {codec.replace('_', '-')}"
