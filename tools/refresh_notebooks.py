"""Re-execute the shipped notebooks and store their fresh outputs in normalised form (`make notebooks`).

A developers' tool, not part of the installed package: it needs the `test` extra (nbclient, nbformat, nbstripout).

Each notebook runs top to bottom in a fresh kernel from its own folder. The stored copy keeps its outputs (CI
compares the tagged summary cells with nbval) but no widget state, widget model ids or run metadata, so refreshing
unchanged inputs rewrites the same bytes.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# nbstripout keeps outputs and counts, and drops what changes from run to run.
STRIP_ARGS = ("--keep-output", "--keep-count", "--extra-keys",
              "metadata.widgets metadata.papermill metadata.language_info.version cell.metadata.papermill "
              "cell.metadata.execution")


def execute(path: Path, timeout: int = 600) -> None:
    """Run a notebook in place, then drop widget model ids (random per run) from its outputs."""
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
    nbformat.write(nb, path)


def normalise(paths: Sequence[Path], verify: bool = False) -> int:
    """nbstripout with the project's flags (exit status 1 with `verify` if any notebook would change)."""
    args = [sys.executable, "-m", "nbstripout", *STRIP_ARGS, *(["--verify"] if verify else [])]
    return subprocess.run([*args, *map(str, paths)], check=False).returncode


def main(argv: Sequence[str] | None = None) -> int:
    """`python tools/refresh_notebooks.py NOTEBOOK...`: refresh the stored outputs of each. A notebook that fails is
    named with its error (one line) and left as it was; the others are still refreshed; exit status 1."""
    failed = 0
    for path in [Path(p) for p in (sys.argv[1:] if argv is None else argv)]:
        print(f"running {path}", flush=True)
        try:
            execute(path)
        except CellExecutionError as exc:
            failed += 1
            print(f"{path}: not refreshed: {exc.ename}: {exc.evalue}", file=sys.stderr)
            continue
        failed += normalise([path]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
