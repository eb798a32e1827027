"""``stance convert``: annotation files to and from doccano, Label Studio and Prodigy."""

from __future__ import annotations

import argparse

from ._options import add_actors_option, add_output_option
from ._output import open_output

HELP = "convert annotations to and from doccano, Label Studio and Prodigy"
DESCRIPTION = """\
Convert between the project's JSON Lines (stance) and doccano JSONL
(sequence labelling), Label Studio JSON (tasks with annotations) and Prodigy
JSONL.  Exported tasks carry the whole record, so stance -> FORMAT -> stance
gives back the same records; on import what the tool shows natively (mention
spans, stance labels, claim, source, note) wins.  --labelstudio-config FILE
writes the Label Studio labelling config that matches the export.

  stance convert mine.jsonl --to labelstudio -o tasks.json --labelstudio-config config.xml
  stance convert export.json --from labelstudio -o mine.jsonl"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    from ..annotate.convert import FORMATS
    p = sub.add_parser("convert", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input", metavar="FILE", help="the file to convert")
    p.add_argument("--from", dest="source_format", choices=FORMATS, default="stance",
                   help="format of FILE (default: stance)")
    p.add_argument("--to", dest="target_format", choices=FORMATS, default="stance",
                   help="format to write (default: stance)")
    add_output_option(p)
    p.add_argument("--labelstudio-config", metavar="FILE",
                   help="also write the Label Studio labelling config (XML) here")
    add_actors_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..actors import load_actors
    from ..annotate.convert import label_studio_config, read_records, render

    records = read_records(args.input, args.source_format)
    text = render(records, args.target_format)
    with open_output(args.output) as out:
        out.write(text)
    if args.labelstudio_config:
        actors = load_actors(args.actors)
        with open_output(args.labelstudio_config) as out:
            out.write(label_studio_config(actors.actor_ids))
    return 0
