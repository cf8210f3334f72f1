"""The main-text oracle: trafilatura's reading of a page (Markdown, headings and tables kept), used to find the
element that holds the policy and as the fallback when the page's structure hides the text."""

from __future__ import annotations

import logging

from .libraries import without


def main_text(html: str) -> str | None:
    """The page's main text as Markdown, or None when the extractor finds nothing (or fails). trafilatura is imported
    here, on first use: it takes a second to import, which a run that reads no web page (an audit from the cache,
    `assessor --help`) need not pay; without py3langid, which it would load for a language filter not used here."""
    with without("py3langid"):
        import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    try:
        text = trafilatura.extract(html, output_format="markdown", include_tables=True, include_comments=False,
                                   include_links=False, include_images=False, favor_recall=True, deduplicate=False)
    except Exception:  # noqa: BLE001 - an oracle that fails is an oracle that says nothing
        return None
    return text or None
