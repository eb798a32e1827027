"""Scoring a trained model on annotations it never saw: with the gold actors, or end to end."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from ..actors import ActorDictionary
from ..annotations import docs_folders, find_document
from ..io.documents import read_document
from ..ml.dataset import Dataset, build_dataset
from ..ml.model import StanceModel
from ..schema import Pair, resolve_spans
from .baselines import KeywordRule
from .metrics import claim_metrics, source_accuracy, stance_metrics

Records = Sequence[Mapping[str, Any]]


def pairs_of(records: Records, actors: ActorDictionary | None = None
             ) -> tuple[Dataset, list[str], list[str]]:
    """The records' dataset, and the sentence id and actor of each pair."""
    ds = build_dataset(records, actors)
    units = [f"{r['id']}" for r in records for _ in r["stances"]]
    pair_actors = [a for r in records for a in r["stances"]]
    return ds, units, pair_actors


def misclassified(model: StanceModel, rec: Mapping[str, Any], pred: Mapping[str, Any],
                  top: int) -> list[dict[str, Any]]:
    """The (sentence, actor) pairs of one record the model got wrong, with the
    features that pushed each wrong decision most (the error analysis)."""
    out = []
    spans = resolve_spans(rec, model.actors)
    for actor, label in rec["stances"].items():
        guess = pred["stances"][actor]
        if guess != label:
            out.append({"id": rec["id"], "actor": actor, "text": rec["text"], "gold": label,
                        "predicted": guess, "probability": pred["probabilities"][actor][guess],
                        "features": model.explain_pair(Pair(rec["text"], actor, spans), top)})
    return out


def evaluate_model(model: StanceModel, records: Sequence[dict], seed: int = 0,
                   explain_top: int = 5) -> dict:
    """Score a trained model on annotated records it never saw, with their gold actors."""
    predicted = model.predict_records(records, actors_from="stances")
    ds, units, pair_actors = pairs_of(records, model.actors)
    y_pred = [p["stances"][a] for p in predicted for a in p["stances"]]
    errors = [e for rec, pred in zip(records, predicted, strict=True)
              for e in misclassified(model, rec, pred, explain_top)]
    majority = Counter(ds.labels).most_common(1)[0][0] if ds.labels else "none"
    return {
        "mode": "test",
        "stance": {"model": stance_metrics(ds.labels, y_pred, units, pair_actors, seed),
                   "keyword_rule": stance_metrics(ds.labels, KeywordRule().predict(
                       ds.pairs), units, None, seed),
                   "majority_of_test_data": stance_metrics(ds.labels, [majority] * len(ds.labels),
                                                           units, None, seed)},
        "claim": claim_metrics([bool(r["claim"]) for r in records],
                               [p["claim"] for p in predicted]),
        "source": source_accuracy([bool(r["claim"]) for r in records],
                                  [r["source"] if r["claim"] else None for r in records],
                                  [p["source"] for p in predicted]),
        "errors": errors,
    }


def evaluate_end_to_end(model: StanceModel, records: Sequence[dict], docs_dirs=None,
                        seed: int = 0) -> dict:
    """Run the full pipeline on the documents' raw text and score it against the gold
    records: sentences aligned by offsets, actor detection (gold pairs missed,
    pairs found that the gold does not have), and stances over the gold pairs
    (a missed pair counts as predicted ``none``)."""
    folders = docs_folders(docs_dirs)
    predicted: dict[tuple[str, int, int], Mapping[str, Any]] = {}
    for doc in sorted({r["doc"] for r in records}):
        text = read_document(find_document(doc, folders)).text
        for q in model.predict_text(text, doc_id=doc):
            predicted[(doc, q["start"], q["end"])] = q
    gold_pairs = pred_pairs = 0
    missed, spurious = [], []
    y_true, y_pred, units, claim_g, claim_p, src_g, src_p = [], [], [], [], [], [], []
    unaligned: list[str] = []
    for rec in records:
        found = predicted.get((rec["doc"], rec["start"], rec["end"]))
        if found is None:
            unaligned.append(rec["id"])
        p: Mapping[str, Any] = found or {"stances": {}, "claim": False, "source": None}
        gold_pairs += len(rec["stances"])
        pred_pairs += len(p["stances"])
        missed += [f"{rec['id']} {a}" for a in rec["stances"] if a not in p["stances"]]
        spurious += [f"{rec['id']} {a}" for a in p["stances"] if a not in rec["stances"]]
        for actor, label in rec["stances"].items():
            y_true.append(label)
            y_pred.append(p["stances"].get(actor, "none"))
            units.append(rec["id"])
        claim_g.append(bool(rec["claim"]))
        claim_p.append(p["claim"])
        src_g.append(rec["source"] if rec["claim"] else None)
        src_p.append(p["source"])
    return {
        "mode": "end-to-end",
        "sentences": {"gold": len(records), "aligned": len(records) - len(unaligned),
                      "unaligned_gold": unaligned},
        "actor_detection": {"gold_pairs": gold_pairs, "predicted_pairs": pred_pairs,
                            "missed": len(missed), "spurious": len(spurious),
                            "missed_pairs": missed, "spurious_pairs": spurious},
        "stance": {"model": stance_metrics(y_true, y_pred, units, None, seed)},
        "claim": claim_metrics(claim_g, claim_p),
        "source": source_accuracy(claim_g, src_g, src_p),
        "errors": [],
    }
