"""Parsing quality and speed on the reference corpora of real privacy policies.

    .venv/bin/python benchmarks/parse_corpus.py --shared ../shared

Parses every `corpus/opp115-dev/policies/*.txt` and `corpus/library-vendors/*.md` with `assessor.parse.parse_file`
and reports, per corpus: documents parsed without error, the share of the corpus' own text the parse keeps, sections
found, documents with a stated date, and seconds per document.

"Kept" counts words (a multiset, so repeated words count each time): for OPP-115 the reference is the corpus' own
segmented text (`segments.jsonl`), for the library vendors it is the file's words once Markdown syntax is set aside.
"extra" is the share of the parse's words that are not in the reference (text invented or duplicated).

The corpora hold no web pages, so main-content extraction is measured by putting each library vendor's policy back
into a web page, in four layouts (semantic HTML5, a div soup without <main>, bare <div>s without a class or id, a
2000s table layout with <b> headings and <br> paragraphs), each surrounded by site chrome: menus, a cookie banner,
a newsletter box, a sidebar, a footer. "kept" is then the policy's words kept and "chrome" the share of the chrome
blocks that leaked into the text. The corpora are read, never copied.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from assessor.parse import ParseError, parse_bytes, parse_file
from assessor.parse.document import Block
from assessor.parse.normalize import normalize
from assessor.parse.text import text_blocks

_WORD = re.compile(r"[^\W_]+")
_MD_SYNTAX = re.compile(r"\]\([^)]*\)|https?://\S+")


def words(text: str) -> Counter[str]:
    """The words of a text, normalised as the parser normalises, lower-cased."""
    return Counter(w.lower() for w in _WORD.findall(normalize(text)))


@dataclass
class Row:
    """One document's figures."""

    name: str
    error: str | None = None
    kept: float = 0.0
    extra: float = 0.0
    sections: int = 0
    paragraphs: int = 0
    dated: bool = False
    seconds: float = 0.0
    leaked: float | None = None


@dataclass
class Corpus:
    """A corpus' documents and their figures."""

    name: str
    rows: list[Row] = field(default_factory=list)


def measure(path: Path, reference: Counter[str], page: str | None = None, name: str | None = None) -> Row:
    """Parse one file (or the given page) and compare its words with the reference words."""
    row = Row(name or path.name)
    started = time.perf_counter()
    try:
        doc = parse_file(path) if page is None else parse_bytes(page.encode(), uri=row.name, content_type="text/html")
    except ParseError as exc:
        row.error = str(exc)
        return row
    finally:
        row.seconds = time.perf_counter() - started
    got = words(doc.text)
    common = sum((got & reference).values())
    row.kept = common / max(1, sum(reference.values()))
    row.extra = 1 - common / max(1, sum(got.values()))
    row.sections, row.paragraphs, row.dated = len(doc.sections), len(doc.paragraphs), doc.last_updated is not None
    if page is not None:
        row.leaked = sum(marker in doc.text for marker in CHROME_MARKERS) / len(CHROME_MARKERS)
    return row


CHROME_MARKERS = ["Browse the Quenfrith catalogue", "Quenfrith uses cookies to improve", "Quenfrith newsletter",
                  "Quenfrith Holdings. All rights", "More from the Quenfrith blog", "Quenfrith help centre"]
_MENU = ("<a href='/'>Home</a> <a href='/catalogue'>Browse the Quenfrith catalogue</a> <a href='/libraries'>For "
         "libraries</a> <a href='/help'>Quenfrith help centre</a> <a href='/login'>Sign in</a>")
_BANNER = ("Quenfrith uses cookies to improve your experience and to measure traffic. <a href='/cookies'>Cookie "
           "settings</a> <button>Accept all</button>")
_NEWSLETTER = ("<h3>Stay informed</h3><p>Get the Quenfrith newsletter with reading tips every month.</p><form><input "
               "type='email'><button>Sign up</button></form>")
_SIDEBAR = ("<h4>More from the Quenfrith blog</h4><ul><li><a href='/b/1'>Ten audiobooks for a long drive</a></li>"
            "<li><a href='/b/2'>How libraries choose e-books</a></li><li><a href='/b/3'>Our new reading app</a></li>"
            "</ul>")
_FOOTER = ("&copy; 2017 Quenfrith Holdings. All rights reserved. <a href='/terms'>Terms</a> | <a href='/privacy'>"
           "Privacy</a> | <a href='/sitemap'>Site map</a>")


def policy_html(blocks: list[Block], *, tags: bool) -> str:
    """A policy's blocks as HTML: headings, paragraphs, lists and table cells; or, without `tags`, the 2000s way,
    bold headings and paragraphs separated by line breaks."""
    out: list[str] = []
    in_list = False
    for b in blocks:
        text = html.escape(b.text)
        if in_list and b.kind != "li":
            out.append("</ul>" if tags else "")
            in_list = False
        if b.kind == "heading":
            out.append(f"<h{min(b.level, 6)}>{text}</h{min(b.level, 6)}>" if tags else f"<b>{text}</b><br>")
        elif b.kind == "li":
            if not in_list:
                out.append("<ul>" if tags else "")
                in_list = True
            out.append(f"<li>{text}</li>" if tags else f"&bull; {text}<br>")
        else:
            out.append(f"<p>{text}</p>" if tags else f"{text}<br><br>")
    return "".join(out) + ("</ul>" if in_list and tags else "")


