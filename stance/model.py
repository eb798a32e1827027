"""The stance, claim and source models, and how they are trained.

* **Stance**: (sentence, target actor) -> cooperation / hostility /
  accusation / none.  A :class:`~sklearn.pipeline.Pipeline`: target marking,
  then a :class:`~sklearn.pipeline.FeatureUnion` of word TF-IDF, optional
  character TF-IDF and cue-lexicon features, then a class-weighted logistic
  regression.
* **Claim**: sentence -> claim or not (actors masked, TF-IDF, logistic regression).
* **Source**: which named actor makes the claim: a rule or a model over
  (sentence, candidate) pairs, whichever scores better in grouped CV.

Every setting is chosen by cross-validation grouped by document, so no
sentence of a document helps choose the settings judged on that document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, make_scorer
from sklearn.model_selection import GridSearchCV, GroupKFold, LeaveOneGroupOut
from sklearn.pipeline import FeatureUnion, Pipeline

from .actors import ActorDictionary, default_actors
from .errors import StanceError
from .features import (
    CueFeatures,
    TargetMarker,
    compile_cue,
    cue_positions,
    cue_regex,
    default_cues,
    token_offsets,
)

LABELS = ("cooperation", "hostility", "accusation", "none")
STANCE_LABELS = LABELS[:3]
MAX_LOGO_GROUPS = 10

macro_f1_stance = make_scorer(f1_score, labels=list(STANCE_LABELS), average="macro",
                              zero_division=0)


# --- data ----------------------------------------------------------------------

def record_spans(record: dict) -> tuple | None:
    """Mention spans of a record, in sentence offsets, or None to let the dictionary find them.

    Mention offsets are document offsets, like the record's ``start`` (0 when a
    record has no offsets, e.g. annotation input from elsewhere).
    """
    mentions = record.get("mentions")
    if not mentions:
        return None
    base = record.get("start", 0)
    return tuple((m["start"] - base, m["end"] - base, m["actor"]) for m in mentions)


@dataclass
class Dataset:
    """Annotation records flattened for the three models."""

    pairs: list[tuple]            # (text, actor, spans) per (sentence, actor)
    labels: list[str]
    pair_groups: list[str]        # document of each pair
    sentences: list[tuple]        # (text, None, spans) per sentence
    claims: list[int]
    sentence_groups: list[str]
    sources: list[str | None]
    candidates: list[list[str]]   # actors named in each sentence


def build_dataset(records: Sequence[dict], actors: ActorDictionary | None = None) -> Dataset:
    """Flatten records; mention spans are resolved once here (the record's own,
    else the dictionary's) so that no grid-search fit searches for actors again."""
    actors = actors or default_actors()
    ds = Dataset([], [], [], [], [], [], [], [])
    for rec in records:
        spans = record_spans(rec)
        if spans is None:
            spans = tuple((m.start, m.end, m.actor) for m in actors.find(rec["text"]))
        for actor, label in rec["stances"].items():
            ds.pairs.append((rec["text"], actor, spans))
            ds.labels.append(label)
            ds.pair_groups.append(rec["doc"])
        ds.sentences.append((rec["text"], None, spans))
        ds.claims.append(int(bool(rec["claim"])))
        ds.sentence_groups.append(rec["doc"])
        ds.sources.append(rec["source"] if rec["claim"] else None)
        ds.candidates.append(list(rec["stances"]))
    return ds


def grouped_cv(groups: Sequence[str]):
    """Leave-one-document-out for up to 10 documents, else 5 grouped folds."""
    n = len(set(groups))
    if n < 2:
        raise StanceError(f"grouped cross-validation needs at least 2 documents, found {n}")
    return LeaveOneGroupOut() if n <= MAX_LOGO_GROUPS else GroupKFold(n_splits=5)


# --- pipelines -------------------------------------------------------------------

def make_stance_pipeline(actors: ActorDictionary | None = None, seed: int = 0) -> Pipeline:
    """The stance pipeline with default settings (the grid overrides them)."""
    return Pipeline([
        ("mark", TargetMarker(actors=actors)),
        ("features", FeatureUnion([
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            ("chars", "drop"),
            ("cues", CueFeatures()),
        ])),
        ("clf", LogisticRegression(class_weight="balanced", max_iter=5000, solver="newton-cg",
                                   random_state=seed)),
    ])


def char_ngrams() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)


