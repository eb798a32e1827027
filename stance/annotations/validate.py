"""Validating annotation files against the scheme and the source documents.

Validation reports every problem of a file in one run, in line order, as
:class:`~stance.annotations.read.Problem` values, so an annotator can fix a
file in one pass; :func:`check_file` returns the records and the problems
from that one pass, and reading for other commands
(:func:`load_annotations`) refuses a file with errors.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .._resources import project_path
from ..actors import ActorDictionary, default_actors
from ..errors import InputError
from ..io.documents import read_document
from ..io.manifest import ManifestRow, attach_context, default_manifest
from ..schema import LABELS, record_context
from .read import (
    AnnotationError,
    Problem,
    iter_annotation_lines,
    iter_annotations,
    json_type,
    refuse,
)

REQUIRED_FIELDS = ("id", "doc", "start", "end", "text", "claim", "source", "stances")
#: Where documents are looked up when no folder is given, in this order.
DEFAULT_DOCS_DIRS = (Path("seeds"), Path("corpus"))
_SENTENCE_INDEX = re.compile(r"0|[1-9][0-9]*")

def _short(text: str, limit: int = 60) -> str:
    text = text if len(text) <= limit else text[:limit - 1] + "…"
    return json.dumps(text, ensure_ascii=False)


def _is_offset(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def check_record(record: dict, actor_ids: Iterable[str]) -> list[tuple[str, str]]:
    """``(severity, message)`` for each breach of the scheme in one record.

    Checks fields, types, labels, actor IDs, the id form and claim/source
    consistency; nothing that needs the document or other records.
    """
    known = set(actor_ids)
    out: list[tuple[str, str]] = []

    def error(message: str) -> None:
        out.append(("error", message))

    for name in REQUIRED_FIELDS:
        if name not in record:
            error(f"missing field {name!r}")
    for name in ("id", "doc", "text"):
        value = record.get(name)
        if name in record and (not isinstance(value, str) or not value):
            error(f"{name!r} must be a non-empty string, found {json_type(value)}")
    for name in ("start", "end"):
        if name in record and not _is_offset(record[name]):
            error(f"{name!r} must be an integer >= 0, found {json_type(record[name])}")
    start, end = record.get("start"), record.get("end")
    if isinstance(start, int) and isinstance(end, int) and _is_offset(start) \
            and _is_offset(end) and start >= end:
        error(f"'start' ({start}) must be less than 'end' ({end})")
    if "claim" in record and not isinstance(record["claim"], bool):
        error(f"'claim' must be true or false, found {json_type(record['claim'])}")
    source = record.get("source")
    if "source" in record and source is not None:
        if not isinstance(source, str):
            error(f"'source' must be an actor ID or null, found {json_type(source)}")
        elif source not in known:
            error(f"'source' {source!r} is not an actor ID of the actor dictionary")
        elif record.get("claim") is False:
            error(f"'source' is {source!r} but 'claim' is false; a source needs claim true")
    if "stances" in record:
        stances = record["stances"]
        if not isinstance(stances, dict):
            error(f"'stances' must be an object {{actor: label}}, found {json_type(stances)}")
        else:
            for actor, label in stances.items():
                if actor not in known:
                    error(f"stances: {actor!r} is not an actor ID of the actor dictionary")
                if label not in LABELS:
                    error(f"stances: label for {actor!r} must be one of {', '.join(LABELS)}, "
                          f"found {json_type(label)}")
    if "note" in record and not isinstance(record["note"], str):
        error(f"'note' must be a string, found {json_type(record['note'])}")
    rid, doc = record.get("id"), record.get("doc")
    if isinstance(rid, str) and rid and isinstance(doc, str) and doc:
        prefix, _, index = rid.rpartition(":")
        if prefix != doc or not _SENTENCE_INDEX.fullmatch(index):
            error(f"'id' {rid!r} must be '{doc}:<n>' (doc, a colon, the sentence index)")
    return out


def _text_problems(record: dict, doc_text: str) -> list[tuple[str, str]]:
    start, end, text = record["start"], record["end"], record["text"]
    if end > len(doc_text):
        return [("error", f"'end' ({end}) is past the end of document {record['doc']!r} "
                          f"({len(doc_text)} characters)")]
    if doc_text[start:end] == text:
        return []
    message = (f"'text' is not the document text at [{start}:{end}], "
               f"which is {_short(doc_text[start:end])}")
    found = doc_text.find(text)
    if found >= 0:
        message += f"; the text is found at [{found}:{found + len(text)}]"
    return [("error", message)]


def _actor_warnings(record: dict, actors: ActorDictionary,
                    known: set[str]) -> list[tuple[str, str]]:
    stances = record["stances"]
    named: dict[str, str] = {}
    for mention in actors.find(record["text"], 0, *record_context(record)):
        named.setdefault(mention.actor, mention.text)
    out = []
    for actor in stances:
        if actor in known and actor not in named:
            out.append(("warning", f"stance given for {actor}, which the actor dictionary "
                                   "does not find in the sentence"))
    for actor, surface in named.items():
        if actor not in stances:
            shown = json.dumps(surface, ensure_ascii=False)
            out.append(("warning", f"actor {actor} is named ({shown}) but has no stance"))
    return out


def find_document(doc: str, folders: Sequence[Path]) -> Path:
    """``<folder>/<doc>.txt`` in the first folder that has it (else in the first folder)."""
    for folder in folders:
        candidate = folder / f"{doc}.txt"
        if candidate.exists():
            return candidate
    return folders[0] / f"{doc}.txt"


def docs_folders(docs_dir: str | Path | Sequence[str | Path] | None) -> list[Path]:
    """The document folders to search: the given one(s), else seeds/ and corpus/."""
    if docs_dir is None:
        return [project_path(d) for d in DEFAULT_DOCS_DIRS]
    if isinstance(docs_dir, (str, Path)):
        return [Path(docs_dir)]
    return [Path(d) for d in docs_dir]


def check_file(path: str | Path,
               docs_dir: str | Path | Sequence[str | Path] | None = None,
               actors: ActorDictionary | None = None, *,
               check_text: bool = True,
               manifest: Mapping[str, ManifestRow] | None = None,
               ) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Read and validate one annotation file in one pass: its records (every line
    that is a JSON object, in file order) and every problem, in line order.

    Errors: lines that are not JSON objects, missing or mistyped fields,
    unknown labels or actor IDs, an id not of the form ``<doc>:<n>``, a
    repeated id or sentence, a source without a claim, and (with
    ``check_text``) a ``text`` that is not ``doc_text[start:end]`` of
    ``<docs_dir>/<doc>.txt`` (one folder or several, searched in order;
    default ``seeds/`` then ``corpus/``).  Warnings (with
    ``check_text``): stances and actor mentions that the actor dictionary
    does not agree on, each record's actors resolved on its document's date
    and for its country (its own ``date``/``country`` fields, else the
    ``manifest``'s row, default ``corpus/manifest.csv``, which are attached to
    the records returned).  A file that cannot be read is one file-level error.
    """
    name = str(path)
    actors = actors or default_actors()
    manifest = default_manifest() if manifest is None else manifest
    folders = docs_folders(docs_dir)
    for folder in folders if docs_dir is not None and check_text else []:
        if not folder.is_dir():
            raise InputError(f"{folder}: expected a folder of documents, found "
                             f"{'a file' if folder.exists() else 'nothing'}")
    known = set(actors.actor_ids)
    problems: list[Problem] = []
    seen_ids: dict[str, int] = {}
    seen_spans: dict[tuple[str, int, int], int] = {}
    documents: dict[str, str | None] = {}
    records: list[dict[str, Any]] = []
    try:
        items = list(iter_annotations(path))
    except AnnotationError as exc:
        return [], exc.problems
    for lineno, item in items:
        if isinstance(item, Problem):
            problems.append(item)
            continue
        record = item
        attach_context(record, manifest)
        records.append(record)
        found = check_record(record, known)
        rid = record.get("id")
        if isinstance(rid, str):
            if rid in seen_ids:
                found.append(("error", f"duplicate id {rid!r} (first on line {seen_ids[rid]})"))
            else:
                seen_ids[rid] = lineno
        types_ok = (isinstance(record.get("doc"), str) and isinstance(record.get("text"), str)
                    and _is_offset(record.get("start")) and _is_offset(record.get("end"))
                    and record["start"] < record["end"])
        if types_ok:
            span = (record["doc"], record["start"], record["end"])
            if span in seen_spans:
                found.append(("error", f"sentence [{span[1]}:{span[2]}] of doc {span[0]!r} is "
                                       f"annotated twice (first on line {seen_spans[span]})"))
            else:
                seen_spans[span] = lineno
        if check_text and types_ok and record["doc"]:
            doc = record["doc"]
            if doc not in documents:
                doc_path = find_document(doc, folders)
                try:
                    documents[doc] = read_document(doc_path).text
                except InputError as exc:
                    documents[doc] = None
                    if doc_path.exists():
                        reason = f"cannot check text: {exc}"
                    elif docs_dir is None:
                        searched = ", ".join(str(f.resolve()) for f in folders)
                        reason = (f"document {doc!r} not found: looked for {doc}.txt in "
                                  f"{searched} (the default folders; give --docs DIR)")
                    else:
                        reason = f"document {doc!r} not found: expected {doc_path}"
                    found.append(("error", reason))
            doc_text = documents[doc]
            if doc_text is not None:
                found.extend(_text_problems(record, doc_text))
        if check_text and isinstance(record.get("text"), str) \
                and isinstance(record.get("stances"), dict):
            found.extend(_actor_warnings(record, actors, known))
        problems.extend(Problem(name, lineno, sev, msg) for sev, msg in found)
    if not records and not problems:
        problems.append(Problem(name, None, "warning", "no annotation records"))
    return records, problems


