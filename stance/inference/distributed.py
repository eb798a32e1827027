"""Prediction on a Dask cluster: ``stance predict --dask ADDRESS -o OUTDIR``.

The input is cut into parts (``--partition-docs`` documents, or annotation
records); each part is a Dask task that predicts its inputs with the
worker's model and writes ``OUTDIR/part-NNNNN.jsonl`` atomically (temporary
file, then rename).  The model is loaded once per worker, not per task: a
:class:`ModelPlugin` loads it when the worker joins (checking its sha256
against the model card and against the sha256 the client saw), and tasks
use the worker's cached copy.  ``OUTDIR/_SUCCESS`` is written last, when
every part is there.

Resuming: ``OUTDIR/_parts.json`` records, per part, a fingerprint of its
inputs (paths, sizes, modification times; record ranges for annotation
input), the model's sha256 and the options (``--date``, ``--country`` and the
``--manifest`` file's sha256 among them; each task carries the manifest rows
of its own documents).  A rerun skips a part whose file
exists and whose fingerprint is unchanged, and recomputes the others, so a
failed or interrupted run is finished without redoing finished parts, and a
changed input is never silently skipped.

Workers read the inputs and write the parts at the paths the client gives
(made absolute) and load the model from its path: on a real cluster these
must be on a filesystem every worker sees.  Part files concatenated in order
are byte-identical to ``stance predict`` with ``--jobs 1``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import StanceError, UsageError
from ..io.atomic import atomic_write
from ..io.documents import STDIN, expand_paths, read_document
from ..io.manifest import ManifestRow, with_context
from ..io.manifest import read_manifest as read_corpus_manifest
from ..ml.model import StanceModel
from .parallel import load_checked, predict_chunk

#: What documents are read with (``--date``, ``--country``, ``--manifest`` rows).
Context = tuple[datetime.date | None, str | None, Mapping[str, ManifestRow] | None]

MANIFEST = "_parts.json"
SUCCESS = "_SUCCESS"
MANIFEST_SCHEMA = "stance-dask-parts/1"
#: Annotation records per part, per --partition-docs unit.
RECORDS_PER_DOC = 32


@dataclass(frozen=True)
class Part:
    """One task: its output file, what it reads, and the fingerprint of that."""

    index: int
    kind: str                      # "documents" or "records"
    paths: tuple[str, ...]         # documents; or the one annotation file
    start: int = 0                 # records: first record (0-based) and how many
    count: int = 0
    fingerprint: str = field(default="", compare=False)

    @property
    def name(self) -> str:
        return f"part-{self.index:05d}.jsonl"


# -- planning --------------------------------------------------------------------

def _stat(path: str) -> list[Any]:
    st = os.stat(path)
    return [path, st.st_size, st.st_mtime_ns]


def _fingerprint(part: Part, common: dict[str, Any]) -> str:
    data = {"common": common, "kind": part.kind, "start": part.start, "count": part.count,
            "inputs": [_stat(p) for p in part.paths]}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def plan_parts(paths: Sequence[str], kind: str, per_part: int,
               common: dict[str, Any]) -> list[Part]:
    """The parts of the input, fingerprinted.  Annotation files are read here once
    (so an invalid file is refused before any task runs) to count their records."""
    parts: list[Part] = []
    if kind == "documents":
        files = [os.path.abspath(p) for p in expand_paths(paths)]
        for i in range(0, len(files), per_part):
            parts.append(Part(len(parts), kind, tuple(files[i:i + per_part])))
    else:
        from ..annotations import iter_input_records

        for p in paths:
            n = sum(1 for _ in iter_input_records(p))
            for start in range(0, n, per_part):
                parts.append(Part(len(parts), "records", (os.path.abspath(p),), start,
                                  min(per_part, n - start)))
    return [Part(p.index, p.kind, p.paths, p.start, p.count, _fingerprint(p, common))
            for p in parts]


def read_manifest(outdir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((outdir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("schema") == MANIFEST_SCHEMA else None


def prepare_outdir(outdir: Path, parts: Sequence[Part], common: dict[str, Any]) -> list[Part]:
    """Make ``outdir`` ready for this run and return the parts still to compute.

    A part is kept when its file exists and the previous manifest gave it the
    same fingerprint; every other part file (and ``_SUCCESS``) is removed
    before the new manifest is written, so a part file on disk always
    matches the manifest beside it.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    old = read_manifest(outdir) or {"parts": []}
    previous = {e.get("file"): e.get("fingerprint") for e in old.get("parts", [])
                if isinstance(e, dict)}
    with contextlib.suppress(FileNotFoundError):
        (outdir / SUCCESS).unlink()
    wanted = {p.name for p in parts}
    todo = []
    for part in parts:
        target = outdir / part.name
        if target.exists() and previous.get(part.name) == part.fingerprint:
            continue
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        todo.append(part)
    for stale in outdir.glob("part-*.jsonl"):
        if stale.name not in wanted:
            stale.unlink()
    manifest = {"schema": MANIFEST_SCHEMA, **common,
                "parts": [{"file": p.name, "fingerprint": p.fingerprint, "kind": p.kind,
                           "inputs": len(p.paths) if p.kind == "documents" else p.count,
                           "first": p.paths[0], "start": p.start} for p in parts]}
    with atomic_write(outdir / MANIFEST) as fh:
        fh.write(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    return todo


# -- on the workers --------------------------------------------------------------

_MODELS: dict[tuple[str, str], StanceModel] = {}


def worker_model(model_path: str, sha256: str) -> StanceModel:
    """This worker process's model, loaded and sha256-checked once (then cached)."""
    key = (model_path, sha256)
    if key not in _MODELS:
        _MODELS.clear()  # one model per worker at a time
        _MODELS[key] = load_checked(model_path, sha256)
    return _MODELS[key]


try:  # the plugin exists only where Dask is installed
    from distributed.diagnostics.plugin import WorkerPlugin as _WorkerPlugin
except ImportError:  # pragma: no cover - without the dask extra
    _WorkerPlugin = object  # type: ignore[misc,assignment]


class ModelPlugin(_WorkerPlugin):
    """Loads (and sha256-checks) the model once on every worker, as it joins."""

    name = "stance-model"

    def __init__(self, model_path: str, sha256: str):
        self.model_path = model_path
        self.sha256 = sha256

    def setup(self, worker: Any) -> None:
        worker_model(self.model_path, self.sha256)


def predict_part(part: Part, outdir: str, model_path: str, sha256: str,
                 min_prob: float, explain: bool,
                 context: Context | None = None) -> tuple[str, int]:
    """Predict one part and write its file atomically; return its name and line count.
    ``context`` (documents only): the date, country and manifest rows the documents
    get, as ``with_context`` gives them in one process."""
    model = worker_model(model_path, sha256)
    if part.kind == "documents":
        docs: list[Any] = list(part.paths)
        if context is not None:
            docs = list(with_context((read_document(d) for d in part.paths), *context))
        text = predict_chunk(model, "documents", docs, "jsonl", min_prob, explain)
    else:
        from itertools import islice

        from ..annotations import iter_input_records

        records = list(islice(iter_input_records(part.paths[0], skip=part.start), part.count))
        text = predict_chunk(model, "records", records, "jsonl", min_prob, explain)
    with atomic_write(Path(outdir) / part.name) as fh:
        fh.write(text)
    return part.name, text.count("\n")


# -- the client ----------------------------------------------------------------

@contextlib.contextmanager
def connect(address: str, workers: int) -> Iterator[Any]:
    """A Dask client: of the scheduler at ``address``, or of a LocalCluster of
    ``workers`` single-threaded worker processes on 127.0.0.1 for ``local``."""
    from distributed import Client, LocalCluster

    if address == "local":
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          host="127.0.0.1", dashboard_address=None) as cluster, \
                Client(cluster) as client:
            yield client
    else:
        with Client(address, timeout="30s") as client:
            yield client


