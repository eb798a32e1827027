"""Interchange: the project's JSON Lines <-> doccano JSONL, Label Studio JSON, Prodigy JSONL.

Each exported task carries the whole scheme record (less its text) in a
metadata slot, ``stance`` (Label Studio: ``data.stance``), so a round trip
through any of the three formats gives back exactly the same records.  What
the other tool can show and edit natively is filled in as well, and on
import the native part wins where it says something:

* **doccano** (sequence labelling JSONL): ``label`` = ``[[start, end,
  "ACTOR:label"], ...]`` per actor mention, sentence offsets (``"ACTOR"``
  alone while unlabelled).  Claim and source are only in ``stance``.
* **Label Studio** (JSON array of tasks, config from
  :func:`label_studio_config`): ``labels`` regions per mention (``actor``),
  a per-region ``stance`` choice, ``claim`` (yes/no) and ``source`` (an actor
  id or ``other/none``) choices, a ``note`` text area.
* **Prodigy** (JSONL): ``spans`` with ``label`` = actor id and a ``stance``
  key, ``meta`` (id and document, shown by Prodigy), ``options``/``accept``
  for the claim flag, ``answer: "accept"``.

Mention offsets are document offsets in the project's records and sentence
offsets in the three tools.  A task without the ``stance`` metadata (made
in the other tool from scratch) cannot be placed in a document: refused
with a message naming it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from ._engine import LABELS, InputError, StanceError

FORMATS = ("stance", "doccano", "labelstudio", "prodigy")
OTHER = "other/none"


class ConvertError(StanceError):
    """Input that is not in the format it was said to be in."""


def _meta(record: dict) -> dict:
    return {k: v for k, v in record.items() if k != "text"}


def _mentions(record: dict) -> list[dict]:
    return list(record.get("mentions") or [])


def _sentence_span(record: dict, m: dict) -> tuple[int, int]:
    return m["start"] - record["start"], m["end"] - record["start"]


def _restore(where: str, meta: object, text: object) -> dict:
    if not isinstance(meta, dict) or not {"id", "doc", "start", "end"} <= set(meta):
        raise ConvertError(f"{where}: no 'stance' metadata with id, doc, start and end: only "
                           "tasks exported by `stance convert` can be imported")
    if not isinstance(text, str):
        raise ConvertError(f"{where}: no sentence text")
    record = {"id": meta["id"], "doc": meta["doc"], "start": meta["start"], "end": meta["end"],
              "text": text}
    record.update({k: v for k, v in meta.items() if k not in record})
    return record


def _apply_spans(record: dict, spans: Sequence[tuple[object, object, object, object]],
                 where: str) -> None:
    """Set mentions and stances from native spans ``(start, end, actor, label)``.

    Span offsets are sentence offsets; the values come from the other tool's
    file and are checked here.
    """
    if not spans:
        return
    text, base = record["text"], record["start"]
    checked: list[tuple[int, int, str, str | None]] = []
    for s, e, actor, label in spans:
        if not (isinstance(s, int) and isinstance(e, int) and not isinstance(s, bool)
                and not isinstance(e, bool) and 0 <= s < e <= len(text)):
            raise ConvertError(f"{where}: span [{s}:{e}] is not inside the sentence")
        if not isinstance(actor, str):
            raise ConvertError(f"{where}: span [{s}:{e}] has no actor id")
        if label is not None and not (isinstance(label, str) and label in LABELS):
            raise ConvertError(f"{where}: stance label {label!r} is not one of {', '.join(LABELS)}")
        checked.append((s, e, actor, label))
    mentions: list[dict] = []
    labels: dict[str, str | None] = {}
    for s, e, actor, label in sorted(checked, key=lambda span: span[:3]):
        mentions.append({"actor": actor, "text": text[s:e], "start": s + base, "end": e + base})
        if label is not None or actor not in labels:
            labels[actor] = label
    had_mentions = bool(record.get("mentions"))
    old = record.get("stances") or {}
    stances = {}
    for actor, label in old.items():
        if actor in labels:
            stances[actor] = labels[actor] if labels[actor] is not None else label
        elif not had_mentions:  # actors given without spans stay
            stances[actor] = label
    for actor, label in labels.items():
        stances.setdefault(actor, label)
    record["mentions"] = mentions
    record["stances"] = stances


# --- doccano --------------------------------------------------------------------

def to_doccano(records: Iterable[dict]) -> list[dict]:
    out = []
    for r in records:
        labels = []
        for m in _mentions(r):
            s, e = _sentence_span(r, m)
            label = (r.get("stances") or {}).get(m["actor"])
            labels.append([s, e, f"{m['actor']}:{label}" if label else m["actor"]])
        out.append({"text": r["text"], "label": labels, "stance": _meta(r)})
    return out


def from_doccano(tasks: Sequence[dict], name: str = "doccano") -> list[dict]:
    out = []
    for i, task in enumerate(tasks, start=1):
        where = f"{name}:{i}"
        record = _restore(where, task.get("stance"), task.get("text"))
        spans = []
        for item in task.get("label", task.get("entities", [])) or []:
            if isinstance(item, dict):  # newer doccano: {start_offset, end_offset, label}
                item = [item.get("start_offset"), item.get("end_offset"), item.get("label")]
            if not isinstance(item, list) or len(item) != 3 or not isinstance(item[2], str):
                raise ConvertError(f"{where}: a label must be [start, end, \"ACTOR:label\"]")
            actor, _, label = item[2].partition(":")
            spans.append((item[0], item[1], actor, label or None))
        _apply_spans(record, spans, where)
        out.append(record)
    return out


# --- Label Studio -------------------------------------------------------------------

def label_studio_config(actor_ids: Sequence[str]) -> str:
    """The Label Studio labelling config that matches :func:`to_labelstudio`."""
    labels = "\n".join(f'    <Label value="{a}"/>' for a in actor_ids)
    sources = "\n".join(f'    <Choice value="{a}"/>' for a in [*actor_ids, OTHER])
    stances = "\n".join(f'    <Choice value="{lab}"/>' for lab in LABELS)
    return f"""<View>
  <Labels name="actor" toName="text">
{labels}
  </Labels>
  <Text name="text" value="$text"/>
  <Choices name="stance" toName="text" perRegion="true" choice="single">
{stances}
  </Choices>
  <Choices name="claim" toName="text" choice="single">
    <Choice value="yes"/>
    <Choice value="no"/>
  </Choices>
  <Choices name="source" toName="text" choice="single">
{sources}
  </Choices>
  <TextArea name="note" toName="text" maxSubmissions="1"/>
