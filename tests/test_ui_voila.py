"""The staff apps as Voilà serves them (`python -m assessor.ui.voila`), driven in headless system Chromium: what a
librarian sees (names, the findings of the vendor picked, the filtered portfolio), what they do not (the cell CI
compares), no request leaving the machine, nothing written by opening a page, usable on a 390 px phone screen.
Screenshots go to the artifacts folder (tests/artifacts.py)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from assessor.loading import load_checklists, load_vendors
from assessor.pipeline import review_vendor
from assessor.scales import category_label
from assessor.ui.portfolio import portfolio_rows, sample_vendor_ids
from assessor.ui.render import report_view, status_shown
from assessor.ui.voila import voila_args

from .artifacts import artifact, failure_name
from .conftest import ROOT

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
DEFAULT_VENDOR = "brightshelf"
HIDDEN = ("this is the cell CI compares", "criterion   checklist", "vendor            category")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(notebook: str, reviews_dir: Path, launcher: str = "assessor.ui.voila") -> Iterator[str]:
    """Voilà serving one notebook on a free loopback port, started in the project folder with the project's launcher
    (or `launcher="voila"`: plain Voilà, as a librarian might type it); yields its URL."""
    port = _free_port()
    env = {**os.environ, "ASSESSOR_REVIEWS_DIR": str(reviews_dir)}
    plain = ["--no-browser"] if launcher == "voila" else []
    proc = subprocess.Popen([sys.executable, "-m", launcher, f"notebooks/{notebook}", f"--port={port}", *plain],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"voila exited: {proc.stderr.read()[-2000:] if proc.stderr else proc.returncode}")
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
def reviews_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("reviews")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def urls(reviews_dir):
    """One Voilà per notebook for the whole module (each page opened gets its own kernel)."""
    with serve("vendor_review.ipynb", reviews_dir) as review, serve("portfolio.ipynb", reviews_dir) as portfolio:
        yield {"vendor_review": review, "portfolio": portfolio}


@contextmanager
def _page(browser, url: str, width: int = 1400, height: int = 1000):
    """A fresh page on `url` that records the URL of every request and websocket (`page.requests`); if the test fails
    while it is open, a screenshot of it is kept (`FAILED-<test>.png`)."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("websocket", lambda socket: page.requests.append(socket.url))
    try:
        page.goto(url, timeout=120_000)
        yield page
    except BaseException:
        page.screenshot(path=artifact(failure_name()), full_page=True)
        raise
    finally:
        page.close()


def _hosts(page) -> set[str | None]:
    return {urlsplit(u).hostname for u in page.requests}


@pytest.fixture
def open_page(browser, urls):
    """Open a served notebook in a fresh page (see `_page`)."""
    return lambda notebook, **size: _page(browser, urls[notebook], **size)


def _shot(page, name: str) -> None:
    page.screenshot(path=artifact(f"voila-{name}.png"), full_page=True)


def _findings_table(page) -> list[tuple[str, str]]:
    table = page.locator("table").filter(has=page.locator("th", has_text="Passages")).first
    rows = table.locator("tbody tr")
    return [(rows.nth(i).locator("td").nth(0).inner_text(), rows.nth(i).locator("td").nth(3).inner_text())
            for i in range(rows.count())]


def _expected(vendor_id: str) -> tuple[str, list[tuple[str, str]]]:
    view = report_view(review_vendor(vendor_id).assessment)
    return view.vendor_name, [(f.criterion, status_shown(f)) for f in view.findings]


def _until(check, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not check() and time.monotonic() < deadline:
        time.sleep(0.2)


def _vendor_select(page):
    return page.locator(".widget-dropdown").filter(has=page.get_by_text("Vendor", exact=True)).locator("select")


def _open_review(open_page, **size):
    return open_page("vendor_review", **size)


def _files(folder: Path) -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()} if folder.exists() else {}


def test_picking_a_vendor_shows_its_findings_and_never_the_ci_cell(open_page, reviews_dir, monkeypatch):
    monkeypatch.setenv("ASSESSOR_REVIEWS_DIR", str(reviews_dir))
    vendors = load_vendors()
    name, rows = _expected(DEFAULT_VENDOR)
    target = next(v for v in sample_vendor_ids() if v != DEFAULT_VENDOR and _expected(v)[1] != rows)
    with _open_review(open_page) as page:
        _vendor_select(page).wait_for(timeout=120_000)
        page.locator("h3", has_text=name).wait_for(timeout=60_000)
        assert _findings_table(page) == rows
        options = page.locator(".widget-select-multiple select option").all_inner_texts()
        titles = [t.replace("\xa0", " ") for t in options]
        assert titles == [c.checklist.title for c in load_checklists().values()], "checklists by name, not id"

        name, rows = _expected(target)
        _vendor_select(page).select_option(label=vendors[target].name)
        page.locator("h3", has_text=name).wait_for(timeout=60_000)
        _until(lambda: _findings_table(page) == rows)
        assert _findings_table(page) == rows
        assert page.get_by_text(review_vendor(target).assessment.summary).count() == 1
        text = page.locator("body").inner_text()
        assert not [h for h in HIDDEN if h in text], "the cell CI compares is not shown"
        _shot(page, "vendor-review")


