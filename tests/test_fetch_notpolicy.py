"""Pages that are not a policy (sign-in forms, paywalls, soft 404s, error pages, cookie walls, browser checks) served
with status 200 from 127.0.0.1: reported per document, never archived as a version; policies that merely mention
signing in or cookies are read as usual. Every page here is written for this test (synthetic vendors)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessor.fetch import PermanentFetchError, fetch_document, fetch_vendors
from assessor.fetch.notpolicy import MIN_POLICY_CUES, not_a_policy, policy_cues
from assessor.models import DocumentSpec, VendorProfile
from assessor.parse import parse_file

from .conftest import ROOT

FOOTER = ("<footer><a href='/privacy'>Privacy Policy</a> · <a href='/terms'>Terms of Use</a> · "
          "<a href='/contact'>Contact us</a> · © 2026 Quillmoss Reader</footer>")
NAV = "<nav><a href='/'>Home</a> <a href='/browse'>Browse</a> <a href='/signin'>Sign in</a></nav>"


def html(title: str, main: str, *, head: str = "") -> str:
    return (f"<!doctype html><html><head><title>{title}</title></head><body>{NAV}{head}<main>{main}</main>{FOOTER}"
            "</body></html>")


NOT_POLICIES = {
    "sign-in": ("a sign-in form", html("Sign in | Quillmoss Reader", """
        <h1>Sign in to your account</h1>
        <form method="post" action="/session"><label>Username or email <input type="text" name="user"></label>
        <label>Password <input type="password" name="pw"></label>
        <label><input type="checkbox" name="keep"> Keep me signed in</label><button>Sign in</button></form>
        <p><a href="/reset">Forgot your password?</a></p><p>New to Quillmoss Reader? Ask your library for a card,
        then create an account to borrow ebooks and audiobooks on any device.</p>""")),
    "sign-in-no-form-marks": ("a sign-in form", html("Quillmoss Reader", """
        <h1>Welcome back</h1><p>Please log in to continue to your bookshelf and your loans.</p>
        <p>Your library card number and PIN work here too.</p>""")),
    "paywall": ("a paywall", html("Why libraries love audiobooks | Quillmoss Journal", """
        <h1>Why libraries love audiobooks</h1><p>Audiobook circulation grew again last year, and the reasons are
        not what most people expect.</p><div class="gate"><h2>Subscribe to continue reading</h2>
        <p>You have reached your free article limit for this month. Start your free trial to keep reading, or
        sign in if you already subscribe.</p><a href="/subscribe">See plans</a></div>""")),
    "soft-404": ("a 'page not found' page", html("Page not found - Quillmoss Reader", """
        <h1>Oops! We can't find that page.</h1><p>The page you were looking for may have moved, or the link you
        followed may be out of date.</p><p>Try the search box above, or go back to the <a href="/">home page</a>.
        </p>""")),
    "error-200": ("an error page", html("Quillmoss Reader", """
        <h1>Something went wrong</h1><p>An unexpected error has occurred while loading this page. Our team has been
        told. Please try again in a few minutes.</p><p>Reference: 7f3a9c21-e4b8</p>""")),
    "cookie-wall": ("a cookie wall", html("Quillmoss Reader", """
        <div class="consent"><h2>Your choices about cookies on this site</h2><p>We and our partners use cookies to
        run this site and to understand how it is used. By clicking "Accept all" you let us store them on your
        device.</p><button>Accept all cookies</button> <button>Reject all</button>
        <button>Manage preferences</button></div>""")),
    "browser-check": ("a browser check", html("Just a moment...", """
        <h1>Checking your browser before accessing policies.quillmoss.example</h1><p>This takes a few seconds.
        Please enable JavaScript and cookies to continue.</p>""")),
}

LOGIN_BOX = """<div class="login"><form action="/session"><input type="text" name="user" placeholder="Library card">
<input type="password" name="pin" placeholder="PIN"><button>Sign in</button></form></div>"""
COOKIE_BANNER = """<div class="banner">We use cookies. <button>Accept all cookies</button>
<button>Manage preferences</button></div>"""

POLICIES = {
    # a real-looking privacy policy under a header with a login box and a cookie banner, which mentions signing in,
    # passwords, cookies and pages that are not found
    "privacy-with-login-box": html("Privacy notice | Quillmoss Reader", """
        <h1>Quillmoss Reader privacy notice</h1><p>Last updated: March 3, 2026</p>
        <h2>What we collect</h2><p>When you sign in to your account we collect your library card number and the
        PIN you chose. If you forgot your password, we send a reset link to the email you gave us.</p>
        <h2>How we use it</h2><p>We use your loans only to deliver titles to you and delete loan records thirty
        days after a loan ends. We never sell personal information.</p>
        <h2>Sharing</h2><p>We share data with service providers that host our servers, under contracts that forbid
        other uses. We disclose information to third parties only when the law requires it.</p>
        <h2>Cookies</h2><p>We set a session cookie that keeps you signed in; you can manage preferences for
        analytics cookies at any time. A page not found error does not record who you are.</p>
        <h2>Your rights</h2><p>You may ask us to access or delete your data. Contact us at
        privacy@quillmoss.example.</p>""", head=LOGIN_BOX + COOKIE_BANNER),
    # a short cookie policy full of consent-banner words
    "cookie-policy": html("Cookie policy | Quillmoss Reader", """
        <h1>Cookie policy</h1><p>This policy explains the cookies we set. Essential cookies keep you signed in; we
        store them for the session only. Analytics cookies are set only if you accept all cookies in the banner;
        you can reject all or manage preferences at any time in Cookie settings, and withdraw consent.</p>
        <p>We do not share cookie data with advertisers. Contact us with questions.</p>"""),
    # terms of use that talk about accounts, errors and access being denied
    "terms-with-errors": html("Terms of use | Quillmoss Reader", """
        <h1>Terms of use</h1><p>By using Quillmoss Reader you agree to these terms.</p>
        <p>You must sign in to your account to borrow titles. We may suspend access if an error has occurred in
        your account or if you break these terms. Access denied messages mean your library has not licensed the
        title.</p><p>Titles are licensed, not sold. We are not liable for service interruptions. These terms are
        governed by the laws of the State of Vermont, and we may update them with notice.</p>"""),
}


def fetch_page(http, archive, name: str, body: str, vendor: str = "quillmoss"):
    http.expect_request(f"/{name}").respond_with_data(body, content_type="text/html; charset=utf-8")
    return fetch_document(vendor, DocumentSpec(kind="privacy-policy", url=http.url_for(f"/{name}")), archive=archive)


@pytest.mark.parametrize("name", sorted(NOT_POLICIES))
def test_a_page_that_is_not_a_policy_is_reported_and_not_archived_as_a_version(http, archive, name):
    what, body = NOT_POLICIES[name]
    with pytest.raises(PermanentFetchError) as info:
        fetch_page(http, archive, name, body)
    assert info.value.kind == "not-a-policy" and f"looks like {what}: " in str(info.value)
    assert "\n" not in str(info.value)
    assert archive.versions("quillmoss") == []
    (snapshot,) = archive.snapshots("quillmoss")  # the body is kept as evidence of what the URL served
    assert snapshot.version_id is None
    (check,) = archive.checks("quillmoss")
    assert (check.outcome, check.error_kind) == ("failed", "not-a-policy")


def test_a_policy_that_turns_into_a_sign_in_page_keeps_its_last_version(http, archive):
    first = fetch_page(http, archive, "p", POLICIES["privacy-with-login-box"])
    http.clear()
    with pytest.raises(PermanentFetchError, match="sign-in form"):
        fetch_page(http, archive, "p", NOT_POLICIES["sign-in"][1])
    assert [v.id for v in archive.versions("quillmoss")] == [first.version_id]
    assert archive.latest_snapshot("quillmoss", "privacy-policy").id == first.snapshot.id  # offline reads this


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_policies_that_mention_signing_in_or_cookies_are_read(http, archive, name):
    result = fetch_page(http, archive, name, POLICIES[name])
    assert result.outcome == "new-version" and result.document is not None


def test_a_batch_reports_each_non_policy_on_its_own_line(http, archive):
    vendors = []
    for name in ("sign-in", "soft-404"):
        http.expect_request(f"/{name}").respond_with_data(NOT_POLICIES[name][1], content_type="text/html")
        vendors.append(VendorProfile(id=name, name=name, category="ils",
                                     documents=[DocumentSpec(kind="privacy-policy", url=http.url_for(f"/{name}"))]))
    http.expect_request("/good").respond_with_data(POLICIES["cookie-policy"], content_type="text/html")
    vendors.append(VendorProfile(id="good", name="Good", category="ils",
                                 documents=[DocumentSpec(kind="cookie-policy", url=http.url_for("/good"))]))
    results = fetch_vendors(vendors, archive=archive, progress="off")
    assert [(r.vendor, r.outcome) for r in results] == [("good", "new-version"), ("sign-in", "failed"),
                                                        ("soft-404", "failed")]
    assert "not-a-policy (permanent)" in results[1].line() and "sign-in form" in results[1].line()
    assert "'page not found' page" in results[2].line()


SAMPLES = sorted((ROOT / "vendor_profiles" / "samples").iterdir())


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_no_sample_document_is_flagged(path: Path):
    document = parse_file(path)
    assert not_a_policy(document, path.read_bytes()) is None
    assert policy_cues(document.text) >= MIN_POLICY_CUES


def test_the_non_policies_show_few_policy_words():
    """The margin the threshold stands in: every page above well under it, every policy above it."""
    from assessor.parse import parse_bytes

    def cues(body: str) -> int:
        return policy_cues(parse_bytes(body.encode(), uri="u", content_type="text/html").text)

    assert max(cues(body) for _, body in NOT_POLICIES.values()) < MIN_POLICY_CUES
    assert min(cues(body) for body in POLICIES.values()) >= MIN_POLICY_CUES
