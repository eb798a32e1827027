"""``stance validate``: check annotation files against the annotation scheme."""

from __future__ import annotations

import argparse
import sys

from ..actors import load_actors
from ..annotations import check_file
from ..annotations.validate import check_trainable
from ..errors import StanceError
from ._options import add_actors_option, add_docs_option

HELP = "check annotation files against the annotation scheme"
DESCRIPTION = """\
Check annotation files (JSON Lines, one record per sentence) against the
annotation scheme: JSON, fields and their types, labels, actor IDs, ids of
the form <doc>:<n>, claim/source consistency, and that each text is the
document's text at its offsets (documents read from --docs, default seeds/ then corpus/).
Warns where the stances and the actor dictionary's mentions differ, and when
the files together cannot train a model (one stance label only, or every
claim true or every claim false).

Prints every problem as FILE:LINE: error|warning: message, then a summary on
stderr.  Exit status 1 if any file has an error, else 0."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="+", metavar="FILE", help="an annotation file (.jsonl)")
    add_docs_option(p)
    add_actors_option(p)
    p.add_argument("--quiet-warnings", action="store_true",
                   help="print errors only (warnings are still counted in the summary)")
    p.set_defaults(run=run)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def run(args: argparse.Namespace) -> int:
    actors = load_actors(args.actors)
    errors = warnings = 0
    records: list[dict] = []
    for path in args.files:
        file_records, problems = check_file(path, args.docs, actors)
        records += file_records
        for problem in problems:
            if problem.severity == "error":
                errors += 1
            else:
                warnings += 1
                if args.quiet_warnings:
                    continue
            print(problem)
    if not errors and records:
        try:
            check_trainable(records)
        except StanceError as exc:
            warnings += 1
            if not args.quiet_warnings:
                print(f"{', '.join(args.files)}: warning: cannot train a model on this data: "
                      f"{exc}")
    sys.stdout.flush()
    hidden = " (not shown)" if args.quiet_warnings and warnings else ""
    print(f"{_count(len(args.files), 'file')}: {_count(errors, 'error')}, "
          f"{_count(warnings, 'warning')}{hidden}", file=sys.stderr)
    return 1 if errors else 0
