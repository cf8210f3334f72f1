"""The audit and the CI gate over synthetic policy histories (tests/data/audit/wrenfield, written for this project):
a rewrite adding analytics and advertising cookies, parental consent weakened to "may", notice of changes dropped, a
tracker added, a terms-only change, a date-only change and a moved section, each scored with a frozen fixture
checklist so that these tests do not move when the shipped checklists change."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys

import pytest

from assessor.archive import Archive
from assessor.audit import Acceptance, FailOn, gate_reasons, run_audit
from assessor.diff import diff_documents
from assessor.loading import load_checklists
from assessor.models import DocumentSpec, Status, VendorProfile
from assessor.parse import parse_file
from assessor.settings import Settings
from assessor.report.audit_view import write_audit

from .conftest import DATA

HISTORY = DATA / "audit" / "wrenfield"
CHECKLISTS = list(load_checklists(HISTORY / "checklists").values())
VENDOR = VendorProfile(id="wrenfield", name="Wrenfield Reading Rooms (sample)", category="econtent",
                       documents=[DocumentSpec(kind="privacy-policy", path="wrenfield.html")])
MET, NOT_MET = Status.MET, Status.NOT_MET


def audit(tmp_path, after: str, before: str = "base"):
    """Audit `before` in 2025 (accepted), then check `after` in 2026 against it; the 2026 VendorAudit."""
    def run(name: str, year: int, accept: Acceptance | None):
        shutil.copy(HISTORY / f"{name}.html", tmp_path / "wrenfield.html")
        settings = Settings(checklists=HISTORY / "checklists", vendors=tmp_path, reviews=tmp_path / "reviews",
                            archive=archive.root)
        return run_audit([VENDOR], lambda v: CHECKLISTS, archive=archive, settings=settings,
                         now=dt.datetime(year, 5, 1, tzinfo=dt.UTC), accept=accept)

    with Archive(tmp_path / "archive") as archive:
        first = run(before, 2025, Acceptance(by="J. Librarian", note="annual audit")).vendors[0]
        assert first.accepted and first.tier_after.value == "low" and first.unreachable is None
        result = run(after, 2026, None)
        write_audit(result, tmp_path / "out")
        return result.vendors[0], archive.versions("wrenfield")


def status_changes(a):
    return [(c.criterion, c.before, c.after, c.direction) for c in a.changes]


def sections(a):
    return [(s.heading, s.change) for s in a.diff.sections]


def test_date_only_change_is_nothing(tmp_path):
    a, versions = audit(tmp_path, "date-only")
    assert not a.text_changed and a.diff.cosmetic_only and a.changes == [] and a.date_flags == []
    assert len(versions) == 1 and a.versions == []  # "effective as of March 2026" made no new archive version
    assert gate_reasons([a], [FailOn.ANY_CHANGE]) == []


def test_consent_weakened_to_may(tmp_path):
    a, versions = audit(tmp_path, "consent-weakened")
    assert sections(a) == [("Children", "changed")]
    [edit] = a.diff.sections[0].edits
    assert (edit.op, edit.old, edit.new) == ("added", "", "may")
    assert status_changes(a) == [("HX-CONSENT", MET, NOT_MET, "worse")]
    assert [v.version_id for v in a.versions] == [versions[1].id]
    assert gate_reasons([a]) == ["wrenfield: risk tier rose from low to high; newly not met: HX-CONSENT"]
    md = (tmp_path / "out" / "audit.md").read_text()
    assert "Readers under 13 sign in through their library. We **may** require parental consent" in md


def test_notice_of_changes_dropped(tmp_path):
    a, _ = audit(tmp_path, "notice-dropped")
    assert sections(a) == [("Changes to this policy", "changed")]
    assert [(e.op, e.new) for e in a.diff.sections[0].edits] == [("replaced", "may revise"),
                                                                  ("replaced", "without notice to users.")]
    assert status_changes(a) == [("HX-NOTICE", MET, NOT_MET, "worse")]
    assert gate_reasons([a]) == ["wrenfield: newly not met: HX-NOTICE"]  # the tier stays low
    redline = a.diff.sections[0].redline
    assert "".join(s.text + " " * s.space for s in redline if s.op != "delete") == (
        "We may revise this policy without notice to users.")
    assert "".join(s.text + " " * s.space for s in redline if s.op != "insert").startswith(
        "We will notify your library and post a notice")


def test_tracker_added(tmp_path):
    a, _ = audit(tmp_path, "tracker-added")
    assert sections(a) == [("Cookies", "changed")]
    [edit] = a.diff.sections[0].edits
    assert edit.op == "added" and "Tallyglass Analytics, a third-party analytics service." in edit.new
    assert status_changes(a) == [("HX-TRACKING", MET, NOT_MET, "worse")]
    assert "Tallyglass" in a.changes[0].evidence_after[0].quote
    assert gate_reasons([a]) == ["wrenfield: risk tier rose from low to high; newly not met: HX-TRACKING"]


def test_rewrite_shows_every_new_section_with_its_text(tmp_path):
    a, _ = audit(tmp_path, "rewrite")
    added = [s.heading for s in a.diff.sections if s.change == "added"]
    removed = [s.heading for s in a.diff.sections if s.change == "removed"]
    assert added == ["Wrenfield Privacy Notice", "Who we are", "What we collect", "Cookies and similar technologies",
                     "How we use information", "Sharing", "How long we keep data", "Your choices", "Updates",
                     "Contact us"]
    assert removed == ["Wrenfield Reading Rooms Privacy Policy", "Information we collect", "Children", "Cookies",
                       "Advertising", "Keeping information", "Security", "Changes to this policy", "Contact"]
    cookies = next(s for s in a.diff.sections if s.heading == "Cookies and similar technologies")
    assert "our advertising partners place advertising cookies" in cookies.paragraphs[0]
    assert sum(s.words_added for s in a.diff.sections if s.change == "added") == a.diff.words_added
    assert status_changes(a) == [("HX-CONSENT", MET, Status.NOT_ADDRESSED, "worse"),
                                 ("HX-NOTICE", MET, Status.NEEDS_REVIEW, "worse"),
                                 ("HX-TRACKING", MET, NOT_MET, "worse"), ("HX-ADS", MET, NOT_MET, "worse"),
                                 ("HX-RETENTION", MET, NOT_MET, "worse")]
    assert gate_reasons([a]) == ["wrenfield: risk tier rose from low to critical; newly not met: HX-TRACKING, "
                                 "HX-ADS, HX-RETENTION"]
    html = (tmp_path / "out" / "audit.html").read_text()
    assert "<details" in html and "the U.S.-EU Data Privacy Framework applies" in html
    assert "https://www.wrenfield.example.org/choices" in html
    md = (tmp_path / "out" / "audit.md").read_text()
    assert "> We use cookies to keep you signed in and to remember your settings." in md


def test_moved_section_and_paragraph_are_moves(tmp_path):
    a, versions = audit(tmp_path, "moved")
    assert sections(a) == [("Security", "moved"), ("Information we collect", "reordered")]
    assert a.diff.words_added == a.diff.words_removed == 0 and a.changes == []
    [move] = a.diff.sections[1].moves
    assert move.text.startswith("When you write to our help desk") and move.from_heading == move.to_heading
    assert len(versions) == 2 and gate_reasons([a]) == []
    assert "Moved within this section, unchanged" in (tmp_path / "out" / "audit.html").read_text()


def test_redline_keeps_the_text_as_written(tmp_path):
    html = (HISTORY / "rewrite.html").read_text().replace("U.S.-EU Data Privacy Framework", "EU-U.S. Data Privacy "
                                                          "Framework, or its successor,")
    (tmp_path / "edited.html").write_text(html)
    d = diff_documents(parse_file(HISTORY / "rewrite.html"), parse_file(tmp_path / "edited.html"))
    [section] = d.sections
    now = "".join(s.text + " " * s.space for s in section.redline if s.op != "delete")
    then = "".join(s.text + " " * s.space for s in section.redline if s.op != "insert")
    assert "the EU-U.S. Data Privacy Framework, or its successor, applies" in now
    assert "the U.S.-EU Data Privacy Framework applies" in then
    assert [(e.old, e.new) for e in section.edits] == [("U.S.-EU", "EU-U.S."),
                                                       ("Framework", "Framework, or its successor,")]


# -- the gate as a user runs it: audit, the policies change, check, check again, accept, check ------------------

PATTERNS = ("rewrite", "consent-weakened", "notice-dropped", "tracker-added", "date-only", "moved")


@pytest.fixture
def user(tmp_path):
    """A project folder with the frozen checklist and one vendor per pattern (all starting from the base policy, one
    also with terms), and a runner for `python -m assessor ...` in it."""
    project = tmp_path / "library"
    vendors = project / "vendor_profiles"
    (vendors / "docs").mkdir(parents=True)
    shutil.copytree(HISTORY / "checklists", project / "checklists")
    for name in (*PATTERNS, "terms-only"):
        docs = f"    - kind: privacy-policy\n      path: docs/{name}.html\n"
        if name == "terms-only":
            docs += "    - kind: terms\n      path: docs/terms-only-terms.html\n"
            shutil.copy(HISTORY / "terms-v1.html", vendors / "docs" / "terms-only-terms.html")
        (vendors / f"w-{name}.yaml").write_text(
            f"id: w-{name}\nname: Wrenfield {name} (sample)\ncategory: econtent\nsynthetic: true\n"
            f"checklists: [history-fixture]\ndocuments:\n{docs}")
        shutil.copy(HISTORY / "base.html", vendors / "docs" / f"{name}.html")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSESSOR_")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "assessor", "--project", str(project), *args],
                              capture_output=True, text=True, env=env, timeout=300)

    run.vendors = vendors
    return run


def test_the_gate_fails_until_a_person_accepts(user):
    first = user("audit", "--by", "J. Librarian", "--as-of", "2025-05-01", "--out", str(user.vendors / "a1"))
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("accepted") == 7
    assert user("check", "--as-of", "2025-05-02").returncode == 0
    for name in PATTERNS:
        shutil.copy(HISTORY / f"{name}.html", user.vendors / "docs" / f"{name}.html")
    shutil.copy(HISTORY / "terms-v2.html", user.vendors / "docs" / "terms-only-terms.html")
    fetched = user("fetch", "w-terms-only")
    assert fetched.returncode == 0 and "terms" in fetched.stdout and "new-version" in fetched.stdout
    expected = ["w-consent-weakened: risk tier rose from low to high; newly not met: HX-CONSENT",
                "w-notice-dropped: newly not met: HX-NOTICE",
                "w-rewrite: risk tier rose from low to critical; newly not met: HX-TRACKING, HX-ADS, HX-RETENTION",
                "w-tracker-added: risk tier rose from low to high; newly not met: HX-TRACKING"]
    check = user("check", "--as-of", "2026-05-01")
    assert check.returncode == 3, check.stderr
    assert check.stdout.splitlines() == expected and "assessor accept" in check.stderr
    again = user("check", "--as-of", "2026-05-02")  # a CI retry: same answer, the gate has not forgotten
    assert (again.returncode, again.stdout.splitlines()) == (3, expected)
    accepted = user("accept", "w-consent-weakened", "w-notice-dropped", "--note", "raised with the vendor",
                    "--by", "P. Officer", "--as-of", "2026-05-03")
    assert accepted.returncode == 0, accepted.stderr
    assert "w-notice-dropped: accepted assessment" in accepted.stdout
    assert "by P. Officer on 2026-05-03" in accepted.stdout
    still = user("check", "--as-of", "2026-05-04")
    assert (still.returncode, still.stdout.splitlines()) == (3, expected[2:])
    user("accept", "w-rewrite", "w-tracker-added", "--note", "reviewed", "--by", "P. Officer", "--as-of",
         "2026-05-05")
    ok = user("check", "--as-of", "2026-05-06", "--out", str(user.vendors / "a2"))
    assert (ok.returncode, ok.stdout) == (0, "") and "nothing got worse" in ok.stderr
    html = (user.vendors / "a2" / "audit.html").read_text()
    assert "accepted by P. Officer" in html and "raised with the vendor" in html
    # the strictest gate also sees a text that changed without changing a finding, until it too is accepted
    strict = user("check", "--fail-on", "any-change", "--as-of", "2026-05-07")
    assert (strict.returncode, strict.stdout) == (3, "w-moved: policy changed (2 section(s), 0 finding(s))\n")


def test_unreadable_and_unaccepted_vendors_fail_by_default(user):
    never = user("check", "w-moved", "--as-of", "2025-05-01")
    assert never.returncode == 3
    assert never.stdout == "w-moved: no accepted assessment to compare with yet\n"
    assert user("audit", "w-moved", "w-date-only", "--as-of", "2025-05-02").returncode == 0
    (user.vendors / "docs" / "moved.html").unlink()
    (user.vendors / "docs" / "date-only.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    gate = user("check", "w-moved", "w-date-only", "--as-of", "2025-05-03")
    assert gate.returncode == 3, gate.stderr
    lines = gate.stdout.splitlines()
    assert [line.split(" (")[0] for line in lines] == ["w-moved: could not be read", "w-date-only: could not be read"]
    assert "docs/moved.html" in lines[0] and "binary" in lines[1]
    # only when asked does the gate look past them
    assert user("check", "w-moved", "--fail-on", "new-not-met", "--as-of", "2025-05-04").returncode == 0


# -- the assessment and document caches: a hit is what scoring again would give ---------------------------------


def test_cached_assessment_equals_a_fresh_one_and_misses_when_an_input_changes(archive):
    from assessor.audit import assess_cached, assessment_key
    from assessor.models import DocumentKind, Override, VendorCategory
    from assessor.pipeline import assess
    from assessor.reviews import ReviewsFile

    kind, none = DocumentKind.PRIVACY_POLICY, ReviewsFile(vendor="wrenfield")
    doc = parse_file(HISTORY / "consent-weakened.html")
    first = assess_cached(archive, doc, VENDOR, CHECKLISTS, kind, none)
    moved = doc.model_copy(update={"provenance": doc.provenance.model_copy(update={"uri": "elsewhere.html"})})
    hit = assess_cached(archive, moved, VENDOR, CHECKLISTS, kind, none)
    assert hit == assess(moved, VENDOR, CHECKLISTS, kind, none) and hit.document.provenance.uri == "elsewhere.html"
    assert first.model_dump(exclude={"document"}) == hit.model_dump(exclude={"document"})
    decided = ReviewsFile(vendor="wrenfield", overrides=[Override(
        criterion="HX-CONSENT", status=MET, note="consent confirmed in the contract", reviewer="J. Librarian",
        date=dt.date(2026, 1, 5))])
    keys = {assessment_key(doc, VENDOR, CHECKLISTS, kind, none), assessment_key(doc, VENDOR, CHECKLISTS, kind, decided),
            assessment_key(parse_file(HISTORY / "base.html"), VENDOR, CHECKLISTS, kind, none),
            assessment_key(doc, VENDOR.model_copy(update={"category": VendorCategory.DATABASE}), CHECKLISTS, kind,
                           none)}
    assert len(keys) == 4
    overridden = assess_cached(archive, doc, VENDOR, CHECKLISTS, kind, decided)
    assert next(f for f in overridden.findings if f.criterion == "HX-CONSENT").status == MET


def test_stale_override_is_shown_with_its_note_and_the_evidence_then_and_now(tmp_path):
    from assessor.models import Override
    from assessor.pipeline import assess
    from assessor.reviews import ReviewsFile, save_override
    from assessor.score import evidence_sha256

    base = assess(parse_file(HISTORY / "base.html"), VENDOR, CHECKLISTS, reviews=ReviewsFile(vendor="wrenfield"))
    consent = next(f for f in base.findings if f.criterion == "HX-CONSENT")
    save_override(Override(criterion="HX-CONSENT", status=MET, note="the contract requires consent too",
                           reviewer="J. Librarian", date=dt.date(2025, 4, 1),
                           evidence_sha256=evidence_sha256(consent.evidence)), "wrenfield", tmp_path / "reviews")
    a, _ = audit(tmp_path, "consent-weakened")
    [stale] = a.stale_overrides
    assert (stale.criterion, stale.status, stale.automatic_status, stale.note, stale.reviewer) == (
        "HX-CONSENT", MET, NOT_MET, "the contract requires consent too", "J. Librarian")
    assert "We require parental consent" in stale.evidence_then[0].quote
    assert "We may require parental consent" in stale.evidence_now[0].quote
    assert a.changes == [] and gate_reasons([a]) == []  # the override holds the status; the report flags it
    html = (tmp_path / "out" / "audit.html").read_text()
    assert "Overrides to review again" in html and "the contract requires consent too" in html
    md = (tmp_path / "out" / "audit.md").read_text()
    assert 'evidence then: "We require parental consent' in md and 'evidence now: "We may require' in md


def test_saved_copies_and_as_of_give_the_right_versions_since_the_baseline(tmp_path):
    url = "https://wrenfield.example.org/privacy"
    online = VENDOR.model_copy(update={"documents": [DocumentSpec(kind="privacy-policy", url=url)]})
    settings = Settings(checklists=HISTORY / "checklists", vendors=tmp_path, reviews=tmp_path / "reviews",
                        archive=tmp_path / "archive")

    def at(year: int, month: int = 6):
        return dt.datetime(year, month, 1, tzinfo=dt.UTC)

    def audit_at(when: dt.datetime, accept: bool = False):
        return run_audit([online], lambda v: CHECKLISTS, archive=archive, now=when, settings=settings,
                         accept=Acceptance(by="J. Librarian", note="annual audit") if accept else None).vendors[0]

    def fetched(name: str, when: dt.datetime):
        body = (HISTORY / f"{name}.html").read_bytes()
        archive.record(vendor="wrenfield", kind="privacy-policy", source=url, body=body, content_type="text/html",
                       fetched_at=when, document=parse_file(HISTORY / f"{name}.html"))

    with Archive(tmp_path / "archive") as archive:
        fetched("base", at(2024, 3))
        audit_at(at(2024), accept=True)
        fetched("rewrite", at(2026, 3))
        # a PDF the vendor mailed shows the consent change was published in 2025, between our two reads
        (tmp_path / "mailed.html").write_bytes((HISTORY / "consent-weakened.html").read_bytes())
        from assessor.archive import add_saved_file

        add_saved_file(archive, "wrenfield", online.documents[0], tmp_path / "mailed.html", saved_at=at(2025, 2),
                       origin="mailed by the vendor")
        as_of_2025 = audit_at(at(2025))
        assert [(v.observed_at, v.origin) for v in as_of_2025.versions] == [(at(2025, 2), "mailed by the vendor")]
        assert status_changes(as_of_2025) == [("HX-CONSENT", MET, NOT_MET, "worse")]
        now = audit_at(at(2026))
        assert [(v.observed_at, v.origin) for v in now.versions] == [(at(2025, 2), "mailed by the vendor"),
                                                                      (at(2026, 3), None)]
        assert now.tier_after.value == "critical"


def test_both_baseline_scores_are_given_and_explained(tmp_path):
    from assessor.models import Override
    from assessor.reviews import save_override

    a, _ = audit(tmp_path, "consent-weakened")
    assert (a.baseline.score_stored, a.score_before, a.baseline.rules_changed) == (100, 100, False)
    assert a.baseline.acceptance.accepted_by == "J. Librarian" and a.baseline.acceptance.note == "annual audit"
    # a decision recorded after the baseline was accepted: the baseline text is scored again with it
    save_override(Override(criterion="HX-RETENTION", status=NOT_MET, note="deletion is not done in practice",
                           reviewer="J. Librarian", date=dt.date(2026, 2, 1)), "wrenfield", tmp_path / "reviews")
    settings = Settings(checklists=HISTORY / "checklists", vendors=tmp_path, reviews=tmp_path / "reviews",
                        archive=tmp_path / "archive")
    with Archive(tmp_path / "archive") as archive:
        run = run_audit([VENDOR], lambda v: CHECKLISTS, archive=archive, settings=settings,
                        now=dt.datetime(2027, 5, 1, tzinfo=dt.UTC))
    write_audit(run, tmp_path / "again")
    b = run.vendors[0]
    assert b.baseline.score_stored == 100 and b.score_before < 100 and b.baseline.rules_changed
    html = (tmp_path / "again" / "audit.html").read_text()
    assert "as stored at the time" in html and "The checklists or overrides changed since the baseline" in html
