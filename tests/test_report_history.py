"""A vendor over time: the score history from stored audits (an inline SVG sparkline in the vendor report and the
portfolio) and `assessor history VENDOR --format html` (each version with a link to its diff)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

from assessor.archive import Archive
from assessor.models import RiskTier
from assessor.parse import parse_bytes
from assessor.report import build_portfolio, render_html, render_json, render_markdown
from assessor.report import model as report_model
from assessor.report.history import history_report, score_history
from assessor.report.render import spark

from .conftest import ROOT
from .test_report import GENERATED_AT, assert_inert_html, fixture_report, fixture_review

OLD = (b"<h1>Privacy</h1><h2>Sharing</h2><p>We never sell your reading history.</p>"
       b"<h2>Retention</h2><p>Loans are kept 30 days.</p>")
NEW = (b"<h1>Privacy</h1><h2>Sharing</h2><p>We may sell your reading history to partners.</p>"
       b"<h2>Retention</h2><p>Loans are kept 30 days.</p><p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")
URL = "https://brightshelf.example/privacy"
VENDOR = "brightshelf"


def _day(d: int) -> dt.datetime:
    return dt.datetime(2026, 1, d, 9, 0, tzinfo=dt.UTC)


def seeded(archive: Archive) -> Archive:
    """Two versions of a policy of BrightShelf (a shipped sample vendor) and an audit on each (80, then 46.2)."""
    assessment, *_ = fixture_review("lumen-reads")
    assessment = assessment.model_copy(update={"vendor": VENDOR})
    for day, body, score, tier in ((1, OLD, 80.0, RiskTier.LOW), (20, NEW, 46.2, RiskTier.CRITICAL)):
        doc = parse_bytes(body, uri=URL, content_type="text/html")
        rec = archive.record(vendor=VENDOR, kind="privacy-policy", source=URL, body=body,
                             content_type="text/html", fetched_at=_day(day), document=doc)
        archive.save_assessment(assessment.model_copy(update={"score": score, "tier": tier}), kind="privacy-policy",
                                created_at=_day(day + 1), snapshot_id=rec.snapshot.id, version_id=rec.version_id,
                                source=URL)
    return archive


def test_score_history_comes_from_the_stored_audits(archive):
    points = score_history(seeded(archive), VENDOR)
    assert [(p.at.day, p.score) for p in points] == [(2, 80.0), (21, 46.2)]
    assert score_history(archive, "nobody") == []


def test_the_sparkline_is_inline_svg_from_the_scores():
    points = [report_model.HistoryPoint(at=_day(d), score=s, tier=RiskTier.LOW) for d, s in ((1, 100), (2, 50), (3, 0))]
    assert spark(points) == "0,0 50,12 100,24"
    assert spark(points[:1]) == ""


def test_vendor_report_and_portfolio_show_the_score_over_time(archive):
    assessment, doc, checklists, vendor = fixture_review("lumen-reads")
    history = score_history(seeded(archive), VENDOR)
    r = report_model.build_vendor_report(assessment, doc, checklists, generated_at=GENERATED_AT, vendor=vendor,
                                         history=history)
    assert [p.score for p in r.history] == [80.0, 46.2, 46.2] and r.history[-1].at == GENERATED_AT
    html = render_html(r)
    assert_inert_html(html)
    assert 'id="trend"' in html and '<polyline points="0,4.8 50,12.912 100,12.912"/>' in html
    assert "80 (2026-01-02) → 46.2 (2026-11-02), 3 points" in html
    assert report_model.VendorReport.model_validate_json(render_json(r)) == r
    assert "Score at each audit: 80 (2026-01-02 09:00 UTC), 46.2 (2026-01-21 09:00 UTC), 46.2 (2026-11-02 08:15 UTC)." \
        in render_markdown(r)
    portfolio = render_html(build_portfolio([r, fixture_report("quill-catalog")], generated_at=GENERATED_AT))
    assert portfolio.count("<polyline") == 1 and "Over time" in portfolio
    assert 'id="trend"' not in render_html(fixture_report("lumen-reads")), "no history, no sparkline"


def test_history_page_lists_versions_with_links_to_their_diffs(archive):
    report = history_report(seeded(archive), VENDOR, generated_at=GENERATED_AT)
    newest, oldest = report.documents[0].versions
    assert (newest.previous, oldest.previous, newest.score, oldest.score) == (oldest.id, None, 46.2, 80.0)
    assert newest.diff is not None and newest.diff.changed and oldest.diff is None
    html = render_html(report)
    assert_inert_html(html)
    assert f'<a href="#diff-{newest.id}">' in html and f'id="diff-{newest.id}"' in html
    assert "<del>never</del> <ins>may</ins>" in html and "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in html
    assert "<polyline" in html


def test_history_page_numbers_versions_per_document(archive):
    """A version of another document stored first takes id 1 (ids are archive-wide); the page still calls the
    policy's versions v1 and v2 (ids 2 and 3 only in its links)."""
    body = b"<p>Terms of use: be kind.</p>"
    archive.record(vendor=VENDOR, kind="terms", source="https://brightshelf.example/terms", body=body,
                   content_type="text/html", fetched_at=_day(10),
                   document=parse_bytes(body, uri="https://brightshelf.example/terms", content_type="text/html"))
    report = history_report(seeded(archive), VENDOR, generated_at=GENERATED_AT, kind="privacy-policy")
    newest, oldest = report.documents[0].versions
    assert (oldest.number, newest.number) == (1, 2) and (oldest.id, newest.id) == (2, 3)
    html = render_html(report)
    assert "<h3>v1 → v2 " in html and "changed since v1<" in html and ">v3<" not in html


def test_cli_history_format_html(archive, tmp_path):
    seeded(archive)
    root = archive.root
    archive.close()
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(GENERATED_AT.timestamp()))}
    result = subprocess.run([sys.executable, "-m", "assessor", "history", VENDOR, "--format", "html",
                             "--archive", str(root)], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>") and 'href="#diff-' in result.stdout
    assert_inert_html(result.stdout)