def check_trainable(records: Sequence[Mapping[str, Any]]) -> None:
    """Refuse data the three models cannot be trained on: stance labels or the claim
    flag with one class only (scikit-learn would fail deep inside the grid search)."""
    labels = Counter(label for r in records for label in (r.get("stances") or {}).values())
    if len(labels) < 2:
        found = f"only {next(iter(labels))!r}" if labels else "none"
        raise InputError("training needs at least two different stance labels in the "
                          f"data, found {found}")
    claims = Counter(bool(r.get("claim")) for r in records)
    if len(claims) < 2:
        value = "true" if next(iter(claims)) else "false"
        raise InputError(f"training needs sentences with claim true and claim false; every "
                          f"one of the {len(records)} sentences has claim {value}")


#: Warning kinds of :func:`check_prediction_input`, each printed once with a count.
UNKNOWN_ACTOR = "stances for actors the model's actor dictionary does not know"


def check_prediction_record(record: dict, known: set[str]) -> list[tuple[str, str]]:
    """``(severity, message)`` for a record to score with ``stance predict --input
    annotations``: the validator's checks that do not need the document, with
    labels optional (null or absent: an unlabelled record) and actors outside
    the dictionary a warning (:data:`UNKNOWN_ACTOR`; they are scored from their
    mentions or a target token)."""
    out: list[tuple[str, str]] = []
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        out.append(("error", f"'text' must be a non-empty string, found "
                             f"{json_type(text) if 'text' in record else 'no text field'}"))
    stances = record.get("stances")
    if "stances" not in record:
        out.append(("error", "missing field 'stances' (the actors to judge, "
                             "{actor: label or null})"))
    elif not isinstance(stances, dict):
        out.append(("error", f"'stances' must be an object {{actor: label}}, found "
                             f"{json_type(stances)}"))
    else:
        for actor, label in stances.items():
            if label is not None and label not in LABELS:
                out.append(("error", f"stances: label for {actor!r} must be one of "
                                     f"{', '.join(LABELS)} or null, found {json_type(label)}"))
            if actor not in known:
                out.append(("warning", f"{UNKNOWN_ACTOR}: {actor}"))
    start, end = record.get("start"), record.get("end")
    for name in ("start", "end"):
        if name in record and not _is_offset(record[name]):
            out.append(("error", f"{name!r} must be an integer >= 0, found "
                                 f"{json_type(record[name])}"))
    if isinstance(start, int) and isinstance(end, int) and _is_offset(start) \
            and _is_offset(end) and isinstance(text, str) and end - start != len(text):
        out.append(("error", f"offsets [{start}:{end}] span {end - start} characters but "
                             f"'text' has {len(text)}"))
    mentions = record.get("mentions")
    if mentions is not None:
        if not isinstance(mentions, list) or not all(
                isinstance(m, dict) and isinstance(m.get("actor"), str)
                and _is_offset(m.get("start")) and _is_offset(m.get("end")) for m in mentions):
            out.append(("error", "'mentions' must be a list of {actor, start, end} objects"))
    return out


