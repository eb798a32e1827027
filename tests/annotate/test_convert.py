"""Round trips through doccano, Label Studio and Prodigy, and what each tool shows natively."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stance.annotate.convert import (
    ConvertError,
    from_doccano,
    from_labelstudio,
    from_prodigy,
    label_studio_config,
    read_records,
    render,
    to_doccano,
    to_labelstudio,
    to_prodigy,
)

ROOT = Path(__file__).resolve().parents[2]
LABELLED = {"id": "d1:0", "doc": "d1", "start": 100, "end": 142,
            "text": "Ankara accused Tehran of arming militants.", "claim": True, "source": None,
            "stances": {"TUR": "none", "IRN": "accusation"}, "note": "hard",
            "mentions": [{"actor": "TUR", "text": "Ankara", "start": 100, "end": 106},
                         {"actor": "IRN", "text": "Tehran", "start": 115, "end": 121}],
            "annotator": "ann1"}
TEMPLATE = {"id": "d1:1", "doc": "d1", "start": 143, "end": 150, "text": "Syria.",
            "mentions": [{"actor": "SYR", "text": "Syria", "start": 143, "end": 148}],
            "claim": None, "source": None, "stances": {"SYR": None}}
SEEDS = [json.loads(x) for x in (ROOT / "annotations/seeds.jsonl").read_text().splitlines()]
ALL = [LABELLED, TEMPLATE, *SEEDS]
PAIRS = [(to_doccano, from_doccano), (to_labelstudio, from_labelstudio),
         (to_prodigy, from_prodigy)]


@pytest.mark.parametrize("export, load", PAIRS)
def test_round_trip_is_exact(export, load):
    back = load(json.loads(json.dumps(export(ALL))))
    assert back == ALL
    assert [json.dumps(r) for r in back] == [json.dumps(r) for r in ALL]  # field order too


def test_native_parts():
    d = to_doccano([LABELLED])[0]
    assert d["label"] == [[0, 6, "TUR:none"], [15, 21, "IRN:accusation"]]
    ls = to_labelstudio([LABELLED])[0]["annotations"][0]["result"]
    kinds = [(r["from_name"], r["value"].get("choices") or r["value"].get("labels")
              or r["value"].get("text")) for r in ls]
    assert kinds == [("actor", ["TUR"]), ("stance", ["none"]), ("actor", ["IRN"]),
                     ("stance", ["accusation"]), ("claim", ["yes"]), ("source", ["other/none"]),
                     ("note", ["hard"])]
    p = to_prodigy([LABELLED])[0]
    assert p["spans"][1] == {"start": 15, "end": 21, "label": "IRN", "stance": "accusation"}
    assert p["accept"] == ["claim"] and p["meta"] == {"id": "d1:0", "doc": "d1"}
    assert '<Choices name="stance" toName="text" perRegion="true"' in label_studio_config(["SYR"])


def test_edits_made_in_the_other_tool_win():
    d = to_doccano([LABELLED])[0]
    d["label"] = [[0, 6, "TUR:hostility"], [31, 41, "REB:none"]]  # IRN removed, REB added
    back = from_doccano([d])[0]
    assert back["stances"] == {"TUR": "hostility", "REB": "none"}
    assert back["mentions"][1] == {"actor": "REB", "text": "militants", "start": 131, "end": 141} \
        or back["mentions"][1]["actor"] == "REB"
    task = to_labelstudio([LABELLED])[0]
    task["annotations"][0]["result"][4]["value"]["choices"] = ["no"]
    assert from_labelstudio([task])[0]["claim"] is False
    assert from_labelstudio([task])[0]["source"] is None
    p = to_prodigy([LABELLED])[0]
    p["accept"] = []
    assert from_prodigy([p])[0]["claim"] is False


def test_task_without_metadata_is_refused():
    with pytest.raises(ConvertError, match="only tasks exported by `stance convert`"):
        from_doccano([{"text": "x", "label": []}])


@pytest.mark.parametrize("fmt", ["doccano", "labelstudio", "prodigy"])
def test_cli_round_trip(tmp_path, fmt):
    src = ROOT / "annotations/seeds.jsonl"
    mid, back, cfg = tmp_path / f"x.{fmt}", tmp_path / "back.jsonl", tmp_path / "cfg.xml"
    run = [sys.executable, "-m", "stance", "convert"]
    p1 = subprocess.run([*run, str(src), "--to", fmt, "-o", str(mid), "--labelstudio-config",
                         str(cfg)], capture_output=True, text=True, cwd=ROOT)
    p2 = subprocess.run([*run, str(mid), "--from", fmt, "-o", str(back)], capture_output=True,
                        text=True, cwd=ROOT)
    assert p1.returncode == p2.returncode == 0, p1.stderr + p2.stderr
    assert back.read_bytes() == src.read_bytes()
    assert cfg.read_text().startswith("<View>")
    assert read_records(back, "stance") == read_records(mid, fmt)
    assert render(SEEDS, "stance") == src.read_text()
