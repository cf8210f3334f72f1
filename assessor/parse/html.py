"""HTML: the policy's own content as blocks (headings, paragraphs, list items and table cells in reading order),
without the site around it: navigation, headers and footers, cookie banners, newsletter boxes and scripts."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString, Tag, XMLParsedAsHTMLWarning
from bs4.element import PageElement, PreformattedString
from soupsieve import SelectorSyntaxError

from .document import Block, BlockKind
from .errors import ParseError
from .lines import Outline, numbered_heading, title_line
from .maintext import main_text

_SKIP = {"script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas", "audio", "video",
         "map", "head", "title", "meta", "link", "button", "input", "select", "textarea", "option", "datalist",
         "math"}
_CHROME_TAGS = {"nav", "aside", "header", "footer", "form", "dialog", "menu"}
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "dialog", "alertdialog", "search", "complementary",
                 "menubar", "menu"}
_CHROME_TOKENS = {"nav", "navbar", "navigation", "menu", "menubar", "megamenu", "breadcrumb", "breadcrumbs",
                  "sidebar", "newsletter", "subscribe", "signup", "masthead", "topbar", "toolbar", "skiplink",
                  "pagination", "pager"}
_CONSENT_TOOLS = {"onetrust", "cookiebot", "truste", "usercentrics", "didomi", "cookieyes", "iubenda", "osano",
                  "termly", "quantcast"}
# words that also name policy sections ("share", "social media", "comments"): chrome only when mostly links
_WEAK_TOKENS = {"share", "sharing", "social", "related", "comments", "feedback", "advert", "promo", "print"}
_CHROME_JOINED = ("site-header", "siteheader", "site-footer", "sitefooter", "global-nav", "globalnav", "skip-link",
                  "back-to-top", "share-buttons", "sharing-buttons")
_CONSENT_JOINED = ("cookie-banner", "cookiebanner", "cookie-bar", "cookiebar", "cookie-consent", "cookieconsent",
                   "cookie-notice", "cookienotice", "cookie-popup", "consent-banner", "consent-manager", "cc-window",
                   "gdpr-banner")
_COOKIE_WORDS = {"cookie", "cookies", "consent", "gdpr"}
_BANNER_WORDS = {"banner", "bar", "popup", "modal", "overlay", "prompt", "alert", "accept", "widget"}
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
_BLOCKS = {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div",
           "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "hr", "html", "li",
           "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
           "thead", "tr", "ul", "legend", "frameset", "noframes"}
_CONTEXT: dict[str, BlockKind] = {"li": "li", "dd": "li", "td": "td", "th": "td", "pre": "pre", "caption": "td"}
_BOLD = {"b", "strong"}
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.I)
_MAX_HEADING = 200
_SHELL_MOUNTS = {"root", "app", "__next", "__nuxt", "svelte", "main-app", "react-root", "ember-app"}
_LAYOUT_CELL = 400  # characters: a table cell holding more is page layout
_ORACLE_NODES = 60_000  # elements and strings: beyond, the main-text extractor takes more than a few seconds
_MIN_TEXT = 200  # characters of text below which a page that runs scripts is a JavaScript shell
_SMALL_PAGE = 2_000  # characters of text: on a smaller page, text of fewer than five words is matched too
_BR = None  # a line break in a run of inline text


@dataclass
class HtmlResult:
    """What the HTML reader found: blocks, the page's own title and language, warnings."""

    blocks: list[Block]
    title: str | None = None
    language: str | None = None
    page_text: str = ""
    warnings: list[str] = field(default_factory=list)


def _tokens(tag: Tag) -> tuple[set[str], str]:
    """The words of the class and id attributes, and the attributes joined."""
    classes: str | list[str] = tag.get("class") or []
    joined = " ".join([*(classes if isinstance(classes, list) else [classes]), str(tag.get("id") or "")]).lower()
    return set(re.split(r"[^a-z0-9]+", joined)) - {""}, joined


def _chrome_hint(tag: Tag) -> str | None:
    """"consent" when class or id name a cookie banner or consent manager (dropped however long its text),
    "strong" when they or the role say the element is site furniture (menus, newsletter boxes...), "weak" when they
    only may (a "share" box, or the policy's section on sharing), else None."""
    attrs = tag.attrs
    if not ("class" in attrs or "id" in attrs or "role" in attrs or "aria-modal" in attrs):
        return None
    if str(attrs.get("role") or "").lower() in _CHROME_ROLES or str(attrs.get("aria-modal") or "") == "true":
        return "strong"
    tokens, joined = _tokens(tag)
    if tokens & _CONSENT_TOOLS or any(j in joined for j in _CONSENT_JOINED) or \
            (tokens & _COOKIE_WORDS and tokens & _BANNER_WORDS):
        return "consent"
    if tokens & _CHROME_TOKENS or any(j in joined for j in _CHROME_JOINED):
        return "strong"
    return "weak" if tokens & _WEAK_TOKENS else None


