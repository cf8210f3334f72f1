"""YAML in, validated models out; every problem reported with its file, line and field."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from difflib import get_close_matches
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import AssessorError, unknown_id
from .models import PATTERNS_CHECKED, Checklist, Regex, Rule, VendorProfile, is_file_id
from .settings import CHECKLISTS, cache_dir, code_fingerprint, resolve_settings, write_cached

if TYPE_CHECKING:  # imported where YAML is read: a run whose data files are all cached reads none
    import yaml

M = TypeVar("M", bound=BaseModel)


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


# Budgets that keep a hostile file (an alias bomb, "billion laughs") to a fast, located error. The largest shipped
# file (checklists/ala-vendors.yaml) is 50 KB and about 1,800 values, without aliases.
MAX_YAML_BYTES = 5_000_000
MAX_VALUES = 200_000  # values built from one file, aliases expanded
MAX_ALIAS_VALUES = 10_000  # of those, values built again through an alias
MAX_DEPTH = 50  # nesting of lists and mappings

_CORE = "tag:yaml.org,2002:"
_PLAIN_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map"))
_VALUE = _CORE + "value"  # a bare "=" (YAML 1.1's value key), read as text


def _tag_name(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _compose(path: Path, text: str) -> yaml.Node | None:
    import yaml

    try:
        return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: ~20x faster
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise LoadError([Problem(path, line, "", _one_line(f"invalid YAML: {exc.problem or exc}"))]) from exc
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (a control character...)
        line = text.count("\n", 0, exc.position) + 1
        what = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
        raise LoadError([Problem(path, line, "", f"invalid YAML: character {what}: {exc.reason}")]) from exc
    except yaml.YAMLError as exc:
        raise LoadError([Problem(path, None, "", _one_line(f"invalid YAML: {exc}"))]) from exc
    except RecursionError:
        raise LoadError([Problem(path, None, "", "invalid YAML: nested too deeply")]) from None


class _Builder:
    """Python values from a YAML node tree, recording the line of every location. Plain YAML only: a tag other
    than the core ones (`!!python/...`, `!custom`, `!!binary`, `!!set`...) is a problem wherever it is, and the
    values built (aliases expanded) and the nesting are bounded by the budgets above."""

    def __init__(self, path: Path) -> None:
        import yaml

        self.path = path
        self.scalars = yaml.SafeLoader("")  # one constructor for every scalar; building a loader per node is slow
        self.yaml = yaml
        self.lines: dict[tuple[Any, ...], int] = {}
        self.problems: list[Problem] = []
        self.values = self.aliased = 0
        self.seen: set[int] = set()  # nodes built once: meeting one again means an alias

    def _problem(self, loc: tuple[Any, ...], message: str, line: int | None = None) -> Problem:
        return Problem(self.path, line or line_for(loc, self.lines), _dotted(loc), message)

    def _budget(self, loc: tuple[Any, ...], depth: int, aliased: bool) -> None:
        self.values += 1
        self.aliased += aliased
        message = None
        if self.aliased > MAX_ALIAS_VALUES:
            message = f"aliases expand to more than {MAX_ALIAS_VALUES:,} values (refused: an alias bomb?)"
        elif self.values > MAX_VALUES:
            message = f"more than {MAX_VALUES:,} values in one file"
        elif depth > MAX_DEPTH:
            message = f"nested deeper than {MAX_DEPTH} levels" + (" (a recursive alias?)" if aliased else "")
        if message:
            raise LoadError([self._problem(loc[:8], message)])  # the start of the path says where

    def build(self, node: yaml.Node, loc: tuple[Any, ...] = (), depth: int = 0, aliased: bool = False) -> Any:
        first = id(node) not in self.seen  # problems of a value are reported once, not at every alias of it
        aliased = aliased or not first
        self.seen.add(id(node))
        self._budget(loc, depth, aliased)
        line = node.start_mark.line + 1
        if not aliased:  # a value repeated by an alias is located where the alias is used
            self.lines[loc] = line
        if not self._plain(node, loc, line, first):
            return None
        if isinstance(node, self.yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1
                if not isinstance(key_node, self.yaml.ScalarNode):
                    if first:
                        self.problems.append(self._problem(loc, "a key must be a plain value, not a list or mapping",
                                                           key_line))
                    continue
                self._budget(loc, depth + 1, aliased)
                if not self._plain(key_node, loc, key_line, first):
                    continue
                key = self._scalar(key_node, loc, key_line, first)
                if key in out and first:
                    self.problems.append(self._problem(loc + (key,), "duplicate key", key_line))
                if not aliased:  # the key's own line, for errors about the key (pydantic's "[key]")
                    self.lines[loc + (key,)] = self.lines[loc + (key, "[key]")] = key_line
                out[key] = self.build(value_node, loc + (key,), depth + 1, aliased)
            return out
        if isinstance(node, self.yaml.SequenceNode):
            return [self.build(n, loc + (i,), depth + 1, aliased) for i, n in enumerate(node.value)]
        return self._scalar(node, loc, line, first)

    def _plain(self, node: yaml.Node, loc: tuple[Any, ...], line: int, report: bool) -> bool:
        if node.tag in _PLAIN_TAGS or node.tag == _VALUE and isinstance(node, self.yaml.ScalarNode):
            return True
        if not report:
            return False
        what = "merge keys (<<) are" if node.tag == _CORE + "merge" else f"the tag {_tag_name(node.tag)} is"
        self.problems.append(self._problem(loc, f"{what} not allowed: plain YAML only", line))
        return False

    def _scalar(self, node: yaml.Node, loc: tuple[Any, ...], line: int, report: bool) -> Any:
        if node.tag == _VALUE:
            return node.value
        try:  # stateless: the tag's constructor, as SafeLoader would call it
            return self.scalars.yaml_constructors[node.tag](self.scalars, node)
        except (ValueError, TypeError, OverflowError, self.yaml.YAMLError) as exc:
            kind = _tag_name(node.tag).removeprefix("!!")
            if not report:
                return None
            value = node.value if len(node.value) <= 40 else node.value[:40] + "..."
            self.problems.append(self._problem(loc, f"invalid {kind} {value!r}: {str(exc)[:100]}", line))
            return None


def _dotted(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def parse_yaml(text: str, path: Path) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """YAML text (read from `path`, named in errors) as data, with a map from location tuples to line numbers.
    The one way the project reads YAML: plain YAML only, within the budgets above."""
    if len(text) > MAX_YAML_BYTES:
        raise LoadError([Problem(path, None, "", f"larger than {MAX_YAML_BYTES // 1_000_000} MB")])
    node = _compose(path, text)
    if node is None:
        return None, {}
    builder = _Builder(path)
    data = builder.build(node)
    if builder.problems:
        raise LoadError(builder.problems)
    return data, builder.lines


def read_yaml(path: Path) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """Read a YAML file; return its data and a map from location tuples to line numbers."""
    try:
        if path.stat().st_size > MAX_YAML_BYTES:
            raise LoadError([Problem(path, None, "", f"larger than {MAX_YAML_BYTES // 1_000_000} MB")])
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise LoadError([Problem(path, None, "", f"not UTF-8 text ({exc.reason})")]) from exc
    except OSError as exc:
        raise LoadError([Problem(path, None, "", exc.strerror or str(exc))]) from exc
    return parse_yaml(text, path)


def line_for(loc: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> int | None:
    """The line of a location in a file read by `read_yaml` (else of the nearest enclosing one)."""
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())


def validate_data(model: type[M], data: Any, path: Path, lines: dict[tuple[Any, ...], int]) -> M:
    """Validate already-read YAML data against a model, turning pydantic's errors into located problems."""
    if not isinstance(data, dict):
        what = (f"the file is empty (expected a {model.__name__})" if data is None
                else f"expected a mapping for a {model.__name__}")
        raise LoadError([Problem(path, 1, "", what)])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            msg = err["msg"].removeprefix("Value error, ")
            problems.append(Problem(path, line_for(loc, lines), _dotted(loc), msg))
        raise LoadError(problems) from None


