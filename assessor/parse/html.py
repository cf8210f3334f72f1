"""HTML: the policy's own content as blocks, with headings, paragraphs, list items and table cells in order."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from bs4 import BeautifulSoup, NavigableString, Tag

from .document import Block

_DROP = ["script", "style", "noscript", "template", "svg", "iframe", "form", "button", "nav", "header", "footer",
         "aside", "select", "input", "textarea"]
_CHROME_HINTS = ("cookie", "consent", "newsletter", "subscribe", "banner", "breadcrumb", "menu", "navbar",
                 "share", "social", "skip-link", "site-header", "site-footer", "sidebar")
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
_BLOCKS = {"p", "li", "td", "th", "pre", "dd", "dt", "blockquote", "caption", "address"}
_CONTAINERS = {"div", "section", "article", "main", "body", "ul", "ol", "dl", "table", "tbody", "thead", "tfoot",
               "tr", "span", "center", "font", "html"}


def _is_chrome(tag: Tag) -> bool:
    attrs = " ".join([*(tag.get("class") or []), str(tag.get("id") or ""), str(tag.get("role") or ""),
                      str(tag.get("aria-label") or "")]).lower()
    if tag.get("role") in ("navigation", "banner", "contentinfo", "dialog", "alertdialog"):
        return True
    return any(h in attrs for h in _CHROME_HINTS)


def soup_for(html: str, select: Sequence[str] = (), remove: Sequence[str] = ()) -> tuple[BeautifulSoup, Tag]:
    """Parse HTML and return the soup and the root to read from, after the profile's select/remove hints."""
    soup = BeautifulSoup(html, "lxml")
    for sel in remove:
        for tag in soup.select(sel):
            tag.decompose()
    root: Tag = soup.body or soup
    for sel in select:
        found = soup.select_one(sel)
        if found is not None:
            root = found
            break
    else:
        main = soup.find("main") or soup.find(attrs={"role": "main"}) or soup.find("article")
        if isinstance(main, Tag):
            root = main
    return soup, root


def _text(tag: Tag) -> str:
    return tag.get_text(" ", strip=False)


def _pseudo_heading(tag: Tag) -> bool:
    """A paragraph that is only bold text, short, is a heading in disguise (common in policies)."""
    children = [c for c in tag.children if not (isinstance(c, NavigableString) and not c.strip())]
    if len(children) != 1 or not isinstance(children[0], Tag) or children[0].name not in ("b", "strong"):
        return False
    text = _text(tag).strip()
    return 0 < len(text) <= 100 and not text.endswith((".", ",", ";"))


def html_blocks(root: Tag) -> Iterator[Block]:
    """Walk the tree in document order and yield blocks."""
    stack: list[Tag] = [root]
    order: list[Tag] = []
    while stack:  # iterative pre-order walk: deep nesting cannot overflow the recursion limit
        tag = stack.pop()
        order.append(tag)
        stack.extend(reversed([c for c in tag.children if isinstance(c, Tag)]))
    skip: set[int] = set()
    for tag in order:
        if id(tag) in skip:
            continue
        name = tag.name
        if name in _DROP or (tag is not root and _is_chrome(tag)):
            skip.update(id(t) for t in tag.find_all(True))
            continue
        if name in _HEADINGS:
            skip.update(id(t) for t in tag.find_all(True))
            yield Block("heading", _text(tag), level=_HEADINGS[name])
        elif name in _BLOCKS:
            nested = tag.find_all(list(_BLOCKS | set(_HEADINGS)))
            if nested and name in ("li", "td", "th", "dd", "blockquote"):
                # a list item or cell holding blocks: yield its own loose text, let the children follow
                own = "".join(str(c) for c in tag.children if isinstance(c, NavigableString))
                if own.strip():
                    yield Block("li" if name == "li" else "p", own)
                continue
            skip.update(id(t) for t in tag.find_all(True))
            if name == "p" and _pseudo_heading(tag):
                yield Block("heading", _text(tag), level=4)
            else:
                kind = {"li": "li", "td": "td", "th": "td", "pre": "pre"}.get(name, "p")
                yield Block(kind, _text(tag))  # type: ignore[arg-type]
        elif name in _CONTAINERS or name not in _BLOCKS:
            loose = "".join(str(c) for c in tag.children if isinstance(c, NavigableString))
            if loose.strip() and name in ("div", "section", "article", "main", "body", "td"):
                yield Block("p", loose)
