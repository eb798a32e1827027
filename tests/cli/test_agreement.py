"""`stance agreement`, in-process: reports, refusals and exit status."""

from __future__ import annotations

import json

import pytest


def rec(n, claim, stances, text=None, start=None):
    text = text or f"Sentence {n}."
    start = n * 20 if start is None else start
    return {"id": f"d:{n}", "doc": "d", "start": start, "end": start + len(text), "text": text,
            "claim": claim, "source": None, "stances": stances}


def write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


@pytest.fixture
def pair(tmp_path):
    # stance over 4 pairs:  B coop  B none
    #              A coop     1       1
    #              A none     0       2
    # p_o = 3/4; p_e = (2/4)(1/4) + (2/4)(3/4) = 1/2; kappa = (3/4 - 1/2)/(1/2) = 0.5
    # claim: false on both sides throughout, so kappa is undefined
    a = [rec(0, False, {"SYR": "cooperation", "IRQ": "none"}),
         rec(1, False, {"SYR": "cooperation", "IRQ": "none"}, text="Iraq’s  turn.")]
    b = [rec(0, False, {"SYR": "cooperation", "IRQ": "none"}),
         rec(1, False, {"SYR": "none", "IRQ": "none"}, text="Iraq's turn.", start=21)]
    return write(tmp_path / "a.jsonl", a), write(tmp_path / "b.jsonl", b)


def test_json_report(stance, pair):
    proc = stance("agreement", *pair, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert list(data) == sorted(data)
    assert data["stance"] == {"n": 4, "agreement": 0.75, "kappa": pytest.approx(0.5),
                              "kappa_undefined": None}
    assert data["claim"] == {"n": 2, "agreement": 1.0, "kappa": None, "kappa_undefined":
                             "both annotators use the single label false throughout "
                             "(chance agreement is 1)"}
    assert data["aligned_by_text"] == [{"a": "d:1", "b": "d:1"}]
    assert data["confusion"] == [[1, 0, 0, 1], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 2]]
    assert data["disagreements"] == [{"id": "d:1", "text": "Iraq’s  turn.", "field": "stance",
                                      "actor": "SYR", "a": "cooperation", "b": "none"}]


def test_text_report_to_file(stance, pair, tmp_path):
    out = tmp_path / "report.txt"
    proc = stance("agreement", *pair, "-o", str(out))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    report = out.read_text(encoding="utf-8").splitlines()
    assert "  stance       4      0.750  0.500" in report
    assert ("  claim        2      1.000  undefined: both annotators use the single label "
            "false throughout (chance agreement is 1)") in report
    assert report[-2:] == ["  d:1 stance SYR: A cooperation, B none", "      Iraq’s  turn."]


def test_invalid_input_refused_with_file_and_line(stance, pair, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(rec(0, "yes", {})) + "\n{\n", encoding="utf-8")
    out = tmp_path / "report.txt"
    proc = stance("agreement", pair[0], str(bad), "-o", str(out))
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr == (
        f"error: {bad}: not a valid annotation file (2 errors):\n"
        f"{bad}:1: error: 'claim' must be true or false, found string \"yes\"\n"
        f"{bad}:2: error: not valid JSON: Expecting property name enclosed in double quotes "
        "at column 2\n")
    assert not out.exists()


def test_missing_file_and_usage(stance, pair, tmp_path):
    proc = stance("agreement", pair[0], str(tmp_path / "nope.jsonl"))
    assert (proc.returncode, proc.stderr) == (
        1, f"error: {tmp_path}/nope.jsonl: not a valid annotation file (1 error):\n"
           f"{tmp_path}/nope.jsonl: error: no such file\n")
    proc = stance("agreement", pair[0])
    assert proc.returncode == 2
    assert "the following arguments are required: B" in proc.stderr


def test_common_docs_restricts_to_shared_documents(stance, tmp_path):
    def rec(doc, n, label):
        return json.dumps({"id": f"{doc}:{n}", "doc": doc, "start": 10 * n, "end": 10 * n + 5,
                           "text": "Iraq.", "claim": False, "source": None,
                           "stances": {"IRQ": label}}) + "\n"
    a = tmp_path / "a.jsonl"
    b = tmp_path / "b.jsonl"
    a.write_text(rec("d1", 0, "none") + rec("d2", 0, "none"), encoding="utf-8")
    b.write_text(rec("d1", 0, "none"), encoding="utf-8")
    proc = stance("agreement", str(a), str(b), "--format", "json", "--common-docs")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert (data["sentences_a"], data["sentences_b"], data["aligned"]) == (1, 1, 1)
