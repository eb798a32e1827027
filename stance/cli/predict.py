"""``stance predict``: claim, source and stances for every sentence of news text."""

from __future__ import annotations

import argparse
import contextlib
import sys
import warnings
from collections.abc import Generator, Iterable, Iterator
from typing import Any

from ..annotations import AnnotationError, Problem
from ..annotations.validate import check_prediction_input
from ..errors import UsageError
from ..inference import predict_annotation_records, predict_documents
from ..inference.parallel import (
    csv_header,
    document_chunks,
    format_records,
    record_chunks,
    run_parallel,
)
from ..io import Document, expand_paths, iter_documents, read_document
from ..io.documents import STDIN, decode_document, read_input_bytes
from ..io.manifest import read_manifest, with_context
from ..ml.model import StanceModel
from ..ml.persistence import (
    checked_model_bytes,
    load_model,
    resolve_model_path,
    warn_if_other_sklearn,
)
from ._options import add_context_options, add_jobs_option, add_manifest_option, cpu_count
from ._output import open_output

HELP = "label claims, sources and stances in news text"
DESCRIPTION = """\
Run the whole pipeline (segment -> actors -> claim, source, stances) and
print one JSON object per sentence: the scheme's fields plus claim_prob,
per-actor label probabilities and the mentions.  Input: .txt files, folders
(recursively), - for stdin, or --text.  With --input annotations, the input
is annotation-format JSON Lines and the actors judged are each record's
stances keys (spans from its mentions, if given), so a labelled file from
anywhere can be scored as it stands."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("predict", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help=".txt files, folders, or - for stdin (annotation .jsonl files with "
                        "--input annotations)")
    p.add_argument("--text", help="predict this text instead of reading files")
    p.add_argument("--input", choices=["text", "annotations"], default="text",
                   help="text (default): raw documents; annotations: JSON Lines records")
    p.add_argument("--model", metavar="PATH",
                   help="model file (default: $STANCE_MODEL or models/stance.joblib)")
    p.add_argument("--format", choices=["jsonl", "csv", "table"], default="jsonl",
                   help="jsonl (default), csv (one row per sentence and actor), or table")
    p.add_argument("--explain", action="store_true",
                   help="add, per sentence and actor, the features that pushed the decision most")
    p.add_argument("--min-prob", type=float, default=0.0, metavar="P",
                   help="hide stances whose probability is below P (listed in low_confidence)")
    p.add_argument("--doc-id", default="stdin", metavar="ID",
                   help="document id for --text or stdin (default: stdin; text for --text)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write here (atomically); with --dask, the output folder")
    add_context_options(p)
    add_manifest_option(p)
    add_jobs_option(p, default=1, what="worker processes (the output is the same)")
    p.add_argument("--dask", metavar="ADDRESS",
                   help="predict on a Dask cluster (scheduler ADDRESS, or 'local' for a "
                        "LocalCluster of --jobs workers) into part files in the -o folder; "
                        "needs pip install 'stance[dask]'")
    p.add_argument("--partition-docs", type=int, default=64, metavar="N",
                   help="with --dask: documents per part file (annotation input: "
                        "records per part = 32 x N); default 64")
    p.set_defaults(run=run)


def _progress(items: list, label: str):
    """Wrap ``items`` in a tqdm bar on stderr when it is a terminal and there are many."""
    if len(items) > 1 and sys.stderr.isatty():
        from tqdm import tqdm  # only on a terminal: keeps start-up fast otherwise

        return tqdm(items, desc=label, unit="file", file=sys.stderr)
    return items


def _read_input_records(path: str, model) -> list[dict]:
    """The records of one annotation-format input, checked as ``stance validate``
    checks them (without the documents): errors stop the command, warnings are
    printed once per kind with a count."""
    name = "<stdin>" if path == "-" else path
    if path == "-":
        lines: list[bytes] = sys.stdin.buffer.read().split(b"\n")
    else:
        lines = read_input_bytes(path, "an annotation file").split(b"\n")
    records, problems = check_prediction_input(name, lines, model.actors.actor_ids)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        first = errors[0]
        where = name if first.line is None else f"{name}:{first.line}"
        more = (f" (and {len(errors) - 1} more error{'s' if len(errors) > 2 else ''}; "
                f"`stance validate {name}` lists them all)") if len(errors) > 1 else ""
        raise AnnotationError(f"{where}: {first.message}{more}", errors)
    kinds: dict[str, list[Problem]] = {}
    for problem in problems:
        kinds.setdefault(problem.message.split(": ", 1)[0], []).append(problem)
    for kind, found in kinds.items():
        details = sorted({p.message.split(": ", 1)[1] for p in found if ": " in p.message})
        listed = f" ({', '.join(details)})" if details else ""
        count = len({p.line for p in found})
        warnings.warn(f"{name}: {count} record{'s' if count != 1 else ''}: "
                      f"{kind}{listed}; first on line {found[0].line}", stacklevel=1)
    return records


def _batches(args: argparse.Namespace, model):
    if args.input == "annotations":
        for path in _progress(args.paths, "predicting"):
            yield from predict_annotation_records(
                model, _read_input_records(path, model), args.min_prob, args.explain)
        return
    if args.text is not None:
        doc_id = "text" if args.doc_id == "stdin" else args.doc_id
        documents: Iterable[Document] = [Document(doc_id, args.text, "<text>")]
    else:
        documents = iter_documents(_progress(expand_paths(args.paths), "predicting"),
                                   stdin_id=args.doc_id)
    manifest = read_manifest(args.manifest) if args.manifest else None
    documents = with_context(documents, args.date, args.country, manifest)
    yield from predict_documents(model, documents, args.min_prob, args.explain)


def _parallel_chunks(args: argparse.Namespace, model: StanceModel | None
                     ) -> Iterator[tuple[str, list[Any]]]:
    """The input as chunks for the worker processes, read lazily.  Annotation input
    is checked here first with ``model`` (its actor dictionary), as in one process;
    documents with a date or country given (--date, --country, --manifest) are read
    here so that they carry it."""
    if model is not None:
        for path in args.paths:
            for chunk in record_chunks(iter(_read_input_records(path, model))):
                yield "records", chunk
        return
    manifest = read_manifest(args.manifest) if args.manifest else None
    context = args.date is not None or args.country is not None or manifest is not None

    def items() -> Iterator[str | Document]:
        for path in expand_paths(args.paths):
            if path == STDIN:
                data = decode_document(sys.stdin.buffer.read(), "<stdin>")
                doc = Document(args.doc_id, data, path)
            elif not context:
                yield path
                continue
            else:
                doc = read_document(path)
            yield from with_context([doc], args.date, args.country, manifest)

    for docs in document_chunks(items()):
        yield "documents", docs


def _outputs(args: argparse.Namespace, jobs: int) -> Generator[str, None, None]:
    """The formatted output, batch by batch, from this process or from ``jobs`` workers."""
    if jobs == 1 or args.text is not None:
        model = load_model(args.model)
        for records in _batches(args, model):
            yield format_records(records, args.format, args.explain)
        return
    path = resolve_model_path(args.model)
    # Refused here, before any worker starts; annotation input is checked against
    # the model's actor dictionary here too, so that model is loaded once.
    checker = load_model(path) if args.input == "annotations" else None
    if checker is not None:
        card = checker.card
    else:
        _, card = checked_model_bytes(path)
        warn_if_other_sklearn(path, card)
    bar = None
    if sys.stderr.isatty() and args.input == "text":
        from tqdm import tqdm

        bar = tqdm(total=len(expand_paths(args.paths)), desc="predicting", unit="file",
                   file=sys.stderr)
    try:
        yield from run_parallel(_parallel_chunks(args, checker), jobs, str(path),
                                str(card["model_sha256"]), args.format, args.min_prob,
                                args.explain, progress=bar.update if bar else None)
    finally:
        if bar is not None:
            bar.close()


def run(args: argparse.Namespace) -> int:
    if args.text is None and not args.paths:
        raise UsageError("nothing to predict: give PATH..., - for stdin, or --text")
    if args.text is not None:
        if args.paths:
            raise UsageError(f"give PATH... or --text, not both (found {args.paths[0]} "
                             "and --text)")
        if args.input == "annotations":
            raise UsageError("--text cannot be used with --input annotations")
        if not args.text.strip():
            raise UsageError("--text is empty: give the text to label")
    if args.paths.count("-") > 1:
        raise UsageError("- (stdin) given more than once: stdin can be read only once")
    if not 0.0 <= args.min_prob <= 1.0:
        raise UsageError(f"--min-prob must be between 0 and 1, found {args.min_prob}")
    jobs = cpu_count() if args.jobs == -1 else args.jobs
    if args.dask is not None:
        from ..inference.distributed import run_dask_command

        return run_dask_command(args, jobs)
    with contextlib.closing(_outputs(args, jobs)) as outputs, \
            open_output(args.output) as out:
        if args.format == "csv":
            out.write(csv_header())
        for text in outputs:
            out.write(text)
    return 0
