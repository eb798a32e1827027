"""The prediction fast path: each sentence's text work done once.

The fitted pipelines see one marked text per (sentence, target): the claim
model the sentence with every actor masked, the stance model one copy per
target actor.  scikit-learn tokenises and counts n-grams of each copy from
scratch, and the cue features tokenise each copy again.  Yet the copies
differ only in the marker tokens: the text between the mentions ("pieces")
is the same in all of them, and since every marker is written with a space
on both sides (:func:`stance.ml.features.mark_text`), no token or n-gram
inside a piece depends on the markers.  So, per sentence:

* each piece is lower-cased and tokenised once, for the word vectorizers and
  for the cue lexicon;
* the n-grams inside the pieces are looked up once per vectorizer and
  shared by every row of the sentence; per target only the n-grams that
  touch a marker (or the appended target tokens) are added;
* the cue positions are found once per sentence (markers match no cue: this
  is checked when the fast path is built) and only the target positions
  change per target.

The counts built this way are the very matrix scikit-learn's
``CountVectorizer`` builds (same entries, sorted indices, same dtypes), and
from there the fitted objects do the rest (``TfidfTransformer``,
``FeatureUnion`` stacking, ``LogisticRegression.predict_proba``), so the
probabilities are identical, not merely close.  A model whose pipelines are
shaped otherwise (another tokenizer, marking without other-actor tokens, a
custom step) gets ``None`` from :func:`build` and is predicted by its
pipelines as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils.validation import check_is_fitted

from ..schema import Pair, Spans
from .cues import _WORD, CueMatcher, compile_cue
from .features import (
    OTHER_TOKEN,
    TARGET_TOKEN,
    CueFeatures,
    TargetMarker,
    cue_values,
)
from .relations import RelationFeatures, relation_matrix

_DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"


def _cue_tokens(lowered: str) -> list[str]:
    """:func:`stance.ml.cues.tokenize` of an already lower-cased text."""
    return _WORD.findall(lowered.replace("’", "'"))


@dataclass
class Prepared:
    """One sentence cut at its mentions: the pieces between them, tokenised once."""

    slots: list[str]                 # the actor of each kept mention, in order
    words: list[list[str]]           # word tokens of each piece (len(slots) + 1 pieces)
    cue_tokens: list[str]            # cue tokens, each mention one OTHER_TOKEN
    cue_slots: list[int]             # position of each mention's token in cue_tokens
    hits: dict[str, list[int]]       # cue positions per class
    literal_targets: list[int]       # TARGET_TOKEN written in the text itself (never, in news)
    literal_other: bool
    base: dict[int, dict[int, int]]  # per vectorizer (id): counts of the n-grams inside pieces
    text: str = ""                   # the sentence and its spans, for parts that
    spans: Spans = ()                # read the marked text themselves (_Other)


class _Words:
    """A fitted word ``TfidfVectorizer`` the fast path can count for."""

    def __init__(self, vectorizer: TfidfVectorizer):
        self.vectorizer = vectorizer
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.min_n, self.max_n = vectorizer.ngram_range
        self.key = id(self)

    @staticmethod
    def supports(v: Any) -> bool:
        return (isinstance(v, TfidfVectorizer) and v.analyzer == "word" and v.lowercase
                and v.preprocessor is None and v.tokenizer is None and v.stop_words is None
                and v.strip_accents is None and v.input == "content"
                and v.token_pattern == _DEFAULT_TOKEN_PATTERN and hasattr(v, "vocabulary_")
                and hasattr(v, "_tfidf") and not v.binary)

    def inside(self, pieces: list[list[str]]) -> dict[int, int]:
        """Counts of the vocabulary's n-grams that lie inside one piece."""
        get = self.vocabulary.get
        counts: dict[int, int] = {}
        for toks in pieces:
            for n in range(self.min_n, self.max_n + 1):
                grams = toks if n == 1 else [" ".join(toks[i:i + n])
                                             for i in range(len(toks) - n + 1)]
                for gram in grams:
                    idx = get(gram)
                    if idx is not None:
                        counts[idx] = counts.get(idx, 0) + 1
        return counts

    def row(self, base: dict[int, int], seq: list[str], variable: list[int]) -> dict[int, int]:
        """``base`` plus the n-grams of ``seq`` that cover a position in ``variable``."""
        get, counts, size = self.vocabulary.get, dict(base), len(seq)
        for n in range(self.min_n, self.max_n + 1):
            if n == 1:
                grams = [seq[v] for v in variable]
            else:
                starts = sorted({i for v in variable
                                 for i in range(max(0, v - n + 1), min(v, size - n) + 1)})
                grams = [" ".join(seq[i:i + n]) for i in starts]
            for gram in grams:
                idx = get(gram)
                if idx is not None:
                    counts[idx] = counts.get(idx, 0) + 1
        return counts

    def transform(self, rows: list[dict[int, int]]) -> Any:
        """The TF-IDF matrix of count rows, as ``vectorizer.transform`` would return it."""
        indptr = np.zeros(len(rows) + 1, dtype=np.int32)
        indices: list[int] = []
        values: list[int] = []
        for r, counts in enumerate(rows):
            keys = sorted(counts)
            indices += keys
            values += [counts[k] for k in keys]
            indptr[r + 1] = len(indices)
        X = sparse.csr_array((np.asarray(values, dtype=np.intc),
                              np.asarray(indices, dtype=np.int32), indptr),
                             shape=(len(rows), len(self.vocabulary)),
                             dtype=self.vectorizer.dtype)
        X.sort_indices()
        return self.vectorizer._tfidf.transform(X, copy=False)


