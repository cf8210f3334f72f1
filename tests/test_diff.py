"""Section-aware policy diff: substantive edits found, moves recognised, boilerplate ignored."""

from __future__ import annotations

from assessor.diff import diff_documents, strip_boilerplate
from assessor.parse import parse_bytes, parse_file

from .conftest import DATA

AUDIT = DATA / "audit"


def doc(name):
    return parse_file(AUDIT / f"quillpoint-{name}.html")


def test_cosmetic_edits_raise_nothing():
    d = diff_documents(doc("2024"), doc("2024-cosmetic"))
    assert not d.changed and d.sections == []
    assert d.cosmetic_only


def test_identical_documents_are_not_cosmetic_changes():
    d = diff_documents(doc("2024"), doc("2024"))
    assert not d.changed and not d.cosmetic_only


def test_weakened_retention_is_a_changed_section_with_words():
    d = diff_documents(doc("2024"), doc("2025"))
    assert [s.heading for s in d.sections] == ["Retention"]
    change = d.sections[0]
    assert change.change == "changed"
    assert change.words_added > 0 and change.words_removed > 0
    assert any("as long as necessary" in e.new for e in change.edits)
    assert any("30 days" in e.old for e in change.edits)


def test_sale_clause_added_shows_in_sharing():
    d = diff_documents(doc("2025"), doc("2026"))
    assert [s.heading for s in d.sections] == ["Sharing"]
    edits = d.sections[0].edits
    assert any("may" in e.new for e in edits) and any("not" in e.old for e in edits)
    assert any("marketing partners" in e.new for e in edits)


def test_moved_section_is_recognised_not_added_and_removed():
    html = (AUDIT / "quillpoint-2024.html").read_text()
    security = html[html.index("<h2>Security</h2>"):html.index("<h2>Contact</h2>")]
    moved = html.replace(security, "").replace("<h2>Retention</h2>", security + "<h2>Retention</h2>")
    new = parse_bytes(moved.encode(), uri="moved.html", content_type="text/html")
    d = diff_documents(doc("2024"), new)
    kinds = {s.heading: s.change for s in d.sections}
    assert "added" not in kinds.values() and "removed" not in kinds.values()
    assert "moved" in kinds.values()
    assert d.words_added == d.words_removed == 0


def test_added_and_removed_sections():
    html = (AUDIT / "quillpoint-2024.html").read_text()
    extra = html.replace("<h2>Contact</h2>", "<h2>Advertising</h2><p>We show ads based on what you read.</p>"
                                             "<h2>Contact</h2>")
    d = diff_documents(doc("2024"), parse_bytes(extra.encode(), uri="x.html", content_type="text/html"))
    assert [(s.heading, s.change) for s in d.sections] == [("Advertising", "added")]
    d = diff_documents(parse_bytes(extra.encode(), uri="x.html", content_type="text/html"), doc("2024"))
    assert [(s.heading, s.change) for s in d.sections] == [("Advertising", "removed")]


def test_strip_boilerplate_masks_dates_and_copyright():
    assert strip_boilerplate("Last updated: March 3, 2026. Hello") == strip_boilerplate(
        "Last updated:  June 1, 2025. Hello")
    assert strip_boilerplate("Copyright 2024-2025 X") == strip_boilerplate("(c) 2026 X")


def test_renamed_section_is_recognised():
    html = (AUDIT / "quillpoint-2024.html").read_text()
    renamed = html.replace("<h2>Security</h2>", "<h2>Keeping your data safe</h2>")
    d = diff_documents(doc("2024"), parse_bytes(renamed.encode(), uri="r.html", content_type="text/html"))
    assert [(s.heading, s.old_heading, s.change) for s in d.sections] == [
        ("Keeping your data safe", "Security", "renamed")]
    assert d.words_added == d.words_removed == 0
    reworded = renamed.replace("Traffic is encrypted", "All traffic is encrypted")
    d = diff_documents(doc("2024"), parse_bytes(reworded.encode(), uri="r.html", content_type="text/html"))
    assert [s.change for s in d.sections] == ["renamed-and-changed"] and d.sections[0].words_added >= 1


def test_unrelated_new_section_is_not_a_rename():
    html = (AUDIT / "quillpoint-2024.html").read_text()
    start, end = html.index("<h2>Security</h2>"), html.index("<h2>Contact</h2>")
    replaced = html[:start] + "<h2>Advertising</h2><p>We show ads based on what you read.</p>" + html[end:]
    d = diff_documents(doc("2024"), parse_bytes(replaced.encode(), uri="x.html", content_type="text/html"))
    assert sorted((s.heading, s.change) for s in d.sections) == [("Advertising", "added"), ("Security", "removed")]


def test_a_paragraph_moved_to_another_section_and_edited_is_one_move_with_its_redline():
    html = (AUDIT / "wrenfield" / "base.html").read_text()
    help_desk = "<p>When you write to our help desk, we keep your message until your question is answered.</p>\n"
    contact = "<p>Write to privacy@wrenfield.example.org, or ask your library.</p>"
    edited = html.replace(help_desk, "").replace(contact, contact + "<p>When you write to our help desk, we keep "
                                                 "your message for 90 days after your question is answered.</p>")
    d = diff_documents(parse_file(AUDIT / "wrenfield" / "base.html"),
                       parse_bytes(edited.encode(), uri="x.html", content_type="text/html"))
    assert [(s.heading, s.change, s.edits) for s in d.sections] == [("Information we collect", "reordered", []),
                                                                      ("Contact", "changed", [])]
    move = d.sections[1].moves[0]
    assert d.sections[0].moves == [move] and (move.from_heading, move.to_heading) == ("Information we collect",
                                                                                        "Contact")
    assert [(r.op, r.text) for r in move.redline] == [
        ("equal", "When you write to our help desk, we keep your message"), ("delete", "until"),
        ("insert", "for 90 days after"), ("equal", "your question is answered.")]
    assert (d.words_added, d.words_removed) == (4, 1) == (d.sections[1].words_added, d.sections[1].words_removed)
