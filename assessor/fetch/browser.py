"""Pages that need JavaScript, rendered by the system Chromium through Playwright (the `browser` extra).

Chosen per document with `render: browser` in the vendor profile. Never downloads a browser: it drives the one at
`FetchSettings.chromium` (Debian package `chromium`, `/usr/bin/chromium` by default, or `$ASSESSOR_CHROMIUM`).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .errors import FetchError, error_for_status, fetch_error
from .http import HttpResponse, check_url
from .limits import FetchSettings

CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync")
# Chromium's network error names -> our error kinds.
_NET_ERRORS = {"ERR_NAME_NOT_RESOLVED": "dns", "ERR_NAME_RESOLUTION_FAILED": "no-network",
               "ERR_INTERNET_DISCONNECTED": "no-network", "ERR_ADDRESS_UNREACHABLE": "no-network",
               "ERR_CONNECTION_REFUSED": "connection", "ERR_CONNECTION_RESET": "connection",
               "ERR_CONNECTION_CLOSED": "connection", "ERR_EMPTY_RESPONSE": "connection",
               "ERR_TIMED_OUT": "timeout", "ERR_TOO_MANY_REDIRECTS": "redirect-loop", "ERR_CERT": "tls",
               "ERR_SSL": "tls"}
_IDLE_WAIT_MS = 5000


def render_page(url: str, settings: FetchSettings = FetchSettings()) -> HttpResponse:
    """The page's HTML after its scripts ran. Raises FetchError (renderer-missing names what to install)."""
    check_url(url)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise fetch_error("renderer-missing", url, "pip install assessor[browser]") from None
    if not Path(settings.chromium).exists():
        raise fetch_error("renderer-missing", url, f"no Chromium at {settings.chromium}; "
                                                   "install the Debian package chromium")
    # Playwright's sync API refuses to run in a thread with an event loop (Jupyter): give it a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_render, url, settings).result()


def _render(url: str, settings: FetchSettings) -> HttpResponse:
    from playwright.sync_api import Error, TimeoutError, sync_playwright

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=settings.chromium, headless=True, args=list(CHROMIUM_ARGS))
            try:
                context = browser.new_context(user_agent=settings.user_agent, accept_downloads=False)
                page = context.new_page()
                response = page.goto(url, wait_until="load", timeout=settings.timeout * 1000)
                try:
                    page.wait_for_load_state("networkidle", timeout=min(_IDLE_WAIT_MS, settings.timeout * 1000))
                except TimeoutError:
                    pass  # a page that keeps polling: what has loaded by now is the page
                status = response.status if response else 200
                if status >= 400:
                    raise error_for_status(status, url)
                check_url(page.url)
                body = page.content().encode("utf-8")
                headers = {k.lower(): v for k, v in (response.headers if response else {}).items()
                           if k.lower() in ("etag", "last-modified", "date", "content-language")}
                redirects: list[str] = []
                request = response.request.redirected_from if response else None
                while request is not None:
                    redirects.insert(0, request.url)
                    request = request.redirected_from
                final_url = page.url
            finally:
                browser.close()
    except FetchError:
        raise
    except TimeoutError as exc:
        raise fetch_error("timeout", url, "in the browser") from exc
    except Error as exc:
        message = str(exc)
        kind = next((k for name, k in _NET_ERRORS.items() if f"net::{name}" in message), "render-failed")
        raise fetch_error(kind, url, message.splitlines()[0][:200]) from exc
    if len(body) > settings.max_bytes:
        raise fetch_error("too-large", url, f"rendered page over the cap of {settings.max_bytes:,} bytes")
    headers["content-type"] = "text/html; charset=utf-8"
    return HttpResponse(url=url, final_url=final_url, status=status, headers=headers, body=body,
                        redirects=tuple(redirects))
