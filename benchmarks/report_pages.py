"""How long the vendor reports print: A4 pages of each sample vendor's HTML report printed by headless Chromium.

    .venv/bin/python benchmarks/report_pages.py [--out DIR] [VENDOR ...]

Writes each vendor's report (offline, the shipped checklists) into `--out` (default: a temporary folder), prints it
to PDF with the system Chromium (/usr/bin/chromium, or `$ASSESSOR_CHROMIUM`) and counts the pages. The issue's
target: a typical vendor under 12 pages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright
from pypdf import PdfReader

from assessor.loading import load_vendors
from assessor.pipeline import review_vendor
from assessor.report import write_review

TARGET = 12


def pdf_pages(browser: Browser, html: Path, pdf: Path) -> int:
    """Print `html` to `pdf` (A4, the report's own print CSS) and return its number of pages."""
    page = browser.new_page()
    page.goto(html.as_uri())
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="A4")
    page.close()
    return len(PdfReader(pdf).pages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vendors", nargs="*", help="vendor ids (default: the sample vendors)")
    parser.add_argument("--out", type=Path, help="folder for the reports and PDFs (default: a temporary one)")
    args = parser.parse_args()
    vendors = args.vendors or sorted(v.id for v in load_vendors().values() if v.synthetic)
    out = args.out or Path(tempfile.mkdtemp(prefix="report-pages-"))
    out.mkdir(parents=True, exist_ok=True)
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    over = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("ASSESSOR_CHROMIUM", "/usr/bin/chromium"),
                                    headless=True, args=["--no-sandbox", "--disable-gpu"])
        print(f"{'vendor':<20} {'findings':>8} {'pages':>5}")
        for vendor_id in vendors:
            review = review_vendor(vendor_id, offline=True)
            html = write_review(review, out, when)[0]
            pages = pdf_pages(browser, html, out / f"{vendor_id}.pdf")
            print(f"{vendor_id:<20} {len(review.assessment.findings):>8} {pages:>5}")
            if pages >= TARGET:
                over.append(vendor_id)
        browser.close()
    print(f"PDFs in {out}")
    if over:
        print(f"{len(over)} report(s) print to {TARGET} pages or more: {', '.join(over)}", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
