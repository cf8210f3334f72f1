"""Reports: the report model, its HTML/Markdown/JSON renderings and CSV/XLSX exports, against golden files.

Golden inputs are this folder's own fixtures (`tests/data/report/`: fictional policies, a small checklist and fixed
assessments), so the goldens move only when the reports do. `ASSESSOR_REGEN_GOLDEN=1` rewrites them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import time
from html.parser import HTMLParser

import pytest
import yaml
from openpyxl import load_workbook

from assessor.loading import LoadedChecklist, file_sha256, load_model
from assessor.models import (
    AppliedOverride, Assessment, Checklist, ChecklistRef, DocumentKind, DocumentRef, Evidence, Finding,
    InventoryItem, Override, PolicyDocument, Provenance, RiskTier, Severity, Status, VendorProfile,
)
from assessor.parse import Block, build_document
from assessor.report import (
    build_portfolio, build_vendor_report, render_html, render_json, render_markdown, write_portfolio,
    write_vendor_report,
)
from assessor.report import model as report_model
from assessor.report.tables import findings_csv, findings_xlsx

from .conftest import DATA

FIXTURES = DATA / "report"
GOLDEN = DATA / "golden"
GENERATED_AT = dt.datetime(2026, 11, 2, 8, 15, tzinfo=dt.UTC)
FIXED_FORMULA = "- met 1, partial 0.5, not_met 0\n- score = 100 x earned / possible"
REGEN = os.environ.get("ASSESSOR_REGEN_GOLDEN") == "1"


# ---------------------------------------------------------------------------------------------------------------
# fixture builders (also used by test_report_browser.py)


def fixture_checklist() -> LoadedChecklist:
    """The small fixture checklist, loaded the way the pipeline loads checklists."""
    path = FIXTURES / "checklist.yaml"
    return LoadedChecklist(load_model(Checklist, path), path, file_sha256(path))


def fixture_document(vendor_id: str, provenance: Provenance | None = None) -> PolicyDocument:
    """A fixture policy, as blocks through the parser's one text-and-offsets builder."""
    spec = yaml.safe_load((FIXTURES / "policies.yaml").read_text())[vendor_id]
    pairs = [next(iter(b.items())) for b in spec["blocks"]]
    blocks = [Block("heading", text, int(kind[1])) if kind.startswith("h") else Block(kind, text)
              for kind, text in pairs]
    provenance = provenance or Provenance(uri=spec["uri"], sha256="0" * 64, content_type="text/html")
    return build_document(blocks, provenance, title=spec["title"]).model_copy(update={"last_updated": None})


def locate(doc: PolicyDocument, quote: str, rule: str, outcome: str | None = None) -> Evidence:
    """Evidence for a quote found in one of the document's paragraphs."""
    for p in doc.paragraphs:
        at = p.text.find(quote)
        if at >= 0:
            return Evidence(quote=quote, section=" > ".join(p.section), start=p.start + at,
                            end=p.start + at + len(quote), paragraph=p.index, rule=rule, outcome=outcome)
    raise AssertionError(f"fixture quote not in the policy: {quote!r}")


