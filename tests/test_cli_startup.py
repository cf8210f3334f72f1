"""`assessor score FILE` starts fast: the CLI imports only what a local score needs, and a file scored again is read
from the cache without its reader (issue 13's start-up target, kept from regressing silently)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

# Packages `assessor score FILE` never needs once its readers, models and data files are cached: the network stack,
# the HTML readers, the language model's numpy, the archive's sqlite3, the YAML reader (checklists and data files come
# back validated from the cache), the lock of the files it never writes, and what only reports, spreadsheets and
# notebooks use.
NEVER_FOR_A_CACHED_SCORE = ("requests", "urllib3", "bs4", "trafilatura", "lxml", "charset_normalizer", "numpy",
                            "py3langid", "sqlite3", "psutil", "yaml", "filelock", "openpyxl", "jinja2", "ipywidgets",
                            "playwright")
# What `import assessor.cli` alone must not import: the above, and no reader of any document kind.
NEVER_AT_IMPORT = (*NEVER_FOR_A_CACHED_SCORE, "pypdf", "docx")

_PROBE = """
import contextlib, io, json, sys
import assessor.cli
imported = sorted({m.split(".")[0] for m in sys.modules})
out = io.StringIO()
if sys.argv[1:]:
    with contextlib.redirect_stdout(out):
        assessor.cli.main(sys.argv[1:])
import gc
print(json.dumps({"at_import": imported, "after": sorted({m.split(".")[0] for m in sys.modules}),
                  "stdout": out.getvalue(), "frozen": gc.get_freeze_count(), "threshold": gc.get_threshold()[0]}))
"""


def _probe(*args: str, cache: str) -> dict:
    env = {**os.environ, "ASSESSOR_CACHE": cache}
    result = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=ROOT, capture_output=True, text=True,
                            env=env, timeout=120, check=True)
    return json.loads(result.stdout)


def test_importing_the_cli_imports_no_heavy_package(tmp_path: Path):
    imported = _probe(cache=str(tmp_path))["at_import"]
    assert not set(NEVER_AT_IMPORT) & set(imported)


def test_a_file_scored_again_needs_neither_its_reader_nor_the_network(tmp_path: Path):
    args = ("score", "vendor_profiles/samples/brightshelf.html", "--format", "json",
            "--checklist", "ala-econtent", "--checklist", "us-ca")
    first = _probe(*args, cache=str(tmp_path))
    assert "trafilatura" in first["after"]  # the first reading parses the page (the test would prove nothing else)
    again = _probe(*args, cache=str(tmp_path))
    assert not set(NEVER_FOR_A_CACHED_SCORE) & set(again["after"])
    uncached = _probe(*args, cache="off")
    assert again["stdout"] == first["stdout"] == uncached["stdout"]  # the cache changes nothing but the time


def test_a_page_read_for_the_first_time_needs_no_numpy(tmp_path: Path):
    """The language is identified without numpy and trafilatura is imported without py3langid (its language filter
    is not used): 0.1 s of start-up."""
    _probe("score", "vendor_profiles/samples/keystone-dpa.txt", cache=str(tmp_path))  # unpacks the model (numpy)
    for source in ("vendor_profiles/samples/brightshelf.html", "vendor_profiles/samples/lanternfind-cookies.md"):
        after = _probe("score", source, "--format", "json", cache=str(tmp_path))["after"]
        assert not {"numpy", "py3langid"} & set(after), source
        assert source.endswith(".md") or {"bs4", "trafilatura"} <= set(after), "the page was read, not the cache"


def test_a_text_file_is_scored_without_the_network_or_html_readers(tmp_path: Path):
    after = _probe("score", "vendor_profiles/samples/keystone-dpa.txt", "--format", "json",
                   cache=str(tmp_path))["after"]
    assert not {"requests", "urllib3", "bs4", "trafilatura", "lxml", "sqlite3", "openpyxl", "jinja2"} & set(after)
    assert not {"filelock", "psutil"} & set(after)  # a first reading writes to the cache, which takes no lock


def test_the_table_of_a_file_scored_again_reads_no_yaml(tmp_path: Path):
    """The default output (the report model's table) takes the concerns file from the cache too."""
    args = ("score", "vendor_profiles/samples/keystone-dpa.txt")
    first = _probe(*args, cache=str(tmp_path))
    again = _probe(*args, cache=str(tmp_path))
    assert "yaml" in first["after"] and "yaml" not in again["after"]
    assert not {"jinja2", "openpyxl", "markupsafe"} & set(again["after"])  # no template engine, no spreadsheets
    assert again["stdout"] == first["stdout"]


def test_every_name_the_report_package_exports_resolves():
    """`assessor.report` imports its modules when a name is first used; each exported name must reach one."""
    import assessor.report as report

    assert sorted(report.__all__) == sorted(report._MODULE_OF)
    assert all(callable(getattr(report, name)) for name in report.__all__)


def test_a_command_spares_the_garbage_collector_what_it_imported(tmp_path: Path):
    """What a command imported is set aside from the cyclic collector, which runs less often (a tenth of start-up)."""
    from assessor.cli import GC_THRESHOLD

    probe = _probe("score", "vendor_profiles/samples/keystone-dpa.txt", "--format", "json", cache=str(tmp_path))
    assert probe["frozen"] > 10_000 and probe["threshold"] == GC_THRESHOLD
