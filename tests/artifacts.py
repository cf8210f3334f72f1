"""Where the browser tests keep their screenshots and PDFs, and the manifest that lists them for CI.

The folder is `$ASSESSOR_TEST_ARTIFACTS` (read when a test asks for a path), else `test-artifacts/` in the
checkout. A browser test that fails keeps a screenshot of what it saw (`FAILED-<test>.png`). Each file is recorded
with the test that wrote it; at the end of the session `MANIFEST.tsv` lists every
file in the folder (file, test, bytes, sha256), sorted by file, so a CI log shows what was kept and what it is.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from pathlib import Path

ENV = "ASSESSOR_TEST_ARTIFACTS"
MANIFEST = "MANIFEST.tsv"
COLUMNS = ("file", "test", "bytes", "sha256")
ROOT = Path(__file__).resolve().parent.parent

_written: dict[str, str] = {}  # file name -> node id of the test that wrote it, this session


def artifacts_dir() -> Path:
    """The artifacts folder: `$ASSESSOR_TEST_ARTIFACTS` if set, else `test-artifacts/` in the checkout."""
    return Path(os.environ.get(ENV) or ROOT / "test-artifacts").resolve()


def artifact(name: str) -> Path:
    """The path a test writes the artifact `name` to (the folder is created), recorded with the running test."""
    if not name or Path(name).name != name or name == MANIFEST:
        raise ValueError(f"an artifact is a plain file name, not {name!r}")
    folder = artifacts_dir()
    folder.mkdir(parents=True, exist_ok=True)
    current = os.environ.get("PYTEST_CURRENT_TEST", "")
    _written[name] = current.rsplit(" (", 1)[0] if current else "-"
    return folder / name


def failure_name(suffix: str = "") -> str:
    """The artifact name of a screenshot taken when the running test failed: `FAILED-<test><suffix>.png`."""
    current = os.environ.get("PYTEST_CURRENT_TEST", "unknown (call)").rsplit(" (", 1)[0]
    return "FAILED-" + re.sub(r"[^\w.-]+", "_", current.rsplit("::", 1)[-1]) + f"{suffix}.png"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest() -> Path | None:
    """Write `MANIFEST.tsv` for every file in the folder if this session wrote any artifact; its path, or None.

    A file written by an earlier session keeps the test recorded then (or "-" if none was).
    """
    if not _written:
        return None
    folder = artifacts_dir()
    manifest = folder / MANIFEST
    earlier: dict[str, str] = {}
    if manifest.is_file():
        with manifest.open(encoding="utf-8", newline="") as f:
            earlier = {row["file"]: row["test"] for row in csv.DictReader(f, delimiter="\t") if row.get("file")}
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.name != MANIFEST)
    with manifest.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, delimiter="\t", lineterminator="\n")
        out.writerow(COLUMNS)
        for path in files:
            test = _written.get(path.name) or earlier.get(path.name, "-")
            out.writerow((path.name, test, path.stat().st_size, _sha256(path)))
    return manifest
