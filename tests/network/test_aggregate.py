"""Edges, counts, net scores and intervals on small hand-made records."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from stance.network import (
    EDGE_COLUMNS,
    NetworkAggregator,
    load_dates,
    net_interval,
    network_edges,
    period_of,
)
from stance.network._compat import InputError, UsageError


def rec(doc, n, source, stances, claim=True, probs=None, date=None, text=None):
    r = {"id": f"{doc}:{n}", "doc": doc, "start": 0, "end": 1, "text": text or f"{doc} {n}.",
         "claim": claim, "source": source, "stances": stances}
    if probs is not None:
        r["probabilities"] = probs
    if date is not None:
        r["date"] = date
    return r


def one_hot(label, p=1.0):
    rest = (1.0 - p) / 3
    return {lab: (p if lab == label else rest)
            for lab in ("cooperation", "hostility", "accusation", "none")}


def edge(rows, holder, target, period="undated"):
    found = [r for r in rows if (r["holder"], r["target"], r["period"]) == (holder, target,
                                                                            period)]
    assert len(found) == 1, (holder, target, period, rows)
    return found[0]


RECORDS = [
    # d1: Syria cooperates with Iraq, accuses the US; its own stance is skipped
    rec("d1", 0, "SYR", {"SYR": "none", "IRQ": "cooperation", "USA": "accusation"}),
    rec("d1", 1, "SYR", {"IRQ": "cooperation", "TUR": "cooperation"}),
    # d2: cooperation with Iraq again, hostility toward Turkey
    rec("d2", 0, "SYR", {"IRQ": "cooperation", "TUR": "hostility"}),
    # d3: not a claim, and a claim without a source: holder ?
    rec("d3", 0, None, {"USA": "hostility"}, claim=False),
    rec("d3", 1, None, {"USA": "none"}),
]


def test_known_edges_counts_and_net():
    rows = network_edges(RECORDS, bootstrap=200)
    assert [(r["holder"], r["target"]) for r in rows] == [
        ("SYR", "IRQ"), ("SYR", "TUR"), ("SYR", "USA"), ("?", "USA")]
    assert all(list(r) == EDGE_COLUMNS for r in rows)
    irq = edge(rows, "SYR", "IRQ")
    assert (irq["sentences"], irq["documents"], irq["cooperation"], irq["labelled"]) == \
        (3, 2, 3, 3)
    # every document cooperates: net 1 and interval [1, 1]
    assert (irq["net"], irq["net_low"], irq["net_high"]) == (1.0, 1.0, 1.0)
    usa = edge(rows, "SYR", "USA")
    assert (usa["accusation"], usa["net"], usa["net_low"], usa["net_high"]) == (1, -1.0, -1.0,
                                                                                 -1.0)
    unknown = edge(rows, "?", "USA")
    assert (unknown["hostility"], unknown["none"], unknown["labelled"], unknown["net"]) == \
        (1, 1, 1, -1.0)


def test_two_documents_that_disagree_have_the_full_interval():
    # d1 says cooperation toward TUR, d2 hostility: the bootstrap over two documents gives
    # net -1, 0 or 1 with probabilities 1/4, 1/2, 1/4, so the 95% interval is [-1, 1]
    tur = edge(network_edges(RECORDS, bootstrap=1000), "SYR", "TUR")
    assert (tur["net"], tur["net_low"], tur["net_high"]) == (0.0, -1.0, 1.0)
    assert tur["documents"] == 2


def test_none_only_edge_has_no_net_score():
    rows = network_edges([rec("d", 0, "IRN", {"IRQ": "none"})])
    r = edge(rows, "IRN", "IRQ")
    assert r["labelled"] == 0 and r["none"] == 1
    assert math.isnan(r["net"]) and math.isnan(r["net_low"]) and math.isnan(r["net_expected"])


def test_self_stance_is_skipped_and_counted():
    agg = NetworkAggregator().update(RECORDS)
    s = agg.summary()
    assert (s["records"], s["documents"], s["self_stances_skipped"], s["stances"],
            s["unknown_holder_stances"]) == (5, 3, 1, 8, 2)
    assert not [r for r in agg.table() if r["holder"] == r["target"]]


def test_expected_counts_sum_probabilities_and_equal_counts_without_them():
    records = [rec("d", 0, "USA", {"IRN": "accusation"},
                   probs={"IRN": one_hot("accusation", 0.7)}),
               rec("d", 1, "USA", {"IRN": "hostility"}, probs={"IRN": one_hot("hostility", 0.4)})]
    r = edge(network_edges(records), "USA", "IRN")
    assert r["expected_accusation"] == pytest.approx(0.7 + 0.2)
    assert r["expected_hostility"] == pytest.approx(0.1 + 0.4)
    assert r["expected_cooperation"] == pytest.approx(0.1 + 0.2)
    assert r["net_expected"] == pytest.approx((0.3 - 0.5 - 0.9) / (0.3 + 0.5 + 0.9), abs=1e-4)
    gold = edge(network_edges(RECORDS), "SYR", "IRQ")
    assert (gold["expected_cooperation"], gold["expected_none"]) == (3.0, 0.0)


def test_periods_from_record_dates_then_dates_table_else_undated():
    records = [rec("a", 0, "USA", {"IRQ": "cooperation"}, date="2014-06-30"),
               rec("b", 0, "USA", {"IRQ": "hostility"}),
               rec("c", 0, "USA", {"IRQ": "hostility"}, date="2014-07-01"),
               rec("e", 0, "USA", {"IRQ": "hostility"})]
    dates = {"b": dt.date(2014, 5, 2), "a": dt.date(1999, 1, 1)}  # the record's own date wins
    rows = network_edges(records, by="quarter", dates=dates)
    assert [(r["period"], r["net"]) for r in rows] == [
        ("2014-Q2", 0.0), ("2014-Q3", -1.0), ("undated", -1.0)]
    assert [r["period"] for r in network_edges(records, by="year", dates=dates)] == \
        ["2014", "undated"]
    assert [r["period"] for r in network_edges(records, dates=dates)] == \
        ["2014-05", "2014-06", "2014-07", "undated"]


def test_period_labels():
    assert period_of(dt.date(2015, 11, 3), "month") == "2015-11"
    assert period_of(dt.date(2015, 11, 3), "quarter") == "2015-Q4"
    assert period_of(dt.date(2015, 11, 3), "year") == "2015"
    assert period_of(None, "year") == "undated"
    with pytest.raises(UsageError):
        NetworkAggregator(by="week")


def test_actor_filter_keeps_edges_with_either_end_listed():
    pairs = {(r["holder"], r["target"]) for r in network_edges(RECORDS, actors=["USA"])}
    assert pairs == {("SYR", "USA"), ("?", "USA")}
    pairs = {(r["holder"], r["target"]) for r in network_edges(RECORDS, actors=["SYR"])}
    assert pairs == {("SYR", "IRQ"), ("SYR", "TUR"), ("SYR", "USA")}
    pairs = {(r["holder"], r["target"]) for r in network_edges(RECORDS, actors=["?"])}
    assert pairs == {("?", "USA")}


def test_min_count_is_sentences_per_edge_and_period():
    pairs = {(r["holder"], r["target"]) for r in network_edges(RECORDS, min_count=2)}
    assert pairs == {("SYR", "IRQ"), ("SYR", "TUR"), ("?", "USA")}


def test_deterministic_for_a_seed_and_independent_of_other_edges():
    records = [rec(f"d{i}", 0, "RUS", {"TUR": "cooperation" if i % 3 else "hostility",
                                       "USA": "hostility" if i % 2 else "cooperation"})
               for i in range(12)]
    a = network_edges(records, seed=3)
    assert a == network_edges(records, seed=3)
    tur = edge(a, "RUS", "TUR")
    assert tur["net_low"] < tur["net"] < tur["net_high"]
    # the same edge alone (other edges filtered or absent) gets the same interval
    alone = [dict(r, stances={"TUR": r["stances"]["TUR"]}) for r in records]
    assert edge(network_edges(alone, seed=3), "RUS", "TUR") == tur
    assert edge(network_edges(records, seed=3, actors=["TUR"]), "RUS", "TUR") == tur


def test_documents_split_across_the_stream_are_one_document():
    split = [rec("d1", 0, "SYR", {"TUR": "cooperation"}),
             rec("d2", 0, "SYR", {"TUR": "hostility"}),
             rec("d1", 1, "SYR", {"TUR": "cooperation"})]
    r = edge(network_edges(split), "SYR", "TUR")
    assert (r["documents"], r["sentences"], r["cooperation"]) == (2, 3, 2)


def test_input_is_consumed_once_as_a_stream():
    consumed = []

    def stream():
        for r in RECORDS:
            consumed.append(r["id"])
            yield r

    it = stream()
    rows = network_edges(it)
    assert consumed == [r["id"] for r in RECORDS]
    assert next(it, None) is None and len(rows) == 4


def test_examples_are_the_most_probable_with_a_stable_tie_break():
    records = [rec("b", 0, "USA", {"IRN": "accusation"}, probs={"IRN": one_hot("accusation", .9)}),
               rec("a", 0, "USA", {"IRN": "accusation"}, probs={"IRN": one_hot("accusation", .9)}),
               rec("c", 0, "USA", {"IRN": "none"}, probs={"IRN": one_hot("none", 1.0)}),
               rec("c", 1, "USA", {"IRN": "hostility"}, probs={"IRN": one_hot("hostility", .6)}),
               rec("c", 2, "USA", {"IRN": "hostility"}, probs={"IRN": one_hot("hostility", .5)})]
    agg = NetworkAggregator(examples=3).update(records)
    agg.table()
    assert [(e["id"], e["label"], e["probability"]) for e in agg.examples("USA", "IRN",
                                                                         "undated")] == [
        ("a:0", "accusation", 0.9), ("b:0", "accusation", 0.9), ("c:1", "hostility", 0.6)]
    agg.table(pooled=True)
    assert len(agg.examples("USA", "IRN", "all")) == 3


def test_pooled_table_sums_periods():
    records = [rec("a", 0, "USA", {"IRQ": "cooperation"}, date="2014-06-30"),
               rec("c", 0, "USA", {"IRQ": "hostility"}, date="2015-07-01")]
    pooled = NetworkAggregator(by="year").update(records).table(pooled=True)
    r = edge(pooled, "USA", "IRQ", "all")
    assert (r["sentences"], r["documents"], r["net"], r["net_low"], r["net_high"]) == \
        (2, 2, 0.0, -1.0, 1.0)


def test_net_interval_without_stances_or_rounds_is_nan():
    rng = np.random.default_rng(0)
    assert all(math.isnan(x) for x in net_interval(np.zeros(3), np.zeros(3), 100, rng))
    assert all(math.isnan(x) for x in net_interval(np.ones(2), np.array([0.0, 1.0]), 0, rng))


@pytest.mark.parametrize("record, message", [
    (rec("d", 0, "SYR", {"IRQ": "friendly"}),
     "record 1: expected a stance label (cooperation, hostility, accusation, none) for IRQ, "
     "found 'friendly'"),
    (rec("d", 0, "SYR", {"IRQ": "none"}, date="June 2014"),
     "record 1: field 'date': expected a date YYYY-MM-DD, found 'June 2014'"),
    (rec("d", 0, "SYR", {"IRQ": "none"}, probs={"TUR": one_hot("none")}),
     "record 1: expected 'probabilities' to hold an object of label probabilities for IRQ, "
     "found null"),
    (dict(rec("d", 0, "SYR", {}), stances=["IRQ"]),
     "record 1: expected 'stances' to be an object of actor IDs and labels, found an array"),
])
def test_bad_records_are_refused_with_one_line(record, message):
    with pytest.raises(InputError) as err:
        network_edges([record])
    assert str(err.value) == message


def test_dates_table_reads_a_manifest(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_text("doc,title,date,source\nc001,A,2013-03-24,wire\nc002,\"B, c\",,x\n"
                    "c003,C,2014-06-19,y\n", encoding="utf-8")
    assert load_dates(path) == {"c001": dt.date(2013, 3, 24), "c003": dt.date(2014, 6, 19)}


@pytest.mark.parametrize("text, line, message", [
    ("doc,day\nc001,2013-03-24\n", 1,
     "expected a CSV with columns 'doc' and 'date', found 'doc', 'day'"),
    ("doc,date\nc001,24/03/2013\n", 2,
     "doc c001: expected a date YYYY-MM-DD, found '24/03/2013'"),
    ("doc,date\nc001,2013-03-24\nc001,2013-03-25\n", 3,
     "expected one date per document, found 2013-03-24 and 2013-03-25 for doc c001"),
])
def test_dates_table_errors_name_file_and_line(tmp_path, text, line, message):
    path = tmp_path / "dates.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_dates(path)
    assert str(err.value) == f"{path}:{line}: {message}"
