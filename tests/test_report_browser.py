"""The reports in a real browser: headless system Chromium opens them from file://, finds the key parts visible,
sees no console error, no script run and no request but the file itself; screenshots go to `test-artifacts/`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assessor.report import build_portfolio, render_html

from .conftest import ROOT
from .test_report import GENERATED_AT, fixture_report, hostile_report

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module (the Debian package; never a downloaded browser)."""
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.skip("needs the system Chromium (Debian package chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    """The fixture vendors' reports, a hostile one and the portfolio, written to a folder."""
    out = tmp_path_factory.mktemp("reports")
    vendors = [fixture_report("lumen-reads"), fixture_report("quill-catalog"), hostile_report()]
    for r in vendors:
        (out / f"{r.vendor}.html").write_text(render_html(r), encoding="utf-8")
    portfolio = build_portfolio(vendors, generated_at=GENERATED_AT, failures={"broken-vendor": "no archived copy"},
                                changes={"lumen-reads": ["Reading history is now kept by default"]})
    (out / "portfolio.html").write_text(render_html(portfolio), encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    return out


class Visit:
    """A page opened from file:// with every request, console error, page error and dialog recorded."""

    def __init__(self, browser, path: Path, viewport: dict[str, int]) -> None:
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.allowed = {path.as_uri()}
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}")
                     if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("dialog", self._dialog)
        self.context.route("**/*", self._route)
        self.page.goto(path.as_uri())

    def _dialog(self, dialog) -> None:
        self.errors.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def _route(self, route) -> None:
        url = route.request.url
        self.requests.append(url)
        if url in self.allowed:
            route.continue_()
        else:
            route.abort()

    def screenshot(self, name: str) -> Path:
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def assert_clean(self) -> None:
        assert self.errors == []
        assert all(u in self.allowed for u in self.requests), f"unexpected requests: {self.requests}"

    def close(self) -> None:
        self.context.close()


def _visible(page, selector: str) -> None:
    assert page.locator(selector).first.is_visible(), f"{selector} is not visible"


def test_vendor_report_in_chromium(browser, reports):
    visit = Visit(browser, reports / "lumen-reads.html", DESKTOP)
    page = visit.page
    assert page.locator("h1").inner_text() == "Lumen Reads (fixture)"
    assert page.locator("#tier").inner_text().split("\n")[0].strip().lower() == "critical risk"
    for selector in ("#summary .headline", "table.bars svg rect", "#documents dl.facts", "#asks ol.asks li",
                     "article.finding mark", ".override.stale", "#inventory table", "ul.cites a",
                     "#method ul.formula li", "#method table td.hash"):
        _visible(page, selector)
    assert page.locator("article.finding").count() == 6
    assert page.locator("#documents").inner_text().count("4f1a0c2a5b7e9d3c") == 1
    assert "read offline from the archive" in page.locator("#documents").inner_text()
    visit.screenshot("report-vendor-desktop.png")
    page.emulate_media(media="print")
    assert not page.locator("nav.toc").is_visible(), "the contents bar is not printed"
    page.pdf(path=str(ARTIFACTS / "report-vendor.pdf"), format="A4")
    visit.assert_clean()
    assert visit.requests == [(reports / "lumen-reads.html").as_uri()]
    visit.close()


def test_vendor_report_fits_a_phone(browser, reports):
    visit = Visit(browser, reports / "lumen-reads.html", PHONE)
    page = visit.page
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"
    _visible(page, "#tier")
    _visible(page, "table.bars svg")
    visit.screenshot("report-vendor-phone.png")
    visit.assert_clean()
    visit.close()


def test_hostile_report_runs_nothing_and_loads_nothing(browser, reports):
    visit = Visit(browser, reports / "evil.html", DESKTOP)
    page = visit.page
    page.wait_for_timeout(300)
    assert page.locator("script, iframe, img, object, embed").count() == 0
    assert "<script>alert('x')</script>" in page.locator("#criteria").inner_text()
    assert page.evaluate("document.querySelectorAll('[onerror],[onmouseover],[onclick]').length") == 0
    visit.screenshot("report-hostile.png")
    visit.assert_clean()
    assert visit.requests == [(reports / "evil.html").as_uri()]
    visit.close()


def test_portfolio_in_chromium(browser, reports):
    visit = Visit(browser, reports / "portfolio.html", DESKTOP)
    page = visit.page
    _visible(page, "table.vendors")
    _visible(page, "table.heat td.cell")
    _visible(page, "#changes li")
    _visible(page, "#failures li")
    names = page.locator("table.vendors tbody tr td:first-child a").all_inner_texts()
    assert names[-1] == "Quill Catalog (fixture)", "the low-risk vendor comes last"
    assert page.locator("table.heat tbody tr").count() == 3
    visit.screenshot("report-portfolio-desktop.png")
    target = reports / "lumen-reads.html"
    visit.allowed.add(target.as_uri())
    page.locator("table.vendors a", has_text="Lumen Reads (fixture)").click()
    page.wait_for_url(target.as_uri())
    assert page.locator("h1").inner_text() == "Lumen Reads (fixture)"
    visit.assert_clean()
    assert visit.requests == [(reports / "portfolio.html").as_uri(), target.as_uri()]
    visit.close()
    phone = Visit(browser, reports / "portfolio.html", PHONE)
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot("report-portfolio-phone.png")
    phone.assert_clean()
    phone.close()
