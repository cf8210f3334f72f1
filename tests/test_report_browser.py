"""The reports in a real browser: headless system Chromium opens them from file://, finds the key parts visible,
sees no console error, no script run and no request but the file itself; screenshots and PDFs go to the
artifacts folder (`tests/artifacts.py`: `$ASSESSOR_TEST_ARTIFACTS`, else `test-artifacts/`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pypdf import PdfReader

from assessor.archive import Archive
from assessor.pipeline import review_vendor
from assessor.report import build_portfolio, render_html, review_report
from assessor.report.history import history_report, score_history

from .artifacts import artifact, failure_name
from .test_report import GENERATED_AT, fixture_report, fixture_review, hostile_report
from .test_report_history import VENDOR, seeded

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
A4_PRINTABLE_PX = (297 - 2 * 14) / 25.4 * 96  # the print CSS's page margins are 14 mm top and bottom


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module (the Debian package; never a downloaded browser)."""
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.skip("needs the system Chromium (Debian package chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture(autouse=True)
def _keep_what_a_failed_test_saw(browser):
    """Every test closes its pages: one still open after a test ended it early, so keep its screenshot
    (`FAILED-<test>-N.png`) before closing it."""
    yield
    for n, page in enumerate(p for context in browser.contexts for p in context.pages):
        page.screenshot(path=str(artifact(failure_name(f"-{n}"))), full_page=True)
    for context in browser.contexts:
        context.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    """The fixture vendors' reports, a hostile one and the portfolio, written to a folder."""
    out = tmp_path_factory.mktemp("reports")
    with Archive(out / "archive") as archive:
        history = score_history(seeded(archive), VENDOR)
        (out / "history.html").write_text(render_html(history_report(archive, VENDOR, generated_at=GENERATED_AT)),
                                          encoding="utf-8")
    assessment, doc, checklists, vendor = fixture_review("lumen-reads")
    from assessor.report import build_vendor_report

    lumen = build_vendor_report(assessment, doc, checklists, generated_at=GENERATED_AT, vendor=vendor,
                                history=history)
    vendors = [lumen, fixture_report("quill-catalog"), hostile_report()]
    sample = review_report(review_vendor("pageturner-plus"), GENERATED_AT)
    (out / "pageturner-plus.html").write_text(render_html(sample), encoding="utf-8")
    for r in vendors:
        (out / f"{r.vendor}.html").write_text(render_html(r), encoding="utf-8")
    broken = ("https://download.example-vendor.test/apps/legalterms/BrokenVendor_Privacy_Statement.html: "
              "no archived copy")  # a real failure names the URL, too long to wrap at a space
    portfolio = build_portfolio(vendors, generated_at=GENERATED_AT, failures={"broken-vendor": broken},
                                changes={"lumen-reads": ["Reading history is now kept by default"]})
    (out / "portfolio.html").write_text(render_html(portfolio), encoding="utf-8")
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
        path = artifact(name)
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
    for selector in ("#summary .headline", "#summary ol.top-asks li a", "#trend svg polyline", "table.bars svg rect",
                     "#documents dl.facts", "#asks ol.asks li", "article.finding mark", ".override.stale",
                     "#inventory table", ".meta-line a", "#method ul.formula li", "#method table td.hash"):
        _visible(page, selector)
    assert page.locator("article.finding").count() == 6
    assert page.locator("#documents").inner_text().count("4f1a0c2a5b7e9d3c") == 1
    assert "read offline from the archive" in page.locator("#documents").inner_text()
    visit.screenshot("report-vendor-desktop.png")
    page.emulate_media(media="print")
    assert not page.locator("nav.toc").is_visible(), "the contents bar is not printed"
    page.pdf(path=str(artifact("report-vendor.pdf")), format="A4")
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


def test_vendor_report_prints_a_summary_page_then_compact_detail(browser, reports):
    """The worst sample vendor (59 criteria): the summary alone on page 1, under 12 A4 pages, no finding or
    question taller than a page (so `break-inside: avoid` keeps each whole), the phone view not too wide."""
    path = reports / "pageturner-plus.html"
    visit = Visit(browser, path, DESKTOP)
    page = visit.page
    page.emulate_media(media="print")
    blocks = page.evaluate("""() => [...document.querySelectorAll('article.finding, li.ask')].map(e => [
        e.id, getComputedStyle(e).breakInside, e.getBoundingClientRect().height])""")
    assert len(blocks) > 60
    assert all(avoid == "avoid" for _, avoid, _ in blocks)
    tallest = max(blocks, key=lambda b: b[2])
    assert tallest[2] < A4_PRINTABLE_PX, f"{tallest[0]} is taller than a printed page"
    pdf = artifact("report-pageturner-plus.pdf")
    page.pdf(path=str(pdf), format="A4")
    pages = PdfReader(pdf).pages
    assert len(pages) < 12, f"{len(pages)} pages"
    first, second = pages[0].extract_text(), pages[1].extract_text()
    assert "CRITICAL RISK" in first.upper() and "Ask the vendor for" in first and "Every criterion" not in first
    assert second.lstrip().startswith("Questions to send the vendor")
    page.set_viewport_size({"width": 794, "height": 1123})
    page.screenshot(path=str(artifact("report-summary-print.png")), clip={"x": 0, "y": 0, "width": 794,
                                                                            "height": 1123})
    visit.assert_clean()
    visit.close()
    phone = Visit(browser, path, PHONE)
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.page.screenshot(path=str(artifact("report-summary-phone.png")))
    phone.assert_clean()
    phone.close()


def test_portfolio_shows_the_score_over_time(browser, reports):
    visit = Visit(browser, reports / "portfolio.html", DESKTOP)
    row = visit.page.locator("table.vendors tbody tr", has_text="Lumen Reads (fixture)")
    _visible(row, "td.trend svg polyline")
    label = row.locator("td.trend svg").get_attribute("aria-label")
    assert label.startswith("Score at each audit: 2026-01-02 09:00 UTC 80;")
    assert visit.page.locator("td.trend svg").count() == 1, "only vendors with stored audits have a trend"
    visit.page.locator("table.vendors").screenshot(path=str(artifact("report-portfolio-trend.png")))
    visit.assert_clean()
    visit.close()


def test_history_page_links_each_version_to_its_diff(browser, reports):
    path = reports / "history.html"
    visit = Visit(browser, path, DESKTOP)
    page = visit.page
    assert page.locator("h1").inner_text() == "BrightShelf (sample)"
    link = page.locator("table.versions a[href^='#diff-']")
    assert link.count() == 1
    target = link.get_attribute("href")
    link.click()
    page.wait_for_function(f"location.hash === '{target}'")
    diff = page.locator(target)
    assert diff.is_visible() and diff.locator("del").first.inner_text() == "never"
    assert "<script>alert(1)</script>" in diff.locator("ins").last.inner_text()
    assert page.locator("script").count() == 0
    _visible(page, "#trend svg polyline")
    visit.screenshot("report-history-desktop.png")
    visit.assert_clean()
    assert set(visit.requests) == {path.as_uri()}
    visit.close()
    phone = Visit(browser, path, PHONE)
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot("report-history-phone.png")
    phone.assert_clean()
    phone.close()
