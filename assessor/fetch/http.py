"""HTTP GET done carefully: one shared session, a time budget per document, urllib3's retries, conditional
requests, a size cap.

Time: each attempt at a document gets `FetchSettings.timeout` seconds (`--timeout`) for everything: connecting, every
wait for bytes and the whole response. When the attempt's time is up its socket is shut down, so a server that drips
a byte at a time cannot hold a worker. All attempts of one document and the waits between them fit in
`FetchSettings.document_budget`; a retry that would not fit is not made.
"""

from __future__ import annotations

import heapq
import itertools
import os
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import InvalidHeader, MaxRetryError, ResponseError
from urllib3.util.retry import Retry

from .limits import FetchSettings
from .errors import TRANSIENT_STATUSES, FetchError, error_for_status, fetch_error

# Response headers kept in the archive: what says what the document is and when it changed.
KEPT_HEADERS = ("content-type", "content-length", "content-language", "etag", "last-modified", "date",
                "cache-control", "expires", "content-disposition", "location", "server", "x-robots-tag")
_CHUNK = 64 * 1024
# Never policy documents: refused before their body is downloaded.
_NOT_DOCUMENTS = ("image/", "audio/", "video/", "font/")


@dataclass(frozen=True)
class Validators:
    """What we already hold of a URL, for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        """The If-None-Match / If-Modified-Since headers."""
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


@dataclass(frozen=True)
class HttpResponse:
    """A response read in full (or a 304): body, final URL after redirects, and the headers that matter."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    redirects: tuple[str, ...] = ()

    @property
    def not_modified(self) -> bool:
        """The server says our copy is current (304)."""
        return self.status == 304


class _Budget:
    """One document's time (see the module's docstring). Attempts run in the calling thread, so the connection
    and the retry policy find the budget of the document being read in a thread-local."""

    def __init__(self, settings: FetchSettings):
        self.settings = settings
        self.deadline = time.monotonic() + settings.document_budget
        self.attempt_deadline = self.deadline
        self.expired = False
        self._attempt = 0  # which attempt the watchdog's alarms are for: an older alarm does nothing
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []

    def start_attempt(self) -> None:
        """A new attempt: `timeout` from now (or what is left of the document's budget)."""
        with self._lock:
            self._attempt += 1
            self._sockets = []
            self.expired = False
            self.attempt_deadline = min(time.monotonic() + self.settings.timeout, self.deadline)
            attempt = self._attempt
        _WATCHDOG.alarm(self.attempt_deadline, self, attempt)

    def remaining(self) -> float:
        """Seconds left in this attempt."""
        return self.attempt_deadline - time.monotonic()

    def affords(self, wait: float) -> bool:
        """Whether a wait of that long leaves time for another attempt."""
        return time.monotonic() + wait < self.deadline

    def watch(self, sock: socket.socket) -> None:
        """Shut this socket down when the attempt's time is up."""
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def expire(self, attempt: int) -> None:
        """The watchdog's alarm: the attempt's time is up (unless that attempt is over)."""
        with self._lock:
            if attempt != self._attempt:
                return
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def finish(self) -> None:
        """The document is read (or given up): no more shutting down."""
        with self._lock:
            self._attempt += 1
            self._sockets = []


class _Watchdog:
    """One thread for the whole process that raises each attempt's alarm when its time is up."""

    def __init__(self) -> None:
        self._alarms: list[tuple[float, int, _Budget, int]] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._pid = 0  # the process the thread runs in (a forked child starts its own)

    def alarm(self, when: float, budget: _Budget, attempt: int) -> None:
        with self._wake:
            if self._pid != os.getpid():
                self._pid = os.getpid()
                self._alarms = []
                threading.Thread(target=self._run, name="assessor-fetch-watchdog", daemon=True).start()
            heapq.heappush(self._alarms, (when, next(self._order), budget, attempt))
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._alarms or self._alarms[0][0] > time.monotonic():
                    self._wake.wait(self._alarms[0][0] - time.monotonic() if self._alarms else None)
                _, _, budget, attempt = heapq.heappop(self._alarms)
            budget.expire(attempt)  # outside the condition: expire takes the budget's lock


