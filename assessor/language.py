"""The language a document is written in, and what it means for its findings: the rules read English, so a policy in
another language is not scored as silence but handed to a librarian (every finding needs_review, with a note).

The identifier is py3langid (a maintained fork of langid.py): its model ships inside the package, so it works offline
and gives the same answer for the same text every time.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Sequence
from functools import cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from .models import Finding, Status
from .settings import cache_dir, write_cached

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

ENGLISH = "en"
MIN_WORDS = 20  # fewer words than this: too little text to tell
MIN_CONFIDENCE = 0.9  # below this the identifier is unsure, and the document is not flagged
# The identifier reads the first SAMPLE_CHARS characters (some 800 words, plenty to tell a language; walking their
# bytes is most of its time): every policy we have (the 100 English ones of benchmarks/language_id.py and the
# synthetic foreign ones of tests/test_language.py) is told the same from 5,000 characters as from 20,000.
SAMPLE_CHARS = 5_000
_WORD = re.compile(r"[^\W\d_]+")
NAMES = {"ar": "Arabic", "bs": "Bosnian", "ca": "Catalan", "cs": "Czech", "da": "Danish", "de": "German",
         "el": "Greek", "en": "English", "es": "Spanish", "fi": "Finnish", "fr": "French", "he": "Hebrew",
         "hr": "Croatian", "hu": "Hungarian", "it": "Italian", "ja": "Japanese", "ko": "Korean", "nb": "Norwegian",
         "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
         "sk": "Slovak", "sr": "Serbian", "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian", "zh": "Chinese"}


@cache
def _identifier() -> LanguageIdentifier:
    """The identifier, its model mapped from the cache when it is there (unpacking the shipped one takes most of a
    second), else read from the package."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    folder = cache_dir()
    if folder is not None:
        try:
            return _from_unpacked(_unpacked(MODEL_DIR / MODEL_FILE, folder))
        except (OSError, ValueError, KeyError, TypeError):
            pass  # an unwritable or damaged cache: read the shipped model
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


_ALIGN = 64  # bytes: where each array of the unpacked model starts


def _unpacked(model: Path, folder: Path) -> Path:
    """The model's arrays, uncompressed, in the cache, named by the package version and the sha256 of the shipped
    file, and written once (`settings.write_cached`, which keeps only the newest). The file is laid out to be mapped
    into memory rather than read: a line of JSON giving each array's type, shape and offset, then the arrays."""
    from importlib.metadata import version

    packed = model.read_bytes()
    path = folder / f"py3langid-{version('py3langid')}-{hashlib.sha256(packed).hexdigest()[:32]}.bin"
    if not path.exists():
        import io
        import lzma

        import numpy as np

        with np.load(io.BytesIO(lzma.decompress(packed)), allow_pickle=False) as data:
            arrays = {name: np.ascontiguousarray(data[name], dtype=data[name].dtype.newbyteorder("="))
                      for name in data.files if name != "classes"}
            classes = data["classes"].tolist()
        places, at = {}, 0
        for name, array in arrays.items():
            places[name] = [array.dtype.str, list(array.shape), at]
            at += -(-array.nbytes // _ALIGN) * _ALIGN
        head = json.dumps({"classes": classes, "arrays": places}).encode()
        head += b" " * (-(len(head) + 1) % _ALIGN) + b"\n"
        body = b"".join(array.tobytes() + bytes(-array.nbytes % _ALIGN) for array in arrays.values())
        write_cached(path, head + body, keep=1)
        for legacy in folder.glob("py3langid-*.npz"):  # the copy earlier versions kept (68 MB), read by nothing now
            legacy.unlink(missing_ok=True)
    return path


def _from_unpacked(path: Path) -> LanguageIdentifier:
    """The identifier `LanguageIdentifier.from_model_file` builds, on the arrays of the unpacked file mapped into
    memory (no pickle, no copy: a document's text reads only the parts of the model its letters lead to)."""
    import mmap

    import numpy as np
    from py3langid.langid import LanguageIdentifier

    with path.open("rb") as fh:
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    start = mapped.find(b"\n") + 1
    head = json.loads(mapped[:start])
    view = memoryview(mapped)[start:]

    def place(name: str) -> tuple[np.dtype, int, int]:
        dtype, shape, at = head["arrays"][name]
        return np.dtype(dtype), math.prod(shape), at

    def array(name: str) -> np.ndarray:
        dtype, count, at = place(name)
        return np.frombuffer(view, dtype=dtype, count=count, offset=at).reshape(head["arrays"][name][1])

    def items(name: str) -> memoryview[int]:  # the DFA's tables, read an item at a time (py3langid: as arrays)
        dtype, count, at = place(name)
        code: str = dtype.char  # 'H', 'I', 'i': what memoryview reads as the arrays' own item
        return view[at:at + count * dtype.itemsize].cast(code)  # type: ignore[call-overload]

    return LanguageIdentifier(array("ptc"), array("pc"), head["classes"], items("nextmove"), items("out_feat"),
                              norm_probs=True, tk_row=items("nextmove_row"))


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the language of `text` (its first SAMPLE_CHARS characters), or None when there is too
    little text or the identifier is unsure."""
    sample = text[:SAMPLE_CHARS]
    if sum(1 for _ in islice(_WORD.finditer(sample), MIN_WORDS)) < MIN_WORDS:  # counted up to MIN_WORDS only
        return None
    language, confidence = _identifier().classify(sample)
    return language if confidence >= MIN_CONFIDENCE else None


def language_name(code: str) -> str:
    """'Polish' for 'pl'; the code itself for a language not named here."""
    return NAMES.get(code, code)


def language_warning(language: str | None) -> str | None:
    """The one-line warning shown wherever a non-English document's results are (None for English or unknown)."""
    if language is None or language == ENGLISH:
        return None
    return (f"This document is in {language_name(language)} ({language}), not English: the checklists' rules read "
            f"English only, so every finding needs review by a librarian who reads it (or attach an English copy).")


def review_non_english(findings: Sequence[Finding], language: str | None) -> list[Finding]:
    """The findings unchanged for an English (or unknown-language) document; otherwise each one needs_review, its
    rationale saying why (the automatic reading of a non-English text would be silence, not an answer)."""
    if language is None or language == ENGLISH:
        return list(findings)
    note = (f"Not scored: the document is in {language_name(language)} ({language}) and the rules read English; "
            f"a librarian reads it and records the status.")
    return [f.model_copy(update={"status": Status.NEEDS_REVIEW, "rationale": note}) for f in findings]
