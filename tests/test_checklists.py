"""The shipped checklists: cited, exemplified, and combinable into a library's review (their self-tests run in
`test_checklist_selftests.py`; loading them here checks the schema and every `includes`)."""

from __future__ import annotations

import re

import pytest

from assessor.loading import load_checklists, resolve_checklists
from assessor.models import Status, VendorCategory, VendorProfile
from assessor.parse import parse_file
from assessor.score import applies, score_document

from .conftest import ROOT

VENDOR_DIR = ROOT / "vendor_profiles"

CHECKLISTS = load_checklists()
CRITERIA = [(c.checklist.id, crit) for c in CHECKLISTS.values() for crit in c.checklist.criteria]
ID_PREFIX = {"framework": r"^(ALA|NISO)-", "law": r"^(CA|CT)-", "library": r"^LIB-"}


def test_the_frameworks_laws_and_libraries_of_the_issue_are_all_there() -> None:
    assert {"ala-vendors", "ala-econtent", "ala-lms", "ala-opac", "niso-privacy", "us-ca", "us-ct", "lib-cerritos",
            "lib-santa-monica", "lib-palm-desert", "lib-derby"} <= set(CHECKLISTS)
    assert len([c for _, c in CRITERIA if _ == "niso-privacy"]) == 12


def test_criterion_ids_are_unique_across_checklists_and_follow_the_naming() -> None:
    ids = [c.id for _, c in CRITERIA]
    assert len(ids) == len(set(ids))
    for cid, crit in CRITERIA:
        assert re.match(ID_PREFIX[CHECKLISTS[cid].checklist.kind], crit.id), crit.id


@pytest.mark.parametrize(("checklist", "criterion"), CRITERIA, ids=[c.id for _, c in CRITERIA])
def test_each_criterion_is_cited_and_exemplified(checklist: str, criterion) -> None:
    assert all(c.url and re.match(r"^https?://", c.url) for c in criterion.citations)
    assert criterion.remediation.question.strip() and criterion.remediation.clause.strip()
    assert criterion.negative, "needs a clause the rules must not fire on"
    statuses = {Status(e.status) for e in criterion.positive}
    if criterion.manual:
        assert Status.NEEDS_REVIEW in statuses, "a manual criterion shows that silence comes out needs_review"
    else:
        assert Status.MET in statuses
    if any(r.outcome == "not_met" for r in criterion.rules):
        assert Status.NOT_MET in statuses, "a criterion that can be failed shows a failing clause"


def test_overlays_include_their_state_law() -> None:
    laws = {c.checklist.jurisdiction: cid for cid, c in CHECKLISTS.items() if c.checklist.kind == "law"}
    assert set(laws) == {"US-CA", "US-CT"}
    for loaded in CHECKLISTS.values():
        checklist = loaded.checklist
        if checklist.kind == "library":
            assert checklist.includes == [laws[checklist.jurisdiction]]


def _vendor(category: VendorCategory) -> VendorProfile:
    return VendorProfile(id="t", name="t", category=category, documents=[{"kind": "privacy-policy", "path": "x"}])


def test_a_california_library_picking_ala_econtent_gets_every_applicable_criterion() -> None:
    chosen = resolve_checklists(["ala-econtent", "lib-cerritos"], CHECKLISTS)
    assert [c.checklist.id for c in chosen] == ["ala-vendors", "ala-econtent", "us-ca", "lib-cerritos"]
    doc = parse_file(VENDOR_DIR / "samples" / "brightshelf.html")
    assessment = score_document(doc, _vendor(VendorCategory.ECONTENT), chosen)
    expected = {c.id for lc in chosen for c in lc.checklist.criteria
                if applies(c, VendorCategory.ECONTENT, assessment.document.kind)}
    assert {f.criterion for f in assessment.findings} == expected
    assert {"ALA-EC-01", "CA-RPA-01", "LIB-CER-05"} <= expected
    assert "LIB-CER-06" not in expected  # catalogue-only promise, not for an e-content vendor


def test_the_checklists_tell_a_good_vendor_from_a_bad_one() -> None:
    chosen = resolve_checklists(["ala-econtent", "niso-privacy", "lib-santa-monica"], CHECKLISTS)
    scores = {}
    for name in ("brightshelf.html", "pageturner-privacy.html"):
        doc = parse_file(VENDOR_DIR / "samples" / name)
        scores[name] = score_document(doc, _vendor(VendorCategory.ECONTENT), chosen)
    good, bad = scores["brightshelf.html"], scores["pageturner-privacy.html"]
    assert good.score > 70 > 30 > bad.score
    assert bad.tier.value == "critical"
    failed = {f.criterion for f in bad.findings if f.status == Status.NOT_MET}
    assert {"ALA-US-01", "ALA-US-02", "ALA-EC-01", "CA-RPA-01", "LIB-SM-01", "NISO-08"} <= failed
    assert not {f.criterion for f in good.findings if f.status == Status.NOT_MET}
