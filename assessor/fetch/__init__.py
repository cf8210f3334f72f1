"""Fetching: vendor documents read over HTTP (or rendered in Chromium), archived, and parsed.

    from assessor.archive import Archive
    from assessor.fetch import fetch_vendors
    results = fetch_vendors(vendors, archive=Archive())   # one DocumentFetch per document, failures included
"""

from __future__ import annotations

from .browser import render_page
from .documents import (DocumentFetch, archived_document, archived_status, document_source, fetch_document,
                        fetch_vendors, network_verdict, utc_now)
from .errors import FetchError, PermanentFetchError, TransientFetchError
from .http import USER_AGENT, FetchSettings, HttpResponse, Validators, http_get, make_session

__all__ = ["USER_AGENT", "DocumentFetch", "FetchError", "FetchSettings", "HttpResponse", "PermanentFetchError",
           "TransientFetchError", "Validators", "archived_document", "archived_status", "document_source",
           "fetch_document", "fetch_vendors", "http_get", "make_session", "network_verdict", "render_page", "utc_now"]
