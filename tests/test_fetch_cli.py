"""`assessor fetch`, `history` and `score URL`, run as subprocesses against a server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from werkzeug import Response

from assessor.archive import DB_NAME, Archive
from assessor.models import Assessment

from .conftest import ROOT

POLICY = b"""<html><head><title>Tallowick privacy</title></head><body><main><h1>Tallowick privacy</h1>
<p>We collect your library card number to check that you may borrow.</p>
<p>We do not sell or rent personal information about patrons to anyone.</p>
<p>We delete borrowing history thirty days after a loan ends.</p></main></body></html>"""


def run(*args: str, archive, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **(env or {}), "ASSESSOR_ARCHIVE": str(archive)}
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
    assert unknown.returncode == 1 and "no vendor profile 'no-such-vendor'" in unknown.stderr
    neither = run("fetch", archive=tmp_path)
    assert neither.returncode == 2 and "--all" in neither.stderr
    nothing = run("history", "brightshelf", archive=tmp_path)
    assert nothing.returncode == 1 and "assessor fetch brightshelf" in nothing.stderr


def _profiles(directory, urls: dict[str, str]) -> None:
    directory.mkdir()
    for vendor, url in urls.items():
        (directory / f"{vendor}.yaml").write_text(
            f"id: {vendor}\nname: {vendor.title()}\ncategory: database\n"
            f"documents:\n  - kind: privacy-policy\n    url: {url}\n")


def test_fetch_all_reports_each_document_and_fails_when_one_failed(http, tmp_path):
    http.expect_request("/ok").respond_with_data(POLICY, content_type="text/html", headers={"ETag": '"1"'})
    http.expect_request("/missing").respond_with_data("", status=404)
    profiles = tmp_path / "profiles"
    _profiles(profiles, {"alderwood": http.url_for("/ok"), "birchfield": http.url_for("/missing")})
    env = {"ASSESSOR_VENDOR_DIR": str(profiles)}
    first = run("fetch", "--all", archive=tmp_path / "a", env=env)
    assert first.returncode == 1, first.stderr
    lines = first.stdout.splitlines()
    assert lines[0].split()[:3] == ["alderwood", "privacy-policy", "new-version"]
    assert lines[1].split()[:4] == ["birchfield", "privacy-policy", "failed", "not-found"]
    assert "(permanent)" in lines[1] and "1 failed" in first.stderr
    http.clear()
    http.expect_request("/ok").respond_with_data("", status=304)
    second = run("fetch", "alderwood", archive=tmp_path / "a", env=env)
    assert second.returncode == 0 and second.stdout.split()[2] == "not-modified"
    assert http.log[0][0].headers.get("If-None-Match") == '"1"'
    http.clear()
    offline = run("fetch", "--all", "--offline", archive=tmp_path / "a", env=env)
    assert http.log == [] and offline.returncode == 1
    assert [line.split()[2] for line in offline.stdout.splitlines()] == ["archived", "failed"]


def test_ctrl_c_during_a_batch_leaves_the_archive_consistent(http, tmp_path):
    def slow(request):
        time.sleep(0.5)
        return Response(POLICY, content_type="text/html")

    for i in range(8):
        http.expect_request(f"/slow{i}").respond_with_handler(slow)
    profiles = tmp_path / "profiles"
    _profiles(profiles, {f"vendor{i}": http.url_for(f"/slow{i}") for i in range(8)})
    env = {**os.environ, "ASSESSOR_VENDOR_DIR": str(profiles), "ASSESSOR_ARCHIVE": str(tmp_path / "a")}
    proc = subprocess.Popen([sys.executable, "-m", "assessor", "fetch", "--all", "--workers", "2"], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # interrupt once a first snapshot is in the index (read-only, beside the writer), however slow the machine
    deadline = time.monotonic() + 60
    while _snapshot_rows(tmp_path / "a") < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err
    with Archive(tmp_path / "a") as archive:
        assert archive.verify() == ([], [])
        snapshots = archive.snapshots()
        assert 1 <= len(snapshots) < 8 and len(archive.checks()) == len(snapshots)


def _snapshot_rows(archive: Path) -> int:
    """Snapshots indexed so far in an archive another process is writing (0 before its index exists)."""
    if not (archive / DB_NAME).exists():
        return 0
    try:
        with closing(sqlite3.connect(f"{(archive / DB_NAME).as_uri()}?mode=ro", uri=True, timeout=1)) as db:
            return db.execute("SELECT count(*) FROM snapshots").fetchone()[0]
    except sqlite3.Error:  # the schema not yet created, or the writer holding a lock
        return 0


def test_timeout_is_each_documents_budget_from_the_command_line(tmp_path):
    from .test_fetch import Dripper

    dripping = Dripper("body")
    try:
        profiles = tmp_path / "profiles"
        _profiles(profiles, {"dripwell": dripping.url})
        env = {"ASSESSOR_VENDOR_DIR": str(profiles)}
        started = time.monotonic()
        done = run("fetch", "dripwell", "--timeout", "0.5", archive=tmp_path / "a", env=env)
        elapsed = time.monotonic() - started
    finally:
        dripping.close()
    assert done.returncode == 1
    assert done.stdout.split()[:4] == ["dripwell", "privacy-policy", "failed", "timeout"]
    assert "not read within 0.5 s" in done.stdout and elapsed < 30  # the server would drip for ever
    for bad in ("0", "-1", "soon"):
        refused = run("fetch", "dripwell", "--timeout", bad, archive=tmp_path / "a", env=env)
        assert refused.returncode == 2 and "argument --timeout" in refused.stderr


def _long_policy(paragraphs: int) -> bytes:
    """A policy page with many different paragraphs under headings, in lists and a table, around site navigation."""
    body = ["<html><head><title>Tallowick privacy</title></head><body><nav><a href='/'>Home</a> <a href='/help'>"
            "Help</a></nav><main><h1>Tallowick privacy</h1>"]
    for n in range(paragraphs):
        if n % 10 == 0:
            body.append(f"<h2>Part {n // 10 + 1}</h2><ul><li>card number</li><li>loans of part {n}</li></ul>"
                        f"<table><tr><td>loans</td><td>kept {n % 36 + 1} months</td></tr></table>")
        body.append(f"<p>For service {n} we collect the card number a patron signs in with, keep loan records for "
                    f"{n % 90 + 1} days and do not sell them to anyone unless the law requires it.</p>")
    body.append("</main><footer>Contact us</footer></body></html>")
    return "".join(body).encode()


def test_score_reads_a_large_page_or_file_within_the_cap_and_refuses_one_over_it(http, tmp_path):
    page = _long_policy(600)  # about 140 KB: under the default cap, over a cap of 0.1 MB
    http.expect_request("/long").respond_with_data(page, content_type="text/html")
    saved = tmp_path / "long.html"
    saved.write_bytes(page)
    for source in (http.url_for("/long"), str(saved)):
        scored = run("score", source, "--format", "json", archive=tmp_path / "a")
        assert scored.returncode == 0, scored.stderr
        assessment = Assessment.model_validate_json(scored.stdout)
        assert assessment.document.provenance.sha256 == hashlib.sha256(page).hexdigest()
        assert any(f.evidence for f in assessment.findings)
        refused = run("score", source, "--max-mb", "0.1", archive=tmp_path / "b")
        assert refused.returncode == 1 and "Traceback" not in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1 and "too large" in refused.stderr
        assert "104,857" in refused.stderr  # the cap said in bytes
    assert Archive(tmp_path / "b").snapshots("ad-hoc") == []


def test_score_url_keeps_to_its_timeout(tmp_path):
    from .test_fetch import Dripper

    dripping = Dripper("body")
    try:
        started = time.monotonic()
        done = run("score", dripping.url, "--timeout", "0.5", archive=tmp_path)
        elapsed = time.monotonic() - started
    finally:
        dripping.close()
    assert done.returncode == 1 and "not read within 0.5 s" in done.stderr and elapsed < 30


def test_fetch_refuses_a_worker_count_below_one(cli):
    """`--workers 0` (or less) is a usage error, not silently one worker; nothing is fetched."""
    for count in ("0", "-3", "two"):
        result = cli("fetch", "--all", "--workers", count)
        assert result.returncode == 2, (count, result.stderr)
        assert "--workers" in result.stderr and "Traceback" not in result.stderr, count
    assert "must be at least 1" in cli("fetch", "--all", "--workers", "0").stderr
