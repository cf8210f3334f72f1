"""The language a document is written in, and what it means for its findings: the rules read English, so a policy in
another language is not scored as silence but handed to a librarian (every finding needs_review, with a note).

The identifier is py3langid's (a maintained fork of langid.py), run here in plain Python on its model (`Identifier`):
the model ships inside the package, so it works offline and gives the same answer for the same text every time.
"""

from __future__ import annotations

import hashlib
import json
import math
import mmap
import re
import struct
import sys
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import cache
from importlib.util import find_spec
from itertools import islice
from pathlib import Path

from .models import Finding, Status
from .settings import cache_dir, write_cached

ENGLISH = "en"
MIN_WORDS = 20  # fewer words than this: too little text to tell
MIN_CONFIDENCE = 0.9  # below this the identifier is unsure, and the document is not flagged
# The identifier reads the first SAMPLE_CHARS characters (some 300 words, plenty to tell a language; walking their
# bytes is most of its time): every policy we have (the 100 English ones of benchmarks/language_id.py, the 9 samples
# and the synthetic foreign ones of tests/test_language.py) is told the same, at confidence 0.999 or more, from 2,000
# characters as from 20,000.
SAMPLE_CHARS = 2_000
_WORD = re.compile(r"[^\W\d_]+")
NAMES = {"ar": "Arabic", "bs": "Bosnian", "ca": "Catalan", "cs": "Czech", "da": "Danish", "de": "German",
         "el": "Greek", "en": "English", "es": "Spanish", "fi": "Finnish", "fr": "French", "he": "Hebrew",
         "hr": "Croatian", "hu": "Hungarian", "it": "Italian", "ja": "Japanese", "ko": "Korean", "nb": "Norwegian",
         "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
         "sk": "Slovak", "sr": "Serbian", "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian", "zh": "Chinese"}


MODEL_FILE = "data/model.npz.xz"  # py3langid's model, inside its package (py3langid.langid.MODEL_FILE)


class Identifier:
    """py3langid's identifier (a byte automaton counting features, then naive Bayes over them, with probabilities
    normalised by the text's length) on its model's arrays, in plain Python: importing numpy, which py3langid scores
    with, would take longer than a document's whole identification. The weights (half-precision numbers, all whole
    multiples of 1/512) are kept as whole numbers, each feature's row as the 32-bit slots of one Python integer, so
    the rows of the features a text holds are summed exactly by adding integers: the same language as py3langid
    (which sums in single precision), and a confidence equal to about the sixth decimal."""

    def __init__(self, model: bytes | mmap.mmap) -> None:
        start = model.find(b"\n") + 1
        head = json.loads(model[:start])
        self.classes: list[str] = head["classes"]
        view = memoryview(model)[start:]

        def items(name: str) -> memoryview:
            dtype, shape, at = head["arrays"][name]
            if dtype[0] not in ("|", _NATIVE):
                raise ValueError(f"the unpacked model's {name} is not in this machine's byte order")
            code = _CODES[dtype[1:]]
            return view[at:at + math.prod(shape) * struct.calcsize(code)].cast(code)  # type: ignore[call-overload]

        self.nextmove, self.row, self.feature = items("nextmove"), items("nextmove_row"), items("out_feat")
        self.ptc, self.pc = view[head["arrays"]["ptc"][2]:], items("pc").tolist()
        self._scale, self._offset = head["ptc_fixed"]  # weight = (slot - offset) / scale
        self._slots = struct.Struct(f"<{len(self.classes)}I")  # a row: one little-endian 32-bit slot per class
        first: dict[str, int] = {}
        self._aliases = [(first[c], i) for i, c in enumerate(self.classes) if first.setdefault(c, i) != i]
        self._rows: dict[int, int] = {}  # feature -> its row as an integer, kept for the next texts (`_MEMO_ROWS`)
        self._moves: list[memoryview | None] = [None] * len(self.row)  # by state: its part of `nextmove` (`_moves_of`)

    def _moves_of(self, state: int) -> memoryview:
        """The states each byte leads to from a state (a view of `nextmove`, no copy), looked up once."""
        at = self.row[state] << 8
        return self.nextmove[at:at + 256]

    def classify(self, text: str) -> tuple[str, float]:
        """The language of `text` and the identifier's probability for it."""
        if text.isupper():
            text = text.lower()
        data = unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")
        moves, feature = self._moves, self.feature
        seen_features: list[int] = []  # the feature of each byte's state (-1: none), counted below in C
        append = seen_features.append
        state = 0
        for byte in data:
            if (after := moves[state]) is None:
                after = moves[state] = self._moves_of(state)
            state = after[byte]
            append(feature[state])
        counts = Counter(seen_features)  # by first occurrence, as the rows are added up below
        counts.pop(-1, None)
        ptc, size, memo = self.ptc, self._slots.size, self._rows
        if len(memo) > _MEMO_ROWS:
            memo.clear()
        rows: dict[int, list[int]] = {}  # the weight rows of the features seen, by how often seen
        for f, count in counts.items():
            if (weights := memo.get(f)) is None:
                weights = memo[f] = int.from_bytes(ptc[f * size:(f + 1) * size], "little")
            rows.setdefault(count, []).append(weights)
        scores = list(self.pc) if counts else [0.0] * len(self.classes)
        for count, seen in rows.items():  # each slot's sum stays below 2**32 (`_unpack`)
            weight = math.log1p(count) / self._scale
            offset = self._offset * len(seen)
            sums = self._slots.unpack(sum(seen).to_bytes(size, "little"))
            scores = [s + weight * (total - offset) for s, total in zip(scores, sums, strict=True)]
        scale = 1.0 / math.sqrt(len(data) or 1)
        scores = [s * scale for s in scores]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        probs = [e / total for e in exps]
        for i, j in self._aliases:  # a language the model knows in two scripts (sr): one answer
            probs[i] += probs[j]
            probs[j] = 0.0
        best = max(range(len(probs)), key=probs.__getitem__)
        return self.classes[best], probs[best]


