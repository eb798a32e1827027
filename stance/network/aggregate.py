"""Directed stance edges holder -> target per period, streamed from records.

Memory does not grow with the number of sentences: per (holder, target,
period) the aggregator keeps label counts, expected counts, a few example
sentences (the top ``examples`` by probability) and one small row per
document that contributed (document hash, cooperation count, hostility plus
accusation count), which the bootstrap over documents needs.  So memory is
O(edges x documents), and records are read once.

The net score of an edge is ``(cooperation - hostility - accusation) /
labelled`` where ``labelled = cooperation + hostility + accusation`` (the
sentences that take a stance toward the target; ``none`` does not dilute it):
1 is all cooperation, -1 all hostility or accusation.  Its 95% interval is a
percentile bootstrap over the documents that take a stance on the edge (a
document's sentences stay together), from a numpy Generator seeded by the
seed and the edge itself, so an edge's interval does not depend on which
other edges are in the input or kept by a filter.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import hashlib
import math
from array import array
from collections.abc import Iterable, Iterator, Mapping
from typing import cast

import numpy as np

from ._compat import UsageError
from .reader import (
    LABELS,
    PERIODS,
    UNDATED,
    UNKNOWN,
    parse_date,
    period_key,
    period_of,
    record_stances,
)

POOLED = "all"
EDGE_COLUMNS = [
    "holder", "target", "period", "sentences", "documents",
    "cooperation", "hostility", "accusation", "none", "labelled",
    "expected_cooperation", "expected_hostility", "expected_accusation", "expected_none",
    "net", "net_low", "net_high", "net_expected",
]
#: Bootstrap draws held in memory at once (rounds x documents), to keep memory bounded.
_CHUNK = 1 << 19


def _doc_hash(doc: str) -> int:
    return int.from_bytes(hashlib.blake2b(doc.encode("utf-8"), digest_size=8).digest(),
                          "little", signed=True)


class _Edge:
    """Counters of one (holder, target, period)."""

    __slots__ = ("counts", "expected", "sentences", "hashes", "coop", "against",
                 "cur", "cur_coop", "cur_against", "examples")

    def __init__(self) -> None:
        self.counts = [0, 0, 0, 0]
        self.expected = [0.0, 0.0, 0.0, 0.0]
        self.sentences = 0
        self.hashes = array("q")   # one row per run of a document's sentences
        self.coop = array("i")
        self.against = array("i")
        self.cur: int | None = None
        self.cur_coop = 0
        self.cur_against = 0
        self.examples: list[tuple] = []

    def flush(self) -> None:
        if self.cur is not None:
            self.hashes.append(self.cur)
            self.coop.append(self.cur_coop)
            self.against.append(self.cur_against)
            self.cur, self.cur_coop, self.cur_against = None, 0, 0

    def add(self, doc: int, label_index: int, probs: tuple, example: tuple | None,
            keep: int) -> None:
        if doc != self.cur:
            self.flush()
            self.cur = doc
        self.counts[label_index] += 1
        for i, p in enumerate(probs):
            self.expected[i] += p
        self.sentences += 1
        if label_index == 0:
            self.cur_coop += 1
        elif label_index in (1, 2):
            self.cur_against += 1
        if example is not None and keep > 0:
            ex = self.examples
            if len(ex) < keep or example < ex[-1]:
                bisect.insort(ex, example)
                del ex[keep:]

    def per_document(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Distinct document hashes and each one's cooperation and against counts."""
        self.flush()
        hashes = np.frombuffer(self.hashes, dtype=np.int64) if self.hashes else \
            np.zeros(0, np.int64)
        uniq, inverse = np.unique(hashes, return_inverse=True)
        coop = np.bincount(inverse, weights=np.asarray(self.coop, dtype=np.float64),
                           minlength=len(uniq))
        against = np.bincount(inverse, weights=np.asarray(self.against, dtype=np.float64),
                              minlength=len(uniq))
        return uniq, coop, against

    @classmethod
    def merged(cls, edges: list[_Edge], keep: int) -> _Edge:
        out = cls()
        for e in edges:
            e.flush()
            out.counts = [a + b for a, b in zip(out.counts, e.counts, strict=True)]
            out.expected = [a + b for a, b in zip(out.expected, e.expected, strict=True)]
            out.sentences += e.sentences
            out.hashes.extend(e.hashes)
            out.coop.extend(e.coop)
            out.against.extend(e.against)
            out.examples.extend(e.examples)
        out.examples.sort()
        del out.examples[keep:]
        return out