class _Cues:
    """A fitted :class:`CueFeatures`, with the cue words it matches."""

    def __init__(self, cues: CueFeatures):
        self.window = cues.window
        self.matcher = CueMatcher({k: [compile_cue(c) for c in lexicon]
                                   for k, lexicon in cues.lexicon_})
        self.n_features = len(cues.feature_names_)
        self.words = {w for _, lexicon in cues.lexicon_ for cue in lexicon
                      for w in compile_cue(cue)}
        self._safe: dict[str, bool] = {}

    def safe(self, token: str) -> bool:
        """True when no cue word matches ``token``, so it can be part of no cue match."""
        ok = self._safe.get(token)
        if ok is None:
            ok = not any(token.startswith(w) if prefix else token == w
                         for w, prefix in self.words)
            self._safe[token] = ok
        return ok

    @staticmethod
    def supports(cues: Any) -> bool:
        return isinstance(cues, CueFeatures) and hasattr(cues, "lexicon_")

    def transform(self, rows: list[tuple[float, ...]]) -> Any:
        return sparse.csr_matrix(np.array(rows, dtype=float).reshape(len(rows), self.n_features))


class _Other:
    """A fitted transformer of marked texts the fast path does not count for itself
    (:class:`RelationFeatures`): it is given the marked texts, as in the pipeline."""

    def __init__(self, est: Any, marker: TargetMarker):
        self.est, self.marker = est, marker

    @staticmethod
    def supports(est: Any) -> bool:
        return isinstance(est, RelationFeatures)

    def transform(self, pairs: Sequence[tuple[Prepared, str]]) -> Any:
        texts = self.marker.transform([Pair(s.text, t, s.spans) for s, t in pairs])
        check_is_fitted(self.est, "lexicon_")
        return relation_matrix(texts, self.est.lexicon_, cache=False)