def fixture_review(vendor_id: str) -> tuple[Assessment, PolicyDocument, list[LoadedChecklist], VendorProfile]:
    """A fixed assessment of a fixture policy, with its document, checklist and profile."""
    spec = yaml.safe_load((FIXTURES / "assessments.yaml").read_text())[vendor_id]
    loaded = fixture_checklist()
    criteria = {c.id: c for c in loaded.checklist.criteria}
    policy_uri = yaml.safe_load((FIXTURES / "policies.yaml").read_text())[vendor_id]["uri"]
    provenance = Provenance(uri=policy_uri, **spec["provenance"])
    doc = fixture_document(vendor_id, provenance)
    findings = []
    for f in spec["findings"]:
        c = criteria[f["criterion"]]
        override = None
        if "override" in f:
            o = f["override"]
            override = AppliedOverride(
                override=Override(criterion=c.id, status=o["status"], note=o["note"], reviewer=o["reviewer"],
                                  date=o["date"]),
                automatic_status=o["automatic_status"], stale=o["stale"])
        findings.append(Finding.of(
            c, loaded.checklist.id, status=override.override.status if override else f["status"],
            confidence=f["confidence"], rationale=f["rationale"], override=override,
            evidence=[locate(doc, e["quote"], e["rule"], e["outcome"]) for e in f.get("evidence", [])]))
    inventory = [InventoryItem(item=i["item"], label=i["label"], group=i["group"], collected=i.get("collected", False),
                               shared=i.get("shared", False), recipients=i.get("recipients", []),
                               evidence=[locate(doc, i["quote"], "inventory")] if "quote" in i else [])
                 for i in spec["inventory"]]
    assessment = Assessment(
        tool_version="0.0.0-fixture", vendor=vendor_id, vendor_name=spec["vendor_name"], category=spec["category"],
        document=DocumentRef(kind=DocumentKind.PRIVACY_POLICY, title=doc.title, provenance=provenance,
                             last_updated=dt.date(2026, 5, 4) if vendor_id == "lumen-reads" else None),
        checklists=[ChecklistRef(id=loaded.checklist.id, version=loaded.checklist.version, sha256=loaded.sha256)],
        findings=findings, topic_scores=spec["topic_scores"], score=spec["score"], tier=spec["tier"],
        summary=spec["summary"], inventory=inventory)
    vendor = VendorProfile(id=vendor_id, name=spec["vendor_name"], category=spec["category"],
                           products=spec["products"], documents=[{"kind": "privacy-policy", "url": policy_uri}])
    return assessment, doc, [loaded], vendor


def fixture_report(vendor_id: str) -> report_model.VendorReport:
    """The report model of a fixture review, at the fixed time."""
    assessment, doc, checklists, vendor = fixture_review(vendor_id)
    return build_vendor_report(assessment, doc, checklists, generated_at=GENERATED_AT, vendor=vendor)


@pytest.fixture(autouse=True)
def _pinned(monkeypatch):
    """Pin what other parts of the project change (tool version, scoring formula) so the goldens do not move."""
    monkeypatch.setattr(report_model, "__version__", "0.0.0-fixture")
    monkeypatch.setattr(report_model, "FORMULA", FIXED_FORMULA)


def check_golden(name: str, text: str) -> None:
    """Compare with `tests/data/golden/<name>`; rewrite it instead when ASSESSOR_REGEN_GOLDEN=1."""
    path = GOLDEN / name
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        return
    assert path.exists(), f"no golden file {path}: run with ASSESSOR_REGEN_GOLDEN=1 and review the diff"
    assert text == path.read_bytes().decode("utf-8"), \
        f"{name} differs from its golden file; if the change is intended, rerun with ASSESSOR_REGEN_GOLDEN=1"


# ---------------------------------------------------------------------------------------------------------------
# the report model


def test_model_carries_what_the_issue_asks_for():
    r = fixture_report("lumen-reads")
    assert (r.vendor_name, r.tier.value, r.score) == ("Lumen Reads (fixture)", "critical", 46.2)
    assert r.products == ["Lumen Reads app", "Lumen web player"]
    d = r.documents[0]
    assert d.url == "https://lumen-reads.example/privacy" and d.offline
    assert d.fetched_at == dt.datetime(2026, 10, 1, 9, 30, tzinfo=dt.UTC)
    assert d.last_updated == dt.date(2026, 5, 4) and len(d.sha256) == 64
    assert [f.criterion for f in r.findings] == ["FX-SALE", "FX-HISTORY", "FX-RETAIN", "FX-LAW", "FX-COOKIES",
                                                  "FX-CONTRACT"]
    history = r.findings[1]
    assert [c.source for c in history.citations] == ["Fixture privacy guideline", "Fixture state library records law"]
    assert history.citations[1].url is None, "a javascript: citation URL must not become a link"
    assert history.evidence[0].section == "Lumen Reads Privacy Notice > Reading history"
    cookies = r.findings[4]
    assert cookies.override and cookies.override.stale and cookies.status == Status.PARTIAL
    assert cookies.override.automatic_status == Status.NOT_MET
    # asks: every criterion not met or not addressed, worst first, with the checklist's question and clause
    assert [[c.criterion for c in a.criteria] for a in r.asks] == [["FX-HISTORY"]]
    assert r.asks[0].clause.startswith("Reading history shall be kept only")
    assert [t.label for t in r.topics] == sorted(t.label for t in r.topics)
    assert {t.topic: t.score for t in r.topics}["third-party-sharing"] is None
    assert [i.label for i in r.inventory] == ["Loan records", "Reading history", "Analytics cookies"]
    assert r.checklists[0].title == "Report fixture checklist" and r.formula == FIXED_FORMULA
    assert r.formula_steps == ["met 1, partial 0.5, not_met 0", "score = 100 x earned / possible"]


