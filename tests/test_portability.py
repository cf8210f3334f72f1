"""Windows and macOS semantics that can be checked on Linux: ids that name files are portable file names, no
POSIX-only call, no text written with the platform's line ends. (Locking, folder fsync, renames over open files and
the console code page are simulated in test_fileio.py, test_archive.py and test_cli.py.)"""

from __future__ import annotations

import ast
import shutil
import subprocess
import warnings
from pathlib import Path, PureWindowsPath

import pytest
from pydantic import ValidationError

from assessor.errors import AssessorError
from assessor.loading import LoadError, load_vendor
from assessor.models import WINDOWS_DEVICE_NAMES, Checklist, VendorProfile, is_file_id
from assessor.reviews import reviews_path

from .conftest import ROOT

SOURCES = sorted((ROOT / "assessor").rglob("*.py")) + sorted((ROOT / "tools").rglob("*.py"))
# Benchmarks run on a developer's machine (one measures child CPU time with `resource`), but what they write is
# compared across machines, so their line ends are fixed too.
BENCHMARKS = sorted((ROOT / "benchmarks").glob("*.py"))
LINE_ENDS = "text written without newline= (CRLF on Windows)"
POSIX_ONLY_MODULES = {"fcntl", "grp", "posix", "pty", "pwd", "resource", "termios"}
POSIX_ONLY_CALLS = {("os", name) for name in ("kill", "killpg", "getuid", "geteuid", "getgid", "fork", "setsid",
                                               "chown", "mkfifo")} | {("signal", "SIGKILL"), ("signal", "alarm")}


def _windows_reserved(name: str) -> bool:
    with warnings.catch_warnings():  # deprecated from Python 3.13 (os.path.isreserved), still right
        warnings.simplefilter("ignore", DeprecationWarning)
        return PureWindowsPath(name).is_reserved()


def test_the_device_names_are_the_ones_windows_reserves():
    slug_shaped = [n for n in WINDOWS_DEVICE_NAMES if not n.endswith("0")]  # COM0/LPT0: reserved only lately
    assert all(_windows_reserved(f"{n}.yaml") for n in slug_shaped)
    assert not _windows_reserved("brightshelf.yaml")


@pytest.mark.parametrize("vendor_id", sorted(WINDOWS_DEVICE_NAMES))
def test_a_vendor_or_checklist_cannot_take_a_windows_device_name(vendor_id):
    with pytest.raises(ValidationError, match="device on Windows"):
        VendorProfile(id=vendor_id, name="x", category="other", documents=[{"kind": "privacy-policy",
                                                                             "url": "https://example.org/"}])
    with pytest.raises(ValidationError, match="device on Windows"):
        Checklist(id=vendor_id, title="x", version="1", criteria=[])
    assert not is_file_id(vendor_id)


@pytest.mark.parametrize("given", ["..\\brightshelf", "../vendor_profiles/brightshelf", "C:brightshelf",
                                   "C:\\brightshelf", "\\\\server\\share\\brightshelf", "brightshelf.", "con",
                                   "Brightshelf", "brightshelf\n"])
def test_no_file_is_named_after_a_string_that_is_not_an_id(given, tmp_path):
    """What a user types as a vendor id never becomes a path, under POSIX or Windows rules."""
    assert not is_file_id(given)
    with pytest.raises(LoadError, match="no vendor profile"):
        load_vendor(given, ROOT / "vendor_profiles")
    with pytest.raises(AssessorError, match="not a vendor id"):
        reviews_path(given, tmp_path)


def test_every_shipped_id_is_one_plain_file_name_on_windows():
    for path in sorted((ROOT / "vendor_profiles").glob("*.yaml")) + sorted((ROOT / "checklists").glob("*.yaml")):
        win = PureWindowsPath(path.name)
        assert is_file_id(path.stem) and not win.drive and not win.root and not _windows_reserved(path.name), path


