"""Fetch throughput and archive cost, against a local HTTP server (127.0.0.1) serving synthetic policy pages.

    .venv/bin/python benchmarks/fetch_bench.py [--docs 50] [--workers 4] [--kb 40] [--json]

Measures, on a fresh archive in a temporary folder:
  - download only: the pages fetched with the shared session and nothing else, documents/s (the network's share);
  - cold: every document downloaded, parsed and archived (all new versions), documents/s;
  - conditional: the same documents again with ETag / If-None-Match (the server answers 304), documents/s;
  - unconditional: again without conditional requests (full download, parse, text unchanged), documents/s;
  - parse: ms per page for `parse_bytes` alone (what a 304 saves besides the download);
  - archive write: ms per `Archive.record` (body blob + text blob + one transaction), without the network;
  - archive read: ms per newest-snapshot look-up plus body read (hash checked), and per `versions()` query.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import logging
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from assessor.archive import Archive
from assessor.fetch import FetchSettings, fetch_vendors, http_get, make_session
from assessor.models import DocumentSpec, VendorProfile
from assessor.parse import parse_bytes

CLAUSES = ("We collect the library card number you sign in with, and nothing else about you.",
           "Loan records are deleted thirty days after a title is returned.",
           "We do not sell, rent or trade personal information about patrons.",
           "Aggregated statistics about use of the service are shared with the library.",
           "You may ask us for a copy of the data we hold about you at any time.")


def policy_page(n: int, kb: int) -> bytes:
    """A synthetic policy page of about `kb` kilobytes, different for every `n`."""
    parts = [f"<html><head><title>Vendor {n} privacy</title></head><body><nav>Home | Products</nav><main>",
             f"<h1>Vendor {n} privacy notice</h1>"]
    i = 0
    while sum(map(len, parts)) < kb * 1024:
        if i % 6 == 0:
            parts.append(f"<h2>Section {i // 6 + 1}</h2>")
        parts.append(f"<p>{CLAUSES[i % len(CLAUSES)]} (Vendor {n}, clause {i}.)</p>")
        i += 1
    parts.append("</main><footer>Contact us</footer></body></html>")
    return "".join(parts).encode("utf-8")


def serve(server: HTTPServer, pages: dict[str, bytes]) -> None:
    """Serve the pages with strong ETags, answering 304 to a matching If-None-Match."""
    def handler(request: Request) -> Response:
        body = pages[request.path]
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(body, content_type="text/html; charset=utf-8", headers={"ETag": etag})

    for path in pages:
        server.expect_request(path).respond_with_handler(handler)


def timed_batch(vendors: list[VendorProfile], archive: Archive, settings: FetchSettings, workers: int
                ) -> tuple[float, dict[str, int]]:
    started = time.perf_counter()
    results = fetch_vendors(vendors, archive=archive, settings=settings, workers=workers, progress="off")
    elapsed = time.perf_counter() - started
    outcomes: dict[str, int] = {}
    for r in results:
        outcomes[r.outcome] = outcomes.get(r.outcome, 0) + 1
    return elapsed, outcomes


def download_only(urls: list[str], workers: int) -> float:
    """Seconds to GET every URL with the shared session, nothing parsed or archived: the network's share."""
    settings = FetchSettings()
    session = make_session(settings, pool_size=workers)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda url: http_get(session, url, settings), urls))
    return time.perf_counter() - started


def archive_costs(root: Path, pages: dict[str, bytes], rounds: int = 3) -> dict[str, float]:
    """ms per page parsed, per record (write), per newest-snapshot read and versions() query, outside the network."""
    docs, parses = {}, []
    for path, body in pages.items():
        started = time.perf_counter()
        docs[path] = parse_bytes(body, uri=path, content_type="text/html")
        parses.append(time.perf_counter() - started)
    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    writes, reads, queries = [], [], []
    with Archive(root) as archive:
        for r in range(rounds):
            for i, (path, body) in enumerate(pages.items()):
                started = time.perf_counter()
                archive.record(vendor=f"bench{i:03d}", kind="privacy-policy", source=path,
                               body=body + f"<!-- round {r} -->".encode(), content_type="text/html",
                               fetched_at=t0 + dt.timedelta(days=r), document=docs[path])
                writes.append(time.perf_counter() - started)
        for i, path in enumerate(pages):
            started = time.perf_counter()
            snapshot = archive.latest_snapshot(f"bench{i:03d}", "privacy-policy", path)
            assert snapshot is not None
            archive.body(snapshot)
            reads.append(time.perf_counter() - started)
            started = time.perf_counter()
            archive.versions(f"bench{i:03d}")
            queries.append(time.perf_counter() - started)
    return {"parse_ms": 1000 * statistics.median(parses),
            "write_ms": 1000 * statistics.median(writes), "read_ms": 1000 * statistics.median(reads),
            "versions_query_ms": 1000 * statistics.median(queries)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=50, help="documents to serve (default: 50)")
    parser.add_argument("--workers", type=int, default=4, help="concurrent fetches (default: 4)")
    parser.add_argument("--kb", type=int, default=40, help="size of a page in KB (default: 40)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request log
    pages = {f"/vendor/{n:03d}/privacy": policy_page(n, args.kb) for n in range(args.docs)}
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        serve(server, pages)
        vendors = [VendorProfile(id=f"vendor-{n:03d}", name=f"Vendor {n}", category="database",
                                 documents=[DocumentSpec(kind="privacy-policy", url=server.url_for(path))])
                   for n, path in enumerate(pages)]
        figures: dict[str, object] = {"documents": args.docs, "workers": args.workers, "page_kb": args.kb}
        figures["download_only_docs_per_s"] = round(
            args.docs / download_only([v.documents[0].url or "" for v in vendors], args.workers), 1)
        with tempfile.TemporaryDirectory() as tmp, Archive(Path(tmp) / "archive") as archive:
            # one local host serves everything: let it take `workers` at a time (real batches: 2 per host)
            polite = FetchSettings(per_host=args.workers)
            for label, settings in (("cold", polite), ("conditional", polite),
                                    ("unconditional", FetchSettings(per_host=args.workers, conditional=False))):
                elapsed, outcomes = timed_batch(vendors, archive, settings, args.workers)
                figures[f"{label}_docs_per_s"] = round(args.docs / elapsed, 1)
                figures[f"{label}_outcomes"] = outcomes
            figures.update({k: round(v, 2) for k, v in archive_costs(Path(tmp) / "costs", pages).items()})
    finally:
        server.clear()
        server.stop()

    if args.json:
        print(json.dumps(figures, indent=2, sort_keys=True))
    else:
        print(f"fetch: {args.docs} documents of ~{args.kb} KB from 127.0.0.1, {args.workers} workers")
        print(f"  {'download only':<14} {figures['download_only_docs_per_s']:>7} documents/s   (GET, no parse/archive)")
        for label in ("cold", "conditional", "unconditional"):
            print(f"  {label:<14} {figures[f'{label}_docs_per_s']:>7} documents/s   {figures[f'{label}_outcomes']}")
        print(f"parse: {figures['parse_ms']} ms/page (the cost of a download that is not a 304)")
        print(f"archive: write {figures['write_ms']} ms/record, read {figures['read_ms']} ms/snapshot "
              f"(newest + body, hash checked), versions() {figures['versions_query_ms']} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