def test_main_concerns_are_the_worst_five_and_a_count_of_the_rest():
    assessment, doc, checklists, vendor = fixture_review("lumen-reads")
    low = assessment.findings[4].model_copy(update={"status": Status.NOT_MET, "override": None})
    critical = assessment.findings[0].model_copy(update={"status": Status.NOT_MET})
    many = assessment.model_copy(update={"findings": [low] * 6 + [critical]})
    r = build_vendor_report(many, doc, checklists, generated_at=GENERATED_AT)
    assert r.concerns[0] == "Patron data is never sold (not met, critical)"
    assert len(r.concerns) == 5 and r.more_concerns == 2
    assert "…and 2 more" in render_html(r) and "…and 2 more" in render_markdown(r)


def test_not_addressed_criteria_are_asked_about():
    r = fixture_report("quill-catalog")
    assert [(a.criteria[0].criterion, a.status.value) for a in r.asks] == [("FX-LAW", "not_addressed")]


def test_evidence_is_highlighted_within_its_paragraph():
    r = fixture_report("lumen-reads")
    context = r.findings[4].evidence[0].context
    assert [s.mark for s in context] == [False, True, False]
    assert "".join(s.text for s in context) == ("The web player uses tracking cookies from an analytics partner to "
                                                "measure how listeners use it.")
    assert context[1].text == "tracking cookies from an analytics partner"


def test_evidence_whose_offsets_moved_is_found_by_its_text():
    assessment, doc, checklists, vendor = fixture_review("lumen-reads")
    f = assessment.findings[0]
    moved = f.evidence[0].model_copy(update={"start": 3, "end": 9, "paragraph": 99})
    bad = assessment.model_copy(update={"findings": [f.model_copy(update={"evidence": [moved]})]})
    r = build_vendor_report(bad, doc, checklists, generated_at=GENERATED_AT)
    marked = [s.text for s in r.findings[0].evidence[0].context if s.mark]
    assert marked == [f.evidence[0].quote]
    lost = moved.model_copy(update={"quote": "text the document never had", "start": 10**6, "end": 10**6 + 5})
    gone = bad.model_copy(update={"findings": [f.model_copy(update={"evidence": [lost]})]})
    context = build_vendor_report(gone, doc, checklists, generated_at=GENERATED_AT).findings[0].evidence[0].context
    assert [(s.text, s.mark) for s in context] == [("text the document never had", True)]


def test_long_paragraphs_are_trimmed_around_the_quote():
    assessment, doc, checklists, _ = fixture_review("lumen-reads")
    long = "word " * 200 + "THE QUOTE." + " more" * 200
    p = doc.paragraphs[2].model_copy(update={"text": long, "end": doc.paragraphs[2].start + len(long)})
    doc2 = doc.model_copy(update={"paragraphs": [*doc.paragraphs[:2], p, *doc.paragraphs[3:]]})
    e = Evidence(quote="THE QUOTE.", start=p.start + 1000, end=p.start + 1010, paragraph=p.index, rule="r")
    f = assessment.findings[0].model_copy(update={"evidence": [e]})
    r = build_vendor_report(assessment.model_copy(update={"findings": [f]}), doc2, checklists,
                            generated_at=GENERATED_AT)
    before, mark, after = r.findings[0].evidence[0].context
    assert mark.text == "THE QUOTE." and before.text.startswith("…") and after.text.endswith("…")
    assert len(before.text) <= 241 and len(after.text) <= 241