def _edge_rng(seed: int, key: tuple[str, str, str]) -> np.random.Generator:
    digest = hashlib.blake2b("\x1f".join(key).encode("utf-8"), digest_size=8).digest()
    return np.random.default_rng([seed, int.from_bytes(digest[:4], "little"),
                                  int.from_bytes(digest[4:], "little")])


def net_interval(coop: np.ndarray, against: np.ndarray, rounds: int,
                 rng: np.random.Generator) -> tuple[float, float]:
    """95% percentile bootstrap interval of the net score, resampling documents.

    ``coop`` and ``against`` are per-document counts; documents with neither
    take no stance on the edge and are left out (they add nothing to the
    numerator or the denominator).  NaN when no document takes a stance or
    ``rounds`` is 0.
    """
    den = coop + against
    keep = den > 0
    num, den = (coop - against)[keep], den[keep]
    k = len(den)
    if k == 0 or rounds <= 0:
        return math.nan, math.nan
    ratios = num / den
    if np.all(ratios == ratios[0]):
        return float(ratios[0]), float(ratios[0])
    stats = np.empty(rounds)
    step = max(1, _CHUNK // k)
    for start in range(0, rounds, step):
        b = min(step, rounds - start)
        idx = rng.integers(0, k, size=(b, k))
        stats[start:start + b] = num[idx].sum(axis=1) / den[idx].sum(axis=1)
    low, high = np.percentile(stats, [2.5, 97.5])
    return float(low), float(high)


def _round(x: float, digits: int = 4) -> float:
    return x if math.isnan(x) else round(x, digits)


class NetworkAggregator:
    """Stance edges holder -> target per period, fed one record at a time.

    ``by`` is ``month``, ``quarter`` or ``year``.  A record's date is its own
    ``date`` field (``YYYY-MM-DD``) when it has one, else ``dates[doc]``, else
    the record falls in the period ``undated``.  ``examples`` is how many
    example sentences each edge keeps (the most probable stance-bearing ones;
    ties broken by document and sentence id).
    """

    def __init__(self, by: str = "month", dates: Mapping[str, _dt.date] | None = None,
                 examples: int = 3) -> None:
        if by not in PERIODS:
            raise UsageError(f"--by: expected one of {', '.join(PERIODS)}, found {by!r}")
        if examples < 0:
            raise UsageError(f"--examples: expected a number of sentences >= 0, found {examples}")
        self.by = by
        self.dates = dates or {}
        self.keep = examples
        self._edges: dict[tuple[str, str, str], _Edge] = {}
        self._date_cache: dict[str, str] = {}
        self._doc_runs = array("q")
        self._undated_runs = array("q")
        self._last_doc: str | None = None
        self._doc_hash = 0
        self._examples: dict[tuple[str, str, str], list[dict]] = {}
        self.records = 0
        self.pairs = 0
        self.unknown_holder_pairs = 0
        self.self_skipped = 0

    def _period(self, record: dict, where: str) -> str:
        value = record.get("date")
        if value is not None:
            period = self._date_cache.get(value) if isinstance(value, str) else None
            if period is None:
                period = period_of(parse_date(value, f"{where}: field 'date'"), self.by)
                if len(self._date_cache) < 100_000:
                    self._date_cache[value] = period
            return period
        return period_of(self.dates.get(record["doc"]), self.by)

    def add(self, record: dict, where: str = "record") -> None:
        """Count one record (``where`` names it in error messages)."""
        stances, skipped = record_stances(record, where)
        period = self._period(record, where)
        doc = record["doc"]
        self.records += 1
        self.self_skipped += skipped
        if doc != self._last_doc:
            self._last_doc = doc
            self._doc_hash = _doc_hash(doc)
            self._doc_runs.append(self._doc_hash)
            if period == UNDATED:
                self._undated_runs.append(self._doc_hash)
        h = self._doc_hash
        for st in stances:
            key = (st.holder, st.target, period)
            edge = self._edges.get(key)
            if edge is None:
                edge = self._edges[key] = _Edge()
            li = LABELS.index(st.label)
            example = None
            if li != 3:
                example = (-st.probs[li], doc, str(record.get("id", where)), st.label,
                           record["text"])
            edge.add(h, li, st.probs, example, self.keep)
            self.pairs += 1
            if st.holder == UNKNOWN:
                self.unknown_holder_pairs += 1

    def update(self, records: Iterable[dict] | Iterable[tuple[str, dict]]) -> NetworkAggregator:
        """Count every record: dicts, or ``(where, record)`` pairs as from ``read_records``."""
        for i, item in enumerate(records, start=1):
            if isinstance(item, tuple):
                where, record = item
                self.add(cast(dict, record), str(where))
            else:
                self.add(cast(dict, item), f"record {i}")
        return self

    # --- results ---------------------------------------------------------------------

    @property
    def edge_count(self) -> int:
        """Edges (holder, target, period) counted so far, before any filter."""
        return len(self._edges)

    @property
    def periods(self) -> list[str]:
        return sorted({k[2] for k in self._edges}, key=period_key)

    def summary(self) -> dict:
        docs = np.unique(np.frombuffer(self._doc_runs, dtype=np.int64)) if self._doc_runs \
            else np.zeros(0)
        undated = np.unique(np.frombuffer(self._undated_runs, dtype=np.int64)) \
            if self._undated_runs else np.zeros(0)
        return {"records": self.records, "documents": int(len(docs)),
                "undated_documents": int(len(undated)), "stances": self.pairs,
                "unknown_holder_stances": self.unknown_holder_pairs,
                "self_stances_skipped": self.self_skipped, "periods": self.periods,
                "edges": len(self._edges)}

    def _grouped(self, pooled: bool) -> Iterator[tuple[tuple[str, str, str], _Edge]]:
        if not pooled:
            yield from self._edges.items()
            return
        groups: dict[tuple[str, str], list[_Edge]] = {}
        for (holder, target, _), edge in self._edges.items():
            groups.setdefault((holder, target), []).append(edge)
        for (h, t), edges in groups.items():  # merged one at a time: memory stays flat
            yield (h, t, POOLED), _Edge.merged(edges, self.keep)

    def table(self, *, actors: Iterable[str] | None = None, min_count: int = 1,
              bootstrap: int = 1000, seed: int = 0, pooled: bool = False) -> list[dict]:
        """The edge table: one row (a dict of ``EDGE_COLUMNS``) per holder, target, period.

        ``actors`` keeps the edges whose holder or target is listed;
        ``min_count`` keeps those with at least that many sentences;
        ``pooled`` gives one row per holder and target over all periods
        (period ``all``).  Rows are sorted by period (``undated`` last),
        holder (``?`` last), target.  NaN marks a net score that does not
        exist (no sentence takes a stance).
        """
        wanted = set(actors) if actors is not None else None
        rows = []
        for key, edge in self._grouped(pooled):
            holder, target, period = key
            if wanted is not None and holder not in wanted and target not in wanted:
                continue
            if edge.sentences < min_count:
                continue
            uniq, coop, against = edge.per_document()
            c, h, a, n = edge.counts
            labelled = c + h + a
            e = edge.expected
            e_lab = e[0] + e[1] + e[2]
            net = (c - h - a) / labelled if labelled else math.nan
            low, high = net_interval(coop, against, bootstrap, _edge_rng(seed, key))
            rows.append({
                "holder": holder, "target": target, "period": period,
                "sentences": edge.sentences, "documents": int(len(uniq)),
                "cooperation": c, "hostility": h, "accusation": a, "none": n,
                "labelled": labelled,
                "expected_cooperation": _round(e[0]), "expected_hostility": _round(e[1]),
                "expected_accusation": _round(e[2]), "expected_none": _round(e[3]),
                "net": _round(net), "net_low": _round(low), "net_high": _round(high),
                "net_expected": _round((e[0] - e[1] - e[2]) / e_lab) if e_lab > 0 else math.nan,
            })
            self._examples[key] = [
                {"doc": ex[1], "id": ex[2], "label": ex[3], "probability": _round(-ex[0]),
                 "text": ex[4]} for ex in edge.examples]
        rows.sort(key=lambda r: (period_key(str(r["period"])), r["holder"] == UNKNOWN, r["holder"],
                                 r["target"]))
        return rows

    def examples(self, holder: str, target: str, period: str) -> list[dict]:
        """Example sentences of an edge of the last :meth:`table` (most probable first)."""
        return list(self._examples.get((holder, target, period), []))


def network_edges(records: Iterable[dict] | Iterable[tuple[str, dict]], *, by: str = "month",
                  dates: Mapping[str, _dt.date] | None = None,
                  actors: Iterable[str] | None = None, min_count: int = 1,
                  bootstrap: int = 1000, seed: int = 0) -> list[dict]:
    """The edge table of ``records`` (one pass, memory flat in their number).

    ``records`` are prediction or annotation records (dicts), or ``(where,
    record)`` pairs from :func:`read_records`.  See :class:`NetworkAggregator`
    and :meth:`NetworkAggregator.table`.  ``pandas.DataFrame(rows)`` gives a
    data frame with the columns ``EDGE_COLUMNS``.
    """
    agg = NetworkAggregator(by=by, dates=dates, examples=0).update(records)
    return agg.table(actors=actors, min_count=min_count, bootstrap=bootstrap, seed=seed)
