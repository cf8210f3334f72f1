"""The widget applications behind the notebooks, driven without a kernel: set `.value`, click, read the widgets."""

from __future__ import annotations

import datetime as dt
import json
from html import escape

import pytest
import yaml

from assessor.audit import Snapshot
from assessor.errors import AssessorError
from assessor.loading import load_checklists
from assessor.models import DocumentKind, Status
from assessor.pipeline import review_vendor
from assessor.reviews import load_reviews, reviews_path
from assessor.ui import AuditApp, ContractApp, PortfolioApp, VendorReviewApp, WorkbenchApp
from assessor.ui.audit import audit_text, load_baseline
from assessor.ui.portfolio import filter_assessments, portfolio_text, sample_vendor_ids
from assessor.ui.render import assessment_text, finding_html, html_table, text_table
from assessor.ui.workbench import criterion_yaml, parse_criterion, save_criterion

from .conftest import ROOT

VENDOR = "brightshelf"
TODAY = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def reviews_dir(tmp_path, monkeypatch):
    """Overrides go to a throw-away folder, never to the project's reviews/."""
    folder = tmp_path / "reviews"
    monkeypatch.setenv("ASSESSOR_REVIEWS_DIR", str(folder))
    return folder


@pytest.fixture(scope="module")
def samples():
    ids = sample_vendor_ids()
    assert len(ids) >= 2, "the notebooks need at least two bundled sample vendors"
    return ids


def test_html_escapes_every_value():
    html = html_table(["a"], [["<script>alert(1)</script>"]])
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_text_table_aligns_columns():
    assert text_table(["id", "status"], [["x", "met"], ["long-id", "not_met"]]).splitlines() == [
        "id       status", "-------  -------", "x        met", "long-id  not_met"]


def test_review_app_shows_the_vendor_and_follows_the_dropdown(samples, tmp_path):
    app = VendorReviewApp(VENDOR, out_dir=tmp_path)
    expected = review_vendor(VENDOR).assessment
    assert app.review.assessment == expected
    assert expected.vendor_name in app.score.value
    for f in expected.findings:
        assert f">{f.criterion}<" in app.findings.value
    other = next(v for v in samples if v != VENDOR)
    app.vendor.value = other
    assert app.review.vendor.id == other
    assert review_vendor(other).assessment.vendor_name in app.score.value
    assert assessment_text(app.review.assessment) == assessment_text(review_vendor(other).assessment)


def test_choosing_a_finding_shows_its_evidence_in_its_paragraph():
    app = VendorReviewApp(VENDOR)
    finding = [f for f in app.review.assessment.findings if f.evidence][-1]
    app.finding.value = finding.criterion
    ev = finding.evidence[0]
    para = next(p for p in app.review.document.paragraphs if p.index == ev.paragraph)
    assert f"{escape(para.text[:ev.start - para.start])}<mark>{escape(ev.quote)}</mark>" in app.finding_detail.value
    assert app.override_status.value == finding.status.value


def test_topic_browser_lists_paragraphs_of_the_topic():
    app = VendorReviewApp(VENDOR)
    assert app.topic.options, "the sample policy has classified paragraphs"
    label, topic = app.topic.options[-1]
    app.topic.value = topic
    count = int(label.rsplit("(", 1)[1].rstrip(")"))
    assert app.topic_detail.value.count("<blockquote") == count


def test_checklist_selection_rescores():
    app = VendorReviewApp(VENDOR)
    assert tuple(app.checklists.value) == tuple(app.review.vendor.checklists or ("ala-vendors",))
    first = app.review
    app.checklists.value = ()  # nothing selected: the vendor's defaults apply, as in the pipeline
    assert app.review is not first and app.review.assessment == review_vendor(VENDOR).assessment


def test_override_is_saved_with_its_note_and_applied(reviews_dir):
    app = VendorReviewApp(VENDOR, today=lambda: TODAY)
    finding = app.review.assessment.findings[0]
    new = next(s for s in Status if s != finding.status)
    app.finding.value = finding.criterion
    app.override_status.value = new.value
    app.save.click()
    assert "needs a note" in app.status.value and not (reviews_dir / f"{VENDOR}.yaml").exists()
    app.note.value = "Confirmed with the vendor by email."
    app.reviewer.value = "J. Librarian"
    app.save.click()
    [saved] = load_reviews(VENDOR).overrides
    assert (saved.criterion, saved.status, saved.date, saved.reviewer) == (finding.criterion, new, TODAY,
                                                                           "J. Librarian")
    shown = next(f for f in app.review.assessment.findings if f.criterion == finding.criterion)
    assert shown.status == new and shown.override.automatic_status == finding.status
    assert "(override)" in app.findings.value and "Confirmed with the vendor" in app.finding_detail.value