_WATCHDOG = _Watchdog()


def _shut(sock: socket.socket) -> None:
    """Wake whoever is blocked reading the socket (the plain socket's shutdown, which leaves TLS state alone)."""
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except (OSError, TypeError):
        pass  # already closed


_current = threading.local()


def _budget() -> _Budget | None:
    return getattr(_current, "budget", None)


class _BudgetedHTTPConnection(HTTPConnection):
    """Connects within the attempt's time left and lets the budget shut its socket when time is up."""

    def connect(self) -> None:
        budget = _budget()
        if budget is not None and isinstance(self.timeout, (int, float)):
            self.timeout = max(0.001, min(self.timeout, budget.remaining()))
        super().connect()

    def getresponse(self) -> Any:
        budget = _budget()
        if budget is not None and self.sock is not None:
            budget.watch(self.sock)
        return super().getresponse()


class _BudgetedHTTPSConnection(_BudgetedHTTPConnection, HTTPSConnection):
    """The same for https."""


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _BudgetedHTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _BudgetedHTTPSConnection


_POOLS = {"http": _HTTPPool, "https": _HTTPSPool}


class _Adapter(HTTPAdapter):
    """requests' adapter with connections that keep to the document's time budget, direct or through an http(s)
    proxy (a SOCKS proxy keeps urllib3's own connections: only the read timeouts bound it)."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> urllib3.PoolManager:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if type(manager) is urllib3.ProxyManager:
            manager.pool_classes_by_scheme = _POOLS
        return manager


class _Retry(Retry):
    """urllib3's Retry within the document's time budget: it waits through `FetchSettings.sleep`, and gives up,
    leaving the last response or error to be reported, when the server asks for more than `max_retry_after` or the
    wait would not leave time for another attempt."""

    def increment(self, method: str | None = None, url: str | None = None, response: Any = None,
                  error: Exception | None = None, _pool: Any = None, _stacktrace: Any = None) -> _Retry:
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        budget = _budget()
        if budget is not None:
            wait = retry.wait_before_retry(response, budget.settings)
            if wait is None or not budget.affords(wait):
                reason = error or ResponseError("no time left in the budget to retry")
                raise MaxRetryError(_pool, url or "", reason) from error
        return retry

    def wait_before_retry(self, response: Any, settings: FetchSettings) -> float | None:
        """Seconds before the next attempt: the server's Retry-After, else urllib3's backoff; None when the server
        asks for longer than we are willing to wait."""
        header = response.headers.get("Retry-After") if response is not None else None
        if header:
            try:
                seconds = self.parse_retry_after(header)
            except InvalidHeader:
                return self.get_backoff_time()
            return seconds if seconds <= settings.max_retry_after else None
        return self.get_backoff_time()

    def sleep(self, response: Any = None) -> None:
        budget = _budget()
        if budget is None:
            super().sleep(response)
            return
        budget.settings.sleep(self.wait_before_retry(response, budget.settings) or 0.0)
        budget.start_attempt()


def make_session(settings: FetchSettings = FetchSettings(), pool_size: int = 10) -> requests.Session:
    """The one session a batch shares: our User-Agent, connection pooling, redirects capped, urllib3's retries of
    429/5xx (honouring Retry-After), timeouts and failed connections, all within each document's time budget."""
    session = requests.Session()
    session.headers.update({"User-Agent": settings.user_agent,
                            "Accept": "text/html,application/xhtml+xml,application/pdf,"
                                      "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
                                      "text/plain;q=0.9,*/*;q=0.5",
                            "Accept-Language": "en"})
    session.max_redirects = settings.max_redirects
    retry = _Retry(total=None, connect=settings.timeout_retries, read=settings.timeout_retries,
                   status=settings.retries, other=0, status_forcelist=TRANSIENT_STATUSES,
                   backoff_factor=settings.backoff, backoff_max=settings.max_backoff, raise_on_status=False,
                   respect_retry_after_header=True)
    adapter = _Adapter(pool_connections=pool_size, pool_maxsize=pool_size, max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def check_url(url: str) -> None:
    """Only http and https URLs with a host are fetched."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise fetch_error("bad-url", url)


def _classify(exc: requests.RequestException, url: str) -> FetchError:
    text = str(exc)
    if isinstance(exc, requests.exceptions.TooManyRedirects):
        return fetch_error("redirect-loop", url)
    if isinstance(exc, requests.exceptions.SSLError):
        return fetch_error("tls", url, text[:200])
    if isinstance(exc, requests.exceptions.Timeout) or "timed out" in text:
        return fetch_error("timeout", url)
    if isinstance(exc, (requests.exceptions.InvalidSchema, requests.exceptions.MissingSchema,
                        requests.exceptions.InvalidURL)):
        return fetch_error("bad-url", url, text[:200])
    if "Temporary failure in name resolution" in text or "Network is unreachable" in text \
            or "No route to host" in text or "unreachable network" in text:  # the last: Windows' words
        return fetch_error("no-network", url)
    if "NameResolutionError" in text or "Name or service not known" in text or "getaddrinfo failed" in text \
            or "No address associated" in text or "nodename nor servname" in text:
        return fetch_error("dns", url, urlsplit(url).hostname or "")
    return fetch_error("connection", url, type(exc).__name__)


def _read_capped(response: requests.Response, url: str, settings: FetchSettings, budget: _Budget) -> bytes:
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > settings.max_bytes:
        raise fetch_error("too-large", url, f"{int(length):,} bytes, cap {settings.max_bytes:,}")
    chunks: list[bytes] = []
    size = 0
    out_of_time = f"not read within {settings.timeout:g} s"
    while True:
        # read1 returns after one read from the socket; the budget shuts the socket when the attempt's time is up
        try:
            chunk = response.raw.read1(_CHUNK, decode_content=True)
        except urllib3.exceptions.ReadTimeoutError as exc:
            raise fetch_error("timeout", url, out_of_time) from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            if budget.expired:
                raise fetch_error("timeout", url, out_of_time) from exc
            raise fetch_error("connection", url, type(exc).__name__) from exc
        if budget.expired or (not chunk and budget.remaining() <= 0):
            raise fetch_error("timeout", url, out_of_time)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > settings.max_bytes:
            raise fetch_error("too-large", url, f"more than the cap of {settings.max_bytes:,} bytes")
        chunks.append(chunk)


def _attempt(session: requests.Session, url: str, settings: FetchSettings, headers: dict[str, str],
             budget: _Budget) -> tuple[requests.Response, bytes]:
    try:
        response = session.get(url, headers=headers, stream=True, allow_redirects=True,
                               timeout=(settings.timeout, settings.timeout))
    except requests.RequestException as exc:
        if budget.expired:  # the budget shut the socket while the server was still sending its headers
            raise fetch_error("timeout", url, f"no response within {settings.timeout:g} s") from exc
        raise _classify(exc, url) from exc
    try:
        check_url(response.url)
        if response.status_code >= 400:
            raise error_for_status(response.status_code, url, response.headers.get("Retry-After"))
        if response.status_code == 304:
            return response, b""
        if response.headers.get("Content-Type", "").strip().lower().startswith(_NOT_DOCUMENTS):
            raise fetch_error("unsupported-type", url, response.headers["Content-Type"])
        return response, _read_capped(response, url, settings, budget)
    finally:
        response.close()


def http_get(session: requests.Session, url: str, settings: FetchSettings = FetchSettings(),
             validators: Validators | None = None) -> HttpResponse:
    """GET a URL within the document's time budget: retried by urllib3 on transient failures, conditional when
    validators are given, capped in size. Raises a FetchError saying what went wrong and whether it is transient."""
    check_url(url)
    headers = validators.headers() if validators and settings.conditional else {}
    budget = _Budget(settings)
    _current.budget = budget
    budget.start_attempt()
    try:
        response, body = _attempt(session, url, settings, headers, budget)
    finally:
        budget.finish()
        _current.budget = None
    kept = {k.lower(): v for k, v in response.headers.items() if k.lower() in KEPT_HEADERS}
    return HttpResponse(url=url, final_url=response.url, status=response.status_code, headers=kept, body=body,
                        redirects=tuple(r.url for r in response.history))
