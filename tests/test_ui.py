"""The widget applications behind the notebooks, driven without a kernel: set `.value`, click, read the widgets."""

from __future__ import annotations

import datetime as dt
from html import escape

import ipywidgets as widgets
import pytest
import yaml

from assessor.errors import AssessorError
from assessor.loading import load_checklists, load_vendors
from assessor.models import DocumentKind, Status, VendorCategory
from assessor.parse import MAX_BYTES, parse_file
from assessor.pipeline import choose_checklists, review_vendor
from assessor.reviews import load_reviews, reviews_path
from assessor.score import score_document
from assessor.ui import AuditApp, ContractApp, PortfolioApp, VendorReviewApp, WorkbenchApp
from assessor.ui.audit import audit_text
from assessor.scales import BANDS, STATUS_LABELS, category_label
from assessor.ui.portfolio import filter_assessments, portfolio_rows, portfolio_text, sample_vendor_ids
from assessor.report import build_portfolio, review_report
from assessor.report.excerpt import Segment
from assessor.report.text import review_text, terminal_table, text_table
from assessor.ui.render import CheckedText, html_table, on_click_busy, report_view
from assessor.ui.workbench import criterion_yaml, parse_criterion, save_criterion

from .conftest import ROOT

VENDOR = "brightshelf"
TODAY = dt.date(2026, 11, 2)
AUDIT_AT = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
SEED = ROOT / "notebooks" / "data" / "audit-2025"


@pytest.fixture(autouse=True)
def reviews_dir(tmp_path, monkeypatch):
    """Overrides (and any archiving) go to throw-away folders, never to the project's reviews/ or data/archive/."""
    folder = tmp_path / "reviews"
    monkeypatch.setenv("ASSESSOR_REVIEWS_DIR", str(folder))
    monkeypatch.setenv("ASSESSOR_ARCHIVE", str(tmp_path / "archive"))
    return folder


@pytest.fixture(scope="module")
def samples():
    ids = sample_vendor_ids()
    assert len(ids) >= 2, "the notebooks need at least two bundled sample vendors"
    return ids


def test_a_button_is_disabled_while_its_action_runs():
    button = widgets.Button()
    seen = []
    on_click_busy(button, lambda: seen.append(button.disabled))
    button.click()
    assert seen == [True] and button.disabled is False


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
    assert app.summary_text() == review_text(report_view(review_vendor(other).assessment))


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


@pytest.mark.parametrize("build", [VendorReviewApp, ContractApp, lambda v: WorkbenchApp("ala-vendors", vendor_id=v)])
def test_an_unknown_vendor_parameter_is_a_one_line_error(build):
    with pytest.raises(AssessorError, match=r"no vendor profile 'nosuch'"):
        build("nosuch")


def test_an_unknown_checklist_parameter_is_a_one_line_error():
    with pytest.raises(AssessorError, match=r"no checklist 'nosuch'"):
        VendorReviewApp(VENDOR, ["nosuch"])
    with pytest.raises(AssessorError, match=r"no checklist 'ala-vendor'; did you mean 'ala-vendors'\?"):
        VendorReviewApp(VENDOR, ["ala-vendor"])


def test_unknown_vendor_is_a_message_not_a_crash():
    app = VendorReviewApp()
    assert app.review is None
    with pytest.raises(AssessorError, match="no vendor picked"):
        app.summary_text()
    app.vendors["ghost"] = app.vendors[VENDOR].model_copy(update={"id": "ghost"})
    app.vendor.options = [*app.vendor.options, ("Ghost", "ghost")]
    app.vendor.value = "ghost"
    assert app.review is None and "ghost" in app.status.value and f"color:{BANDS['bad'].ink}" in app.status.value
    with pytest.raises(AssessorError, match="ghost"):
        app.summary_text()


def test_offline_review_of_a_web_vendor_never_fetched_says_what_to_do():
    web = next(v for v in load_vendors().values() if v.documents[0].url is not None)
    app = VendorReviewApp(web.id)
    assert app.offline.value is True and app.review is None
    assert "no archived" in app.status.value and f"assessor fetch {web.id}" in app.status.value
    assert f"assessor review {web.id} --file PATH" in app.status.value


