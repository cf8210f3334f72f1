"""The `assessor` command line. A user's mistake (an unknown id, a missing file) is one line on stderr, and a command
given an unknown vendor or checklist writes nothing."""

from __future__ import annotations

import argparse
import codecs
import gc
import io
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__
from .errors import AssessorError, unknown_id
from .loading import LoadError, load_checklists, load_vendors
from .models import DocumentKind, DocumentSpec, PolicyDocument, Status, VendorCategory, VendorProfile
from .progress import command_progress, progress_bar
from .scales import score_text
from .settings import PROJECT_ENV, Settings, resolve_settings

if TYPE_CHECKING:  # imported where used, so that `assessor --help` starts fast
    import datetime as dt

    from .audit import Acceptance, AuditRun
    from .pipeline import Review
    from .report.model import HistoryPoint, VendorReport

DESCRIPTION = """Review the privacy policies of your library's vendors against the library profession's checklists
(ALA, NISO, state laws, your library's own promises): every finding quotes the policy, reports are written for people
(HTML, Markdown, XLSX) and machines (JSON, CSV), and the yearly audit tells what changed."""
EPILOG = """Start with `assessor demo` (offline, on fictional sample vendors). `assessor vendors` and
`assessor checklists` list what you can review; `assessor COMMAND --help` describes a command."""
MB = 1024 * 1024  # the unit of --max-mb
GC_THRESHOLD = 20_000  # new objects between two collections of the youngest generation (Python's default: 700)


def _positive(text: str) -> float:
    """An argparse type: a number above zero (a timeout, a size cap)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text} must be above zero")
    return value


def _count(text: str) -> int:
    """An argparse type: a whole number of at least one (how many workers)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} must be at least 1")
    return value


def _fatal(message: str, code: int = 1) -> NoReturn:
    print(f"assessor: error: {message}", file=sys.stderr)
    raise SystemExit(code)


def _utf8_output() -> None:
    """Write UTF-8 (what the reports declare) whatever the console's code page: Windows gives a redirected stdout its
    ANSI code page (cp1252...), which cannot hold most of the world's text, so `score --format html > r.html` failed
    on the first arrow or accented name outside it."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and codecs.lookup(stream.encoding).name != "utf-8":
            stream.reconfigure(encoding="utf-8")


def _write(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


# ----------------------------------------------------------------------------------------------------------------
# where / validate


def cmd_where(args: argparse.Namespace) -> int:
    """Print the folders this run uses (see `assessor.settings`)."""
    _write(args.settings.describe())
    return 0


def _require_vendors(ids: Sequence[str], settings: Settings) -> dict[str, VendorProfile]:
    """Every vendor profile, after checking that each id given names one (else one line with a suggestion)."""
    profiles = load_vendors(settings.vendors)
    for vendor_id in ids:
        if vendor_id not in profiles:
            raise AssessorError(unknown_id("vendor profile", vendor_id, profiles, "assessor vendors"))
    return profiles


def _require_checklists(ids: Sequence[str], settings: Settings) -> None:
    known = load_checklists(settings.checklists)
    for checklist_id in ids:
        if checklist_id not in known:
            raise AssessorError(unknown_id("checklist", checklist_id, known, "assessor checklists"))


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate checklists, vendor profiles, reviews and the package's data files; list every problem."""
    from .validation import data_files, validate_paths

    s: Settings = args.settings
    paths = [Path(p) for p in args.paths] or [s.checklists, s.vendors, *[d for d in [s.reviews] if d.is_dir()],
                                              *data_files()]
    checked, problems = validate_paths(paths, s.checklists)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        _fatal(f"{len(problems)} problem(s) found in {checked} file(s)")
    print(f"ok: {checked} file(s) valid; checklist self-tests pass")
    return 0


# ----------------------------------------------------------------------------------------------------------------
# vendors / checklists


def cmd_vendors(args: argparse.Namespace) -> int:
    """The vendor profiles: id, name, category, and whether it is a fictional sample."""
    from .report.text import text_table

    vendors = sorted(load_vendors(args.settings.vendors).values(), key=lambda v: (v.category.value, v.id))
    if args.format == "json":
        _write(json.dumps([{"id": v.id, "name": v.name, "category": v.category.value, "synthetic": v.synthetic,
                            "documents": [d.kind.value for d in v.documents]} for v in vendors], indent=2))
        return 0
    _write(text_table(("id", "name", "category", "documents"),
                      [(v.id, v.name, v.category.value, ", ".join(d.kind.value for d in v.documents))
                       for v in vendors]))
    print(f"{len(vendors)} vendor(s) in {args.settings.vendors}", file=sys.stderr)
    return 0