LAYOUTS = {
    "semantic": lambda body: (
        f"<header class='site-header'><nav>{_MENU}</nav></header><div id='cookie-banner'>{_BANNER}</div>"
        f"<main><article>{body}<div class='newsletter'>{_NEWSLETTER}</div></article><aside>{_SIDEBAR}</aside></main>"
        f"<footer>{_FOOTER}</footer>"),
    "div-soup": lambda body: (
        f"<div class='top'><div class='links'>{_MENU}</div></div><div class='cc-window cookie-popup'>{_BANNER}</div>"
        f"<div class='wrapper'><div class='left-column'>{_SIDEBAR}</div><div class='content'>{body}</div>"
        f"<div class='box-signup'>{_NEWSLETTER}</div></div><div class='bottom'>{_FOOTER}</div>"),
    "no-hints": lambda body: (
        f"<div><div>{_MENU}</div></div><div>{_BANNER}</div><div><div>{_SIDEBAR}</div><div>{body}</div>"
        f"<div>{_NEWSLETTER}</div></div><div>{_FOOTER}</div>"),
    "table-layout": lambda body: (
        f"<table><tr><td colspan='2'>{_BANNER}</td></tr><tr><td width='160'>{_MENU.replace('</a>', '</a><br>')}"
        f"{_SIDEBAR}</td><td><font face='Verdana' size='2'>{body}</font></td></tr>"
        f"<tr><td colspan='2'>{_NEWSLETTER}{_FOOTER}</td></tr></table>"),
}


def web_pages(folder: Path) -> list[Corpus]:
    """Each library vendor's policy put back into a web page in each layout."""
    corpora = []
    for layout, wrap in LAYOUTS.items():
        corpus = Corpus(f"library-vendors as web pages, {layout}")
        for path in sorted(folder.glob("*.md")):
            if path.name == "README.md":
                continue
            blocks = list(text_blocks(path.read_text(encoding="utf-8"), markdown=True))[1:]  # without the corpus note
            body = policy_html(blocks, tags=layout != "table-layout")
            page = f"<!DOCTYPE html><html><head><title>{html.escape(path.stem)}</title></head><body>{wrap(body)}" \
                   "</body></html>"
            reference = words(" ".join(b.text for b in blocks))
            corpus.rows.append(measure(path, reference, page=page, name=path.name))
        corpora.append(corpus)
    return corpora


def opp115(folder: Path) -> Corpus:
    """OPP-115: the reference is the policy's segments."""
    segments: dict[str, list[str]] = defaultdict(list)
    with (folder / "segments.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            segments[record["policy"]].append(record["text"])
    corpus = Corpus("opp115-dev")
    for path in sorted((folder / "policies").glob("*.txt")):
        corpus.rows.append(measure(path, words("\n".join(segments[path.stem]))))
    return corpus


def library_vendors(folder: Path) -> Corpus:
    """Library vendors: the reference is the file's words without link targets."""
    corpus = Corpus("library-vendors")
    for path in sorted(folder.glob("*.md")):
        if path.name == "README.md":
            continue
        corpus.rows.append(measure(path, words(_MD_SYNTAX.sub("]", path.read_text(encoding="utf-8")))))
    return corpus


def table(corpus: Corpus, per_document: bool) -> str:
    """The corpus' summary line, and one line per document when asked."""
    ok = [r for r in corpus.rows if r.error is None]
    lines = [f"{corpus.name}: {len(ok)}/{len(corpus.rows)} parsed without error"]
    header = f"  {'document':<28} {'kept':>7} {'extra':>7} {'sections':>8} {'paras':>6} {'dated':>5} {'s/doc':>7}" + \
        (f" {'chrome':>7}" if any(r.leaked is not None for r in corpus.rows) else "")
    lines.append(header)
    rows = corpus.rows if per_document else []
    for r in rows:
        if r.error:
            lines.append(f"  {r.name:<28} ERROR {r.error}")
        else:
            lines.append(f"  {r.name[:28]:<28} {r.kept:7.1%} {r.extra:7.1%} {r.sections:8d} {r.paragraphs:6d} "
                         f"{'yes' if r.dated else 'no':>5} {r.seconds:7.3f}" +
                         (f" {r.leaked:7.1%}" if r.leaked is not None else ""))
    if ok:
        lines.append(f"  {'mean (' + str(len(ok)) + ' documents)':<28} {statistics.mean(r.kept for r in ok):7.1%} "
                     f"{statistics.mean(r.extra for r in ok):7.1%} {statistics.mean(r.sections for r in ok):8.1f} "
                     f"{statistics.mean(r.paragraphs for r in ok):6.1f} {sum(r.dated for r in ok):5d} "
                     f"{statistics.mean(r.seconds for r in corpus.rows):7.3f}" +
                     (f" {statistics.mean(r.leaked or 0 for r in ok):7.1%}" if ok[0].leaked is not None else ""))
        lines.append(f"  {'minimum kept':<28} {min(r.kept for r in ok):7.1%}   documents with no section: "
                     f"{sum(r.sections == 0 for r in ok)}")
    lines += [f"  ERROR {r.name}: {r.error}" for r in corpus.rows if r.error and not per_document]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared",
                        help="reference material folder (default: ../shared)")
    args = parser.parse_args()
    root = args.shared / "corpus"
    if not root.is_dir():
        print(f"no corpus at {root}", file=sys.stderr)
        return 2
    corpora = [opp115(root / "opp115-dev"), library_vendors(root / "library-vendors"),
               *web_pages(root / "library-vendors")]
    for corpus in corpora:
        print(table(corpus, per_document=corpus.name.startswith("library-vendors")))
        print()
    return 1 if any(r.error for c in corpora for r in c.rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
