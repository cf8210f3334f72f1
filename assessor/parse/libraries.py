"""Importing the HTML libraries without the optional extras they load for features assessor never calls: trafilatura
tries py3langid (and through it numpy) for its `target_language` filter, Beautiful Soup tries soupsieve for CSS
selectors (which `html._select` hands it directly). Together they were a quarter of a second of `assessor score`'s
start-up on a web page read for the first time.

The price, in a process that imports assessor's HTML reader before these libraries are imported elsewhere: there,
trafilatura's own `target_language` filter lets every page through (it logs that no detector is installed) and
Beautiful Soup's `Tag.select` raises NotImplementedError (`soupsieve.select(selector, tag)` works). Importing
trafilatura or bs4 first, or py3langid and soupsieve, keeps them whole."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without(*optional: str) -> Iterator[None]:
    """Import inside this block as if the `optional` modules were not installed (Python's import system reads a None
    in `sys.modules` as "no such module"), unless they are imported already; afterwards they import as usual."""
    absent = [name for name in optional if name not in sys.modules]
    for name in absent:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for name in absent:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
