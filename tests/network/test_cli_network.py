"""`stance network` in process: outputs, and one-line errors with exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from stance.cli import main

ROOT = Path(__file__).resolve().parents[2]


def rec(doc, n, source, stances, claim=True, date=None):
    r = {"id": f"{doc}:{n}", "doc": doc, "start": 0, "end": 1,
         "text": f"Sentence {n} of {doc}.", "claim": claim, "source": source,
         "stances": stances}
    if date:
        r["date"] = date
    return r


def write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


@pytest.fixture
def pred(tmp_path):
    return write(tmp_path / "pred.jsonl", [
        rec("d1", 0, "SYR", {"IRQ": "cooperation", "USA": "accusation", "SYR": "none"},
            date="2014-06-03"),
        rec("d2", 0, "SYR", {"IRQ": "cooperation"}, date="2014-09-10"),
        rec("d3", 0, None, {"USA": "hostility"}, claim=False),
    ])


def run(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_writes_every_output(tmp_path, pred, capsys):
    out = tmp_path / "net"
    status, stdout, err = run(capsys, "network", pred, "--by", "quarter", "--out", str(out),
                              "--bootstrap", "50")
    assert status == 0 and err == ""
    for name in ("edges.csv", "network.json", "examples.jsonl", "network.html",
                 "figures/network.png", "figures/heatmap.png", "figures/timeseries.png"):
        assert (out / name).is_file(), name
    rows = list(csv.DictReader((out / "edges.csv").open(encoding="utf-8")))
    assert [(r["holder"], r["target"], r["period"], r["net"], r["net_low"]) for r in rows] == [
        ("SYR", "IRQ", "2014-Q2", "1.0", "1.0"), ("SYR", "USA", "2014-Q2", "-1.0", "-1.0"),
        ("SYR", "IRQ", "2014-Q3", "1.0", "1.0"), ("?", "USA", "undated", "-1.0", "-1.0")]
    data = json.loads((out / "network.json").read_text(encoding="utf-8"))
    assert data["directed"] and data["multigraph"]
    assert [n["id"] for n in data["nodes"]] == ["IRQ", "SYR", "USA", "?"]
    assert {(e["source"], e["target"], e["key"]) for e in data["edges"]} == {
        ("SYR", "IRQ", "2014-Q2"), ("SYR", "USA", "2014-Q2"), ("SYR", "IRQ", "2014-Q3"),
        ("?", "USA", "undated")}
    html = (out / "network.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 3 and "Sentence 0 of d1." in html
    assert "src=\"http" not in html
    assert stdout.startswith("network: 3 sentences, 3 documents (1 undated), 4 stances -> "
                             "4 edges over 3 period(s)\n")
    assert "strong edge (all periods): SYR -> IRQ net +1.00 [+1.00, +1.00], 2 stance-bearing " \
           "sentences in 2 documents" in stdout


def test_network_json_loads_in_networkx_and_exports(tmp_path, pred, capsys):
    nx = pytest.importorskip("networkx")
    out = tmp_path / "net"
    assert run(capsys, "network", pred, "--out", str(out), "--bootstrap", "0")[0] == 0
    g = nx.node_link_graph(json.loads((out / "network.json").read_text(encoding="utf-8")),
                           edges="edges")
    assert g.is_directed() and g.number_of_edges() == 4
    nx.write_graphml(g, tmp_path / "n.graphml")
    nx.write_gexf(g, tmp_path / "n.gexf")


def test_actors_filter_and_period(tmp_path, pred, capsys):
    out = tmp_path / "net"
    status, stdout, _ = run(capsys, "network", pred, "--actors", "USA", "--period", "2014-06",
                            "--out", str(out))
    assert status == 0
    rows = list(csv.DictReader((out / "edges.csv").open(encoding="utf-8")))
    assert [(r["holder"], r["target"]) for r in rows] == [("SYR", "USA"), ("?", "USA")]
    assert "strong edge (2014-06): SYR -> USA" in stdout


def test_annotation_files_chart_the_gold(tmp_path, capsys):
    out = tmp_path / "gold"
    status, stdout, _ = run(capsys, "network", str(ROOT / "annotations" / "seeds.jsonl"),
                            "--out", str(out), "--bootstrap", "20")
    assert status == 0
    assert stdout.startswith("network: 97 sentences, 5 documents (5 undated)")


@pytest.mark.parametrize("args, status, message", [
    (["--actors", "SYR,XYZ"], 2, "--actors: expected actor IDs of the actor dictionary "
     "({ids}) or ?, found unknown actor 'XYZ'"),
    (["--actors", " , "], 2, "--actors: expected actor IDs separated by commas, found ' , '"),
    (["--actors", "TUR"], 1, "{pred}: no edges left: found 4 edges, none with holder or "
     "target in --actors TUR"),
    (["--min-count", "5"], 1, "{pred}: no edges left: found 4 edges, none with at least 5 "
     "sentences (--min-count)"),
    (["--min-count", "0"], 2, "--min-count: expected a number >= 1, found 0"),
    (["--bootstrap", "-1"], 2, "--bootstrap: expected a number >= 0, found -1"),
    (["--period", "2015-01"], 2, "--period: expected all or a period of the edges "
     "(2014-06, 2014-09, undated), found '2015-01'"),
])
def test_usage_and_empty_result_errors(tmp_path, pred, capsys, args, status, message):
    from stance import default_actors

    got, stdout, err = run(capsys, "network", pred, "--out", str(tmp_path / "o"), *args)
    expected = message.format(ids=", ".join(default_actors().actor_ids), pred=pred)
    assert (got, stdout, err) == (status, "", f"error: {expected}\n")


@pytest.mark.parametrize("content, message", [
    ("id,doc,actor\nd:0,d,SYR\n", "{f}:1: expected stance predict output or annotation records "
     "(JSON objects with 'doc', 'text' and 'stances'), found text that is not JSON "
     "(Expecting value)"),
    ('{"doc": "d", "text": "x", "stances": {}}\n[1, 2]\n', "{f}:2: expected stance predict "
     "output or annotation records (JSON objects with 'doc', 'text' and 'stances'), found an "
     "array"),
    ('{"id": "d:0", "doc": "d", "start": 0, "end": 1}\n', "{f}:1: expected stance predict "
     "output or annotation records (JSON objects with 'doc', 'text' and 'stances'), found an "
     "object without 'text', 'stances'"),
    ("", "{f}: expected stance predict output or annotation records, found no records"),
    ('{"doc": "d", "text": "x", "claim": true, "source": "SYR", "stances": {"SYR": "none"}}\n',
     "{f}: expected stances toward actors, found 1 records with none (other than toward their "
     "own holder)"),
])
def test_not_prediction_output_is_one_line(tmp_path, capsys, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    got, stdout, err = run(capsys, "network", str(path), "--out", str(tmp_path / "o"))
    assert (got, stdout, err) == (1, "", f"error: {message.format(f=path)}\n")
    assert not (tmp_path / "o").exists()


def test_missing_file_and_folder(tmp_path, capsys):
    assert run(capsys, "network", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o")) \
        == (1, "", f"error: {tmp_path / 'nope.jsonl'}: no such file\n")
    assert run(capsys, "network", str(tmp_path), "--out", str(tmp_path / "o")) == \
        (1, "", f"error: {tmp_path}: expected a .jsonl file of predictions, found a folder\n")


def test_dates_file(tmp_path, capsys):
    pred = write(tmp_path / "p.jsonl", [rec("c1", 0, "USA", {"IRN": "hostility"}),
                                        rec("c2", 0, "USA", {"IRN": "cooperation"})])
    dates = tmp_path / "manifest.csv"
    dates.write_text("doc,headline,date\nc1,x,2014-06-01\nc2,y,2015-01-01\n", encoding="utf-8")
    out = tmp_path / "o"
    assert run(capsys, "network", pred, "--dates", str(dates), "--by", "year", "--out",
               str(out))[0] == 0
    rows = list(csv.DictReader((out / "edges.csv").open(encoding="utf-8")))
    assert [(r["period"], r["net"]) for r in rows] == [("2014", "-1.0"), ("2015", "1.0")]
    dates.write_text("doc,when\nc1,2014-06-01\n", encoding="utf-8")
    assert run(capsys, "network", pred, "--dates", str(dates), "--out", str(out)) == (
        1, "", f"error: {dates}:1: expected a CSV with columns 'doc' and 'date', found 'doc', "
               "'when'\n")
