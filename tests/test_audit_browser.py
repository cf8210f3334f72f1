"""The audit report in a real browser (headless system Chromium) on a phone: nothing wider than the screen, the text of
an added section folded in a <details> that opens, the redline and the moves readable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .test_audit_history import audit

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def page():
    """A phone-sized page in one headless Chromium (the Debian package; never a downloaded browser)."""
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.skip("needs the system Chromium (Debian package chromium)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser.new_context(viewport=PHONE).new_page()
        browser.close()


@pytest.mark.parametrize("pattern", ["rewrite", "moved", "notice-dropped"])
def test_audit_report_reads_on_a_390_px_phone(page, tmp_path, pattern):
    audit(tmp_path, pattern)
    page.goto((tmp_path / "out" / "audit.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate("[...document.querySelectorAll('td,p,blockquote')].every("
                         "e => e.getBoundingClientRect().right <= innerWidth + 1)")
    if pattern == "rewrite":
        summary = page.locator("details:not([open]) summary").first
        hidden = page.locator("details:not([open]) .section-text").first
        assert not hidden.is_visible()
        summary.click()
        assert page.locator("details[open] .section-text").first.is_visible()
    if pattern == "moved":
        assert page.get_by_text("Moved within this section, unchanged").is_visible()
    if pattern == "notice-dropped":
        assert page.locator(".redline ins", has_text="without notice to users.").is_visible()
        assert page.locator(".redline del").first.is_visible()
