"""`assessor fetch`, `history` and `score URL`, run as subprocesses against a server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from pytest_httpserver import HTTPServer

from assessor.models import Assessment

from .conftest import ROOT

POLICY = b"""<html><head><title>Tallowick privacy</title></head><body><main><h1>Tallowick privacy</h1>
<p>We collect your library card number to check that you may borrow.</p>
<p>We do not sell or rent personal information about patrons to anyone.</p>
<p>We delete borrowing history thirty days after a loan ends.</p></main></body></html>"""


@pytest.fixture
def http():
    srv = HTTPServer(host="127.0.0.1", port=0)
    srv.start()
    yield srv
    srv.clear()
    srv.stop()


def run(*args: str, archive) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ASSESSOR_ARCHIVE": str(archive)}
    return subprocess.run([sys.executable, "-m", "assessor", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=env)


def test_score_url_fetches_archives_then_reads_offline(http, tmp_path):
    http.expect_request("/privacy").respond_with_data(POLICY, content_type="text/html")
    url = http.url_for("/privacy")
    online = run("score", url, "--format", "json", archive=tmp_path)
    assert online.returncode == 0, online.stderr
    first = Assessment.model_validate_json(online.stdout)
    assert first.document.provenance.offline is False and first.document.provenance.final_url == url
    http.clear()  # the server forgets the page: offline must not need it
    offline = run("score", url, "--format", "json", "--offline", archive=tmp_path)
    assert offline.returncode == 0, offline.stderr
    again = Assessment.model_validate_json(offline.stdout)
    assert http.log == [] and again.document.provenance.offline is True
    assert again.findings == first.findings
    history = run("history", "ad-hoc", archive=tmp_path)
    assert history.returncode == 0 and url in history.stdout and "1 snapshot(s)" in history.stdout


def test_score_url_errors_are_one_line(http, tmp_path):
    http.expect_request("/gone").respond_with_data("", status=410)
    result = run("score", http.url_for("/gone"), archive=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0 and "gone (410)" in result.stderr
    offline = run("score", http.url_for("/never"), "--offline", archive=tmp_path)
    assert offline.returncode == 1 and "no archived copy" in offline.stderr


def test_fetch_and_history_of_a_sample_vendor(tmp_path):
    archive = tmp_path / "elsewhere"
    first = run("fetch", "brightshelf", "--archive", str(archive), archive=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.split()[:3] == ["brightshelf", "privacy-policy", "new-version"]
    second = run("fetch", "brightshelf", "--offline", "--archive", str(archive), archive=tmp_path)
    assert second.stdout.split()[:3] == ["brightshelf", "privacy-policy", "unchanged"]
    history = run("history", "brightshelf", "--format", "json", "--archive", str(archive), archive=tmp_path)
    (document,) = json.loads(history.stdout)
    assert document["source"] == "path:samples/brightshelf.html" and len(document["versions"]) == 1
    assert document["versions"][0]["snapshots"] == 2 and document["last_check"]["outcome"] == "unchanged"
    assert (archive / "archive.sqlite3").exists() and not (tmp_path / "archive.sqlite3").exists()


def test_fetch_refuses_unknown_vendors_and_needs_a_choice(tmp_path):
    unknown = run("fetch", "no-such-vendor", archive=tmp_path)
    assert unknown.returncode == 1 and "unknown vendor(s): no-such-vendor" in unknown.stderr
    neither = run("fetch", archive=tmp_path)
    assert neither.returncode == 2 and "--all" in neither.stderr
    nothing = run("history", "brightshelf", archive=tmp_path)
    assert nothing.returncode == 1 and "assessor fetch brightshelf" in nothing.stderr