def test_the_pages_request_nothing_from_outside_and_write_nothing(open_page):
    out = ROOT / "build" / "notebooks"
    before = _files(out)
    with _open_review(open_page) as page:
        page.locator("h3", has_text=_expected(DEFAULT_VENDOR)[0]).wait_for(timeout=120_000)
        page.wait_for_load_state("networkidle")
        assert _hosts(page) == {"127.0.0.1"}
    with open_page("portfolio") as page:
        page.get_by_text("vendors shown").wait_for(timeout=120_000)
        page.wait_for_load_state("networkidle")
        assert _hosts(page) == {"127.0.0.1"}
    assert _files(out) == before, "opening a page writes no report file"


def test_plain_voila_in_the_project_folder_requests_nothing_from_outside(browser, reviews_dir):
    """`voila notebooks/vendor_review.ipynb` typed in the project folder reads the project's voila.json (the assessor
    template, where Jupyter looks for templates: `make` links it there, a wheel installs it): every request,
    websockets included, goes to 127.0.0.1."""
    with serve("vendor_review.ipynb", reviews_dir, launcher="voila") as url, _page(browser, url) as page:
        page.locator("h3", has_text=_expected(DEFAULT_VENDOR)[0]).wait_for(timeout=120_000)
        page.wait_for_load_state("networkidle")
        assert "cdn.jsdelivr.net" not in page.content(), "the project's template, not Voilà's lab template"
        _shot(page, "plain-voila-vendor-review")
        assert any(urlsplit(u).scheme == "ws" for u in page.requests), "the kernel's websocket was seen"
        assert [u for u in page.requests if urlsplit(u).hostname != "127.0.0.1"] == []


def test_the_launcher_and_the_projects_voila_json_agree():
    """One configuration: the launcher's defaults are what voila.json sets for plain `voila` in the project."""
    config = json.loads((ROOT / "voila.json").read_text(encoding="utf-8"))
    args = voila_args([])
    assert f"--template={config['VoilaConfiguration']['template']}" in args
    assert f"--Voila.ip={config['Voila']['ip']}" in args


def test_the_review_is_usable_on_a_390_px_screen(open_page):
    with _open_review(open_page, width=390, height=844) as page:
        page.locator("h3", has_text=_expected(DEFAULT_VENDOR)[0]).wait_for(timeout=120_000)
        width = page.evaluate("document.documentElement.clientWidth")  # 390 less the scroll bar
        for select in (_vendor_select(page), page.locator(".widget-select-multiple select").first):
            box = select.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (box, width)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scrolling of the page"
        _shot(page, "vendor-review-390px")


def test_the_portfolio_is_usable_on_a_390_px_screen(open_page):
    with open_page("portfolio", width=390, height=844) as page:
        page.get_by_text("vendors shown").wait_for(timeout=120_000)
        width = page.evaluate("document.documentElement.clientWidth")
        for select in page.locator(".widget-select-multiple select").all():
            box = select.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (box, width)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scrolling of the page"
        _shot(page, "portfolio-390px")


def test_the_override_tab_names_the_finding_it_overrides(open_page):
    finding = review_vendor(DEFAULT_VENDOR).assessment.findings[0]
    with _open_review(open_page) as page:
        page.locator("h3", has_text=_expected(DEFAULT_VENDOR)[0]).wait_for(timeout=120_000)
        page.get_by_role("tab", name="Override").click()
        page.locator("p", has_text="Your decision on").filter(has_text=f"{finding.criterion}: {finding.title}") \
            .wait_for(timeout=30_000)
        _shot(page, "vendor-review-override")


def test_the_portfolio_shows_names_and_only_the_filtered_rows(open_page):
    samples = sample_vendor_ids()
    assessments = [review_vendor(v).assessment for v in samples]
    category = next(a.category.value for a in assessments
                    if sum(b.category == a.category for b in assessments) < len(assessments))
    wanted = [r[0] for r in portfolio_rows([a for a in assessments if a.category.value == category], names=True)]
    with open_page("portfolio") as page:
        page.get_by_text(f"{len(samples)} of {len(samples)} vendors shown").wait_for(timeout=120_000)
        vendors = page.locator("table").filter(has=page.locator("th", has_text="Needs review")).first
        listed = lambda: vendors.locator("tbody tr td:first-child").all_inner_texts()  # noqa: E731
        assert listed() == [r[0] for r in portfolio_rows(assessments, names=True)]
        shown = vendors.locator("tbody tr td:nth-child(2)").all_inner_texts()
        assert shown == [r[1] for r in portfolio_rows(assessments, names=True)] and "eContent" in shown, "names"
        categories = page.locator(".widget-select-multiple").filter(has=page.get_by_text("Category", exact=True)) \
            .locator("select")
        categories.select_option(label=category_label(category))
        _until(lambda: listed() == wanted)
        assert listed() == wanted
        page.get_by_text(f"{len(wanted)} of {len(samples)} vendors shown").wait_for()
        _shot(page, "portfolio-filtered")
        empty = next(c for c in ("other", "ils", "discovery", "database", "econtent")
                     if not any(a.category.value == c for a in assessments))
        categories.select_option(label=category_label(empty))
        page.get_by_text(f"0 of {len(samples)} vendors shown").wait_for()
        page.get_by_text("No vendor matches these filters.").wait_for()
        text = page.locator("body").inner_text()
        assert not [a.vendor_name for a in assessments if a.vendor_name in text], "no unfiltered table below"
        assert not [h for h in HIDDEN if h in text]
