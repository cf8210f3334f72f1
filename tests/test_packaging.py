"""The wheel: built from the sources, it carries the code, the checklists, the vendor profiles with their sample
documents, the templates and data, and `py.typed` (`.ci/wheel-check` then installs and runs it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

SOURCES = ("pyproject.toml", "README.md", "assessor", "checklists", "vendor_profiles")


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory) -> set[str]:
    """The file names inside a wheel built from a clean copy of the sources."""
    work = tmp_path_factory.mktemp("wheel")
    (work / "src").mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, work / "src" / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / name, work / "src" / name)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(work / "dist"),
                            str(work / "src")], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    [wheel] = (work / "dist").glob("assessor-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        return set(zf.namelist())


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def test_the_wheel_holds_every_module_template_and_data_file(wheel_names):
    missing = [p.relative_to(ROOT).as_posix() for p in _files(ROOT / "assessor")
               if p.relative_to(ROOT).as_posix() not in wheel_names]
    assert missing == [], "list new subpackages or data in pyproject.toml [tool.setuptools]"
    assert "assessor/py.typed" in wheel_names


@pytest.mark.parametrize("folder", ["checklists", "vendor_profiles"])
def test_the_wheel_holds_the_checklists_and_vendor_profiles(wheel_names, folder):
    expected = {f"assessor/{p.relative_to(ROOT).as_posix()}" for p in _files(ROOT / folder)}
    assert "assessor/checklists/ala-vendors.yaml" in wheel_names
    assert "assessor/vendor_profiles/samples/brightshelf.html" in wheel_names
    assert expected - wheel_names == set()


def test_the_wheel_installs_the_voila_template_where_jupyter_looks(wheel_names):
    """Every file of the assessor Voilà template also goes to share/jupyter/voila/templates/assessor/ (for plain
    `voila` in the project, whose voila.json names the template)."""
    template = ROOT / "assessor" / "ui" / "jupyter" / "voila" / "templates" / "assessor"
    shared = {n.split(".data/data/", 1)[1] for n in wheel_names if ".data/data/" in n}
    assert {f"share/jupyter/voila/templates/assessor/{p.name}" for p in _files(template)} == shared