</View>
"""


def to_labelstudio(records: Iterable[dict]) -> list[dict]:
    out = []
    for r in records:
        result = []
        for i, m in enumerate(_mentions(r)):
            s, e = _sentence_span(r, m)
            region = {"start": s, "end": e, "text": r["text"][s:e]}
            result.append({"id": f"m{i}", "from_name": "actor", "to_name": "text",
                           "type": "labels", "value": {**region, "labels": [m["actor"]]}})
            label = (r.get("stances") or {}).get(m["actor"])
            if label:
                result.append({"id": f"m{i}", "from_name": "stance", "to_name": "text",
                               "type": "choices", "value": {**region, "choices": [label]}})
        if isinstance(r.get("claim"), bool):
            result.append({"from_name": "claim", "to_name": "text", "type": "choices",
                           "value": {"choices": ["yes" if r["claim"] else "no"]}})
            if r["claim"]:
                result.append({"from_name": "source", "to_name": "text", "type": "choices",
                               "value": {"choices": [r.get("source") or OTHER]}})
        if r.get("note"):
            result.append({"from_name": "note", "to_name": "text", "type": "textarea",
                           "value": {"text": [r["note"]]}})
        task: dict[str, Any] = {"data": {"text": r["text"], "stance": _meta(r)}}
        if result:
            task["annotations"] = [{"result": result}]
        out.append(task)
    return out


def from_labelstudio(tasks: Sequence[dict], name: str = "labelstudio") -> list[dict]:
    out = []
    for i, task in enumerate(tasks, start=1):
        where = f"{name}: task {i}"
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise ConvertError(f"{where}: expected a task object with 'data'")
        record = _restore(where, task["data"].get("stance"), task["data"].get("text"))
        annotations = task.get("annotations") or task.get("completions") or []
        result = annotations[-1].get("result", []) if annotations else []
        regions: dict[str, dict] = {}
        for item in result:
            value, kind = item.get("value", {}), item.get("from_name")
            if kind == "actor":
                regions.setdefault(item.get("id", str(len(regions))), {}).update(
                    start=value.get("start"), end=value.get("end"),
                    actor=(value.get("labels") or [None])[0])
            elif kind == "stance" and "start" in value:
                regions.setdefault(item.get("id", str(len(regions))), {})["label"] = \
                    (value.get("choices") or [None])[0]
            elif kind == "claim":
                record["claim"] = (value.get("choices") or ["no"])[0] == "yes"
                if not record["claim"]:
                    record["source"] = None
            elif kind == "source":
                choice = (value.get("choices") or [OTHER])[0]
                record["source"] = None if choice == OTHER else choice
            elif kind == "note":
                text = value.get("text") or []
                note = " ".join(text) if isinstance(text, list) else str(text)
                if note:
                    record["note"] = note
        spans = []
        for reg in regions.values():
            if reg.get("actor") is None:
                raise ConvertError(f"{where}: a stance choice without its actor region")
            spans.append((reg["start"], reg["end"], reg["actor"], reg.get("label")))
        _apply_spans(record, spans, where)
        out.append(record)
    return out


# --- Prodigy -------------------------------------------------------------------

def to_prodigy(records: Iterable[dict]) -> list[dict]:
    out = []
    for r in records:
        spans = []
        for m in _mentions(r):
            s, e = _sentence_span(r, m)
            span = {"start": s, "end": e, "label": m["actor"]}
            label = (r.get("stances") or {}).get(m["actor"])
            if label:
                span["stance"] = label
            spans.append(span)
        task = {"text": r["text"], "spans": spans,
                "meta": {"id": r["id"], "doc": r["doc"]},
                "options": [{"id": "claim", "text": "claim"}], "stance": _meta(r)}
        if isinstance(r.get("claim"), bool):
            task["accept"] = ["claim"] if r["claim"] else []
            task["answer"] = "accept"
        out.append(task)
    return out


def from_prodigy(tasks: Sequence[dict], name: str = "prodigy") -> list[dict]:
    out = []
    for i, task in enumerate(tasks, start=1):
        where = f"{name}:{i}"
        if task.get("answer") in ("reject", "ignore"):
            continue
        record = _restore(where, task.get("stance"), task.get("text"))
        spans = []
        for span in task.get("spans") or []:
            if not isinstance(span, dict) or not isinstance(span.get("label"), str):
                raise ConvertError(f"{where}: a span must have start, end and label")
            spans.append((span.get("start"), span.get("end"), span["label"], span.get("stance")))
        _apply_spans(record, spans, where)
        if isinstance(task.get("accept"), list):
            record["claim"] = "claim" in task["accept"]
            if not record["claim"]:
                record["source"] = None
        out.append(record)
    return out


# --- files -------------------------------------------------------------------------

def _read_jsonl(path: Path) -> list[dict]:
    items = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read as UTF-8 text: {exc}") from None
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConvertError(f"{path}:{n}: not valid JSON: {exc.msg}") from None
        if not isinstance(obj, dict):
            raise ConvertError(f"{path}:{n}: expected a JSON object")
        items.append(obj)
    return items


def read_records(path: str | Path, fmt: str) -> list[dict]:
    """Scheme records from a file in ``fmt`` (one of :data:`FORMATS`)."""
    path = Path(path)
    if fmt == "labelstudio":
        try:
            tasks = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ConvertError(f"{path}: not a Label Studio JSON export: {exc}") from None
        if not isinstance(tasks, list):
            raise ConvertError(f"{path}: expected a JSON array of tasks")
        return from_labelstudio(tasks, str(path))
    items = _read_jsonl(path)
    if fmt == "stance":
        return items
    if fmt == "doccano":
        return from_doccano(items, str(path))
    if fmt == "prodigy":
        return from_prodigy(items, str(path))
    raise ConvertError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def render(records: Sequence[dict], fmt: str) -> str:
    """The text of a file in ``fmt`` holding ``records``."""
    if fmt == "labelstudio":
        return json.dumps(to_labelstudio(records), ensure_ascii=False, indent=1) + "\n"
    writers: dict[str, Callable[[Sequence[dict]], list[dict]]] = {
        "stance": list, "doccano": to_doccano, "prodigy": to_prodigy}
    convert = writers.get(fmt)
    if convert is None:
        raise ConvertError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in convert(records))