def part_context(part: Part, context: Context | None) -> Context | None:
    """The context one part needs: the date and country, and the manifest rows of
    its documents only (a task carries its part's rows, not the whole manifest)."""
    if context is None or part.kind != "documents":
        return None
    date, country, manifest = context
    if manifest is not None:
        ids = {Path(p).stem for p in part.paths}
        manifest = {doc: row for doc, row in manifest.items() if doc in ids}
    return date, country, manifest


def run_dask(client: Any, parts: Sequence[Part], outdir: Path, model_path: str, sha256: str,
             min_prob: float, explain: bool, progress: Any = None,
             context: Context | None = None) -> int:
    """Run the parts on ``client``'s cluster, a bounded number in flight; return lines."""
    from distributed import as_completed

    client.register_plugin(ModelPlugin(model_path, sha256), name=ModelPlugin.name)
    threads = sum(client.nthreads().values()) or 1
    window = max(2 * threads, 4)
    queue = iter(parts)

    def submit(part: Part) -> Any:
        return client.submit(predict_part, part, str(outdir), model_path, sha256, min_prob,
                             explain, part_context(part, context),
                             key=f"stance-{part.name}-{part.fingerprint[:16]}",
                             pure=False, retries=1)

    running = as_completed([submit(p) for _, p in zip(range(window), queue, strict=False)])
    lines = 0
    for future in running:
        _, n = future.result()  # a failed part raises its error here
        lines += n
        if progress is not None:
            progress(1)
        nxt = next(queue, None)
        if nxt is not None:
            running.add(submit(nxt))
    return lines