class _Sizes:
    """Text and link-text lengths (white space not counted) of every element, and which elements sit in an
    <article> or <main>: measured in one pass over the tree, so that deep nesting stays linear."""

    def __init__(self, top: Tag) -> None:
        tags = [top, *top.find_all(True)]
        self.text: dict[int, int] = {}
        self.links: dict[int, int] = {}
        self.in_content: set[int] = set()
        for tag in tags:  # parents first
            parent = tag.parent
            if parent is not None and (id(parent) in self.in_content or parent.name in ("article", "main")):
                self.in_content.add(id(tag))
        for tag in reversed(tags):  # children first
            text = links = 0
            if tag.name not in ("script", "style", "template"):
                for child in tag.contents:
                    if isinstance(child, Tag):
                        text += self.text[id(child)]
                        links += self.links[id(child)]
                    elif isinstance(child, NavigableString) and not isinstance(child, PreformattedString):
                        text += sum(len(part) for part in child.split())
            self.text[id(tag)] = text
            self.links[id(tag)] = text if tag.name == "a" else links


def _toc(tag: Tag, sizes: _Sizes) -> bool:
    """A list whose every item is a link to an anchor on the same page (a table of contents)."""
    if tag.name not in ("ul", "ol"):
        return False
    items = tag.find_all("li", recursive=False)
    if len(items) < 3:
        return False
    for li in items:
        if not sizes.text[id(li)] or sizes.links[id(li)] < sizes.text[id(li)]:
            return False
        link = li.find("a")
        if link is None or not str(link.get("href") or "").startswith("#"):
            return False
    return True


def _chrome(root: Tag, sizes: _Sizes) -> set[int]:
    """Ids of the elements under the root to leave out: furniture by tag or hint, never one holding most of the
    root's text (some sites wrap the whole page in a <form> or a "menu-layout" div). A header, footer or aside
    inside an <article> or <main> holds the policy's title, date or summary, not the site's."""
    total = sizes.text[id(root)] or 1
    dropped: set[int] = set()
    for tag in root.find_all(True):
        if tag.name in _SKIP:
            continue
        by_tag = tag.name in _CHROME_TAGS and not (tag.name in ("header", "footer", "aside")
                                                   and id(tag) in sizes.in_content)
        hint = None if by_tag else _chrome_hint(tag)
        if not (by_tag or hint or _toc(tag, sizes)):
            continue
        length = sizes.text[id(tag)]
        if length > total // 2:
            continue
        links = sizes.links[id(tag)] / length if length else 1.0
        if by_tag or hint == "consent" or links >= 0.5 or (hint == "strong" and length <= 2000):
            dropped.add(id(tag))
    return dropped


