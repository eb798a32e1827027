"""``stance agreement``: inter-annotator agreement between two annotation files."""

from __future__ import annotations

import argparse
import json

from ..actors import load_actors
from ..annotations import agreement_between
from ..render import render_agreement
from ._options import add_actors_option, add_output_option
from ._output import open_output

HELP = "inter-annotator agreement between two annotation files"
DESCRIPTION = """\
Compare two annotation files of the same documents, A and B.  Sentences are
aligned by document and offsets, else by normalised text in the same
document.  Reports the actors both name, raw agreement and Cohen's kappa for
the stance label (over actors both name), claim, and source (over sentences
both call a claim), per-label agreement, the confusion matrix (A rows, B
columns) and every disagreement.  Both files are checked for format first
(as by 'stance validate', without the document text) and refused if invalid."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("agreement", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file_a", metavar="A", help="first annotation file (.jsonl)")
    p.add_argument("file_b", metavar="B", help="second annotation file (.jsonl)")
    p.add_argument("--format", choices=["text", "json"], default="text",
                   help="text (default): a readable report; json: the figures, sorted keys")
    add_output_option(p)
    p.add_argument("--common-docs", action="store_true",
                   help="compare only the documents both files annotate (a partial second pass)")
    add_actors_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    result = agreement_between(args.file_a, args.file_b, load_actors(args.actors),
                               common_docs=args.common_docs)
    if args.format == "json":
        report = json.dumps(result.to_dict(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    else:
        report = render_agreement(result)
    with open_output(args.output) as out:
        out.write(report)
    return 0
