"""The shipped notebooks: stored in normalised form, parameterised for papermill, and regression-checked by nbval
(a checklist change that changes a vendor's result fails the run until `make notebooks` refreshes the outputs)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_notebook

from assessor.pipeline import review_vendor
from tools.refresh_notebooks import STRIP_ARGS, WIDGET_VIEW, main

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXPECTED = {"vendor_review", "annual_audit", "portfolio", "checklist_workbench", "contract_review"}


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_the_five_notebooks_are_shipped():
    assert {p.stem for p in NOTEBOOKS} == EXPECTED


def test_notebooks_are_stored_as_nbstripout_with_the_project_flags_leaves_them():
    verify = subprocess.run([sys.executable, "-m", "nbstripout", *STRIP_ARGS, "--verify", *map(str, NOTEBOOKS)],
                            capture_output=True, text=True)
    assert verify.returncode == 0, f"run `make notebooks` (it normalises the notebooks): {verify.stdout}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_small_and_free_of_machine_paths(path):
    text = path.read_text(encoding="utf-8")
    assert len(text) < 50_000
    assert WIDGET_VIEW not in text and '"widgets"' not in text
    assert not re.search(r"(/work/|/home/|/tmp/|/root/|[A-Z]:\\\\)", text)
    code = [c for c in cells(path) if c["cell_type"] == "code"]
    assert all(c["execution_count"] == i for i, c in enumerate(code, 1)), "stored outputs come from one full run"
    assert not any(o["output_type"] == "error" for c in code for o in c["outputs"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_has_papermill_parameters_and_a_checked_summary(path):
    params = papermill.inspect_notebook(str(path))
    assert {"output_dir", "save_to"} & set(params), "every notebook says where its files go"
    assert {"vendor_id", "vendors"} & set(params) or path.stem == "checklist_workbench"
    tagged = [c for c in cells(path) if "nbval-check-output" in c["metadata"].get("tags", [])]
    assert tagged and all(c["outputs"] for c in tagged)
    assert "parameters" in cells(path)[1]["metadata"].get("tags", []), "the parameters cell comes first"


def _nbval(project: Path, notebook: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-vv", f"notebooks/{notebook}"],
                          cwd=project, env=_env(project), capture_output=True, text=True, timeout=300)


def _env(project: Path) -> dict[str, str]:
    # the kernel inherits PYTHONPATH, so the copied package (and its copied data folders) is the one imported
    return {**os.environ, "PYTHONPATH": str(project), "ASSESSOR_REVIEWS_DIR": str(project / "reviews")}


def _refresh(project: Path, notebook: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "tools" / "refresh_notebooks.py"), f"notebooks/{notebook}"], cwd=project,
                   env=_env(project), check=True, capture_output=True, timeout=300)


@pytest.mark.slow
def test_a_checklist_change_fails_nbval_until_the_outputs_are_refreshed(tmp_path):
    """Outputs refreshed as `make notebooks` does; then one severity edit makes exactly the checked cell differ
    (that refreshed outputs pass is what `make test` checks on the real notebooks)."""
    project = tmp_path / "project"
    for folder in ("assessor", "checklists", "vendor_profiles"):
        shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (project / "notebooks").mkdir()
    (project / "tests").mkdir()
    shutil.copy(ROOT / "notebooks" / "vendor_review.ipynb", project / "notebooks")
    shutil.copy(ROOT / "tests" / "nbval_sanitize.cfg", project / "tests")
    shutil.copy(ROOT / "pyproject.toml", project)
    _refresh(project, "vendor_review.ipynb")  # as `make notebooks` does: the copy starts up to date

    # a librarian lowers the severity of one criterion the notebook's vendor is assessed on
    vendor = papermill.inspect_notebook(str(project / "notebooks" / "vendor_review.ipynb"))["vendor_id"]["default"]
    finding = review_vendor(json.loads(vendor)).assessment.findings[0]
    path = project / "checklists" / f"{finding.checklist}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    criterion = next(c for c in data["criteria"] if c["id"] == finding.criterion)
    old = criterion["severity"]
    criterion["severity"] = new = "low" if old != "low" else "medium"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")

    failed = _nbval(project, "vendor_review.ipynb")
    assert failed.returncode != 0
    report = re.sub(r"\x1b\[[0-9;]*m", "", failed.stdout)
    assert "Cell outputs differ" in report and "1 failed" in report, report[-3000:]
    # the one difference nbval reports is the edited criterion's row (stored: the old severity; now: the new one)
    for severity in (old, new):
        assert re.search(rf"^\s*[-+] {re.escape(finding.criterion)} +{finding.checklist} +{severity} ", report, re.M)


def test_refresh_names_a_failing_notebook_and_leaves_it_as_it_was(tmp_path, capsys):
    path = tmp_path / "broken.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("from assessor.errors import AssessorError\n"
                                                     "raise AssessorError('no vendor profile nosuch')")]), path)
    before = path.read_bytes()
    assert main([str(path)]) == 1
    assert "broken.ipynb: not refreshed: AssessorError: no vendor profile nosuch" in capsys.readouterr().err
    assert path.read_bytes() == before


WRITES = ("export_report(", "export_files(", "atomic_write_text(", "save_criterion(")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_opening_a_notebook_writes_nothing_unless_asked(path):
    """A cell that writes files runs only when the `export` (or `save`) parameter says so; both default to False, so
    JupyterLab and Voila write only when the app's button is pressed."""
    params = papermill.inspect_notebook(str(path))
    code = ["".join(c["source"]) for c in cells(path)[2:] if c["cell_type"] == "code"]
    writing = [source for source in code if any(w in source for w in WRITES)]
    for source in writing:
        guard = source.split("\n", 1)[0]
        assert guard in ("if export:", "if save:"), guard
        assert params[guard[3:-1]]["default"] == "False"
