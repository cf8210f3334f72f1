"""The vendor review and portfolio notebooks served by Voilà, driven in headless system Chromium: pick a vendor in
the dropdown and that vendor's findings appear; pick a category and only its vendors are listed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from assessor.loading import load_vendors
from assessor.pipeline import review_vendor
from assessor.ui.portfolio import portfolio_rows
from assessor.ui.portfolio import sample_vendor_ids

from .conftest import ROOT

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
DEFAULT_VENDOR = "brightshelf"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def reviews_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("reviews")


@contextmanager
def serve(notebook: str, reviews_dir: Path) -> Iterator[str]:
    """Voilà serving one notebook on a free loopback port; yields its URL."""
    port = _free_port()
    env = {**os.environ, "ASSESSOR_REVIEWS_DIR": str(reviews_dir)}
    proc = subprocess.Popen([sys.executable, "-m", "voila", f"notebooks/{notebook}", "--no-browser",
                             f"--port={port}", "--Voila.ip=127.0.0.1"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"voila exited: {proc.communicate()[1][-2000:]}")
                if time.monotonic() > deadline:
                    pytest.fail("voila did not start within 60 s")
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_notebook(browser, reviews_dir):
    """Serve a notebook with Voilà and open it in a new page."""
    @contextmanager
    def opener(notebook: str):
        with serve(notebook, reviews_dir) as url:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url, timeout=120_000)
            yield page
            page.close()
    return opener


def _findings_table(page) -> list[tuple[str, str]]:
    table = page.locator("table").filter(has=page.locator("th", has_text="evidence")).first
    rows = table.locator("tbody tr")
    return [(rows.nth(i).locator("td").nth(0).inner_text(), rows.nth(i).locator("td").nth(3).inner_text())
            for i in range(rows.count())]


def _expected(vendor_id: str) -> tuple[str, list[tuple[str, str]]]:
    a = review_vendor(vendor_id).assessment
    return a.vendor_name, [(f.criterion, f.status.value) for f in a.findings]


def _until(check, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not check() and time.monotonic() < deadline:
        time.sleep(0.2)


def test_picking_a_vendor_shows_its_findings(open_notebook, reviews_dir, monkeypatch):
    monkeypatch.setenv("ASSESSOR_REVIEWS_DIR", str(reviews_dir))
    vendors = load_vendors()
    name, rows = _expected(DEFAULT_VENDOR)
    target = next(v for v in sample_vendor_ids() if v != DEFAULT_VENDOR and _expected(v)[1] != rows)
    with open_notebook("vendor_review.ipynb") as page:
        dropdown = page.locator(".widget-dropdown").filter(has=page.get_by_text("Vendor", exact=True)) \
            .locator("select")
        dropdown.wait_for(timeout=120_000)
        page.locator("h3", has_text=name).wait_for(timeout=60_000)
        assert _findings_table(page) == rows

        name, rows = _expected(target)
        dropdown.select_option(label=vendors[target].name)
        page.locator("h3", has_text=name).wait_for(timeout=60_000)
        _until(lambda: _findings_table(page) == rows)
        assert _findings_table(page) == rows
        assert page.get_by_text(review_vendor(target).assessment.summary).count() == 1
        (ROOT / "test-artifacts").mkdir(exist_ok=True)
        page.screenshot(path=ROOT / "test-artifacts" / "voila-vendor-review.png", full_page=True)


def test_portfolio_filters_by_category(open_notebook):
    samples = sample_vendor_ids()
    assessments = [review_vendor(v).assessment for v in samples]
    category = next(a.category.value for a in assessments
                    if sum(b.category == a.category for b in assessments) < len(assessments))
    wanted = [r[0] for r in portfolio_rows([a for a in assessments if a.category.value == category])]
    with open_notebook("portfolio.ipynb") as page:
        page.get_by_text(f"{len(samples)} of {len(samples)} vendors shown").wait_for(timeout=120_000)
        vendors = page.locator("table").filter(has=page.locator("th", has_text="needs_review")).first
        listed = lambda: vendors.locator("tbody tr td:first-child").all_inner_texts()  # noqa: E731
        assert listed() == [r[0] for r in portfolio_rows(assessments)]
        page.locator(".widget-select-multiple").filter(has=page.get_by_text("Category", exact=True)) \
            .locator("select").select_option(category)
        _until(lambda: listed() == wanted)
        assert listed() == wanted
        page.get_by_text(f"{len(wanted)} of {len(samples)} vendors shown").wait_for()