def load_model(model: type[M], path: Path) -> M:
    """Load one YAML file as `model`; raise LoadError listing every problem."""
    data, lines = read_yaml(path)
    return validate_data(model, data, path, lines)


CACHED_DATA_FILES = 16  # the cache keeps this many validated data files (the newest)


def load_data(model: type[M], path: Path) -> M:
    """`load_model` for a data file the code reads on every run (the topic cues, the inventory lexicon, the
    calibration, the concerns): kept validated in the cache folder, named by the sha256 of the model, the file's
    bytes, the package's code and the Python (which patterns compile is its), and read back without YAML (its
    patterns known to compile) when the same file is read again."""
    folder = cache_dir()
    try:
        data = path.read_bytes() if folder is not None else None
    except OSError:
        data = None  # load_model says what is wrong
    if folder is None or data is None:
        return load_model(model, path)
    key = hashlib.sha256(json.dumps([model.__module__, model.__qualname__, hashlib.sha256(data).hexdigest(),
                                     code_fingerprint(), sys.version]).encode()).hexdigest()
    kept = folder / f"data-{key}.json"
    try:
        return model.model_validate_json(kept.read_bytes(), context={PATTERNS_CHECKED: True})
    except (OSError, ValueError):
        pass
    loaded = load_model(model, path)
    write_cached(kept, loaded.model_dump_json(), CACHED_DATA_FILES)
    return loaded