class _Walker:
    """A document-order walk of the tree (iterative: deep nesting cannot overflow the stack) that gathers inline
    text into runs and yields a block whenever a block-level element starts or ends."""

    def __init__(self, outline: Outline, sizes: _Sizes) -> None:
        self.outline = outline
        self.sizes = sizes
        self.run: list[tuple[str | None, bool]] = []
        self.kinds: list[BlockKind] = ["p"]

    def blocks(self, root: Tag, dropped: set[int]) -> Iterator[Block]:
        """Blocks under the root, leaving out the dropped elements."""
        stack: list[tuple[PageElement, bool]] = [(root, False)]
        bold = 0
        while stack:
            node, leaving = stack.pop()
            if not isinstance(node, Tag):
                if isinstance(node, NavigableString) and not isinstance(node, PreformattedString):  # not comments...
                    self.run.append((str(node), bold > 0))
                continue
            name = node.name
            if leaving:
                if name in _BLOCKS:
                    yield from self.flush()
                    self.kinds.pop()
                else:
                    bold -= 1
                continue
            if name in _SKIP or id(node) in dropped:
                continue
            if name == "br":
                self.run.append((_BR, False))
            elif name in _HEADINGS or name == "summary":
                yield from self.flush()
                text = node.get_text(" ")
                if len(text.strip()) > _MAX_HEADING:
                    yield Block(self.kinds[-1], text)
                elif name == "summary":  # the title of a collapsible part ("accordion")
                    yield Block("heading", text, level=self.outline.pseudo())
                else:
                    yield Block("heading", text, level=self.outline.marked(_HEADINGS[name]))
            elif name in _BLOCKS:
                yield from self.flush()
                kind = _CONTEXT.get(name, self.kinds[-1])
                if kind == "td" and name != "caption" and self.sizes.text[id(node)] > _LAYOUT_CELL:
                    kind = "p"  # a cell of a layout table holds paragraphs, not a value
                self.kinds.append(kind)
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(node.contents))
            else:
                if name in _BOLD or _BOLD_STYLE.search(str(node.get("style") or "")):
                    bold += 1
                    stack.append((node, True))
                stack.extend((child, False) for child in reversed(node.contents))
        yield from self.flush()

    def flush(self) -> Iterator[Block]:
        """The gathered run as blocks: paragraphs split at double line breaks, bold title lines as headings."""
        run, self.run = self.run, []
        kind = self.kinds[-1]
        lines: list[list[tuple[str, bool]]] = [[]]
        for text, bold in run:
            if text is _BR:
                lines.append([])
            else:
                lines[-1].append((text, bold))
        para: list[str] = []
        for line in lines:
            text = "".join(t for t, _ in line)
            if not text.strip():  # an empty line: two line breaks in a row end the paragraph
                if para:
                    yield Block(kind, "\n".join(para))
                    para = []
                continue
            if kind == "p" and not para and self._heading_line(line, text):
                yield Block("heading", text, level=self.outline.pseudo())
                continue
            para.append(text)
        if para:
            yield Block(kind, "\n".join(para))

    @staticmethod
    def _heading_line(line: list[tuple[str, bool]], text: str) -> bool:
        """A line of bold text only, reading like a heading; or a numbered clause title."""
        if numbered_heading(text) is not None:
            return True
        return all(bold for t, bold in line if t.strip()) and title_line(text, emphasised=True)


def _select(soup: BeautifulSoup, selector: str) -> list[Tag]:
    """The elements a profile's selector matches; ParseError naming a selector that does not parse."""
    try:
        return list(soup.select(selector))
    except (SelectorSyntaxError, ValueError, NotImplementedError) as exc:
        raise ParseError(f"bad CSS selector {selector!r} in the vendor profile: {exc}") from exc


def _outermost(soup: BeautifulSoup, tags: list[Tag]) -> list[Tag]:
    """The tags in document order, without those inside another of them (one pass over the tree)."""
    chosen = {id(t) for t in tags}
    inside: set[int] = set()
    out = []
    for tag in soup.find_all(True):
        parent = id(tag.parent)
        if parent in inside or parent in chosen:
            inside.add(id(tag))
        elif id(tag) in chosen:
            out.append(tag)
    return out


_SHINGLE = 5  # words: a text node counts as kept by the extractor when its runs of five words are in its output


def _shingles(words: list[str], step: int = 1) -> Iterator[int]:
    """Hashes of the runs of five words (hashes keep the set small for a 5 MB page; used within one run only)."""
    return (hash(tuple(words[i:i + _SHINGLE])) for i in range(0, len(words) - _SHINGLE + 1, step))


def _semantic_root(body: Tag, sizes: _Sizes) -> Tag:
    """<main>, role=main, or the <article> with the most text; else the body."""
    main = body.find("main") or body.find(None, {"role": "main"})
    if isinstance(main, Tag):
        return main
    articles = body.find_all("article")
    return max(articles, key=lambda a: sizes.text[id(a)]) if articles else body


