"""The browser renderer: a page whose text only JavaScript writes, rendered by the system Chromium."""

from __future__ import annotations

import builtins
from pathlib import Path

import pytest

from assessor.archive import Archive
from assessor.fetch import FetchError, FetchSettings, PermanentFetchError, fetch_document, render_page
from assessor.models import DocumentSpec

CHROMIUM = "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs the Debian package chromium")

SCRIPTED = """<!doctype html><html><head><title>Emberlane privacy</title></head><body><main id="policy"></main>
<script>
  const clauses = ["We never sell the reading history of library patrons.",
                   "Loan records are deleted fourteen days after return."];
  const main = document.getElementById("policy");
  const h = document.createElement("h1"); h.textContent = "Emberlane privacy"; main.appendChild(h);
  for (const c of clauses) { const p = document.createElement("p"); p.textContent = c; main.appendChild(p); }
</script></body></html>"""


@pytest.mark.browser
@needs_chromium
def test_a_page_written_by_javascript_is_rendered(http, tmp_path):
    http.expect_request("/privacy").respond_with_data(SCRIPTED, content_type="text/html")
    spec = DocumentSpec(kind="privacy-policy", url=http.url_for("/privacy"), render="browser")
    with Archive(tmp_path / "archive") as archive:
        plain = spec.model_copy(update={"render": "http"})
        with pytest.raises(FetchError) as info:  # without a browser there is no text at all
            fetch_document("emberlane", plain, archive=archive, settings=FetchSettings())
        assert info.value.kind == "unparseable"
        result = fetch_document("emberlane", spec, archive=archive, settings=FetchSettings(timeout=30))
        doc = result.document
        assert "never sell the reading history" in doc.text and "fourteen days" in doc.text
        assert result.snapshot.renderer == "browser" and result.outcome == "new-version"
        assert b"<p>Loan records are deleted" in archive.body(result.snapshot)  # the rendered DOM is kept


@pytest.mark.browser
@needs_chromium
def test_browser_errors_are_classified(http):
    http.expect_request("/missing").respond_with_data("nope", status=404)
    with pytest.raises(PermanentFetchError) as info:
        render_page(http.url_for("/missing"), FetchSettings(timeout=30))
    assert info.value.kind == "not-found"


def test_without_playwright_the_error_says_what_to_install(monkeypatch):
    real_import = builtins.__import__

    def no_playwright(name, *args, **kwargs):
        if name.startswith("playwright"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_playwright)
    with pytest.raises(PermanentFetchError, match=r"pip install assessor\[browser\]") as info:
        render_page("https://emberlane.example/privacy")
    assert info.value.kind == "renderer-missing"


def test_a_missing_chromium_is_named():
    with pytest.raises(PermanentFetchError, match="no Chromium at /nowhere/chromium"):
        render_page("https://emberlane.example/privacy", FetchSettings(chromium="/nowhere/chromium"))