_NATIVE = "<" if sys.byteorder == "little" else ">"
_CODES = {"f4": "f", "u2": "H", "u4": "I", "i4": "i"}  # the arrays' types, as memoryview reads them
# Rows kept as integers between texts (converting one takes about half a microsecond, some 1,600 per sample, and
# English texts share most of theirs): at most this many (~600 bytes each), then forgotten all at once.
_MEMO_ROWS = 20_000
_FIXED = 2**9  # the weights are whole multiples of 1/_FIXED (checked when the model is unpacked)


@cache
def _identifier() -> Identifier:
    """The identifier, its model mapped from the cache when it is there (unpacking the shipped one takes most of a
    second), else unpacked into memory."""
    spec = find_spec("py3langid")  # found, not imported: importing py3langid imports numpy
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("py3langid is not installed", name="py3langid")
    packed = (Path(spec.origin).parent / MODEL_FILE).read_bytes()
    folder = cache_dir()
    if folder is not None:
        try:
            return _from_unpacked(_unpacked(packed, folder))
        except (OSError, ValueError, KeyError, TypeError):
            pass  # an unwritable or damaged cache: unpack into memory
    return Identifier(_unpack(packed))


_ALIGN = 64  # bytes: where each array of the unpacked model starts


def _unpacked(packed: bytes, folder: Path) -> Path:
    """The model's arrays, uncompressed, in the cache, named by the package version and the sha256 of the shipped
    file, and written once (`settings.write_cached`, which keeps only the newest)."""
    from importlib.metadata import version

    path = folder / f"py3langid-{version('py3langid')}-{hashlib.sha256(packed).hexdigest()[:32]}-fixed.bin"
    if not path.exists():
        write_cached(path, _unpack(packed), keep=1)
        for legacy in folder.glob("py3langid-*.npz"):  # the copy earlier versions kept (68 MB), read by nothing now
            legacy.unlink(missing_ok=True)
    return path


def _unpack(packed: bytes) -> bytes:
    """The shipped model laid out to be mapped into memory rather than read: a line of JSON giving each array's type,
    shape and offset, then the arrays; the weights as the whole numbers `Identifier` sums (exactly, else ValueError)."""
    import io
    import lzma

    import numpy as np

    with np.load(io.BytesIO(lzma.decompress(packed)), allow_pickle=False) as data:
        arrays = {name: np.ascontiguousarray(data[name], dtype=data[name].dtype.newbyteorder("="))
                  for name in data.files if name not in ("classes", "ptc")}
        classes = data["classes"].tolist()
        weights = data["ptc"].astype(np.float64) * _FIXED
    offset = -int(weights.min())
    slots = weights + offset
    if not np.array_equal(slots, np.round(slots)) or slots.max() * len(slots) >= 2**32:
        raise ValueError("py3langid's weights are not whole multiples of 1/512 in a small range: update assessor")
    arrays["ptc"] = slots.astype("<u4")  # little-endian, as int.from_bytes reads it
    places, at = {}, 0
    for name, array in arrays.items():
        places[name] = [array.dtype.str, list(array.shape), at]
        at += -(-array.nbytes // _ALIGN) * _ALIGN
    head = json.dumps({"classes": classes, "arrays": places, "ptc_fixed": [_FIXED, offset]}).encode()
    head += b" " * (-(len(head) + 1) % _ALIGN) + b"\n"
    return head + b"".join(array.tobytes() + bytes(-array.nbytes % _ALIGN) for array in arrays.values())


def _from_unpacked(path: Path) -> Identifier:
    """The identifier on the unpacked file mapped into memory (no copy: a document's text reads only the parts of the
    model its letters lead to)."""
    with path.open("rb") as fh:
        return Identifier(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ))


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
