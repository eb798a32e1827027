"""``stance export-model``: write a model in the format to share (skops)."""

from __future__ import annotations

import argparse
import sys

from ..errors import UsageError
from ..io.atomic import check_writable
from ..ml.persistence import SKOPS_SUFFIX, card_path, default_model_path, export_model

HELP = "write a model as .skops, the format to share (loading it runs no code)"
DESCRIPTION = """\
Write a trained model (checked against its card first) to DEST in the format
its suffix names: .skops (skops.io: loading builds only scikit-learn, numpy
and stance's own classes and refuses any other type; share this one) or
.joblib (a pickle: keep it local).  The card goes beside DEST as .json, with
the source model's card figures and its sha256."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export-model", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dest", metavar="DEST",
                   help=f"the model file to write, e.g. model{SKOPS_SUFFIX}")
    p.add_argument("--model", metavar="PATH",
                   help="the model to export (default: $STANCE_MODEL or models/stance.joblib)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.dest.endswith((SKOPS_SUFFIX, ".joblib")):
        raise UsageError(f"DEST must end in {SKOPS_SUFFIX} (to share) or .joblib, "
                         f"found {args.dest}")
    check_writable(args.dest)
    check_writable(card_path(args.dest))
    source = args.model or str(default_model_path())
    card = export_model(source, args.dest)
    print(f"wrote {args.dest} and its card {card_path(args.dest)} "
          f"(sha256 {card['model_sha256'][:12]}...)", file=sys.stderr)
    return 0
