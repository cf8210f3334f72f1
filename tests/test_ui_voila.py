"""The vendor review notebook served by Voilà, driven in headless system Chromium: pick a vendor in the dropdown and
that vendor's findings appear."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assessor.loading import load_vendors
from assessor.pipeline import review_vendor
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


@pytest.fixture(scope="module")
def voila(reviews_dir):
    """Voilà serving notebooks/vendor_review.ipynb on a free loopback port; yields its URL."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium")
    port = _free_port()
    env = {**os.environ, "ASSESSOR_REVIEWS_DIR": str(reviews_dir)}
    proc = subprocess.Popen([sys.executable, "-m", "voila", "notebooks/vendor_review.ipynb", "--no-browser",
                             f"--port={port}", "--Voila.ip=127.0.0.1", "--Voila.open_browser=False"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"voila exited: {proc.stderr.read()[-2000:]}")
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("voila did not start within 60 s")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def page(voila):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        page = browser.new_page()
        page.goto(voila, timeout=120_000)
        yield page
        browser.close()


def _findings_table(page) -> list[tuple[str, str]]:
    table = page.locator("table").filter(has=page.locator("th", has_text="evidence")).first
    rows = table.locator("tbody tr")
    return [(rows.nth(i).locator("td").nth(0).inner_text(), rows.nth(i).locator("td").nth(3).inner_text())
            for i in range(rows.count())]


def _expected(vendor_id: str) -> tuple[str, list[tuple[str, str]]]:
    a = review_vendor(vendor_id).assessment
    return a.vendor_name, [(f.criterion, f.status.value) for f in a.findings]


def test_picking_a_vendor_shows_its_findings(page, reviews_dir, monkeypatch):
    monkeypatch.setenv("ASSESSOR_REVIEWS_DIR", str(reviews_dir))
    vendors = load_vendors()
    dropdown = page.locator(".widget-dropdown").filter(has=page.get_by_text("Vendor", exact=True)).locator("select")
    dropdown.wait_for(timeout=120_000)
    name, rows = _expected(DEFAULT_VENDOR)
    page.locator("h3", has_text=name).wait_for(timeout=60_000)
    assert _findings_table(page) == rows

    target = next(v for v in sample_vendor_ids() if v != DEFAULT_VENDOR and _expected(v)[1] != rows)
    name, rows = _expected(target)
    dropdown.select_option(label=vendors[target].name)
    page.locator("h3", has_text=name).wait_for(timeout=60_000)
    deadline = time.monotonic() + 30
    while _findings_table(page) != rows and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _findings_table(page) == rows
    assert page.get_by_text(review_vendor(target).assessment.summary).count() == 1
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    page.screenshot(path=ROOT / "test-artifacts" / "voila-vendor-review.png", full_page=True)
