"""The annual audit over three synthetic policy years: diffs, status changes, date flags and the gate."""

from __future__ import annotations

import datetime as dt

import pytest

from assessor.audit import FailOn, AssessedVersion, audit_vendor, compare_findings, gate_reasons
from assessor.loading import load_checklists
from assessor.models import DocumentSpec, RiskTier, Status, VendorProfile
from assessor.parse import parse_bytes, parse_file
from assessor.score import score_document
from assessor.settings import Settings

from .conftest import DATA

AUDIT = DATA / "audit"
VENDOR = VendorProfile(id="quillpoint", name="Quillpoint (sample)", category="econtent",
                       documents=[DocumentSpec(kind="privacy-policy", path="quillpoint.html")])


def snapshot(name: str, year: int) -> AssessedVersion:
    checklists = list(load_checklists(AUDIT / "checklists").values())
    doc = parse_file(AUDIT / f"quillpoint-{name}.html")
    return AssessedVersion(observed_at=dt.datetime(year, 6, 1, tzinfo=dt.UTC), document=doc,
                    assessment=score_document(doc, VENDOR, checklists))


@pytest.fixture(scope="module")
def years():
    return {name: snapshot(name, int(name[:4])) for name in ("2024", "2024-cosmetic", "2025", "2026")}


def statuses(s: AssessedVersion):
    return {f.criterion: f.status for f in s.assessment.findings}


def test_fixture_years_score_as_intended(years):
    assert statuses(years["2024"]) == {"FX-SALE": Status.MET, "FX-RETENTION": Status.MET,
                                       "FX-SECURITY": Status.MET}
    assert statuses(years["2025"])["FX-RETENTION"] == Status.NOT_MET
    assert statuses(years["2026"])["FX-SALE"] == Status.NOT_MET


def test_cosmetic_edits_raise_nothing(years):
    a = audit_vendor(years["2024"], years["2024-cosmetic"])
    assert not a.text_changed and a.changes == [] and a.date_flags == []
    assert a.diff is not None and a.diff.cosmetic_only
    for rule in FailOn:
        assert gate_reasons([a], [rule]) == []


def test_weakened_retention(years):
    a = audit_vendor(years["2024"], years["2025"])
    assert [s.heading for s in a.diff.sections] == ["Retention"]
    [change] = a.changes
    assert (change.criterion, change.before, change.after, change.direction) == (
        "FX-RETENTION", Status.MET, Status.NOT_MET, "worse")
    assert "30 days" in change.evidence_before[0].quote
    assert "as long as necessary" in change.evidence_after[0].quote
    assert a.tier_after in (RiskTier.HIGH, RiskTier.CRITICAL) and a.tier_increased
    assert gate_reasons([a], [FailOn.NEW_NOT_MET]) == ["quillpoint: newly not met: FX-RETENTION"]


def test_sale_clause_added_caps_the_tier(years):
    a = audit_vendor(years["2025"], years["2026"])
    assert [c.criterion for c in a.changes] == ["FX-SALE"]
    assert a.tier_after == RiskTier.CRITICAL
    assert gate_reasons([a], [FailOn.TIER_INCREASE]) == [
        f"quillpoint: risk tier rose from {a.tier_before.value} to critical"]


def test_text_changed_without_date_change_is_flagged(years):
    html = (AUDIT / "quillpoint-2025.html").read_text().replace("February 2, 2025", "January 10, 2024")
    doc = parse_bytes(html.encode(), uri="quillpoint-2025-undated.html", content_type="text/html")
    current = years["2025"].model_copy(update={"document": doc})
    a = audit_vendor(years["2024"], current)
    assert a.date_flags and "still 2024-01-10" in a.date_flags[0]


def test_better_direction_and_any_change(years):
    changes = compare_findings(years["2026"].assessment, years["2024"].assessment)
    assert {c.direction for c in changes} == {"better"}
    a = audit_vendor(years["2026"], years["2024"])
    assert gate_reasons([a], [FailOn.TIER_INCREASE, FailOn.NEW_NOT_MET]) == []
    assert gate_reasons([a], [FailOn.ANY_CHANGE])[0].startswith("quillpoint: policy changed")


