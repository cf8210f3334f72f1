"""Fetching against a real HTTP server on 127.0.0.1: statuses, retries, redirects, caps, encodings, batches."""

from __future__ import annotations

import errno
import gzip
import socket
import threading
import time
from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest
import urllib3
from werkzeug import Request, Response

from assessor.archive import Archive
from assessor.errors import AssessorError
from assessor.fetch import (FetchError, FetchSettings, PermanentFetchError, TransientFetchError, fetch_document,
                            fetch_vendors, http_get, make_session, network_verdict)
from assessor.models import DocumentSpec, VendorProfile
from assessor.parse import MAX_BYTES, DocumentTooLarge, parse_bytes, parse_file, read_file
from assessor.pipeline import read_document

POLICY = """<!doctype html><html><head><title>Quillmoss privacy</title></head><body><main>
<h1>Quillmoss Reader privacy notice</h1>
<p>We collect your library card number only to confirm that you may borrow titles.</p>
<p>We never sell what you read, and we delete loan records thirty days after a loan ends.</p>
{extra}
</main></body></html>"""


class Sleeps(list):
    """Records the waits between retries instead of sleeping them."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps():
    return Sleeps()


@pytest.fixture
def settings(sleeps):
    return FetchSettings(timeout=2, retries=2, backoff=0.01,
                         max_retry_after=5, sleep=sleeps)


def page(extra: str = "") -> str:
    return POLICY.format(extra=extra)


def spec(url: str, kind: str = "privacy-policy", **kw) -> DocumentSpec:
    return DocumentSpec(kind=kind, url=url, **kw)


def fetch(url: str, archive: Archive, settings: FetchSettings, vendor: str = "quillmoss", **kw):
    result = fetch_document(vendor, spec(url, **kw), archive=archive, settings=settings)
    return result, result.document


# -- conditional requests -------------------------------------------------------------------------------------------


def test_etag_then_304_is_not_downloaded_again(http, archive, settings):
    seen: list[str | None] = []

    def handler(request: Request) -> Response:
        seen.append(request.headers.get("If-None-Match"))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(page(), content_type="text/html; charset=utf-8", headers={"ETag": '"v1"'})

    http.expect_request("/privacy").respond_with_handler(handler)
    first, doc = fetch(http.url_for("/privacy"), archive, settings)
    second, again = fetch(http.url_for("/privacy"), archive, settings)
    assert seen == [None, '"v1"']
    assert (first.outcome, second.outcome) == ("new-version", "not-modified")
    assert second.snapshot == first.snapshot and again is None  # nothing downloaded, nothing parsed
    online = read_document(spec(http.url_for("/privacy")), vendor_id="quillmoss", offline=False,
                           archive=archive).document
    assert online.text == doc.text and online.provenance.offline is False
    assert "thirty days" in doc.text and doc.provenance.offline is False
    assert [c.outcome for c in archive.checks("quillmoss")] == ["new-version", "not-modified", "not-modified"]
    assert len(archive.snapshots("quillmoss")) == 1


def test_last_modified_is_sent_back_and_conditional_can_be_turned_off(http, archive, settings):
    stamp = "Wed, 21 Oct 2026 07:28:00 GMT"
    seen: list[str | None] = []

    def handler(request: Request) -> Response:
        seen.append(request.headers.get("If-Modified-Since"))
        if request.headers.get("If-Modified-Since") == stamp:
            return Response(status=304)
        return Response(page(), content_type="text/html", headers={"Last-Modified": stamp})

    http.expect_request("/privacy").respond_with_handler(handler)
    fetch(http.url_for("/privacy"), archive, settings)
    assert fetch(http.url_for("/privacy"), archive, settings)[0].outcome == "not-modified"
    unconditional = replace(settings, conditional=False)
    assert fetch(http.url_for("/privacy"), archive, unconditional)[0].outcome == "unchanged"
    assert seen == [None, stamp, None]


# -- redirects ------------------------------------------------------------------------------------------------------


def test_redirects_are_followed_and_recorded(http, archive, settings):
    http.expect_request("/old").respond_with_response(Response(status=301, headers={"Location": "/moved"}))
    http.expect_request("/moved").respond_with_response(Response(status=302, headers={"Location": "/privacy"}))
    http.expect_request("/privacy").respond_with_data(page(), content_type="text/html")
    result, doc = fetch(http.url_for("/old"), archive, settings)
    assert result.snapshot.final_url == http.url_for("/privacy")
    assert result.snapshot.redirects == [http.url_for("/old"), http.url_for("/moved")]
    assert result.source == http.url_for("/old") and doc.provenance.final_url == http.url_for("/privacy")


def test_redirect_loop_is_a_permanent_error(http, archive, settings):
    http.expect_request("/a").respond_with_response(Response(status=302, headers={"Location": "/b"}))
    http.expect_request("/b").respond_with_response(Response(status=302, headers={"Location": "/a"}))
    with pytest.raises(PermanentFetchError) as info:
        fetch(http.url_for("/a"), archive, settings)
    assert info.value.kind == "redirect-loop"
    (check,) = archive.checks("quillmoss")
    assert (check.outcome, check.error_kind, check.transient) == ("failed", "redirect-loop", False)


def test_redirect_to_another_scheme_is_refused(http, archive, settings):
    http.expect_request("/sneaky").respond_with_response(
        Response(status=302, headers={"Location": "file:///etc/passwd"}))
    with pytest.raises(FetchError) as info:
        fetch(http.url_for("/sneaky"), archive, settings)
    assert info.value.kind == "bad-url"


def test_only_http_and_https_are_fetched(settings):
    for url in ("ftp://example.org/policy", "file:///etc/passwd", "http:///no-host"):
        with pytest.raises(FetchError) as info:
            http_get(make_session(settings), url, settings)
        assert info.value.kind == "bad-url"


# -- error statuses, retries -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "kind"), [(404, "not-found"), (410, "gone"), (403, "blocked"),
                                              (401, "blocked"), (418, "http-error")])
def test_permanent_statuses_are_classified_and_not_retried(http, archive, settings, sleeps, status, kind):
    http.expect_request("/p").respond_with_data("no", status=status)
    with pytest.raises(PermanentFetchError) as info:
        fetch(http.url_for("/p"), archive, settings)
    assert (info.value.kind, info.value.status, info.value.transient) == (kind, status, False)
    assert len(http.log) == 1 and sleeps == []
    assert archive.checks("quillmoss")[-1].error_kind == kind


def test_429_honours_retry_after(http, archive, settings, sleeps):
    http.expect_ordered_request("/p").respond_with_data("slow down", status=429, headers={"Retry-After": "2"})
    http.expect_ordered_request("/p").respond_with_data(page(), content_type="text/html")
    result, _ = fetch(http.url_for("/p"), archive, settings)
    assert result.outcome == "new-version" and sleeps == [2.0]


def test_429_asking_too_long_a_wait_gives_up_as_transient(http, archive, settings, sleeps):
    http.expect_request("/p").respond_with_data("later", status=429, headers={"Retry-After": "3600"})
    with pytest.raises(TransientFetchError) as info:
        fetch(http.url_for("/p"), archive, settings)
    assert info.value.kind == "rate-limited" and sleeps == [] and len(http.log) == 1
    assert archive.checks("quillmoss")[-1].transient is True


def test_500_then_success_is_retried_with_backoff(http, archive, settings, sleeps):
    http.expect_ordered_request("/p").respond_with_data("oops", status=500)
    http.expect_ordered_request("/p").respond_with_data("oops", status=503)
    http.expect_ordered_request("/p").respond_with_data(page(), content_type="text/html")
    result, _ = fetch(http.url_for("/p"), archive, settings)
    assert result.outcome == "new-version" and sleeps == [0.0, 0.02]  # urllib3's backoff: none, then 2 x 0.01


def test_server_errors_that_persist_are_transient(http, archive, settings, sleeps):
    http.expect_request("/p").respond_with_data("down", status=502)
    with pytest.raises(TransientFetchError) as info:
        fetch(http.url_for("/p"), archive, settings)
    assert info.value.kind == "server-error" and len(http.log) == 3 and len(sleeps) == 2


def test_a_stalling_server_times_out(http, archive, settings):
    def stall(request: Request) -> Response:
        time.sleep(1.5)
        return Response(page(), content_type="text/html")

    http.expect_request("/stall").respond_with_handler(stall)
    quick = replace(settings, timeout=0.3, retries=1)
    started = time.monotonic()
    with pytest.raises(TransientFetchError) as info:
        fetch(http.url_for("/stall"), archive, quick)
    assert info.value.kind == "timeout"
    assert time.monotonic() - started < 1.4  # two attempts of 0.3 s, not the server's 1.5 s


def test_a_body_that_stalls_half_way_times_out(http, archive, settings):
    def trickle():
        yield b"<html><body><p>We collect"
        time.sleep(1.5)
        yield b" nothing.</p></body></html>"

    http.expect_request("/half").respond_with_response(Response(trickle(), content_type="text/html"))
    quick = replace(settings, timeout=0.3, retries=0)
    with pytest.raises(TransientFetchError) as info:
        fetch(http.url_for("/half"), archive, quick)
    assert info.value.kind == "timeout"


def test_a_server_trickling_bytes_meets_the_total_deadline(http, archive, settings):
    def trickle():
        yield b"<html><body><p>"
        for _ in range(100):
            time.sleep(0.1)
            yield b"x"

    http.expect_request("/drip").respond_with_response(Response(trickle(), content_type="text/html"))
    quick = replace(settings, timeout=1.0, retries=0)
    started = time.monotonic()
    with pytest.raises(TransientFetchError, match="not read within 1 s") as info:
        fetch(http.url_for("/drip"), archive, quick)
    assert info.value.kind == "timeout" and time.monotonic() - started < 3


class Dripper:
    """A raw-socket server on 127.0.0.1 that answers every request one byte at a time, forever: its status line and
    headers (`headers`) or, after complete headers, its body (`body`); or never says a word (`silent`). It counts
    the connections it was asked for."""

    def __init__(self, phase: str, interval: float = 0.05):
        self.phase, self.interval = phase, interval
        self.connections = 0
        self.stop = threading.Event()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}/privacy"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        self.server.settimeout(0.1)
        while not self.stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # closed
            self.connections += 1
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            if self.phase == "silent":
                self.stop.wait()
                return
            if self.phase == "body":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>We collect")
            else:
                conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            while not self.stop.is_set():
                try:
                    conn.sendall(b"a")
                except OSError:
                    return  # the client hung up
                time.sleep(self.interval)

    def close(self) -> None:
        self.stop.set()
        self.server.close()


@pytest.fixture
def dripper():
    servers: list[Dripper] = []

    def start(phase: str) -> Dripper:
        servers.append(Dripper(phase))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.mark.parametrize(("phase", "attempts"), [("headers", 1), ("body", 1), ("silent", 2)])
def test_a_dripping_server_holds_a_document_no_longer_than_its_budget(dripper, archive, phase, attempts):
    """Each byte comes well within the read timeout, so only the attempt's budget can stop it: --timeout 0.5
    gives one attempt 0.5 s and the document at most 4 x 0.5 s, retries and waits included."""
    server = dripper(phase)
    settings = FetchSettings(timeout=0.5, backoff=0.01)
    assert settings.document_budget == 2.0
    started = time.monotonic()
    with pytest.raises(TransientFetchError) as info:
        fetch(server.url, archive, settings)
    elapsed = time.monotonic() - started
    assert info.value.kind == "timeout" and elapsed < settings.document_budget + 0.3
    # a silent server's timeout is retried once (timeout_retries); a response that has begun and then runs out of
    # time is not retried within the run
    assert server.connections == attempts and 0.45 < elapsed / attempts < 0.8
    assert archive.checks("quillmoss")[-1].error_kind == "timeout"


def test_the_budget_holds_through_a_proxy(dripper, archive, monkeypatch):
    """A dripping proxy (the dripper, answering the proxy request itself) is cut off like a dripping site."""
    proxy = dripper("headers")
    monkeypatch.setenv("HTTP_PROXY", proxy.url.rsplit("/", 1)[0])
    monkeypatch.setenv("http_proxy", proxy.url.rsplit("/", 1)[0])
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    settings = FetchSettings(timeout=0.5)
    started = time.monotonic()
    with pytest.raises(TransientFetchError) as info:
        fetch("http://policies.quillmoss.example/privacy", archive, settings)  # no name is looked up: the proxy is
    assert info.value.kind == "timeout" and proxy.connections == 1
    assert time.monotonic() - started < settings.document_budget


def test_an_earlier_attempts_alarm_does_not_cut_the_next_attempt_short():
    from assessor.fetch.http import _Budget

    budget = _Budget(FetchSettings(timeout=0.5))
    budget.start_attempt()  # its alarm rings at 0.5 s
    time.sleep(0.3)
    budget.start_attempt()  # a retry: its own 0.5 s, until 0.8 s
    time.sleep(0.3)
    assert not budget.expired  # 0.6 s: the first alarm has rung, for an attempt that is over
    time.sleep(0.4)
    assert budget.expired  # 1.0 s: the retry's time is up
    budget.finish()


def test_a_batch_of_dripping_documents_frees_its_workers_in_time(dripper, archive):
    servers = [dripper("body"), dripper("headers")]
    vendors = [VendorProfile(id=f"d{i}", name=f"Drip {i}", category="ils", documents=[spec(s.url)])
               for i, s in enumerate(servers)]
    settings = FetchSettings(timeout=0.4)
    started = time.monotonic()
    results = fetch_vendors(vendors, archive=archive, settings=settings, workers=2, progress="off")
    assert [r.error.kind for r in results] == ["timeout", "timeout"]
    assert time.monotonic() - started < settings.document_budget + 0.3


def test_a_retry_that_would_overrun_the_budget_is_not_made(http, archive, sleeps):
    http.expect_request("/p").respond_with_data("busy", status=503, headers={"Retry-After": "3"})
    with pytest.raises(TransientFetchError) as info:
        fetch(http.url_for("/p"), archive, FetchSettings(timeout=0.5, sleep=sleeps))  # a budget of 2 s
    assert info.value.kind == "server-error" and len(http.log) == 1 and sleeps == []


def test_no_route_to_the_network_is_told_apart_from_a_broken_url(monkeypatch, archive, settings):
    def unreachable(*args, **kwargs):
        raise OSError(errno.ENETUNREACH, "Network is unreachable")

    for proxy in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(proxy, raising=False)
    monkeypatch.setattr(urllib3.util.connection, "create_connection", unreachable)  # the failure is simulated
    with pytest.raises(TransientFetchError, match="is this computer offline") as info:
        fetch("http://policies.quillmoss.example/privacy", archive, replace(settings, retries=0))
    assert info.value.kind == "no-network"


def test_a_gzipped_body_is_capped_on_its_decoded_size(http, archive, settings):
    bomb = gzip.compress(b"<p>" + b"a" * (8 * 1024 * 1024) + b"</p>")
    http.expect_request("/bomb").respond_with_data(bomb, content_type="text/html",
                                                   headers={"Content-Encoding": "gzip"})
    with pytest.raises(PermanentFetchError) as info:
        fetch(http.url_for("/bomb"), archive, replace(settings, max_bytes=1024 * 1024))
    assert info.value.kind == "too-large" and len(bomb) < 1024 * 1024


def test_a_refused_connection_is_transient(archive, settings):
    with pytest.raises(TransientFetchError) as info:
        fetch("http://127.0.0.1:9/privacy", archive, settings)
    assert info.value.kind == "connection"


@pytest.mark.parametrize(("errno", "message", "kind", "transient"), [
    (socket.EAI_NONAME, "Name or service not known", "dns", False),
    (socket.EAI_AGAIN, "Temporary failure in name resolution", "no-network", True)])
def test_dns_failures_are_classified(monkeypatch, archive, settings, errno, message, kind, transient):
    def unresolvable(host, *args, **kwargs):
        raise socket.gaierror(errno, message)

    for proxy in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(proxy, raising=False)
    monkeypatch.setattr(socket, "getaddrinfo", unresolvable)  # no resolver is asked: the failure is simulated
    with pytest.raises(FetchError) as info:
        fetch("https://policies.quillmoss.example/privacy", archive, replace(settings, retries=0))
    assert (info.value.kind, info.value.transient) == (kind, transient)


def test_a_batch_where_no_site_resolves_is_called_a_network_failure(monkeypatch, http, archive, settings):
    """Some systems say 'not found' for every name when offline: one broken host is the URL's fault, every host
    failing is the network's."""
    real = socket.getaddrinfo

    def offline(host, *args, **kwargs):
        if host == "127.0.0.1":
            return real(host, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    for proxy in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(proxy, raising=False)
    monkeypatch.setattr(socket, "getaddrinfo", offline)  # the failure is simulated: no resolver is asked
    http.expect_request("/p").respond_with_data(page(), content_type="text/html")

    def batch(*urls: str) -> list:
        vendors = [VendorProfile(id=f"v{i}", name=f"V{i}", category="ils", documents=[spec(url)])
                   for i, url in enumerate(urls)]
        return fetch_vendors(vendors, archive=archive, settings=replace(settings, retries=0), progress="off")

    everywhere = batch("https://a.quillmoss.example/p", "https://b.inkwell.example/p")
    assert [r.error.kind for r in everywhere] == ["dns", "dns"]
    assert network_verdict(everywhere).startswith("no network: none of the 2 sites could be reached")
    one_broken = batch("https://a.quillmoss.example/p", http.url_for("/p"))
    assert [r.outcome for r in one_broken] == ["failed", "new-version"] and network_verdict(one_broken) is None
    one_site = batch("https://a.quillmoss.example/p")
    assert network_verdict(one_site, lookup_works=lambda: True) is None  # others' names resolve: its URL may be wrong
    assert network_verdict(one_site, lookup_works=lambda: False) == (
        "no network: a.quillmoss.example could not be reached and not even example.com can be looked up; check "
        "this computer's connection (offline? a proxy?) before the vendor's URL")
    assert network_verdict(one_site) is not None, "the probe's lookup fails too here (simulated, no resolver asked)"


def test_one_page_read_without_a_network_blames_the_network_not_the_url(monkeypatch, archive, settings, tmp_path):
    """`assessor review VENDOR` or `score URL` on a computer that is offline (its resolver saying 'not found' for
    every name) says 'no network', as `fetch` does, not 'check the URL in the vendor profile'."""
    from assessor.settings import Settings

    real = socket.getaddrinfo
    reachable: set[str] = set()

    def resolver(host, *args, **kwargs):
        if host in reachable:
            return real("127.0.0.1", *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    for proxy in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(proxy, raising=False)
    monkeypatch.setattr(socket, "getaddrinfo", resolver)  # simulated: no resolver is asked
    where = Settings(checklists=tmp_path, vendors=tmp_path, reviews=tmp_path, archive=archive.root)
    fetching = replace(settings, retries=0)
    with pytest.raises(FetchError) as offline:
        read_document(spec("https://a.quillmoss.example/p"), where, offline=False, archive=archive, fetching=fetching)
    assert offline.value.kind == "no-network" and "check the URL" not in str(offline.value)
    reachable.add("example.com")  # other names resolve: this URL is what is wrong
    with pytest.raises(FetchError) as wrong_url:
        read_document(spec("https://a.quillmoss.example/p"), where, offline=False, archive=archive, fetching=fetching)
    assert wrong_url.value.kind == "dns" and "check the URL in the vendor profile" in str(wrong_url.value)


def test_tls_to_a_plain_http_port_is_a_tls_error(http, archive, settings):
    url = http.url_for("/p").replace("http://", "https://")
    with pytest.raises(PermanentFetchError) as info:
        fetch(url, archive, settings)
    assert info.value.kind == "tls"


# -- size cap, content types -----------------------------------------------------------------------------------------

FIFTY_MB = 50 * 1024 * 1024


class Producer:
    """A 50 MB body produced lazily, counting how much the server was asked to send."""

    def __init__(self) -> None:
        self.sent = 0

    def __iter__(self):
        chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
        while self.sent < FIFTY_MB:
            self.sent += len(chunk)
            yield chunk


@pytest.mark.parametrize("declared_length", [True, False])
def test_a_50_mb_body_is_capped_without_reading_it_all(http, archive, settings, declared_length):
    body = Producer()
    headers = {"Content-Length": str(FIFTY_MB)} if declared_length else {}
    http.expect_request("/huge").respond_with_response(Response(body, content_type="text/html", headers=headers))
    capped = replace(settings, max_bytes=1024 * 1024)
    started = time.monotonic()
    with pytest.raises(PermanentFetchError) as info:
        fetch(http.url_for("/huge"), archive, capped)
    assert info.value.kind == "too-large"
    assert time.monotonic() - started < 5
    time.sleep(0.2)
    assert body.sent < FIFTY_MB // 4  # the server stopped soon after we hung up
    assert archive.snapshots("quillmoss") == []


def test_an_image_is_refused_before_download(http, archive, settings):
    http.expect_request("/logo").respond_with_data(b"\x89PNG" + b"\0" * 1000, content_type="image/png")
    with pytest.raises(PermanentFetchError) as info:
        fetch(http.url_for("/logo"), archive, settings)
    assert info.value.kind == "unsupported-type"


def test_windows_1252_declared_as_utf8_decodes_right(http, archive, settings):
    text = ("<html><body><main><h1>Caf\u00e9 Reads privacy</h1><p>We don\u2019t sell your data \u2014 "
            "\u201cever\u201d. Na\u00efve r\u00e9sum\u00e9s stay private.</p></main></body></html>")
    http.expect_request("/cafe").respond_with_data(text.encode("cp1252"), content_type="text/html; charset=utf-8")
    _, doc = fetch(http.url_for("/cafe"), archive, settings)
    assert "Caf\u00e9 Reads" in doc.text and "Na\u00efve r\u00e9sum\u00e9s stay private" in doc.text
    assert "sell your data" in doc.text and "ever" in doc.text
    assert "\ufffd" not in doc.text and "\u00c3" not in doc.text


# -- versions: only when the extracted text changes --------------------------------------------------------------


def test_a_new_version_only_when_the_text_changes(http, archive, settings):
    def variant(ad: str, token: str, stamp: str, clause: str) -> str:
        return page(f'<div class="ad">{ad}</div><form><input type="hidden" name="csrf" value="{token}"></form>'
                    f"<p>Page generated {stamp}.</p><p>{clause}</p>")

    bodies = [variant("Buy shoes", "a1b2", "2026-11-20 10:31:07 UTC", "Contact privacy@quillmoss.example."),
              variant("Buy hats", "z9y8", "2026-11-21 08:02:55 UTC", "Contact privacy@quillmoss.example."),
              variant("Buy hats", "q7w6", "2026-11-22 11:12:13 UTC", "We now share loans with partners.")]
    import datetime as dt

    other = b"<p>Terms of use: be kind.</p>"  # another vendor's version takes archive id 1
    archive.record(vendor="inkwell", kind="terms", source="https://quillmoss.example/terms", body=other,
                   content_type="text/html", fetched_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                   document=parse_bytes(other, uri="https://quillmoss.example/terms", content_type="text/html"))
    outcomes, versions, lines = [], [], []
    for body in bodies:
        http.clear()
        http.expect_request("/p").respond_with_data(body, content_type="text/html")
        result, _ = fetch(http.url_for("/p"), archive, settings, remove=[".ad"])
        outcomes.append(result.outcome)
        versions.append(result.version_id)
        lines.append(result.line())
    assert outcomes == ["new-version", "unchanged", "new-version"]
    assert versions == [2, 2, 3] and ["  v1  " in lines[0], "  v1  " in lines[1], "  v2  " in lines[2]] == [True] * 3
    assert versions[0] == versions[1] != versions[2]
    assert len({s.sha256 for s in archive.snapshots("quillmoss")}) == 3  # every raw snapshot kept
    history = archive.versions("quillmoss")
    assert [v.snapshots for v in history] == [2, 1]
    assert "share loans with partners" in archive.version_text(history[-1])


# -- offline ---------------------------------------------------------------------------------------------------------


def test_offline_reads_the_newest_archived_version_and_says_so(http, archive, settings):
    http.expect_request("/p").respond_with_data(page(), content_type="text/html")
    result, online = fetch(http.url_for("/p"), archive, settings)
    http.clear()
    doc = read_document(spec(http.url_for("/p")), vendor_id="quillmoss", offline=True, archive=archive).document
    assert http.log == []
    assert doc.text == online.text and doc.provenance.offline is True
    assert doc.provenance.fetched_at == result.snapshot.fetched_at
    assert doc.provenance.sha256 == result.snapshot.sha256


def test_offline_without_an_archived_copy_says_what_to_do(archive):
    with pytest.raises(AssessorError, match="assessor fetch quillmoss"):
        read_document(spec("http://127.0.0.1:9/p"), vendor_id="quillmoss", offline=True, archive=archive)


def test_online_load_fetches_and_archives(http, archive):
    http.expect_request("/p").respond_with_data(page(), content_type="text/html")
    doc = read_document(spec(http.url_for("/p")), vendor_id="quillmoss", offline=False, archive=archive).document
    assert doc.provenance.offline is False and len(archive.snapshots("quillmoss")) == 1


# -- batches ---------------------------------------------------------------------------------------------------------


def test_a_batch_of_30_vendors_where_5_fail(http, archive, settings):
    failing = {"v03": ("not-found", 404), "v09": ("gone", 410), "v14": ("blocked", 403),
               "v21": ("server-error", 503), "v27": ("unparseable", 200)}
    vendors = []
    for i in range(30):
        vid = f"v{i:02d}"
        if vid in failing:
            kind, status = failing[vid]
            body = "<html><body><script>1</script></body></html>" if status == 200 else "failure"
            http.expect_request(f"/{vid}").respond_with_data(body, status=status, content_type="text/html")
        else:
            http.expect_request(f"/{vid}").respond_with_data(
                page(f"<p>Vendor number {i} keeps data for {i + 1} days.</p>"), content_type="text/html",
                headers={"ETag": f'"{vid}"'})
        vendors.append(VendorProfile(id=vid, name=f"Vendor {i}", category="database",
                                     documents=[spec(http.url_for(f"/{vid}"))]))
    results = fetch_vendors(vendors, archive=archive, settings=settings, workers=6, progress="off")

    assert [r.vendor for r in results] == [f"v{i:02d}" for i in range(30)]
    failed = {r.vendor: r.error.kind for r in results if not r.ok}
    assert failed == {vid: kind for vid, (kind, _) in failing.items()}
    assert all(r.outcome == "new-version" for r in results if r.ok)
    # the archive is complete and consistent
    problems, orphans = archive.verify()
    assert problems == [] and orphans == []
    assert archive.vendors() == [f"v{i:02d}" for i in range(30)]
    for r in results:
        checks = archive.checks(r.vendor)
        assert len(checks) == 1 and checks[0].outcome == r.outcome
        if r.ok:
            (version,) = archive.versions(r.vendor)
            assert f"Vendor number {int(r.vendor[1:])} keeps" in archive.version_text(version)
            assert f"Vendor number {int(r.vendor[1:])} ".encode() in archive.body(r.snapshot)
    assert len(archive.snapshots()) == 26  # 25 good pages + the script-only one, kept though it has no text
    assert archive.checks("v21")[0].transient is True and archive.checks("v03")[0].transient is False


def test_a_batch_reads_at_most_per_host_documents_from_one_host_at_once(http, archive, settings):
    lock = threading.Lock()
    in_flight, peak = [0], [0]

    def slow(request: Request) -> Response:
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        time.sleep(0.2)
        with lock:
            in_flight[0] -= 1
        return Response(page(f"<p>{request.path}</p>"), content_type="text/html")

    vendors = []
    for i in range(6):
        http.expect_request(f"/h{i}").respond_with_handler(slow)
        vendors.append(VendorProfile(id=f"h{i}", name=f"H{i}", category="ils",
                                     documents=[spec(http.url_for(f"/h{i}"))]))
    results = fetch_vendors(vendors, archive=archive, settings=replace(settings, per_host=2), workers=6,
                            progress="off")
    assert all(r.ok for r in results) and peak[0] == 2


def test_a_missing_local_file_fails_only_its_document(tmp_path, archive, settings):
    (tmp_path / "good.html").write_text(page())
    vendors = [VendorProfile(id="local", name="Local", category="ils",
                             documents=[DocumentSpec(kind="privacy-policy", path="good.html"),
                                        DocumentSpec(kind="terms", path="missing.html")])]
    results = fetch_vendors(vendors, archive=archive, settings=settings, progress="off", base_dir=tmp_path)
    assert [(r.kind, r.outcome) for r in results] == [("privacy-policy", "new-version"), ("terms", "failed")]
    assert results[1].error.kind == "file-missing"
    assert archive.snapshots("local")[0].source == "path:good.html"


def test_user_agent_names_the_tool(http, archive, settings):
    http.expect_request("/p").respond_with_data(page(), content_type="text/html")
    fetch(http.url_for("/p"), archive, settings)
    assert http.log[0][0].headers["User-Agent"].startswith("assessor/")


def test_archive_folder_is_git_ignored():
    root = Path(__file__).resolve().parent.parent
    assert "data/archive/" in (root / ".gitignore").read_text().splitlines()


# -- the size cap of local documents ---------------------------------------------------------------------------------


def test_a_local_file_over_the_cap_is_refused_before_it_is_read(tmp_path, monkeypatch):
    huge = tmp_path / "policy.html"
    with huge.open("wb") as fh:  # a sparse 2 GB file: reading it would take long, and all the memory
        fh.truncate(2 * 1024**3)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read the whole file"))
    started = time.monotonic()
    with pytest.raises(DocumentTooLarge) as info:
        parse_file(huge)
    assert time.monotonic() - started < 0.5
    assert str(info.value) == f"{huge}: too large (2,147,483,648 bytes; the cap is {MAX_BYTES:,})"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs a device that reports no size")
def test_a_file_without_a_size_stops_at_the_cap():
    with pytest.raises(DocumentTooLarge, match="too large \\(over the cap of 1,000 bytes\\)"):
        read_file(Path("/dev/zero"), max_bytes=1000)


def test_a_profile_document_over_the_cap_fails_only_its_document(tmp_path, archive, settings):
    (tmp_path / "good.html").write_text(page())
    (tmp_path / "big.html").write_text(page("<p>" + "We keep loan records. " * 5000 + "</p>"))
    vendors = [VendorProfile(id="local", name="Local", category="ils",
                             documents=[DocumentSpec(kind="privacy-policy", path="good.html"),
                                        DocumentSpec(kind="terms", path="big.html")])]
    results = fetch_vendors(vendors, archive=archive, settings=replace(settings, max_bytes=64 * 1024),
                            progress="off", base_dir=tmp_path)
    assert [(r.kind, r.outcome) for r in results] == [("privacy-policy", "new-version"), ("terms", "failed")]
    assert results[1].error.kind == "too-large" and "the cap is 65,536" in results[1].line()


def test_text_over_the_text_cap_is_refused_in_one_line():
    def body(repeat: int) -> bytes:
        return page("<p>" + "We keep loan records for thirty days. " * repeat + "</p>").encode()

    assert len(parse_bytes(body(20), uri="long.html", content_type="text/html", max_chars=2000).text) < 2000
    with pytest.raises(DocumentTooLarge) as info:
        parse_bytes(body(80), uri="long.html", content_type="text/html", max_chars=2000)
    assert str(info.value).startswith("long.html: too large (")
    assert str(info.value).endswith(" characters of text; the cap is 2,000)")


def test_a_fetched_page_with_too_much_text_is_too_large_and_makes_no_version(http, archive, settings, monkeypatch):
    from assessor.fetch import documents

    monkeypatch.setattr(documents, "parse_bytes", partial(parse_bytes, max_chars=500))
    http.expect_request("/long").respond_with_data(page("<p>" + "We keep loans. " * 100 + "</p>"),
                                                   content_type="text/html")
    with pytest.raises(PermanentFetchError) as info:
        fetch(http.url_for("/long"), archive, settings)
    assert info.value.kind == "too-large" and "characters of text; the cap is 500" in str(info.value)
    assert archive.versions("quillmoss") == []


def test_score_refuses_a_local_file_over_the_cap_in_one_line(tmp_path, cli):
    huge = tmp_path / "policy.html"
    with huge.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    done = cli("score", str(huge))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert f"too large ({MAX_BYTES + 1:,} bytes; the cap is {MAX_BYTES:,})" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