def test_export_writes_the_report_files(tmp_path):
    app = VendorReviewApp(VENDOR, out_dir=tmp_path / "out")
    app.export.click()
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert f"{VENDOR}.json" in written and all(name in app.status.value for name in written)


def test_unknown_vendor_is_a_message_not_a_crash():
    app = VendorReviewApp()
    assert app.review is None
    with pytest.raises(AssessorError, match="no vendor picked"):
        app.summary_text()
    app.vendors["ghost"] = app.vendors[VENDOR].model_copy(update={"id": "ghost"})
    app.vendor.options = [*app.vendor.options, ("Ghost", "ghost")]
    app.vendor.value = "ghost"
    assert app.review is None and "ghost" in app.status.value and "color:#a01010" in app.status.value
    with pytest.raises(AssessorError, match="ghost"):
        app.summary_text()


def test_portfolio_filters(samples):
    app = PortfolioApp(samples)
    assert app.assessments == []
    app.load()
    assert app.progress.value == len(samples) and len(app.assessments) == len(samples)
    assert portfolio_text(app.assessments).count("\n") == len(samples) + 1
    category = app.assessments[0].category.value
    app.category.value = (category,)
    shown = [a.vendor for a in app.selected]
    assert shown == [a.vendor for a in app.assessments if a.category.value == category]
    assert all(f">{v}<" in app.table.value for v in shown)
    hidden = [a.vendor for a in app.assessments if a.vendor not in shown]
    assert all(f">{v}<" not in app.table.value for v in hidden)
    tier = app.assessments[0].tier.value
    app.category.value = ()
    app.tier.value = (tier,)
    assert {a.tier.value for a in app.selected} == {tier}
    assert filter_assessments(app.assessments) == app.assessments


def test_portfolio_reports_a_vendor_it_cannot_review(samples):
    app = PortfolioApp([samples[0], "no-such-vendor"])
    app.load()
    assert [a.vendor for a in app.assessments] == [samples[0]]
    assert "no-such-vendor" in app.status.value


def test_workbench_tries_a_criterion_on_clauses_and_a_vendor(tmp_path):
    checklist = load_checklists()["ala-vendors"].checklist
    criterion = next(c for c in checklist.criteria if c.positive)
    app = WorkbenchApp("ala-vendors", criterion.id, VENDOR, save_to=tmp_path / "drafts.yaml")
    assert parse_criterion(app.source.value) == criterion
    app.clauses.value = criterion.positive[0].text
    result = app.run_test()
    assert [c.status for c in result.clauses] == [criterion.positive[0].status]
    assert result.selftest == () and "Self-tests pass" in app.status.value
    assert result.vendor_finding.status == next(
        f.status for f in review_vendor(VENDOR).assessment.findings if f.criterion == criterion.id)


def test_workbench_reports_bad_yaml_and_bad_fields(tmp_path):
    app = WorkbenchApp("ala-vendors", vendor_id=None, save_to=tmp_path / "drafts.yaml")
    app.source.value = "id: [unclosed"
    assert app.run_test() is None and "invalid YAML" in app.status.value
    data = yaml.safe_load(criterion_yaml(load_checklists()["ala-vendors"].checklist.criteria[0]))
    data["severity"] = "catastrophic"
    app.source.value = yaml.safe_dump(data)
    assert app.save_criterion() is None and "severity" in app.status.value
    assert not (tmp_path / "drafts.yaml").exists()


def test_workbench_saves_into_a_checklist_file_and_refuses_failing_self_tests(tmp_path):
    path = tmp_path / "my-library.yaml"
    criterion = next(c for c in load_checklists()["ala-vendors"].checklist.criteria if c.positive)
    app = WorkbenchApp("ala-vendors", criterion.id, save_to=path)
    assert app.save_criterion() == path
    saved = load_checklists(tmp_path)["my-library"].checklist
    assert saved.kind == "library" and saved.criteria == [criterion]
    edited = criterion.model_copy(update={"title": "Edited title"})
    save_criterion(edited, path)
    assert load_checklists(tmp_path)["my-library"].checklist.criteria == [edited]
    broken = criterion.model_copy(update={"rules": [criterion.rules[0].model_copy(update={"any": ["zzzq"]})]})
    with pytest.raises(AssessorError, match="self-tests fail"):
        save_criterion(broken, path)
    assert load_checklists(tmp_path)["my-library"].checklist.criteria == [edited]