def package_data(name: str) -> Path:
    """A data file shipped in the package (`assessor/data/NAME`), such as the topic cues or the inventory lexicon."""
    return Path(str(resources.files("assessor").joinpath("data", name)))


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


def load_vendors(directory: Path | None = None) -> dict[str, VendorProfile]:
    """Every vendor profile in a directory (the resolved settings' by default), by id; duplicate ids and
    id/file-name mismatches are problems."""
    directory = directory if directory is not None else resolve_settings().vendors
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


def load_vendor(vendor_id: str, directory: Path | None = None) -> VendorProfile:
    """One vendor profile by id (from the resolved settings' folder by default)."""
    directory = directory if directory is not None else resolve_settings().vendors
    path = directory / f"{vendor_id}.yaml" if is_file_id(vendor_id) else directory  # never a path from a non-id
    if not is_file_id(vendor_id) or not path.exists():
        known = [p.stem for p in yaml_files(directory)]
        raise LoadError([Problem(path, None, "", unknown_id("vendor profile", vendor_id, known, "assessor vendors"))])
    return load_model(VendorProfile, path)


def unknown_checklists(vendor: VendorProfile, path: Path, known: Iterable[str],
                       lines: dict[tuple[Any, ...], int] | None = None) -> list[Problem]:
    """A profile's default `checklists` that name none of the `known` checklist ids, each located in its file
    with the nearest names."""
    ids = sorted(known)
    return [Problem(path, line_for(("checklists", i), lines or {}), f"checklists[{i}]",
                    unknown_id("checklist", cid, ids, "assessor checklists"))
            for i, cid in enumerate(vendor.checklists) if cid not in ids]


RULES_SUBDIR = "rules"
_REF_KEYS = {"use", "id", "outcome"}
_PATTERN_FIELDS = ("any", "all", "none")


class Fragment(BaseModel):
    """A named list of patterns written once in the rule library and spliced into the rules that share it, where a
    rule's `any`, `all` or `none` lists `{fragment: <topic>.<name>}`, so rules that differ in outcome, polarity or
    a few patterns do not copy the detection they have in common."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
    description: str | None = None
    patterns: list[Regex] = Field(min_length=1)


class RuleLibrary(BaseModel):
    """One file of the rule library (`checklists/rules/<topic>.yaml`): named detection rules that criteria use, and
    the pattern fragments they share."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fragments: list[Fragment] = Field(default_factory=list)
    rules: list[Rule] = Field(min_length=1)


def rule_library_files(directory: Path) -> list[Path]:
    """The files of the rule library beside a checklist folder."""
    return yaml_files(Path(directory) / RULES_SUBDIR)


def _named(path: Path, items: Any, kind: str, lines: dict[tuple[Any, ...], int], seen: dict[str, Any],
           problems: list[Problem]) -> Iterator[tuple[int, dict[str, Any]]]:
    """The items of a library file's `rules` or `fragments` list whose id is `<file stem>.<name>` and new."""
    for i, item in enumerate(items if isinstance(items, list) else []):
        name = item.get("id") if isinstance(item, dict) else None
        if not isinstance(name, str):
            continue  # the model says what is wrong
        where = (path, lines.get((kind, i)), f"{kind}[{i}].id")
        if not name.startswith(f"{path.stem}."):
            problems.append(Problem(*where, f"a {kind[:-1]} in {path.name} is named '{path.stem}.<name>', "
                                            f"not {name!r}"))
        elif name in seen:
            problems.append(Problem(*where, f"{kind[:-1]} {name!r} is defined twice"))
        else:
            yield i, item


