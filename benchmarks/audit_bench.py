"""Speed of the annual audit: an offline `assessor audit` of many vendors, as a user runs it (one command).

    .venv/bin/python benchmarks/audit_bench.py [--vendors 60] [--changed 6]

Builds a temporary project with VENDORS profiles (copies of the sample vendors, each with its own URL and the
sample's checklists), archives each sample policy for them in 2025, runs `assessor audit --offline` (the first audit,
everything scored, accepted), records a new version for CHANGED vendors in 2026, and times the second
`assessor audit --offline` (the re-audit: the baselines come from the assessment cache, only the changed texts are
scored). Wall-clock and CPU seconds of each command, start-up included. Target: the re-audit of 60 vendors under
10 s (exit 1 when missed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from assessor.archive import Archive
from assessor.loading import load_vendors
from assessor.parse import content_type_for, parse_bytes
from assessor.settings import SOURCE_ROOT

TARGET_SECONDS = 10.0


def build_project(root: Path, count: int, changed: int) -> Path:
    """A project with `count` vendors whose privacy policies are archived in 2025 (and `changed` of them again, with
    a new paragraph, in 2026). Returns the archive folder."""
    shutil.copytree(SOURCE_ROOT / "checklists", root / "checklists")
    (root / "vendor_profiles").mkdir()
    samples = [v for v in load_vendors(SOURCE_ROOT / "vendor_profiles").values() if v.synthetic]
    archive_dir = root / "data" / "archive"
    with Archive(archive_dir) as archive:
        for n in range(count):
            sample = samples[n % len(samples)]
            vid, url = f"bench-{n:02d}", f"https://bench-{n:02d}.example.org/privacy"
            (root / "vendor_profiles" / f"{vid}.yaml").write_text(yaml.safe_dump({
                "id": vid, "name": f"Bench vendor {n:02d} (sample)", "category": sample.category.value,
                "synthetic": True, "checklists": sample.checklists,
                "documents": [{"kind": "privacy-policy", "url": url}]}), encoding="utf-8", newline="\n")
            path = SOURCE_ROOT / "vendor_profiles" / str(sample.documents[0].path)
            versions = [(2025, path.read_bytes())]
            if n < changed:
                extra = b"<p>We now share reading statistics with our marketing partners.</p></body>"
                versions.append((2026, path.read_bytes().replace(b"</body>", extra)))
            for year, body in versions:
                doc = parse_bytes(body, uri=url, content_type=content_type_for(path))
                archive.record(vendor=vid, kind="privacy-policy", source=url, body=body,
                               content_type=content_type_for(path),
                               fetched_at=dt.datetime(year, 3, 1, tzinfo=dt.UTC), document=doc)
    return archive_dir


def timed_audit(root: Path, as_of: str, out: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one `assessor audit --offline` command."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSESSOR_")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "assessor", "--project", str(root), "audit", "--offline",
                           "--as-of", as_of, "--by", "benchmark", "--out", str(out)],
                          capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"audit failed: {done.stderr.strip().splitlines()[-1:]}")
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", type=int, default=60, help="vendors in the project (default: 60)")
    parser.add_argument("--changed", type=int, default=6, help="vendors with a new version in 2026 (default: 6)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="assessor-audit-bench-") as tmp:
        root = Path(tmp)
        build_project(root, args.vendors, args.changed)
        first = timed_audit(root, "2025-06-01", root / "out1")
        again = timed_audit(root, "2026-06-01", root / "out2")
    print(f"first audit of {args.vendors} vendors, everything scored:          {first[0]:6.2f} s wall "
          f"{first[1]:6.2f} s CPU")
    print(f"re-audit, {args.changed} with a new version, the rest from the cache: {again[0]:6.2f} s wall "
          f"{again[1]:6.2f} s CPU (target < {TARGET_SECONDS:g} s: {'ok' if again[0] < TARGET_SECONDS else 'MISSED'}"
          f"; on a busy machine wall time exceeds CPU time)")
    return 0 if again[0] < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