def test_contract_app_checks_an_upload_and_names_missing_clauses():
    text = b"The Vendor shall not sell, rent or trade Patron Data.\n\nThe Library owns all Patron Data.\n"
    app = ContractApp("keystone-ils", kind=DocumentKind.CONTRACT)
    app.upload.value = ({"name": "contract.txt", "type": "text/plain", "size": len(text), "content": memoryview(text),
                         "last_modified": dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)},)
    check = app.check
    assert check is not None and check.assessment.document.kind == DocumentKind.CONTRACT
    statuses = {f.criterion: f.status for f in check.assessment.findings}
    clauses = {c.id: c.remediation.clause for lc in check.checklists for c in lc.checklist.criteria}
    missing = [c for c, s in statuses.items() if s != Status.MET]
    assert missing and all(escape(clauses[c]) in app.table.value for c in missing)
    assert any(s == Status.MET for s in statuses.values())
    app.kind.value = DocumentKind.DPA
    assert app.check.assessment.document.kind == DocumentKind.DPA


def test_contract_app_rejects_unsupported_and_missing_files(tmp_path):
    app = ContractApp("keystone-ils")
    assert app.check_file(b"\x00\x01", "contract.exe") is None
    assert "unsupported" in app.status.value
    with pytest.raises(AssessorError, match="nothing.pdf"):
        app.check_path(tmp_path / "nothing.pdf")
    assert "nothing.pdf" in app.status.value


def test_audit_compares_with_the_baseline_and_exports(tmp_path, samples):
    baseline_dir = ROOT / "notebooks" / "data" / "audit-2025"
    baseline = load_baseline(baseline_dir)
    observed = dt.datetime(2026, 11, 2, tzinfo=dt.timezone.utc)
    app = AuditApp(baseline_dir, observed, tmp_path / "audit", samples)
    audits = app.load()
    assert [a.vendor for a in audits] == list(samples)
    by_id = {a.vendor: a for a in audits}
    assert by_id[VENDOR].text_changed  # the 2025 snapshot holds an older version of the policy
    assert {a.vendor for a in audits if a.baseline_at is None} == set(samples) - set(baseline)
    before = {f.criterion: f.status for f in baseline[VENDOR].assessment.findings}
    after = {f.criterion: f.status for f in review_vendor(VENDOR).assessment.findings}
    assert {c.criterion for c in by_id[VENDOR].changes} == {c for c in after if before.get(c) != after[c]} | {
        c for c in before if c not in after}
    app.vendor.value = VENDOR
    assert "<del" in app.detail.value or "<ins" in app.detail.value
    paths = app.export_files()
    summary = (tmp_path / "audit" / "audit-summary.md").read_text()
    assert summary.startswith("# Annual audit, 2026-11-02") and VENDOR in summary
    snap = Snapshot.model_validate_json((tmp_path / "audit" / "snapshots" / f"{VENDOR}.json").read_text())
    assert snap.observed_at == observed and len(paths) > len(samples)
    # this year's export is next year's baseline: auditing against it finds no change
    again = AuditApp(tmp_path / "audit" / "snapshots", observed, tmp_path / "again", samples).load()
    assert all(not a.text_changed and not a.changes for a in again)
    assert "unchanged" in audit_text(again)


def test_audit_flags_stale_overrides(tmp_path, samples):
    app = VendorReviewApp(VENDOR, today=lambda: TODAY)
    finding = next(f for f in app.review.assessment.findings if f.evidence)
    app.finding.value = finding.criterion
    app.note.value, app.reviewer.value = "Accepted.", "J. Librarian"
    app.save.click()
    data = load_reviews(VENDOR).model_dump(mode="json")
    data["overrides"][0]["evidence_sha256"] = "0" * 64  # as if recorded against older text
    reviews_path(VENDOR).write_text(yaml.safe_dump(data))
    audits = AuditApp(ROOT / "notebooks" / "data" / "audit-2025", dt.datetime(2026, 11, 2, tzinfo=dt.timezone.utc),
                      tmp_path, [VENDOR]).load()
    assert audits[0].stale_overrides == [finding.criterion]
    assert f"{VENDOR}: stale override of {finding.criterion}" in audit_text(audits)


def test_audit_reports_a_missing_baseline(tmp_path):
    app = AuditApp(tmp_path / "nowhere", dt.datetime(2026, 11, 2, tzinfo=dt.timezone.utc), tmp_path)
    assert app.load() == [] and "no such folder" in app.status.value
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "x.json").write_text(json.dumps({"nope": 1}))
    app = AuditApp(tmp_path / "bad", dt.datetime(2026, 11, 2, tzinfo=dt.timezone.utc), tmp_path)
    assert app.load() == [] and "x.json: not an audit snapshot" in app.status.value