def _splice_fragments(path: Path, data: dict[str, Any], lines: dict[tuple[Any, ...], int],
                      fragments: dict[str, list[str]]) -> list[Problem]:
    """Replace each `{fragment: NAME}` in the pattern lists of a library file's rules by the fragment's patterns
    (in place, keeping the line of each pattern); return the unknown references."""
    problems: list[Problem] = []
    rules = data.get("rules")
    for ri, rule in enumerate(rules if isinstance(rules, list) else []):
        for field in _PATTERN_FIELDS:
            patterns = rule.get(field) if isinstance(rule, dict) else None
            if not isinstance(patterns, list):
                continue
            loc = ("rules", ri, field)
            out: list[Any] = []
            out_lines: list[int | None] = []
            for pi, item in enumerate(patterns):
                line = line_for(loc + (pi,), lines)
                ref = item.get("fragment") if isinstance(item, dict) and set(item) == {"fragment"} else None
                if ref is None:
                    out.append(item)
                    out_lines.append(line)
                elif ref not in fragments:
                    near = get_close_matches(str(ref), fragments, n=1)
                    hint = f"; did you mean {near[0]!r}?" if near else ""
                    problems.append(Problem(path, line, _dotted(loc + (pi, "fragment")), f"no fragment {ref!r} "
                                            f"in {RULES_SUBDIR}/{hint}"))
                else:
                    out += fragments[ref]
                    out_lines += [line] * len(fragments[ref])
            rule[field] = out
            for pi in [k[3] for k in lines if len(k) == 4 and k[:3] == loc]:
                del lines[loc + (pi,)]
            lines.update({loc + (pi,): line for pi, line in enumerate(out_lines) if line is not None})
    return problems


def load_rule_library(directory: Path | None = None) -> dict[str, dict[str, Any]]:
    """Every named rule of the library of a checklist folder (the resolved settings' by default), by id, as plain
    data with its fragments spliced in (ids are `<file stem>.<name>`, each defined once)."""
    directory = directory if directory is not None else resolve_settings().checklists
    out: dict[str, dict[str, Any]] = {}
    fragments: dict[str, list[str]] = {}
    problems: list[Problem] = []
    files: list[tuple[Path, Any, dict[tuple[Any, ...], int]]] = []
    for path in rule_library_files(directory):
        try:
            data, lines = read_yaml(path)
        except LoadError as exc:
            problems.extend(exc.problems)
            continue
        if not isinstance(data, dict):
            problems.append(Problem(path, 1, "", "expected a mapping for a RuleLibrary"))
            continue
        files.append((path, data, lines))
        for _, fragment in _named(path, data.get("fragments"), "fragments", lines, fragments, problems):
            patterns = fragment.get("patterns")
            fragments[fragment["id"]] = patterns if isinstance(patterns, list) else []
    for path, data, lines in files:
        if spliced := _splice_fragments(path, data, lines, fragments):
            problems.extend(spliced)
            continue
        try:
            validate_data(RuleLibrary, data, path, lines)
        except LoadError as exc:
            problems.extend(exc.problems)
            continue
        for _, rule in _named(path, data["rules"], "rules", lines, out, problems):
            out[rule["id"]] = rule
    if problems:
        raise LoadError(problems)
    return out


def resolve_rule_refs(data: Any, path: Path, lines: dict[tuple[Any, ...], int],
                      library: dict[str, dict[str, Any]]) -> None:
    """Replace each `{use: NAME}` rule of a checklist's criteria by the library rule it names (in place).

    A reference may rename the rule for its criterion (`id:`, what evidence shows) and set its `outcome`; the
    detection itself (patterns, polarity, scope, options) is the library's, so it is written once for every checklist.
    """
    problems: list[Problem] = []
    criteria = data.get("criteria") if isinstance(data, dict) else None
    for ci, criterion in enumerate(criteria if isinstance(criteria, list) else []):
        rules = criterion.get("rules") if isinstance(criterion, dict) else None
        if not isinstance(rules, list):
            continue
        for ri, rule in enumerate(rules):
            if not isinstance(rule, dict) or "use" not in rule:
                continue
            loc = ("criteria", ci, "rules", ri)
            name = rule["use"]
            if extra := sorted(set(rule) - _REF_KEYS):
                problems.append(Problem(path, line_for(loc, lines), _dotted(loc),
                                        f"a rule reference sets only use, id and outcome "
                                        f"(patterns belong in {RULES_SUBDIR}/): {', '.join(extra)}"))
            elif name not in library:
                near = get_close_matches(str(name), library, n=1)
                hint = f"; did you mean {near[0]!r}?" if near else ""
                problems.append(Problem(path, line_for(loc, lines), _dotted(loc + ("use",)),
                                        f"no rule {name!r} in {RULES_SUBDIR}/{hint}"))
            else:
                resolved = dict(library[name])
                resolved["id"] = rule.get("id", name.split(".", 1)[1])
                if "outcome" in rule:
                    resolved["outcome"] = rule["outcome"]
                rules[ri] = resolved
    if problems:
        raise LoadError(problems)