def cmd_checklists(args: argparse.Namespace) -> int:
    """The checklists: id, title, kind (framework, law, library, sample) and how many criteria."""
    from .report.text import text_table

    loaded = load_checklists(args.settings.checklists).values()
    checklists = sorted((c.checklist for c in loaded), key=lambda c: (c.kind, c.id))
    if args.format == "json":
        _write(json.dumps([{"id": c.id, "title": c.title, "kind": c.kind, "version": c.version,
                            "criteria": len(c.criteria), "includes": c.includes} for c in checklists], indent=2))
        return 0
    _write(text_table(("id", "title", "kind", "criteria"),
                      [(c.id, c.title, c.kind, len(c.criteria)) for c in checklists]))
    print(f"{len(checklists)} checklist(s) in {args.settings.checklists}", file=sys.stderr)
    return 0


# ----------------------------------------------------------------------------------------------------------------
# score / classify


def _adhoc_vendor(source: str, category: str) -> VendorProfile:
    from .pipeline import AD_HOC

    return VendorProfile(id=AD_HOC, name=Path(source).name or source, category=VendorCategory(category),
                         documents=[DocumentSpec(kind="privacy-policy", path=source)])


def _load_source(args: argparse.Namespace) -> PolicyDocument:
    """The document named on the command line (`source`): an http(s) URL, or a local file (relative to the current
    folder), read within `--timeout` and `--max-mb`."""
    from pydantic import ValidationError

    from .fetch import FetchSettings
    from .pipeline import read_document

    source, settings = args.source, args.settings

    if source.startswith(("http://", "https://")):
        try:
            spec = DocumentSpec(kind=DocumentKind.PRIVACY_POLICY, url=source)
        except ValidationError:
            raise AssessorError(f"{source}: not a web address (http(s)://host/path, with no spaces)") from None
    elif "://" in source:
        raise AssessorError(f"{source}: only http(s) URLs and local files can be read")
    elif not Path(source).exists():
        raise AssessorError(f"{source}: no such file")
    elif Path(source).is_dir():
        raise AssessorError(f"{source}: a folder, not a file: name the policy file in it")
    else:
        spec, settings = DocumentSpec(kind=DocumentKind.PRIVACY_POLICY, path=source), replace(settings, vendors=Path())
    if args.archive:
        settings = replace(settings, archive=Path(args.archive))
    fetching = FetchSettings(timeout=args.timeout, max_bytes=int(args.max_mb * MB))
    return read_document(spec, settings, offline=args.offline, fetching=fetching).document


def cmd_score(args: argparse.Namespace) -> int:
    """Score one document (file or URL) against checklists."""
    from .pipeline import assess, choose_checklists
    from .reviews import ReviewsFile
    from .score import checklist_category

    _require_checklists(args.checklist, args.settings)
    doc = _load_source(args)
    checklists = choose_checklists(None, args.checklist, args.settings)
    category, warnings = checklist_category(checklists, VendorCategory(args.category) if args.category else None)
    for warning in warnings:
        print(f"assessor: warning: {warning}", file=sys.stderr)
    vendor = _adhoc_vendor(args.source, category.value)
    # the one assessment path, with no overrides: nobody has reviewed a document scored on its own
    assessment = assess(doc, vendor, checklists, reviews=ReviewsFile(vendor=vendor.id))
    if args.format == "json":  # the assessment itself, the data other tools read
        _write(assessment.model_dump_json(indent=2))
        return 0
    from .report.model import build_vendor_report, report_time

    # the table and the reports from the report model, as `assessor review` writes them
    report = build_vendor_report(assessment, doc, checklists, generated_at=report_time(), vendor=vendor)
    if args.format == "table":  # the terminal table needs no template engine
        from .report.text import terminal_table

        _write(terminal_table(report))
        return 0
    from .report.render import render_html, render_markdown

    _write((render_html if args.format == "html" else render_markdown)(report))
    return 0


def cmd_classify(args: argparse.Namespace) -> int:
    """Topics of every paragraph of a document."""
    from .classify import THRESHOLD, classify

    records = classify(_load_source(args))
    if args.format == "json":
        _write(json.dumps([r.model_dump(mode="json") for r in records], indent=2, ensure_ascii=False))
    else:
        for r in records:
            topics = ", ".join(t.topic.value for t in r.topics if t.confidence >= THRESHOLD) or "-"
            _write(f"{r.start:>7}  {topics:<40}  {r.text[:70]}")
    return 0


# ----------------------------------------------------------------------------------------------------------------
# override


def _bad_date(value: str, exc: ValueError, shape: str) -> str:
    """The message for a --date that is no date: why, when it has the shape (2026-02-30), else the shape wanted."""
    return f"--date {value!r}: " + (f"expected {shape}" if "isoformat" in str(exc) else str(exc))


