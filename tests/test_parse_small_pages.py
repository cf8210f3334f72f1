"""Small pages keep their title and every paragraph: one long paragraph must not become the whole policy."""

from __future__ import annotations

import pytest

from assessor.parse.html import read_html

LONG = ("We keep the record of your loans for thirty days and then we delete it for good, as the law of the state "
        "asks of every lender.")
NAV = "<nav><a href='/'>Home</a> <a href='/ask'>Ask us anything</a></nav>"
FOOTER = "<footer>Copyright 2026 Quillmoss Reads</footer>"

PAGES = {
    "heading above a wrapped paragraph": f"<div><h2>Our Privacy Notice</h2><div><p>{LONG}</p></div>"
                                         "<p>Ask us anything.</p></div>",
    "title in an outer block": f"<div id='page'><h1>Privacy Policy</h1><div><p>{LONG}</p><p>Ask us anything.</p>"
                               "</div></div>",
    "deep nesting and site furniture": f"{NAV}<div><h3>Privacy</h3><div><div><p>{LONG}</p></div></div>"
                                       f"<p>Ask us anything.</p></div>{FOOTER}",
    "list between paragraphs": f"<main><h1>Privacy</h1><p>{LONG}</p><ul><li>Your name.</li><li>Your card.</li></ul>"
                               "<p>Ask us anything.</p></main>",
    "no wrapper at all": f"<h1>Privacy</h1><p>{LONG}</p><p>Ask us anything.</p>",
}


@pytest.mark.parametrize("name", PAGES)
def test_a_small_page_keeps_its_title_and_every_paragraph(name: str):
    page = read_html(f"<html><head><title>Quillmoss</title></head><body>{PAGES[name]}</body></html>", uri=name)
    texts = [(b.kind, b.text.strip()) for b in page.blocks]
    assert texts[0][0] == "heading" and texts[0][1] in ("Our Privacy Notice", "Privacy Policy", "Privacy")
    assert ("p", LONG) in texts and texts[-1] == ("p", "Ask us anything.")
    assert not any("Home" in t or "Copyright" in t for _, t in texts)  # site furniture still left out
    assert page.warnings == []


def test_a_very_short_page_is_kept_whole():
    page = read_html("<html><body><div class='content'><h2>Privacy</h2><p>We keep logs for 30 days.</p>"
                     "<p>Delete them any time.</p></div></body></html>", uri="short")
    assert [(b.kind, b.text) for b in page.blocks] == [
        ("heading", "Privacy"), ("p", "We keep logs for 30 days."), ("p", "Delete them any time.")]
    assert page.warnings == []  # found in the page itself, not taken from the extractor's reading
