"""A policy in another language is told apart and handed to a librarian, not scored as 28 'not addressed'.

The three foreign policies below are short synthetic texts written for this test (a fictional vendor, Lumenka)."""

from __future__ import annotations

import json

import pytest

from assessor.language import SAMPLE_CHARS, detect_language, language_warning
from assessor.loading import load_vendors
from assessor.models import Status
from assessor.parse import parse_bytes
from assessor.pipeline import choose_checklists, review_vendor
from assessor.score import score_document
from assessor.ui.portfolio import sample_vendor_ids
from assessor.ui.render import report_view, score_html

from .conftest import ROOT, run_cli

POLICIES = {
    "pl": """<html><body><h1>Polityka prywatności Lumenka</h1>
<p>Niniejsza polityka opisuje, jakie dane osobowe czytelników biblioteki zbieramy, gdy korzystają z naszej
aplikacji do wypożyczania książek, oraz w jaki sposób je chronimy.</p>
<h2>Jakie dane zbieramy</h2>
<p>Zbieramy numer karty bibliotecznej, adres e-mail oraz historię wypożyczeń. Nie sprzedajemy danych osobowych
żadnym podmiotom trzecim i nie wykorzystujemy ich do reklamy.</p>
<h2>Jak długo przechowujemy dane</h2>
<p>Historię wypożyczeń usuwamy po trzydziestu dniach od zwrotu książki, chyba że czytelnik sam zdecyduje inaczej w
ustawieniach swojego konta.</p></body></html>""",
    "es": """<html><body><h1>Política de privacidad de Lumenka</h1>
<p>Esta política explica qué datos personales de los lectores de la biblioteca recogemos cuando usan nuestra
aplicación de préstamo de libros electrónicos y cómo los protegemos.</p>
<h2>Datos que recogemos</h2>
<p>Recogemos el número de la tarjeta de la biblioteca, la dirección de correo electrónico y el historial de
préstamos. Nunca vendemos los datos personales a terceros ni los usamos para publicidad.</p>
<h2>Cuánto tiempo los guardamos</h2>
<p>Borramos el historial de préstamos treinta días después de la devolución del libro, salvo que el lector decida
otra cosa en la configuración de su cuenta.</p></body></html>""",
    "de": """<html><body><h1>Datenschutzerklärung von Lumenka</h1>
<p>Diese Erklärung beschreibt, welche personenbezogenen Daten der Leserinnen und Leser der Bibliothek wir erheben,
wenn sie unsere App zum Ausleihen von E-Books nutzen, und wie wir diese Daten schützen.</p>
<h2>Welche Daten wir erheben</h2>
<p>Wir erheben die Nummer des Bibliotheksausweises, die E-Mail-Adresse und den Ausleihverlauf. Wir verkaufen
personenbezogene Daten niemals an Dritte und nutzen sie nicht für Werbung.</p>
<h2>Wie lange wir Daten speichern</h2>
<p>Den Ausleihverlauf löschen wir dreißig Tage nach der Rückgabe des Buches, sofern die Leserin oder der Leser in
den Kontoeinstellungen nichts anderes festlegt.</p></body></html>""",
}
SAMPLES = ROOT / "vendor_profiles" / "samples"
NAMES = {"pl": "Polish", "es": "Spanish", "de": "German"}


@pytest.mark.parametrize("language", sorted(POLICIES))
def test_a_foreign_policy_is_recorded_and_every_finding_needs_review(language):
    doc = parse_bytes(POLICIES[language].encode(), uri=f"lumenka-{language}.html", content_type="text/html")
    assert doc.language == language
    vendor = load_vendors()["brightshelf"]
    assessment = score_document(doc, vendor, choose_checklists(vendor))
    assert assessment.document.language == language
    assert assessment.findings and {f.status for f in assessment.findings} == {Status.NEEDS_REVIEW}
    assert all(NAMES[language] in f.rationale for f in assessment.findings)
    assert assessment.summary.startswith(f"This document is in {NAMES[language]} ({language}), not English")
    assert f"This document is in {NAMES[language]}" in score_html(report_view(assessment)), "the apps show it"


@pytest.mark.parametrize("vendor_id", sample_vendor_ids())
def test_the_english_samples_are_english_and_scored(vendor_id):
    assessment = review_vendor(vendor_id).assessment
    assert assessment.document.language == "en"
    assert language_warning("en") is None and "not English" not in assessment.summary
    assert any(f.status != Status.NEEDS_REVIEW for f in assessment.findings)


def test_too_little_text_is_no_language():
    assert detect_language("Wir verkaufen keine Daten.") is None and language_warning(None) is None


