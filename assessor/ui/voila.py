"""Serve a notebook as a staff web page with Voilà, the project's way: `python -m assessor.ui.voila NOTEBOOK [ARGS]`.

It uses the `assessor` Voilà template shipped in this package (Voilà's lab template without the style sheets it
loads from a CDN, so the page requests nothing from outside), binds to 127.0.0.1 unless `--Voila.ip` says otherwise,
and passes every other argument to Voilà. Plain `voila` started in the project folder gets the same two settings from
the project's `voila.json` (tests/test_ui_voila.py checks that the two agree); it finds the template under
`share/jupyter/voila/templates/` (a wheel installs it there, `make` links it for the editable install).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

JUPYTER_DATA = Path(__file__).resolve().parent / "jupyter"  # holds voila/templates/assessor
TEMPLATE = "assessor"


def voila_args(argv: Sequence[str]) -> list[str]:
    """Voilà's command line: ours first, so that the caller's own options win."""
    ours = [f"--template={TEMPLATE}", "--no-browser"]
    if not any(a.startswith(("--Voila.ip", "--ip")) for a in argv):
        ours.append("--Voila.ip=127.0.0.1")
    return [*ours, *argv]


def main(argv: Sequence[str] | None = None) -> int:
    """Start Voilà with the assessor template on the notebook given."""
    from voila.app import main as voila_main

    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(JUPYTER_DATA), os.environ.get("JUPYTER_PATH")]))
    sys.argv = ["voila", *voila_args(sys.argv[1:] if argv is None else argv)]
    return int(voila_main() or 0)


if __name__ == "__main__":
    raise SystemExit(main())
