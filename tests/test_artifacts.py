"""The browser tests' artifacts: one folder set by $ASSESSOR_TEST_ARTIFACTS and a manifest CI prints."""

from __future__ import annotations

import csv
import hashlib

import pytest

from . import artifacts


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setattr(artifacts, "_written", {})
    monkeypatch.setenv(artifacts.ENV, str(tmp_path / "shots"))
    return tmp_path / "shots"


def _rows(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_the_folder_comes_from_the_environment_else_the_checkout(folder, monkeypatch):
    assert artifacts.artifact("a.png") == folder.resolve() / "a.png" and folder.is_dir()
    monkeypatch.delenv(artifacts.ENV)
    assert artifacts.artifacts_dir() == artifacts.ROOT / "test-artifacts"


def test_the_manifest_lists_each_file_with_its_test_size_and_digest(folder):
    assert artifacts.write_manifest() is None, "nothing written this session, no manifest"
    artifacts.artifact("b.pdf").write_bytes(b"%PDF-1.7 fake")
    artifacts.artifact("a.png").write_bytes(b"png")
    (folder / "older.png").write_bytes(b"kept from an earlier run")
    rows = _rows(artifacts.write_manifest())
    this_test = "tests/test_artifacts.py::test_the_manifest_lists_each_file_with_its_test_size_and_digest"
    assert [r["file"] for r in rows] == ["a.png", "b.pdf", "older.png"]
    assert [r["test"] for r in rows] == [this_test, this_test, "-"]
    assert rows[0]["bytes"] == "3" and rows[0]["sha256"] == hashlib.sha256(b"png").hexdigest()


def test_a_later_session_keeps_the_tests_recorded_earlier(folder, monkeypatch):
    artifacts.artifact("a.png").write_bytes(b"one")
    artifacts.write_manifest()
    monkeypatch.setattr(artifacts, "_written", {})
    artifacts.artifact("b.png").write_bytes(b"two")
    rows = _rows(artifacts.write_manifest())
    assert {r["file"]: r["test"].rsplit("::", 1)[1] for r in rows} == {
        "a.png": "test_a_later_session_keeps_the_tests_recorded_earlier",
        "b.png": "test_a_later_session_keeps_the_tests_recorded_earlier"}


@pytest.mark.parametrize("name", ["", "../x.png", "sub/x.png", "MANIFEST.tsv"])
def test_an_artifact_is_a_plain_file_name(folder, name):
    with pytest.raises(ValueError, match="plain file name"):
        artifacts.artifact(name)


def test_a_failure_screenshot_is_named_after_its_test(monkeypatch):
    monkeypatch.setenv("PYTEST_CURRENT_TEST", "tests/test_x.py::test_y[390-px] (call)")
    assert artifacts.failure_name("-0") == "FAILED-test_y_390-px_-0.png"