def cmd_override(args: argparse.Namespace) -> int:
    """Record a librarian's decision on one finding in the vendor's reviews file (against the current evidence)."""
    import datetime as dt

    from .models import Override
    from .pipeline import review_vendor
    from .reviews import reviews_path, save_override
    from .score import evidence_sha256

    try:
        date = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    except ValueError as exc:
        raise AssessorError(_bad_date(args.date, exc, "YYYY-MM-DD")) from None
    if not args.note.strip() or not args.reviewer.strip():
        raise AssessorError("--note and --reviewer must not be empty")
    _require_vendors([args.vendor], args.settings)
    _require_checklists(args.checklist, args.settings)
    review = review_vendor(args.vendor, args.checklist, settings=args.settings)
    finding = next((f for f in review.assessment.findings if f.criterion == args.criterion), None)
    if finding is None:
        raise AssessorError(unknown_id(f"finding of {args.vendor}", args.criterion,
                                       [f.criterion for f in review.assessment.findings]))
    automatic = finding.override.automatic_status if finding.override else finding.status
    save_override(Override(criterion=finding.criterion, status=Status(args.status), note=args.note.strip(),
                           reviewer=args.reviewer.strip(), date=date,
                           evidence_sha256=evidence_sha256(finding.evidence)), review.vendor.id, args.settings.reviews)
    print(f"{finding.criterion}: {args.status} (automatic: {automatic.value}) recorded in "
          f"{reviews_path(review.vendor.id, args.settings.reviews)}")
    return 0


# ----------------------------------------------------------------------------------------------------------------
# demo


def cmd_demo(args: argparse.Namespace) -> int:
    """Run the pipeline on the bundled synthetic vendors and write their reports and the portfolio."""
    vendors = sorted(v.id for v in load_vendors(args.settings.vendors).values() if v.synthetic)
    if not vendors:
        _fatal(f"no synthetic vendor profiles in {args.settings.vendors}")
    return _write_reports(vendors, Path(args.out), (), offline=True, settings=args.settings)


# ----------------------------------------------------------------------------------------------------------------
# review / report


def _review(vendor_id: str, checklists: Sequence[str], offline: bool, settings: Settings) -> Review:
    from .pipeline import review_vendor

    return review_vendor(vendor_id, checklists, offline=offline, settings=settings)


def _write_reports(vendor_ids: Sequence[str], out: Path, checklists: Sequence[str], offline: bool,
                   archive_dir: str | None = None, *, settings: Settings) -> int:
    from .archive import DB_NAME, Archive
    from .audit import latest_changes
    from .report import report_time, write_reports

    from .report.history import score_history

    changes = history = None
    archive_root = Path(archive_dir or settings.archive)
    if (archive_root / DB_NAME).exists():
        with Archive(archive_root) as archive:
            changes = latest_changes(archive, vendor_ids)
            history = {v: score_history(archive, v) for v in vendor_ids}
    with progress_bar(len(vendor_ids), command_progress(), "reviewing", "vendor") as bar:
        def progress(vendor_id: str, report: VendorReport | None, where: str) -> None:
            if report is None:
                bar.write(f"{vendor_id:<24} FAILED: {where}", file=sys.stderr)
            else:
                bar.write(f"{vendor_id:<24} {report.tier.value:<9} {report.score:>5.1f}  -> {where}", file=sys.stdout)
            bar.update(1)

        result = write_reports(vendor_ids, lambda v: _review(v, checklists, offline, settings), out,
                               generated_at=report_time(), changes=changes, history=history, progress=progress)
    print(f"portfolio: {result.portfolio[0]}")
    print(f"reports written to {out}/")
    if result.failures:
        _fatal(f"{len(result.failures)} of {len(vendor_ids)} vendor(s) failed: {', '.join(result.failures)}")
    return 0


def _stored_scores(vendor_id: str, archive_root: Path) -> list[HistoryPoint]:
    """The vendor's score at each audit stored in the archive (none when there is no archive yet)."""
    from .archive import DB_NAME, Archive
    from .report.history import score_history

    if not (archive_root / DB_NAME).exists():
        return []
    with Archive(archive_root) as archive:
        return score_history(archive, vendor_id)


