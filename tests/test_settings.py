"""Settings: which project's folders a run reads and writes, resolved when asked (never at import)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from assessor.archive import Archive
from assessor.errors import AssessorError
from assessor.loading import load_vendors
from assessor.models import Override, Status
from assessor.pipeline import review_vendor
from assessor.reviews import save_override
from assessor.settings import (
    ARCHIVE_ENV, PROJECT_ENV, REVIEWS_ENV, VENDORS_ENV, Settings, find_project, resolve_settings, shipped_root,
)

from .conftest import ROOT, run_cli

VENDOR = "brightshelf"


def make_project(folder: Path) -> Path:
    """A minimal project: the shipped checklists and one sample vendor with its policy."""
    shutil.copytree(ROOT / "checklists", folder / "checklists")
    (folder / "vendor_profiles" / "samples").mkdir(parents=True)
    shutil.copy(ROOT / "vendor_profiles" / f"{VENDOR}.yaml", folder / "vendor_profiles")
    shutil.copy(ROOT / "vendor_profiles" / "samples" / f"{VENDOR}.html", folder / "vendor_profiles" / "samples")
    return folder


def test_the_project_is_found_from_the_current_directory_upward(tmp_path):
    project = make_project(tmp_path / "library")
    (project / "notebooks" / "deep").mkdir(parents=True)
    settings = resolve_settings(cwd=project / "notebooks" / "deep", environ={})
    assert settings == Settings.for_project(project)
    assert settings.reviews == project.resolve() / "reviews"
    assert settings.archive == project.resolve() / "data" / "archive"
    assert find_project(tmp_path) is None


def test_named_project_wins_over_the_current_directory(tmp_path):
    a, b = make_project(tmp_path / "a"), make_project(tmp_path / "b")
    assert resolve_settings(b, cwd=a, environ={}).project == b.resolve()
    assert resolve_settings(cwd=a, environ={PROJECT_ENV: str(b)}).project == b.resolve()
    assert resolve_settings(a, cwd=a, environ={PROJECT_ENV: str(b)}).project == a.resolve()


def test_a_named_folder_that_is_not_a_project_is_an_error(tmp_path):
    with pytest.raises(AssessorError, match="not an assessor project"):
        resolve_settings(tmp_path, environ={})
    with pytest.raises(AssessorError, match="not an assessor project"):
        resolve_settings(cwd=ROOT, environ={PROJECT_ENV: str(tmp_path / "missing")})


def test_folder_variables_move_one_folder_each(tmp_path):
    project = make_project(tmp_path / "p")
    env = {VENDORS_ENV: str(tmp_path / "v"), REVIEWS_ENV: str(tmp_path / "r"), ARCHIVE_ENV: str(tmp_path / "a")}
    settings = resolve_settings(cwd=project, environ=env)
    assert (settings.vendors, settings.reviews, settings.archive) == (tmp_path / "v", tmp_path / "r", tmp_path / "a")
    assert settings.checklists == project.resolve() / "checklists" and settings.project == project.resolve()


def test_outside_a_project_the_shipped_data_and_the_user_data_folder(tmp_path):
    settings = resolve_settings(cwd=tmp_path, environ={})
    assert settings.project is None
    assert settings.checklists == shipped_root() / "checklists" and (settings.checklists / "ala-vendors.yaml").is_file()
    assert not settings.archive.is_relative_to(ROOT) and not settings.reviews.is_relative_to(ROOT)
    assert Settings.outside_project(tmp_path / "data").reviews == tmp_path / "data" / "reviews"


def test_the_environment_is_read_when_settings_are_resolved_not_at_import(tmp_path, monkeypatch):
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    shutil.copy(ROOT / "vendor_profiles" / f"{VENDOR}.yaml", profiles)
    monkeypatch.setenv(VENDORS_ENV, str(profiles))
    monkeypatch.setenv(ARCHIVE_ENV, str(tmp_path / "archive"))
    assert list(load_vendors()) == [VENDOR]
    with Archive() as archive:
        assert archive.root == tmp_path / "archive"


def test_two_checkouts_never_share_folders(tmp_path):
    """An override recorded in one copy of a project is applied there, and only there."""
    a, b = make_project(tmp_path / "a"), make_project(tmp_path / "b")
    in_a, in_b = resolve_settings(cwd=a, environ={}), resolve_settings(cwd=b, environ={})
    assert in_a.checklists != in_b.checklists and in_a.reviews != in_b.reviews and in_a.archive != in_b.archive
    criterion = review_vendor(VENDOR, settings=in_b).assessment.findings[0]
    wanted = Status.NOT_MET if criterion.status != Status.NOT_MET else Status.MET
    save_override(Override(criterion=criterion.criterion, status=wanted, note="Read the contract.",
                           reviewer="A. Librarian", date=dt.date(2026, 3, 1)), VENDOR, in_b.reviews)
    assert (b / "reviews" / f"{VENDOR}.yaml").is_file() and not (a / "reviews").exists()
    status = {s.project: next(f.status for f in review_vendor(VENDOR, settings=s).assessment.findings
                              if f.criterion == criterion.criterion) for s in (in_a, in_b)}
    assert status == {a.resolve(): criterion.status, b.resolve(): wanted}


def test_the_command_line_uses_the_project_it_runs_in(tmp_path):
    a, b = make_project(tmp_path / "a"), make_project(tmp_path / "b")
    where = run_cli("where", cwd=b / "vendor_profiles")
    assert where.returncode == 0, where.stderr
    assert f"project     {b.resolve()}" in where.stdout and str(a) not in where.stdout
    named = run_cli("--project", str(a), "where", cwd=b)
    assert f"reviews     {a.resolve() / 'reviews'}" in named.stdout
    bad = run_cli("--project", str(tmp_path), "where", cwd=b)
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "not an assessor project" in bad.stderr
