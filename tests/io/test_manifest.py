"""The corpus manifest: reading it, and the shipped one's coverage and consistency."""

from __future__ import annotations

import datetime
import json

import pytest

from stance.errors import InputError
from stance.io.documents import Document
from stance.io.manifest import read_manifest, with_context

from .._shared import ROOT

HEADER = "doc,date,conflict,region,outlet_style,country\n"


def test_rows_by_document(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(HEADER + "a,2015-06-01,x,Europe,wire,UKR\nb,,y,Asia,editorial,\n",
                    encoding="utf-8")
    rows = read_manifest(path)
    assert rows["a"].date == datetime.date(2015, 6, 1) and rows["a"].country == "UKR"
    assert rows["b"].date is None and rows["b"].country is None and rows["b"].region == "Asia"


@pytest.mark.parametrize("body,message", [
    ("a,2015-13-01,x,Europe,wire,UKR\n",
     "m.csv:2: expected a date YYYY-MM-DD in column 'date', found '2015-13-01'"),
    ("a,,x,,,\na,,x,,,\n", "m.csv:3: document 'a' is listed twice"),
    (",2015-01-01,x,,,\n", "m.csv:2: expected a document id in column 'doc', found nothing"),
])
def test_bad_rows_name_file_and_line(tmp_path, body, message):
    path = tmp_path / "m.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_manifest(path)
    assert str(err.value) == f"{tmp_path}/{message}"


def test_missing_manifest(tmp_path):
    with pytest.raises(InputError) as err:
        read_manifest(tmp_path / "none.csv")
    assert str(err.value) == f"{tmp_path}/none.csv: no such manifest file"


def test_context_given_beats_the_manifest(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(HEADER + "a,2015-06-01,x,Europe,wire,UKR\n", encoding="utf-8")
    docs = [Document("a", "text", "a.txt"), Document("b", "text", "b.txt")]
    a, b = with_context(docs, None, "MLI", read_manifest(path))
    assert (a.date, a.country) == (datetime.date(2015, 6, 1), "MLI")
    assert (b.date, b.country) == (None, "MLI")


def test_shipped_manifest_covers_every_document_and_keeps_conflicts_in_one_region():
    """Every seed and corpus document, and every annotated one, has a row with a
    conflict and a region; a conflict lies in one region, so that
    leave-one-region-out never splits a conflict between training and test."""
    rows = read_manifest(ROOT / "corpus" / "manifest.csv")
    files = {p.stem for folder in ("seeds", "corpus") for p in (ROOT / folder).glob("*.txt")}
    annotated = {json.loads(line)["doc"]
                 for name in ("seeds", "corpus", "world")
                 for line in (ROOT / "annotations" / f"{name}.jsonl").open(encoding="utf-8")}
    assert sorted(files - rows.keys()) == [] and sorted(annotated - rows.keys()) == []
    assert all(r.conflict and r.region for r in rows.values())
    # Three seed articles came without a date; every document the project wrote has one.
    assert sorted(d for d, r in rows.items() if r.date is None) == [
        "000_9173ccc0f2f1d5b4", "001_8119b63a55f166eb", "004_05b1f8109ffe7c46"]
    regions: dict[str, set[str]] = {}
    for r in rows.values():
        regions.setdefault(r.conflict, set()).add(r.region)
    assert {c: sorted(rs) for c, rs in regions.items() if len(rs) > 1} == {}
    assert len(regions) == 30
    assert sorted({r.region for r in rows.values()}) == [
        "Africa", "Americas", "Asia", "Europe", "Middle East", "Oceania"]
