"""In which order sentences are offered: document order, uncertainty (active learning), a sample.

Uncertainty of a sentence is the lowest margin among its (sentence, actor)
pairs, the margin being the model's top probability minus the second (0: the
model cannot decide between two labels).  Sentences that name no actor have
no stance to learn from and come last, in document order.  Document
diversity: the next sentence is the most uncertain one from a document not
among the last ``window`` documents offered (unless only those are left), so
an annotator is not kept on one article.
"""

from __future__ import annotations

import random
from collections.abc import Sequence


def margin(probabilities: dict[str, float]) -> float:
    """Top probability minus the second; 1.0 for a single label."""
    top = sorted(probabilities.values(), reverse=True)
    return round(top[0] - (top[1] if len(top) > 1 else 0.0), 6) if top else 1.0


def sentence_margin(pair_probabilities: dict[str, dict[str, float]]) -> float | None:
    """The lowest pair margin of a sentence; None when it names no actor."""
    if not pair_probabilities:
        return None
    return min(margin(p) for p in pair_probabilities.values())


def uncertainty_order(items: Sequence[tuple[str, str, float | None]], window: int = 3) -> list[str]:
    """Ids ordered most uncertain first with document diversity.

    ``items`` are ``(id, doc, margin)`` in document order; ties keep document order.
    """
    position = {sid: i for i, (sid, _, _) in enumerate(items)}
    docs_order = list(dict.fromkeys(doc for _, doc, _ in items))
    queues: dict[str, list[tuple[float, int, str]]] = {d: [] for d in docs_order}
    last = []
    for sid, doc, m in items:
        if m is None:
            last.append(sid)
        else:
            queues[doc].append((m, position[sid], sid))
    for q in queues.values():
        q.sort(reverse=True)  # pop() takes the smallest margin
    window = max(0, min(window, sum(1 for q in queues.values() if q) - 1))
    recent: list[str] = []
    out: list[str] = []
    while True:
        heads = [(q[-1][0], q[-1][1], doc) for doc, q in queues.items() if q]
        if not heads:
            break
        fresh = [h for h in heads if h[2] not in recent[-window:]] if window else heads
        _, _, doc = min(fresh or heads)
        out.append(queues[doc].pop()[2])
        recent.append(doc)
        nonempty = sum(1 for q in queues.values() if q)
        window = min(window, max(0, nonempty - 1))
    return out + last


def shared_sample(items: Sequence[tuple[str, str, int]], n: int, seed: int) -> list[str]:
    """``n`` sentence ids drawn with a fixed seed, returned in document order.

    ``items`` are ``(id, doc, number_of_actors)``; sentences naming an actor
    are drawn first (they carry the stance labels), so two annotators running
    the same command on the same documents get the same sentences.
    """
    with_actors = [sid for sid, _, k in items if k]
    without = [sid for sid, _, k in items if not k]
    rng = random.Random(seed)
    chosen = rng.sample(with_actors, min(n, len(with_actors)))
    if len(chosen) < n:
        chosen += rng.sample(without, min(n - len(chosen), len(without)))
    keep = set(chosen)
    return [sid for sid, _, _ in items if sid in keep]
