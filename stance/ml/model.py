"""The trained model: stance, claim and source together, prediction and explanation.

Spans are resolved once per record (:func:`stance.schema.resolve_spans`) and
the same :class:`~stance.schema.Pair` values feed the claim model, the stance
model, the source rule or model and, on request, the explanations.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from sklearn.pipeline import Pipeline

from ..actors import ActorDictionary
from ..actors.tagging import sentence_records
from ..io.documents import Document
from ..schema import (
    LABELS,
    Pair,
    PredictionRecord,
    Span,
    Spans,
    actors_in,
    mentions_from_spans,
    resolve_spans,
    spans_from_mentions,
)
from ..text.segment import segment_document
from . import fast
from .source import SourceRule, model_source

_KEPT_FIELDS = ("id", "doc", "start", "end", "text")


@dataclass
class StanceModel:
    """The three trained models and the actor dictionary they were trained with."""

    stance: Pipeline
    claim: Pipeline
    source_method: str                # "rule" or "model"
    source: Pipeline | SourceRule | None  # None: the source model had one class only
    actors: ActorDictionary
    settings: dict[str, Any] = field(default_factory=dict)
    #: The model card, set by :func:`stance.ml.persistence.load_model`.
    card: dict[str, Any] = field(default_factory=dict, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the fast path (it is rebuilt from the pipelines on first use)."""
        state = dict(self.__dict__)
        state.pop("_fast_path", None)
        return state

    def fast_path(self) -> fast.FastPath | None:
        """The shared-tokenisation prediction path (:mod:`stance.ml.fast`), built once;
        None when the pipelines are shaped otherwise (they then predict as they are)."""
        if "_fast_path" not in self.__dict__:
            self.__dict__["_fast_path"] = fast.build(self.stance, self.claim)
        return self.__dict__["_fast_path"]

    def spans(self, text: str, spans: Iterable[Sequence[Any]] | None = None,
              date: datetime.date | None = None) -> Spans:
        """``spans`` as sorted :class:`Span` values, or the dictionary's for ``text``."""
        if spans is not None:
            return tuple(sorted(Span(int(s[0]), int(s[1]), str(s[2])) for s in spans))
        return spans_from_mentions(self.actors.find(text, 0, date))

    def pair(self, item: Sequence[Any]) -> Pair:
        """``(text, actor)`` or ``(text, actor, spans)`` as a model input."""
        spans = item[2] if len(item) > 2 else None
        return Pair(item[0], item[1], self.spans(item[0], spans))

    def predict_pairs(self, pairs: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
        """Stance of each ``(sentence, actor_id)`` (or ``(sentence, actor_id, spans)``) pair.

        Returns ``{"label": ..., "probabilities": {label: p}}`` per pair.
        """
        return self._stances([p if isinstance(p, Pair) else self.pair(p) for p in pairs])

    def _stances(self, pairs: list[Pair]) -> list[dict[str, Any]]:
        if not pairs:
            return []
        return self._stance_dicts(self.stance.predict_proba(pairs))

    def _stance_dicts(self, proba: np.ndarray) -> list[dict[str, Any]]:
        classes = [str(c) for c in self.stance.classes_]
        columns = [(label, classes.index(label) if label in classes else None)
                   for label in LABELS]
        best = np.argmax(proba, axis=1)
        out = []
        for row, b in zip(proba.tolist(), best.tolist(), strict=True):
            probs = {label: round(row[j], 4) if j is not None else 0.0 for label, j in columns}
            out.append({"label": classes[b], "probabilities": probs})
        return out

    def predict_claims(self, sentences: Sequence[Pair]) -> list[float]:
        """Probability that each sentence (a :class:`Pair` with target None) is a claim."""
        if not sentences:
            return []
        return self._claim_column(self.claim.predict_proba(list(sentences)))

    def _claim_column(self, proba: np.ndarray) -> list[float]:
        return proba[:, list(self.claim.classes_).index(1)].tolist()

    def predict_source(self, text: str, spans: Spans, previous: str | None = None
                       ) -> str | None:
        """The claim's speaker; ``previous`` is the speaker of the document's previous
        claim (the rule resolves "he said" to it)."""
        if isinstance(self.source, SourceRule):
            return self.source.predict(text, spans, previous)
        return model_source(self.source, text, spans)

    def predict_records(self, records: Sequence[Mapping[str, Any]],
                        actors_from: Literal["mentions", "stances"] = "mentions",
                        min_prob: float = 0.0, explain: bool = False,
                        top: int = 5) -> list[PredictionRecord]:
        """Claim, source and stances for sentence records.

        Each record needs ``text`` and either ``mentions`` (document offsets, as
        ``stance segment`` writes them) or, with ``actors_from="stances"``, the
        actors to judge as the keys of ``stances`` (annotation input).  With
        ``min_prob``, stances less probable are dropped (listed in
        ``low_confidence``); with ``explain``, each actor's decision gets its
        ``top`` features (:meth:`explain`).
        """
        sentences: list[tuple[Pair, list[str]]] = []
        for rec in records:
            spans = resolve_spans(rec, self.actors)
            if actors_from == "stances":
                targets = list(rec.get("stances") or {})
            else:
                targets = actors_in(spans)
            sentences.append((Pair(rec["text"], None, spans), targets))
        path = self.fast_path()
        if path is None:
            claim_probs = self.predict_claims([s for s, _ in sentences])
            flat = [Pair(s.text, a, s.spans) for s, targets in sentences for a in targets]
            stance_preds = iter(self._stances(flat))
        else:
            prepared = [path.sentence(s.text, s.spans) for s, _ in sentences]
            claim_probs = self._claim_column(
                self.claim.steps[-1][1].predict_proba(path.claim_matrix(prepared))
            ) if prepared else []
            pairs = [(p, a) for p, (_, targets) in zip(prepared, sentences, strict=True)
                     for a in targets]
            stance_preds = iter(self._stance_dicts(
                self.stance.steps[-1][1].predict_proba(path.stance_matrix(pairs))
            ) if pairs else [])
        out: list[PredictionRecord] = []
        speakers: dict[Any, str | None] = {}  # the last speaker per document
        for rec, (sent, targets), p_claim in zip(records, sentences, claim_probs, strict=True):
            claim = p_claim >= 0.5
            result: dict[str, Any] = {k: rec[k] for k in _KEPT_FIELDS if k in rec}
            source = (self.predict_source(sent.text, sent.spans, speakers.get(rec.get("doc")))
                      if claim else None)
            if source is not None:
                speakers[rec.get("doc")] = source
            result.update(claim=claim, claim_prob=round(p_claim, 4), source=source)
            preds = {a: next(stance_preds) for a in targets}
            result["stances"] = {a: p["label"] for a, p in preds.items()}
            result["probabilities"] = {a: p["probabilities"] for a, p in preds.items()}
            result["mentions"] = mentions_from_spans(sent.text, sent.spans, rec.get("start", 0))
            if min_prob > 0:
                low = [a for a, p in result["probabilities"].items()
                       if max(p.values()) < min_prob]
                result["stances"] = {a: lab for a, lab in result["stances"].items()
                                     if a not in low}
                if low:
                    result["low_confidence"] = low
            if explain:
                result["explanations"] = {a: self.explain_pair(Pair(sent.text, a, sent.spans), top)
                                          for a in result["probabilities"]}
            out.append(result)  # type: ignore[arg-type]
        return out

    def predict_text(self, text: str, doc_id: str = "text",
                     date: datetime.date | None = None) -> list[PredictionRecord]:
        """Segment ``text``, find its actors, and predict every sentence."""
        seg = segment_document(Document(doc_id, text, "<text>", date))
        return self.predict_records(sentence_records(seg, self.actors))

    def explain(self, text: str, actor: str, spans: Iterable[Sequence[Any]] | None = None,
                top: int = 5) -> list[dict[str, Any]]:
        """The features that pushed the stance decision for ``actor`` most.

        Contribution = feature value x logistic-regression weight of the
        predicted label; the largest positive contributions are returned.
        """
        return self.explain_pair(Pair(text, actor, self.spans(text, spans)), top)

    def explain_pair(self, pair: Pair, top: int = 5) -> list[dict[str, Any]]:
        features = Pipeline(self.stance.steps[:-1])
        x = features.transform([pair]).tocsr()
        clf = self.stance.named_steps["clf"]
        label = clf.predict(x)[0]
        row = list(clf.classes_).index(label)
        coef = clf.coef_[row] if clf.coef_.shape[0] > 1 else clf.coef_[0] * (1 if row else -1)
        names = features.named_steps["features"].get_feature_names_out()
        contrib = [(float(v * coef[j]), names[j])
                   for j, v in zip(x.indices, x.data, strict=True)]
        contrib.sort(key=lambda t: (-t[0], t[1]))
        return [{"feature": readable(n), "weight": round(w, 4)} for w, n in contrib[:top] if w > 0]


def readable(name: str) -> str:
    """'words__accused xtargetx' -> 'accused <TARGET>'."""
    family, _, feat = name.partition("__")
    feat = feat.replace("xtargetx", "<TARGET>").replace("xotherx", "<OTHER>")
    feat = re.sub(r"xtid(\w+?)x", lambda m: f"target={m.group(1).upper()}", feat)
    return feat if family == "words" else f"{family}:{feat}"