def test_portfolio_puts_the_riskiest_first_with_a_topic_heat_map():
    reports = [fixture_report("quill-catalog"), fixture_report("lumen-reads")]
    p = build_portfolio(reports, generated_at=GENERATED_AT, failures={"broken": "no such file"},
                        changes={"lumen-reads": ["Reading history now kept by default"]})
    assert [row.vendor for row in p.rows] == ["lumen-reads", "quill-catalog"]
    assert p.rows[0].href == "lumen-reads.html" and p.rows[0].stale_overrides == 1
    topics = [t.topic for t in p.topics]
    assert len(topics) == len(set(topics)) and "law-enforcement" in topics
    quill = {c.topic: c.score for c in p.rows[1].cells}
    assert quill["cookies-tracking"] is None and quill["sale-of-data"] == 100.0
    assert p.rows[0].changes == ["Reading history now kept by default"] and p.rows[1].changes == []
    assert p.failures[0].vendor == "broken" and p.tier_counts == {"critical": 1, "high": 0, "moderate": 0, "low": 1}
    assert not build_portfolio(reports, generated_at=GENERATED_AT).changes_known


# ---------------------------------------------------------------------------------------------------------------
# golden files


@pytest.mark.parametrize("vendor_id", ["lumen-reads", "quill-catalog"])
def test_vendor_report_matches_golden_files(vendor_id):
    r = fixture_report(vendor_id)
    check_golden(f"{vendor_id}.html", render_html(r))
    check_golden(f"{vendor_id}.md", render_markdown(r))
    check_golden(f"{vendor_id}.json", render_json(r))
    check_golden(f"{vendor_id}.csv", findings_csv([r]))


def test_portfolio_matches_golden_files():
    reports = [fixture_report("lumen-reads"), fixture_report("quill-catalog")]
    p = build_portfolio(reports, generated_at=GENERATED_AT, failures={"broken-vendor": "vendor_profiles/x.yaml: "
                                                                                       "no such file"},
                        changes={"lumen-reads": ["Policy updated on 2026-05-04: reading history kept by default"]})
    check_golden("portfolio.html", render_html(p))
    check_golden("portfolio.md", render_markdown(p))
    check_golden("portfolio.json", render_json(p))


