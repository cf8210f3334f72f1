"""`assessor review VENDOR --file PATH`: a saved copy (PDF, DOCX, HTML, text) is archived as evidence with its date
and origin, and reviewed at once."""

from __future__ import annotations

import io
import json

import docx

from assessor.archive import Archive

from .conftest import ROOT, run_cli

POLICY = ["Northwind Reader Privacy Policy", "Last updated: 2 March 2026",
          "We never sell, rent or trade patron data to anyone.",
          "We collect the library card number and an email address so that patrons can borrow titles.",
          "Patrons may ask us to delete their account and reading history at any time."]


def _docx(path):
    document = docx.Document()
    document.add_heading(POLICY[0], 1)
    for line in POLICY[1:]:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())


def test_a_saved_docx_is_archived_with_its_date_and_origin_and_reviewed(tmp_path):
    saved = tmp_path / "hoopla-policy.docx"
    _docx(saved)
    archive, out = tmp_path / "archive", tmp_path / "out"
    result = run_cli("review", "hoopla", "--file", str(saved), "--date", "2026-03-02", "--origin",
                     "mailed by the vendor", "--archive", str(archive), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "hoopla privacy-policy: saved copy of 2026-03-02 (mailed by the vendor) stored as a new version" \
        in result.stdout
    report = json.loads((out / "hoopla.json").read_text())
    assert "2026-03-02" in json.dumps(report) and "never sell" in json.dumps(report)
    with Archive(archive) as store:
        [(kind, source)] = store.documents("hoopla")
        snapshot = store.latest_snapshot("hoopla", kind, source)
        assert snapshot.origin == "mailed by the vendor" and snapshot.fetched_at.date().isoformat() == "2026-03-02"
    # the same text read from the file directly gets the same findings: the review is of the saved copy
    direct = run_cli("score", str(saved), "--checklist", "ala-vendors", "--format", "json")
    again = run_cli("review", "hoopla", "--file", str(saved), "--checklist", "ala-vendors", "--archive",
                    str(archive), "--out", str(tmp_path / "again"))
    assert again.returncode == 0 and "stored as a copy of" in again.stdout
    statuses = lambda a: [(f["criterion"], f["status"]) for f in a["findings"]]  # noqa: E731
    reviewed = json.loads((tmp_path / "again" / "hoopla.json").read_text())
    assert statuses(json.loads(direct.stdout)) == statuses(reviewed.get("assessment", reviewed))


def test_an_unreadable_saved_copy_stores_and_writes_nothing(tmp_path):
    bad = tmp_path / "policy.exe"
    bad.write_bytes(b"\x00\x01\x02")
    archive, out = tmp_path / "archive", tmp_path / "out"
    result = run_cli("review", "hoopla", "--file", str(bad), "--archive", str(archive), "--out", str(out))
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "policy.exe" in result.stderr
    assert not out.exists()
    missing = run_cli("review", "hoopla", "--file", str(tmp_path / "nothing.pdf"), "--archive", str(archive))
    assert missing.returncode == 1 and "nothing.pdf" in missing.stderr


def test_date_and_origin_need_a_file():
    result = run_cli("review", "brightshelf", "--origin", "x", cwd=ROOT)
    assert result.returncode == 2 and "--file" in result.stderr


def test_an_offline_review_reads_the_archive_given(tmp_path):
    """`--archive DIR` is where `review --offline` reads the vendor's copy, not the project's archive."""
    saved = tmp_path / "policy.txt"
    saved.write_text("\n\n".join(POLICY), encoding="utf-8")
    archive = tmp_path / "archive"
    attached = run_cli("review", "hoopla", "--file", str(saved), "--date", "2026-03-02", "--archive", str(archive),
                       "--out", str(tmp_path / "first"))
    assert attached.returncode == 0, attached.stderr
    again = run_cli("review", "hoopla", "--offline", "--archive", str(archive), "--out", str(tmp_path / "again"))
    assert again.returncode == 0, again.stderr
    report = json.loads((tmp_path / "again" / "hoopla.json").read_text(encoding="utf-8"))
    assert "never sell" in json.dumps(report) and "2026-03-02" in json.dumps(report["documents"])


def test_an_offline_read_with_no_archive_makes_none(tmp_path):
    """A mistake costs nothing: reading offline from an archive that does not exist says so and creates nothing."""
    missing = tmp_path / "no-archive"
    for args in (("review", "hoopla", "--offline", "--out", str(tmp_path / "out")),
                 ("score", "https://policies.quillmoss.example/privacy", "--offline")):
        result = run_cli(*args, "--archive", str(missing))
        assert result.returncode == 1 and "no archived copy in" in result.stderr, result.stderr
        assert not missing.exists() and not (tmp_path / "out").exists()