def test_unreachable_document_is_reported(years):
    a = audit_vendor(years["2024"], None, unreachable="404 not found", vendor="quillpoint")
    assert a.unreachable == "404 not found" and a.changes == []
    assert gate_reasons([a], [FailOn.UNREADABLE]) == ["quillpoint: could not be read (404 not found)"]
    assert gate_reasons([a]) == gate_reasons([a], [FailOn.ANY_CHANGE]) == gate_reasons([a], [FailOn.UNREADABLE])
    assert gate_reasons([a], [FailOn.TIER_INCREASE, FailOn.NEW_NOT_MET]) == []


# -- the audit run against a real archive, a policy file changing between yearly runs --------------------------


def run_year(archive, tmp_path, name, year, baseline=None, accept=True):
    import shutil

    from assessor.audit import Acceptance, run_audit

    shutil.copy(AUDIT / f"quillpoint-{name}.html", tmp_path / "quillpoint.html")
    checklists = list(load_checklists(AUDIT / "checklists").values())
    settings = Settings(checklists=AUDIT / "checklists", vendors=tmp_path, reviews=tmp_path / "reviews",
                        archive=archive.root)
    return run_audit([VENDOR], lambda v: checklists, archive=archive, baseline=baseline, settings=settings,
                     now=dt.datetime(year, 6, 1, tzinfo=dt.UTC),
                     accept=Acceptance(by="J. Librarian", note="yearly audit") if accept else None).vendors[0]


def test_yearly_runs_against_the_archive(tmp_path):
    from assessor.archive import Archive

    with Archive(tmp_path / "archive") as archive:
        first = run_year(archive, tmp_path, "2024", 2024)
        assert first.baseline_at is None and first.changes == [] and first.unreachable is None
        cosmetic = run_year(archive, tmp_path, "2024-cosmetic", 2025)
        assert not cosmetic.text_changed and cosmetic.changes == [] and cosmetic.versions == []
        worse = run_year(archive, tmp_path, "2025", 2026)
        assert [c.criterion for c in worse.changes] == ["FX-RETENTION"]
        assert [v.stated_date for v in worse.versions] == [dt.date(2025, 2, 2)]
        assert len(archive.assessments("quillpoint")) == 3
        # a baseline by date reaches back past the intermediate audit
        again = run_year(archive, tmp_path, "2026", 2027, baseline="2024-12-31")
        assert {c.criterion for c in again.changes} == {"FX-RETENTION", "FX-SALE"}
        assert gate_reasons([again], [FailOn.NEW_NOT_MET]) == ["quillpoint: newly not met: FX-SALE, FX-RETENTION"]
        by_id = run_year(archive, tmp_path, "2026", 2028, baseline=str(archive.assessments("quillpoint")[2].id))
        assert [c.criterion for c in by_id.changes] == ["FX-SALE"]