def test_portfolio_filters(samples):
    app = PortfolioApp(samples)
    assert app.assessments == []
    app.load()
    assert app.progress.value == len(samples) and len(app.assessments) == len(samples)
    assert portfolio_text(app.assessments).count("\n") == len(samples) + 1
    category = app.assessments[0].category.value
    app.category.value = (category,)
    shown = [a.vendor_name for a in app.selected]
    assert shown == [a.vendor_name for a in app.assessments if a.category.value == category]
    assert all(f">{escape(v)}<" in app.table.value for v in shown), "vendors by name"
    assert f">{category_label(category)}<" in app.table.value, "categories by name"
    assert app.category.options == tuple((category_label(c), c.value) for c in VendorCategory)
    hidden = [a.vendor_name for a in app.assessments if a.vendor_name not in shown]
    assert all(f">{escape(v)}<" not in app.table.value for v in hidden)
    assert f"{len(shown)} of {len(samples)} vendors shown" in app.status.value
    tier = app.assessments[0].tier.value
    app.category.value = ()
    app.tier.value = (tier,)
    assert {a.tier.value for a in app.selected} == {tier}
    assert filter_assessments(app.assessments) == app.assessments
    app.tier.value = ()
    app.category.value = ("other",)  # no sample vendor is in it
    assert "0 of" in app.status.value and "No vendor matches" in app.table.value and app.heatmap.value == ""


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
                         "last_modified": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)},)
    check = app.check
    assert check is not None and check.assessment.document.kind == DocumentKind.CONTRACT
    statuses = {f.criterion: f.status for f in check.assessment.findings}
    clauses = {c.id: c.remediation.clause for lc in check.checklists for c in lc.checklist.criteria}
    missing = [c for c, s in statuses.items() if s != Status.MET]
    assert missing and all(escape(clauses[c]) in app.table.value for c in missing)
    assert any(s == Status.MET for s in statuses.values())
    app.kind.value = DocumentKind.DPA
    assert app.check.assessment.document.kind == DocumentKind.DPA


def test_contract_app_reads_an_uploaded_docx():
    import io

    import docx

    document = docx.Document()
    document.add_heading("Data Processing Agreement", 1)
    document.add_paragraph("The Vendor shall not sell, rent or trade Patron Data to anyone.")
    buffer = io.BytesIO()
    document.save(buffer)
    app = ContractApp("keystone-ils")
    check = app.check_file(buffer.getvalue(), "agreement.docx")
    assert check is not None and "sell, rent or trade" in check.document.text
    as_text = app.check_file(b"The Vendor shall not sell, rent or trade Patron Data to anyone.", "agreement.txt")
    assert [f.status for f in check.assessment.findings] == [f.status for f in as_text.assessment.findings]


def test_contract_app_rejects_unsupported_and_missing_files(tmp_path):
    app = ContractApp("keystone-ils")
    assert app.check_file(b"\x00\x01", "contract.exe") is None
    assert "unsupported" in app.status.value
    with pytest.raises(AssessorError, match="nothing.pdf"):
        app.check_path(tmp_path / "nothing.pdf")
    assert "nothing.pdf" in app.status.value
    huge = tmp_path / "contract.pdf"
    with huge.open("wb") as fh:  # sparse: over the cap, refused without being read
        fh.truncate(MAX_BYTES + 1)
    with pytest.raises(AssessorError, match="contract.pdf: too large"):
        app.check_path(huge)


def _statuses(assessment) -> dict[str, Status]:
    return {f.criterion: f.status for f in assessment.findings}


def test_audit_on_the_demo_archive_finds_last_years_changes_and_exports(tmp_path, samples):
    manifest = yaml.safe_load((SEED / "manifest.yaml").read_text())
    app = AuditApp(AUDIT_AT, tmp_path / "audit", samples, seed_dir=SEED)
    audits = {a.vendor: a for a in app.load()}
    assert list(audits) == list(samples)
    assert {v for v, a in audits.items() if a.baseline_at is None} == set(samples) - set(manifest["documents"])
    assert audits[VENDOR].text_changed and audits[VENDOR].versions
    assert not audits["keystone-ils"].text_changed and not audits["keystone-ils"].changes
    # the baseline is last year's text scored with today's checklists: only the text explains a change
    vendor = load_vendors()[VENDOR]
    old = parse_file(SEED / manifest["documents"][VENDOR])
    before = _statuses(score_document(old, vendor, choose_checklists(vendor)))
    after = _statuses(review_vendor(VENDOR).assessment)
    assert {c.criterion for c in audits[VENDOR].changes} == {c for c in after if before[c] != after[c]}
    assert all(f">{escape(a.vendor_name)}<" in app.summary.value for a in audits.values()), "vendors by name"
    app.vendor.value = VENDOR
    assert "<del" in app.detail.value and "<ins" in app.detail.value
    assert [p.name for p in app.export_files()] == ["audit.html", "audit.md", "audit.json"]
    assert audits[VENDOR].vendor_name in (tmp_path / "audit" / "audit.md").read_text()
    again = AuditApp(AUDIT_AT, tmp_path / "again", samples, seed_dir=SEED).load()
    assert audit_text(again) == audit_text(list(audits.values())), "a fresh demo archive each time"


