"""One annotation session: the sentences, the store, the model and the order of work.

The web server (:mod:`stance.annotate.server`) is a thin layer over this
class; everything here returns data or raises a :class:`StanceError`
subclass with a one-line message.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import _engine as engine
from .queue import sentence_margin, shared_sample, uncertainty_order
from .store import Conflict, Store, journal_path

KEY = re.compile(r"[A-Za-z0-9_-]{8,100}")
MAX_NOTE = 2000
MAX_MENTIONS = 50
CONTEXT = 2  # sentences shown before and after


class RequestError(engine.StanceError):
    """A request that breaks the record contract: answered with 400."""


@dataclass
class Options:
    paths: Sequence[str]
    out: str
    actors_file: str | None = None
    model: str | None = None
    suggest: bool = False
    retrain_every: int = 0
    base: Sequence[str] = ()
    annotator: str | None = None
    sample: int | None = None
    seed: int = 0
    window: int = 3


@dataclass
class ModelStatus:
    source: str = "none"          # none | file | retrained
    state: str = "none"           # none | ready | training | failed
    trained_on_sentences: int = 0
    retrains: int = 0
    cv_macro_f1: float | None = None
    cv_note: str = ""
    error: str = ""
    extra: dict = field(default_factory=dict)


class Session:
    def __init__(self, opts: Options) -> None:
        if opts.sample is not None and (opts.model or opts.suggest or opts.retrain_every):
            raise engine.UsageError("--sample gives every annotator the same sentences in the "
                                    "same order, blind: it cannot be combined with --model, "
                                    "--suggest or --retrain-every")
        if opts.suggest and not (opts.model or opts.retrain_every):
            raise engine.UsageError("--suggest needs a model: give --model or --retrain-every")
        if opts.annotator is not None and not re.fullmatch(r"[\w.@-]{1,40}", opts.annotator):
            raise engine.UsageError("--annotator: 1-40 letters, digits, '.', '@', '_' or '-'")
        self.opts = opts
        self.actors = engine.load_actor_dictionary(opts.actors_file)
        self.known_actors = set(self.actors.actor_ids)
        self.texts, templates = engine.segment_paths(opts.paths, self.actors)
        if not templates:
            raise engine.InputError("no sentences to annotate in the given documents")
        self.templates = {t["id"]: t for t in templates}
        self.doc_order = [t["id"] for t in templates]
        self.position = {sid: i for i, sid in enumerate(self.doc_order)}
        self.base_records: list[dict] = []
        for path in opts.base:
            self.base_records += engine.read_records(path, self.actors)
        existing = None
        out = Path(opts.out)
        if out.exists() and not journal_path(out).exists():
            existing = {r["id"]: r for r in engine.read_records(out, self.actors)}
        self.store = Store(out, self.doc_order, existing)
        self._lock = threading.RLock()
        self.model = ModelStatus()
        self.predictor = engine.Predictor()
        self._since_retrain = 0
        self._thread: threading.Thread | None = None
        if opts.sample is not None:
            items = [(t["id"], t["doc"], len(t["stances"])) for t in templates]
            self.queue = shared_sample(items, opts.sample, opts.seed)
            self.mode = f"shared sample of {len(self.queue)} (seed {opts.seed}), blind"
        else:
            self.queue = list(self.doc_order)
            self.mode = "document order"
        if opts.model:
            model = engine.load_stance_model(opts.model)
            self.predictor = engine.Predictor(model)
            card = getattr(model, "card", {}) or {}
            self.model = ModelStatus(
                source="file", state="ready",
                trained_on_sentences=card.get("counts", {}).get("sentences", 0),
                cv_macro_f1=card.get("stance", {}).get("cv_macro_f1_stance_labels"),
                cv_note="from the model card (grouped CV over its training data)")
            self._reorder()

    # --- order ---------------------------------------------------------------------

    def _reorder(self) -> None:
        """Order the sentences not yet decided by the current model's uncertainty."""
        if not self.predictor.ready:
            return
        records, _ = self.store.snapshot()
        todo = [self.templates[s] for s in self.doc_order if s not in records]
        probs = self.predictor.pair_probabilities(todo)
        items = [(t["id"], t["doc"], sentence_margin(p)) for t, p in zip(todo, probs, strict=True)]
        order = uncertainty_order(items, self.opts.window)
        with self._lock:
            self.queue = order
            self.mode = "uncertainty (lowest pair margin, document diversity)"

    def next_id(self, exclude: Sequence[str] = ()) -> str | None:
        """The first undecided sentence of the queue: not skipped, then skipped ones.

        ``exclude`` (the sentence just skipped) comes last of all.
        """
        records, skipped = self.store.snapshot()
        with self._lock:
            queue = list(self.queue)
        excluded = set(exclude)
        todo = [s for s in queue if s not in records]
        for group in ([s for s in todo if s not in skipped and s not in excluded],
                      [s for s in todo if s not in excluded], todo):
            if group:
                return group[0]
        return None

    # --- items -----------------------------------------------------------------------

    def item(self, sid: str) -> dict:
        if sid not in self.templates:
            raise RequestError(f"unknown sentence id {sid!r}")
        t = self.templates[sid]
        i = self.position[sid]
        def ctx(ids):
            return [{"id": s, "text": self.templates[s]["text"]} for s in ids
                    if self.templates[s]["doc"] == t["doc"]]
        before = ctx(self.doc_order[max(0, i - CONTEXT):i])
        after = ctx(self.doc_order[i + 1:i + 1 + CONTEXT])
        records, skipped = self.store.snapshot()
        saved = records.get(sid)
        mentions = saved.get("mentions", t["mentions"]) if saved else t["mentions"]
        out = {"id": sid, "doc": t["doc"], "start": t["start"], "end": t["end"],
               "text": t["text"], "mentions": mentions, "before": before, "after": after,
               "saved": saved, "skipped": sid in skipped, "rev": self.store.rev(sid),
               "detected": t["mentions"], "suggestion": None}
        if self.opts.suggest and self.predictor.ready:
            out["suggestion"] = self._suggest(t)
        return out

    def _suggest(self, template: dict) -> dict:
        probs = self.predictor.pair_probabilities([template])[0]
        labels = {a: max(p, key=lambda label: p[label]) for a, p in probs.items()}
        suggestion = {"stances": labels, "probabilities": probs, "claim": None, "source": None}
        cs = self.predictor.claim_and_source(template)
        if cs is not None:
            suggestion["claim"], suggestion["source"] = cs
        return suggestion

    # --- decisions -----------------------------------------------------------------

    def _key(self, payload: dict) -> str:
        key = payload.get("key")
        if not isinstance(key, str) or not KEY.fullmatch(key):
            raise RequestError("'key' must be a decision key: 8-100 letters, digits, '-' or '_'")
        return key

    def _sentence(self, payload: dict) -> tuple[str, int | None]:
        sid = payload.get("id")
        if not isinstance(sid, str) or sid not in self.templates:
            raise RequestError(f"'id' must be a sentence id of this session, found {sid!r}")
        rev = payload.get("rev")
        if rev is not None and (not isinstance(rev, int) or isinstance(rev, bool) or rev < 0):
            raise RequestError("'rev' must be an integer >= 0")
        return sid, rev

    def build_record(self, payload: dict) -> dict:
        """The scheme record for a labelling request, or :class:`RequestError`."""
        allowed = {"key", "id", "rev", "claim", "source", "stances", "mentions", "note"}
        unknown = sorted(set(payload) - allowed)
        if unknown:
            raise RequestError(f"unknown field {unknown[0]!r}")
        sid, _ = self._sentence(payload)
        t = self.templates[sid]
        doc_text = self.texts[t["doc"]]
        mentions = payload.get("mentions")
        if not isinstance(mentions, list) or len(mentions) > MAX_MENTIONS:
            raise RequestError(f"'mentions' must be a list of at most {MAX_MENTIONS} mentions")
        clean = []
        for m in mentions:
            if not isinstance(m, dict) or set(m) - {"actor", "start", "end", "text"} \
                    or not {"actor", "start", "end"} <= set(m):
                raise RequestError("each mention must be {actor, start, end} (text optional)")
            actor, start, end = m["actor"], m["start"], m["end"]
            if actor not in self.known_actors:
                raise RequestError(f"mention actor {actor!r} is not an actor id of the dictionary")
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)) \
                    or not t["start"] <= start < end <= t["end"]:
                raise RequestError(f"mention offsets [{start}:{end}] must lie inside the "
                                   f"sentence [{t['start']}:{t['end']}] (document offsets)")
            text = doc_text[start:end]
            if text != text.strip():
                raise RequestError(f"mention {text!r} starts or ends with white space")
            if "text" in m and m["text"] != text:
                raise RequestError(f"mention text {m['text']!r} is not the text at "
                                   f"[{start}:{end}], {text!r}")
            clean.append({"actor": actor, "text": text, "start": start, "end": end})
        clean.sort(key=lambda m: (m["start"], m["end"]))
        for a, b in itertools.pairwise(clean):
            if b["start"] < a["end"]:
                raise RequestError(f"mentions {a['text']!r} and {b['text']!r} overlap")
        named = list(dict.fromkeys(m["actor"] for m in clean))
        stances = payload.get("stances")
        if not isinstance(stances, dict):
            raise RequestError("'stances' must be an object {actor: label}")
        if set(stances) != set(named):
            missing = sorted(set(named) - set(stances))
            extra = sorted(set(stances) - set(named))
            raise RequestError(f"'stances' must label exactly the actors of the mentions"
                               f"{'; missing ' + ', '.join(missing) if missing else ''}"
                               f"{'; not mentioned ' + ', '.join(extra) if extra else ''}")
        for actor, label in stances.items():
            if label not in engine.LABELS:
                raise RequestError(f"label for {actor} must be one of "
                                   f"{', '.join(engine.LABELS)}, found {label!r}")
        claim = payload.get("claim")
        if not isinstance(claim, bool):
            raise RequestError("'claim' must be true or false")
        source = payload.get("source")
        if source is not None and source not in named:
            raise RequestError(f"'source' must be one of the sentence's actors "
                               f"({', '.join(named) or 'none'}) or null, found {source!r}")
        if source is not None and not claim:
            raise RequestError("'source' needs 'claim' true")
        note = payload.get("note")
        if note is not None and (not isinstance(note, str) or len(note) > MAX_NOTE):
            raise RequestError(f"'note' must be a string of at most {MAX_NOTE} characters")
        record = {k: t[k] for k in ("id", "doc", "start", "end", "text")}
        record.update(claim=claim, source=source, stances={a: stances[a] for a in named})
        if note and note.strip():
            record["note"] = note.strip()
        record["mentions"] = clean
        if self.opts.annotator:
            record["annotator"] = self.opts.annotator
        errors = engine.record_errors(record, self.actors)
        if errors:
            raise RequestError(errors[0])
        return record

    def decide(self, payload: dict) -> dict:
        key = self._key(payload)
        if key in self.store.results:  # a retry: answer as the first time, check nothing else
            return self._answer(self.store.decide(key, self.store.results[key]["id"], "skip"))
        record = self.build_record(payload)
        result = self.store.decide(key, record["id"], "label", record, payload.get("rev"),
                                   self.opts.annotator)
        if not result["duplicate"]:
            self._maybe_retrain()
        return self._answer(result)

    def act(self, payload: dict, action: str) -> dict:
        """``skip`` or ``clear`` (undo of a first decision) a sentence."""
        if set(payload) - {"key", "id", "rev"}:
            raise RequestError(f"unknown field {sorted(set(payload) - {'key', 'id', 'rev'})[0]!r}")
        key = self._key(payload)
        sid, rev = self._sentence(payload)
        return self._answer(self.store.decide(key, sid, action, None, rev, self.opts.annotator))

    def _answer(self, result: dict) -> dict:
        return {"result": result, "progress": self.progress()}

    # --- retraining ------------------------------------------------------------------

    def _maybe_retrain(self) -> None:
        n = self.opts.retrain_every
        if not n:
            return
        with self._lock:
            self._since_retrain += 1
            if self._since_retrain < n or (self._thread and self._thread.is_alive()):
                return
            self._since_retrain = 0
            self.model.state = "training"
            self._thread = threading.Thread(target=self.retrain, name="stance-retrain",
                                            daemon=True)
            self._thread.start()

    def retrain(self) -> None:
        """Refit the stance model on the base data plus what has been annotated; reorder."""
        records, _ = self.store.snapshot()
        base_ids = {b["id"] for b in self.base_records}
        data = self.base_records + [r for r in records.values() if r["id"] not in base_ids]
        try:
            pipe = engine.fit_stance(data, self.actors, self.opts.seed)
            if pipe is None:
                with self._lock:
                    self.model.state = "ready" if self.predictor.ready else "none"
                    self.model.cv_note = "needs at least two different labels to train"
                return
            score = engine.grouped_cv_macro_f1(data, self.actors, self.opts.seed)
            with self._lock:
                self.predictor = engine.Predictor(self.predictor.model, pipe)
                self.model = ModelStatus(
                    source="retrained", state="ready", trained_on_sentences=len(data),
                    retrains=self.model.retrains + 1, cv_macro_f1=score,
                    cv_note=("grouped CV over base data + annotations" if score is not None
                             else "grouped CV needs at least 3 documents"))
            self._reorder()
        except Exception as exc:  # a failed refit must not stop annotation
            with self._lock:
                self.model.state = "failed"
                self.model.error = f"{type(exc).__name__}: {exc}"

    def wait_for_retrain(self, timeout: float = 60) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    # --- progress --------------------------------------------------------------------

    def progress(self) -> dict:
        records, skipped = self.store.snapshot()
        with self._lock:
            queue = list(self.queue)
            model = dict(vars(self.model))
        done = sum(1 for s in queue if s in records)
        labels = Counter(label for s in queue if s in records
                         for label in records[s]["stances"].values())
        return {"done": done, "remaining": len(queue) - done, "total": len(queue),
                "skipped": sum(1 for s in queue if s in skipped and s not in records),
                "claims": sum(1 for s in queue if s in records and records[s]["claim"]),
                "labels": {label: labels.get(label, 0) for label in engine.LABELS},
                "mode": self.mode, "model": model}

    def config(self) -> dict:
        return {"labels": list(engine.LABELS), "actors": engine.actor_table(self.actors),
                "annotator": self.opts.annotator, "suggest": bool(self.opts.suggest),
                "out": str(self.opts.out), "mode": self.mode}

    def close(self) -> None:
        self.wait_for_retrain(5)
        self.store.close()


__all__ = ["Conflict", "Options", "RequestError", "Session"]
