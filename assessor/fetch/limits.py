"""How politely and how patiently documents are fetched: settings that import nothing of the network stack, so a
command that reads a local file takes them without importing requests, urllib3 or the browser."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .. import __version__
from ..parse import MAX_BYTES

USER_AGENT = f"assessor/{__version__} (library vendor privacy review)"


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how patiently to fetch (times in seconds).

    `timeout` is one attempt's budget: connecting, each read and the whole response. A 429 or 5xx is retried up to
    `retries` times, a timeout or failed connection (before the response began) up to `timeout_retries` times;
    a body that stalls or breaks half-way is not retried (the next run tries again). Waits follow urllib3's backoff
    (none before the first retry, then `backoff` x 2, x 4... at most `max_backoff`) or the server's Retry-After,
    given up when over `max_retry_after`. One document never takes longer than `document_budget`, retries and waits
    included. Bodies over `max_bytes` are refused; a batch reads at most `per_host` documents from one host at a
    time (sites block eager readers)."""

    timeout: float = 30.0
    retries: int = 3
    timeout_retries: int = 1
    backoff: float = 1.0
    max_backoff: float = 30.0
    max_retry_after: float = 120.0
    max_bytes: int = MAX_BYTES
    max_redirects: int = 10
    conditional: bool = True
    per_host: int = 2
    user_agent: str = USER_AGENT
    chromium: str = field(default_factory=lambda: os.environ.get("ASSESSOR_CHROMIUM", "/usr/bin/chromium"))
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)

    @property
    def document_budget(self) -> float:
        """The most one document may take: as if every attempt used its whole `timeout` (waits come out of it)."""
        return self.timeout * (1 + self.retries)
