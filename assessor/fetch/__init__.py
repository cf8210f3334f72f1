"""Fetching: vendor documents read over HTTP (or rendered in Chromium), archived, and parsed.

    from assessor.archive import Archive
    from assessor.fetch import fetch_vendors
    results = fetch_vendors(vendors, archive=Archive())   # one DocumentFetch per document, failures included

The fetching functions are imported when first used: requests, urllib3 and the browser take a while to import, and a
command that reads a local file (`assessor score FILE`) needs only the settings.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import FetchError, PermanentFetchError, TransientFetchError
from .limits import USER_AGENT, FetchSettings

if TYPE_CHECKING:
    from .browser import render_page
    from .documents import (DocumentFetch, archived_document, archived_status, document_source, fetch_document,
                            fetch_vendors, network_verdict, utc_now)
    from .http import HttpResponse, Validators, http_get, make_session

__all__ = ["USER_AGENT", "DocumentFetch", "FetchError", "FetchSettings", "HttpResponse", "PermanentFetchError",
           "TransientFetchError", "Validators", "archived_document", "archived_status", "document_source",
           "fetch_document", "fetch_vendors", "http_get", "make_session", "network_verdict", "render_page", "utc_now"]
_MODULES = {"render_page": "browser", "HttpResponse": "http", "Validators": "http", "http_get": "http",
            "make_session": "http", **dict.fromkeys(["DocumentFetch", "archived_document", "archived_status",
                                                     "document_source", "fetch_document", "fetch_vendors",
                                                     "network_verdict", "utc_now"], "documents")}


def __getattr__(name: str) -> Any:
    """A fetching function or class, its module imported on first use."""
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_MODULES[name]}", __name__), name)