def cmd_review(args: argparse.Namespace) -> int:
    """Review one vendor and write its report files."""
    from .language import language_warning
    from .report import report_time, review_report, write_vendor_report

    from .pipeline import review_vendor

    _require_vendors([args.vendor], args.settings)
    _require_checklists(args.checklist, args.settings)
    if args.file is None:
        if args.date or args.origin:
            _fatal("--date and --origin describe a saved copy given with --file", 2)
        review = _review(args.vendor, args.checklist, args.offline, args.settings)
    else:
        import datetime as dt

        path = Path(args.file)
        document, stored = _attach_saved_copy(args.vendor, path, args.date or dt.date.today().isoformat(),
                                              args.origin or f"saved copy {path.name}", DocumentKind(args.kind), args)
        print(stored)
        review = review_vendor(args.vendor, args.checklist, DocumentKind(args.kind), settings=args.settings,
                               document=document)
    history = _stored_scores(args.vendor, Path(args.archive or args.settings.archive))
    report = review_report(review, report_time(), history)
    for path in write_vendor_report(report, Path(args.out)):
        print(path)
    print(f"{report.vendor_name}: {report.tier.value} risk, score {score_text(report.score)}/100")
    warning = language_warning(review.assessment.document.language)
    if warning:
        print(warning)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Write the reports of every vendor (or the ones named) and the portfolio page."""
    if args.all == bool(args.vendors):
        _fatal("name vendors or give --all (not both)", 2)
    profiles = _require_vendors(args.vendors, args.settings)
    _require_checklists(args.checklist, args.settings)
    vendors = sorted(profiles) if args.all else list(args.vendors)
    return _write_reports(vendors, Path(args.out), args.checklist, args.offline, args.archive,
                          settings=args.settings)


# ----------------------------------------------------------------------------------------------------------------


# fetch / history


def _fetch_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--timeout", type=_positive, default=30.0,
                   help="seconds one attempt at a document may take, connecting and reading included (default: 30);"
                        " a document takes at most 4 times this, retries included")
    p.add_argument("--max-mb", type=_positive, default=10.0,
                   help="size cap of one document, fetched or a local file, in MB (default: 10)")


def _archive_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--archive", metavar="DIR", help="archive folder (default: $ASSESSOR_ARCHIVE, else the project's "
                                                    "data/archive; see `assessor where`)")


def _select_vendors(names: Sequence[str], settings: Settings) -> list[VendorProfile]:
    """The profiles named (all of them when none is named); an unknown name is a one-line error."""
    profiles = _require_vendors(names, settings)
    return [profiles[v] for v in (names or sorted(profiles))]


def cmd_fetch(args: argparse.Namespace) -> int:
    """Fetch and archive the documents of the vendors named (or all); one line per document; exit 1 if any failed."""
    from .archive import Archive
    from .fetch import FetchSettings, archived_status, fetch_vendors, network_verdict

    if args.from_file:
        return _fetch_saved_copy(args)
    if args.all == bool(args.vendors):
        _fatal("name vendors or give --all (not both)", 2)
    vendors = _select_vendors(args.vendors, args.settings)
    fetch_settings = FetchSettings(timeout=args.timeout, max_bytes=int(args.max_mb * MB),
                                   conditional=not args.no_conditional)
    with Archive(args.archive or args.settings.archive) as archive:
        if args.offline:
            results = archived_status(vendors, archive, base_dir=args.settings.vendors)
        else:
            results = fetch_vendors(vendors, archive=archive, settings=fetch_settings, workers=args.workers,
                                    progress=command_progress(),
                                    base_dir=args.settings.vendors)
        root = archive.root
    for r in results:
        _write(r.line())
    if not args.offline and (verdict := network_verdict(results)):
        print(verdict, file=sys.stderr)
    failed = [r for r in results if not r.ok]
    counts = {o: sum(r.outcome == o for r in results) for o in ("new-version", "unchanged", "not-modified")}
    print(f"{len(results)} document(s): {counts['new-version']} new version(s), {counts['unchanged']} unchanged, "
          f"{counts['not-modified']} not modified, {len(failed)} failed; archive: {root}", file=sys.stderr)
    return 1 if failed else 0


def _fetch_saved_copy(args: argparse.Namespace) -> int:
    """Add a saved copy of one vendor document to the archive, with its real date and origin."""
    if len(args.vendors) != 1 or args.all or not args.date or not args.origin:
        _fatal("--from-file takes one vendor, --date and --origin", 2)
    _write(_attach_saved_copy(args.vendors[0], Path(args.from_file), args.date, args.origin,
                              DocumentKind(args.kind), args)[1])
    return 0


def _attach_saved_copy(vendor_id: str, path: Path, date: str, origin: str, kind: DocumentKind,
                       args: argparse.Namespace) -> tuple[PolicyDocument, str]:
    """Archive a saved copy of one of a vendor's documents with its date and origin; return it parsed, and one line
    saying where it went."""
    import datetime as dt

    from .archive import Archive, add_saved_file
    from .pipeline import primary_document

    try:
        saved_at = dt.datetime.fromisoformat(date)
    except ValueError as exc:
        _fatal(_bad_date(date, exc, "YYYY-MM-DD (or an ISO time)"), 2)
    saved_at = saved_at if saved_at.tzinfo else saved_at.replace(tzinfo=dt.UTC)
    [vendor] = _select_vendors([vendor_id], args.settings)
    spec = primary_document(vendor, kind)
    with Archive(args.archive or args.settings.archive) as archive:
        recorded, document = add_saved_file(archive, vendor.id, spec, path, saved_at=saved_at, origin=origin)
        version = archive.version(recorded.version_id) if recorded.version_id else None
    snap = recorded.snapshot
    placed = ("a new version" if recorded.new_version else
              "the earliest copy of" if version and version.first_snapshot == snap.id else "a copy of")
    return document, (f"{vendor.id} {spec.kind.value}: saved copy of {snap.fetched_at:%Y-%m-%d} ({snap.origin}) "
                      f"stored as {placed} v{version.number if version else '?'}; sha256 {snap.sha256[:12]}")


def _as_of(args: argparse.Namespace) -> dt.datetime:
    import datetime as dt

    try:
        now = dt.datetime.fromisoformat(args.as_of) if args.as_of else dt.datetime.now(dt.UTC)
    except ValueError:
        _fatal(f"--as-of {args.as_of!r}: expected an ISO date or time", 2)
    return now if now.tzinfo else now.replace(tzinfo=dt.UTC)


def _who(args: argparse.Namespace) -> str:
    from .audit import login_name

    return args.by or login_name()


def _run_audit(args: argparse.Namespace, accept: Acceptance | None = None) -> AuditRun:
    from .archive import Archive
    from .audit import run_audit
    from .pipeline import choose_checklists

    vendors = _select_vendors(args.vendors, args.settings)
    _require_checklists(args.checklist, args.settings)
    with Archive(args.archive or args.settings.archive) as archive:
        return run_audit(vendors, lambda v: choose_checklists(v, args.checklist, args.settings), archive=archive,
                         now=_as_of(args), baseline=args.baseline, offline=args.offline, accept=accept,
                         settings=args.settings, progress=command_progress())


def cmd_audit(args: argparse.Namespace) -> int:
    """Re-read and re-score vendors, compare with the accepted baseline, write the audit report, accept."""
    from .audit import Acceptance
    from .report.audit_view import write_audit

    accept = None if args.no_accept else Acceptance(by=_who(args), note=args.note or "annual audit")
    run = _run_audit(args, accept)
    for a in run.vendors:
        state = ("not read" if a.unreachable else "first audit" if a.baseline is None
                 else f"{len(a.diff.sections) if a.diff else 0} section(s) changed")
        tier = f"{a.tier_before.value + ' -> ' if a.tier_before else ''}{a.tier_after.value if a.tier_after else '-'}"
        _write(f"{a.vendor:<24} {state:<24} {len(a.changes):>3} finding(s) changed  {tier}"
               f"{'  accepted' if a.accepted else ''}")
    paths = write_audit(run, Path(args.out))
    print(f"audit report: {paths[0]}", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """The CI gate: exit 3 with one line per vendor that got worse than its accepted assessment, could not be read,
    or has no accepted assessment yet."""
    from .audit import DEFAULT_FAIL_ON, FailOn, gate_reasons

    run = _run_audit(args)
    if args.out:
        from .report.audit_view import write_audit

        write_audit(run, Path(args.out))
    reasons = gate_reasons(run.vendors, [FailOn(f) for f in args.fail_on] if args.fail_on else DEFAULT_FAIL_ON)
    for line in reasons:
        _write(line)
    unread = sum("could not be read" in line for line in reasons)
    if len(reasons) > unread:
        print("once the change is reviewed: assessor accept VENDOR --note '...' (the gate compares with the "
              "accepted assessment until then)", file=sys.stderr)
    elif unread:
        print(f"{unread} vendor(s) could not be read: fix the URL or path in the profile, or fetch again "
              "(`assessor fetch VENDOR`)", file=sys.stderr)
    else:
        print(f"ok: {len(run.vendors)} vendor(s) checked, nothing got worse than accepted", file=sys.stderr)
    return 3 if reasons else 0


def cmd_accept(args: argparse.Namespace) -> int:
    """Accept each named vendor's latest stored assessment as the baseline the gate compares with."""
    from .archive import Archive
    from .audit import accept_latest

    if not args.note.strip():
        _fatal("--note must not be empty: say what was reviewed", 2)
    vendors = _select_vendors(args.vendors, args.settings)
    with Archive(args.archive or args.settings.archive) as archive:
        for vendor in vendors:
            record, acceptance = accept_latest(archive, vendor.id, by=_who(args), note=args.note,
                                               now=_as_of(args))
            a = record.assessment
            _write(f"{vendor.id}: accepted assessment {record.id} of {record.created_at:%Y-%m-%d %H:%M} UTC "
                   f"({a.tier.value} risk, score {score_text(a.score)}) by {acceptance.accepted_by} on "
                   f"{acceptance.accepted_at:%Y-%m-%d}")
    return 0