def load_checklist(path: Path, library: dict[str, dict[str, Any]]) -> tuple[Checklist, str]:
    """One checklist file with its rule references resolved, and the sha256 of what it applies (the file's bytes
    and the library rules it uses), so a changed rule shows in every assessment's checklist reference."""
    data, lines = read_yaml(path)
    resolve_rule_refs(data, path, lines, library)
    checklist = validate_data(Checklist, data, path, lines)
    used = [r.model_dump(mode="json") for c in checklist.criteria for r in c.rules]
    digest = hashlib.sha256(path.read_bytes() + json.dumps(used, sort_keys=True).encode()).hexdigest()
    return checklist, digest


@dataclass(frozen=True)
class LoadedChecklist:
    """A checklist with the file it came from and the hash of what it applies (for reproducible assessments)."""

    checklist: Checklist
    path: Path
    sha256: str


def load_checklists(directory: Path | None = None) -> dict[str, LoadedChecklist]:
    """Every checklist in a directory (the resolved settings' by default), by id, with includes checked and rule
    references resolved. Reloaded only when a file (or a rule library file) changed, by name, size and
    modification time, so a notebook or an audit over many vendors parses them once."""
    directory = directory if directory is not None else resolve_settings().checklists
    stamp = tuple((str(p.relative_to(directory)), p.stat().st_mtime_ns, p.stat().st_size)
                  for p in [*yaml_files(directory), *rule_library_files(directory)])
    return dict(_load_checklists(Path(directory).resolve(), stamp))


@lru_cache(maxsize=8)
def _load_checklists(directory: Path, stamp: tuple[tuple[str, int, int], ...]) -> dict[str, LoadedChecklist]:
    folder = cache_dir()
    key = _checklists_key(directory) if folder is not None else ""
    if folder is not None and (cached := _cached_checklists(folder / f"checklists-{key}.json", directory)):
        return cached
    out = _read_checklists(directory)
    if folder is not None:
        _cache_checklists(folder / f"checklists-{key}.json", out)
    return out


CACHED_CHECKLIST_SETS = 8  # the cache keeps the checklists of this many versions of the files (the newest)


def _checklists_key(directory: Path) -> str:
    """The sha256 of everything a folder's loaded checklists follow from: its files (names and bytes), the code
    that reads and validates them and the Python that compiled their patterns."""
    digest = hashlib.sha256(sys.version.encode())  # which patterns compile is the Python's
    code = Path(__file__).parent
    for path in [code / "models.py", code / "loading.py", *yaml_files(directory), *rule_library_files(directory)]:
        digest.update(f"{path.relative_to(code if path.parent == code else directory)}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _cached_checklists(path: Path, directory: Path) -> dict[str, LoadedChecklist] | None:
    """The checklists as loaded before from the same files (None when not cached or unreadable)."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
        return {e["id"]: LoadedChecklist(Checklist.model_validate(e["checklist"], context={PATTERNS_CHECKED: True}),
                                         directory / e["file"], e["sha256"]) for e in entries}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _cache_checklists(path: Path, loaded: dict[str, LoadedChecklist]) -> None:
    """Keep checklists that loaded without a problem in the cache (written whole, or not at all)."""
    entries = [{"id": cid, "file": c.path.name, "sha256": c.sha256, "checklist": c.checklist.model_dump(mode="json")}
               for cid, c in loaded.items()]
    write_cached(path, json.dumps(entries), CACHED_CHECKLIST_SETS)


def _read_checklists(directory: Path) -> dict[str, LoadedChecklist]:
    out: dict[str, LoadedChecklist] = {}
    problems: list[Problem] = []
    library = load_rule_library(directory)
    for path in yaml_files(directory):
        try:
            checklist, digest = load_checklist(path, library)
        except LoadError as exc:
            problems.extend(exc.problems)
            continue
        if checklist.id in out:
            problems.append(Problem(path, None, "id", f"duplicate checklist id {checklist.id!r}"))
        out[checklist.id] = LoadedChecklist(checklist, path, digest)
    problems += [Problem(loaded.path, None, "includes", f"unknown checklist {inc!r}")
                 for loaded in out.values() for inc in loaded.checklist.includes if inc not in out]
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
            folder = next(iter(available.values())).path.parent if available else Path(CHECKLISTS)
            raise LoadError([Problem(folder, None, "", unknown_id("checklist", cid, available, "assessor checklists"))])
        for inc in available[cid].checklist.includes:
            visit(inc, stack + (cid,))
        seen.add(cid)
        order.append(available[cid])

    for cid in ids:
        visit(cid, ())
    return order
