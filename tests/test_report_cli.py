"""The report commands as users run them: `review`, `report --all`, `score --format html`, and the batch writer."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assessor.errors import AssessorError
from assessor.loading import load_vendors
from assessor.report import write_reports

from .conftest import ROOT
from .test_report import assert_inert_html, fixture_review

SAMPLE = "vendor_profiles/samples/brightshelf.html"
WHEN = dt.datetime(2026, 11, 2, 8, 15, tzinfo=dt.UTC)


def run(*args: str, archive: Path) -> subprocess.CompletedProcess[str]:
    """The CLI with an empty archive of its own (so nothing depends on what others fetched) and a fixed clock."""
    env = {**os.environ, "ASSESSOR_ARCHIVE": str(archive), "SOURCE_DATE_EPOCH": str(int(WHEN.timestamp()))}
    return subprocess.run([sys.executable, "-m", "assessor", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=env)


def test_review_writes_every_format(tmp_path):
    out = tmp_path / "out"
    result = run("review", "brightshelf", "--offline", "--out", str(out), archive=tmp_path / "archive")
    assert result.returncode == 0, result.stderr
    names = [Path(line).name for line in result.stdout.splitlines()[:5]]
    assert names == ["brightshelf.html", "brightshelf.md", "brightshelf.json", "brightshelf.csv", "brightshelf.xlsx"]
    html = (out / "brightshelf.html").read_text()
    assert "BrightShelf" in html and "2026-11-02 08:15 UTC" in html
    assert_inert_html(html)


def test_review_of_an_unknown_vendor_is_one_line(tmp_path):
    result = run("review", "no-such-vendor", "--offline", "--out", str(tmp_path), archive=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "no vendor profile 'no-such-vendor'" in result.stderr


def test_score_format_html_prints_the_report(tmp_path):
    result = run("score", SAMPLE, "--format", "html", archive=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>") and "Vendor privacy risk report" in result.stdout
    assert_inert_html(result.stdout)


def test_report_writes_the_vendors_it_can_and_names_the_others(tmp_path):
    out = tmp_path / "out"
    result = run("report", "brightshelf", "overdrive", "--offline", "--out", str(out),
                 archive=tmp_path / "empty-archive")
    assert result.returncode == 1
    assert "overdrive" in result.stderr and "1 of 2 vendor(s) failed" in result.stderr
    assert sorted(p.name for p in out.glob("*.html")) == ["brightshelf.html", "portfolio.html"]
    portfolio = (out / "portfolio.html").read_text()
    assert 'href="brightshelf.html"' in portfolio and "<strong>overdrive</strong>" in portfolio
    assert_inert_html(portfolio)


def test_report_all_means_every_vendor_profile(monkeypatch):
    from assessor import cli

    calls = []
    monkeypatch.setattr(cli, "_write_reports", lambda vendors, out, checklists, offline, *rest, **kw: calls.append(
        (vendors, out, checklists, offline)) or 0)
    assert cli.main(["report", "--all", "--offline", "--out", "x"]) == 0
    assert calls == [(sorted(load_vendors()), Path("x"), [], True)]


def test_report_needs_vendors_or_all(tmp_path):
    result = run("report", "--out", str(tmp_path), archive=tmp_path)
    assert result.returncode == 2 and "name vendors or give --all" in result.stderr


def test_a_failing_vendor_does_not_stop_the_others(tmp_path):
    def review(vendor_id: str):
        if vendor_id == "broken":
            raise AssessorError("https://broken.example/privacy: no archived copy\nsecond line")
        if vendor_id == "buggy":
            raise KeyError("oops")
        assessment, doc, checklists, vendor = fixture_review(vendor_id)
        from assessor.pipeline import Review

        return Review(vendor, vendor.documents[0], doc, assessment, tuple(checklists))

    seen: list[tuple[str, bool]] = []
    result = write_reports(["broken", "lumen-reads", "buggy", "quill-catalog"], review, tmp_path,
                           generated_at=WHEN, progress=lambda v, r, where: seen.append((v, r is not None)))
    assert seen == [("broken", False), ("lumen-reads", True), ("buggy", False), ("quill-catalog", True)]
    assert result.failures == {"broken": "https://broken.example/privacy: no archived copy",
                               "buggy": "KeyError: 'oops'"}
    assert sorted(result.written) == ["lumen-reads", "quill-catalog"]
    assert result.portfolio[0] == tmp_path / "portfolio.html" and (tmp_path / "lumen-reads.xlsx").exists()
    assert "no archived copy" in result.portfolio[0].read_text()


def test_portfolio_name_is_reserved(tmp_path):
    from assessor.report import write_vendor_report

    from .test_report import fixture_report

    report = fixture_report("lumen-reads").model_copy(update={"vendor": "portfolio"})
    with pytest.raises(AssessorError, match="reserved"):
        write_vendor_report(report, tmp_path)
