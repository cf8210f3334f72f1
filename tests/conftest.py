"""Shared fixtures: paths into the project and a helper to run the CLI as a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def run_cli(*args: str, cwd: Path = ROOT, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `python -m assessor ARGS` and capture its output."""
    return subprocess.run([sys.executable, "-m", "assessor", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture
def cli():
    """The CLI runner, as a fixture."""
    return run_cli
