from __future__ import annotations

from stance.annotate.queue import margin, sentence_margin, shared_sample, uncertainty_order


def test_margin():
    assert margin({"a": 0.5, "b": 0.3, "c": 0.2}) == 0.2
    assert sentence_margin({}) is None
    assert sentence_margin({"X": {"a": 0.9, "b": 0.1}, "Y": {"a": 0.4, "b": 0.6}}) == 0.2


def test_uncertainty_order_spreads_documents_and_puts_actorless_last():
    items = [("a:0", "a", 0.1), ("a:1", "a", 0.2), ("a:2", "a", 0.3), ("a:3", "a", None),
             ("b:0", "b", 0.9), ("c:0", "c", 0.5)]
    order = uncertainty_order(items, window=2)
    # never the same document twice in a row while another one has sentences left
    assert order == ["a:0", "c:0", "a:1", "b:0", "a:2", "a:3"]
    assert uncertainty_order(items, window=0)[:3] == ["a:0", "a:1", "a:2"]


def test_shared_sample_is_deterministic_and_prefers_actor_sentences():
    items = [(f"d:{i}", "d", i % 2) for i in range(20)]
    a, b = shared_sample(items, 5, seed=3), shared_sample(items, 5, seed=3)
    assert a == b and len(a) == 5 and all(int(s[2:]) % 2 for s in a)
    assert a == sorted(a, key=lambda s: int(s[2:]))
