"""The ``stance`` command line.

Each command lives in its own module with ``add_parser(subparsers)`` and
``run(args) -> int``.  :func:`main` is the one place where an expected
failure (:class:`stance.errors.StanceError`) becomes ``error: ...`` on stderr
and an exit status; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence

from .._termination import Terminated, handle_termination
from .._version import __version__
from ..errors import StanceError
from . import (
    actors,
    agreement,
    annotate,
    convert,
    evaluate,
    export_model,
    network,
    predict,
    segment,
    train,
    validate,
)
from ._signals import stop_workers

COMMANDS = [segment, validate, agreement, train, predict, evaluate, network, annotate, convert,
            actors, export_model]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stance",
        description="Claims and stances toward political actors in news text.",
        epilog="Run 'stance COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"stance {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS:
        module.add_parser(sub)
    return parser


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Warnings as one line, ``warning: message``, without Python's source line."""
    print(f"warning: {message}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    with warnings.catch_warnings(), handle_termination():
        warnings.showwarning = _show_warning
        finished = False
        try:
            status = args.run(args)
            finished = True
            return status
        except StanceError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return exc.exit_status
        except BrokenPipeError:
            # The reader went away (e.g. `stance segment ... | head`): not an error.
            sys.stderr.close()
            return 0
        except Terminated:
            print("error: terminated", file=sys.stderr)
            return Terminated.exit_status
        except KeyboardInterrupt:
            print("error: interrupted", file=sys.stderr)
            return 130
        finally:
            # No worker process outlives the command, however it ends.
            stop_workers(kill=not finished)