def content_root(body: Tag, oracle: str | None, sizes: _Sizes) -> Tag:
    """The element holding the policy: the deepest one holding 90 % of the text the main-text extractor kept,
    widened to its <main>/<article> and to a heading block just above it. Text counts as kept by its runs of five
    words; on a small page, where one paragraph can outweigh the rest, a shorter text (a title, a closing "Ask us
    anything.", not a link) counts when its words run in the extractor's text too, so that it is not left outside."""
    if not oracle:
        return _semantic_root(body, sizes)
    oracle_words = re.findall(r"\w+", oracle.lower())
    kept = set(_shingles(oracle_words))
    short: set[tuple[str, ...]] = set()
    if sizes.text[id(body)] <= _SMALL_PAGE:
        short = {tuple(oracle_words[i:i + n]) for n in range(1, _SHINGLE) for i in range(len(oracle_words) - n + 1)}
    weights: dict[int, float] = {}
    tags: dict[int, Tag] = {}
    for node in body.find_all(string=True):
        words = re.findall(r"\w+", node.lower())
        grams = list(_shingles(words, _SHINGLE))
        if node.parent is None or not (grams or tuple(words) in short and node.find_parent("a") is None):
            continue
        weight = len(node) * sum(g in kept for g in grams) / len(grams) if grams else len(node)
        if not weight:
            continue
        for depth, anc in enumerate([node.parent, *node.parent.parents]):
            if depth > 400 or anc is None:
                break
            weights[id(anc)] = weights.get(id(anc), 0) + weight
            tags[id(anc)] = anc
    total = max(weights.values(), default=0)
    if not total:
        return _semantic_root(body, sizes)
    chain = [tags[i] for i, w in weights.items() if w >= 0.9 * total and tags[i].name != "[document]"]
    root = max(chain, key=lambda t: sum(1 for _ in t.parents)) if chain else body
    for anc in [root, *root.parents]:
        if anc.name in ("main", "article") or anc.get("role") == "main":
            return anc
        if anc is body:
            break
    for _ in range(3):  # a title block just above the content ("<h1>Privacy Policy</h1><p>Last updated...")
        parent = root.parent
        if parent is None or parent is body or parent.name in ("body", "html") or root.find("h1") is not None:
            break
        if parent.find("h1") is None or sizes.text[id(parent)] > 1.3 * sizes.text[id(root)] + 200:
            break
        root = parent
    return root


def _shell(soup: BeautifulSoup) -> bool:
    """The page is an application shell that builds its content with JavaScript."""
    scripts = soup.find_all("script")
    external = sum(1 for s in scripts if s.get("src"))
    inline = sum(len(s.get_text()) for s in scripts)
    mount = any(str(t.get("id") or "").lower() in _SHELL_MOUNTS for t in soup.find_all(["div", "main", "app-root"]))
    noscript = any("javascript" in n.get_text().lower() for n in soup.find_all("noscript"))
    return external > 0 or inline >= 500 or mount or noscript


def _page_title(soup: BeautifulSoup) -> str | None:
    """The page's <title>, else its og:title."""
    if soup.title and soup.title.get_text(strip=True):
        return soup.title.get_text(" ", strip=True)
    og = soup.find("meta", attrs={"property": "og:title"})
    if isinstance(og, Tag) and og.get("content"):
        return str(og["content"]).strip()
    return None


def read_html(html: str, *, uri: str, select: Sequence[str] = (), remove: Sequence[str] = ()) -> HtmlResult:
    """Blocks of the policy's own content, honouring the profile's `select` (the content) and `remove` (chrome)
    CSS selectors; automatic main-content detection when no selector matches."""
    with warnings.catch_warnings():  # bs4 warns about markup that looks like a file name or like XML
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(html, "lxml")
    lang = soup.html.get("lang") if soup.html else None
    result = HtmlResult(blocks=[], title=_page_title(soup), language=str(lang).split("-")[0].lower() if lang else None)
    shell = _shell(soup)
    for selector in remove:
        for tag in _select(soup, selector):
            if not tag.decomposed:  # a match inside an earlier match is gone already
                tag.decompose()
    body: Tag = soup.body or soup
    roots = _outermost(soup, [t for selector in select for t in _select(soup, selector)])
    oracle = None
    if select and not roots:
        result.warnings.append(f"the profile's select selectors matched nothing ({', '.join(select)}); "
                               "the content was found automatically")
    if not roots:
        if sum(1 for _ in body.descendants) <= _ORACLE_NODES:  # the extractor's time grows with the square
            oracle = main_text(str(soup) if remove else html)
    sizes = _Sizes(soup)
    if not roots:
        roots = [content_root(body, oracle, sizes)]
    outline = Outline()
    result.blocks = [b for root in roots for b in _Walker(outline, sizes).blocks(root, _chrome(root, sizes))]
    kept = sum(len(b.text.strip()) for b in result.blocks)
    if oracle and kept < 0.5 * len(oracle):
        from .text import text_blocks

        result.blocks = list(text_blocks(oracle, markdown=True))
        result.warnings.append("the page's structure hid most of its text; used the main-text extractor's reading")
        kept = len(oracle)
    frame = soup.find("iframe", src=re.compile(r"^https?://", re.I))
    if kept < _MIN_TEXT and isinstance(frame, Tag):
        raise ParseError(f"{uri}: the page shows its text in a frame from {str(frame['src'])[:200]}: give that address "
                         "as the document's url in the vendor profile")
    if kept < _MIN_TEXT and shell:
        raise ParseError(f"{uri}: the page holds no policy text, only scripts that build it: it needs browser "
                         "rendering (set `render: browser` for this document in the vendor profile)")
    result.page_text = body.get_text(" ")
    return result
