"""Export the JSON Schemas of the YAML files people edit (`make schemas`), for editors' completion and checks."""

from __future__ import annotations

import json
from pathlib import Path

from .fileio import atomic_write_text
from .models import Assessment, Checklist, VendorProfile
from .reviews import ReviewsFile
from .settings import SOURCE_ROOT

SCHEMAS = {"checklist": Checklist, "vendor-profile": VendorProfile, "reviews": ReviewsFile, "assessment": Assessment}
SCHEMA_DIR = SOURCE_ROOT / "schemas"  # in the source checkout: a developers' tool


def schema_text(model: type) -> str:
    """The JSON Schema of a model, as stable text."""
    return json.dumps(model.model_json_schema(), indent=2, sort_keys=True) + "\n"  # type: ignore[attr-defined]


def export(directory: Path = SCHEMA_DIR) -> list[Path]:
    """Write every schema into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = directory / f"{name}.schema.json"
        atomic_write_text(path, schema_text(model))  # bytes: `\n` line ends on every system, as committed
        written.append(path)
    return written


if __name__ == "__main__":
    for p in export():
        print(p)
