"""Fuzzing the whole pipeline (parse -> classify -> score -> report JSON) on generated documents: HTML of random
structure and nesting, plain text and Markdown, unicode from every plane, huge runs without punctuation.

For every document: no exception but the tool's own (`AssessorError`, one line), a bounded time, and the same JSON
when it is run twice. Marked `fuzz`; `pytest -m fuzz` runs only these, and `--hypothesis-seed` replays a run.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessor.errors import AssessorError
from assessor.models import DocumentSpec, VendorCategory, VendorProfile
from assessor.parse import parse_bytes
from assessor.pipeline import assess, choose_checklists
from assessor.report import build_vendor_report, render_json
from assessor.reviews import ReviewsFile

pytestmark = pytest.mark.fuzz

VENDOR = VendorProfile(id="fuzz-vendor", name="Fuzz Reads (sample)", category=VendorCategory.ECONTENT,
                       documents=[DocumentSpec(kind="privacy-policy", url="https://fuzz.example/privacy")])
CHECKLISTS = choose_checklists(VENDOR, ["ala-econtent", "us-ca", "niso-privacy"])
GENERATED_AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
SECONDS = 30.0  # per document and run; the largest generated documents take about a second on one core
SETTINGS = settings(max_examples=20, deadline=dt.timedelta(seconds=2 * SECONDS + 10), derandomize=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

PHRASES = ["We collect your library card number.", "We do not sell personal information.",
           "We may share data with our partners unless you opt out.", "Last updated: March 3, 2025.",
           "Reading history is deleted after 30 days.", "Except as required by law, we never disclose records.",
           "Cookies", "Contact us", "7.2 Retention", "\u201cquoted\u201d", "caf\u00e9 \u00fcber na\u00efve",
           "\u0627\u0644\u062e\u0635\u0648\u0635\u064a\u0629", "\u30d7\u30e9\u30a4\u30d0\u30b7\u30fc", "\U0001f4da",
           "\u200b\u200d\ufeff", "&amp; &lt;b&gt; &#8217; &bogus;", "=cmd|' /C calc'!A0", "\x00\x07\x1b"]
TAGS = ["div", "p", "span", "b", "strong", "em", "h1", "h2", "h3", "h4", "ul", "ol", "li", "table", "tr", "td",
        "th", "main", "article", "section", "nav", "header", "footer", "aside", "a", "pre", "blockquote", "form",
        "details", "summary", "dl", "dt", "dd", "font", "center", "script", "style", "noscript", "template", "svg"]
ATTRS = ["", " class='content'", " id='main'", " role='main'", " class='cookie-banner'", " class='nav menu'",
         " style='font-weight:bold'", " hidden", " lang='fr'"]


def _run_on(words: str) -> st.SearchStrategy[str]:
    """A long run of the given words, with no sentence end in it."""
    return st.integers(200, 20_000).map(lambda n: (words * (n // len(words) + 1))[:n])


TEXT = st.one_of(
    st.sampled_from(PHRASES),
    st.text(st.characters(codec="utf-8"), max_size=120),
    _run_on("we share your data with partners unless you opt out and we do not sell it except to affiliates "),
    _run_on("\u00e9t\u00e9 donn\u00e9es \u4e2d\u6587 \U0001f4d6 "),
)


Node = str | tuple[str, str, list["Node"]]  # text, or a tag with its attributes and children


def _render(node: Node) -> str:
    if isinstance(node, str):
        return node
    tag, attrs, children = node
    return f"<{tag}{attrs}>{''.join(_render(c) for c in children)}</{tag}>"


HTML_TREES = st.recursive(TEXT, lambda children: st.tuples(st.sampled_from(TAGS), st.sampled_from(ATTRS),
                                                           st.lists(children, max_size=6)), max_leaves=30)


@st.composite
def html_documents(draw: st.DrawFn) -> bytes:
    body = "".join(_render(t) for t in draw(st.lists(HTML_TREES, min_size=1, max_size=4)))
    if draw(st.booleans()):  # an unclosed tag soup tail
        body += "".join(f"<{t}>" for t in draw(st.lists(st.sampled_from(TAGS), max_size=300)))
    head = draw(st.sampled_from(["", "<head><title>Privacy \u2013 Fuzz</title></head>",
                                 "<head><meta charset='windows-1252'></head>"]))
    return f"<!doctype html><html>{head}<body>{body}</body></html>".encode("utf-8", "surrogatepass")


LINES = st.one_of(TEXT, st.sampled_from(["# Privacy Policy", "## 1. What we collect", "- item", "1. first",
                                         "| a | b |", "|---|---|", "**Bold Heading**", "```", "", "> quoted",
                                         "SECTION 4 - DATA", "hyphen-", "(a) lettered"]))


@st.composite
def text_documents(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(LINES, min_size=1, max_size=40))
    return "\n".join(lines).encode(draw(st.sampled_from(["utf-8", "utf-16"])), "surrogatepass")


def pipeline(data: bytes, content_type: str) -> str:
    """The report JSON of one document, or the tool's one-line error."""
    try:
        doc = parse_bytes(data, uri="https://fuzz.example/privacy", content_type=content_type)
        assessment = assess(doc, VENDOR, CHECKLISTS, reviews=ReviewsFile(vendor=VENDOR.id))
        report = build_vendor_report(assessment, doc, CHECKLISTS, generated_at=GENERATED_AT, vendor=VENDOR)
    except AssessorError as exc:
        message = str(exc)
        assert message and "\n" not in message, f"not a one-line error: {message!r}"
        return f"error: {message}"
    return render_json(report)


def check(data: bytes, content_type: str) -> None:
    outputs = []
    for _ in range(2):
        start = time.perf_counter()
        outputs.append(pipeline(data, content_type))
        seconds = time.perf_counter() - start
        assert seconds < SECONDS, f"{len(data)} bytes took {seconds:.1f} s"
    assert outputs[0] == outputs[1], "the same document gave two different results"


@SETTINGS
@given(html_documents())
def test_generated_web_pages(data: bytes):
    check(data, "text/html")


@SETTINGS
@given(text_documents(), st.sampled_from(["text/plain", "text/markdown", "application/octet-stream"]))
def test_generated_text_and_markdown(data: bytes, content_type: str):
    check(data, content_type)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2_000), st.sampled_from(["text/html", "application/pdf", "text/plain", "image/png"]))
def test_random_bytes(data: bytes, content_type: str):
    check(data, content_type)
