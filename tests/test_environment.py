"""environment.yml installs the package from pyproject.toml, so the two cannot disagree."""

from __future__ import annotations

import tomllib

import yaml

from .conftest import ROOT


def test_environment_installs_the_project_and_its_extras():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    assert project["requires-python"] == ">=" + python.split("=")[1]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    editable = [p for p in pip if p.startswith("-e .")]
    assert editable, "environment.yml must install the project itself with pip"
    extras = editable[0].partition("[")[2].rstrip("]").split(",")
    assert set(extras) <= set(project["optional-dependencies"])
    assert {"notebooks"} <= set(extras)
    others = [p for p in pip if not p.startswith("-e")]
    assert not others, f"declare dependencies in pyproject.toml, not environment.yml: {others}"