def test_missing_document_is_unreachable_not_a_crash(tmp_path):
    from assessor.archive import Archive
    from assessor.audit import run_audit

    checklists = list(load_checklists(AUDIT / "checklists").values())
    with Archive(tmp_path / "archive") as archive:
        run = run_audit([VENDOR], lambda v: checklists, archive=archive,
                        settings=Settings(checklists=AUDIT / "checklists", vendors=tmp_path,
                                          reviews=tmp_path / "reviews", archive=archive.root),
                        now=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    assert run.vendors[0].unreachable and "quillpoint.html" in run.vendors[0].unreachable


# -- the CLI: audit writes reports, check is the CI gate ------------------------------------------------------


def test_audit_and_check_cli(tmp_path, cli):
    import os
    import shutil
    import subprocess
    import sys

    project = tmp_path / "library"  # a project folder with the frozen fixture checklist, not the shipped ones
    vendors = project / "vendor_profiles"
    (vendors / "samples").mkdir(parents=True)
    shutil.copytree(AUDIT / "checklists", project / "checklists")
    (vendors / "quillpoint.yaml").write_text(
        "id: quillpoint\nname: Quillpoint (sample)\ncategory: econtent\nsynthetic: true\n"
        "checklists: [audit-fixture]\ndocuments:\n  - kind: privacy-policy\n    path: samples/quillpoint.html\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSESSOR_")}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "assessor", "--project", str(project), *args],
                              capture_output=True, text=True, env=env, timeout=120)

    def year(name, as_of, *args):
        shutil.copy(AUDIT / f"quillpoint-{name}.html", vendors / "samples" / "quillpoint.html")
        return run(*args, "--as-of", as_of)

    first = year("2024", "2024-06-01", "audit", "--out", str(tmp_path / "a1"))
    assert first.returncode == 0, first.stderr
    assert "first audit" in first.stdout and (tmp_path / "a1" / "audit.html").exists()
    cosmetic = year("2024-cosmetic", "2025-06-01", "check", "--fail-on", "any-change")
    assert cosmetic.returncode == 0, cosmetic.stdout + cosmetic.stderr
    assert cosmetic.stdout == "" and "nothing got worse" in cosmetic.stderr
    worse = year("2026", "2026-06-01", "check", "--out", str(tmp_path / "a2"))
    assert worse.returncode == 3, worse.stderr
    assert worse.stdout == "quillpoint: risk tier rose from low to critical; newly not met: FX-SALE, FX-RETENTION\n"
    html = (tmp_path / "a2" / "audit.html").read_text()
    assert "We may sell information" in html and "<script" not in html
    bad = run("check", "--baseline", "last-year")
    assert bad.returncode == 1 and "give a date" in bad.stderr and "Traceback" not in bad.stderr
    (vendors / "samples" / "quillpoint.html").unlink()
    gone = run("check", "--as-of", "2026-06-02")  # unreadable fails the gate: the summary must not say all is well
    assert gone.returncode == 3 and gone.stdout.startswith("quillpoint: could not be read")
    assert "nothing got worse" not in gone.stderr and "1 vendor(s) could not be read" in gone.stderr
    for wrong in ("9999", "1"):  # no such assessment; one of another vendor: a usage error, not 'could not be read'
        (vendors / "other.yaml").write_text((vendors / "quillpoint.yaml").read_text().replace("quillpoint", "other"))
        unknown = run("check", "--baseline", wrong)
        assert unknown.returncode == 1 and unknown.stdout == "" and "--baseline" in unknown.stderr, wrong
        assert unknown.stderr.count("\n") == 1, unknown.stderr


def test_portfolio_shows_what_the_last_audit_changed(tmp_path):
    from assessor.archive import Archive
    from assessor.audit import latest_changes

    with Archive(tmp_path / "archive") as archive:
        assert latest_changes(archive, ["quillpoint"]) is None
        run_year(archive, tmp_path, "2024", 2024)
        assert latest_changes(archive, ["quillpoint", "other"]) == {"quillpoint": ["first audit"], "other": []}
        run_year(archive, tmp_path, "2024-cosmetic", 2025)
        assert latest_changes(archive, ["quillpoint"]) == {"quillpoint": ["no change"]}
        run_year(archive, tmp_path, "2025", 2026)
        notes = latest_changes(archive, ["quillpoint"])["quillpoint"]
        assert notes[0] == "new policy version" and "FX-RETENTION: met -> not_met" in notes


def test_the_default_name_on_an_acceptance_survives_a_system_without_one(monkeypatch):
    import getpass

    from assessor.audit import login_name

    monkeypatch.setattr(getpass, "getuser", lambda: "jlibrarian")
    assert login_name() == "jlibrarian"

    def nobody() -> str:
        raise KeyError("getpwuid(): uid not found: 1234")

    monkeypatch.setattr(getpass, "getuser", nobody)
    assert login_name() == "unknown"


def test_the_command_line_offers_every_gate_rule():
    from assessor.audit import FailOn
    from assessor.cli import build_parser

    parser = build_parser()
    for rule in FailOn:
        assert parser.parse_args(["check", "--fail-on", rule.value]).fail_on == [rule.value]
    help_text = parser.parse_args(["check"]).func.__doc__ or ""
    assert "accepted assessment" in help_text