def test_words_are_counted_up_to_the_minimum(monkeypatch):
    """Fewer than MIN_WORDS words (numbers and underscores are none) is too little text: the identifier is asked only
    from MIN_WORDS words on."""
    from assessor import language

    class Identifier:
        def classify(self, text: str) -> tuple[str, float]:
            return "en", 1.0

    monkeypatch.setattr(language, "_identifier", Identifier)
    assert detect_language(" ".join(["data"] * (language.MIN_WORDS - 1) + ["2024", "__"])) is None
    assert detect_language(" ".join(["data"] * language.MIN_WORDS)) == "en"


def test_detection_is_the_same_every_time():
    assert {detect_language(POLICIES["pl"]) for _ in range(3)} == {"pl"}


def test_the_cli_shows_the_warning(tmp_path):
    path = tmp_path / "polityka.html"
    path.write_text(POLICIES["pl"], encoding="utf-8")
    result = run_cli("score", str(path))
    assert result.returncode == 0, result.stderr
    assert "This document is in Polish (pl), not English" in result.stdout
    assert "not_addressed" not in result.stdout and "needs_review" in result.stdout
    report = run_cli("score", str(path), "--format", "html")
    assert report.returncode == 0 and "This document is in Polish (pl), not English" in report.stdout


def test_pressreader_as_shipped_gets_the_warning_not_silence(tmp_path):
    """PressReader's profile points at its Polish policy (no English address could be verified): a copy of such a
    page attached offline is reviewed with the warning and every finding left to a librarian."""
    path = tmp_path / "pressreader.html"
    path.write_text(POLICIES["pl"], encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("review", "pressreader", "--file", str(path), "--archive", str(tmp_path / "archive"),
                     "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "This document is in Polish (pl), not English" in result.stdout
    report = json.loads((out / "pressreader.json").read_text(encoding="utf-8"))
    findings = report.get("assessment", report)["findings"]
    assert findings and {f["status"] for f in findings} == {"needs_review"}
    assert "meets every criterion" not in report["headline"], "nothing was checked, so nothing is met"
    assert report["headline"].endswith(f"all {len(findings)} need a librarian's review (not scored until then).")


def test_the_identifier_answers_as_py3langid(tmp_path) -> None:
    """The identifier, on the model unpacked into the cache (mapped) or into memory (no cache), gives py3langid's
    language, and its confidence to within single precision (py3langid sums in single precision, we in double); the
    copy earlier versions kept in the cache is removed."""
    from py3langid.langid import MODEL_DIR, LanguageIdentifier
    from py3langid.langid import MODEL_FILE as SHIPPED_FILE

    from assessor.language import MODEL_FILE, Identifier, _from_unpacked, _unpack, _unpacked

    assert MODEL_FILE == SHIPPED_FILE
    shipped = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    packed = (MODEL_DIR / MODEL_FILE).read_bytes()
    (tmp_path / "py3langid-1.0.0-0123abcd.npz").write_bytes(b"a copy earlier versions kept")  # removed on unpacking
    path = _unpacked(packed, tmp_path)
    assert _unpacked(packed, tmp_path) == path and [p.name for p in tmp_path.iterdir()] == [path.name]
    texts = [*POLICIES.values(), "We never sell the reading history of library patrons.", "Bonjour à tous", "x",
             "WE NEVER SELL YOUR DATA", "Wir verkaufen Ihre Daten niemals an Dritte.", "我们从不出售您的数据。", "",
             *(p.read_text(encoding="utf-8")[:SAMPLE_CHARS] for p in sorted(SAMPLES.iterdir()))]
    for identifier in (_from_unpacked(path), Identifier(_unpack(packed))):
        for text in texts:
            (language, confidence), (expected, expected_confidence) = identifier.classify(text), shipped.classify(text)
            assert language == expected and confidence == pytest.approx(expected_confidence, abs=1e-5), text[:40]


def test_rows_kept_between_texts_change_no_answer(monkeypatch) -> None:
    """The feature rows an identifier keeps between texts (and forgets past `_MEMO_ROWS`) change no language or
    confidence, to the last digit."""
    from assessor import language

    texts = [*POLICIES.values(), *(p.read_text(encoding="utf-8")[:SAMPLE_CHARS] for p in sorted(SAMPLES.iterdir()))]
    identifier = language._identifier()
    kept = [identifier.classify(text) for text in [*texts, *texts]]
    monkeypatch.setattr(language, "_MEMO_ROWS", 0)  # forgotten before every text
    assert [identifier.classify(text) for text in [*texts, *texts]] == kept
    assert kept[:len(texts)] == kept[len(texts):]


def test_the_cache_folder_can_be_moved_or_turned_off(tmp_path) -> None:
    from assessor.settings import cache_dir

    assert cache_dir({"ASSESSOR_CACHE": "off"}) is None
    assert cache_dir({"ASSESSOR_CACHE": str(tmp_path)}) == tmp_path
    assert cache_dir({}) is not None
