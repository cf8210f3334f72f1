"""YAML in, validated models out; every problem reported with its file, line and field."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import AssessorError, unknown_id
from .models import Checklist, VendorProfile

M = TypeVar("M", bound=BaseModel)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CHECKLIST_DIR = PROJECT_ROOT / "checklists"
VENDOR_DIR = Path(os.environ.get("ASSESSOR_VENDOR_DIR") or PROJECT_ROOT / "vendor_profiles")
REVIEWS_DIR = PROJECT_ROOT / "reviews"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file."""

    path: Path
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class LoadError(AssessorError):
    """Raised with every problem found in one or more files."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same nodes, ~20x faster
_SCALARS = yaml.SafeLoader("")  # one constructor for every scalar; building a loader per node is slow


def _construct(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):  # stateless: the tag's constructor, as SafeLoader would call it
        return _SCALARS.yaml_constructors[node.tag](_SCALARS, node)
    return yaml.SafeLoader("").construct_object(node, deep=True)


def _compose(path: Path, text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_FastLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise LoadError([Problem(path, line, "", f"invalid YAML: {exc.problem or exc}")]) from exc


def _to_python(node: yaml.Node, path: Path, lines: dict[tuple[Any, ...], int],
               loc: tuple[Any, ...], problems: list[Problem]) -> Any:
    """Build Python values from a YAML node tree, recording the line of every location; flag duplicate keys."""
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _construct(key_node)
            if key in out:
                problems.append(Problem(path, key_node.start_mark.line + 1, _dotted(loc + (key,)),
                                        "duplicate key"))
            lines[loc + (key,)] = key_node.start_mark.line + 1
            out[key] = _to_python(value_node, path, lines, loc + (key,), problems)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(n, path, lines, loc + (i,), problems) for i, n in enumerate(node.value)]
    return _construct(node)


def _dotted(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_yaml(path: Path) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """Read a YAML file; return its data and a map from location tuples to line numbers."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise LoadError([Problem(path, None, "", f"not UTF-8 text ({exc.reason})")]) from exc
    except OSError as exc:
        raise LoadError([Problem(path, None, "", exc.strerror or str(exc))]) from exc
    node = _compose(path, text)
    lines: dict[tuple[Any, ...], int] = {}
    problems: list[Problem] = []
    data = _to_python(node, path, lines, (), problems) if node is not None else None
    if problems:
        raise LoadError(problems)
    return data, lines


def _line_for(loc: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> int | None:
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())


def validate_data(model: type[M], data: Any, path: Path, lines: dict[tuple[Any, ...], int]) -> M:
    """Validate already-read YAML data against a model, turning pydantic's errors into located problems."""
    if not isinstance(data, dict):
        raise LoadError([Problem(path, 1, "", f"expected a mapping for a {model.__name__}")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            msg = err["msg"].removeprefix("Value error, ")
            problems.append(Problem(path, _line_for(loc, lines), _dotted(loc), msg))
        raise LoadError(problems) from None


def load_model(model: type[M], path: Path) -> M:
    """Load one YAML file as `model`; raise LoadError listing every problem."""
    data, lines = read_yaml(path)
    return validate_data(model, data, path, lines)


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def yaml_files(directory: Path) -> list[Path]:
    """The .yaml/.yml files of a directory, sorted for determinism."""
    return sorted(p for p in directory.glob("*.y*ml") if p.is_file())


def _load_all(model: type[M], paths: Iterable[Path]) -> Iterator[tuple[Path, M]]:
    problems: list[Problem] = []
    loaded: list[tuple[Path, M]] = []
    for path in paths:
        try:
            loaded.append((path, load_model(model, path)))
        except LoadError as exc:
            problems.extend(exc.problems)
    if problems:
        raise LoadError(problems)
    yield from loaded


def load_vendors(directory: Path = VENDOR_DIR) -> dict[str, VendorProfile]:
    """Every vendor profile in a directory, by id; duplicate ids and id/file-name mismatches are problems."""
    out: dict[str, VendorProfile] = {}
    problems: list[Problem] = []
    for path, vendor in _load_all(VendorProfile, yaml_files(directory)):
        if vendor.id in out:
            problems.append(Problem(path, None, "id", f"duplicate vendor id {vendor.id!r}"))
        if path.stem != vendor.id:
            problems.append(Problem(path, None, "id", f"id {vendor.id!r} differs from the file name"))
        out[vendor.id] = vendor
    if problems:
        raise LoadError(problems)
    return out


def load_vendor(vendor_id: str, directory: Path = VENDOR_DIR) -> VendorProfile:
    """One vendor profile by id."""
    path = directory / f"{vendor_id}.yaml"
    if not path.exists():
        known = [p.stem for p in yaml_files(directory)]
        raise LoadError([Problem(path, None, "", unknown_id("vendor profile", vendor_id, known, "assessor vendors"))])
    return load_model(VendorProfile, path)


@dataclass(frozen=True)
class LoadedChecklist:
    """A checklist with the file it came from and that file's hash (for reproducible assessments)."""

    checklist: Checklist
    path: Path
    sha256: str


def load_checklists(directory: Path = CHECKLIST_DIR) -> dict[str, LoadedChecklist]:
    """Every checklist in a directory, by id, with includes checked. Reloaded only when a file changed (by name,
    size and modification time), so a notebook or an audit over many vendors parses them once."""
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in yaml_files(directory))
    return dict(_load_checklists(Path(directory).resolve(), stamp))


@lru_cache(maxsize=8)
def _load_checklists(directory: Path, stamp: tuple[tuple[str, int, int], ...]) -> dict[str, LoadedChecklist]:
    out: dict[str, LoadedChecklist] = {}
    problems: list[Problem] = []
    for path, checklist in _load_all(Checklist, [directory / name for name, _, _ in stamp]):
        if checklist.id in out:
            problems.append(Problem(path, None, "id", f"duplicate checklist id {checklist.id!r}"))
        out[checklist.id] = LoadedChecklist(checklist, path, file_sha256(path))
    for loaded in out.values():
        for inc in loaded.checklist.includes:
            if inc not in out:
                problems.append(Problem(loaded.path, None, "includes", f"unknown checklist {inc!r}"))
    if problems:
        raise LoadError(problems)
    return out


def resolve_checklists(ids: Iterable[str], available: dict[str, LoadedChecklist]) -> list[LoadedChecklist]:
    """The named checklists and everything they include, each once, in a stable order."""
    order: list[LoadedChecklist] = []
    seen: set[str] = set()

    def visit(cid: str, stack: tuple[str, ...]) -> None:
        if cid in stack:
            raise LoadError([Problem(available[cid].path, None, "includes",
                                     f"include cycle: {' -> '.join(stack + (cid,))}")])
        if cid in seen:
            return
        if cid not in available:
            raise LoadError([Problem(CHECKLIST_DIR, None, "", unknown_id("checklist", cid, available,
                                                                         "assessor checklists"))])
        for inc in available[cid].checklist.includes:
            visit(inc, stack + (cid,))
        seen.add(cid)
        order.append(available[cid])

    for cid in ids:
        visit(cid, ())
    return order
