"""How the whole pipeline's time grows with page size: 1, 4 and 20 MB policy pages, fetched and read from a file.

    python benchmarks/page_sizes.py [--mb 1 4 20] [--max-mb 25]

Each page is synthetic HTML written here (site navigation, a sidebar and a footer around headings, paragraphs, lists
and tables of policy-like sentences, every paragraph different), served from 127.0.0.1 and saved as a file. Two
measures per size:

  - `assessor score URL` and `assessor score FILE` as a librarian runs them (default checklists, default caps and
    `--timeout`): wall-clock and CPU seconds of the whole command, and what it said (scored, or its one-line refusal);
  - the stages in this process, with both caps (bytes, and characters of text) raised to `--max-mb` so that every
    size is scored: download from the local server, parse, score (CPU seconds), and parse and score CPU seconds per
    MB: near-constant seconds per MB is linear growth.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from pytest_httpserver import HTTPServer

from assessor.fetch import FetchSettings, http_get, make_session
from assessor.models import DocumentSpec, VendorCategory, VendorProfile
from assessor.parse import parse_bytes
from assessor.pipeline import choose_checklists
from assessor.score import score_document

MB = 1024 * 1024
ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("Information we collect", "How we use what we collect", "Sharing with other companies",
            "Cookies and similar tools", "How long we keep records", "Your choices and rights", "Keeping data safe",
            "Young readers", "Requests from the authorities", "Changes to this notice")
SUBJECTS = ("We", "Our service", "The platform", "Our hosting provider", "The library", "Our analytics partner",
            "Customer support staff")
ACTIONS = ("collect the card number a patron signs in with", "keep a record of titles borrowed",
           "store the device identifier of the reading app", "log the address a request comes from",
           "share aggregated counts of use with the subscribing library", "send usage reports to the publisher",
           "delete loan history thirty days after a return", "never sell information about individual readers",
           "disclose records when a court order compels it", "use session cookies to keep a reader signed in",
           "encrypt stored passwords and all traffic", "ask for consent before any marketing message")
CONDITIONS = ("unless the reader opts out", "except where the law requires otherwise", "for as long as the account "
              "is open", "only with the library's written agreement", "when a reader asks us to",
              "after removing names and card numbers", "within the limits of our contract", "from time to time")
ITEMS = ("name and e-mail address", "library card number", "titles borrowed and returned", "search terms",
         "device type and operating system", "approximate location from the network address", "reading progress",
         "preferred language", "support messages", "payment reference for fines")
LINKS = ("Home", "Catalogue", "Events", "Help", "Accessibility", "Contact", "Terms of use", "Careers", "Press",
         "Partners", "Blog", "Sign in")


def sentence(rng: random.Random, n: int) -> str:
    """One policy-like sentence; `n` makes it differ from its neighbours."""
    return f"{rng.choice(SUBJECTS)} may {rng.choice(ACTIONS)} {rng.choice(CONDITIONS)} (clause {n})."


def chrome(part: str) -> str:
    """Site navigation: the header bar, or the footer, with their links."""
    links = "".join(f'<li><a href="/{name.lower().replace(" ", "-")}">{name}</a></li>' for name in LINKS)
    if part == "header":
        return (f'<header><a class="logo" href="/">Quillmoss Reads</a><nav class="menu"><ul>{links}</ul></nav>'
                '<form class="search"><input name="q" placeholder="Search the catalogue"></form></header>'
                '<div class="breadcrumb"><a href="/">Home</a> / <a href="/legal">Legal</a> / Privacy</div>')
    return (f'<footer><nav><ul>{links}</ul></nav><p>Copyright 2026 Quillmoss Reads. All rights reserved.</p>'
            '</footer>')


def page(size: int, seed: int = 17) -> bytes:
    """A privacy-policy page of about `size` bytes of HTML."""
    rng = random.Random(seed)
    out = ['<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Privacy notice | Quillmoss Reads'
           '</title><style>body{font-family:sans-serif}</style><script>window.analytics=[];</script></head><body>',
           chrome("header"), '<aside class="sidebar"><ul>',
           "".join(f'<li><a href="/help/{i}">Help topic {i}</a></li>' for i in range(20)), "</ul></aside>",
           '<main><h1>Privacy notice</h1><p class="updated">Last updated: 3 March 2026</p>']
    total = sum(map(len, out)) + 2000
    n = 0
    part = 0
    while total < size:
        part += 1
        block = [f'<section id="part-{part}"><h2>{part}. {SECTIONS[part % len(SECTIONS)]}</h2>']
        for sub in range(1, rng.randint(2, 4)):
            block.append(f"<h3>{part}.{sub} Details</h3>")
            for _ in range(rng.randint(2, 4)):
                n += rng.randint(2, 5)
                block.append("<p>" + " ".join(sentence(rng, n + k) for k in range(rng.randint(2, 6))) + "</p>")
        block.append("<p>In particular we keep:</p><ul>"
                     + "".join(f"<li>{item}</li>" for item in rng.sample(ITEMS, rng.randint(3, 7))) + "</ul>")
        if part % 3 == 0:
            rows = "".join(f"<tr><td>{item}</td><td>{rng.choice(ACTIONS)}</td><td>{rng.randint(1, 36)} months</td>"
                           "</tr>" for item in rng.sample(ITEMS, 4))
            block.append(f"<table><tr><th>What</th><th>Why</th><th>Kept for</th></tr>{rows}</table>")
        block.append('<p><a href="#top">Back to top</a></p></section>')
        text = "".join(block)
        out.append(text)
        total += len(text)
    out += ["</main>", chrome("footer"), "</body></html>"]
    return "".join(out).encode("utf-8")


def run_cli(source: str, archive: Path) -> tuple[float, float, str]:
    """`assessor score SOURCE` in a child process: wall-clock seconds, CPU seconds, and what it came to."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "assessor", "score", source, "--archive", str(archive),
                           "--format", "json"], capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    said = "scored" if done.returncode == 0 else (done.stderr.strip().splitlines() or ["(nothing)"])[-1]
    return wall, cpu, said


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[1, 4, 20], help="page sizes in MB")
    parser.add_argument("--max-mb", type=float, default=25, help="the caps (bytes, text characters) in-process")
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    checklists = choose_checklists(None)
    vendor = VendorProfile(id="bench", name="bench", category=VendorCategory.OTHER,
                           documents=[DocumentSpec(kind="privacy-policy", path="bench.html")])
    cap = int(args.max_mb * MB)
    settings = replace(FetchSettings(), max_bytes=cap)
    session = make_session(settings)
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    print("`assessor score URL|FILE` (default checklists and caps): wall / CPU s of the command, and its outcome;")
    print(f"in-process with the caps raised to {args.max_mb:g} MB: download wall s, parse and score CPU s\n")
    print(f"{'MB':>5} {'text chars':>11} {'URL wall/CPU':>13} {'file wall/CPU':>13} {'download':>8} {'parse':>6} "
          f"{'score':>6} {'s/MB':>5}  outcome (URL; file)", flush=True)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for mb in args.mb:
                body = page(int(mb * MB))
                name = f"page-{mb:g}mb.html"
                (Path(tmp) / name).write_bytes(body)
                server.expect_request(f"/{name}").respond_with_data(body, content_type="text/html; charset=utf-8")
                url = server.url_for(f"/{name}")
                uw, uc, us = run_cli(url, Path(tmp) / "archive")
                fw, fc, fs = run_cli(str(Path(tmp) / name), Path(tmp) / "archive")
                started = time.perf_counter()
                response = http_get(session, url, settings)
                fetched = time.perf_counter() - started
                started = time.process_time()
                doc = parse_bytes(response.body, uri=url, content_type="text/html", max_chars=cap)
                parsed = time.process_time() - started
                started = time.process_time()
                score_document(doc, vendor, checklists)
                scored = time.process_time() - started
                size = len(body) / MB
                print(f"{size:>5.1f} {len(doc.text):>11,} {uw:>6.1f}/{uc:<6.1f} {fw:>6.1f}/{fc:<6.1f} {fetched:>8.2f} "
                      f"{parsed:>6.1f} {scored:>6.1f} {(parsed + scored) / size:>5.1f}  {us}; {fs}", flush=True)
    finally:
        server.clear()
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