def test_written_files_are_byte_identical_across_runs(tmp_path):
    r = fixture_report("lumen-reads")
    first = write_vendor_report(r, tmp_path / "a") + write_portfolio([r], tmp_path / "a", generated_at=GENERATED_AT)
    second = write_vendor_report(r, tmp_path / "b") + write_portfolio([r], tmp_path / "b", generated_at=GENERATED_AT)
    assert [p.name for p in first] == ["lumen-reads.html", "lumen-reads.md", "lumen-reads.json", "lumen-reads.csv",
                                       "lumen-reads.xlsx", "lumen-reads-questions.docx", "portfolio.html",
                                       "portfolio.md", "portfolio.json", "portfolio.csv", "portfolio.xlsx"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert not list((tmp_path / "a").glob(".*.tmp")), "no temporary files left behind"


def test_xlsx_does_not_change_with_the_clock():
    reports = [fixture_report("lumen-reads")]
    first = findings_xlsx(reports, GENERATED_AT)
    time.sleep(1.1)
    assert findings_xlsx(reports, GENERATED_AT) == first
    props = load_workbook(io.BytesIO(first)).properties
    assert props.created == props.modified == GENERATED_AT.replace(tzinfo=None)


def test_json_round_trips_to_the_model():
    r = fixture_report("lumen-reads")
    assert report_model.VendorReport.model_validate_json(render_json(r)) == r


def test_xlsx_holds_the_same_rows_as_the_csv():
    reports = [fixture_report("lumen-reads"), fixture_report("quill-catalog")]
    rows = list(csv.reader(io.StringIO(findings_csv(reports))))
    ws = load_workbook(io.BytesIO(findings_xlsx(reports, GENERATED_AT)))["Findings"]
    cells = [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
    assert len(cells) == len(rows) == 1 + 6 + 3, "one row per vendor x criterion, plus the header"
    assert cells[0] == rows[0]
    for got, want in zip(cells[1:], rows[1:], strict=True):
        assert [_as_text(v) for v in got] == [_as_text(v) for v in want]


def _as_text(value: object) -> str:
    """A cell as comparable text: numbers by value, booleans as the CSV writes them."""
    if isinstance(value, bool):
        return str(value).lower()
    try:
        return f"{float(value):g}"  # type: ignore[arg-type]
    except ValueError:
        return str(value)


def test_csv_has_one_row_per_vendor_and_criterion_with_override_columns():
    rows = list(csv.DictReader(io.StringIO(findings_csv([fixture_report("lumen-reads")]))))
    cookies = next(r for r in rows if r["criterion"] == "FX-COOKIES")
    assert (cookies["status"], cookies["automatic_status"], cookies["override_stale"]) == ("partial", "not_met", "true")
    assert cookies["override_reviewer"] == "J. Rivera"
    history = next(r for r in rows if r["criterion"] == "FX-HISTORY")
    assert history["clause_to_request"].startswith("Reading history shall")


# ---------------------------------------------------------------------------------------------------------------
# hostile input


class _Inspector(HTMLParser):
    """Collects what could run or load anything: elements, event handlers, URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.urls: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(name)
            if name in ("href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data"):
                self.urls.append(value or "")

    def handle_data(self, data):
        self.text.append(data)


def inspect_html(text: str) -> _Inspector:
    """Parse HTML and return what it contains."""
    inspector = _Inspector()
    inspector.feed(text)
    inspector.close()
    return inspector


HOSTILE = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(2)">click</a>',
    "</blockquote></article><iframe src=//evil.example>",
    "[click me](javascript:alert(3)) <b onmouseover=alert(4)>",
    "=HYPERLINK(\"http://evil.example\",\"ok\")",
    "&#106;avascript:alert(5) ``` --> <!--",
]


def hostile_review() -> tuple[Assessment, PolicyDocument, list[LoadedChecklist], VendorProfile]:
    """A review whose policy text, vendor name, notes and inventory are full of markup and formulas."""
    assessment, doc, checklists, vendor = fixture_review("lumen-reads")
    blocks = [Block("heading", "Privacy <script>alert('h')</script>", 1)]
    blocks += [Block("p", f"We sell nothing. {h} We keep reading history.") for h in HOSTILE]
    provenance = Provenance(uri="javascript:alert('uri')", sha256="1" * 64, content_type="text/html")
    hostile_doc = build_document(blocks, provenance)
    findings = []
    for i, f in enumerate(assessment.findings):
        h = HOSTILE[i % len(HOSTILE)]
        evidence = [locate(hostile_doc, h, "rule<x>", "met")]
        f = f.model_copy(update={"title": f"{f.title} {h}", "evidence": evidence, "rationale": h})
        if f.override:
            o = f.override.override.model_copy(update={"note": "@SUM(A1:A9) " + h, "reviewer": "+cmd|' /C calc'!A0"})
            f = f.model_copy(update={"override": f.override.model_copy(update={"override": o})})
        findings.append(f)
    inventory = [i.model_copy(update={"label": "-2+3 " + HOSTILE[1], "recipients": ["\tTab Co", "\rCR Ltd"]})
                 for i in assessment.inventory]
    hostile = assessment.model_copy(update={
        "vendor": "evil", "vendor_name": '=cmd|"/c calc"!A1 <script>alert("v")</script>', "findings": findings,
        "summary": HOSTILE[0] + " " + HOSTILE[6], "inventory": inventory,
        "document": assessment.document.model_copy(update={"provenance": provenance, "title": HOSTILE[2]})})
    return hostile, hostile_doc, checklists, vendor.model_copy(update={"products": [HOSTILE[1], HOSTILE[6]]})


def hostile_report() -> report_model.VendorReport:
    """The report model of the hostile review."""
    assessment, doc, checklists, vendor = hostile_review()
    return build_vendor_report(assessment, doc, checklists, generated_at=GENERATED_AT, vendor=vendor)


def assert_inert_html(text: str) -> _Inspector:
    """No script, frame, image, object or form; no event handler; only http(s), relative and fragment links."""
    found = inspect_html(text)
    assert not set(found.tags) & {"script", "iframe", "img", "object", "embed", "form", "base", "link"}
    assert found.handlers == []
    for url in found.urls:
        assert url.startswith(("https://", "http://", "#")) or url.endswith(".html") and "/" not in url, url
    assert "javascript:" not in " ".join(found.urls).lower()
    return found


def test_hostile_text_is_inert_in_html_and_still_shown():
    report = hostile_report()
    text = render_html(report)
    found = assert_inert_html(text)
    shown = "".join(found.text)
    for h in HOSTILE:
        assert " ".join(h.split()) in " ".join(shown.split()), f"hostile text must be shown as text: {h!r}"
    assert found.tags.count("style") == 1 and "&lt;script&gt;" in text
    portfolio = render_html(build_portfolio([report], generated_at=GENERATED_AT,
                                            failures={"x": HOSTILE[0]}, changes={"evil": HOSTILE[:3]}))
    assert_inert_html(portfolio)


def test_hostile_text_is_inert_in_markdown():
    from markdown_it import MarkdownIt

    report = hostile_report()
    md = render_markdown(report)
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(md)
    found = assert_inert_html(html)
    assert "javascript" not in " ".join(found.urls)
    assert "alert('x')" in "".join(found.text), "the hostile text is still there, as text"
    portfolio = render_markdown(build_portfolio([report], generated_at=GENERATED_AT, failures={"x": HOSTILE[0]},
                                                changes={"evil": HOSTILE}))
    assert_inert_html(MarkdownIt("commonmark", {"html": True}).enable("table").render(portfolio))


def test_hostile_text_is_inert_in_json():
    report = hostile_report()
    text = render_json(report)
    assert not set(text) & set("<>&")
    assert json.loads(text)["vendor_name"] == report.vendor_name


def test_formula_injection_is_neutralised_in_csv_and_xlsx():
    report = hostile_report()
    rows = list(csv.reader(io.StringIO(findings_csv([report]))))
    wb = load_workbook(io.BytesIO(findings_xlsx([report], GENERATED_AT)))
    every = [row for sheet in wb.worksheets for row in sheet.iter_rows(min_row=2, values_only=True)]
    for row in [*rows[1:], *every]:
        for value in row:
            if isinstance(value, str):
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert rows[1][1].startswith("'=cmd")
    assert all(cell.data_type != "f" for sheet in wb.worksheets for row in sheet.iter_rows() for cell in row), \
        "no cell is a formula"
    override = next(r for r in rows if r[0] == "evil" and "@SUM" in r[16])
    assert override[16].startswith("'@SUM") and override[17].startswith("'+cmd")


def test_a_javascript_document_uri_is_shown_but_never_linked():
    report = hostile_report()
    assert report.documents[0].url is None and report.documents[0].source == "javascript:alert('uri')"
    assert 'href="javascript' not in render_html(report).lower()


# ---------------------------------------------------------------------------------------------------------------
# the summary sentence, repeated evidence, the formula


def _with(statuses: list[tuple[str, str]]) -> list[Finding]:
    """Findings of the fixture checklist with the given (severity, status) pairs."""
    assessment, *_ = fixture_review("lumen-reads")
    base = assessment.findings[1].model_copy(update={"override": None, "evidence": []})
    return [base.model_copy(update={"criterion": f"X-{i}", "severity": Severity(sev), "status": Status(st)})
            for i, (sev, st) in enumerate(statuses)]


def test_the_headline_follows_the_counts_not_the_tier():
    five_high = _with([("high", "not_addressed")] * 5 + [("medium", "met")] * 30)
    text = report_model.headline(five_high)
    assert "minor" not in text and "5 critical or high-severity protections" in text
    minor = report_model.headline(_with([("low", "not_addressed"), ("medium", "not_met"), ("high", "met")]))
    assert "minor" in minor and "2 lower-severity points" in minor
    broken = report_model.headline(_with([("critical", "not_met"), ("high", "not_addressed"), ("low", "not_met")]))
    assert broken.startswith("The policy breaks 1 critical protection for patrons and leaves 1 more critical")
    assert report_model.headline(_with([("high", "partial")])) == (
        "The policy addresses every criterion, 1 point only in part: ask the vendor to close it.")
    assert report_model.headline(_with([("high", "met"), ("low", "needs_review")])) == (
        "The policy meets every criterion it could be checked against. 1 more needs a librarian's review (not "
        "scored until then).")
    assert report_model.headline(_with([("high", "needs_review")] * 3)) == (
        "No criterion could be checked automatically: all 3 need a librarian's review (not scored until then).")


def test_a_low_tier_report_with_serious_gaps_does_not_call_them_minor():
    assessment, doc, checklists, _vendor = fixture_review("quill-catalog")
    gaps = _with([("high", "not_addressed")] * 5)
    low = assessment.model_copy(update={"tier": RiskTier.LOW, "findings": [*assessment.findings, *gaps]})
    r = build_vendor_report(low, doc, checklists, generated_at=GENERATED_AT)
    assert "minor" not in r.headline and "minor" not in render_html(r)


def test_a_passage_two_rules_quote_is_shown_once_naming_both():
    assessment, doc, checklists, _vendor = fixture_review("lumen-reads")
    sale = assessment.findings[0]
    twice = [sale.evidence[0], sale.evidence[0].model_copy(update={"rule": "no-sale-2"})]
    law = assessment.findings[3].model_copy(update={"evidence": [sale.evidence[0]]})
    findings = [sale.model_copy(update={"evidence": twice}), *assessment.findings[1:3], law,
                *assessment.findings[4:]]
    r = build_vendor_report(assessment.model_copy(update={"findings": findings}), doc, checklists,
                            generated_at=GENERATED_AT)
    first, again = r.findings[0].evidence, r.findings[3].evidence
    assert [e.rules for e in first] == [["no-sale", "no-sale-2"]] and first[0].same_as is None
    assert again[0].same_as == "FX-SALE" and again[0].same_as_anchor == r.findings[0].anchor
    assert again[0].context == []
    html = render_html(r)
    assert html.count('<blockquote class="evidence') == sum(len(f.evidence) for f in r.findings) - 1
    assert "rules no-sale, no-sale-2" in html and '<a href="#c-fixture-reports-FX-SALE">FX-SALE</a>' in html


def test_the_formula_shows_no_markdown_backticks(monkeypatch):
    monkeypatch.setattr(report_model, "FORMULA", "- one `critical` criterion not met\n- score")
    r = fixture_report("lumen-reads")
    assert r.formula_steps == ["one critical criterion not met", "score"]
    assert "`" not in render_html(r).split('id="method"')[1] and "`" not in render_markdown(r).split("## Method")[1]


# ---------------------------------------------------------------------------------------------------------------
# the workbook librarians know, and the letter of questions


def test_xlsx_is_shaped_like_the_ala_checklist_spreadsheet():
    reports = [fixture_report("lumen-reads"), fixture_report("quill-catalog")]
    wb = load_workbook(io.BytesIO(findings_xlsx(reports, GENERATED_AT)))
    assert wb.sheetnames == ["Summary", "Findings", "Questions"]
    summary = [list(r) for r in wb["Summary"].iter_rows(values_only=True)]
    assert summary[0][:5] == ["vendor", "vendor_name", "category", "tier", "score"]
    assert [r[0] for r in summary[1:]] == ["lumen-reads", "quill-catalog"] and summary[1][3] == "critical"
    findings = wb["Findings"]
    head = [c.value for c in findings[1]]
    status, priority = head.index("status"), head.index("priority")
    rows = list(findings.iter_rows(min_row=2))
    history = next(r for r in rows if r[head.index("criterion")].value == "FX-HISTORY")
    assert history[priority].value == "Priority 1" and history[status].fill.start_color.rgb.endswith("F9DCD9")
    questions = list(wb["Questions"].iter_rows(values_only=True))
    assert questions[1][:5] == ("lumen-reads", 1, "Priority 1", "not_met", "Reading history is off unless the "
                                                                           "patron turns it on")
    for sheet in wb.worksheets:
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions


def test_the_letter_of_questions_is_a_word_document_with_the_same_bytes_each_time():
    from docx import Document

    from assessor.report.letter import letter_docx

    r = fixture_report("lumen-reads")
    first = letter_docx(r)
    time.sleep(1.1)
    assert letter_docx(r) == first
    doc = Document(io.BytesIO(first))
    text = [p.text for p in doc.paragraphs]
    assert text[0] == "Privacy questions for Lumen Reads (fixture)"
    assert "1. Reading history is off unless the patron turns it on" in text
    assert any(t.startswith("Clause we ask for: Reading history shall be kept only") for t in text)
    assert any("This answers FX-HISTORY (not met). Sources: Fixture privacy guideline" in t for t in text)
    assert doc.core_properties.created == doc.core_properties.modified == GENERATED_AT
    hostile = Document(io.BytesIO(letter_docx(hostile_report())))
    assert hostile.paragraphs[0].text.startswith('Privacy questions for =cmd|"/c calc"!A1 <script>')
