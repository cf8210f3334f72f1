"""HTTP GET done carefully: one shared session, timeouts, retries with backoff, conditional requests, a size cap."""

from __future__ import annotations

import email.utils
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

from .. import __version__
from .errors import FetchError, error_for_status, fetch_error

USER_AGENT = f"assessor/{__version__} (library vendor privacy review)"
# Response headers kept in the archive: what says what the document is and when it changed.
KEPT_HEADERS = ("content-type", "content-length", "content-language", "etag", "last-modified", "date",
                "cache-control", "expires", "content-disposition", "location", "server", "x-robots-tag")
_CHUNK = 64 * 1024
# Never policy documents: refused before their body is downloaded.
_NOT_DOCUMENTS = ("image/", "audio/", "video/", "font/")


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how patiently to fetch. Times in seconds: `read_timeout` between bytes, `total_timeout` for
    a whole body; `retries` of transient failures, waiting `backoff` * 2**attempt (at most `max_backoff`) or the
    server's Retry-After (given up when over `max_retry_after`); bodies over `max_bytes` are refused; a batch reads
    at most `per_host` documents from one host at a time (sites block eager readers)."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 120.0
    retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 30.0
    max_retry_after: float = 120.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 10
    conditional: bool = True
    per_host: int = 2
    user_agent: str = USER_AGENT
    chromium: str = field(default_factory=lambda: os.environ.get("ASSESSOR_CHROMIUM", "/usr/bin/chromium"))
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)


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


def make_session(settings: FetchSettings = FetchSettings(), pool_size: int = 10) -> requests.Session:
    """The one session a batch shares: our User-Agent, connection pooling, redirects capped."""
    session = requests.Session()
    session.headers.update({"User-Agent": settings.user_agent,
                            "Accept": "text/html,application/xhtml+xml,application/pdf,"
                                      "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
                                      "text/plain;q=0.9,*/*;q=0.5",
                            "Accept-Language": "en"})
    session.max_redirects = settings.max_redirects
    adapter = HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def check_url(url: str) -> None:
    """Only http and https URLs with a host are fetched."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise fetch_error("bad-url", url)


def retry_delay(attempt: int, retry_after: str | None, settings: FetchSettings) -> float | None:
    """Seconds to wait before the next attempt (exponential backoff, or the server's Retry-After);
    None when the server asks for longer than we are willing to wait."""
    if retry_after:
        value = retry_after.strip()
        if value.isdigit():
            wait = float(value)
        else:
            try:
                wait = max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - time.time())
            except (TypeError, ValueError):
                wait = min(settings.backoff * (2 ** attempt), settings.max_backoff)
        return wait if wait <= settings.max_retry_after else None
    return min(settings.backoff * (2 ** attempt), settings.max_backoff)


def _classify(exc: requests.RequestException, url: str) -> FetchError:
    text = str(exc)
    if isinstance(exc, requests.exceptions.TooManyRedirects):
        return fetch_error("redirect-loop", url)
    if isinstance(exc, requests.exceptions.SSLError):
        return fetch_error("tls", url, text[:200])
    if isinstance(exc, requests.exceptions.Timeout) or "Read timed out" in text:
        return fetch_error("timeout", url)
    if isinstance(exc, (requests.exceptions.InvalidSchema, requests.exceptions.MissingSchema,
                        requests.exceptions.InvalidURL)):
        return fetch_error("bad-url", url, text[:200])
    if "Temporary failure in name resolution" in text:
        return fetch_error("dns-temporary", url)
    if "NameResolutionError" in text or "Name or service not known" in text or "getaddrinfo failed" in text \
            or "No address associated" in text or "nodename nor servname" in text:
        return fetch_error("dns", url, urlsplit(url).hostname or "")
    return fetch_error("connection", url, type(exc).__name__)


def _read_capped(response: requests.Response, url: str, settings: FetchSettings, deadline: float) -> bytes:
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > settings.max_bytes:
        raise fetch_error("too-large", url, f"{int(length):,} bytes, cap {settings.max_bytes:,}")
    chunks: list[bytes] = []
    size = 0
    while True:
        # read1 returns after one read from the socket, so a server trickling bytes still meets the deadline
        try:
            chunk = response.raw.read1(_CHUNK, decode_content=True)
        except urllib3.exceptions.ReadTimeoutError as exc:
            raise fetch_error("timeout", url) from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise fetch_error("connection", url, type(exc).__name__) from exc
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > settings.max_bytes:
            raise fetch_error("too-large", url, f"more than the cap of {settings.max_bytes:,} bytes")
        if time.monotonic() > deadline:
            raise fetch_error("timeout", url, f"body not read within {settings.total_timeout:g} s")
        chunks.append(chunk)


def _attempt(session: requests.Session, url: str, settings: FetchSettings,
             headers: dict[str, str]) -> tuple[requests.Response, bytes]:
    deadline = time.monotonic() + settings.total_timeout
    try:
        response = session.get(url, headers=headers, stream=True, allow_redirects=True,
                               timeout=(settings.connect_timeout, settings.read_timeout))
    except requests.RequestException as exc:
        raise _classify(exc, url) from exc
    try:
        check_url(response.url)
        if response.status_code >= 400:
            raise error_for_status(response.status_code, url, response.headers.get("Retry-After"))
        if response.status_code == 304:
            return response, b""
        if response.headers.get("Content-Type", "").strip().lower().startswith(_NOT_DOCUMENTS):
            raise fetch_error("unsupported-type", url, response.headers["Content-Type"])
        return response, _read_capped(response, url, settings, deadline)
    finally:
        response.close()


def http_get(session: requests.Session, url: str, settings: FetchSettings = FetchSettings(),
             validators: Validators | None = None) -> HttpResponse:
    """GET a URL: retried with backoff on transient failures, conditional when validators are given, capped in size.
    Raises a FetchError saying what went wrong and whether it is transient."""
    check_url(url)
    headers = validators.headers() if validators and settings.conditional else {}
    attempt = 0
    while True:
        try:
            response, body = _attempt(session, url, settings, headers)
            break
        except FetchError as exc:
            if not exc.transient or attempt >= settings.retries:
                raise
            delay = retry_delay(attempt, exc.retry_after, settings)
            if delay is None:
                raise
            settings.sleep(delay)
            attempt += 1
    kept = {k.lower(): v for k, v in response.headers.items() if k.lower() in KEPT_HEADERS}
    return HttpResponse(url=url, final_url=response.url, status=response.status_code, headers=kept, body=body,
                        redirects=tuple(r.url for r in response.history))