def test_audit_against_a_real_archive_compares_with_the_previous_audit(tmp_path):
    archive = tmp_path / "archive"
    first = AuditApp(AUDIT_AT, tmp_path / "out", [VENDOR], archive_dir=archive).load()
    assert first[0].baseline_at is None and "first audit" in audit_text(first)
    next_year = dt.datetime(2027, 11, 2, 9)  # naive: taken as UTC
    later = AuditApp(next_year, tmp_path / "out", [VENDOR], archive_dir=archive).load()
    assert later[0].baseline_at is not None and not later[0].text_changed and not later[0].changes
    assert "unchanged" in audit_text(later)


def test_audit_flags_stale_overrides(tmp_path):
    app = VendorReviewApp(VENDOR, today=lambda: TODAY)
    finding = next(f for f in app.review.assessment.findings if f.evidence)
    app.finding.value = finding.criterion
    app.note.value, app.reviewer.value = "Accepted.", "J. Librarian"
    app.save.click()
    data = load_reviews(VENDOR).model_dump(mode="json")
    data["overrides"][0]["evidence_sha256"] = "0" * 64  # as if recorded against older text
    reviews_path(VENDOR).write_text(yaml.safe_dump(data))
    audits = AuditApp(AUDIT_AT, tmp_path, [VENDOR], seed_dir=SEED).load()
    assert [o.criterion for o in audits[0].stale_overrides] == [finding.criterion]
    assert f"{VENDOR}: stale override of {finding.criterion}" in audit_text(audits)


def test_audit_reports_bad_input(tmp_path):
    with pytest.raises(AssessorError, match="archive folder"):
        AuditApp(AUDIT_AT, tmp_path)
    app = AuditApp(AUDIT_AT, tmp_path, [VENDOR], seed_dir=tmp_path / "nowhere")
    assert app.load() == [] and "not a seed manifest" in app.status.value
    app = AuditApp(AUDIT_AT, tmp_path, ["no-such-vendor"], seed_dir=SEED)
    assert app.load() == [] and "no-such-vendor" in app.status.value
    assert app.export_files() == [] and "has not run" in app.status.value


def test_the_checked_text_is_plain_text_for_nbval_and_nothing_on_screen():
    bundle = CheckedText("score 85/100")._repr_mimebundle_()
    assert bundle == {"text/plain": "score 85/100", "text/html": ""}


def test_the_override_form_names_the_finding_it_overrides():
    app = VendorReviewApp(VENDOR)
    finding = app.review.assessment.findings[-1]
    app.finding.value = finding.criterion
    assert f"{escape(finding.criterion)}: {escape(finding.title)}" in app.override_for.value


def test_the_review_shows_names_not_ids():
    app = VendorReviewApp(VENDOR)
    titles = {c.checklist.id: c.checklist.title for c in load_checklists().values()}
    assert [label for label, _ in app.checklists.options] == list(titles.values())
    used = {f.checklist for f in app.review.assessment.findings}
    assert all(f">{escape(titles[c])}<" in app.findings.value for c in used)
    assert "not_addressed" not in app.findings.value


def test_building_the_apps_writes_nothing(tmp_path):
    out = tmp_path / "out"
    VendorReviewApp(VENDOR, out_dir=out)
    ContractApp("keystone-ils")
    assert not out.exists()


def test_the_apps_show_what_the_report_shows(samples):
    """One view model: the review app's tables, the portfolio's order and heat map, the command line's table and
    the written report read the same labels, order and figures."""
    review = review_vendor(VENDOR)
    report = review_report(review, AUDIT_AT)
    app = VendorReviewApp(VENDOR)
    assert app.view is not None and app.view.findings == report.findings
    for f in report.findings:
        assert f">{escape(f.status_label + f.override_mark)}<" in app.findings.value
    lines = terminal_table(report).splitlines()[2:]
    assert [line.split()[:2] for line in lines] == [[f.criterion, f.status.value] for f in report.findings]

    portfolio = PortfolioApp(samples)
    portfolio.load()
    written = build_portfolio([report_view(a) for a in portfolio.assessments], generated_at=AUDIT_AT)
    assert [r[0] for r in portfolio_rows(portfolio.assessments)] == [r.vendor for r in written.rows]
    heads = [h for h in portfolio.heatmap.value.split("<th") if "font-size" in h]
    assert [h.split(">", 1)[1].split("<", 1)[0] for h in heads] == [escape(t.label) for t in written.topics]
    assert all(f">{label}<" in portfolio.table.value for label in STATUS_LABELS.values())


def test_a_table_without_the_document_quotes_the_evidence_bare():
    review = review_vendor(VENDOR)
    view = report_view(review.assessment)
    quoted = [e for f in view.findings for e in f.evidence if not e.same_as]
    assert quoted and all(e.context == [Segment(text=e.quote, mark=True)] for e in quoted)
    assert view.checklist_title("ala-vendors") == "ala-vendors", "no checklists given: named by id"
