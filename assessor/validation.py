"""`assessor validate`: every YAML file checked against its model, checklist includes resolved, self-tests run.

Checklists, vendor profiles, reviews files and the package's data files (topic cues, inventory lexicon,
concerns, the topic model's training sentences)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from pathlib import Path

from pydantic import BaseModel

from .classify import TOPICS_FILE, TopicCuesFile
from .concerns import ConcernsFile
from .inventory import LEXICON_FILE, LexiconFile
from .loading import (
    LoadedChecklist, LoadError, Problem, line_for, load_checklist, load_rule_library, package_data, read_yaml,
    unknown_checklists, validate_data, yaml_files,
)
from .models import Checklist, VendorProfile
from .reviews import ReviewsFile, reviews_problems
from .score import CALIBRATION_FILE, Calibration
from .selftest import run_selftests
from .topic_model import TrainingFile, training_folder

DATA_FILES: dict[str, type[BaseModel]] = {TOPICS_FILE: TopicCuesFile, LEXICON_FILE: LexiconFile,
                                          "concerns.yaml": ConcernsFile, CALIBRATION_FILE: Calibration}


def data_files() -> list[Path]:
    """The package's own data files (and the topic model's training sentences), checked by `assessor validate` by
    default."""
    return [*(package_data(name) for name in DATA_FILES), training_folder()]


def _model_for(path: Path, data: object) -> type[BaseModel]:
    if path.name in DATA_FILES:
        return DATA_FILES[path.name]
    if path.parent.name == training_folder().name:
        return TrainingFile
    if isinstance(data, dict) and "criteria" in data or path.parent.name == "checklists":
        return Checklist
    if isinstance(data, dict) and "overrides" in data or path.parent.name == "reviews":
        return ReviewsFile
    return VendorProfile


def _files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            files.extend(yaml_files(path))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(path, None, "", "no such file or directory"))
    return files, problems


def _id_problems(model_id: str, path: Path, lines: dict[tuple[Any, ...], int]) -> list[Problem]:
    """An id that is not its file's name (checklists and profiles are found by file name), located at its line."""
    return [] if path.stem == model_id else [
        Problem(path, line_for(("id",), lines), "id", f"id {model_id!r} differs from the file name {path.stem!r}")]


def _profile_problems(vendor: VendorProfile, path: Path, lines: dict[tuple[Any, ...], int],
                      known: set[str]) -> list[Problem]:
    """What would stop a valid profile's review: an id that is not its file's name, a default checklist that names
    none of the `known` ones (when any is known), a local document missing from the profile's folder."""
    problems = unknown_checklists(vendor, path, known, lines) if known else []
    problems += _id_problems(vendor.id, path, lines)
    problems += [Problem(path, line_for(("documents", i, "path"), lines), f"documents[{i}].path",
                         f"no such file {d.path!r} (relative to the profile's folder)")
                 for i, d in enumerate(vendor.documents) if d.path and not (path.parent / d.path).is_file()]
    return problems


def validate_paths(paths: Iterable[Path], checklists_dir: Path | None = None) -> tuple[int, list[Problem]]:
    """Validate files and folders; return how many files were read and every problem found. A profile's default
    checklists must be among those validated here or in `checklists_dir` (the project's)."""
    files, problems = _files(paths)
    checklists: dict[str, LoadedChecklist] = {}
    profiles: list[tuple[VendorProfile, Path, dict[tuple[Any, ...], int]]] = []
    libraries: dict[Path, dict[str, dict[str, Any]] | None] = {}
    for path in files:
        try:
            data, lines = read_yaml(path)
            kind = _model_for(path, data)
            model: BaseModel
            if kind is Checklist:
                if path.parent not in libraries:
                    libraries[path.parent] = None  # a broken library is reported once, not at every reference
                    libraries[path.parent] = load_rule_library(path.parent)
                library = libraries[path.parent]
                if library is None:
                    continue
                model, digest = load_checklist(path, library)
            else:
                model = validate_data(kind, data, path, lines)
        except LoadError as exc:
            problems.extend(exc.problems)
            continue
        if isinstance(model, Checklist):
            problems.extend(_id_problems(model.id, path, lines))
            if model.id in checklists:
                problems.append(Problem(path, None, "id", f"duplicate checklist id {model.id!r}"))
            checklists[model.id] = LoadedChecklist(model, path, digest)
        elif isinstance(model, VendorProfile):
            profiles.append((model, path, lines))
        elif isinstance(model, ReviewsFile):
            problems.extend(reviews_problems(model, path, lines))
    for loaded in checklists.values():
        for inc in loaded.checklist.includes:
            if inc not in checklists and not (loaded.path.parent / f"{inc}.yaml").exists():
                problems.append(Problem(loaded.path, None, "includes", f"unknown checklist {inc!r}"))
    shipped = {p.stem for p in yaml_files(checklists_dir)} if checklists_dir and checklists_dir.is_dir() else set()
    for vendor, path, lines in profiles:
        problems.extend(_profile_problems(vendor, path, lines, shipped | set(checklists)))
    problems.extend(run_selftests(checklists.values()))
    return len(files), problems
