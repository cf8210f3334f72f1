"""Where assessor reads and writes: resolved once per run (a command, a notebook application) and passed down.

A *project* is a folder holding `checklists/` and `vendor_profiles/` (this repository is one; so is a librarian's
own folder). It is the folder named by `--project DIR` or `$ASSESSOR_PROJECT`, else the first one found from the
current directory upward. In a project, reviews go to `reviews/` and the archive to `data/archive/`. Outside any
project, the checklists and sample vendor profiles shipped with the package are read, and reviews and the archive go
to the user's data folder (`platformdirs`). `$ASSESSOR_VENDOR_DIR`, `$ASSESSOR_REVIEWS_DIR` and `$ASSESSOR_ARCHIVE`
move one folder each, and `$ASSESSOR_CACHE` the cache (`off` for none). The environment is read only here, when
settings are resolved, never at import.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import platformdirs

from .errors import AssessorError

PROJECT_ENV = "ASSESSOR_PROJECT"
VENDORS_ENV = "ASSESSOR_VENDOR_DIR"
REVIEWS_ENV = "ASSESSOR_REVIEWS_DIR"
ARCHIVE_ENV = "ASSESSOR_ARCHIVE"
CACHE_ENV = "ASSESSOR_CACHE"
CHECKLISTS = "checklists"
VENDOR_PROFILES = "vendor_profiles"
# The folder above the package: the source checkout in development (where tests/ and schemas/ live, for the
# developers' tools), site-packages when installed. Never where a run's data is looked up first.
SOURCE_ROOT = Path(__file__).resolve().parent.parent


def is_project(folder: Path) -> bool:
    """Whether a folder is an assessor project (it holds `checklists/` and `vendor_profiles/`)."""
    return (folder / CHECKLISTS).is_dir() and (folder / VENDOR_PROFILES).is_dir()


def find_project(start: Path) -> Path | None:
    """The nearest project folder at or above `start` (resolved), or None."""
    start = start.resolve()
    return next((folder for folder in (start, *start.parents) if is_project(folder)), None)


def shipped_root() -> Path:
    """The folder holding the checklists and sample vendor profiles that came with the package: inside the installed
    package (a wheel carries them as package data), else the source checkout the package is imported from."""
    package = files("assessor")
    if isinstance(package, Path) and is_project(package):
        return package
    if is_project(SOURCE_ROOT):
        return SOURCE_ROOT
    raise AssessorError(f"no checklists shipped with this installation of assessor ({package}); "
                        "reinstall it, or give --project DIR")


@dataclass(frozen=True)
class Settings:
    """The folders one run uses. Build it with `resolve_settings()` (or directly, in tests) and pass it down."""

    checklists: Path
    vendors: Path
    reviews: Path
    archive: Path
    project: Path | None = None

    @classmethod
    def for_project(cls, root: Path) -> Settings:
        """The folders of a project: `checklists/`, `vendor_profiles/`, `reviews/`, `data/archive/`."""
        root = Path(root).resolve()
        return cls(checklists=root / CHECKLISTS, vendors=root / VENDOR_PROFILES, reviews=root / "reviews",
                   archive=root / "data" / "archive", project=root)

    @classmethod
    def outside_project(cls, data_dir: Path | None = None) -> Settings:
        """No project: the shipped checklists and sample profiles; reviews and archive in the user's data folder."""
        shipped = shipped_root()
        data = Path(data_dir) if data_dir is not None else Path(platformdirs.user_data_dir("assessor",
                                                                                         appauthor=False))
        return cls(checklists=shipped / CHECKLISTS, vendors=shipped / VENDOR_PROFILES, reviews=data / "reviews",
                   archive=data / "archive")

    def describe(self) -> str:
        """One line per folder: what `assessor where` prints."""
        project = str(self.project) if self.project else "none (the shipped checklists and sample vendors)"
        return "\n".join([f"project     {project}", f"checklists  {self.checklists}",
                          f"vendors     {self.vendors}", f"reviews     {self.reviews}", f"archive     {self.archive}"])


def resolve_settings(project: Path | str | None = None, *, cwd: Path | None = None,
                     environ: Mapping[str, str] | None = None) -> Settings:
    """The settings of this run: the project named (argument, then $ASSESSOR_PROJECT), else the one found from `cwd`
    (the current directory) upward, else none; then the folder variables. A named folder that is not a project is
    an error, never a silent fallback."""
    env = os.environ if environ is None else environ
    named = project or env.get(PROJECT_ENV) or None
    if named is not None:
        root = Path(named).expanduser()
        if not is_project(root):
            raise AssessorError(f"{root}: not an assessor project (it needs {CHECKLISTS}/ and {VENDOR_PROFILES}/)")
        settings = Settings.for_project(root)
    else:
        found = find_project(cwd if cwd is not None else Path.cwd())
        settings = Settings.for_project(found) if found else Settings.outside_project()
    moved = {name: Path(env[var]).expanduser() for name, var in
             (("vendors", VENDORS_ENV), ("reviews", REVIEWS_ENV), ("archive", ARCHIVE_ENV)) if env.get(var)}
    return replace(settings, **moved) if moved else settings


def cache_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    """Where work that only makes a run faster is kept (`$ASSESSOR_CACHE`, else the user's cache folder), or None
    when `$ASSESSOR_CACHE` is `off`. What is kept there is named by the hash of what it was made from, and is made
    again when missing: deleting the folder is always safe."""
    env = os.environ if environ is None else environ
    named = env.get(CACHE_ENV, "")
    if named.lower() == "off":
        return None
    return Path(named).expanduser() if named else Path(platformdirs.user_cache_dir("assessor", appauthor=False))


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha256 of the package's code and data, so that a cached document or assessment never outlives the code that
    made it."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted(p for p in root.rglob("*") if p.suffix in {".py", ".yaml", ".json"}):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def write_cached(path: Path, data: str | bytes, keep: int) -> None:
    """Write a cache file atomically (`fileio.atomic_write_bytes`), or not at all (an unwritable cache only makes the
    next run slower), and keep the `keep` newest files of its kind (named alike up to the first '-')."""
    from .fileio import atomic_write_bytes  # here, not at import: only a cache miss writes

    try:
        atomic_write_bytes(path, data.encode("utf-8") if isinstance(data, str) else data)
        kind = path.name.split("-", 1)[0]
        older = sorted(path.parent.glob(f"{kind}-*{path.suffix}"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for stale in older[keep:]:
            stale.unlink(missing_ok=True)
    except (OSError, AssessorError):
        pass
