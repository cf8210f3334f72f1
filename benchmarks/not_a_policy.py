"""How many real policies the not-a-policy check would wrongly refuse (it must be none).

    .venv/bin/python benchmarks/not_a_policy.py vendor_profiles/samples ../shared/corpus/library-vendors \
        ../shared/corpus/opp115-dev/policies

Reads every .html/.txt/.md file under the paths given (README.md and LABELS.md aside) and runs
`assessor.fetch.notpolicy.not_a_policy` on it twice: as the file is, and put into a web page whose header carries a
sign-in box with a password field and a cookie banner ("Accept all cookies", "Manage preferences"), the marks such a
check looks for. Prints, per folder, how many were flagged out of how many and the fewest policy terms a document
showed (the check needs a page under `MIN_POLICY_CUES` before it looks at any mark). The corpora are read, never copied.
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

from assessor.fetch.notpolicy import MIN_POLICY_CUES, not_a_policy, policy_cues
from assessor.parse import parse_bytes, parse_file

CHROME = ("<header><form action='/session'><input name='card' placeholder='Library card'>"
          "<input type='password' name='pin'><button>Sign in</button></form>"
          "<div class='cookies'>We use cookies. <button>Accept all cookies</button>"
          "<button>Manage preferences</button></div></header>")
SKIP = {"README.md", "LABELS.md"}


def as_web_page(text: str) -> bytes:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    return f"<html><head><title>Privacy</title></head><body>{CHROME}<main>{paragraphs}</main></body></html>".encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path, help="folders (or files) of real policies")
    args = parser.parse_args()
    flagged_total = 0
    for root in args.paths:
        files = sorted(p for p in (root.rglob("*") if root.is_dir() else [root])
                       if p.suffix in (".html", ".htm", ".txt", ".md") and p.name not in SKIP)
        flagged, fewest = [], None
        for path in files:
            document = parse_file(path)
            page = as_web_page(document.text)
            in_page = parse_bytes(page, uri=path.name, content_type="text/html")
            cues = policy_cues(document.text)
            fewest = cues if fewest is None else min(fewest, cues)
            for variant, doc, body in (("file", document, path.read_bytes()), ("web page", in_page, page)):
                if verdict := not_a_policy(doc, body):
                    flagged.append(f"  {path.name} ({variant}): {verdict}")
        flagged_total += len(flagged)
        print(f"{root}: {len(flagged)} flagged of {2 * len(files)} ({len(files)} documents, as files and as web "
              f"pages with a sign-in box and a cookie banner); fewest policy terms {fewest} "
              f"(threshold {MIN_POLICY_CUES})")
        for line in flagged:
            print(line)
    return 1 if flagged_total else 0


if __name__ == "__main__":
    sys.exit(main())