def _audit_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("vendors", nargs="*", metavar="VENDOR", help="vendor ids (default: every vendor)")
    p.add_argument("--baseline", metavar="DATE|ID", help="compare with the assessment accepted on or before this "
                                                         "date (YYYY-MM-DD), or with this assessment id (default: "
                                                         "the last accepted one)")
    p.add_argument("--checklist", action="append", default=[], metavar="ID", help="checklist id (repeatable)")
    p.add_argument("--offline", action="store_true", help="read URL documents from the archive, not the network")
    p.add_argument("--as-of", metavar="DATETIME", help="record the run at this ISO time (default: now)")
    _archive_options(p)


def _existing_archive(args: argparse.Namespace, todo: str = "") -> Path:
    """The archive a command only reads; an error when there is none there, so that a mistyped --archive is neither
    made into an empty archive nor reported sound."""
    from .archive import DB_NAME

    root = Path(args.archive or args.settings.archive)
    if not (root / DB_NAME).is_file():
        raise AssessorError(f"no archive in {root}{': ' + todo if todo else ''} (`assessor where` shows the archive "
                            "in use)")
    return root


def cmd_history(args: argparse.Namespace) -> int:
    """The versions of each archived document of a vendor, with dates and hashes."""
    from .archive import Archive
    from .pipeline import AD_HOC

    if args.vendor != AD_HOC:  # pages scored on their own are archived under `ad-hoc`
        _require_vendors([args.vendor], args.settings)
    root = _existing_archive(args, f"run `assessor fetch {args.vendor}` first")
    if args.format == "html":
        from .report import render_html, report_time
        from .report.history import history_report

        with Archive(root) as archive:
            _write(render_html(history_report(archive, args.vendor, generated_at=report_time(), kind=args.kind,
                                              vendors_dir=args.settings.vendors)))
        return 0
    with Archive(root) as archive:
        documents = [(k, s) for k, s in archive.documents(args.vendor) if args.kind in (None, k)]
        if not documents:
            _fatal(f"nothing archived for {args.vendor!r}; run `assessor fetch {args.vendor}` first")
        history = [(kind, source, archive.versions(args.vendor, kind, source), archive.checks(args.vendor, kind,
                                                                                              source)[-1])
                   for kind, source in documents]
    if args.format == "json":
        _write(json.dumps([{"kind": k, "source": s, "versions": [v.model_dump(mode="json") for v in versions],
                            "last_check": last.model_dump(mode="json")} for k, s, versions, last in history],
                          indent=2, ensure_ascii=False))
        return 0
    for kind, source, versions, last in history:
        _write(f"{args.vendor} {kind}  {source}")
        for v in versions:
            stated = (f"  stated {v.stated_date}" if v.stated_date else "") + (
                f"  saved copy: {v.origin}" if v.origin else "")
            _write(f"  v{v.number:<5} first seen {v.first_seen:%Y-%m-%d %H:%M} UTC  last seen "
                   f"{v.last_seen:%Y-%m-%d %H:%M} UTC  {v.snapshots} snapshot(s)  text {v.text_sha256[:12]}{stated}"
                   f"  (archive id {v.id})")
        if not versions:
            _write("  no version: no text could be extracted yet")
        detail = f": {last.error_kind}" if last.error_kind else ""
        _write(f"  last check {last.checked_at:%Y-%m-%d %H:%M} UTC {last.outcome}{detail}")
    return 0