def stance_grid(chars: bool = False) -> dict:
    """Settings searched for the stance model: C, n-grams and each feature family.

    Character n-grams are searched only on request (``stance train
    --char-ngrams``): on seeds + corpus grouped CV scored them below the
    model without them (see README, "Feature families"), at twice the cost.
    """
    grid = {
        "clf__C": [1.0, 3.0, 10.0, 30.0],
        "features__words__ngram_range": [(1, 1), (1, 2)],
        "features__cues": ["drop", CueFeatures()],
        "mark__target_id": [False, True],
    }
    if chars:
        grid["features__chars"] = ["drop", char_ngrams()]
    return grid


def make_claim_pipeline(actors: ActorDictionary | None = None, seed: int = 0) -> Pipeline:
    return Pipeline([
        ("mask", TargetMarker(actors=actors)),
        ("tfidf", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
        ("clf", LogisticRegression(class_weight="balanced", max_iter=5000, solver="newton-cg",
                                   random_state=seed)),
    ])


def claim_grid() -> dict:
    return {"clf__C": [0.3, 1.0, 3.0, 10.0], "tfidf__ngram_range": [(1, 1), (1, 2)]}


def make_source_pipeline(actors: ActorDictionary | None = None, seed: int = 0) -> Pipeline:
    return Pipeline([
        ("mark", TargetMarker(actors=actors)),
        ("features", FeatureUnion([
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            ("cues", CueFeatures()),
        ])),
        ("clf", LogisticRegression(class_weight="balanced", max_iter=5000, C=1.0,
                                   solver="newton-cg", random_state=seed)),
    ])


# --- source rule -------------------------------------------------------------------

@dataclass
class SourceRule:
    """The speaker by rule: with a reporting cue in the last third of the sentence
    ("..., Syria's foreign minister said"), the actor named nearest before it;
    otherwise the first actor named ("Turkey denied ...").  None if no actor."""

    patterns: re.Pattern = field(default_factory=lambda: cue_regex(
        [compile_cue(c) for c in default_cues()["reporting"]]))

    def predict(self, text: str, spans: Sequence[tuple]) -> str | None:
        if not spans:
            return None
        tokens = token_offsets(text)
        hits = cue_positions([t for t, _ in tokens], self.patterns)
        if hits and hits[-1] >= 2 * len(tokens) / 3:
            cut = tokens[hits[-1]][1]
            before = [s for s in spans if s[1] <= cut]
            if before:
                return before[-1][2]
        return spans[0][2]


def model_source(pipeline: Pipeline | None, text: str, spans: Sequence[tuple]) -> str | None:
    """The candidate the source model scores highest, if at least 0.5; else None."""
    candidates = list(dict.fromkeys(s[2] for s in spans))
    if pipeline is None or not candidates:
        return None
    proba = pipeline.predict_proba([(text, c, spans) for c in candidates])
    col = list(pipeline.classes_).index(1)
    best = int(np.argmax(proba[:, col]))
    return candidates[best] if proba[best, col] >= 0.5 else None


# --- the trained model ---------------------------------------------------------------

@dataclass
class StanceModel:
    """The three trained models and the actor dictionary they were trained with."""

    stance: Pipeline
    claim: Pipeline
    source_method: str                # "rule" or "model"
    source: Pipeline | SourceRule
    actors: ActorDictionary
    settings: dict = field(default_factory=dict)

    def spans(self, text: str, spans: Sequence[tuple] | None = None) -> list[tuple]:
        if spans is not None:
            return sorted(tuple(s) for s in spans)
        return [(m.start, m.end, m.actor) for m in self.actors.find(text)]

    def predict_pairs(self, pairs: Sequence[tuple]) -> list[dict]:
        """Stance of each ``(sentence, actor_id)`` (or ``(sentence, actor_id, spans)``) pair.

        Returns ``{"label": ..., "probabilities": {label: p}}`` per pair.
        """
        if not pairs:
            return []
        proba = self.stance.predict_proba(list(pairs))
        classes = list(self.stance.classes_)
        out = []
        for row in proba:
            probs = {label: round(float(row[classes.index(label)]), 4) if label in classes
                     else 0.0 for label in LABELS}
            out.append({"label": str(classes[int(np.argmax(row))]), "probabilities": probs})
        return out

    def predict_claims(self, sentences: Sequence[tuple]) -> list[float]:
        """Probability that each ``(text, None, spans)`` sentence is a claim."""
        if not sentences:
            return []
        proba = self.claim.predict_proba(list(sentences))
        return [float(p) for p in proba[:, list(self.claim.classes_).index(1)]]

    def predict_source(self, text: str, spans: Sequence[tuple]) -> str | None:
        spans = self.spans(text, spans)
        if self.source_method == "rule":
            return self.source.predict(text, spans)
        return model_source(self.source, text, spans)

    def predict_records(self, records: Sequence[dict], actors_from: str = "mentions") -> list[dict]:
        """Claim, source and stances for sentence records.

        Each record needs ``text`` and either ``mentions`` (document offsets, as
        ``stance segment`` writes them) or, with ``actors_from="stances"``, the
        actors to judge as the keys of ``stances`` (annotation input).
        """
        out = []
        sentences = []
        for rec in records:
            spans = record_spans(rec)
            text = rec["text"]
            spans = self.spans(text, spans)
            if actors_from == "stances":
                targets = list(rec.get("stances") or {})
            else:
                targets = list(dict.fromkeys(s[2] for s in spans))
            sentences.append((text, spans, targets))
        claim_probs = self.predict_claims([(t, None, s) for t, s, _ in sentences])
        flat = [(t, a, s) for t, s, targets in sentences for a in targets]
        stance_preds = iter(self.predict_pairs(flat))
        for rec, (text, spans, targets), p_claim in zip(records, sentences, claim_probs):
            claim = p_claim >= 0.5
            result = {k: rec[k] for k in ("id", "doc", "start", "end", "text") if k in rec}
            result.update(claim=claim, claim_prob=round(p_claim, 4),
                          source=self.predict_source(text, spans) if claim else None)
            preds = {a: next(stance_preds) for a in targets}
            result["stances"] = {a: p["label"] for a, p in preds.items()}
            result["probabilities"] = {a: p["probabilities"] for a, p in preds.items()}
            base = rec.get("start", 0)
            result["mentions"] = [{"actor": a, "text": text[s:e], "start": s + base,
                                   "end": e + base} for s, e, a in spans]
            out.append(result)
        return out

    def predict_text(self, text: str, doc_id: str = "text") -> list[dict]:
        """Segment ``text``, find its actors, and predict every sentence."""
        from .io import Document
        from .pipeline import sentence_records
        from .segment import segment_document

        seg = segment_document(Document(doc_id, text, "<text>"))
        return self.predict_records(sentence_records(seg, self.actors))

    def explain(self, text: str, actor: str, spans: Sequence[tuple] | None = None,
                top: int = 5) -> list[dict]:
        """The features that pushed the stance decision for ``actor`` most.

        Contribution = feature value x logistic-regression weight of the
        predicted label; the largest positive contributions are returned.
        """
        pair = (text, actor, self.spans(text, spans))
        features = Pipeline(self.stance.steps[:-1])
        x = features.transform([pair]).tocsr()
        clf = self.stance.named_steps["clf"]
        label = self.stance.predict([pair])[0]
        row = list(clf.classes_).index(label)
        coef = clf.coef_[row] if clf.coef_.shape[0] > 1 else clf.coef_[0] * (1 if row else -1)
        names = features.named_steps["features"].get_feature_names_out()
        contrib = [(float(v * coef[j]), names[j]) for j, v in zip(x.indices, x.data)]
        contrib.sort(key=lambda t: (-t[0], t[1]))
        return [{"feature": _readable(n), "weight": round(w, 4)} for w, n in contrib[:top] if w > 0]


def _readable(name: str) -> str:
    """'words__accused xtargetx' -> 'accused <TARGET>'."""
    family, _, feat = name.partition("__")
    feat = feat.replace("xtargetx", "<TARGET>").replace("xotherx", "<OTHER>")
    feat = re.sub(r"xtid(\w+?)x", lambda m: f"target={m.group(1).upper()}", feat)
    return feat if family == "words" else f"{family}:{feat}"


# --- training --------------------------------------------------------------------------

def _search(pipeline: Pipeline, grid: dict, X, y, groups, scoring, n_jobs: int) -> GridSearchCV:
    search = GridSearchCV(pipeline, grid, scoring=scoring, cv=grouped_cv(groups),
                          n_jobs=n_jobs, refit=True, error_score="raise")
    search.fit(X, y, groups=groups)
    return search


def _describe(params: dict) -> dict:
    """Grid parameters in a JSON-friendly form."""
    out = {}
    for k, v in sorted(params.items()):
        if isinstance(v, str) or v is None or isinstance(v, (int, float, bool)):
            out[k] = v
        elif isinstance(v, tuple):
            out[k] = list(v)
        else:
            out[k] = "on"
    return out


def family_ablation(search: GridSearchCV, families: dict[str, str]) -> dict:
    """Best grouped-CV score with and without each feature family."""
    results = search.cv_results_
    out = {}
    for name, param in families.items():
        if param not in search.param_grid:
            continue
        on, off = [], []
        for params, score in zip(results["params"], results["mean_test_score"]):
            value = params[param]
            (off if value in ("drop", False) else on).append(float(score))
        out[name] = {"with": round(max(on), 4), "without": round(max(off), 4)}
    return out


def source_scores(ds: Dataset, actors: ActorDictionary, seed: int) -> dict[str, float]:
    """Grouped-CV accuracy of the source rule and the source model over gold claims."""
    idx = [i for i, c in enumerate(ds.claims) if c]
    groups = [ds.sentence_groups[i] for i in idx]
    rule = SourceRule()
    rule_hits, model_hits = 0, 0
    for train, test in grouped_cv(groups).split(idx, groups=groups):
        model = _fit_source_model([idx[i] for i in train], ds, actors, seed)
        for i in (idx[j] for j in test):
            text, _, spans = ds.sentences[i]
            rule_hits += rule.predict(text, spans) == ds.sources[i]
            model_hits += model_source(model, text, spans) == ds.sources[i]
    n = len(idx)
    return {"rule": round(rule_hits / n, 4), "model": round(model_hits / n, 4), "claims": n}


def _fit_source_model(indices, ds: Dataset, actors: ActorDictionary, seed: int):
    X, y = [], []
    for i in indices:
        text, _, spans = ds.sentences[i]
        for cand in ds.candidates[i]:
            X.append((text, cand, spans))
            y.append(int(cand == ds.sources[i]))
    if len(set(y)) < 2:
        return None
    return make_source_pipeline(actors, seed).fit(X, y)


def fit_stance(ds: Dataset, actors: ActorDictionary, seed: int = 0, n_jobs: int = 1,
               chars: bool = False) -> GridSearchCV:
    """Grid-search the stance pipeline with grouped CV over ``stance_grid``."""
    return _search(make_stance_pipeline(actors, seed), stance_grid(chars), ds.pairs, ds.labels,
                   ds.pair_groups, macro_f1_stance, n_jobs)


def train(records: Sequence[dict], actors: ActorDictionary | None = None, seed: int = 0,
          n_jobs: int = 1, chars: bool = False) -> tuple[StanceModel, dict]:
    """Train the three models; return the model and a report for the model card."""
    actors = actors or default_actors()
    ds = build_dataset(records, actors)
    if len(set(ds.labels)) < 2:
        raise StanceError("training needs at least two different stance labels in the data")
    stance_search = fit_stance(ds, actors, seed, n_jobs, chars)
    claim_search = _search(make_claim_pipeline(actors, seed), claim_grid(), ds.sentences,
                           ds.claims, ds.sentence_groups, "f1", n_jobs)
    scores = source_scores(ds, actors, seed)
    method = "model" if scores["model"] > scores["rule"] else "rule"
    if method == "model":
        source = _fit_source_model(range(len(ds.sentences)), ds, actors, seed)
    else:
        source = SourceRule()
    families = {"cue lexicon": "features__cues", "target id token": "mark__target_id"}
    if chars:
        families["character n-grams"] = "features__chars"
    report = {
        "stance": {
            "hyperparameters": _describe(stance_search.best_params_),
            "cv_macro_f1_stance_labels": round(float(stance_search.best_score_), 4),
            "feature_family_ablation": family_ablation(stance_search, families),
        },
        "claim": {"hyperparameters": _describe(claim_search.best_params_),
                  "cv_f1": round(float(claim_search.best_score_), 4)},
        "source": {"method": method, "cv_accuracy": scores,
                   "why": f"grouped-CV accuracy over gold claims: rule {scores['rule']}, "
                          f"model {scores['model']}; the better one is used (rule on a tie)"},
        "cv": {"splitter": type(grouped_cv(ds.pair_groups)).__name__,
               "documents": len(set(ds.pair_groups)),
               "note": "scores are the grid's best mean over the same grouped folds that "
                       "chose the settings (optimistic); `stance evaluate --cv` gives nested "
                       "scores"},
    }
    model = StanceModel(stance_search.best_estimator_, claim_search.best_estimator_, method,
                        source, actors, settings={"seed": seed})
    return model, report
