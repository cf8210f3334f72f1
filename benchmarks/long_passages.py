"""How scoring time grows with passage and page size (issue: hostile input costs seconds, never hours).

    python benchmarks/long_passages.py [--max-kb 1024]

Scores, against ala-vendors, niso-privacy and us-ca, synthetic run-on passages with no sentence end (10 KB to 1 MB of
policy-like words, negations and exceptions, written here) and prints CPU seconds and seconds per KB: near-constant
seconds per KB means linear growth. Pages (many paragraphs) are measured by `benchmarks/score_bench.py`.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from assessor.models import DocumentKind, DocumentSpec, VendorCategory, VendorProfile
from assessor.pipeline import choose_checklists
from assessor.score import score_document
from assessor.selftest import example_document

# Policy-like phrases with negations, exceptions and hedges, joined without a full stop.
PHRASES = ("we do not sell your reading history except as required by law", "and we may share usage data with "
           "partners unless you opt out", "nothing here limits our ability to disclose records to the police",
           "we keep loans for as long as necessary and will not notify you", "other than with service providers "
           "bound by contract we never release card numbers", "from time to time we may update these terms")


def run_on(size: int) -> str:
    """A passage of about `size` characters with no sentence end."""
    out: list[str] = []
    total = 0
    i = 0
    while total < size:
        phrase = PHRASES[i % len(PHRASES)]
        out.append(phrase)
        total += len(phrase) + 2
        i += 1
    return ", ".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-kb", type=int, default=1024)
    args = parser.parse_args(argv)
    checklists = choose_checklists(None, ["ala-vendors", "niso-privacy", "us-ca"])
    vendor = VendorProfile(id="bench", name="bench", category=VendorCategory.ECONTENT,
                           documents=[DocumentSpec(kind=DocumentKind.PRIVACY_POLICY, path="bench.txt")])
    print(f"{'KB':>6} {'CPU s':>8} {'s per KB':>9}")
    for kb in [k for k in (10, 40, 160, 640, 1024) if k <= args.max_kb]:
        doc = example_document(run_on(kb * 1024))
        start = time.process_time()
        score_document(doc, vendor, checklists)
        took = time.process_time() - start
        print(f"{kb:>6} {took:>8.2f} {took / kb:>9.4f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
