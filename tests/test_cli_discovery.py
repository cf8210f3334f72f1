"""The command line for a newcomer: what exists is listed, a typo gets a suggestion and writes nothing, the help says
what a command does (not how it is built), and long batches show a progress bar on a terminal."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import tomllib

import pytest

from assessor.loading import load_checklists, load_vendors

from .conftest import ROOT, run_cli


def test_vendors_lists_every_profile_with_its_name_and_category():
    result = run_cli("vendors")
    assert result.returncode == 0, result.stderr
    vendors = load_vendors()
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["id", "name", "category"] and len(lines) == len(vendors) + 2
    for v in vendors.values():
        assert any(line.startswith(v.id + " ") and v.name in line and v.category.value in line for line in lines)
    as_json = run_cli("vendors", "--format", "json")
    assert sorted(v["id"] for v in json.loads(as_json.stdout)) == sorted(vendors)


def test_checklists_lists_every_checklist_with_its_title_and_kind():
    result = run_cli("checklists")
    assert result.returncode == 0, result.stderr
    for loaded in load_checklists().values():
        c = loaded.checklist
        assert any(line.startswith(c.id + " ") and c.title in line and c.kind in line
                   for line in result.stdout.splitlines())


def test_a_vendor_typo_suggests_the_vendor_and_writes_nothing(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    (out / "portfolio.html").write_text("yesterday's portfolio")
    result = run_cli("report", "hoopl", "--out", str(out), "--offline")
    assert result.returncode == 1
    assert result.stderr == ("assessor: error: no vendor profile 'hoopl'; did you mean 'hoopla'? "
                             "(`assessor vendors` lists them)\n")
    assert sorted(p.name for p in out.iterdir()) == ["portfolio.html"]
    assert (out / "portfolio.html").read_text() == "yesterday's portfolio"
    for command in (["review", "brightshelff", "--offline", "--out", str(out)], ["fetch", "brightshelff"],
                    ["history", "brightshelff"], ["audit", "brightshelff", "--out", str(out)]):
        result = run_cli(*command)
        assert result.returncode == 1 and "did you mean 'brightshelf'?" in result.stderr, command
        assert result.stderr.count("\n") == 1
    assert sorted(p.name for p in out.iterdir()) == ["portfolio.html"]


def test_a_checklist_typo_suggests_the_checklist_and_writes_nothing(tmp_path):
    result = run_cli("report", "brightshelf", "--checklist", "ala-vendor", "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and not (tmp_path / "out").exists()
    assert "no checklist 'ala-vendor'; did you mean 'ala-vendors'?" in result.stderr
    sample = str(ROOT / "vendor_profiles" / "samples" / "brightshelf.html")
    assert "did you mean 'us-ca' or 'us-ct'?" in run_cli("score", sample, "--checklist", "us_ca").stderr


def test_help_describes_what_commands_do():
    main = run_cli("--help").stdout
    assert "thin face" not in main and "pipeline" not in main.lower()
    assert "vendors" in main and "checklists" in main and "assessor demo" in main
    score = run_cli("score", "--help").stdout
    assert "PDF" in score and "DOCX" in score and ".pdf" in score and ".docx" in score


def test_the_offline_error_for_a_url_advises_a_command_that_works(tmp_path):
    url = "https://example.org/policy"
    result = run_cli("score", url, "--offline", "--archive", str(tmp_path))
    assert result.returncode == 1 and "no archived copy" in result.stderr
    assert "assessor fetch" not in result.stderr and "without --offline" in result.stderr


def _with_terminal_stderr(*args: str) -> tuple[int, str]:
    """Run the CLI with stderr on a pseudo-terminal (as in a librarian's shell); return its exit code and stderr."""
    pty, fcntl, termios = (pytest.importorskip(m) for m in ("pty", "fcntl", "termios"))  # POSIX terminals only
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))  # a 100-column terminal
    proc = subprocess.Popen([sys.executable, "-m", "assessor", *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return proc.wait(timeout=120), b"".join(chunks).decode(errors="replace")


def test_report_shows_a_progress_bar_on_a_terminal_only(tmp_path):
    vendors = ["brightshelf", "keystone-ils", "lanternfind"]
    code, err = _with_terminal_stderr("report", *vendors, "--offline", "--out", str(tmp_path / "tty"))
    assert code == 0 and "reviewing" in err and "3/3" in err
    piped = run_cli("report", *vendors, "--offline", "--out", str(tmp_path / "pipe"))
    assert piped.returncode == 0 and "reviewing" not in piped.stderr
    assert all(any(line.startswith(v + " ") for line in piped.stdout.splitlines()) for v in vendors)


def test_fetch_shows_a_progress_bar_on_a_terminal(tmp_path):
    code, err = _with_terminal_stderr("fetch", "brightshelf", "keystone-ils", "--archive", str(tmp_path))
    assert code == 0 and "fetching" in err


def test_audit_and_check_show_a_progress_bar_on_a_terminal_only(tmp_path):
    """A cron job's mail or a CI log gets the gate's lines, not a bar's carriage returns."""
    vendors = ["brightshelf", "keystone-ils"]
    for command in ("audit", "check"):
        args = [command, *vendors, "--offline", "--archive", str(tmp_path / "archive"), "--out", str(tmp_path / "a")]
        code, err = _with_terminal_stderr(*args, *(["--no-accept"] if command == "audit" else []))
        assert "auditing" in err, command
        piped = run_cli(*args, *(["--no-accept"] if command == "audit" else []))
        assert "auditing" not in piped.stderr and "\r" not in piped.stderr, command


def test_the_licence_is_an_spdx_expression():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == "Apache-2.0"
    assert any(r.startswith("setuptools>=77") for r in project["build-system"]["requires"])