def run_dask_command(args: argparse.Namespace, jobs: int) -> int:
    """``stance predict --dask``: checks, plan, resume, run, ``_SUCCESS``."""
    if args.output in (None, "-"):
        raise UsageError("--dask writes part files into a folder: give it with -o DIR")
    if args.text is not None or STDIN in args.paths:
        raise UsageError("--dask reads files and folders, not --text or stdin")
    if args.format != "jsonl":
        raise UsageError("--dask writes JSON Lines parts only (--format jsonl)")
    if args.partition_docs < 1:
        raise UsageError(f"--partition-docs must be at least 1, found {args.partition_docs}")
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise UsageError("--dask needs Dask: pip install 'stance[dask]'") from None
    from ..ml.persistence import checked_model_bytes, resolve_model_path, sha256_file

    model_path = resolve_model_path(args.model).resolve()
    _, card = checked_model_bytes(model_path)
    sha256 = str(card["model_sha256"])
    outdir = Path(args.output).resolve()
    if outdir.exists() and not outdir.is_dir():
        raise UsageError(f"{outdir}: --dask needs an output folder, found a file")
    kind = "documents" if args.input == "text" else "records"
    per_part = args.partition_docs * (1 if kind == "documents" else RECORDS_PER_DOC)
    manifest = read_corpus_manifest(args.manifest) if args.manifest else None
    context: Context | None = None
    if kind == "documents" and (args.date or args.country or manifest is not None):
        context = (args.date, args.country, manifest)
    common = {"model_sha256": sha256, "input": args.input,
              "options": {"min_prob": args.min_prob, "explain": args.explain,
                          "date": args.date.isoformat() if args.date else None,
                          "country": args.country,
                          "manifest_sha256": sha256_file(args.manifest) if manifest else None}}
    parts = plan_parts(args.paths, kind, per_part, common)
    todo = prepare_outdir(outdir, parts, common)
    print(f"stance: {len(parts)} parts, {len(parts) - len(todo)} already done, "
          f"{len(todo)} to predict", file=sys.stderr)
    if todo:
        bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            bar = tqdm(total=len(todo), desc="predicting", unit="part", file=sys.stderr)
        try:
            with connect(args.dask, jobs) as client:
                run_dask(client, todo, outdir, str(model_path), sha256, args.min_prob,
                         args.explain, bar.update if bar else None, context)
        except StanceError:
            raise
        except OSError as exc:
            raise StanceError(f"--dask {args.dask}: cannot reach the scheduler: {exc}") from None
        finally:
            if bar is not None:
                bar.close()
    missing = [p.name for p in parts if not (outdir / p.name).exists()]
    if missing:
        raise StanceError(f"{outdir}: parts missing after the run: {', '.join(missing[:5])}")
    with atomic_write(outdir / SUCCESS) as fh:
        fh.write(json.dumps({"parts": len(parts), "model_sha256": sha256}) + "\n")
    return 0


__all__ = ["MANIFEST", "SUCCESS", "Context", "ModelPlugin", "Part", "part_context", "plan_parts",
           "predict_part", "prepare_outdir", "run_dask", "run_dask_command", "worker_model"]
