"""`tutopanda audit query | diff | verify | checkpoint`: the auditor's tools."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutopanda.audit.formats import FORMATS
from tutopanda.audit.limits import DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_SECONDS, MAX_ROW_LIMIT
from tutopanda.cli.errors import EXIT_FAILURE, UsageError
from tutopanda.db.connection import admin_url
from tutopanda.settings import Settings

if TYPE_CHECKING:
    from tutopanda.audit.verify import Verification

# Each action imports what it runs when it runs (PLC0415 below): every `tutopanda` command loads
# this module, and the query guard, the checkpoint's signing and the diff took ~0.2 s to load.


def register(commands: Any) -> None:
    audit = commands.add_parser(
        "audit", help="read-only audit tools: query, diff, verify, checkpoint"
    )
    actions = audit.add_subparsers(dest="action", required=True, metavar="ACTION")

    run = actions.add_parser("query", help="run one SELECT over the audit.* views")
    run.add_argument("sql", help='the query, e.g. "SELECT * FROM audit.lecture_history"')
    run.add_argument("--format", choices=FORMATS, default="table", help="output (table)")
    run.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_ROW_LIMIT,
        help=f"most rows to print (default {DEFAULT_ROW_LIMIT}, max {MAX_ROW_LIMIT})",
    )
    run.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_SECONDS,
        help=f"seconds before the query is cancelled (default {DEFAULT_TIMEOUT_SECONDS:g})",
    )
    run.set_defaults(handler=_query)

    diff = actions.add_parser("diff", help="JSON Patch between two revisions of a lecture")
    diff.add_argument("lecture", type=int, help="lecture id")
    diff.add_argument("from_revision", type=int, metavar="FROM", help="older revision")
    diff.add_argument("to_revision", type=int, metavar="TO", help="newer revision")
    diff.set_defaults(handler=_diff)

    verify = actions.add_parser(
        "verify", help="check the history: hash chains, live lectures, a signed checkpoint"
    )
    verify.add_argument("lecture", type=int, nargs="?", help="one lecture (default: all)")
    verify.add_argument(
        "--checkpoint",
        type=Path,
        metavar="FILE",
        help="also check that the history still extends this signed checkpoint",
    )
    verify.set_defaults(handler=_verify)

    checkpoint = actions.add_parser(
        "checkpoint", help="verify, then write the signed chain heads of every lecture"
    )
    checkpoint.add_argument(
        "--output", type=Path, metavar="FILE", help="write it to FILE (default: stdout)"
    )
    checkpoint.set_defaults(handler=_checkpoint)


def _query(settings: Settings, args: argparse.Namespace) -> int:
    from tutopanda.audit.formats import render  # noqa: PLC0415
    from tutopanda.audit.runner import run_audit_query  # noqa: PLC0415

    if not 0 < args.timeout <= 3600:
        raise UsageError("--timeout must be between 0 and 3600 seconds")
    result = run_audit_query(
        admin_url(settings), args.sql, row_limit=args.limit, timeout_seconds=args.timeout
    )
    sys.stdout.write(render(result, args.format))
    if result.truncated:
        print(
            f"tutopanda: only the first {args.limit} rows are shown (raise --limit)",
            file=sys.stderr,
        )
    return 0


def _diff(settings: Settings, args: argparse.Namespace) -> int:
    from tutopanda.audit.diff import section_diff  # noqa: PLC0415
    from tutopanda.audit.snapshots import revision_snapshot  # noqa: PLC0415

    url = admin_url(settings)
    snapshots = {}
    for revision in (args.from_revision, args.to_revision):
        snapshot = revision_snapshot(url, args.lecture, revision)
        if snapshot is None:
            raise UsageError(f"lecture {args.lecture} has no revision {revision}")
        snapshots[revision] = snapshot
    document = {
        "lectureId": args.lecture,
        "from": args.from_revision,
        "to": args.to_revision,
        "sections": section_diff(snapshots[args.from_revision], snapshots[args.to_revision]),
    }
    print(json.dumps(document, ensure_ascii=False, indent=2))
    return 0


def _audit_key(settings: Settings) -> str:
    if settings.audit_key is None:
        raise UsageError(
            "TUTOPANDA_AUDIT_KEY is not set: checkpoints are signed and checked with it"
        )
    return settings.audit_key.get_secret_value()


def _verify(settings: Settings, args: argparse.Namespace) -> int:
    from tutopanda.audit.checkpoint import read_checkpoint  # noqa: PLC0415
    from tutopanda.audit.verify import verify_history  # noqa: PLC0415

    checkpoint = None
    if args.checkpoint is not None:
        checkpoint = read_checkpoint(args.checkpoint, _audit_key(settings))
    outcome = verify_history(admin_url(settings), args.lecture, checkpoint)
    if not outcome.intact:
        for finding in outcome.findings:
            where = "" if finding.revision is None else f" at revision {finding.revision}"
            print(f"lecture {finding.lecture_id}: {finding.kind}{where}: {finding.reason}")
        return EXIT_FAILURE
    print(f"intact: {_summary(outcome)}")
    return 0


def _summary(outcome: Verification) -> str:
    text = f"{outcome.revisions} revision(s) of {outcome.lectures} lecture(s) verified"
    if outcome.checkpoint is not None:
        text += (
            f", extending the checkpoint of {outcome.checkpoint.created_at} "
            f"({len(outcome.checkpoint.heads)} lecture(s))"
        )
    return text


def _checkpoint(settings: Settings, args: argparse.Namespace) -> int:
    from tutopanda.audit.checkpoint import signed_document, write_checkpoint  # noqa: PLC0415
    from tutopanda.audit.verify import take_checkpoint  # noqa: PLC0415

    key = _audit_key(settings)
    checkpoint, outcome = take_checkpoint(admin_url(settings))
    document = signed_document(checkpoint, key)
    if args.output is None:
        sys.stdout.write(document)
        print(f"checkpoint: {_summary(outcome)}", file=sys.stderr)
    else:
        write_checkpoint(args.output, document)
        print(f"checkpoint {args.output}: {_summary(outcome)}")
    return 0
