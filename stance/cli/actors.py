"""``stance actors``: list, show, find, check and coverage of the actor dictionary."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..actors import load_actors
from ..actors.inspect import actor_entry, actor_table, coverage, explain, summary
from ..actors.sources import read_source
from ..io import iter_documents
from ._options import add_actors_option, add_context_options

HELP = "look into the actor dictionary: list, show ID, find TEXT, check FILE, coverage PATH"
DESCRIPTION = """\
Look into the actor dictionary (the packaged one, or with --actors a user
file extending or replacing it).

  stance actors list [--kind state] [--region Africa]
  stance actors show UKR                  aliases, people and their terms
  stance actors find "Zelensky met Merkel" --date 2019-12-09
                                          which actor each mention names, and why
  stance actors check my_actors.toml      validate a user dictionary (FILE:LINE messages)
  stance actors coverage my_articles/     capitalised names no actor matched"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("actors", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    ls = verbs.add_parser("list", help="one line per actor (id, kind, region, name)")
    ls.add_argument("--kind", choices=["state", "organisation", "group", "rebels", "actor"])
    ls.add_argument("--region", metavar="NAME", help="e.g. Africa, Americas, Asia, Europe")
    ls.add_argument("--summary", action="store_true", help="counts only")
    show = verbs.add_parser("show", help="an actor's aliases and people with their terms")
    show.add_argument("actor", metavar="ID")
    find = verbs.add_parser("find", help="which actor each mention in TEXT names, and why")
    find.add_argument("text", metavar="TEXT")
    add_context_options(find)
    check = verbs.add_parser("check", help="validate a user dictionary file")
    check.add_argument("file", metavar="FILE")
    cov = verbs.add_parser("coverage", help="capitalised names in documents that no actor matched")
    cov.add_argument("paths", nargs="+", metavar="PATH", help="documents: files or folders")
    cov.add_argument("--top", type=int, default=50, metavar="N",
                     help="show the N most frequent (default 50; 0 for all)")
    for q in (ls, show, find, cov):
        add_actors_option(q)
        q.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(run=run)


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def run(args: argparse.Namespace) -> int:
    if args.verb == "check":
        count = read_source_checked(args.file)
        print(f"{args.file}: {count} actors, no problems found")
        return 0
    actors = load_actors(args.actors)
    if args.verb == "list":
        rows = [r for r in actor_table(actors)
                if (args.kind is None or r["kind"] == args.kind)
                and (args.region is None or r["region"] == args.region)]
        if args.summary:
            print(_dump(dict(summary(actors))) if args.format == "json" else "\n".join(
                f"{k}: {v}" for k, v in summary(actors).items()))
        elif args.format == "json":
            print(_dump(rows), end="")
        else:
            for r in rows:
                print(f"{r['id']:<10} {r['kind']:<12} {r['region']:<12} {r['name']}")
    elif args.verb == "show":
        entry = actor_entry(actors, args.actor)
        if args.format == "json":
            print(_dump(entry), end="")
        else:
            print(f"{entry['id']}: {entry['name']} ({entry['kind']}, {entry['region']})")
            print("aliases: " + ", ".join(entry["aliases"]))
            for person in entry["people"]:
                also = f" (also {', '.join(person['aliases'])})" if person["aliases"] else ""
                print(f"  {person['from'] or '...'} to {person['to'] or 'now'}: "
                      f"{person['name']}, {person['role']}{also}")
    elif args.verb == "find":
        resolved = explain(actors, args.text, args.date, args.country)
        if args.format == "json":
            print(_dump([res.__dict__ for res in resolved]), end="")
        else:
            for res in resolved:
                print(f"[{res.start}:{res.end}] {res.text!r} -> {res.actor or 'nobody'}: "
                      f"{res.why}")
            if not resolved:
                print("no dictionary form found")
    else:
        ranked = coverage(iter_documents(args.paths), actors, args.top or None)
        if args.format == "json":
            print(_dump([{"name": n, "count": c} for n, c in ranked]), end="")
        else:
            for name, count in ranked:
                print(f"{count:6d}  {name}")
    return 0


def read_source_checked(path: str) -> int:
    """Parse ``path`` and compile it with the packaged dictionary (as ``--actors``
    would); return its number of actors.  Problems raise with FILE:LINE."""
    source = read_source(Path(path))
    load_actors(path)
    return len(source.entries)

