"""The vendor catalogue: every profile loads, the samples parse and score, the real profiles carry checked URLs."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from bs4 import BeautifulSoup

from assessor.loading import load_checklists, load_vendors, read_yaml, yaml_files
from assessor.models import DocumentKind, RiskTier, VendorCategory
from assessor.pipeline import read_document, review_vendor

from .conftest import ROOT

VENDOR_DIR = ROOT / "vendor_profiles"

VENDORS = load_vendors()
SYNTHETIC = sorted(v.id for v in VENDORS.values() if v.synthetic)
REAL = sorted(v.id for v in VENDORS.values() if not v.synthetic)
TIER_ORDER = [RiskTier.LOW, RiskTier.MODERATE, RiskTier.HIGH, RiskTier.CRITICAL]
FICTIONAL_EMAIL = re.compile(r"@([a-z0-9-]+\.)*example\.(org|com)$")


def test_every_file_is_a_profile_named_for_its_id():
    files = yaml_files(VENDOR_DIR)
    ids = [read_yaml(path)[0]["id"] for path in files]
    assert [p.stem for p in files] == ids
    assert not [i for i, n in Counter(ids).items() if n > 1]
    assert sorted(VENDORS) == sorted(ids)


def test_default_checklists_exist():
    known = set(load_checklists())
    for vendor in VENDORS.values():
        assert set(vendor.checklists) <= known, vendor.id


@pytest.mark.parametrize("vendor_id", SYNTHETIC)
def test_synthetic_vendor_is_fictional_and_complete(vendor_id):
    vendor = VENDORS[vendor_id]
    assert vendor.name.endswith("(sample)")
    assert vendor.products and vendor.sends and vendor.checklists and vendor.notes
    assert vendor.contract_start and vendor.contract_renewal and vendor.contract_start < vendor.contract_renewal
    assert vendor.contacts and all(FICTIONAL_EMAIL.search(c.email or "") for c in vendor.contacts)
    assert any(d.kind == DocumentKind.PRIVACY_POLICY for d in vendor.documents)


@pytest.mark.parametrize(("vendor_id", "index"),
                         [(v, i) for v in SYNTHETIC for i in range(len(VENDORS[v].documents))])
def test_synthetic_documents_are_local_and_parse(vendor_id, index):
    spec = VENDORS[vendor_id].documents[index]
    assert spec.url is None and spec.path and (VENDOR_DIR / spec.path).is_file()
    doc = read_document(spec).document
    assert len(doc.paragraphs) >= 8 and len(doc.sections) >= 3
    assert doc.last_updated is not None, "every sample states when it was last updated"


@pytest.mark.parametrize("vendor_id", SYNTHETIC)
def test_html_samples_are_whole_pages_whose_chrome_is_dropped(vendor_id):
    spec = VENDORS[vendor_id].documents[0]
    soup = BeautifulSoup((VENDOR_DIR / spec.path).read_text(encoding="utf-8"), "lxml")
    chrome = [soup.find("nav"), soup.find("footer"), soup.find(class_=re.compile("cookie"))]
    assert all(chrome), "a realistic page has a site nav, a footer and a cookie banner"
    text = " ".join(read_document(spec).document.text.split())
    for tag in chrome:
        assert " ".join(tag.get_text(" ").split()) not in text


def test_samples_exercise_every_parser_and_a_second_document():
    suffixes = {(VENDOR_DIR / d.path).suffix for v in SYNTHETIC for d in VENDORS[v].documents if d.path}
    assert {".html", ".md", ".txt"} <= suffixes
    kinds = {d.kind for d in VENDORS["pageturner-plus"].documents}
    assert {DocumentKind.PRIVACY_POLICY, DocumentKind.TERMS} <= kinds


def test_samples_cover_the_main_categories():
    categories = {VENDORS[v].category for v in SYNTHETIC}
    assert {VendorCategory.ECONTENT, VendorCategory.DATABASE, VendorCategory.DISCOVERY, VendorCategory.ILS} \
        <= categories


@pytest.mark.parametrize("vendor_id", REAL)
def test_real_profile_has_checked_public_urls(vendor_id):
    vendor = VENDORS[vendor_id]
    assert vendor.urls_checked is not None
    assert vendor.products and vendor.sends and vendor.notes
    assert "(sample)" not in vendor.name
    for spec in vendor.documents:
        assert spec.path is None and spec.url and spec.url.startswith(("https://", "http://"))
        assert "example." not in spec.url


@pytest.fixture(scope="module")
def reviews():
    return {v: review_vendor(v).assessment for v in SYNTHETIC}


def test_samples_span_good_and_bad_practice(reviews):
    good, bad = reviews["brightshelf"], reviews["pageturner-plus"]
    assert good.score > bad.score
    assert TIER_ORDER.index(good.tier) < TIER_ORDER.index(bad.tier)
    assert len({a.tier for a in reviews.values()}) > 1
    assert reviews["keystone-ils"].score > bad.score


def test_bad_vendor_fails_on_sale_of_data(reviews):
    sale = [f for f in reviews["pageturner-plus"].findings if f.topic.value == "sale-of-data"]
    assert sale and all(f.status.value == "not_met" for f in sale)
    assert any("sell or rent" in e.quote for f in sale for e in f.evidence)


def test_terms_document_scores_too():
    assessment = review_vendor("pageturner-plus", kind=DocumentKind.TERMS).assessment
    assert assessment.document.kind == DocumentKind.TERMS and assessment.findings


def test_a_profile_naming_an_unknown_checklist_or_a_missing_file_fails_validate_with_its_line(tmp_path):
    """`assessor validate vendor_profiles` must catch what would stop the vendor's review: a misspelt default
    checklist (named against the project's checklists) and a local document that is not there; the review itself
    names the profile, not the checklists folder."""
    from dataclasses import replace

    from assessor.loading import LoadError
    from assessor.settings import resolve_settings
    from assessor.validation import validate_paths

    profile = tmp_path / "acme.yaml"
    profile.write_text("id: acme\nname: Acme Reads\ncategory: econtent\ndocuments:\n  - kind: privacy-policy\n"
                       "    path: samples/nope.html\nchecklists: [ala-econtent, ala-econtnet]\n")
    _, problems = validate_paths([tmp_path], ROOT / "checklists")
    assert sorted(str(p) for p in problems) == [
        f"{profile}:6: documents[0].path: no such file 'samples/nope.html' (relative to the profile's folder)",
        f"{profile}:7: checklists[1]: no checklist 'ala-econtnet'; did you mean 'ala-econtent'? "
        "(`assessor checklists` lists them)"]
    settings = replace(resolve_settings(cwd=ROOT), vendors=tmp_path)
    with pytest.raises(LoadError) as refused:
        review_vendor("acme", settings=settings)
    assert str(refused.value).startswith(f"{profile}: checklists[1]: no checklist 'ala-econtnet'")
