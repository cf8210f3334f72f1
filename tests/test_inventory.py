"""The data inventory: what a policy says it collects and shares, with whom, and how it tracks; each with evidence."""

from __future__ import annotations

import hashlib

import pytest
import yaml

from assessor.inventory import inventory, lexicon
from assessor.models import InventoryItem, PolicyDocument, Provenance
from assessor.parse import Block, build_document
from assessor.parse.document import BlockKind

from .conftest import ROOT


def document(*blocks: tuple[BlockKind, str] | str) -> PolicyDocument:
    parts = [Block(*b) if isinstance(b, tuple) else Block("p", b) for b in blocks]
    text = "\n".join(b.text for b in parts)
    return build_document(parts, Provenance(uri="test:", content_type="text/plain",
                                            sha256=hashlib.sha256(text.encode()).hexdigest()))


def items(*blocks: tuple[BlockKind, str] | str) -> dict[str, InventoryItem]:
    doc = document(*blocks)
    out = {i.item: i for i in inventory(doc)}
    for item in out.values():  # every entry carries located evidence
        assert item.evidence and all(doc.text[e.start:e.end] == e.quote for e in item.evidence)
    return out


def test_collected_and_shared_with_named_recipients():
    inv = items("When you register we collect your name, email address and library card number.",
                "We share your reading history with publishers and with our advertising partners.")
    assert inv["name-contact"].collected and not inv["name-contact"].shared
    assert inv["library-card"].collected
    reading = inv["reading-history"]
    assert reading.shared and not reading.collected
    assert reading.recipients == ["Publishers and content providers", "Advertisers and ad networks"]
    assert inv["publishers"].shared and inv["advertisers"].shared
    assert reading.evidence[0].rule == "inventory:reading-history" and "shared with" in reading.evidence[0].note


def test_denials_are_listed_as_neither_with_the_denial_as_evidence():
    inv = items("We do not collect your location, but we do collect your IP address.",
                "We never share your search queries with anyone.")
    assert not inv["location"].collected and inv["location"].evidence[0].note == "denied"
    assert inv["ip-device"].collected
    assert not inv["search-queries"].shared and not inv["search-queries"].collected


def test_a_carve_out_says_where_the_data_goes():
    inv = items("We do not share your borrowing history except with your library.")
    item = inv["reading-history"]
    assert item.shared and item.recipients == ["The library"]


def test_list_items_take_the_verb_of_their_lead_in():
    inv = items("We collect the following information:", ("li", "Your date of birth."),
                ("li", "The titles you borrow."), "Thank you for reading.")
    assert inv["demographics"].collected and inv["reading-history"].collected


def test_named_services_and_tracking_technologies():
    inv = items("We use Google Analytics and session cookies to measure use of the site.",
                "Our pages carry web beacons and a Facebook like button.",
                "We do not use persistent cookies.")
    assert inv["google-analytics"].shared and inv["facebook"].shared
    assert inv["session-cookies"].collected and inv["web-beacons"].collected
    assert inv["social-plugins"].collected
    assert not inv["persistent-cookies"].collected and inv["persistent-cookies"].evidence[0].note == "denied"
    assert "cookies" not in inv  # 'session cookies' is not also counted as unspecified cookies


def test_a_generic_recipient_counts_only_where_data_goes_to_it():
    inv = items("Our advertisers have no access to patron records.", "We thank our publishers.",
                "Neither the company nor its affiliates are liable for lost data.",
                "We do not transfer your loans to data brokers.")
    assert "publishers" not in inv and "affiliates" not in inv  # a disclaimer is not a denial of sharing
    assert not inv["data-brokers"].shared and inv["data-brokers"].evidence[0].note == "denied"
    assert not inv.get("advertisers", InventoryItem(item="x", label="x", group="recipient")).shared


def test_order_follows_the_lexicon_and_is_stable():
    doc = document("We use cookies. We collect your email address and share it with our affiliates.")
    first = inventory(doc)
    assert [i.group for i in first] == ["data", "recipient", "tracking"]
    assert [i.model_dump() for i in first] == [i.model_dump() for i in inventory(doc)]


def test_silence_gives_an_empty_inventory():
    assert inventory(document("This page explains our mission.")) == []


@pytest.mark.parametrize("key", ["data", "recipients", "tracking"])
def test_lexicon_file_is_well_formed(key):
    raw = yaml.safe_load((ROOT / "assessor" / "data" / "inventory.yaml").read_text(encoding="utf-8"))
    ids = [e["id"] for k in ("data", "recipients", "tracking") for e in raw[k]]
    assert len(ids) == len(set(ids))
    for entry in raw[key]:
        assert set(entry) <= {"id", "label", "kind", "patterns"} and entry["patterns"], entry
        assert isinstance(entry["label"], str) and entry["label"].strip()
    assert len(lexicon().entries) == len(ids)


def test_required_kinds_of_data_are_covered():
    data = {e.id for e in lexicon().entries if e.group == "data"}
    assert data == {"name-contact", "library-card", "credentials", "ip-device", "location", "reading-history",
                    "search-queries", "payment", "demographics", "minors"}


# ---------------------------------------------------------------------------------------------------------------
# recipients: who is told, asked or the source of data is not a recipient (issue 15)


def test_a_library_given_no_notice_is_not_a_recipient():
    inv = items("We may disclose any information about you, including your reading history, to law enforcement "
                "agencies upon request, without notice to you or to your library.")
    assert "library" not in inv
    assert inv["reading-history"].recipients == ["Law enforcement and government"]


def test_a_sale_to_partners_is_not_shared_with_law_enforcement_or_the_library():
    inv = items("We may sell or rent personal information, including audience segments derived from your reading "
                "history, to selected partners.",
                "We may disclose your reading history to law enforcement upon request, without notice to your "
                "library.")
    reading = inv["reading-history"]
    assert reading.recipients == ["Business partners", "Law enforcement and government"]
    assert "library" not in inv and inv["business-partners"].shared
    notes = [(e.quote.split()[2], e.note) for e in reading.evidence]
    assert notes == [("sell", "shared with Business partners"),
                     ("disclose", "shared with Law enforcement and government")]


@pytest.mark.parametrize("text", [
    "We disclose patron data only under a court order, and we notify the library before disclosing.",
    "We will inform your library and share nothing with it.",
    "We receive your library card number from your library when you sign in.",
    "We share your email address with publishers with the permission of your library.",
])
def test_a_library_told_asked_or_sending_is_not_a_recipient(text):
    inv = items(text)
    assert not inv.get("library", InventoryItem(item="x", label="x", group="recipient")).shared
    assert all("The library" not in i.recipients for i in inv.values())


def test_a_library_the_data_goes_to_is_still_a_recipient():
    inv = items("We share loan records with your library on its instructions.",
                "We pass usage reports to the library, and we tell you about it.")
    assert inv["library"].shared and inv["reading-history"].recipients == ["The library"]
