"""The CLI, run as a subprocess the way users run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from assessor.models import Assessment

from .conftest import ROOT

SAMPLE = "vendor_profiles/samples/brightshelf.html"


def test_score_json_is_a_valid_assessment(cli):
    result = cli("score", SAMPLE, "--format", "json")
    assert result.returncode == 0, result.stderr
    assessment = Assessment.model_validate_json(result.stdout)
    assert assessment.findings and 0 <= assessment.score <= 100
    assert all(e.quote for f in assessment.findings for e in f.evidence)


def test_score_is_byte_identical_across_runs(cli):
    first = cli("score", SAMPLE, "--format", "json").stdout
    assert first and first == cli("score", SAMPLE, "--format", "json").stdout


def test_score_markdown_is_the_full_report(cli):
    result = cli("score", SAMPLE, "--format", "markdown")
    assert result.returncode == 0, result.stderr
    assessment = Assessment.model_validate_json(cli("score", SAMPLE, "--format", "json").stdout)
    assert result.stdout.startswith(f"# {assessment.vendor_name}: vendor privacy risk report\n")
    assert "\n## Questions to send the vendor\n" in result.stdout
    assert all(f"\n### {f.criterion}: " in result.stdout for f in assessment.findings)


def test_missing_file_is_one_line_without_traceback(cli):
    result = cli("score", "no/such/file.html")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
    assert "no such file" in result.stderr


def test_non_http_url_is_refused(cli):
    result = cli("score", "file:///etc/passwd")
    assert result.returncode == 1 and "only http(s)" in result.stderr


def test_unsupported_file_type(cli, tmp_path):
    path = tmp_path / "policy.exe"
    path.write_bytes(b"MZ\x00\x01")
    result = cli("score", str(path))
    assert result.returncode == 1 and "unsupported file type" in result.stderr


def test_validate_passes_on_the_shipped_files(cli):
    result = cli("validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok:")


def test_validate_lists_every_problem(cli, tmp_path):
    bad = tmp_path / "vendor_profiles"
    bad.mkdir()
    (bad / "one.yaml").write_text("id: one\nname: One\ncategory: nope\ndocuments: []\n")
    (bad / "two.yaml").write_text("id: two\nname: [\n")
    result = cli("validate", str(bad))
    assert result.returncode == 1
    assert f"{bad / 'one.yaml'}:3: category:" in result.stderr
    assert f"{bad / 'one.yaml'}:4: documents:" in result.stderr
    assert f"{bad / 'two.yaml'}:" in result.stderr
    assert "Traceback" not in result.stderr


def test_classify_json_records(cli):
    result = cli("classify", SAMPLE, "--format", "json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert records and set(records[0]) == {"start", "end", "section", "text", "topics"}
    text = (ROOT / SAMPLE).read_text()
    assert any(t["topic"] == "law-enforcement" for r in records for t in r["topics"])
    assert "court order" in text


def test_demo_writes_reports(cli, tmp_path):
    result = cli("demo", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "brightshelf.json").exists()


def test_local_provenance_does_not_name_the_machine(cli, tmp_path):
    inside = cli("score", str(ROOT / SAMPLE), "--format", "json", cwd=tmp_path)
    assert inside.returncode == 0, inside.stderr
    assert Assessment.model_validate_json(inside.stdout).document.provenance.uri == SAMPLE


def test_validate_checks_the_reviews_folder_by_default(tmp_path):
    import os
    import subprocess
    import sys

    (tmp_path / "brightshelf.yaml").write_text("vendor: brightshelf\noverrides:\n  - criterion: X\n    status: maybe\n")
    result = subprocess.run([sys.executable, "-m", "assessor", "validate"], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "ASSESSOR_REVIEWS_DIR": str(tmp_path)}, timeout=120)
    assert result.returncode == 1
    assert f"{tmp_path / 'brightshelf.yaml'}:3: overrides[0]" in result.stderr


def test_output_is_utf8_where_the_console_code_page_is_not(tmp_path):
    """Windows gives a redirected stdout its ANSI code page (simulated with PYTHONIOENCODING=cp1252): text outside
    it (here the file's name, which names the ad hoc vendor) is still written, as the UTF-8 the reports declare."""
    page = tmp_path / "łódź-reads.html"
    page.write_text("<html><body><h1>Privacy policy</h1><p>Loan records are kept for 30 days → then erased; we never "
                    "sell what patrons read.</p><p>Write to privacy@example.org with any question.</p></body></html>",
                    encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    for fmt in ("markdown", "html", "table"):
        done = subprocess.run([sys.executable, "-m", "assessor", "score", str(page), "--format", fmt], cwd=ROOT,
                              env=env, capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
        assert page.name in done.stdout.decode("utf-8"), fmt


def test_url_without_a_host_is_one_line(cli):
    for url in ("http://", "https:///policy", "http:// example.org/privacy"):
        result = cli("score", url)
        assert result.returncode == 1 and "Traceback" not in result.stderr, url
        assert result.stderr.strip().count("\n") == 0 and f"{url}: not a web address" in result.stderr, url
    assert "Traceback" not in cli("classify", "http://").stderr


def test_a_folder_is_not_a_document(cli, tmp_path):
    result = cli("score", str(tmp_path))
    assert result.returncode == 1 and f"{tmp_path}: a folder, not a file" in result.stderr


def test_reading_an_archive_that_is_not_there_says_so_and_creates_nothing(cli, tmp_path):
    """A mistyped --archive must not be verified as sound (nor made into an empty archive as a side effect)."""
    missing = tmp_path / "arhcive"
    for args in (("archive", "verify"), ("history", "brightshelf"), ("history", "brightshelf", "--format", "html")):
        result = cli(*args, "--archive", str(missing))
        assert result.returncode == 1 and f"no archive in {missing}" in result.stderr, args
        assert not missing.exists(), args


def test_history_kind_is_one_of_the_document_kinds(cli, tmp_path):
    result = cli("history", "brightshelf", "--kind", "polcy", "--archive", str(tmp_path))
    assert result.returncode == 2 and "invalid choice: 'polcy'" in result.stderr


def test_an_impossible_date_says_why(cli, tmp_path):
    """2026-02-30 is written as YYYY-MM-DD: the message must say what is wrong with it, not ask for the format."""
    override = cli("override", "brightshelf", "ALA-US-01", "--status", "met", "--note", "n", "--reviewer", "r",
                   "--date", "2026-02-30")  # refused before any file is read or written
    assert override.returncode == 1 and "--date '2026-02-30': day is out of range for month" in override.stderr
    saved = cli("fetch", "brightshelf", "--from-file", SAMPLE, "--date", "2026-02-30", "--origin", "o",
                "--archive", str(tmp_path))
    assert saved.returncode == 2 and "--date '2026-02-30': day is out of range for month" in saved.stderr