def check_prediction_input(name: str, lines: Iterable[bytes],
                           known: Iterable[str]) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Records and problems of an annotation-format input to predict (see
    :func:`check_prediction_record`); no records at all is an error."""
    known = set(known)
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for lineno, item in iter_annotation_lines(name, lines):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        records.append(item)
        problems += [Problem(name, lineno, sev, msg)
                     for sev, msg in check_prediction_record(item, known)]
    if not records and not problems:
        problems.append(Problem(name, None, "error", "expected annotation records, found none"))
    return records, problems


def validate_file(path: str | Path,
                  docs_dir: str | Path | Sequence[str | Path] | None = None,
                  actors: ActorDictionary | None = None, *,
                  check_text: bool = True) -> list[Problem]:
    """Every problem of one annotation file, in line order (see :func:`check_file`)."""
    return check_file(path, docs_dir, actors, check_text=check_text)[1]


def load_annotations(path: str | Path, actors: ActorDictionary | None = None) -> list[dict]:
    """The records of an annotation file checked for format (not against documents).

    Raises :class:`AnnotationError` listing every error (JSON, fields, labels,
    actor IDs, ids) with its line; warnings are ignored.
    """
    records, problems = check_file(path, actors=actors, check_text=False)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise refuse(path, errors)
    return records
