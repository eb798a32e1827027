"""``stance annotate``: label sentences in the browser, with a model in the loop."""

from __future__ import annotations

import argparse
import ipaddress
import sys
import webbrowser

from ..errors import UsageError
from ._options import add_actors_option, add_seed_option

HELP = "label sentences in a local web page (keyboard first, active learning)"
DESCRIPTION = """\
Start a local web server for hand annotation and print its URL.  The page
shows one sentence at a time with the sentences around it, the detected
actor mentions highlighted, a label per actor (cooperation, hostility,
accusation, none), the claim flag and the source.  Keyboard: 1-4 or c/h/a/n
label the active actor, Tab moves between actors, x toggles the claim, s
picks the source, Enter accepts, Backspace goes back, k skips, u undoes;
select text and press m to add a mention the dictionary missed.

Every decision is appended to OUT.journal (flushed and fsync-ed) and OUT is
rewritten atomically, one record per decided sentence, valid for
`stance validate` at every moment.  Run the same command again to resume.

With --model, sentences come in order of the model's uncertainty (the lowest
margin among a sentence's actor pairs, spread over documents); --suggest
pre-selects its labels.  --retrain-every N refits the stance model in the
background on --base plus what has been annotated and reorders the rest.
--sample N gives every annotator the same N sentences, blind."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("annotate", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="a .txt document or a folder of them (searched recursively)")
    p.add_argument("--out", required=True, metavar="FILE",
                   help="annotation file to write (JSON Lines); its journal is FILE.journal")
    p.add_argument("--port", type=int, default=8765,
                   help="port to listen on (default: 8765; 0: any free port)")
    p.add_argument("--host", default=None, metavar="ADDR",
                   help="address to listen on (default: 127.0.0.1, this machine only); "
                        "anything else lets other machines read the documents and write OUT")
    p.add_argument("--open", action="store_true", help="open the page in a web browser")
    p.add_argument("--model", metavar="PATH",
                   help="a trained model (stance train): order sentences by its uncertainty")
    p.add_argument("--suggest", action="store_true",
                   help="pre-select the model's labels (default: blind, suggestions hidden)")
    p.add_argument("--retrain-every", type=int, default=0, metavar="N",
                   help="refit the stance model every N decisions in the background")
    p.add_argument("--base", nargs="+", default=None, metavar="FILE",
                   help="annotation files the refit trains on besides OUT (default with "
                        "--retrain-every: annotations/seeds.jsonl annotations/corpus.jsonl "
                        "where they exist)")
    p.add_argument("--annotator", metavar="NAME",
                   help="write 'annotator': NAME into every record")
    p.add_argument("--sample", type=int, metavar="N",
                   help="shared-sample mode: the same N sentences for every annotator, "
                        "in document order, blind")
    add_seed_option(p, "seed of the shared sample and the refits")
    add_actors_option(p)
    p.set_defaults(run=run)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> int:
    from ..annotate._engine import default_base_files
    try:
        from ..annotate.server import Server, create_app
    except ImportError as exc:
        raise UsageError(f"stance annotate needs Flask ({exc.name} is missing): "
                         "pip install 'stance[annotate]'") from None
    from ..annotate.session import Options, Session

    if args.retrain_every < 0 or (args.sample is not None and args.sample < 1):
        raise UsageError("--retrain-every and --sample must be positive")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be 0-65535, found {args.port}")
    host = args.host or "127.0.0.1"
    if not _loopback(host):
        print(f"warning: listening on {host}: anyone who can reach this address can read "
              f"the documents and write {args.out}; there is no login", file=sys.stderr)
    base = args.base if args.base is not None else (
        default_base_files() if args.retrain_every else [])
    session = Session(Options(paths=args.paths, out=args.out, actors_file=args.actors,
                              model=args.model, suggest=args.suggest,
                              retrain_every=args.retrain_every, base=base,
                              annotator=args.annotator, sample=args.sample, seed=args.seed))
    try:
        server = Server(create_app(session), host, args.port)
        progress = session.progress()
        store = session.store
        if store.replayed or store.torn_bytes:
            torn = (f"; dropped {store.torn_bytes} bytes of a decision cut off mid-write"
                    if store.torn_bytes else "")
            print(f"resuming {args.out}: {progress['done']} of {progress['total']} decided"
                  f"{torn}", file=sys.stderr)
        print(f"stance annotate: {progress['total']} sentences, order: {progress['mode']}; "
              f"writing {args.out}", file=sys.stderr)
        print(f"open {server.url}  (Ctrl+C to stop)", flush=True)
        if args.open:
            webbrowser.open(server.url)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        progress = session.progress()
        print(f"stopped: {progress['done']} of {progress['total']} decided, saved in {args.out}",
              file=sys.stderr)
    finally:
        session.close()
    return 0
