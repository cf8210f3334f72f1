"""Why a document could not be fetched: one error class per cause, each marked transient (try again later) or not."""

from __future__ import annotations

from ..errors import AssessorError

# kind -> (transient, what the librarian reads)
KINDS: dict[str, tuple[bool, str]] = {
    "not-found": (False, "not found (404): the page moved or was removed"),
    "gone": (False, "gone (410): the vendor removed the page"),
    "blocked": (False, "blocked or forbidden: the site refuses automated readers (try render: browser)"),
    "rate-limited": (True, "rate limited (429): the site asks us to slow down"),
    "server-error": (True, "server error: the site is failing"),
    "http-error": (False, "unexpected HTTP status"),
    "timeout": (True, "timed out"),
    "connection": (True, "connection failed"),
    "dns": (False, "host name not found (DNS): check the URL in the vendor profile"),
    "no-network": (True, "no network: names cannot be looked up or no route out (is this computer offline?)"),
    "tls": (False, "TLS/certificate error"),
    "too-large": (False, "too large"),
    "unsupported-type": (False, "unsupported content type"),
    "redirect-loop": (False, "too many redirects (a redirect loop)"),
    "bad-url": (False, "not an http(s) URL"),
    "file-missing": (False, "the local file cannot be read"),
    "unparseable": (False, "no policy text could be extracted"),
    "not-a-policy": (False, "not a policy"),
    "not-archived": (False, "no archived copy yet (fetch it without --offline)"),
    "renderer-missing": (False, "the browser renderer is not installed"),
    "render-failed": (True, "the browser could not render the page"),
}


class FetchError(AssessorError):
    """A document that could not be fetched; `kind` names the cause, `transient` says whether a retry may help."""

    def __init__(self, kind: str, url: str, detail: str = "", *, status: int | None = None,
                 retry_after: str | None = None):
        transient, label = KINDS[kind]
        self.kind = kind
        self.url = url
        self.status = status
        self.retry_after = retry_after
        self.transient = transient
        self.detail = detail
        super().__init__(f"{url}: {label}" + (f" ({detail})" if detail else ""))


class TransientFetchError(FetchError):
    """A failure that may go away (timeouts, 429, 5xx, dropped connections): worth retrying later."""


class PermanentFetchError(FetchError):
    """A failure that will not go away by itself (404, 410, 403, TLS, too large...): someone must look."""


def fetch_error(kind: str, url: str, detail: str = "", *, status: int | None = None,
                retry_after: str | None = None) -> FetchError:
    """The error of that kind, as its transient or permanent class."""
    cls = TransientFetchError if KINDS[kind][0] else PermanentFetchError
    return cls(kind, url, detail, status=status, retry_after=retry_after)


# Statuses that may go away by themselves: retried, and reported as transient.
TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})


def error_for_status(status: int, url: str, retry_after: str | None = None) -> FetchError:
    """The error an HTTP status of 400 or more stands for (with the server's Retry-After, if it sent one)."""
    if status == 429:
        return fetch_error("rate-limited", url, status=status, retry_after=retry_after)
    if status in TRANSIENT_STATUSES:
        return fetch_error("server-error", url, f"HTTP {status}", status=status, retry_after=retry_after)
    if status == 404:
        return fetch_error("not-found", url, status=status)
    if status == 410:
        return fetch_error("gone", url, status=status)
    if status in (401, 403, 406, 451):
        return fetch_error("blocked", url, f"HTTP {status}", status=status)
    return fetch_error("http-error", url, f"HTTP {status}", status=status)
