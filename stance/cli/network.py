"""``stance network``: who stands how toward whom, over time."""

from __future__ import annotations

import argparse
import datetime as _dt

from ..network import (
    POOLED,
    UNKNOWN,
    NetworkAggregator,
    load_dates,
    read_records,
    strongest,
    write_network,
)
from ..network._compat import StanceError, UsageError, __version__, load_actors
from ._options import add_seed_option

HELP = "stance networks holder -> target per period, from predictions or annotations"
DESCRIPTION = """\
Aggregate 'stance predict' output (or annotation files, to chart the gold)
into directed edges holder -> target per period.  The holder is the claim's
source; a stance in a sentence that is not a claim, or a claim without a
known source, has holder '?'.  A stance toward the holder itself is not
counted.  Per edge and period: label counts, expected counts (summed
probabilities; equal to the counts for annotation records), sentences,
documents, and the net score (cooperation - hostility - accusation) /
stance-bearing sentences with a 95% bootstrap interval over documents.
A record's date is its 'date' field, else its document's date in --dates,
else it falls in the period 'undated'.  Writes edges.csv, network.json,
examples.jsonl, network.html and figures/ into --out."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("network", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="+", metavar="PRED.jsonl",
                   help="'stance predict' JSON Lines or annotation files; - for stdin")
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write into")
    p.add_argument("--by", choices=["month", "quarter", "year"], default="month",
                   help="period length (default: month)")
    p.add_argument("--dates", metavar="CSV",
                   help="document dates: a CSV with columns doc and date (YYYY-MM-DD), "
                        "others ignored, e.g. a corpus manifest")
    p.add_argument("--actors", metavar="ID,...",
                   help="keep edges whose holder or target is one of these actor IDs "
                        "('?' for the unknown holder)")
    p.add_argument("--actors-file", metavar="FILE",
                   help="actor dictionary (TOML) extending or replacing the default, for "
                        "the valid IDs and names")
    p.add_argument("--min-count", type=int, default=1, metavar="N",
                   help="keep edges with at least N sentences in the period (default: 1)")
    p.add_argument("--period", default=POOLED, metavar="P",
                   help="period the network, heatmap and strong-edge table show "
                        "(default: all, pooled over periods)")
    p.add_argument("--bootstrap", type=int, default=1000, metavar="N",
                   help="bootstrap rounds for the intervals (default: 1000; 0: none)")
    add_seed_option(p, "bootstrap seed")
    p.add_argument("--examples", type=int, default=3, metavar="K",
                   help="example sentences kept per edge (default: 3)")
    p.set_defaults(run=run)


def parse_actor_ids(value: str, valid: list[str]) -> list[str]:
    """The IDs of ``--actors``; an unknown one is a usage error."""
    ids = [a.strip() for a in value.split(",") if a.strip()]
    if not ids:
        raise UsageError(f"--actors: expected actor IDs separated by commas, found {value!r}")
    allowed = set(valid) | {UNKNOWN}
    for a in ids:
        if a not in allowed:
            raise UsageError(f"--actors: expected actor IDs of the actor dictionary "
                             f"({', '.join(valid)}) or ?, found unknown actor {a!r}")
    return ids


def _check_numbers(args: argparse.Namespace) -> None:
    for name, low in (("min_count", 1), ("bootstrap", 0), ("examples", 0)):
        value = getattr(args, name)
        if value < low:
            raise UsageError(f"--{name.replace('_', '-')}: expected a number >= {low}, "
                             f"found {value}")


def _empty(args: argparse.Namespace, agg: NetworkAggregator) -> StanceError:
    names = ", ".join("<stdin>" if p == "-" else p for p in args.paths)
    if agg.records == 0:
        return StanceError(f"{names}: expected stance predict output or annotation records, "
                           "found no records")
    if agg.pairs == 0:
        return StanceError(f"{names}: expected stances toward actors, found {agg.records} "
                           "records with none (other than toward their own holder)")
    filters = []
    if args.actors:
        filters.append(f"holder or target in --actors {args.actors}")
    if args.min_count > 1:
        filters.append(f"at least {args.min_count} sentences (--min-count)")
    return StanceError(f"{names}: no edges left: found {agg.edge_count} edges, none with "
                       f"{' and '.join(filters)}")


def run(args: argparse.Namespace) -> int:
    _check_numbers(args)
    dictionary = load_actors(args.actors_file)
    actors = parse_actor_ids(args.actors, dictionary.actor_ids) if args.actors else None
    dates = load_dates(args.dates) if args.dates else None
    agg = NetworkAggregator(by=args.by, dates=dates, examples=args.examples)
    agg.update(read_records(args.paths))
    options = {"actors": actors, "min_count": args.min_count, "bootstrap": args.bootstrap,
               "seed": args.seed}
    rows = agg.table(**options)
    if not rows:
        raise _empty(args, agg)
    periods = sorted({r["period"] for r in rows})
    if args.period != POOLED and args.period not in periods:
        raise UsageError(f"--period: expected all or a period of the edges "
                         f"({', '.join(periods)}), found {args.period!r}")
    pooled = agg.table(**options, pooled=True)
    summary = agg.summary()
    filters = [f"--actors {args.actors}" if args.actors else "",
               f"--min-count {args.min_count}" if args.min_count > 1 else ""]
    meta = {"inputs": list(args.paths), "by": args.by, "seed": args.seed,
            "bootstrap": args.bootstrap, "filters": ", ".join(f for f in filters if f) or "none",
            "version": __version__, "dates": args.dates or "",
            "generated": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    written = write_network(args.out, rows, pooled, summary=summary, examples=agg.examples,
                            names={a: dictionary.name(a) for a in dictionary.actor_ids},
                            meta=meta, period=args.period)
    print(f"network: {summary['records']} sentences, {summary['documents']} documents "
          f"({summary['undated_documents']} undated), {summary['stances']} stances -> "
          f"{len(rows)} edges over {len(periods)} period(s)")
    print("wrote " + ", ".join(str(p) for p in written))
    shown = pooled if args.period == POOLED else [r for r in rows if r["period"] == args.period]
    label = "all periods" if args.period == POOLED else args.period
    for r in strongest(shown, 3):
        interval = "" if r["net_low"] != r["net_low"] else \
            f" [{r['net_low']:+.2f}, {r['net_high']:+.2f}]"
        print(f"strong edge ({label}): {r['holder']} -> {r['target']} net {r['net']:+.2f}"
              f"{interval}, {r['labelled']} stance-bearing sentences in {r['documents']} "
              "documents")
    return 0
