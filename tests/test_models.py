"""The models: frozen, typed, JSON round trip, exported schemas kept current."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from assessor.models import Assessment, DocumentSpec, Topic
from assessor.pipeline import review_vendor
from assessor.schemas import SCHEMAS, schema_text

from .conftest import ROOT


def test_assessment_round_trips_through_json():
    assessment = review_vendor("brightshelf").assessment
    again = Assessment.model_validate_json(assessment.model_dump_json())
    assert again == assessment


def test_models_are_frozen():
    spec = DocumentSpec(kind="privacy-policy", url="https://example.org/privacy")
    with pytest.raises(ValidationError):
        spec.url = "https://example.org/other"


@pytest.mark.parametrize("bad", [{"kind": "privacy-policy"},
                                 {"kind": "privacy-policy", "url": "https://a.example", "path": "x.html"},
                                 {"kind": "privacy-policy", "url": "file:///etc/passwd"},
                                 {"kind": "poem", "url": "https://a.example"}])
def test_document_spec_rejects(bad):
    with pytest.raises(ValidationError):
        DocumentSpec(**bad)


def test_topic_vocabulary_is_exact():
    assert {t.value for t in Topic} == {
        "first-party-collection", "third-party-sharing", "user-choice", "user-access", "data-retention",
        "data-security", "policy-change", "do-not-track", "specific-audiences", "law-enforcement", "sale-of-data",
        "advertising", "cookies-tracking", "breach-notification", "de-identification", "data-ownership",
        "reading-history"}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_exported_schemas_are_current(name):
    path = ROOT / "schemas" / f"{name}.schema.json"
    assert path.read_text(encoding="utf-8") == schema_text(SCHEMAS[name]), "run `make schemas`"
