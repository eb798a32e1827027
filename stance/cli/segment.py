"""``stance segment``: sentences and actor mentions, one JSON object per sentence."""

from __future__ import annotations

import argparse
import json

from ..actors import load_actors, segment_records
from ..annotations import annotation_template
from ..errors import UsageError
from ..io import iter_documents
from ..io.manifest import read_manifest, with_context
from ..render import render_segmentation
from ._options import (
    add_actors_option,
    add_context_options,
    add_manifest_option,
    add_output_option,
)
from ._output import open_output

HELP = "cut documents into sentences and find the actors each names"
DESCRIPTION = """\
Cut news documents into sentences (page furniture dropped) and find the
actors each sentence names.  Writes one JSON object per sentence
(id, doc, start, end, text, mentions) or, with --format text, a listing.
Offsets index the document text exactly as read (UTF-8)."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("segment", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="a .txt file, a folder (searched recursively for *.txt), or - for stdin")
    add_output_option(p)
    p.add_argument("--format", choices=["jsonl", "text"], default="jsonl",
                   help="jsonl (default): one JSON object per sentence; text: a readable listing")
    add_actors_option(p)
    add_context_options(p)
    add_manifest_option(p)
    p.add_argument("--doc-id", default="stdin", metavar="ID",
                   help="document id for text read from stdin (default: stdin)")
    p.add_argument("--template", action="store_true",
                   help="annotation templates: add claim, source and a stances entry per "
                        "detected actor, all null, for an annotator to fill in")
    p.add_argument("--show-furniture", action="store_true",
                   help="with --format text, also list the dropped furniture lines and why")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.show_furniture and args.format != "text":
        raise UsageError("--show-furniture lists dropped lines in the text listing: "
                         "add --format text")
    if args.paths.count("-") > 1:
        raise UsageError("- (stdin) given more than once: stdin can be read only once")
    actors = load_actors(args.actors)
    manifest = read_manifest(args.manifest) if args.manifest else None
    documents = with_context(iter_documents(args.paths, stdin_id=args.doc_id),
                             args.date, args.country, manifest)
    with open_output(args.output) as out:
        for seg, records in segment_records(documents, actors):
            if args.format == "text":
                out.write(render_segmentation(seg, records, args.show_furniture))
            else:
                for rec in records:
                    row = annotation_template(rec) if args.template else rec
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0
