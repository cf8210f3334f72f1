"""Shared fixtures: paths into the project and a helper to run the CLI as a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from assessor.archive import Archive

from .artifacts import write_manifest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

# The tests (and the CLI runs and notebook kernels they start) keep assessor's cache in a folder of their own, removed
# at the end, never in the user's cache folder; a cache named by the caller is left as it is.
_TEST_CACHE = None if "ASSESSOR_CACHE" in os.environ else tempfile.mkdtemp(prefix="assessor-test-cache-")
if _TEST_CACHE:
    os.environ["ASSESSOR_CACHE"] = _TEST_CACHE


def run_cli(*args: str, cwd: Path = ROOT, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `python -m assessor ARGS` and capture its output."""
    return subprocess.run([sys.executable, "-m", "assessor", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture
def cli():
    """The CLI runner, as a fixture."""
    return run_cli


@pytest.fixture(scope="session")
def local_http_server():
    """One real HTTP server on 127.0.0.1 for the whole run (tests get it through `http`)."""
    srv = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def http(local_http_server):
    """The local HTTP server with no handlers and no recorded requests."""
    local_http_server.clear()
    yield local_http_server
    local_http_server.clear()


@pytest.fixture
def archive(tmp_path):
    """An empty evidence archive in a temporary folder."""
    with Archive(tmp_path / "archive") as store:
        yield store


def pytest_sessionfinish(session, exitstatus):
    """List the screenshots and PDFs the browser tests kept (tests/artifacts.py), pass or fail; remove the tests'
    cache folder."""
    write_manifest()
    if _TEST_CACHE:
        shutil.rmtree(_TEST_CACHE, ignore_errors=True)