def cmd_archive_verify(args: argparse.Namespace) -> int:
    """Check the archive: one line per problem (missing or corrupted blobs, dangling rows, left-over temporary
    files) and per unreferenced blob; `--remove-orphans` deletes those blobs. Exit 1 if any problem."""
    from .archive import Archive

    with Archive(_existing_archive(args)) as archive:
        problems, orphans = archive.verify(hashes=not args.quick)
        if args.remove_orphans:
            orphans = archive.remove_orphans()
        root = archive.root
    for problem in problems:
        _write(f"problem: {problem}")
    for sha in orphans:
        _write(f"{'removed' if args.remove_orphans else 'unreferenced'} blob {sha}")
    removal = "removed" if args.remove_orphans else "(harmless; --remove-orphans deletes them)"
    print(f"{len(problems)} problem(s), {len(orphans)} unreferenced blob(s) {removal}; archive: {root}",
          file=sys.stderr)
    return 1 if problems else 0


# ----------------------------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="assessor", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"assessor {__version__}")
    parser.add_argument("--project", metavar="DIR", help=f"the project folder (default: ${PROJECT_ENV}, else the "
                                                         "nearest folder holding checklists/ and vendor_profiles/ "
                                                         "from here upward, else none: the shipped samples)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        """A subcommand whose --help opens with the same sentence the command list shows."""
        return commands.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".")

    p = command("vendors", "list the vendor profiles: id, name, category and documents")
    p.add_argument("--format", default="table", choices=["table", "json"])
    p.set_defaults(func=cmd_vendors)

    p = command("checklists", "list the checklists: id, title, kind and number of criteria")
    p.add_argument("--format", default="table", choices=["table", "json"])
    p.set_defaults(func=cmd_checklists)

    p = command("where", help="the folders this run reads and writes (project, checklists, vendors, ...)")
    p.set_defaults(func=cmd_where)

    p = command("validate", help="validate checklists and vendor profiles (and run checklist self-tests)")
    p.add_argument("paths", nargs="*", help="files or folders (default: the project's checklists, vendor "
                                            "profiles and reviews folder)")
    p.set_defaults(func=cmd_validate)

    p = command("score", "score one document (a saved PDF, DOCX, HTML, text or Markdown file, or a web page) "
                       "against checklists")
    p.add_argument("source", help="a saved policy (.pdf, .docx, .html, .htm, .txt or .md file) or an http(s) URL")
    p.add_argument("--checklist", action="append", default=[], metavar="ID", help="checklist id (repeatable)")
    p.add_argument("--category", choices=[c.value for c in VendorCategory],
                   help="vendor category, for criteria that apply to some categories only (default: the one the "
                        "checklists are for, e.g. econtent for ala-econtent, else other)")
    p.add_argument("--format", default="table", choices=["table", "json", "markdown", "html"],
                   help="html / markdown: the full report (one self-contained page / Markdown for email)")
    p.add_argument("--offline", action="store_true", help="a URL: read its newest archived copy, not the network")
    _fetch_options(p)
    _archive_options(p)
    p.set_defaults(func=cmd_score)

    p = command("review", help="review one vendor and write its reports (HTML, Markdown, JSON, CSV, XLSX)")
    p.add_argument("vendor", help="vendor id (a file name in vendor_profiles/)")
    p.add_argument("--checklist", action="append", default=[], metavar="ID", help="checklist id (repeatable)")
    p.add_argument("--out", default="build/reports", help="output folder (default: build/reports)")
    p.add_argument("--offline", action="store_true", help="read documents from the archive, never the network")
    p.add_argument("--file", metavar="PATH", help="review this saved copy of the vendor's policy (PDF, DOCX, HTML, "
                                                 "text) at once, after adding it to the archive as evidence")
    p.add_argument("--date", help="with --file: when the copy was published or saved (YYYY-MM-DD; default: today)")
    p.add_argument("--origin", help="with --file: where the copy came from, e.g. 'mailed by the vendor' "
                                    "(default: 'saved copy FILE')")
    p.add_argument("--kind", default="privacy-policy", choices=[k.value for k in DocumentKind],
                   help="with --file: which of the vendor's documents it is (default: privacy-policy)")
    _archive_options(p)
    p.set_defaults(func=cmd_review)

    p = command("report", help="reports for every vendor (--all) or the ones named, plus the portfolio")
    p.add_argument("vendors", nargs="*", metavar="VENDOR", help="vendor ids")
    p.add_argument("--all", action="store_true", help="every vendor profile")
    p.add_argument("--checklist", action="append", default=[], metavar="ID", help="checklist id (repeatable)")
    p.add_argument("--out", default="build/reports", help="output folder (default: build/reports)")
    p.add_argument("--offline", action="store_true", help="read documents from the archive, never the network")
    _archive_options(p)
    p.set_defaults(func=cmd_report)

    p = command("classify", help="topics of every paragraph of a document")
    p.add_argument("source", help="a saved policy (.pdf, .docx, .html, .htm, .txt or .md file) or an http(s) URL")
    p.add_argument("--format", default="table", choices=["table", "json"])
    p.add_argument("--offline", action="store_true", help="a URL: read its newest archived copy, not the network")
    _fetch_options(p)
    _archive_options(p)
    p.set_defaults(func=cmd_classify)

    p = command("fetch", help="fetch vendors' documents into the archive (a new version when the text changed)")
    p.add_argument("vendors", nargs="*", metavar="VENDOR", help="vendor ids")
    p.add_argument("--all", action="store_true", help="every vendor profile")
    p.add_argument("--offline", action="store_true", help="no network: read local files, report archived copies")
    p.add_argument("--workers", type=_count, default=4, help="documents fetched at once (default: 4)")
    _fetch_options(p)
    p.add_argument("--no-conditional", action="store_true", help="download even when the server says unchanged")
    p.add_argument("--from-file", metavar="PATH", help="add a saved copy (a PDF the vendor mailed, a page saved "
                                                       "from a browser, a web-archive capture) instead of fetching")
    p.add_argument("--date", help="with --from-file: when the copy was published or saved (YYYY-MM-DD)")
    p.add_argument("--origin", help="with --from-file: where the copy came from, e.g. 'mailed by the vendor'")
    p.add_argument("--kind", default="privacy-policy", choices=[k.value for k in DocumentKind],
                   help="with --from-file: which of the vendor's documents it is (default: privacy-policy)")
    _archive_options(p)
    p.set_defaults(func=cmd_fetch)

    p = command("archive", help="look after the evidence archive (archive verify)")
    archive_sub = p.add_subparsers(dest="archive_command", required=True, metavar="ACTION")
    p = archive_sub.add_parser("verify", help="list corrupted or missing records and unreferenced blobs")
    p.add_argument("--remove-orphans", action="store_true", help="delete the blobs no record refers to")
    p.add_argument("--quick", action="store_true", help="do not re-hash every blob (only check it exists)")
    _archive_options(p)
    p.set_defaults(func=cmd_archive_verify)

    p = command("history", help="versions of a vendor's archived documents, with dates and hashes")
    p.add_argument("vendor", help="vendor id")
    p.add_argument("--kind", choices=[k.value for k in DocumentKind], help="only documents of this kind")
    p.add_argument("--format", default="table", choices=["table", "json", "html"],
                   help="html: one page with every version, its score and a link to its diff from the one before")
    _archive_options(p)
    p.set_defaults(func=cmd_history)

    p = command("audit", help="annual audit: what changed in each vendor's policy since the accepted "
                              "baseline; accepts what it read")
    _audit_options(p)
    p.add_argument("--out", default="build/audit", help="output folder (default: build/audit)")
    p.add_argument("--no-accept", action="store_true", help="only report: keep the accepted baselines as they are")
    p.add_argument("--by", help="who accepts (default: your login name)")
    p.add_argument("--note", help="why (default: 'annual audit')")
    p.set_defaults(func=cmd_audit)

    p = command("check", help="CI gate: exit 3 when a vendor's policy got worse than its accepted assessment")
    _audit_options(p)
    p.add_argument("--fail-on", action="append",
                   choices=["tier-increase", "new-not-met", "unreadable", "unaccepted", "any-change"],
                   help="what fails the gate (repeatable; default: tier-increase, new-not-met, unreadable and "
                        "unaccepted; any-change: all of them and any substantive change)")
    p.add_argument("--out", help="also write the audit report into this folder")
    p.set_defaults(func=cmd_check)

    p = command("accept", help="accept vendors' latest assessments (after reviewing a change) as the "
                               "baseline the gate compares with")
    p.add_argument("vendors", nargs="+", metavar="VENDOR", help="vendor ids")
    p.add_argument("--note", required=True, help="what was reviewed and why it is accepted")
    p.add_argument("--by", help="who accepts (default: your login name)")
    p.add_argument("--as-of", metavar="DATETIME", help="record the acceptance at this ISO time (default: now)")
    _archive_options(p)
    p.set_defaults(func=cmd_accept)

    p = command("override", help="record a librarian's decision on one finding of a vendor")
    p.add_argument("vendor", help="vendor id (a file in vendor_profiles/)")
    p.add_argument("criterion", help="criterion id, e.g. ALA-US-01")
    p.add_argument("--status", required=True, choices=[s.value for s in Status])
    p.add_argument("--note", required=True, help="why: what the librarian read or was told")
    p.add_argument("--reviewer", required=True, help="who decided")
    p.add_argument("--date", help="YYYY-MM-DD (default: today)")
    p.add_argument("--checklist", action="append", default=[], metavar="ID", help="checklist id (repeatable)")
    p.set_defaults(func=cmd_override)

    p = command("demo", help="review the fictional sample vendors offline and write their reports and the portfolio")
    p.add_argument("--out", default="build/demo", help="output folder (default: build/demo)")
    p.set_defaults(func=cmd_demo)
    return parser


def _spare_the_collector() -> None:
    """Keep Python's cyclic garbage collector from walking, over and over, what a command keeps until it exits (the
    modules imported, then the checklists and models loaded): what is imported by now is set aside for good
    (`gc.freeze`), and a collection waits for 20,000 new objects rather than 700. About a tenth of a start-up."""
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `assessor` command."""
    _spare_the_collector()
    _utf8_output()
    args = build_parser().parse_args(argv)
    try:
        args.settings = resolve_settings(args.project)
        if getattr(args, "archive", None):  # `--archive DIR` is the archive for all a command reads and writes
            args.settings = replace(args.settings, archive=Path(args.archive))
        return int(args.func(args))
    except AssessorError as exc:
        _fatal(str(exc).splitlines()[0] if not isinstance(exc, LoadError) else str(exc))
    except KeyboardInterrupt:
        _fatal("interrupted", 130)
    except BrokenPipeError:
        return 0