class FastPath:
    """Claim and stance feature matrices for many sentences, each tokenised once."""

    def __init__(self, stance: Pipeline, claim: Pipeline):
        self.stance, self.claim = stance, claim
        self.target_id: bool = stance.named_steps["mark"].target_id
        union: FeatureUnion = stance.named_steps["features"]
        self.union = union
        self.parts: list[_Words | _Cues | _Other] = []
        for _, est in union.transformer_list:
            if est in ("drop", None):
                continue
            self.parts.append(_Words(est) if isinstance(est, TfidfVectorizer)
                              else _Other(est, stance.named_steps["mark"]) if _Other.supports(est)
                              else _Cues(est))
        self.claim_words = _Words(claim.named_steps["tfidf"])
        self.words = [p for p in self.parts if isinstance(p, _Words)] + [self.claim_words]
        cues = [p for p in self.parts if isinstance(p, _Cues)]
        self.cues = cues[0] if cues else None
        # Every word vectorizer tokenises alike (checked by _Words.supports).
        self._tokenize = self.claim_words.vectorizer.build_tokenizer()
        self._target_tokens = self._tokenize(f" {TARGET_TOKEN} ")
        self._other_tokens = self._tokenize(f" {OTHER_TOKEN} ")
        if self.cues and not (self.cues.safe(TARGET_TOKEN) and self.cues.safe(OTHER_TOKEN)):
            raise ValueError("a cue matches a marker token")

    # -- per sentence -------------------------------------------------------

    def sentence(self, text: str, spans: Spans) -> Prepared:
        slots: list[str] = []
        pieces: list[str] = []
        pos = 0
        for start, end, actor in spans:
            if start < pos:
                continue  # an overlapping span: mark_text skips it too
            pieces.append(text[pos:start])
            slots.append(actor)
            pos = end
        pieces.append(text[pos:])
        lowered = [p.lower() for p in pieces]
        words = [self._tokenize(p) for p in lowered]
        cue_tokens: list[str] = []
        cue_slots: list[int] = []
        for i, low in enumerate(lowered):
            cue_tokens += _cue_tokens(low)
            if i < len(slots):
                cue_slots.append(len(cue_tokens))
                cue_tokens.append(OTHER_TOKEN)
        hits: dict[str, list[int]] = {}
        if self.cues is not None:
            hits = self.cues.matcher.positions(cue_tokens)
        literal_targets: list[int] = []
        if TARGET_TOKEN in cue_tokens:
            literal_targets = [i for i, t in enumerate(cue_tokens) if t == TARGET_TOKEN]
        literal_other = cue_tokens.count(OTHER_TOKEN) > len(slots)
        base = {w.key: w.inside(words) for w in self.words}
        return Prepared(slots, words, cue_tokens, cue_slots, hits, literal_targets,
                        literal_other, base, text, tuple(spans))

    # -- rows ---------------------------------------------------------------

    def _sequence(self, sent: Prepared, target: str | None,
                  suffix: list[str]) -> tuple[list[str], list[int]]:
        """Word tokens of the marked text and the positions of marker tokens in it."""
        seq: list[str] = []
        variable: list[int] = []
        last = len(sent.slots)
        for i, toks in enumerate(sent.words):
            seq += toks
            if i < last:
                marker = self._target_tokens if sent.slots[i] == target else self._other_tokens
                variable += range(len(seq), len(seq) + len(marker))
                seq += marker
        variable += range(len(seq), len(seq) + len(suffix))
        return seq + suffix, variable

    def claim_matrix(self, sentences: Sequence[Prepared]) -> Any:
        words = self.claim_words
        rows = [words.row(sent.base[words.key], *self._sequence(sent, None, []))
                for sent in sentences]
        return words.transform(rows)

    def _suffix(self, target: str, seen: bool) -> str:
        suffix = "" if seen else f" {TARGET_TOKEN}"
        if self.target_id:
            suffix += f" xtid{target.lower()}x"
        return suffix

    def stance_matrix(self, pairs: Sequence[tuple[Prepared, str]]) -> Any:
        blocks: list[Any] = []
        for part in self.parts:
            if isinstance(part, _Words):
                rows = []
                for sent, target in pairs:
                    suffix = self._tokenize(self._suffix(target, target in sent.slots).lower())
                    rows.append(part.row(sent.base[part.key],
                                         *self._sequence(sent, target, suffix)))
                blocks.append(part.transform(rows))
            elif isinstance(part, _Other):
                blocks.append(part.transform(pairs))
            else:
                blocks.append(part.transform([self._cue_row(part, s, t) for s, t in pairs]))
        return self.union._hstack(blocks)

    def _cue_row(self, cues: _Cues, sent: Prepared, target: str) -> tuple[float, ...]:
        suffix = _cue_tokens(self._suffix(target, target in sent.slots).lower())
        n = len(sent.cue_tokens)
        hits = sent.hits
        if not all(cues.safe(t) for t in suffix):
            # An appended token a cue could match (a target id such as "xtidfoo_barx"
            # against a cue "bar*"): match this pair's own marked tokens.
            tokens = list(sent.cue_tokens)
            for p, a in zip(sent.cue_slots, sent.slots, strict=True):
                tokens[p] = TARGET_TOKEN if a == target else OTHER_TOKEN
            hits = cues.matcher.positions(tokens + suffix)
        targets = sorted([*sent.literal_targets,
                          *(p for p, a in zip(sent.cue_slots, sent.slots, strict=True)
                            if a == target),
                          *(n + i for i, t in enumerate(suffix) if t == TARGET_TOKEN)])
        others = (sent.literal_other or any(a != target for a in sent.slots)
                  or OTHER_TOKEN in suffix)
        return cue_values(hits, targets, others, cues.window)


def build(stance: Pipeline, claim: Pipeline) -> FastPath | None:
    """The fast path for these fitted pipelines, or None if they are not shaped as it
    expects (then they predict as they are)."""
    try:
        mark, union = stance.named_steps["mark"], stance.named_steps["features"]
        mask, words = claim.named_steps["mask"], claim.named_steps["tfidf"]
        shapes = (
            [name for name, _ in stance.steps] == ["mark", "features", "clf"]
            and [name for name, _ in claim.steps] == ["mask", "tfidf", "clf"]
            and isinstance(mark, TargetMarker) and mark.mode == "target" and mark.mark_others
            and isinstance(mask, TargetMarker) and mask.mode == "target" and mask.mark_others
            and isinstance(union, FeatureUnion) and union.transformer_weights is None
            and _Words.supports(words)
            and all(est in ("drop", None) or _Words.supports(est) or _Cues.supports(est)
                    or _Other.supports(est) for _, est in union.transformer_list))
        if not shapes:
            return None
        return FastPath(stance, claim)
    except (AttributeError, KeyError, ValueError):
        return None
