"""The JSON API through Flask's test client: checks, idempotency, output, annotators, refits."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("flask")

from stance.annotate.server import create_app  # noqa: E402
from stance.annotate.session import Options, Session  # noqa: E402
from stance.annotations import validate_file  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "test-token"
H = {"X-Stance-Token": TOKEN}


@pytest.fixture
def client(docs, tmp_path):
    session = Session(Options(paths=[str(docs)], out=str(tmp_path / "out.jsonl")))
    yield create_app(session, TOKEN).test_client(), session
    session.close()


def decision(item, key_, **over):
    body = {"key": key_, "id": item["id"], "rev": item["rev"], "claim": True,
            "source": item["mentions"][0]["actor"] if item["mentions"] else None,
            "stances": {m["actor"]: "none" for m in item["mentions"]},
            "mentions": [{k: m[k] for k in ("actor", "start", "end")} for m in item["mentions"]]}
    body.update(over)
    return body


def test_label_all_output_validates(client, docs, tmp_path):
    c, session = client
    n = 0
    while (item := c.get("/api/next").get_json()["item"]) is not None:
        r = c.post("/api/decide", json=decision(item, f"key-{n:05d}"), headers=H)
        assert r.status_code == 200, r.get_json()
        n += 1
    assert n == 6
    out = tmp_path / "out.jsonl"
    assert [p for p in validate_file(out, docs) if p.severity == "error"] == []
    proc = subprocess.run([sys.executable, "-m", "stance", "validate", str(out), "--docs",
                           str(docs)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert c.get("/api/progress").get_json()["done"] == 6


@pytest.mark.parametrize("over, message", [
    ({"stances": {"TUR": "friendly", "IRN": "none"}}, "must be one of"),
    ({"stances": {"TUR": "none"}}, "missing IRN"),
    ({"source": "USA"}, "'source' must be one of the sentence's actors"),
    ({"claim": False}, "'source' needs 'claim' true"),
    ({"claim": "yes"}, "'claim' must be true or false"),
    ({"mentions": [{"actor": "XXX", "start": 0, "end": 6}]}, "not an actor id"),
    ({"mentions": [{"actor": "TUR", "start": 0, "end": 600}]}, "must lie inside"),
    ({"mentions": [{"actor": "TUR", "start": 0, "end": 7}]}, "white space"),
    ({"mentions": [{"actor": "TUR", "start": 0, "end": 6},
                   {"actor": "IRN", "start": 3, "end": 21}]}, "overlap"),
    ({"id": "nope:0"}, "'id' must be a sentence id"),
    ({"key": "x"}, "'key' must be"),
    ({"extra": 1}, "unknown field 'extra'"),
])
def test_bad_requests_get_400_and_change_nothing(client, tmp_path, over, message):
    c, _ = client
    item = c.get("/api/next").get_json()["item"]
    r = c.post("/api/decide", json=decision(item, "key-00001", **over), headers=H)
    assert r.status_code == 400 and message in r.get_json()["error"]
    assert (tmp_path / "out.jsonl").read_text() == ""
    assert (tmp_path / "out.jsonl.journal").read_text() == ""


def test_token_and_json_are_required(client):
    c, _ = client
    item = c.get("/api/next").get_json()["item"]
    assert c.post("/api/decide", json=decision(item, "key-00001")).status_code == 403
    r = c.post("/api/decide", data="x", headers={**H, "Content-Type": "text/plain"})
    assert r.status_code == 400


def test_double_submit_and_second_tab(client, tmp_path):
    c, _ = client
    item = c.get("/api/next").get_json()["item"]
    body = decision(item, "key-00001")
    a = c.post("/api/decide", json=body, headers=H).get_json()["result"]
    b = c.post("/api/decide", json=body, headers=H).get_json()["result"]
    assert (a["duplicate"], b["duplicate"], a["seq"]) == (False, True, b["seq"])
    # a second tab that still shows revision 0
    stale = decision(item, "key-00002", stances={"TUR": "hostility", "IRN": "none"})
    r = c.post("/api/decide", json=stale, headers=H)
    assert r.status_code == 409 and "another tab" in r.get_json()["error"]
    lines = (tmp_path / "out.jsonl").read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["stances"] == {"TUR": "none", "IRN": "none"}


def test_added_mention_and_annotator(docs, tmp_path):
    session = Session(Options(paths=[str(docs)], out=str(tmp_path / "a.jsonl"), annotator="ann1"))
    c = create_app(session, TOKEN).test_client()
    item = c.get("/api/item/d1:2").get_json()["item"]
    assert [m["actor"] for m in item["mentions"]] == ["TUR"]
    start = item["start"]
    mentions = [{"actor": "USA", "start": start, "end": start + 7}, *item["mentions"]]
    body = decision(item, "key-00001", mentions=mentions, source="USA",
                    stances={"USA": "cooperation", "TUR": "cooperation"})
    assert c.post("/api/decide", json=body, headers=H).status_code == 200
    session.close()
    record = json.loads((tmp_path / "a.jsonl").read_text())
    assert record["annotator"] == "ann1"
    assert record["mentions"][0] == {"actor": "USA", "text": "Langley", "start": start,
                                     "end": start + 7}
    assert [p for p in validate_file(tmp_path / "a.jsonl", docs) if p.severity == "error"] == []


def test_shared_sample_two_annotators_and_agreement(docs, tmp_path):
    files = []
    for name, label in (("ann1", "none"), ("ann2", "hostility")):
        out = tmp_path / f"{name}.jsonl"
        session = Session(Options(paths=[str(docs)], out=str(out), annotator=name, sample=3,
                                  seed=1))
        c = create_app(session, TOKEN).test_client()
        seen = []
        while (item := c.get("/api/next").get_json()["item"]) is not None:
            seen.append(item["id"])
            assert item["suggestion"] is None
            body = decision(item, f"{name}-{len(seen):04d}",
                            stances={m["actor"]: label for m in item["mentions"]})
            assert c.post("/api/decide", json=body, headers=H).status_code == 200
        session.close()
        files.append((out, seen))
    assert files[0][1] == files[1][1] and len(files[0][1]) == 3
    proc = subprocess.run([sys.executable, "-m", "stance", "agreement", str(files[0][0]),
                           str(files[1][0]), "--format", "json"], capture_output=True, text=True,
                          cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["stance"]["agreement"] == 0.0


def test_model_order_suggestions_and_background_refit(docs, tmp_path):
    # a tiny base set: the seeds' first two documents
    base = tmp_path / "base.jsonl"
    seeds = [json.loads(x) for x in (ROOT / "annotations/seeds.jsonl").read_text().splitlines()]
    docs_seen = list(dict.fromkeys(r["doc"] for r in seeds))[:3]
    base.write_text("".join(json.dumps(r) + "\n" for r in seeds if r["doc"] in docs_seen))
    session = Session(Options(paths=[str(docs)], out=str(tmp_path / "o.jsonl"), retrain_every=2,
                              suggest=True, base=[str(base)]))
    c = create_app(session, TOKEN).test_client()
    assert session.progress()["model"]["state"] == "none"
    for n in range(2):
        item = c.get("/api/next").get_json()["item"]
        answer = c.post("/api/decide", json=decision(item, f"key-{n:05d}"), headers=H)
        assert answer.status_code == 200
    session.wait_for_retrain(120)
    progress = c.get("/api/progress").get_json()
    assert progress["model"]["state"] == "ready" and progress["model"]["retrains"] == 1
    assert progress["model"]["cv_macro_f1"] is not None  # 3 base documents + 1 annotated
    assert progress["mode"].startswith("uncertainty")
    item = c.get("/api/next").get_json()["item"]
    assert item["suggestion"] is None or set(item["suggestion"]["stances"]) == \
        {m["actor"] for m in item["mentions"]}
    assert session.next_id() is not None
    session.close()


def test_cli_refuses_bad_options(docs, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "stance", "annotate", str(docs), "--out",
                           str(tmp_path / "o.jsonl"), "--sample", "3", "--suggest"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and proc.stderr.startswith("error: --sample")
