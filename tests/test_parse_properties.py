"""Property-based tests over random and mutated documents: the parser never fails but with a ParseError, and its
offsets and sections always agree with the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessor.models import PolicyDocument
from assessor.parse import ParseError, parse_bytes

from .conftest import DATA
from .test_parse_formats import make_pdf

SEED_PAGE = (DATA / "parse" / "quillmark-policy.html").read_bytes()
TAGS = ["div", "p", "span", "b", "strong", "h1", "h2", "h3", "ul", "ol", "li", "table", "tr", "td", "th", "br",
        "main", "article", "nav", "header", "footer", "section", "script", "style", "a", "pre", "form", "font"]
WORDS = ["We", "collect", "your", "library", "card", "number.", "Retention", "Cookies", "7.2", "Last updated:",
         "March 3, 2025", "\u201cquoted\u201d", "\u00a0", "-\n", "&amp;", "&#8217;", "<", ">", "\u200b", "caf\u00e9",
         "\x00", "\r\n", "\t", "**", "#", "|"]
LINES = ["# Title", "## 1\\. Section", "### Sub", "- item", "* item two", "1. first", "| a | b |", "|---|---|",
         "**Bold Heading**", "```", "", "", "plain text line that goes on and on", "short", "  indented", "> quoted",
         "===", "---", "Last updated: March 3, 2025", "7.2 Retention", "SECTION 4 - DATA", "hyphen-", "wrapped",
         "\u2022 bullet", "(a) lettered", "Title Case Line:", "What We Collect?", "[link](http://x)", "_em_", "Page 3"]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(doc: PolicyDocument) -> None:
    """The invariants every parsed document keeps."""
    text = doc.text
    previous_end = 0
    for i, p in enumerate(doc.paragraphs):
        assert p.index == i
        assert text[p.start:p.end] == p.text and p.text.strip() == p.text and p.text
        assert p.start >= previous_end
        previous_end = p.end
    starts = {p.start for p in doc.paragraphs if p.kind == "heading"}
    for s in doc.sections:
        assert 0 <= s.start < s.end <= len(text)
        assert s.start in starts and text[s.start:].startswith(s.heading)
        assert s.path[-1] == s.heading
        parents = [o for o in doc.sections if o.level < s.level and o.start <= s.start < o.end]
        assert all(o.end >= s.end for o in parents), "a section lies within its parents"
    for p in doc.paragraphs:
        if p.section:
            owner = [s for s in doc.sections if s.path == p.section and s.start <= p.start and p.end <= s.end]
            assert owner, f"paragraph {p.index} lies in a section {p.section}"


def parse_or_error(data: bytes, content_type: str) -> None:
    try:
        doc = parse_bytes(data, uri="random", content_type=content_type)
    except ParseError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    check(doc)


@st.composite
def html_fragments(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 40))):
        choice = draw(st.integers(0, 3))
        tag = draw(st.sampled_from(TAGS))
        if choice == 0:
            parts.append(f"<{tag}>")
        elif choice == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(" ".join(draw(st.lists(st.sampled_from(WORDS), max_size=8))))
    return "".join(parts)


@SETTINGS
@given(html_fragments())
def test_random_tag_soup(fragment):
    parse_or_error(fragment.encode("utf-8", "surrogatepass"), "text/html")


@SETTINGS
@given(st.binary(max_size=600), st.sampled_from(["text/html", "text/plain", "text/markdown",
                                                  "application/octet-stream", "application/pdf"]))
def test_random_bytes(data, content_type):
    parse_or_error(data, content_type)


@SETTINGS
@given(st.text(max_size=800), st.sampled_from(["text/plain", "text/markdown", "text/html"]))
def test_random_text(text, content_type):
    parse_or_error(text.encode("utf-8", "surrogatepass"), content_type)


@SETTINGS
@given(st.data())
def test_mutated_real_page(data):
    page = bytearray(SEED_PAGE)
    for _ in range(data.draw(st.integers(1, 12))):
        at = data.draw(st.integers(0, len(page) - 1))
        action = data.draw(st.integers(0, 2))
        if action == 0:
            del page[at:at + data.draw(st.integers(1, 400))]
        elif action == 1:
            page[at:at] = data.draw(st.sampled_from([b"<", b">", b"</div>", b"<b>", b"<h2>", b"\xff\xfe", b"<!--",
                                                     b"<script>", b"&", b"\x93", b"<br><br>"]))
        else:
            other = data.draw(st.integers(0, len(page) - 1))
            page[at:at] = page[other:other + 200]
    parse_or_error(bytes(page), "text/html")


@SETTINGS
@given(st.lists(st.sampled_from(LINES), max_size=40), st.sampled_from(["text/plain", "text/markdown"]))
def test_structured_text(lines, content_type):
    parse_or_error("\n".join(lines).encode(), content_type)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from([ln for ln in LINES if ln.isascii()]), max_size=15), min_size=1, max_size=4))
def test_structured_pdf(pages):
    parse_or_error(make_pdf(pages), "application/pdf")


INLINE = ["[", "]", "(", ")", "!", "<", ">", "br", "*", "**", "_", "__", "`", "\\", " ", "a", "word", "http://x"]


@SETTINGS
@given(st.lists(st.sampled_from(INLINE), max_size=30).map("".join))
def test_inline_markup_skips_only_patterns_that_cannot_match(text):
    """Markdown inline syntax is removed as by every pattern run in turn, though each runs only where its mark is."""
    from assessor.parse.text import _INLINE, _inline

    every = text
    for pattern, repl, _ in _INLINE:
        every = pattern.sub(repl, every)
    assert _inline(text) == every
