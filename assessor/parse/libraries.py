"""Importing trafilatura without py3langid, which it loads (and through it numpy) only for its `target_language`
filter, an option assessor never passes: about a tenth of a second of `assessor score`'s start-up on a web page read
for the first time.

The price, in a process that imports assessor's HTML reader before trafilatura is imported elsewhere: there,
trafilatura's own `target_language` filter lets every page through (it logs that no detector is installed).
Importing trafilatura or py3langid first keeps it whole. (Beautiful Soup is imported whole: leaving out soupsieve
saved 35 ms more but would break `Tag.select` in the librarian's own notebook code.)"""

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