def _calls(tree: ast.AST) -> list[tuple[str, str, ast.expr]]:
    return [(node.value.id, node.attr, node) for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)]


def _problems(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = path.relative_to(root).as_posix()
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt | ast.expr):
            continue
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        out += [f"{where}:{node.lineno}: imports {n} (POSIX only)" for n in names
                if n.split(".")[0] in POSIX_ONLY_MODULES]
        if isinstance(node, ast.Call):
            func = node.func
            keywords = {k.arg for k in node.keywords}
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            mode = next((a.value for a in node.args[1:2] if isinstance(a, ast.Constant)), None)
            mode = next((k.value.value for k in node.keywords if k.arg == "mode" and isinstance(k.value, ast.Constant)),
                        mode)
            text_write = (name == "write_text" or (name == "open" and isinstance(mode, str) and "b" not in mode
                                                    and any(c in mode for c in "wax")))
            if text_write and "newline" not in keywords:
                out.append(f"{where}:{node.lineno}: {LINE_ENDS}")
    out += [f"{where}:{n.lineno}: {m}.{a} (POSIX only)" for m, a, n in _calls(tree) if (m, a) in POSIX_ONLY_CALLS]
    return out


def test_no_posix_only_call_and_no_platform_line_ends():
    assert [p for path in SOURCES for p in _problems(path)] == []


def test_benchmarks_write_fixed_line_ends():
    assert [p for path in BENCHMARKS for p in _problems(path) if p.endswith(LINE_ENDS)] == []


def test_the_scan_would_catch_them(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import fcntl\nimport os\nos.kill(1, 0)\nopen('x', 'w').write('a')\n"
                     "from pathlib import Path\nPath('x').write_text('a')\nPath('y').write_text('a', newline='\\n')\n"
                     "open('z', 'rb').read()\n", encoding="utf-8")
    assert [p.split(": ", 1)[1] for p in _problems(probe, tmp_path)] == [
        "imports fcntl (POSIX only)", "text written without newline= (CRLF on Windows)",
        "text written without newline= (CRLF on Windows)", "os.kill (POSIX only)"]


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs a git checkout")
def test_a_windows_checkout_has_the_same_bytes(tmp_path):
    """git for Windows checks text out with CRLF (core.autocrlf=true) unless .gitattributes says otherwise: the
    checklists (hashed into every assessment), sample policies and golden files must come out byte for byte as
    here, or a checklist 'changes' between machines and the goldens fail."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    files = [f for f in listed.decode().split("\0") if f]
    for system, config in (("linux", ["core.autocrlf=false", "core.eol=lf"]),
                           ("windows", ["core.autocrlf=true", "core.eol=crlf"])):
        options = [arg for c in config for arg in ("-c", c)]
        subprocess.run(["git", *options, "checkout-index", "--stdin", "-z", f"--prefix={tmp_path / system}/"], cwd=ROOT,
                       input="\0".join(files).encode(), check=True)
    differ = [f for f in files if (tmp_path / "linux" / f).is_file()
              and (tmp_path / "linux" / f).read_bytes() != (tmp_path / "windows" / f).read_bytes()]
    assert differ == []


def test_a_profile_saved_by_a_windows_editor_loads_and_errors_keep_their_line(tmp_path):
    """Notepad and friends write CRLF line ends, some a byte-order mark: the file reads the same, and a mistake is
    still reported at its line."""
    text = (ROOT / "vendor_profiles" / "brightshelf.yaml").read_text(encoding="utf-8")
    windows = tmp_path / "brightshelf.yaml"
    windows.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert load_vendor("brightshelf", tmp_path) == load_vendor("brightshelf", ROOT / "vendor_profiles")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("category:"))
    windows.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").replace("category: ", "category: x").encode())
    with pytest.raises(LoadError, match=rf"brightshelf.yaml:{line}: category: Input should be"):
        load_vendor("brightshelf", tmp_path)
